// Package task is the contract for context → solution problems, the
// domain where amortized inference meets per-instance optimization: a
// distribution of contexts x, an objective f(y; x) to minimize over the
// solution y with its gradient, and, where known, the exact solution
// y*(x), so that a solver's gap is measured against truth rather than
// against another estimate.
//
// A direct optimizer (direct/gradient) minimizes f for each x on the fly;
// an amortized one (amortized/encoder) learns x ↦ y over a dataset of
// contexts and answers with one forward pass, paying the amortization gap
// f(ŷ(x); x) − f(y*(x); x); a semi-amortized one (hybrid/semiamortized)
// refines the amortized guess with a few direct steps.
//
// Concrete families live in subpackages: sphere (Amos' sphere problem),
// latent (latent-variable models with exact posteriors), linreg (in-context
// linear regression).
package task

import (
	"fmt"
	"math"
)

// Split names a distribution of contexts: the one a learner trains on, a
// held-out sample of the same distribution, and a shifted one.
type Split int

const (
	Train   Split = iota // the training distribution
	HeldOut              // the same distribution, contexts no learner saw (disjoint seeds)
	Shifted              // a shifted distribution (the family documents how)
)

var splitNames = [...]string{"train", "held-out", "shifted"}

func (s Split) String() string {
	if s < 0 || int(s) >= len(splitNames) {
		return fmt.Sprintf("Split(%d)", int(s))
	}
	return splitNames[s]
}

// ParseSplit returns the split named s (train, held-out, shifted).
func ParseSplit(s string) (Split, error) {
	for i, n := range splitNames {
		if s == n {
			return Split(i), nil
		}
	}
	return 0, fmt.Errorf("task: split %q: want train, held-out or shifted", s)
}

// Task is a family of problems min_y f(y; x) over contexts x.
//
// Implementations are safe for concurrent use: Objective and Context keep
// no state between calls.
type Task interface {
	// Name is a short name with the family's parameters ("sphere:d=3").
	Name() string
	// ContextDim and SolutionDim are the lengths of x and y.
	ContextDim() int
	SolutionDim() int
	// Context writes the i-th context of split into dst (len ContextDim):
	// the same (split, seed, i), the same context; different splits never
	// share a context.
	Context(split Split, seed uint64, i int, dst []float64)
	// Objective returns f(y; x), the quantity to minimize, and, when grad
	// is not nil, writes ∂f/∂y into it (len SolutionDim).
	Objective(x, y, grad []float64) float64
	// Init writes the solution a per-instance optimizer starts from when
	// it has no better guess (the family's neutral point) into dst.
	Init(x, dst []float64)
}

// Exact is implemented by tasks whose solution is known in closed form (or
// to machine precision by a reference method the family documents).
type Exact interface {
	// Solve writes y*(x) into dst and returns f(y*(x); x).
	Solve(x, dst []float64) float64
}

// HessianVector is implemented by tasks that compute the product of the
// Hessian ∂²f/∂y² at (x, y) with v exactly; HessVec falls back to finite
// differences of the gradient for the others.
type HessianVector interface {
	HessVec(x, y, v, dst []float64)
}

// HessVec writes the Hessian of t's objective at (x, y) times v into dst:
// exactly when t implements HessianVector, else by a central difference of
// the gradient with a step scaled to y and v.
func HessVec(t Task, x, y, v, dst []float64) {
	if h, ok := t.(HessianVector); ok {
		h.HessVec(x, y, v, dst)
		return
	}
	n := len(y)
	var vn, yn float64
	for i := range n {
		vn += v[i] * v[i]
		yn += y[i] * y[i]
	}
	if vn == 0 {
		clear(dst[:n])
		return
	}
	eps := 1e-5 * (1 + math.Sqrt(yn)) / math.Sqrt(vn)
	yp, ym := make([]float64, n), make([]float64, n)
	gp, gm := make([]float64, n), make([]float64, n)
	for i := range n {
		yp[i], ym[i] = y[i]+eps*v[i], y[i]-eps*v[i]
	}
	t.Objective(x, yp, gp)
	t.Objective(x, ym, gm)
	for i := range n {
		dst[i] = (gp[i] - gm[i]) / (2 * eps)
	}
}

// Contexts returns n contexts of split, indices 0..n-1, from seed.
func Contexts(t Task, split Split, seed uint64, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, t.ContextDim())
		t.Context(split, seed, i, out[i])
	}
	return out
}

// Gap is f(y; x) − f(y*(x); x): how far y falls short of the optimum on x
// (0 at the optimum, never below it up to rounding); ok is false when t
// does not know its exact solution.
func Gap(t Task, x, y []float64) (gap float64, ok bool) {
	e, ok := t.(Exact)
	if !ok {
		return math.NaN(), false
	}
	star := make([]float64, t.SolutionDim())
	return t.Objective(x, y, nil) - e.Solve(x, star), true
}
