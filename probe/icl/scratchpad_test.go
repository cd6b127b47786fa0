package icl

import (
	"math"
	"slices"
	"testing"

	"argmax/task"
	"argmax/task/linreg"
)

// A 2-pass LSA trained end to end optimizes across its passes: its query
// loss is well below one tuned GD step's and at or below two tuned steps',
// and its predictions are nearer two or more GD steps than one.
func TestScratchpadOptimizesAcrossPasses(t *testing.T) {
	c := LSAConfig{Config: Config{Task: linreg.Config{D: 10, N: 20}, Steps: 400, Batch: 64, LR: 0.01, Seed: 1}, Passes: 2}
	m, _, err := TrainLSA(c)
	if err != nil {
		t.Fatal(err)
	}
	tk := mustTask(t, c.Task)
	refs, _ := References(tk, tk.Prompts(task.Train, 99, 0, 500), 3)
	rep := Compare(m, refs, tk.Prompts(task.HeldOut, 5, 0, 1000))
	t.Logf("\n%s", rep)
	gd1, _ := rep.Row("gd1")
	gd2, _ := rep.Row("gd2")
	if rep.Loss > 0.6*gd1.Loss || rep.Loss > 1.05*gd2.Loss {
		t.Errorf("2-pass loss %.3f; one tuned step %.3f, two %.3f", rep.Loss, gd1.Loss, gd2.Loss)
	}
	if gd2.PredDist >= gd1.PredDist || rep.Nearest == "gd1" {
		t.Errorf("nearer one GD step (%.3f) than two (%.3f); nearest %s", gd1.PredDist, gd2.PredDist, rep.Nearest)
	}
}

// The transformer's tape sensitivities against differences of its
// float32 predictions, its training against its seed.
func TestTransformer(t *testing.T) {
	c := TransformerConfig{Config: Config{Task: linreg.Config{D: 3, N: 6}, Steps: 40, Batch: 16, LR: 3e-3, Seed: 2}, Dim: 16, Heads: 2, Layers: 1}
	m, curve, err := TrainTransformer(c)
	if err != nil {
		t.Fatal(err)
	}
	_, again, _ := TrainTransformer(c)
	if !slices.Equal(curve, again) {
		t.Error("same config, different loss curves")
	}
	if tailMean(curve) >= curve[0] {
		t.Errorf("loss %.3f → %.3f: no progress", curve[0], tailMean(curve))
	}
	tk := mustTask(t, c.Task)
	ps := tk.Prompts(task.HeldOut, 1, 0, 4)
	sens := m.Sensitivity(ps)
	for i := range ps {
		for j := range ps[i].Xq {
			v := ps[i].Xq[j]
			const h = 1e-2
			ps[i].Xq[j] = v + h
			yp := m.Predict(ps[i : i+1])[0]
			ps[i].Xq[j] = v - h
			ym := m.Predict(ps[i : i+1])[0]
			ps[i].Xq[j] = v
			if fd := (yp - ym) / (2 * h); math.Abs(sens[i][j]-fd) > 0.02*(0.1+math.Abs(fd)) {
				t.Errorf("prompt %d: ∂ŷ/∂x_q[%d] = %v, differences %v", i, j, sens[i][j], fd)
			}
		}
	}
	for _, p := range m.Params() {
		if slices.ContainsFunc(p.Grad, func(g float32) bool { return g != 0 }) {
			t.Fatalf("Sensitivity left gradients in %s", p.Name)
		}
	}
}
