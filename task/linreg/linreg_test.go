package linreg

import (
	"math"
	"slices"
	"strings"
	"testing"

	"argmax/task"
)

func mustNew(t testing.TB, c Config) *Task {
	t.Helper()
	tk, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

func TestConfigErrorsNameTheField(t *testing.T) {
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{D: -1}, "Config.D"},
		{Config{N: -3}, "Config.N"},
		{Config{Noise: -0.1}, "Config.Noise"},
		{Config{Noise: math.NaN()}, "Config.Noise"},
		{Config{Ridge: -1}, "Config.Ridge"},
		{Config{Tasks: -2}, "Config.Tasks"},
		{Config{ShiftScale: -1}, "Config.ShiftScale"},
	} {
		_, err := New(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("New(%+v) = %v; want an error naming %s", c.cfg, err, c.field)
		}
	}
	tk := mustNew(t, Config{})
	if c := tk.Config(); c.D != 10 || c.N != 20 || c.ShiftScale != 2 {
		t.Errorf("defaults %+v", c)
	}
	if got, want := tk.Name(), "linreg:d=10,n=20,noise=0,ridge=0,tasks=0"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
}

func TestPromptsDeterministicAndSplitsDisjoint(t *testing.T) {
	tk := mustNew(t, Config{D: 3, N: 5, Noise: 0.1})
	a, b := tk.Prompt(task.Train, 7, 2), tk.Prompt(task.Train, 7, 2)
	if !slices.Equal(a.X, b.X) || a.Yq != b.Yq || !slices.Equal(a.W, b.W) {
		t.Error("same (split, seed, i) gave different prompts")
	}
	c := tk.Prompt(task.HeldOut, 7, 2)
	if slices.Equal(a.X, c.X) {
		t.Error("train and held-out share a prompt")
	}
	x := make([]float64, tk.ContextDim())
	tk.Context(task.Train, 7, 2, x)
	if x[3] != a.Y[0] || x[4] != a.X[3] || x[len(x)-1] != a.Xq[2] {
		t.Errorf("context layout %v does not match prompt %+v", x, a)
	}
	tok := a.Tokens(nil)
	if len(tok) != 6*4 || tok[3] != a.Y[0] || tok[20] != a.Xq[0] || tok[23] != 0 {
		t.Errorf("tokens %v", tok)
	}
	if r := a.Y[1] - dot(a.W, a.X[3:6]); math.Abs(r) > 0.6 {
		t.Errorf("y − wᵀx = %v, want noise of σ = 0.1", r)
	}
}

func TestPoolOnlyInTrainAndShiftScale(t *testing.T) {
	tk := mustNew(t, Config{D: 4, N: 8, Tasks: 3, PoolSeed: 5})
	pool := tk.Pool()
	if len(pool) != 3 {
		t.Fatalf("pool of %d", len(pool))
	}
	in := func(w []float64) bool {
		for _, v := range pool {
			if slices.Equal(v, w) {
				return true
			}
		}
		return false
	}
	seen := map[float64]bool{}
	for i := range 40 {
		p := tk.Prompt(task.Train, 1, i)
		if !in(p.W) {
			t.Fatalf("train prompt %d has w outside the pool", i)
		}
		seen[p.W[0]] = true
		if in(tk.Prompt(task.HeldOut, 1, i).W) {
			t.Fatalf("held-out prompt %d draws from the pool", i)
		}
	}
	if len(seen) != 3 {
		t.Errorf("40 train prompts used %d of 3 pool vectors", len(seen))
	}
	var s2 float64
	const m = 400
	for i := range m {
		p := tk.Prompt(task.Shifted, 1, i)
		s2 += dot(p.Xq, p.Xq) / 4
	}
	if v := s2 / m; !near(v, 4, 0.1) {
		t.Errorf("shifted E[x²] = %v, want 4 (scale 2)", v)
	}
}

func TestLeastSquaresAndRidgeByHand(t *testing.T) {
	// X = [[1, 1], [1, −1]], y = (3, 1): XᵀX = 2I, Xᵀy = (4, 2).
	p := &Prompt{D: 2, N: 2, X: []float64{1, 1, 1, -1}, Y: []float64{3, 1}, Xq: []float64{1, 0}}
	for _, c := range []struct {
		lambda float64
		want   []float64
	}{
		{0, []float64{2, 1}},           // exact fit
		{1, []float64{4. / 3, 2. / 3}}, // (2+1)w = (4, 2)
		{2, []float64{1, 0.5}},
	} {
		got := Ridge(p, c.lambda)
		for j := range got {
			if !near(got[j], c.want[j], 1e-12) {
				t.Errorf("Ridge(λ=%v) = %v, want %v", c.lambda, got, c.want)
			}
		}
	}
	// Underdetermined: one example x = (1, 1), y = 2: the minimum-norm
	// solution is (1, 1).
	u := &Prompt{D: 2, N: 1, X: []float64{1, 1}, Y: []float64{2}}
	if got := LeastSquares(u); !near(got[0], 1, 1e-12) || !near(got[1], 1, 1e-12) {
		t.Errorf("min-norm LS = %v, want [1 1]", got)
	}
}

func TestNormalEquations(t *testing.T) {
	tk := mustNew(t, Config{D: 6, N: 15, Noise: 0.3, Ridge: 0.7})
	for i := range 5 {
		p := tk.Prompt(task.HeldOut, 3, i)
		for _, lam := range []float64{0, 0.7} {
			w := Ridge(&p, lam)
			// Xᵀ(Xw − y) + λw = 0
			g := make([]float64, p.D)
			for k := 0; k < p.N; k++ {
				xk := p.X[k*p.D : (k+1)*p.D]
				axpy(g, dot(w, xk)-p.Y[k], xk)
			}
			axpy(g, lam, w)
			for j, v := range g {
				if math.Abs(v) > 1e-10 {
					t.Errorf("prompt %d λ=%v: normal equations residual[%d] = %v", i, lam, j, v)
				}
			}
		}
	}
}

func TestObjectiveSolveHessVec(t *testing.T) {
	tk := mustNew(t, Config{D: 5, N: 12, Noise: 0.2, Ridge: 0.4})
	x := make([]float64, tk.ContextDim())
	tk.Context(task.HeldOut, 9, 0, x)
	star := make([]float64, 5)
	fstar := tk.Solve(x, star)
	g := make([]float64, 5)
	tk.Objective(x, star, g)
	for j, v := range g {
		if math.Abs(v) > 1e-12 {
			t.Errorf("∇f(y*)[%d] = %v, want 0", j, v)
		}
	}
	y := []float64{0.3, -1, 2, 0.5, 0}
	if gap, ok := task.Gap(tk, x, y); !ok || gap <= 0 {
		t.Errorf("Gap = %v, %v", gap, ok)
	}
	// Gradient against central differences.
	f := tk.Objective(x, y, g)
	for j := range y {
		yp, ym := slices.Clone(y), slices.Clone(y)
		yp[j] += 1e-6
		ym[j] -= 1e-6
		fd := (tk.Objective(x, yp, nil) - tk.Objective(x, ym, nil)) / 2e-6
		if !near(g[j], fd, 1e-6) {
			t.Errorf("∂f/∂y[%d] = %v, differences %v", j, g[j], fd)
		}
	}
	// The quadratic's Taylor expansion is exact: f(y) = f* + ½(y−y*)ᵀH(y−y*).
	v := make([]float64, 5)
	for j := range v {
		v[j] = y[j] - star[j]
	}
	hv, hfd := make([]float64, 5), make([]float64, 5)
	tk.HessVec(x, y, v, hv)
	// Wrapped, the task hides its exact Hessian: task.HessVec differences.
	task.HessVec(struct{ task.Task }{tk}, x, y, v, hfd)
	for j := range hv {
		if !near(hv[j], hfd[j], 1e-5) {
			t.Errorf("Hv[%d] = %v, differences %v", j, hv[j], hfd[j])
		}
	}
	if q := fstar + dot(v, hv)/2; !near(f, q, 1e-10) {
		t.Errorf("f(y) = %v, f* + ½vᵀHv = %v", f, q)
	}
}

func TestGD(t *testing.T) {
	tk := mustNew(t, Config{D: 4, N: 30})
	p := tk.Prompt(task.HeldOut, 1, 0)
	w1 := GD(&p, 1, 0.5)
	want := make([]float64, 4)
	for k := 0; k < p.N; k++ {
		axpy(want, 0.5*p.Y[k]/float64(p.N), p.X[k*4:(k+1)*4])
	}
	for j := range w1 {
		if !near(w1[j], want[j], 1e-12) {
			t.Errorf("one GD step %v, want (η/n)Xᵀy = %v", w1, want)
		}
	}
	// Many steps converge to least squares (here the true w: no noise).
	w := GD(&p, 400, 0.3)
	for j := range w {
		if !near(w[j], p.W[j], 1e-6) {
			t.Errorf("400 GD steps %v, want w = %v", w, p.W)
		}
	}
}

// For isotropic Gaussian x and w, the expected query loss of one GD step
// η·(1/n)Xᵀy is minimized at η* = n/(n + d + 1 + σ²).
func TestTunedEtaClosedForm(t *testing.T) {
	for _, c := range []Config{{D: 10, N: 20}, {D: 10, N: 10, Noise: 0.5}, {D: 5, N: 40}} {
		tk := mustNew(t, c)
		ps := tk.Prompts(task.Train, 11, 0, 4000)
		eta, err := TuneGD(ps, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := float64(c.N) / float64(c.N+c.D+1) / (1 + c.Noise*c.Noise/float64(c.N+c.D+1))
		if math.Abs(eta-want) > 0.04*want {
			t.Errorf("%s: tuned η = %.4f, closed form %.4f", tk.Name(), eta, want)
		}
		t.Logf("%s: tuned η = %.4f, closed form n/(n+d+1+σ²) = %.4f", tk.Name(), eta, want)
	}
}

func TestTuneGDMultiStep(t *testing.T) {
	tk := mustNew(t, Config{D: 10, N: 20})
	ps := tk.Prompts(task.Train, 2, 0, 300)
	e1, _ := TuneGD(ps, 1)
	e3, err := TuneGD(ps, 3)
	if err != nil {
		t.Fatal(err)
	}
	l1, l3 := GDQueryLoss(ps, 1, e1), GDQueryLoss(ps, 3, e3)
	if !(l3 < l1) {
		t.Errorf("3 tuned steps lose %v, one tuned step %v", l3, l1)
	}
	for _, de := range []float64{-0.01, 0.01} {
		if l := GDQueryLoss(ps, 3, e3+de); l < l3 {
			t.Errorf("η = %v + %v loses %v < %v at the tuned η", e3, de, l, l3)
		}
	}
	if _, err := TuneGD(nil, 1); err == nil {
		t.Error("TuneGD of no prompts: no error")
	}
	if _, err := TuneGD(ps, 0); err == nil || !strings.Contains(err.Error(), "k = 0") {
		t.Errorf("TuneGD k=0: %v", err)
	}
}

func TestDMMSE(t *testing.T) {
	tk := mustNew(t, Config{D: 5, N: 10, Noise: 0.5, Tasks: 1, PoolSeed: 3})
	p := tk.Prompt(task.HeldOut, 1, 0)
	if got := DMMSE(&p, tk.Pool(), 0.5); !slices.Equal(got, tk.Pool()[0]) {
		t.Errorf("dMMSE with M = 1 = %v, want the pool vector %v", got, tk.Pool()[0])
	}
	tk16 := mustNew(t, Config{D: 5, N: 10, Tasks: 16, PoolSeed: 3})
	for i := range 10 {
		p := tk16.Prompt(task.Train, 4, i)
		if got := DMMSE(&p, tk16.Pool(), 0); !slices.Equal(got, p.W) {
			t.Errorf("noise-free dMMSE on a pool prompt = %v, want its w %v", got, p.W)
		}
	}
	// A huge σ makes the posterior the prior: the pool mean.
	mean := make([]float64, 5)
	for _, w := range tk16.Pool() {
		axpy(mean, 1.0/16, w)
	}
	got := DMMSE(&p, tk16.Pool(), 1e6)
	for j := range got {
		if !near(got[j], mean[j], 1e-6) {
			t.Errorf("dMMSE at σ→∞ = %v, want the pool mean %v", got, mean)
		}
	}
}
