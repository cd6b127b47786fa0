package semiamortized

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/task"
)

// TestUnrolledGradientMatchesDifferences checks ∂f(y_K)/∂y_0 computed in
// reverse mode against central differences, with exact Hessian-vector
// products (quad) and numerical ones (logcosh).
func TestUnrolledGradientMatchesDifferences(t *testing.T) {
	q := newQuad(3, 4, 1)
	l := newLogcosh(3, 4, 2)
	for _, tc := range []struct {
		name string
		base task.Task
		eta  float64
		tol  float64
	}{
		{"quad exact Hv", q, 0.5 / q.LMax(), 1e-7},
		{"logcosh numerical Hv", l, 0.3, 1e-6},
	} {
		for _, k := range []int{0, 1, 5, 20} {
			u, err := NewUnrolled(tc.base, k, tc.eta)
			if err != nil {
				t.Fatal(err)
			}
			x := []float64{0.4, -1, 0.8}
			y0 := []float64{1, -0.5, 2, 0.3}
			grad := make([]float64, 4)
			u.Objective(x, y0, grad)
			for i := range y0 {
				const h = 1e-5
				yp, ym := append([]float64(nil), y0...), append([]float64(nil), y0...)
				yp[i] += h
				ym[i] -= h
				fd := (u.Objective(x, yp, nil) - u.Objective(x, ym, nil)) / (2 * h)
				if math.Abs(fd-grad[i]) > tc.tol*(1+math.Abs(fd)) {
					t.Errorf("%s, K=%d: ∂/∂y0[%d] = %.10g, finite difference %.10g", tc.name, k, i, grad[i], fd)
				}
			}
		}
	}
}

// TestEndToEndGradientWRTEncoderParameter checks the gradient end-to-end
// training follows (the encoder's objective loss on the unrolled task)
// against central differences of the mean f(y_K) in each parameter.
func TestEndToEndGradientWRTEncoderParameter(t *testing.T) {
	q := newQuad(3, 2, 3)
	l := newLogcosh(3, 2, 4)
	for _, tc := range []struct {
		name string
		base task.Task
		eta  float64
		tol  float64
	}{
		{"quad", q, 0.5 / q.LMax(), 1e-7},
		{"logcosh", l, 0.3, 1e-6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := NewUnrolled(tc.base, 4, tc.eta)
			e, err := encoder.New(u, encoder.Config{Hidden: []int{5}, Activation: "tanh", Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			xs := task.Contexts(tc.base, task.Train, 6, 6)
			for _, p := range e.Params() {
				p.ZeroGrad()
			}
			if _, err := e.Gradient(xs); err != nil {
				t.Fatal(err)
			}
			loss := func() float64 {
				var s float64
				y := make([]float64, 2)
				for _, x := range xs {
					e.Predict(x, y)
					s += u.Objective(x, y, nil)
				}
				return s / float64(len(xs))
			}
			for _, p := range e.Params() {
				for _, j := range []int{0, len(p.Data) - 1} {
					const h = 1e-6
					old := p.Data[j]
					p.Data[j] = old + h
					fp := loss()
					p.Data[j] = old - h
					fm := loss()
					p.Data[j] = old
					if fd := (fp - fm) / (2 * h); math.Abs(fd-p.Grad[j]) > tc.tol*(1+math.Abs(fd)) {
						t.Errorf("%s[%d]: gradient %.10g, finite difference %.10g", p.Name, j, p.Grad[j], fd)
					}
				}
			}
		})
	}
}

// TestEndToEndBeatsWarmStart: on the curved task, with an encoder too
// small to fit sin(3x) (2 tanh units), end-to-end training puts the
// encoder's error where K = 5 steps of size 0.09 remove it (the stiff
// axis, q = 10) and fits the flat axis (q = 1) instead. Measured mean
// f over 200 held-out contexts, after 5 steps: end to end 0.0043, warm
// start 0.037 (after 20 test-time steps: 0.00025 and 0.0022); before
// any step the other way round: 3.91 against 0.29.
func TestEndToEndBeatsWarmStart(t *testing.T) {
	c := curved{q: []float64{1, 10}}
	xs := task.Contexts(c, task.HeldOut, 99, 200)
	mean := func(v Variant) (f0, fK, f20 float64) {
		s, err := Train(context.Background(), c, Config{Variant: v, K: 5, Eta: 0.09,
			Encoder: encoder.Config{Hidden: []int{2}, Activation: "tanh", Steps: 1500, Batch: 32, LR: 1e-2, Contexts: 1024, Seed: 3}})
		if err != nil {
			t.Fatal(err)
		}
		if s.Variant() != v {
			t.Fatalf("trained %v, got %v", v, s.Variant())
		}
		for _, x := range xs {
			cv, err := s.Curve(context.Background(), x, 20)
			if err != nil {
				t.Fatal(err)
			}
			f0, fK, f20 = f0+cv[0], fK+cv[5], f20+cv[20]
		}
		n := float64(len(xs))
		return f0 / n, fK / n, f20 / n
	}
	w0, w5, w20 := mean(WarmStart)
	e0, e5, e20 := mean(EndToEnd)
	t.Logf("mean f(y_0), f(y_5), f(y_20): warm start %.3g %.3g %.3g, end to end %.3g %.3g %.3g", w0, w5, w20, e0, e5, e20)
	if !(e5 < 0.5*w5) {
		t.Errorf("f(y_5): end to end %.3g, warm start %.3g; want end to end below half", e5, w5)
	}
	if !(e0 > w0) {
		t.Errorf("f(y_0): end to end %.3g, warm start %.3g; want end to end above (it gives up the stiff axis)", e0, w0)
	}
	if !(e20 < w20) {
		t.Errorf("f(y_20) (test-time K ≠ training K): end to end %.3g, warm start %.3g; want end to end below", e20, w20)
	}
}

// TestRefinementNeverIncreases: on a convex quadratic with η ≤ 1/L, every
// step lowers f, so the curve and the share of the gap closed are
// monotone.
func TestRefinementNeverIncreases(t *testing.T) {
	q := newQuad(3, 4, 7)
	s, err := Train(context.Background(), q, Config{K: 5, Eta: 1 / q.LMax(),
		Encoder: encoder.Config{Hidden: []int{8}, Steps: 100, Batch: 16, Contexts: 128, Eval: 16, Seed: 8}})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range task.Contexts(q, task.HeldOut, 9, 20) {
		cv, err := s.Curve(context.Background(), x, 50)
		if err != nil {
			t.Fatal(err)
		}
		share := GapClosed(cv, 0)
		for k := 1; k < len(cv); k++ {
			if cv[k] > cv[k-1] || share[k] < share[k-1] || share[k] > 1 {
				t.Fatalf("step %d: f %v → %v, gap closed %v → %v", k, cv[k-1], cv[k], share[k-1], share[k])
			}
		}
		if share[0] != 0 || share[50] < 0.99 {
			t.Errorf("gap closed %v at step 0 and %v at step 50", share[0], share[50])
		}
	}
	if g := GapClosed([]float64{0, 0}, 0); g[0] != 1 || g[1] != 1 {
		t.Errorf("GapClosed of a curve at the optimum = %v", g)
	}
}

func TestDecide(t *testing.T) {
	q := newQuad(3, 2, 10)
	eta := 0.5 / q.LMax()
	s, err := Train(context.Background(), q, Config{Variant: EndToEnd, K: 3, Eta: eta,
		Encoder: encoder.Config{Hidden: []int{8}, Steps: 50, Batch: 8, Contexts: 64, Eval: 8, Seed: 11}})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.3, 0.1, -0.7}
	y0, encCost, _ := s.Encoder().Decide(context.Background(), x, argmax.Budget{})
	u, _ := NewUnrolled(q, 7, eta)
	for _, tc := range []struct {
		name   string
		b      argmax.Budget
		wantIt int64
	}{{"training K", argmax.Budget{}, 3}, {"test-time K", argmax.Budget{Iterations: 7}, 7}} {
		y, c, err := s.Decide(context.Background(), x, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		want := encCost
		want.Iterations = tc.wantIt
		if c != want {
			t.Errorf("%s: cost %+v, want %+v", tc.name, c, want)
		}
		cv, _ := s.Curve(context.Background(), x, int(tc.wantIt))
		u.K = int(tc.wantIt)
		if f := q.Objective(x, y, nil); f != cv[tc.wantIt] || f != u.Objective(x, y0, nil) {
			t.Errorf("%s: f(y) = %v, curve says %v, unrolled task %v", tc.name, f, cv[tc.wantIt], u.Objective(x, y0, nil))
		}
	}
	_, c, err := s.Decide(context.Background(), x, argmax.Budget{Time: time.Nanosecond})
	if err != nil || c.CutShort != 1 || c.ForwardPasses != 1 {
		t.Errorf("1ns budget: %+v, %v; want the encoder's answer, cut short", c, err)
	}
	if _, _, err := s.Decide(context.Background(), x[:1], argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "context of length 1") {
		t.Errorf("short context: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	l := newLogcosh(3, 2, 12)
	cfg := Config{Variant: EndToEnd, K: 2, Eta: 0.3, Encoder: encoder.Config{Hidden: []int{6}, Steps: 60, Batch: 8, Contexts: 64, Eval: 8, Seed: 13}}
	x := []float64{1, 0.5, -0.2}
	var ys [2][]float64
	for i := range ys {
		s, err := Train(context.Background(), l, cfg)
		if err != nil {
			t.Fatal(err)
		}
		ys[i], _, _ = s.Decide(context.Background(), x, argmax.Budget{})
	}
	for j := range ys[0] {
		if math.Float64bits(ys[0][j]) != math.Float64bits(ys[1][j]) {
			t.Fatalf("y[%d]: %v and %v from the same seed", j, ys[0][j], ys[1][j])
		}
	}
}

func TestBadInput(t *testing.T) {
	q := newQuad(2, 2, 14)
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"variant", Config{Variant: 4, Eta: 0.1}, "Variant=4"},
		{"k", Config{K: -1, Eta: 0.1}, "K=-1"},
		{"eta", Config{}, "Eta=0"},
		{"eta inf", Config{Eta: math.Inf(1)}, "Eta=+Inf"},
		{"loss", Config{Variant: EndToEnd, Eta: 0.1, Encoder: encoder.Config{Loss: encoder.RegressionLoss}}, "objective loss"},
		{"encoder", Config{Eta: 0.1, Encoder: encoder.Config{Steps: -1}}, "Steps=-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Train(context.Background(), q, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := NewUnrolled(q, -2, 0); err == nil || !strings.Contains(err.Error(), "K=-2") || !strings.Contains(err.Error(), "Eta=0") {
		t.Errorf("NewUnrolled(-2, 0): %v", err)
	}
	e, _ := encoder.New(q, encoder.Config{})
	if _, err := New(newQuad(2, 3, 1), e, 3, 0.1); err == nil || !strings.Contains(err.Error(), "encoder trained for") {
		t.Errorf("New for another task: %v", err)
	}
	if _, err := New(q, e, 0, 0.1); err == nil || !strings.Contains(err.Error(), "K=0") {
		t.Errorf("New with K=0: %v", err)
	}
	if s, _ := New(q, e, 1, 0.1); s == nil || s.Variant() != WarmStart || s.K() != 1 {
		t.Errorf("New: %+v", s)
	}
	for _, v := range []Variant{WarmStart, EndToEnd} {
		if p, err := ParseVariant(v.String()); err != nil || p != v {
			t.Errorf("ParseVariant(%q) = %v, %v", v, p, err)
		}
	}
	if _, err := ParseVariant("both"); err == nil {
		t.Error("ParseVariant accepted both")
	}
}
