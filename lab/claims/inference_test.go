package claims

import (
	"context"
	"math"
	"strings"
	"testing"

	"argmax/lab"
	"argmax/lab/store"
)

func TestInferenceRule(t *testing.T) {
	nan := fig(math.NaN(), math.NaN(), math.NaN())
	good := infFamilyFigs{G: fig(0.05, 0.03, 0.07), S: fig(0.1, 0.05, 0.15), R: fig(3, 2, 4)}
	slow := infFamilyFigs{G: good.G, S: good.S, R: fig(0.5, 0.4, 0.6)}
	noGap := infFamilyFigs{G: fig(-0.01, -0.02, -0.005), S: good.S, R: good.R}
	noShift := infFamilyFigs{G: good.G, S: fig(-0.1, -0.2, -0.05), R: good.R}
	loose := infFamilyFigs{G: fig(0.01, -0.01, 0.03), S: good.S, R: good.R}
	for _, tc := range []struct {
		name string
		fams []infFamilyFigs
		want Verdict
	}{
		{"every family: a gap, growing off distribution, direct slower", []infFamilyFigs{good, good}, Holds},
		{"direct reaches the encoder sooner on one family", []infFamilyFigs{good, slow}, DoesNotHold},
		{"no amortization gap", []infFamilyFigs{noGap, good}, DoesNotHold},
		{"the gap shrinks on shifted contexts", []infFamilyFigs{good, noShift}, DoesNotHold},
		{"a gap within noise", []infFamilyFigs{good, loose}, Inconclusive},
		{"unmeasured R", []infFamilyFigs{{G: good.G, S: good.S, R: nan}}, Inconclusive},
		{"no family", nil, Inconclusive},
	} {
		if got := infVerdict(tc.fams); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSemiRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		c20  []lab.Figure
		want Verdict
	}{
		{"≥ 90% closed on every family", []lab.Figure{fig(0.97, 0.95, 0.99), fig(0.93, 0.91, 0.95)}, Holds},
		{"one family below 90%", []lab.Figure{fig(0.97, 0.95, 0.99), fig(0.7, 0.6, 0.8)}, DoesNotHold},
		{"one family straddles 90%", []lab.Figure{fig(0.97, 0.95, 0.99), fig(0.9, 0.85, 0.95)}, Inconclusive},
		{"unmeasured", []lab.Figure{fig(math.NaN(), math.NaN(), math.NaN())}, Inconclusive},
		{"no family", nil, Inconclusive},
	} {
		if got := semiVerdict(tc.c20); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestLeastBudget(t *testing.T) {
	for _, tc := range []struct{ first, max, want int }{{1, 64, 1}, {2, 64, 2}, {3, 64, 3}, {37, 64, 37}, {64, 64, 64}, {50, 50, 50}, {51, 50, 50}, {1000, 64, 64}} {
		calls := 0
		k, ok, err := leastBudget(func(k int) (bool, error) { calls++; return k >= tc.first, nil }, tc.max)
		if err != nil || k != tc.want || ok != (tc.first <= tc.max) {
			t.Errorf("first %d, max %d: k = %d, ok %v, %v; want %d", tc.first, tc.max, k, ok, err, tc.want)
		}
		if calls > 2*int(math.Log2(float64(tc.max)))+2 {
			t.Errorf("first %d, max %d: %d calls", tc.first, tc.max, calls)
		}
	}
}

// tinyInference is a trial small enough for a test.
func tinyInference() lab.Params {
	p := AmortizedInference.Defaults(lab.Quick)
	for k, v := range map[string]any{
		"tasks":   []string{"mixture:d=2,k=4"},
		"solvers": []string{"gd:iters=50", "encoder:steps=300,lr=0.01,hidden=16,contexts=256", "semiamortized:steps=300,lr=0.01,hidden=16,contexts=256", "init"},
		"eval":    20, "refine": 20, "budgets": []int{1, 5, 20}, "reach_iters": 256, "repeats": 1,
	} {
		p[k] = v
	}
	return p
}

func TestInferenceTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains encoders")
	}
	var stored []*store.Trial
	for i := range 2 {
		tr := lab.NewTrial(&AmortizedInference, tinyInference(), lab.Quick, 1, i)
		if err := AmortizedInference.Run(context.Background(), tr); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, storedTrial(t, tr))
		fam := "mixture-d2-k4"
		init, ok := valueFor(tr, "init", infM(fam, ".held-out"+infGap), 0)
		if !ok || !(init > 0) {
			t.Fatalf("seed %d: init's gap %v (%v), want > 0", i, init, ok)
		}
		for _, d := range []string{"gd:iters=50", "semiamortized:steps=300,lr=0.01,hidden=16,contexts=256"} {
			if g, ok := valueFor(tr, d, infM(fam, ".held-out"+infGap), 0); !ok || !(g < 0.1*init) || g < -1e-9 {
				t.Errorf("seed %d: %s's gap %v (%v), want in [0, 0.1 × init's %v]", i, d, g, ok, init)
			}
		}
		// The refiner's curve starts at its encoder's gap and descends.
		enc, _ := valueFor(tr, "encoder:steps=300,lr=0.01,hidden=16,contexts=256", infM(fam, ".held-out"+infGap), 0)
		h := "semiamortized:steps=300,lr=0.01,hidden=16,contexts=256"
		c0, _ := valueFor(tr, h, infM(fam, ".held-out"+infRefine), 0)
		c20, ok := valueFor(tr, h, infM(fam, ".held-out"+infRefine), 20)
		if math.Abs(c0-enc) > 1e-12 || !ok || !(c20 < c0) {
			t.Errorf("seed %d: refinement from %v (the encoder's %v) to %v", i, c0, enc, c20)
		}
		if it, ok := valueFor(tr, "gd:iters=50", infReach(fam, 1, infIters), 0); !ok || it < 1 || it > 256 {
			t.Errorf("seed %d: gd reaches the encoder's objective in %v iterations (%v)", i, it, ok)
		}
	}
	res := &lab.Results{Trials: stored}
	for _, sum := range []func(*lab.Results) Row{summarizeInference, summarizeSemi} {
		row := sum(res)
		if row.Verdict == NotMeasured || row.Direct.Figure == "" || row.Amortized.Figure == "" || row.Hybrid.Figure == "" || len(row.Section.Charts) == 0 {
			t.Errorf("%s: verdict %v (%s), cells %q / %q / %q, %d charts", row.Aspect, row.Verdict, row.Why, row.Direct.Figure, row.Amortized.Figure, row.Hybrid.Figure, len(row.Section.Charts))
		}
		if !strings.Contains(row.Why, "[") {
			t.Errorf("%s: why %q has no intervals", row.Aspect, row.Why)
		}
	}
}
