package sphere

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/task"
)

var configs = []struct {
	name string
	cfg  Config
}{
	{"tutorial", DefaultConfig()},
	{"n5-m3-sharp", Config{Dim: 5, Components: 3, Gamma: 0.1, Alpha: 1}},
	{"n2-m6", Config{Dim: 2, Components: 6, Gamma: 0.3, Alpha: 0.5}},
	{"n3-m12-wide", Config{Dim: 3, Components: 12, Gamma: 1, Alpha: 2}},
}

var splits = []task.Split{task.Train, task.HeldOut, task.Shifted}

func mustNew(t testing.TB, cfg Config) *Sphere {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := DefaultConfig()
	for _, tc := range []struct {
		field string
		edit  func(*Config)
	}{
		{"Dim", func(c *Config) { c.Dim = 1 }},
		{"Dim", func(c *Config) { c.Dim = 0 }},
		{"Components", func(c *Config) { c.Components = 0 }},
		{"Gamma", func(c *Config) { c.Gamma = 0 }},
		{"Gamma", func(c *Config) { c.Gamma = -1 }},
		{"Gamma", func(c *Config) { c.Gamma = math.NaN() }},
		{"Gamma", func(c *Config) { c.Gamma = math.Inf(1) }},
		{"Alpha", func(c *Config) { c.Alpha = -0.1 }},
		{"Alpha", func(c *Config) { c.Alpha = math.NaN() }},
	} {
		cfg := good
		tc.edit(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("New(%+v) error = %v, want one naming %s", cfg, err, tc.field)
		}
	}
	if _, err := New(good); err != nil {
		t.Errorf("New(DefaultConfig()) = %v", err)
	}
}

// TestObjectiveKnownValues checks f against values computed by hand.
func TestObjectiveKnownValues(t *testing.T) {
	s := mustNew(t, Config{Dim: 3, Components: 2, Gamma: 0.5, Alpha: 1})
	// z1 = e1, z2 = e2, α = (0, 0.25).
	x := []float64{1, 0, 0, 0, 1, 0, 0, 0.25}
	q := math.Pi * math.Pi / 8 // ½ (π/2)²
	softmin := func(a, b float64) float64 {
		return -0.5 * math.Log(math.Exp(-a/0.5)+math.Exp(-b/0.5))
	}
	diag := []float64{1, 1, 0} // π(diag) is at π/4 from both centres
	r := math.Pi * math.Pi / 32
	for _, tc := range []struct {
		name string
		y    []float64
		want float64
	}{
		{"at z1", []float64{1, 0, 0}, softmin(0, q+0.25)},
		{"at z1, scaled", []float64{7, 0, 0}, softmin(0, q+0.25)},
		{"at z2", []float64{0, 0.1, 0}, softmin(q, 0.25)},
		{"pole", []float64{0, 0, -2}, softmin(q, q+0.25)},
		{"between", diag, softmin(r, r+0.25)},
		{"antipode of z1", []float64{-1, 0, 0}, softmin(math.Pi*math.Pi/2, q+0.25)},
	} {
		if got := s.Objective(x, tc.y, nil); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s: f = %.17g, want %.17g", tc.name, got, tc.want)
		}
	}
	if got := s.Objective(x, []float64{0, 0, 0}, nil); !math.IsNaN(got) {
		t.Errorf("f(0) = %v, want NaN", got)
	}
}

// TestGradientFiniteDifferences checks the gradient through the projection
// against central differences of f(π(y)) at random y of random norms.
func TestGradientFiniteDifferences(t *testing.T) {
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			s := mustNew(t, c.cfg)
			n := c.cfg.Dim
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, s.ContextDim())
			y, g := make([]float64, n), make([]float64, n)
			yp := make([]float64, n)
			var worst float64
			for trial := range 40 {
				s.Context(splits[trial%3], 11, trial, x)
				rad := 0.2 + 3*r.Float64()
				for k := range y {
					y[k] = rad * r.NormFloat64()
				}
				s.Objective(x, y, g)
				var radial float64
				for k := range n {
					radial += g[k] * y[k]
				}
				if math.Abs(radial) > 1e-12*norm(g)*norm(y)+1e-15 {
					t.Errorf("gradient not orthogonal to y: yᵀg = %v", radial)
				}
				const h = 1e-6
				for k := range n {
					copy(yp, y)
					yp[k] = y[k] + h
					fp := s.Objective(x, yp, nil)
					yp[k] = y[k] - h
					fm := s.Objective(x, yp, nil)
					fd := (fp - fm) / (2 * h)
					err := math.Abs(fd-g[k]) / (1 + math.Abs(g[k]))
					worst = max(worst, err)
					if err > 1e-6 {
						t.Errorf("trial %d: ∂f/∂y[%d] = %.10g, central difference %.10g", trial, k, g[k], fd)
					}
				}
			}
			t.Logf("worst relative gradient error %.2g", worst)
		})
	}
}

// TestSolveBeatsDenseSamples checks the reference solution: a unit vector,
// a stationary point (Riemannian gradient ≈ 0), and lower than every one of
// 20000 uniform samples of the sphere and 2000 local perturbations of it.
func TestSolveBeatsDenseSamples(t *testing.T) {
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			s := mustNew(t, c.cfg)
			n := c.cfg.Dim
			r := rand.New(rand.NewPCG(3, 4))
			x := make([]float64, s.ContextDim())
			star, g, u := make([]float64, n), make([]float64, n), make([]float64, n)
			for _, split := range splits {
				for i := range 4 {
					s.Context(split, 5, i, x)
					fstar := s.Solve(x, star)
					if got := s.Objective(x, star, g); got != fstar {
						t.Errorf("%v %d: Solve returned %v, f(y*) = %v", split, i, fstar, got)
					}
					if d := math.Abs(norm(star) - 1); d > 1e-15 {
						t.Errorf("%v %d: ‖y*‖ − 1 = %v", split, i, d)
					}
					if gn := norm(g); gn > 1e-12 {
						t.Errorf("%v %d: ‖∇f(y*)‖ = %v, want ≈ 0", split, i, gn)
					}
					for j := range 20000 {
						if j < 18000 {
							uniformOnSphere(r, u)
						} else {
							step := math.Pow(10, -1-4*r.Float64())
							for k := range u {
								u[k] = star[k] + step*r.NormFloat64()
							}
						}
						if f := s.Objective(x, u, nil); f < fstar-1e-14 {
							t.Fatalf("%v %d: sample %v has f = %.17g < f* = %.17g", split, i, u, f, fstar)
						}
					}
				}
			}
		})
	}
}

// TestSolveSingleComponent checks Solve against the closed form of m = 1:
// f = ½ d(u, z)² + α is least at z, where it is α.
func TestSolveSingleComponent(t *testing.T) {
	s := mustNew(t, Config{Dim: 4, Components: 1, Gamma: 0.5, Alpha: 1})
	x := make([]float64, s.ContextDim())
	star := make([]float64, 4)
	for i := range 10 {
		s.Context(task.Train, 9, i, x)
		f := s.Solve(x, star)
		if math.Abs(f-x[4]) > 1e-15 {
			t.Errorf("f* = %v, want α = %v", f, x[4])
		}
		for k := range 4 {
			if math.Abs(star[k]-x[k]) > 1e-12 {
				t.Errorf("y* = %v, want z = %v", star, x[:4])
				break
			}
		}
	}
}

func TestContextsDeterministicAndSplit(t *testing.T) {
	cfg := DefaultConfig()
	s := mustNew(t, cfg)
	n, m := cfg.Dim, cfg.Components
	get := func(split task.Split, seed uint64, i int) []float64 {
		x := make([]float64, s.ContextDim())
		s.Context(split, seed, i, x)
		return x
	}
	same := func(a, b []float64) bool {
		for k := range a {
			if a[k] != b[k] {
				return false
			}
		}
		return true
	}
	seen := map[float64]bool{}
	for _, split := range splits {
		for i := range 50 {
			x := get(split, 7, i)
			if !same(x, get(split, 7, i)) {
				t.Fatalf("%v %d: two calls differ", split, i)
			}
			if seen[x[0]] {
				t.Errorf("%v %d: first coordinate %v repeats another context's", split, i, x[0])
			}
			seen[x[0]] = true
			for j := range m {
				if d := math.Abs(norm(x[j*n:(j+1)*n]) - 1); d > 1e-15 {
					t.Errorf("‖z_%d‖ − 1 = %v", j, d)
				}
				lo, hi := 0.0, cfg.Alpha
				if split == task.Shifted {
					lo, hi = cfg.Alpha, 3*cfg.Alpha
				}
				if a := x[m*n+j]; a < lo || a >= hi {
					t.Errorf("%v: α_%d = %v, want in [%v, %v)", split, j, a, lo, hi)
				}
			}
		}
	}
	if same(get(task.Train, 1, 0), get(task.Train, 2, 0)) {
		t.Error("seeds 1 and 2 give the same context")
	}
}

func TestSolveDeterministic(t *testing.T) {
	s := mustNew(t, DefaultConfig())
	x := make([]float64, s.ContextDim())
	s.Context(task.HeldOut, 3, 8, x)
	a, b := make([]float64, 3), make([]float64, 3)
	fa, fb := s.Solve(x, a), mustNew(t, DefaultConfig()).Solve(x, b)
	if fa != fb || a[0] != b[0] || a[1] != b[1] || a[2] != b[2] {
		t.Errorf("two solves differ: %v %v vs %v %v", fa, a, fb, b)
	}
}

func BenchmarkSolve(b *testing.B) {
	s := mustNew(b, DefaultConfig())
	x := make([]float64, s.ContextDim())
	star := make([]float64, 3)
	for i := 0; b.Loop(); i++ {
		s.Context(task.Train, 1, i, x)
		s.Solve(x, star)
	}
}
