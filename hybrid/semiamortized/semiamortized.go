package semiamortized

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/direct/gradient"
	"argmax/task"
)

// Variant is how the encoder is trained.
type Variant int

// The variants.
const (
	// WarmStart trains the encoder alone (on its configured loss) and
	// refines its guess only at test time.
	WarmStart Variant = iota
	// EndToEnd trains the encoder on f(y_K; x) through the K unrolled
	// refinement steps (Kim et al. 2018).
	EndToEnd
)

// String returns "warm-start" or "end-to-end".
func (v Variant) String() string {
	switch v {
	case WarmStart:
		return "warm-start"
	case EndToEnd:
		return "end-to-end"
	}
	return fmt.Sprintf("Variant(%d)", int(v))
}

// ParseVariant reads "warm-start" or "end-to-end".
func ParseVariant(name string) (Variant, error) {
	switch name {
	case "warm-start":
		return WarmStart, nil
	case "end-to-end":
		return EndToEnd, nil
	}
	return 0, fmt.Errorf("semiamortized: variant %q: want warm-start or end-to-end", name)
}

// DefaultK is the number of refinement steps when Config.K is 0.
const DefaultK = 5

// Config sets up a semi-amortized solver.
type Config struct {
	// Variant is WarmStart (the default) or EndToEnd.
	Variant Variant
	// K is the number of refinement steps: those unrolled in end-to-end
	// training, and those a decision takes when its budget does not set
	// Iterations; 0 means DefaultK.
	K int
	// Eta is the refinement step size (required; below 2/L for an
	// objective whose gradient is L-Lipschitz, for the steps to descend).
	Eta float64
	// Encoder configures the encoder and its training. EndToEnd needs
	// its objective loss (the default).
	Encoder encoder.Config
}

// Solver answers a context with the encoder's guess refined by K steps
// of gradient descent. It uses its encoder's tape, so it is not safe for
// concurrent use.
type Solver struct {
	t       task.Task
	enc     *encoder.Encoder
	variant Variant
	k       int
	eta     float64
}

// Train trains the encoder of a semi-amortized solver for t as cfg says.
func Train(ctx context.Context, t task.Task, cfg Config) (*Solver, error) {
	if cfg.K == 0 {
		cfg.K = DefaultK
	}
	var errs []error
	if cfg.Variant != WarmStart && cfg.Variant != EndToEnd {
		errs = append(errs, fmt.Errorf("field Variant=%d: want WarmStart or EndToEnd", int(cfg.Variant)))
	}
	if cfg.K < 0 {
		errs = append(errs, fmt.Errorf("field K=%d: want ≥ 1 steps", cfg.K))
	}
	if !(cfg.Eta > 0) || math.IsInf(cfg.Eta, 0) {
		errs = append(errs, fmt.Errorf("field Eta=%v: want a finite step size > 0", cfg.Eta))
	}
	if cfg.Variant == EndToEnd && cfg.Encoder.Loss != encoder.ObjectiveLoss {
		errs = append(errs, fmt.Errorf("field Encoder.Loss=%v: end-to-end training needs the objective loss", cfg.Encoder.Loss))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("semiamortized config: %w", errors.Join(errs...))
	}
	target := t
	if cfg.Variant == EndToEnd {
		target = Unrolled{Base: t, K: cfg.K, Eta: cfg.Eta}
	}
	enc, err := encoder.Train(ctx, target, cfg.Encoder)
	if err != nil {
		return nil, err
	}
	return &Solver{t: t, enc: enc, variant: cfg.Variant, k: cfg.K, eta: cfg.Eta}, nil
}

// New returns a solver that refines the answers of an already trained
// encoder with k steps of size eta on t. An encoder trained on an
// Unrolled task of t makes an EndToEnd solver, one trained on t itself a
// WarmStart one.
func New(t task.Task, enc *encoder.Encoder, k int, eta float64) (*Solver, error) {
	if k < 1 {
		return nil, fmt.Errorf("semiamortized: K=%d: want ≥ 1 steps", k)
	}
	if !(eta > 0) || math.IsInf(eta, 0) {
		return nil, fmt.Errorf("semiamortized: Eta=%v: want a finite step size > 0", eta)
	}
	v := WarmStart
	switch et := enc.Task().(type) {
	case Unrolled:
		if et.Base.Name() != t.Name() {
			return nil, fmt.Errorf("semiamortized: encoder trained for %s, not for %s", et.Name(), t.Name())
		}
		v = EndToEnd
	default:
		if et.Name() != t.Name() {
			return nil, fmt.Errorf("semiamortized: encoder trained for %s, not for %s", et.Name(), t.Name())
		}
	}
	return &Solver{t: t, enc: enc, variant: v, k: k, eta: eta}, nil
}

// Encoder returns the solver's encoder.
func (s *Solver) Encoder() *encoder.Encoder { return s.enc }

// Variant returns how the solver's encoder was trained.
func (s *Solver) Variant() Variant { return s.variant }

// K returns the refinement steps of a decision whose budget does not set
// Iterations.
func (s *Solver) K() int { return s.k }

// TrainingCost is the encoder's training cost (for EndToEnd, the
// refinement steps unrolled inside each training example are part of
// its wall time, not of its Iterations, which count Adam steps).
func (s *Solver) TrainingCost() argmax.Cost { return s.enc.TrainingCost() }

// Decide answers x with the encoder's guess refined by b.Iterations
// steps (K when b does not set Iterations), stopping early at b.Time.
// Its Cost counts the encoder's forward pass and FLOPs and the
// refinement iterations; a decision whose time ran out before its steps
// were done counts as CutShort.
func (s *Solver) Decide(ctx context.Context, x []float64, b argmax.Budget) ([]float64, argmax.Cost, error) {
	start := time.Now()
	if err := b.Check(); err != nil {
		return nil, argmax.Cost{}, fmt.Errorf("semiamortized: %w", err)
	}
	y0, c, err := s.enc.Decide(ctx, x, argmax.Budget{})
	if err != nil {
		return nil, c, err
	}
	k := int64(s.k)
	if b.Iterations > 0 {
		k = b.Iterations
	}
	rb := argmax.Budget{Iterations: k}
	if b.Time > 0 {
		rb.Time = b.Time - time.Since(start)
		if rb.Time <= 0 {
			c.CutShort = 1
			return y0, c, nil
		}
	}
	r, err := gradient.Minimize(ctx, s.t, x, y0, gradient.Config{Method: gradient.GD, LR: s.eta}, rb)
	c.Iterations = r.Iterations
	if r.Iterations < k {
		c.CutShort = 1
	}
	return r.Y, c, err
}

// Curve returns the objective f(y_k; x) after each of k = 0..steps
// refinement steps from the encoder's guess for x.
func (s *Solver) Curve(ctx context.Context, x []float64, steps int) ([]float64, error) {
	if steps < 0 {
		return nil, fmt.Errorf("semiamortized: %d steps: want ≥ 0", steps)
	}
	y0, _, err := s.enc.Decide(ctx, x, argmax.Budget{})
	if err != nil {
		return nil, err
	}
	out := []float64{s.t.Objective(x, y0, nil)}
	if steps == 0 {
		return out, nil
	}
	r, err := gradient.Minimize(ctx, s.t, x, y0, gradient.Config{Method: gradient.GD, LR: s.eta, Trace: true},
		argmax.Budget{Iterations: int64(steps)})
	if err != nil {
		return nil, err
	}
	for _, p := range r.Trace[1:] {
		out = append(out, p.Objective)
	}
	return out, nil
}

// GapClosed returns, for each entry of an objective curve (as Curve
// returns), the share of the initial amortization gap that the steps so
// far have closed: (f_0 − f_k) / (f_0 − fStar), with fStar the optimal
// objective. Entries are 0 at step 0 and 1 at the optimum; a curve that
// starts at the optimum has no gap, and every share is 1.
func GapClosed(curve []float64, fStar float64) []float64 {
	out := make([]float64, len(curve))
	if len(curve) == 0 {
		return out
	}
	gap := curve[0] - fStar
	for i, f := range curve {
		if gap <= 0 {
			out[i] = 1
			continue
		}
		out[i] = (curve[0] - f) / gap
	}
	return out
}
