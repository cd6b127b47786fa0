package gradient

import (
	"context"
	"fmt"
	"math"
	"time"

	"argmax"
	"argmax/task"
)

// Point is one entry of a Trace: the objective after Iteration iterations
// and the wall time elapsed since the start of Minimize when it was
// evaluated.
type Point struct {
	Iteration int64
	Objective float64
	Elapsed   time.Duration
}

// Trace is the objective along an iteration: Trace[0] is the starting
// point (iteration 0), Trace[k] the point after k iterations.
type Trace []Point

// Reach returns the first point whose objective is at most target, and
// false when the trace never gets there. Its Elapsed is the wall clock
// the optimizer needed to reach target, its Iteration the iterations.
func (tr Trace) Reach(target float64) (Point, bool) {
	for _, p := range tr {
		if p.Objective <= target {
			return p, true
		}
	}
	return Point{}, false
}

// TimeToReach is the Elapsed of Reach(target): the wall clock the
// optimizer needed to bring the objective to target or below, and false
// when it never did.
func (tr Trace) TimeToReach(target float64) (time.Duration, bool) {
	p, ok := tr.Reach(target)
	return p.Elapsed, ok
}

// Result is the outcome of Minimize.
type Result struct {
	Y          []float64     // the last iterate
	Objective  float64       // f(Y; x)
	GradNorm   float64       // ‖∇f(Y; x)‖
	Iterations int64         // updates applied
	Converged  bool          // stopped because GradNorm ≤ Config.Tol
	Elapsed    time.Duration // wall time of the whole call
	Trace      Trace         // when Config.Trace: Iterations+1 points
}

// Minimize minimizes t's objective for the context x from y0 (nil means
// t.Init(x)) with the method of cfg, until the gradient norm falls to
// cfg.Tol, the budget's Iterations or Time limit is reached, or ctx is
// cancelled. An unlimited b means cfg.Budget; a budget that limits
// neither iterations nor time (after that) means DefaultIterations. One
// iteration is one update, each followed by one evaluation of f and its
// gradient.
//
// On cancellation Minimize returns the result so far with ctx's error; an
// objective that turns NaN or infinite (a step too large) is an error
// naming the iteration. y0 is not modified.
func Minimize(ctx context.Context, t task.Task, x, y0 []float64, cfg Config, b argmax.Budget) (Result, error) {
	start := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if err := b.Check(); err != nil {
		return Result{}, fmt.Errorf("gradient: %w", err)
	}
	if b.Unlimited() {
		b = cfg.Budget
	}
	if b.Iterations == 0 && b.Time == 0 {
		b.Iterations = DefaultIterations
	}
	if len(x) != t.ContextDim() {
		return Result{}, fmt.Errorf("gradient: %s: context of length %d, want %d", t.Name(), len(x), t.ContextDim())
	}
	n := t.SolutionDim()
	y := make([]float64, n)
	if y0 == nil {
		t.Init(x, y)
	} else if len(y0) != n {
		return Result{}, fmt.Errorf("gradient: %s: start point of length %d, want %d", t.Name(), len(y0), n)
	} else {
		copy(y, y0)
	}
	g := make([]float64, n)
	var m, v []float64
	if cfg.Method == Adam {
		m, v = make([]float64, n), make([]float64, n)
	}
	r := Result{Y: y}
	r.Objective = t.Objective(x, y, g)
	r.GradNorm = norm(g)
	if cfg.Trace {
		r.Trace = Trace{{0, r.Objective, time.Since(start)}}
	}
	done := ctx.Done()
	for {
		if err := finite(t, r); err != nil {
			r.Elapsed = time.Since(start)
			return r, err
		}
		if cfg.Tol > 0 && r.GradNorm <= cfg.Tol {
			r.Converged = true
			break
		}
		if b.Iterations > 0 && r.Iterations >= b.Iterations {
			break
		}
		if b.Time > 0 && time.Since(start) >= b.Time {
			break
		}
		if done != nil {
			select {
			case <-done:
				r.Elapsed = time.Since(start)
				return r, ctx.Err()
			default:
			}
		}
		r.Iterations++
		switch cfg.Method {
		case GD:
			for i := range y {
				y[i] -= cfg.LR * g[i]
			}
		case Adam:
			adamStep(y, g, m, v, cfg, r.Iterations)
		}
		r.Objective = t.Objective(x, y, g)
		r.GradNorm = norm(g)
		if cfg.Trace {
			r.Trace = append(r.Trace, Point{r.Iterations, r.Objective, time.Since(start)})
		}
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// adamStep applies the it-th Adam update (it ≥ 1) to y.
func adamStep(y, g, m, v []float64, cfg Config, it int64) {
	c1 := 1 - math.Pow(cfg.Beta1, float64(it))
	c2 := 1 - math.Pow(cfg.Beta2, float64(it))
	for i := range y {
		m[i] = cfg.Beta1*m[i] + (1-cfg.Beta1)*g[i]
		v[i] = cfg.Beta2*v[i] + (1-cfg.Beta2)*g[i]*g[i]
		y[i] -= cfg.LR * (m[i] / c1) / (math.Sqrt(v[i]/c2) + cfg.Eps)
	}
}

// finite reports an error when the current objective or gradient is not
// finite.
func finite(t task.Task, r Result) error {
	if math.IsNaN(r.Objective) || math.IsInf(r.Objective, 0) || math.IsNaN(r.GradNorm) || math.IsInf(r.GradNorm, 0) {
		return fmt.Errorf("gradient: %s: objective %v, gradient norm %v after %d iterations: diverged (lower the learning rate)",
			t.Name(), r.Objective, r.GradNorm, r.Iterations)
	}
	return nil
}

func norm(g []float64) float64 {
	var s float64
	for _, v := range g {
		s += v * v
	}
	return math.Sqrt(s)
}
