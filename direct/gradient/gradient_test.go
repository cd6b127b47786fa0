package gradient

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/task"
)

func TestConvergesToExactSolution(t *testing.T) {
	q := newQuad(3, 4, 1)
	x := []float64{0.7, -1.2, 0.4}
	star := make([]float64, 4)
	q.Solve(x, star)
	for _, tc := range []struct {
		name    string
		cfg     Config
		maxDist float64
	}{
		{"gd", Config{Method: GD, LR: 1 / q.LMax(), Tol: 1e-10}, 1e-8},
		{"adam", Config{Method: Adam, LR: 0.02, Tol: 1e-10}, 1e-6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Minimize(context.Background(), q, x, nil, tc.cfg, argmax.Budget{Iterations: 20000})
			if err != nil {
				t.Fatal(err)
			}
			if d := dist(r.Y, star); d > tc.maxDist || !r.Converged {
				t.Errorf("‖y − y*‖ = %.3g after %d iterations (converged %v), want ≤ %g", d, r.Iterations, r.Converged, tc.maxDist)
			}
			if got := q.Objective(x, r.Y, nil); got != r.Objective {
				t.Errorf("Result.Objective = %v, f(Y) = %v", r.Objective, got)
			}
		})
	}
}

func TestIterationBudgetIsExact(t *testing.T) {
	q := newQuad(3, 4, 2)
	x := []float64{1, 2, 3}
	for _, tc := range []struct {
		name   string
		cfg    Config
		b      argmax.Budget
		wantIt int64
	}{
		{"caller", Config{Trace: true}, argmax.Budget{Iterations: 37}, 37},
		{"config", Config{Trace: true, Budget: argmax.Budget{Iterations: 5}}, argmax.Budget{}, 5},
		{"caller over config", Config{Trace: true, Budget: argmax.Budget{Iterations: 5}}, argmax.Budget{Iterations: 9}, 9},
		{"default", Config{Trace: true}, argmax.Budget{}, DefaultIterations},
		{"limits that do not apply", Config{Method: Adam, Trace: true}, argmax.Budget{Simulations: 3}, DefaultIterations},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(q, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, c, err := s.Decide(context.Background(), x, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Minimize(context.Background(), q, x, nil, tc.cfg, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if c.Iterations != tc.wantIt || r.Iterations != tc.wantIt || len(r.Trace) != int(tc.wantIt)+1 {
				t.Errorf("Cost.Iterations %d, Result.Iterations %d, %d trace points; want %d, %d, %d",
					c.Iterations, r.Iterations, len(r.Trace), tc.wantIt, tc.wantIt, tc.wantIt+1)
			}
			for k, p := range r.Trace {
				if p.Iteration != int64(k) {
					t.Fatalf("Trace[%d].Iteration = %d", k, p.Iteration)
				}
			}
		})
	}
}

func TestTimeBudgetStops(t *testing.T) {
	s := slow{newQuad(2, 2, 3), 200 * time.Microsecond}
	start := time.Now()
	r, err := Minimize(context.Background(), s, []float64{1, 1}, nil, Config{LR: 1e-6}, argmax.Budget{Time: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 500*time.Millisecond || r.Iterations < 1 || r.Iterations >= 20*time.Millisecond.Microseconds()/200+1 {
		t.Errorf("time budget 20ms: %d iterations in %v", r.Iterations, el)
	}
	if r.Elapsed < 20*time.Millisecond {
		t.Errorf("stopped after %v, before the 20ms budget", r.Elapsed)
	}
}

func TestGDTraceMonotoneOnConvexQuadratic(t *testing.T) {
	q := newQuad(4, 6, 4)
	x := []float64{0.3, -2, 1, 0.5}
	r, err := Minimize(context.Background(), q, x, nil, Config{LR: 0.5 / q.LMax(), Trace: true}, argmax.Budget{Iterations: 300})
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(r.Trace); k++ {
		if r.Trace[k].Objective > r.Trace[k-1].Objective {
			t.Fatalf("f rose from %v to %v at iteration %d", r.Trace[k-1].Objective, r.Trace[k].Objective, k)
		}
		if r.Trace[k].Elapsed < r.Trace[k-1].Elapsed {
			t.Fatalf("elapsed went back at iteration %d", k)
		}
	}
	if first, last := r.Trace[0].Objective, r.Trace[len(r.Trace)-1].Objective; last > 1e-6*first {
		t.Errorf("f went from %v to only %v in 300 iterations", first, last)
	}
}

func TestReach(t *testing.T) {
	tr := Trace{{0, 5, 0}, {1, 3, 10}, {2, 1, 20}, {3, 1.5, 30}, {4, 0.5, 40}}
	for _, tc := range []struct {
		target float64
		it     int64
		el     time.Duration
		ok     bool
	}{
		{6, 0, 0, true}, {3, 1, 10, true}, {1.2, 2, 20, true}, {0.5, 4, 40, true}, {0.4, 0, 0, false},
	} {
		p, ok := tr.Reach(tc.target)
		el, ok2 := tr.TimeToReach(tc.target)
		if ok != tc.ok || ok2 != tc.ok || p.Iteration != tc.it || el != tc.el {
			t.Errorf("Reach(%v) = %+v, %v; TimeToReach = %v, %v; want iteration %d, %v, %v", tc.target, p, ok, el, ok2, tc.it, tc.el, tc.ok)
		}
	}
}

func TestWarmStartAndCutShort(t *testing.T) {
	q := newQuad(3, 3, 5)
	x := []float64{1, -1, 2}
	star := make([]float64, 3)
	q.Solve(x, star)
	s, err := New(q, Config{Tol: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	y, c, err := s.DecideFrom(context.Background(), x, star, argmax.Budget{Iterations: 10})
	if err != nil || c.Iterations != 0 || c.CutShort != 0 || dist(y, star) != 0 {
		t.Errorf("from y*: %v, %+v, %v; want y*, no iterations, not cut short", y, c, err)
	}
	_, c, err = s.Decide(context.Background(), x, argmax.Budget{Iterations: 2})
	if err != nil || c.Iterations != 2 || c.CutShort != 1 {
		t.Errorf("from Init with 2 iterations: %+v, %v; want 2 iterations, cut short", c, err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Minimize(ctx, newQuad(2, 2, 6), []float64{1, 2}, nil, Config{}, argmax.Budget{})
	if !errors.Is(err, context.Canceled) || r.Iterations != 0 {
		t.Errorf("cancelled: %d iterations, %v", r.Iterations, err)
	}
}

func TestBadInput(t *testing.T) {
	q := newQuad(2, 3, 7)
	x := []float64{1, 2}
	for _, tc := range []struct {
		name string
		cfg  Config
		x    []float64
		y0   []float64
		b    argmax.Budget
		want string
	}{
		{"method", Config{Method: 7}, x, nil, argmax.Budget{}, "method 7"},
		{"lr", Config{LR: -1}, x, nil, argmax.Budget{}, "LR=-1"},
		{"lr inf", Config{LR: math.Inf(1)}, x, nil, argmax.Budget{}, "LR=+Inf"},
		{"beta1", Config{Method: Adam, Beta1: 1}, x, nil, argmax.Budget{}, "Beta1=1"},
		{"beta2", Config{Method: Adam, Beta2: -0.5}, x, nil, argmax.Budget{}, "Beta2=-0.5"},
		{"eps", Config{Method: Adam, Eps: math.NaN()}, x, nil, argmax.Budget{}, "Eps=NaN"},
		{"tol", Config{Tol: -1}, x, nil, argmax.Budget{}, "Tol=-1"},
		{"config budget", Config{Budget: argmax.Budget{Iterations: -1}}, x, nil, argmax.Budget{}, "Budget"},
		{"budget", Config{}, x, nil, argmax.Budget{Time: -1}, "negative limit"},
		{"context", Config{}, []float64{1}, nil, argmax.Budget{}, "context of length 1, want 2"},
		{"start", Config{}, x, []float64{1}, argmax.Budget{}, "start point of length 1, want 3"},
		{"diverges", Config{LR: 100}, x, nil, argmax.Budget{Iterations: 10000}, "diverged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Minimize(context.Background(), q, tc.x, tc.y0, tc.cfg, tc.b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := New(q, Config{LR: -1}); err == nil || !strings.Contains(err.Error(), "LR") {
		t.Errorf("New with LR=-1: %v", err)
	}
	for _, name := range []string{"gd", "adam"} {
		if m, err := ParseMethod(name); err != nil || m.String() != name {
			t.Errorf("ParseMethod(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := ParseMethod("newton"); err == nil {
		t.Error("ParseMethod accepted newton")
	}
}

func TestDeterministic(t *testing.T) {
	q := newQuad(3, 5, 8)
	x := make([]float64, 3)
	q.Context(task.HeldOut, 9, 0, x)
	run := func() []float64 {
		r, err := Minimize(context.Background(), q, x, nil, Config{Method: Adam, LR: 0.05}, argmax.Budget{Iterations: 200})
		if err != nil {
			t.Fatal(err)
		}
		return r.Y
	}
	a, b := run(), run()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("run 1 y[%d] = %v, run 2 %v", i, a[i], b[i])
		}
	}
}
