package claims

import (
	"context"
	"math"
	"strings"
	"testing"

	"argmax/lab"
	"argmax/lab/store"
	"argmax/task/prefs"
)

func TestOveroptRule(t *testing.T) {
	falls, flat, unclear := fig(0.4, 0.3, 0.5), fig(0, 0, 0), fig(0.05, -0.02, 0.12)
	fits, misfits, tie := fig(0.2, 0.1, 0.3), fig(-0.3, -0.4, -0.2), fig(0.01, -0.05, 0.07)
	cases := []struct {
		name                 string
		oBoN, oRL, fBoN, fRL lab.Figure
		want                 Verdict
	}{
		{"both overoptimize, each follows its form", falls, falls, fits, fits, Holds},
		{"best-of-n does not overoptimize", flat, falls, fits, fits, DoesNotHold},
		{"KL-PG does not overoptimize", falls, flat, fits, fits, DoesNotHold},
		{"best-of-n follows the RL form", falls, falls, misfits, fits, DoesNotHold},
		{"KL-PG follows the BoN form", falls, falls, fits, misfits, DoesNotHold},
		{"overoptimization unclear", unclear, falls, fits, fits, Inconclusive},
		{"forms tie", falls, falls, fits, tie, Inconclusive},
		{"unmeasured", falls, falls, nan, fits, Inconclusive},
	}
	for _, c := range cases {
		if got := ooVerdict(c.oBoN, c.oRL, c.fBoN, c.fRL); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOOGrid(t *testing.T) {
	pts := []prefs.Point{{D: 0.05, Gold: 0.1, Proxy: 0.1}, {D: 0.25, Gold: 0.5, Proxy: 0.9}, {D: 0.2, Gold: 0.4, Proxy: 1.0}, {D: 0.32, Gold: 0.2, Proxy: 1.6}}
	gold, proxy := ooGrid(pts, 0.1)
	// The origin is prepended; after the step back to d = 0.2, d = 0.3 is
	// first reached between d = 0.2 and 0.32.
	w := 0.1 / 0.12
	wantG := []float64{0, 0.1 + 0.4*0.25, 0.1 + 0.4*0.75, 0.4 - 0.2*w}
	wantP := []float64{0, 0.1 + 0.8*0.25, 0.1 + 0.8*0.75, 1 + 0.6*w}
	if len(gold) != len(wantG) || len(proxy) != len(wantP) {
		t.Fatalf("grid %v / %v, want %v / %v", gold, proxy, wantG, wantP)
	}
	for k := range wantG {
		if math.Abs(gold[k]-wantG[k]) > 1e-12 || math.Abs(proxy[k]-wantP[k]) > 1e-12 {
			t.Errorf("d = %.1f: gold %v proxy %v, want %v %v", float64(k)/10, gold[k], proxy[k], wantG[k], wantP[k])
		}
	}
}

// tinyOveropt is a trial small enough for a test.
func tinyOveropt() lab.Params {
	p := Overoptimization.Defaults(lab.Quick)
	for k, v := range map[string]any{
		"v": 3, "l": 4, "comparisons": []int{50, 500}, "max_n": 64, "hybrid_n": 8, "klpg_steps": 40, "klpg_lr": 0.05, "klpg_record": 4,
		"sft_ns": []int{2, 4, 8, 16}, "sft_samples": 300,
	} {
		p[k] = v
	}
	return p
}

// TestOveroptTrial runs tiny trials: every method records its grid,
// peak, final and fits at every N; best-of-n at n = 1 is the base policy
// (d = 0, no gain); the peak gold is at least the final; the summary reads
// the trials back.
func TestOveroptTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains policies")
	}
	p := tinyOveropt()
	var stored []*store.Trial
	for i := range 3 {
		tr := lab.NewTrial(&Overoptimization, p, lab.Quick, 1, i)
		if err := Overoptimization.Run(context.Background(), tr); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, storedTrial(t, tr))
		names := []string{ooBoNName(64), "kl-pg:beta=0.05,steps=40,lr=0.05", ooSFTName([]int{2, 4, 8, 16}, 300)}
		for _, n := range []int{50, 500} {
			for j, d := range names {
				ms := []string{ooPeakGold, ooPeakD, ooFinalGold, ooFinalProx, ooFinalD, ooMaxD}
				if j < 2 { // SFT's few points may not determine a fit
					ms = append(ms, "bon.alpha", "bon.beta", "bon.held_rmse", "rl.alpha", "rl.beta", "rl.held_rmse")
				}
				for _, m := range ms {
					if v, ok := valueFor(tr, d, ooMetric(n, m), 0); !ok || math.IsNaN(v) {
						t.Errorf("seed %d, N = %d, %s: no %s", i, n, d, m)
					}
				}
				pk, _ := valueFor(tr, d, ooMetric(n, ooPeakGold), 0)
				fin, _ := valueFor(tr, d, ooMetric(n, ooFinalGold), 0)
				if pk < fin {
					t.Errorf("seed %d, N = %d, %s: peak gold %v below final %v", i, n, d, pk, fin)
				}
				if g, ok := valueFor(tr, d, ooMetric(n, ooGold), 0); !ok || math.Abs(g) > 1e-12 {
					t.Errorf("seed %d, N = %d, %s: gold gain at d = 0 is %v (%v), want 0", i, n, d, g, ok)
				}
				if _, ok := valueFor(tr, d, ooMetric(n, ooGold), 5); !ok {
					t.Errorf("seed %d, N = %d, %s: no gold gain at d = 0.5", i, n, d)
				}
			}
			// Best-of-1 is one draw from the base policy, and KL-PG starts
			// at it: both curves start at d = 0; best-of-n's proxy gain is
			// positive at the end.
			for _, d := range names[:2] {
				if d0, ok := valueFor(tr, d, ooMetric(n, ooFirstD), 0); !ok || math.Abs(d0) > 1e-6 { // sqrt of a KL that is 0 to rounding
					t.Errorf("seed %d, N = %d, %s: first point at d = %v (%v), want 0", i, n, d, d0, ok)
				}
			}
			if pr, _ := valueFor(tr, names[0], ooMetric(n, ooFinalProx), 0); !(pr > 0) {
				t.Errorf("seed %d, N = %d: best-of-64 proxy gain %v, want > 0", i, n, pr)
			}
		}
	}
	row := summarizeOveropt(&lab.Results{Trials: stored})
	if row.Verdict == NotMeasured || row.Direct.Figure == "" || row.Amortized.Figure == "" || len(row.Section.Tables) != 2 || len(row.Section.Charts) == 0 {
		t.Errorf("summary: verdict %v, direct %q, amortized %q, %d tables, %d charts", row.Verdict, row.Direct.Figure, row.Amortized.Figure, len(row.Section.Tables), len(row.Section.Charts))
	}
	if !strings.Contains(row.Why, "better fit") {
		t.Errorf("why %q does not say which form fits", row.Why)
	}
}
