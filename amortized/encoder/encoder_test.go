package encoder

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"argmax"
	"argmax/task"
)

// initGap is the mean held-out gap of the task's Init (y = 0): the gap an
// encoder starts to close.
func initGap(q quad, seed uint64, n int) float64 {
	var s float64
	y := make([]float64, q.DY)
	for _, x := range task.Contexts(q, task.HeldOut, seed, n) {
		g, _ := task.Gap(q, x, y)
		s += g
	}
	return s / float64(n)
}

func TestHeldOutGapOnLinearSolutions(t *testing.T) {
	q := newQuad(3, 2, 1)
	base := initGap(q, 7, DefaultEval)
	for _, tc := range []struct {
		name   string
		cfg    Config
		maxRel float64 // held-out gap / gap of y = 0
	}{
		{"objective mlp", Config{Hidden: []int{32}, Loss: ObjectiveLoss, LR: 3e-3}, 4e-3},
		{"regression mlp", Config{Hidden: []int{32}, Loss: RegressionLoss, LR: 3e-3}, 4e-3},
		{"objective linear", Config{Hidden: []int{}, Loss: ObjectiveLoss, LR: 3e-2}, 1e-12},
		{"regression linear", Config{Hidden: []int{}, Loss: RegressionLoss, LR: 3e-2}, 1e-12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Steps, cfg.Batch, cfg.Contexts, cfg.Seed = 2000, 32, 1024, 7
			e, err := Train(context.Background(), q, cfg)
			if err != nil {
				t.Fatal(err)
			}
			c := e.Curve()
			last := c[len(c)-1]
			rel := last.HeldOutGap / base
			t.Logf("held-out gap %.3g (%.2g of y=0's %.3g), train objective %.3g", last.HeldOutGap, rel, base, last.Train)
			if !(rel <= tc.maxRel) || last.HeldOutGap < -1e-12 {
				t.Errorf("held-out gap %.3g is %.3g of the gap of y = 0, want ≤ %g", last.HeldOutGap, rel, tc.maxRel)
			}
			if c[0].Step != 0 || last.Step != cfg.Steps || len(c) != curvePoints+1 {
				t.Errorf("curve steps %d..%d in %d points, want 0..%d in %d", c[0].Step, last.Step, len(c), cfg.Steps, curvePoints+1)
			}
			tc0 := e.TrainingCost()
			wantFwd := int64(cfg.Steps*cfg.Batch + len(c)*2*DefaultEval)
			if tc0.Iterations != int64(cfg.Steps) || tc0.ForwardPasses != wantFwd || tc0.FLOPs <= 0 || tc0.Elapsed <= 0 {
				t.Errorf("training cost %+v, want %d iterations, %d forward passes", tc0, cfg.Steps, wantFwd)
			}
		})
	}
}

// TestObjectiveGradientMatchesDifferences compares the gradient Gradient
// adds to each parameter with central differences of the training loss.
func TestObjectiveGradientMatchesDifferences(t *testing.T) {
	q := newQuad(3, 2, 2)
	xs := task.Contexts(q, task.Train, 3, 8)
	for _, loss := range []Loss{ObjectiveLoss, RegressionLoss} {
		t.Run(loss.String(), func(t *testing.T) {
			e, err := New(q, Config{Hidden: []int{5, 4}, Activation: "tanh", Loss: loss, Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range e.Params() {
				p.ZeroGrad()
			}
			if _, err := e.Gradient(xs); err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, p := range e.Params() {
				for _, j := range []int{0, len(p.Data) / 2, len(p.Data) - 1} {
					const h = 1e-6
					old := p.Data[j]
					p.Data[j] = old + h
					fp := trainingLoss(e, q, xs, loss)
					p.Data[j] = old - h
					fm := trainingLoss(e, q, xs, loss)
					p.Data[j] = old
					fd := (fp - fm) / (2 * h)
					if math.Abs(fd-p.Grad[j]) > 1e-7*(1+math.Abs(fd)) {
						t.Errorf("%s[%d]: gradient %.10g, finite difference %.10g", p.Name, j, p.Grad[j], fd)
					}
					checked++
				}
			}
			if checked < 12 {
				t.Errorf("checked %d entries", checked)
			}
		})
	}
}

// trainingLoss is the training loss of e over xs computed from
// predictions alone: the mean objective, or the mean squared error to
// y* over every coordinate.
func trainingLoss(e *Encoder, q quad, xs [][]float64, loss Loss) float64 {
	y, star := make([]float64, q.DY), make([]float64, q.DY)
	var s float64
	for _, x := range xs {
		e.Predict(x, y)
		if loss == ObjectiveLoss {
			s += q.Objective(x, y, nil)
			continue
		}
		q.Solve(x, star)
		for i := range y {
			s += (y[i] - star[i]) * (y[i] - star[i]) / float64(q.DY)
		}
	}
	return s / float64(len(xs))
}

func TestDeterministic(t *testing.T) {
	q := newQuad(3, 2, 3)
	cfg := Config{Hidden: []int{16, 16}, Steps: 200, Batch: 16, Contexts: 256, Eval: 32, Seed: 11}
	a, err := Train(context.Background(), q, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(context.Background(), q, cfg)
	cfg.Seed = 12
	c, _ := Train(context.Background(), q, cfg)
	pa, pb, pc := a.Params(), b.Params(), c.Params()
	differ := false
	for i := range pa {
		for j := range pa[i].Data {
			if math.Float64bits(pa[i].Data[j]) != math.Float64bits(pb[i].Data[j]) {
				t.Fatalf("%s[%d]: %v and %v from the same seed", pa[i].Name, j, pa[i].Data[j], pb[i].Data[j])
			}
			differ = differ || pa[i].Data[j] != pc[i].Data[j]
		}
	}
	for i, p := range a.Curve() {
		if p != b.Curve()[i] {
			t.Fatalf("curve point %d: %+v and %+v", i, p, b.Curve()[i])
		}
	}
	if !differ {
		t.Error("seeds 11 and 12 gave the same weights")
	}
}

func TestDecideCountsOnePass(t *testing.T) {
	q := newQuad(3, 2, 4)
	e, err := New(q, Config{Hidden: []int{32, 8}})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, 0.2, 0.3}
	y, c, err := e.Decide(context.Background(), x, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	want := argmax.Cost{ForwardPasses: 1, FLOPs: 2 * (3*32 + 32*8 + 8*2)}
	if c != want || len(y) != 2 {
		t.Errorf("Decide: %v, %+v; want 2 values, %+v", y, c, want)
	}
	if _, _, err := e.Decide(context.Background(), x[:2], argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "context of length 2, want 3") {
		t.Errorf("short context: %v", err)
	}
	if _, _, err := e.Decide(context.Background(), x, argmax.Budget{Iterations: -1}); err == nil {
		t.Error("negative budget accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := e.Decide(ctx, x, argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := Train(ctx, q, Config{Steps: 10}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled training: %v", err)
	}
}

func TestSaveLoad(t *testing.T) {
	q := newQuad(3, 2, 5)
	e, err := Train(context.Background(), q, Config{Hidden: []int{8}, Activation: "gelu", Steps: 20, Contexts: 64, Eval: 8})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "enc.safetensors")
	if err := e.Save(path); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, q)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, -0.5, 2}
	ya, yb := make([]float64, 2), make([]float64, 2)
	e.Predict(x, ya)
	f.Predict(x, yb)
	if ya[0] != yb[0] || ya[1] != yb[1] || f.Config().Activation != "gelu" {
		t.Errorf("loaded encoder answers %v, saved one %v (config %+v)", yb, ya, f.Config())
	}
	if _, err := Load(path, newQuad(3, 3, 5)); err == nil || !strings.Contains(err.Error(), "for task") {
		t.Errorf("load for another task: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(bad, []byte("not a checkpoint"), 0o644)
	if _, err := Load(bad, q); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("load of garbage: %v", err)
	}
}

func TestBadConfig(t *testing.T) {
	q := newQuad(2, 2, 6)
	for _, tc := range []struct {
		name string
		t    task.Task
		cfg  Config
		want string
	}{
		{"hidden", q, Config{Hidden: []int{4, 0}}, "Hidden[1]=0"},
		{"activation", q, Config{Activation: "swish"}, `Activation="swish"`},
		{"loss", q, Config{Loss: 5}, "Loss=5"},
		{"steps", q, Config{Steps: -1}, "Steps=-1"},
		{"batch", q, Config{Batch: -2}, "Batch=-2"},
		{"contexts", q, Config{Contexts: -3}, "Contexts=-3"},
		{"eval", q, Config{Eval: -4}, "Eval=-4"},
		{"eval every", q, Config{EvalEvery: -5}, "EvalEvery=-5"},
		{"lr", q, Config{LR: math.NaN()}, "LR=NaN"},
		{"regression without solutions", opaque{q}, Config{Loss: RegressionLoss}, "needs exact solutions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.t, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, name := range []string{"objective", "regression"} {
		if l, err := ParseLoss(name); err != nil || l.String() != name {
			t.Errorf("ParseLoss(%q) = %v, %v", name, l, err)
		}
	}
	if _, err := ParseLoss("mse"); err == nil {
		t.Error("ParseLoss accepted mse")
	}
	if e, _ := New(q, Config{}); e != nil {
		if _, err := e.Gradient([][]float64{{1}}); err == nil || !strings.Contains(err.Error(), "context 0 has length 1") {
			t.Errorf("Gradient on a short context: %v", err)
		}
	}
}
