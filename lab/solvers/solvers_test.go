package solvers

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/hybrid/semiamortized"
	"argmax/task"
)

func TestTasks(t *testing.T) {
	for _, spec := range []string{"sphere", "sphere:dim=4,components=3", "gaussian", "gaussian:d=5,k=2,family=full", "mixture:d=3,k=4,sigma=1"} {
		tk, err := NewTask(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if _, ok := tk.(task.Exact); !ok {
			t.Errorf("%s: %s is not exact", spec, tk.Name())
		}
	}
	for spec, want := range map[string]string{
		"cube":                   `unknown kind "cube"`,
		"sphere:dim=1":           "dim",
		"gaussian:family=banded": "family",
		"mixture:colour=red":     "colour",
	} {
		if _, err := NewTask(spec); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), spec) {
			t.Errorf("NewTask(%q) = %v, want an error naming %q and the spec", spec, err, want)
		}
	}
}

// Every kind answers held-out contexts of the mixture, and the direct
// and hybrid kinds come close to the exact solution; the baseline does
// not.
func TestSolvers(t *testing.T) {
	tk, err := NewTask("mixture:d=2,k=4,sigma=0.7")
	if err != nil {
		t.Fatal(err)
	}
	xs := task.Contexts(tk, task.HeldOut, 2, 32)
	gapOf := func(s Solver) float64 {
		var sum float64
		for _, x := range xs {
			y, _, err := s.Decide(context.Background(), x, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			g, _ := task.Gap(tk, x, y)
			sum += g
		}
		return sum / float64(len(xs))
	}
	c := Context{Task: tk, Seed: 3}
	base := gapOf(initSolver{tk})
	for _, tc := range []struct {
		spec string
		role argmax.Role
		max  float64 // largest mean gap as a share of the baseline's
	}{
		{"gd:iters=300", argmax.Direct, 0.02},
		{"adam:lr=0.1,iters=300", argmax.Direct, 0.05},
		{"encoder:steps=500,lr=0.01,hidden=16,contexts=512", argmax.Amortized, 0.3},
		{"encoder:loss=regression,steps=500,lr=0.01,hidden=none,contexts=512", argmax.Amortized, 0.5},
		{"semiamortized:k=10,steps=300,hidden=16,contexts=512", argmax.Hybrid, 0.05},
		{"semiamortized:variant=end-to-end,k=3,eta=1,steps=300,hidden=16,contexts=512", argmax.Hybrid, 0.2},
		{"init", argmax.Baseline, 1},
	} {
		s, err := NewSolver(c, tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		if r, err := SolverRole(tc.spec); err != nil || r != tc.role {
			t.Errorf("%s: role %v (%v), want %v", tc.spec, r, err, tc.role)
		}
		if g := gapOf(s); g > tc.max*base {
			t.Errorf("%s: mean gap %.4g, want ≤ %g × the baseline's %.4g", tc.spec, g, tc.max, base)
		}
		_, refines := s.(Refiner)
		if refines != (tc.role == argmax.Hybrid) {
			t.Errorf("%s: Refiner %v", tc.spec, refines)
		}
	}
}

func TestSolverErrors(t *testing.T) {
	tk, _ := NewTask("sphere")
	c := Context{Task: tk, Seed: 1}
	for spec, want := range map[string]string{
		"newton":                     `unknown kind "newton"`,
		"gd:lr=-1":                   "lr",
		"gd:lr=fast":                 "lr",
		"gd:momentum=0.9":            "momentum",
		"encoder:hidden=64+x":        "hidden",
		"encoder:loss=hinge":         "hinge",
		"semiamortized:variant=both": "both",
		"semiamortized:k=0":          "k",
		"semiamortized:eta=0":        "eta",
	} {
		if _, err := NewSolver(c, spec); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), spec) {
			t.Errorf("NewSolver(%q) = %v, want an error naming %q and the spec", spec, err, want)
		}
	}
	if _, err := NewSolver(Context{}, "gd"); err == nil {
		t.Error("no task: no error")
	}
}

// With an encoder memo, an encoder and the warm-start hybrid configured
// alike share one trained encoder.
func TestEncodersShared(t *testing.T) {
	tk, _ := NewTask("mixture:d=2,k=4")
	c := Context{Task: tk, Seed: 3, Encoders: map[string]*encoder.Encoder{}}
	enc, err := NewSolver(c, "encoder:steps=50,hidden=8,contexts=64")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewSolver(c, "semiamortized:steps=50,hidden=8,contexts=64")
	if err != nil {
		t.Fatal(err)
	}
	if h.(*semiamortized.Solver).Encoder() != enc.(*encoder.Encoder) || len(c.Encoders) != 1 {
		t.Errorf("%d encoders trained, the hybrid's is not the encoder solver's", len(c.Encoders))
	}
	other, err := NewSolver(c, "encoder:steps=50,hidden=8,contexts=64,loss=regression")
	if err != nil {
		t.Fatal(err)
	}
	if other == enc || len(c.Encoders) != 2 {
		t.Errorf("another configuration shares the encoder (%d kept)", len(c.Encoders))
	}
}
