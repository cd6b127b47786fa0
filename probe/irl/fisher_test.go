package irl

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"argmax/direct/valueiter"
)

// slippery is a 4×4 grid whose moves go astray: the intended direction
// with probability 0.8, each perpendicular one with 0.1 (a move into the
// border stays put). Cell 15 (goal) and cell 5 (hole) end the episode.
type slippery struct{}

func (slippery) NumStates() int           { return 16 }
func (slippery) NumActions() int          { return 4 }
func (slippery) NumOutcomes(_, _ int) int { return 3 }
func (slippery) StartProb(s int) float64  { return map[bool]float64{true: 1}[s == 0] }
func (slippery) Outcome(s, a, i int) (float64, int, float64, bool) {
	dir, p := a, 0.8
	if i > 0 {
		dir, p = (a+2*i-1+4)%4, 0.1
	}
	r, c := s/4, s%4
	switch dir {
	case 0:
		r = max(r-1, 0)
	case 1:
		c = min(c+1, 3)
	case 2:
		r = min(r+1, 3)
	case 3:
		c = max(c-1, 0)
	}
	n := r*4 + c
	return p, n, 0, n == 15 || n == 5
}

// slipperyProblem samples demos from the soft policy of w, starting
// anywhere but in the terminal cells.
func slipperyProblem(t *testing.T, w []float64, demos, horizon int) *Problem {
	tab, err := valueiter.NewTable(slippery{})
	if err != nil {
		t.Fatal(err)
	}
	phi := make([]float64, 16*3)
	for s := range 16 {
		phi[s*3+2] = 1
	}
	phi[15*3], phi[5*3+1] = 1, 1
	env := Env{Table: tab, Features: phi}
	pol, err := SoftPolicy(env, w, horizon)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 2))
	p := &Problem{Features: []string{"goal", "hole", "step"}, Envs: []Env{env}, Horizon: horizon}
	draw := func(ps []float64) int {
		u := rng.Float64()
		for i, q := range ps {
			if u < q {
				return i
			}
			u -= q
		}
		return len(ps) - 1
	}
	for range demos {
		s := []int{0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14}[rng.IntN(14)]
		d := Demo{States: []int{s}}
		for step := range horizon {
			a := draw(pol[step*64+s*4 : step*64+s*4+4])
			tr := tab.Transitions(s, a)
			o := tr[draw([]float64{tr[0].Prob, tr[1].Prob, tr[2].Prob})]
			s = o.Next
			d.Actions, d.States = append(d.Actions, a), append(d.States, s)
			if o.Terminal {
				d.Terminated = true
				break
			}
		}
		p.Demos = append(p.Demos, d)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// On stochastic transitions the gradient is still exactly that of the
// dual, and the exact Fisher information is minus the derivative of the
// gradient (central differences).
func TestStochasticGradientAndFisher(t *testing.T) {
	p := slipperyProblem(t, []float64{2, -2, -0.2}, 1000, 12)
	e := newEvaluator(p)
	ds, err := e.set(nil)
	if err != nil {
		t.Fatal(err)
	}
	w := []float64{1.5, -1, -0.1}
	o, err := e.eval(ds, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	grad := o.grad()
	fish, err := e.fisher(ds, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-5
	for j := range w {
		plus, minus := slices.Clone(w), slices.Clone(w)
		plus[j] += h
		minus[j] -= h
		op, _ := e.eval(ds, plus, 1)
		om, _ := e.eval(ds, minus, 1)
		if fd := (op.dual - om.dual) / (2 * h); math.Abs(fd-grad[j]) > 1e-7*(1+math.Abs(fd)) {
			t.Errorf("∂dual/∂w%d: gradient %.10g, finite differences %.10g", j, grad[j], fd)
		}
		gp, gm := op.grad(), om.grad()
		for k := range w {
			fd := -(gp[k] - gm[k]) / (2 * h)
			if math.Abs(fd-fish[j*3+k]) > 1e-6*(1+math.Abs(fd)) {
				t.Errorf("Fisher[%d][%d] = %.10g, finite differences of the gradient %.10g", j, k, fish[j*3+k], fd)
			}
		}
	}
	if math.Abs(o.ll-o.dual) < 1e-9 {
		t.Errorf("log-likelihood %g equals the dual on stochastic transitions", o.ll)
	}
	// The fit recovers the planted direction on these transitions too.
	res, err := Fit(p, Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit %.3f: cosine %.4f; log-likelihood %.4f, dual %.4f at w", res.W, Cosine(res.W, []float64{2, -2, -0.2}), o.ll, o.dual)
	if !res.Converged || Cosine(res.W, []float64{2, -2, -0.2}) < 0.97 {
		t.Errorf("fit %v (converged %v), planted [2 -2 -0.2]", res.W, res.Converged)
	}
}
