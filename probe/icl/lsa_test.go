package icl

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax/task"
	"argmax/task/linreg"
)

func mustTask(t testing.TB, c linreg.Config) *linreg.Task {
	t.Helper()
	tk, err := linreg.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// The reverse pass of a T-pass LSA against central differences, for the
// parameters and the query input.
func TestLSAGradientsByDifferences(t *testing.T) {
	tk := mustTask(t, linreg.Config{D: 3, N: 5, Noise: 0.1})
	for _, passes := range []int{1, 3} {
		m, err := NewLSA(3, passes, 0.4, 7)
		if err != nil {
			t.Fatal(err)
		}
		ps := tk.Prompts(task.Train, 1, 0, 4)
		for _, p := range m.Params() {
			clear(p.Grad)
		}
		m.lossGrad(ps)
		for _, p := range m.Params() {
			for j := range p.Data {
				v := p.Data[j]
				p.Data[j] = v + 1e-6
				fp := lossOnly(m, ps)
				p.Data[j] = v - 1e-6
				fm := lossOnly(m, ps)
				p.Data[j] = v
				fd := (fp - fm) / 2e-6
				if math.Abs(p.Grad[j]-fd) > 1e-6*(1+math.Abs(fd)) {
					t.Errorf("T=%d %s[%d]: grad %v, differences %v", passes, p.Name, j, p.Grad[j], fd)
				}
			}
		}
		sens := m.Sensitivity(ps)
		for i := range ps {
			for j := range ps[i].Xq {
				v := ps[i].Xq[j]
				ps[i].Xq[j] = v + 1e-6
				yp := m.Predict(ps[i : i+1])[0]
				ps[i].Xq[j] = v - 1e-6
				ym := m.Predict(ps[i : i+1])[0]
				ps[i].Xq[j] = v
				if fd := (yp - ym) / 2e-6; math.Abs(sens[i][j]-fd) > 1e-6*(1+math.Abs(fd)) {
					t.Errorf("T=%d prompt %d: ∂ŷ/∂x_q[%d] = %v, differences %v", passes, i, j, sens[i][j], fd)
				}
			}
		}
	}
}

// lossOnly is lossGrad's loss without touching the gradients.
func lossOnly(m *LSA, ps []linreg.Prompt) float64 {
	var s float64
	for i, y := range m.Predict(ps) {
		s += (y - ps[i].Yq) * (y - ps[i].Yq)
	}
	return s / float64(len(ps))
}

// von Oswald's construction: T passes of the GD-weighted LSA are T steps
// of gradient descent, to rounding.
func TestLSAConstructionIsGD(t *testing.T) {
	tk := mustTask(t, linreg.Config{D: 10, N: 20, Noise: 0.2})
	ps := tk.Prompts(task.HeldOut, 3, 0, 50)
	for _, T := range []int{1, 2, 5} {
		m, _ := NewLSA(10, T, 0, 1)
		m.SetGD(0.3)
		if d := PredDist(m, GDReference(T, 0.3), ps); d > 1e-20 {
			t.Errorf("T=%d: prediction distance to %d GD steps = %v", T, T, d)
		}
	}
}

// acceptLSA is the training of the acceptance test: d = 10, n = 20, no
// noise, 600 Adam steps of 128 prompts.
var acceptLSA = LSAConfig{Config: Config{Task: linreg.Config{D: 10, N: 20}, Steps: 600, Batch: 128, LR: 0.02, Seed: 1}}

// One trained LSA layer behaves like one step of gradient descent with
// the tuned step size (von Oswald et al.): on 2000 held-out prompts its
// query loss is within 5% of the tuned step's, and its predictions and
// sensitivities have cosine ≥ 0.99 with the step's.
func TestLSALearnsOneGDStep(t *testing.T) {
	start := time.Now()
	m, curve, err := TrainLSA(acceptLSA)
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	tk := mustTask(t, acceptLSA.Task)
	refs, err := References(tk, tk.Prompts(task.Train, 99, 0, 1000), 2)
	if err != nil {
		t.Fatal(err)
	}
	rep := Compare(m, refs, tk.Prompts(task.HeldOut, 5, 0, 2000))
	t.Logf("trained in %v, loss %.3f → %.3f\n%s", wall, curve[0], tailMean(curve), rep)
	gd, _ := rep.Row("gd1")
	if rep.Nearest != "gd1" {
		t.Errorf("nearest reference %s, want gd1", rep.Nearest)
	}
	if r := rep.Loss / gd.Loss; r > 1.05 || r < 0.95 {
		t.Errorf("query loss %.4f, tuned GD step %.4f: ratio %.3f outside [0.95, 1.05]", rep.Loss, gd.Loss, r)
	}
	if gd.PredCos < 0.99 || gd.SensCos < 0.99 {
		t.Errorf("cosines with the tuned GD step: predictions %.4f, sensitivities %.4f; want ≥ 0.99", gd.PredCos, gd.SensCos)
	}
	ls, _ := rep.Row("ls")
	if ls.PredDist < 10*gd.PredDist {
		t.Errorf("distance to least squares %.4g not ≫ distance to GD %.4g", ls.PredDist, gd.PredDist)
	}
}

func TestTrainLSADeterministic(t *testing.T) {
	c := LSAConfig{Config: Config{Task: linreg.Config{D: 4, N: 8, Noise: 0.1}, Steps: 20, Batch: 8, LR: 0.01, Seed: 3}, Passes: 2}
	a, ca, err := TrainLSA(c)
	if err != nil {
		t.Fatal(err)
	}
	b, cb, _ := TrainLSA(c)
	if !slices.Equal(ca, cb) || !slices.Equal(a.KQ.Data, b.KQ.Data) || !slices.Equal(a.PV.Data, b.PV.Data) {
		t.Error("same config, different model or curve")
	}
	c.Seed = 4
	d, _, _ := TrainLSA(c)
	if slices.Equal(a.KQ.Data, d.KQ.Data) {
		t.Error("different seeds, same model")
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	good := Config{Task: linreg.Config{D: 3, N: 4}, Steps: 1, Batch: 1, LR: 0.1}
	for _, c := range []struct {
		mod   func(*LSAConfig)
		field string
	}{
		{func(c *LSAConfig) { c.Steps = 0 }, "Config.Steps"},
		{func(c *LSAConfig) { c.Batch = -1 }, "Config.Batch"},
		{func(c *LSAConfig) { c.LR = 0 }, "Config.LR"},
		{func(c *LSAConfig) { c.Warmup = 5 }, "Config.Warmup"},
		{func(c *LSAConfig) { c.Task.Noise = -1 }, "Config.Noise"},
		{func(c *LSAConfig) { c.Passes = -1 }, "LSAConfig.Passes"},
		{func(c *LSAConfig) { c.InitStd = -1 }, "LSAConfig.InitStd"},
	} {
		cfg := LSAConfig{Config: good}
		c.mod(&cfg)
		if _, _, err := TrainLSA(cfg); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("want an error naming %s, got %v", c.field, err)
		}
	}
	for _, c := range []struct {
		cfg   TransformerConfig
		field string
	}{
		{TransformerConfig{Config: good, Dim: 10, Heads: 3}, "Heads"},
		{TransformerConfig{Config: good, Layers: -1}, "Layers"},
		{TransformerConfig{Config: good, Dim: -4}, "Dim"},
	} {
		if _, _, err := TrainTransformer(c.cfg); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("want an error naming %s, got %v", c.field, err)
		}
	}
	if _, err := Diversity(DiversityConfig{}); err == nil || !strings.Contains(err.Error(), "Tasks") {
		t.Errorf("empty sweep: %v", err)
	}
}
