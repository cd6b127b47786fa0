package cem

import (
	"errors"
	"fmt"
	"math"

	"argmax"
)

// Method is the rule that moves the sampling distribution.
type Method int

// The methods.
const (
	// CEM refits the distribution to the elite sequences (the
	// cross-entropy method).
	CEM Method = iota
	// MPPI moves the mean to the average of the samples weighted by
	// exp(return/Temperature), at a fixed standard deviation (model
	// predictive path integral control). It needs a box action space.
	MPPI
)

// String returns "cem" or "mppi".
func (m Method) String() string {
	switch m {
	case CEM:
		return "cem"
	case MPPI:
		return "mppi"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod reads "cem" or "mppi".
func ParseMethod(name string) (Method, error) {
	switch name {
	case "cem":
		return CEM, nil
	case "mppi":
		return MPPI, nil
	}
	return 0, fmt.Errorf("method %q: want cem or mppi", name)
}

// Defaults applied by New to zero fields of a Config.
const (
	// DefaultHorizon is the number of steps of a planned sequence.
	DefaultHorizon = 30
	// DefaultSamples is the number of sequences sampled per iteration.
	DefaultSamples = 500
	// DefaultIterations is the number of iterations of a decision when
	// neither Config.Budget nor the caller's budget sets a limit.
	DefaultIterations = 5
	// DefaultEliteFraction is the share of the samples kept as elites.
	DefaultEliteFraction = 0.1
	// DefaultInitStd is the initial standard deviation of a bounded
	// action dimension, as a fraction of its half-width: 0.5 gives
	// (high-low)/4, PETS's initial variance (high-low)²/16.
	DefaultInitStd = 0.5
	// DefaultTemperature is MPPI's λ.
	DefaultTemperature = 1.0
	// DefaultSmoothing is the smoothing DefaultConfig sets (PETS's α).
	DefaultSmoothing = 0.1
)

// Config sets up a Planner. The zero value is plain CEM (no smoothing)
// with the default sizes; DefaultConfig adds PETS's smoothing. Zero
// numeric fields take the defaults documented on them.
type Config struct {
	// Method is CEM (the default) or MPPI.
	Method Method
	// Horizon is the length of a planned sequence; 0 means DefaultHorizon.
	Horizon int
	// Samples is the number of sequences sampled per iteration; 0 means
	// DefaultSamples.
	Samples int
	// Iterations is the number of iterations of a decision when the
	// caller's budget and Budget are both unlimited; 0 means
	// DefaultIterations.
	Iterations int
	// Elites is the number of best sequences CEM refits to; 0 means
	// DefaultEliteFraction of Samples (at least 1). MPPI ignores it.
	Elites int
	// Smoothing is the weight α of the old distribution in each update:
	// new = α·old + (1-α)·fitted, for the mean and (CEM) the standard
	// deviation or the probabilities. 0 means none; it must be below 1.
	Smoothing float64
	// InitStd sets the standard deviation each decision starts from (CEM)
	// or keeps (MPPI's noise): InitStd times the half-width of a bounded
	// action dimension, InitStd itself for an unbounded one; 0 means
	// DefaultInitStd.
	InitStd float64
	// Temperature is MPPI's λ, in the units of the return: smaller
	// values weigh the best samples more; 0 means DefaultTemperature.
	Temperature float64
	// Discount is the factor γ of the return Σ γ^t r_t that sequences are
	// ranked by; 0 means 1 (the undiscounted sum).
	Discount float64
	// Seed seeds the sampling stream (and, through it, the model's).
	Seed uint64
	// Budget is used when the caller's budget is unlimited; if it is
	// unlimited too, Iterations iterations.
	Budget argmax.Budget
	// Init, when set, writes the distribution every search starts from —
	// an amortized proposal such as a policy rolled through the model
	// (hybrid/guidedcem) — over the warm start or initial distribution the
	// planner would use, which it is given to keep or overwrite. Its cost
	// is counted in the search's. Copies of the Config share it.
	Init Initializer
}

// DefaultConfig returns the recommended settings: CEM as in PETS, with
// smoothing 0.1.
func DefaultConfig() Config {
	return Config{Method: CEM, Smoothing: DefaultSmoothing}
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if c.Method != CEM && c.Method != MPPI {
		bad("method %d: want CEM or MPPI", int(c.Method))
	}
	c.Horizon = positive(c.Horizon, DefaultHorizon, "horizon", bad)
	c.Samples = positive(c.Samples, DefaultSamples, "samples", bad)
	c.Iterations = positive(c.Iterations, DefaultIterations, "iterations", bad)
	if c.Elites == 0 {
		c.Elites = max(1, int(DefaultEliteFraction*float64(c.Samples)))
	}
	if c.Elites < 1 || c.Elites > c.Samples {
		bad("elites=%d: want 1 to samples (%d)", c.Elites, c.Samples)
	}
	if !(c.Smoothing >= 0 && c.Smoothing < 1) {
		bad("smoothing=%v: want a value in [0, 1)", c.Smoothing)
	}
	if c.InitStd == 0 {
		c.InitStd = DefaultInitStd
	}
	if !(c.InitStd > 0) || !finite(c.InitStd) {
		bad("initial std=%v: want a finite number > 0", c.InitStd)
	}
	if c.Temperature == 0 {
		c.Temperature = DefaultTemperature
	}
	if !(c.Temperature > 0) || !finite(c.Temperature) {
		bad("temperature=%v: want a finite number > 0", c.Temperature)
	}
	if c.Discount == 0 {
		c.Discount = 1
	}
	if !(c.Discount > 0 && c.Discount <= 1) {
		bad("discount=%v: want a value in (0, 1]", c.Discount)
	}
	if err := c.Budget.Check(); err != nil {
		bad("%v", err)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("cem config: %w", errors.Join(errs...))
	}
	return c, nil
}

func positive(v, def int, name string, bad func(string, ...any)) int {
	if v == 0 {
		return def
	}
	if v < 0 {
		bad("%s=%d: want ≥ 1", name, v)
	}
	return v
}
