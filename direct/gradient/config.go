package gradient

import (
	"errors"
	"fmt"
	"math"

	"argmax"
)

// Method is the update rule of an iteration.
type Method int

// The methods.
const (
	// GD is plain gradient descent: y ← y − LR·∇f(y).
	GD Method = iota
	// Adam is Adam (Kingma and Ba 2015) with bias-corrected moments.
	Adam
)

// String returns "gd" or "adam".
func (m Method) String() string {
	switch m {
	case GD:
		return "gd"
	case Adam:
		return "adam"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod reads "gd" or "adam".
func ParseMethod(name string) (Method, error) {
	switch name {
	case "gd":
		return GD, nil
	case "adam":
		return Adam, nil
	}
	return 0, fmt.Errorf("gradient: method %q: want gd or adam", name)
}

// Defaults applied to zero fields of a Config.
const (
	DefaultLR         = 0.1   // learning rate of both methods
	DefaultBeta1      = 0.9   // Adam's first-moment decay
	DefaultBeta2      = 0.999 // Adam's second-moment decay
	DefaultEps        = 1e-8  // Adam's denominator offset
	DefaultIterations = 1000  // iterations when neither the caller's nor Config.Budget sets a limit
)

// Config sets up the iteration. The zero value is gradient descent with
// learning rate DefaultLR, no stopping tolerance and no trace; zero
// numeric fields take the defaults documented on them.
type Config struct {
	// Method is GD (the default) or Adam.
	Method Method
	// LR is the step size; 0 means DefaultLR.
	LR float64
	// Beta1, Beta2 and Eps are Adam's moment decays and denominator
	// offset; 0 means DefaultBeta1, DefaultBeta2, DefaultEps. GD ignores
	// them.
	Beta1, Beta2, Eps float64
	// Tol, when positive, stops the iteration as soon as the gradient's
	// Euclidean norm is at most Tol (Result.Converged).
	Tol float64
	// Trace records the objective and elapsed time at the start and after
	// every iteration in Result.Trace.
	Trace bool
	// Budget is used when the caller's budget is unlimited; if it is
	// unlimited too, DefaultIterations iterations.
	Budget argmax.Budget
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch c.Method {
	case GD, Adam:
	default:
		bad("method %d: want GD or Adam", int(c.Method))
	}
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.LR < 0 || !finite(c.LR) {
		bad("LR=%v: want a finite number > 0", c.LR)
	}
	if c.Beta1 == 0 {
		c.Beta1 = DefaultBeta1
	}
	if c.Beta1 < 0 || c.Beta1 >= 1 || !finite(c.Beta1) {
		bad("Beta1=%v: want a value in [0, 1)", c.Beta1)
	}
	if c.Beta2 == 0 {
		c.Beta2 = DefaultBeta2
	}
	if c.Beta2 < 0 || c.Beta2 >= 1 || !finite(c.Beta2) {
		bad("Beta2=%v: want a value in [0, 1)", c.Beta2)
	}
	if c.Eps == 0 {
		c.Eps = DefaultEps
	}
	if c.Eps < 0 || !finite(c.Eps) {
		bad("Eps=%v: want a finite number > 0", c.Eps)
	}
	if c.Tol < 0 || !finite(c.Tol) {
		bad("Tol=%v: want a finite number ≥ 0", c.Tol)
	}
	if err := c.Budget.Check(); err != nil {
		bad("Budget: %v", err)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("gradient config: %w", errors.Join(errs...))
	}
	return c, nil
}
