package icl

import (
	"math"
	"testing"

	"argmax/task"
	"argmax/task/linreg"
)

// The hybrid's refinement is one gradient step from the model's implied
// weights: from the least-squares weights of a noiseless prompt the
// gradient is zero and the loss stays 0; from w = 0 (the zero model) it
// is one tuned GD step.
func TestRefinedLoss(t *testing.T) {
	tk, err := linreg.New(linreg.Config{D: 3, N: 8})
	if err != nil {
		t.Fatal(err)
	}
	tuning, ev := tk.Prompts(task.Train, 1, 0, 200), tk.Prompts(task.HeldOut, 2, 0, 200)
	ls := Reference{Label: "ls", Weights: linreg.LeastSquares}
	if l := RefinedLoss(ls, tuning, ev); l > 1e-20 {
		t.Errorf("least squares refined: loss %v, want 0", l)
	}
	zero := Reference{Label: "zero", Weights: func(p *linreg.Prompt) []float64 { return make([]float64, p.D) }}
	eta, err := linreg.TuneGD(tuning, 1)
	if err != nil {
		t.Fatal(err)
	}
	if l, gd := RefinedLoss(zero, tuning, ev), QueryLoss(GDReference(1, eta), ev); math.Abs(l-gd) > 1e-9*gd {
		t.Errorf("zero refined: loss %v, one tuned GD step %v", l, gd)
	}
}
