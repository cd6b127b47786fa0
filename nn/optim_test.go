package nn

import (
	"math"
	"path/filepath"
	"testing"
)

func TestSchedules(t *testing.T) {
	cases := []struct {
		name string
		s    Schedule
		step int
		want float64
	}{
		{"const", ConstLR(0.1), 1000, 0.1},
		{"step/0", StepLR(1, 10, 0.5), 0, 1},
		{"step/9", StepLR(1, 10, 0.5), 9, 1},
		{"step/10", StepLR(1, 10, 0.5), 10, 0.5},
		{"step/35", StepLR(1, 10, 0.5), 35, 0.125},
		{"cosine/warmup-first", CosineLR(1, 10, 110, 0), 0, 0.1},
		{"cosine/warmup-last", CosineLR(1, 10, 110, 0), 9, 1},
		{"cosine/peak", CosineLR(1, 10, 110, 0), 10, 1},
		{"cosine/middle", CosineLR(1, 10, 110, 0.2), 60, 0.6},
		{"cosine/end", CosineLR(1, 10, 110, 0.2), 110, 0.2},
		{"cosine/after", CosineLR(1, 10, 110, 0.2), 500, 0.2},
	}
	for _, c := range cases {
		if got := c.s.LR(c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: LR(%d) = %g, want %g", c.name, c.step, got, c.want)
		}
	}
}

func TestClipGradNorm(t *testing.T) {
	a, b := NewParam[float32]("a", 2), NewParam[float32]("b", 1)
	a.Grad[0], a.Grad[1], b.Grad[0] = 3, 0, 4
	ps := []*Param[float32]{a, b}
	if n := ClipGradNorm(ps, 10); n != 5 || a.Grad[0] != 3 {
		t.Fatalf("norm %g below the limit changed gradients: %v", n, a.Grad)
	}
	if n := ClipGradNorm(ps, 1); n != 5 {
		t.Fatalf("norm %g, want 5", n)
	}
	if math.Abs(float64(a.Grad[0])-0.6) > 1e-6 || math.Abs(float64(b.Grad[0])-0.8) > 1e-6 {
		t.Errorf("clipped gradients %v %v, want [0.6 0] [0.8]", a.Grad, b.Grad)
	}
}

// quadratic sets p.Grad to the gradient of ½·Σ c_i·p_i².
func quadratic[T Float](p *Param[T], c []float64) {
	for i := range p.Data {
		p.Grad[i] += T(c[i] * float64(p.Data[i]))
	}
}

func TestSGDMomentumMatchesRecurrence(t *testing.T) {
	for _, nesterov := range []bool{false, true} {
		p := NewParam[float64]("p", 2)
		p.Data[0], p.Data[1] = 1, -2
		c := []float64{0.5, 2}
		o := NewSGD([]*Param[float64]{p}, ConstLR(0.1), 0.9)
		o.Nesterov = nesterov
		x := []float64{1, -2}
		v := []float64{0, 0}
		for step := 0; step < 50; step++ {
			quadratic(p, c)
			o.Step()
			for i := range x {
				g := c[i] * x[i]
				v[i] = 0.9*v[i] + g
				if nesterov {
					x[i] -= 0.1 * (g + 0.9*v[i])
				} else {
					x[i] -= 0.1 * v[i]
				}
			}
		}
		for i := range x {
			if math.Abs(p.Data[i]-x[i]) > 1e-12 || p.Grad[i] != 0 {
				t.Errorf("nesterov=%v: p[%d] = %g, recurrence gives %g (grad %g)", nesterov, i, p.Data[i], x[i], p.Grad[i])
			}
		}
		if o.Steps() != 50 {
			t.Errorf("Steps() = %d", o.Steps())
		}
	}
}

// TestAdam checks Adam's first step (−lr·sign(g) whatever the gradient's
// size), AdamW's decoupled decay, convergence on a quadratic, and that the
// float32 kernel path follows the float64 loop.
func TestAdam(t *testing.T) {
	p := NewParam[float64]("p", 3)
	copy(p.Data, []float64{1, 1, 1})
	copy(p.Grad, []float64{1000, -0.001, 0})
	o := NewAdam([]*Param[float64]{p}, ConstLR(0.01))
	o.Step()
	want := []float64{0.99, 1.01, 1}
	for i := range want {
		if math.Abs(p.Data[i]-want[i]) > 1e-6 {
			t.Errorf("first step: p[%d] = %g, want %g", i, p.Data[i], want[i])
		}
	}
	q := NewParam[float64]("q", 1)
	q.Data[0] = 2
	w := NewAdamW([]*Param[float64]{q}, ConstLR(0.1), 0.5)
	w.Step() // zero gradient: only the decay acts
	if math.Abs(q.Data[0]-2*(1-0.1*0.5)) > 1e-12 {
		t.Errorf("AdamW decay: %g, want %g", q.Data[0], 2*(1-0.05))
	}

	p32, p64 := NewParam[float32]("p", 11), NewParam[float64]("p", 11)
	c := make([]float64, 11)
	for i := range c {
		c[i] = 0.2 + float64(i)
		p32.Data[i], p64.Data[i] = float32(i)-5, float64(i)-5
	}
	o32 := NewAdamW([]*Param[float32]{p32}, CosineLR(0.1, 5, 300, 0.001), 0.01)
	o64 := NewAdamW([]*Param[float64]{p64}, CosineLR(0.1, 5, 300, 0.001), 0.01)
	for step := 0; step < 300; step++ {
		quadratic(p32, c)
		quadratic(p64, c)
		o32.Step()
		o64.Step()
	}
	for i := range c {
		if math.Abs(p64.Data[i]) > 1e-2 {
			t.Errorf("Adam did not converge: p[%d] = %g", i, p64.Data[i])
		}
		if math.Abs(float64(p32.Data[i])-p64.Data[i]) > 1e-4 {
			t.Errorf("float32 %g and float64 %g Adam paths differ at %d", p32.Data[i], p64.Data[i], i)
		}
	}
}

// TestOptimizerStateCheckpoint saves Adam's moments with the model and
// resumes to the same trajectory.
func TestOptimizerStateCheckpoint(t *testing.T) {
	mk := func() (*MLP[float32], *Adam[float32]) {
		m := NewMLP[float32](NewRand(3), "m", []int{4, 8, 2}, Tanh, Identity)
		return m, NewAdam(m.Params(), ConstLR(0.01))
	}
	x := make([]float32, 16*4)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	labels := make([]int, 16)
	for i := range labels {
		labels[i] = i % 2
	}
	tp := NewTape[float32](Train)
	train := func(m *MLP[float32], o *Adam[float32], n int) float64 {
		var l float64
		for i := 0; i < n; i++ {
			tp.Reset()
			loss := tp.CrossEntropy(m.Forward(tp, tp.Const(x, 16, 4)), labels)
			tp.Backward(loss)
			o.Step()
			l = loss.Item()
		}
		return l
	}
	m1, o1 := mk()
	train(m1, o1, 5)
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	if err := Save(path, append(m1.Params(), o1.State()...), nil); err != nil {
		t.Fatal(err)
	}
	want := train(m1, o1, 5)
	m2, o2 := mk()
	if _, err := Load(path, append(m2.Params(), o2.State()...)); err != nil {
		t.Fatal(err)
	}
	o2.SetSteps(5)
	if got := train(m2, o2, 5); got != want {
		t.Errorf("resumed loss %v, uninterrupted %v", got, want)
	}
}
