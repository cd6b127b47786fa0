package claims

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"argmax/lab"
	"argmax/lab/store"
)

func TestICLRule(t *testing.T) {
	even, slower, faster, loose := fig(1.01, 0.99, 1.03), fig(1.3, 1.2, 1.4), fig(0.8, 0.7, 0.9), fig(1.02, 0.9, 1.1)
	near, far, unclear := fig(0.998, 0.996, 0.999), fig(0.9, 0.85, 0.95), fig(0.99, 0.97, 1)
	cases := []struct {
		name      string
		r, pc, sc lab.Figure
		nearest   float64
		want      Verdict
	}{
		{"one tuned GD step", even, near, near, 1, Holds},
		{"the loss is off", slower, near, near, 1, DoesNotHold},
		{"better than one step", faster, near, near, 1, DoesNotHold},
		{"predictions point elsewhere", even, far, near, 1, DoesNotHold},
		{"sensitivities point elsewhere", even, near, far, 1, DoesNotHold},
		{"another reference is nearest in most seeds", even, near, near, 0.2, DoesNotHold},
		{"nearest gd1 in most seeds only", even, near, near, 0.8, Inconclusive},
		{"loss ratio straddles the band", loose, near, near, 1, Inconclusive},
		{"cosine straddles 0.99", even, unclear, near, 1, Inconclusive},
		{"unmeasured ratio", nan, near, near, 1, Inconclusive},
		{"unmeasured nearest", even, near, near, math.NaN(), Inconclusive},
	}
	for _, c := range cases {
		if got := iclVerdict(c.r, c.pc, c.sc, c.nearest); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDiversityRule(t *testing.T) {
	dmmse, ridge, unclear := fig(-2, -3, -1), fig(1, 0.5, 1.5), fig(0.1, -0.3, 0.5)
	cases := []struct {
		name         string
		small, large lab.Figure
		want         Verdict
	}{
		{"lookup at small M, regression at large M", dmmse, ridge, Holds},
		{"regression already at small M", ridge, ridge, DoesNotHold},
		{"still lookup at large M", dmmse, dmmse, DoesNotHold},
		{"reversed", ridge, dmmse, DoesNotHold},
		{"large M unclear", dmmse, unclear, Inconclusive},
		{"small M unclear", unclear, ridge, Inconclusive},
		{"unmeasured large M", dmmse, nan, Inconclusive},
	}
	for _, c := range cases {
		if got := divVerdict(c.small, c.large); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// iclStored turns a run trial into the stored form summaries read (the
// parameters through JSON, as the store keeps them).
func storedTrial(t *testing.T, tr *lab.Trial) *store.Trial {
	t.Helper()
	b, err := json.Marshal(tr.Params)
	if err != nil {
		t.Fatal(err)
	}
	var ps map[string]any
	if err := json.Unmarshal(b, &ps); err != nil {
		t.Fatal(err)
	}
	st := &store.Trial{Key: tr.Key, Experiment: tr.Experiment, SeedIndex: tr.SeedIndex, Seed: tr.Seed, Status: store.StatusDone, Params: ps, Point: tr.Params.Canonical()}
	for _, m := range tr.Metrics() {
		st.Metrics = append(st.Metrics, store.Metric{Name: m.Name, Decider: m.Decider, Role: string(m.Role), Step: m.Step, Value: m.Value, Timing: m.Timing})
	}
	return st
}

// tinyICL is a trial small enough for a test: a few seconds for the LSA,
// the scratchpad and a three-point diversity sweep.
func tinyICL() lab.Params {
	p := ICL.Defaults(lab.Quick)
	for k, v := range map[string]any{
		"d": 4, "n": 8, "lsa_steps": 150, "lsa_batch": 32, "tune": 200, "eval": 200, "gd_steps": 2,
		"passes": 2, "pad_steps": 60, "pad_batch": 16,
		"div_tasks": []int{1, 8, 0}, "div_d": 3, "div_n": 6, "div_steps": 30, "div_batch": 16, "div_dim": 8, "div_layers": 1, "div_eval": 50,
	} {
		p[k] = v
	}
	return p
}

// TestICLTrial runs tiny trials: the LSA's query loss is finite and below
// the zero predictor's, every reference is compared with it, and the
// diversity sweep records its distances at every M (no dMMSE at ∞); the
// summaries read the trials back.
func TestICLTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains models")
	}
	p := tinyICL()
	var stored []*store.Trial
	for i := range 2 {
		tr := lab.NewTrial(&ICL, p, lab.Quick, 1, i)
		if err := ICL.Run(context.Background(), tr); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, storedTrial(t, tr))
		loss, ok := valueFor(tr, iclLSA, iclTag+miLoss, 0)
		zero, zok := tr.Value(iclTag+miZeroLoss, 0)
		if !ok || !zok || math.IsNaN(loss) || math.IsInf(loss, 0) || !(loss < zero) {
			t.Errorf("seed %d: LSA loss %v (%v), zero predictor %v (%v): want finite and below", i, loss, ok, zero, zok)
		}
		// One tuned GD step from the LSA's implied weights does not undo it.
		if h, ok := valueFor(tr, iclHybrid, iclTag+miLoss, 0); !ok || !(h < loss) {
			t.Errorf("seed %d: hybrid loss %v (%v), want below the LSA's %v", i, h, ok, loss)
		}
		for _, ref := range []string{"gd1", "gd2", "ridge", "ls"} {
			for _, model := range []string{iclLSA, padName(2)} {
				for _, m := range []string{miDist, miPredCos, miSensCos, miNearest} {
					if _, ok := valueFor(tr, ref, iclM(model, m), 0); !ok {
						t.Errorf("seed %d: no %s of %s", i, iclM(model, m), ref)
					}
				}
			}
		}
		if d, ok := valueFor(tr, "ls", iclM(iclLSA, miDist), 0); !ok || !(d > 0) {
			t.Errorf("seed %d: LSA distance to least squares %v: want > 0", i, d)
		}
		for _, m := range []int64{1, 8, 0} {
			if _, ok := valueFor(tr, iclTF, iclTag+".div"+miFresh+miToRidge, m); !ok {
				t.Errorf("seed %d: no distance to ridge at M = %d", i, m)
			}
			_, ok := valueFor(tr, iclTF, iclTag+".div"+miFresh+miToDMMSE, m)
			if ok != (m > 0) {
				t.Errorf("seed %d: distance to dMMSE at M = %d recorded: %v", i, m, ok)
			}
		}
		// With one training task the pool's posterior mean is that task's
		// w: dMMSE predicts it exactly on pool prompts at any noise, so its
		// query loss there is 0 to rounding.
		if l, ok := valueFor(tr, "dmmse", iclTag+".div"+miPool+miLoss, 1); !ok || l > 1e-12 {
			t.Errorf("seed %d: dMMSE loss on the one-task pool %v (%v), want 0", i, l, ok)
		}
	}
	res := &lab.Results{Trials: stored}
	for _, sum := range []func(*lab.Results) Row{summarizeICL, summarizeDiversity} {
		row := sum(res)
		if row.Verdict == NotMeasured || row.Amortized.Figure == "" || len(row.Figures) == 0 || len(row.Section.Tables) == 0 {
			t.Errorf("%s: verdict %v, amortized %q, %d figures, %d tables", row.Aspect, row.Verdict, row.Amortized.Figure, len(row.Figures), len(row.Section.Tables))
		}
		if !strings.Contains(row.Why, "[") {
			t.Errorf("%s: why %q has no intervals", row.Aspect, row.Why)
		}
	}
}
