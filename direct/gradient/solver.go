package gradient

import (
	"context"

	"argmax"
	"argmax/task"
)

// Solver is a direct optimizer as an argmax.Decider from contexts to
// solutions: every decision runs Minimize on its context. It keeps no
// state between decisions and is safe for concurrent use.
type Solver struct {
	t   task.Task
	cfg Config
}

// New returns a Solver for t, after checking cfg.
func New(t task.Task, cfg Config) (*Solver, error) {
	if _, err := cfg.withDefaults(); err != nil {
		return nil, err
	}
	return &Solver{t: t, cfg: cfg}, nil
}

// Task returns the task the solver minimizes.
func (s *Solver) Task() task.Task { return s.t }

// Decide minimizes the objective for context x from t.Init(x).
func (s *Solver) Decide(ctx context.Context, x []float64, b argmax.Budget) ([]float64, argmax.Cost, error) {
	return s.DecideFrom(ctx, x, nil, b)
}

// DecideFrom minimizes the objective for context x from the warm start
// y0 (nil means t.Init(x)). Its Cost counts the iterations, and the
// decision as CutShort when Config.Tol is set and the budget ran out
// before the gradient norm reached it.
func (s *Solver) DecideFrom(ctx context.Context, x, y0 []float64, b argmax.Budget) ([]float64, argmax.Cost, error) {
	r, err := Minimize(ctx, s.t, x, y0, s.cfg, b)
	c := argmax.Cost{Iterations: r.Iterations}
	if s.cfg.Tol > 0 && !r.Converged {
		c.CutShort = 1
	}
	return r.Y, c, err
}
