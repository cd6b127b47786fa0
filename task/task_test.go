package task

import (
	"math"
	"testing"
)

// quadratic is f(y; x) = ½ Σ a_i (y_i − x_i)², solved by y = x.
type quadratic struct{ a []float64 }

func (quadratic) Name() string       { return "quadratic" }
func (q quadratic) ContextDim() int  { return len(q.a) }
func (q quadratic) SolutionDim() int { return len(q.a) }
func (quadratic) Context(s Split, seed uint64, i int, dst []float64) {
	for j := range dst {
		dst[j] = float64(int(s)*1000+i) + float64(seed) + float64(j)
	}
}
func (quadratic) Init(_, dst []float64) { clear(dst) }
func (q quadratic) Objective(x, y, grad []float64) float64 {
	var f float64
	for i, a := range q.a {
		d := y[i] - x[i]
		f += a * d * d / 2
		if grad != nil {
			grad[i] = a * d
		}
	}
	return f
}
func (quadratic) Solve(x, dst []float64) float64 { copy(dst, x); return 0 }

func TestHessVecByDifferences(t *testing.T) {
	q := quadratic{a: []float64{1, 2, 30}}
	x, y, v := []float64{1, -2, 3}, []float64{0.5, 7, -1}, []float64{1, -1, 0.5}
	got := make([]float64, 3)
	HessVec(q, x, y, v, got)
	for i, a := range q.a {
		if want := a * v[i]; math.Abs(got[i]-want) > 1e-6*(1+math.Abs(want)) {
			t.Errorf("Hv[%d] = %v, want %v", i, got[i], want)
		}
	}
	HessVec(q, x, y, []float64{0, 0, 0}, got)
	for i, g := range got {
		if g != 0 {
			t.Errorf("H·0 [%d] = %v", i, g)
		}
	}
}

func TestGapAndSplits(t *testing.T) {
	q := quadratic{a: []float64{2, 2}}
	if g, ok := Gap(q, []float64{1, 1}, []float64{2, 1}); !ok || g != 1 {
		t.Errorf("Gap = %v, %v; want 1, true", g, ok)
	}
	for _, s := range []Split{Train, HeldOut, Shifted} {
		if p, err := ParseSplit(s.String()); err != nil || p != s {
			t.Errorf("ParseSplit(%q) = %v, %v", s, p, err)
		}
	}
	if _, err := ParseSplit("test"); err == nil {
		t.Error("ParseSplit accepted test")
	}
	cs := Contexts(q, HeldOut, 3, 2)
	if len(cs) != 2 || cs[1][0] != 1004 {
		t.Errorf("Contexts = %v", cs)
	}
}
