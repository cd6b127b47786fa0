package claims

import (
	"context"
	"math"
	"strings"
	"testing"

	"argmax"
	"argmax/lab"
)

func TestGeneralizationRule(t *testing.T) {
	cases := []struct {
		name   string
		G, gap lab.Figure
		want   Verdict
	}{
		{"policy loses more, a policy trained there less", fig(0.3, 0.1, 0.5), fig(0.2, 0.05, 0.4), Holds},
		{"policy degrades no more than the planner", fig(-0.1, -0.3, 0), fig(0.2, 0.05, 0.4), DoesNotHold},
		{"policy generalizes", fig(0.3, 0.1, 0.5), fig(-0.05, -0.1, 0), DoesNotHold},
		{"drop unclear", fig(0.1, -0.1, 0.3), fig(0.2, 0.05, 0.4), Inconclusive},
		{"gap unclear", fig(0.3, 0.1, 0.5), fig(0.05, -0.05, 0.15), Inconclusive},
		{"unmeasured", nan, fig(0.2, 0.05, 0.4), Inconclusive},
	}
	for _, c := range cases {
		if got, _ := genVerdict(c.G, c.gap); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOODRule(t *testing.T) {
	moved, still := fig(0.6, 0.4, 0.8), fig(0.05, -0.02, 0.08)
	gain, loss, unclear := fig(50, 10, 90), fig(-20, -30, -10), fig(5, -10, 20)
	cases := []struct {
		name   string
		dV, dR []lab.Figure
		want   Verdict
	}{
		{"planner moves and profits on both", []lab.Figure{moved, moved}, []lab.Figure{gain, gain}, Holds},
		{"policy moves as much on one", []lab.Figure{moved, still}, []lab.Figure{gain, gain}, DoesNotHold},
		{"policy profits more on one", []lab.Figure{moved, moved}, []lab.Figure{gain, loss}, DoesNotHold},
		{"gain unclear", []lab.Figure{moved, moved}, []lab.Figure{gain, unclear}, Inconclusive},
		{"move within the margin", []lab.Figure{moved, fig(0.15, 0.05, 0.25)}, []lab.Figure{gain, gain}, Inconclusive},
		{"unmeasured", []lab.Figure{nan}, []lab.Figure{gain}, Inconclusive},
		{"no variants", nil, nil, Inconclusive},
	}
	for _, c := range cases {
		if got, why := oodVerdict(c.dV, c.dR); got != c.want {
			t.Errorf("%s: %v (%s), want %v", c.name, got, why, c.want)
		}
	}
}

func TestTVAndActionGap(t *testing.T) {
	if d := tvDistance([]float64{1, 1, 0}, []float64{0, 2, 2}); math.Abs(d-0.5) > 1e-12 {
		t.Errorf("tv = %v, want 0.5", d)
	}
	if d := tvDistance([]float64{3, 0}, []float64{1, 0}); d != 0 {
		t.Errorf("tv of proportional histograms = %v, want 0", d)
	}
	if d := actionGap([]float64{-1, -1}, []float64{1, 1}, []float64{-1, -1}, []float64{1, 1}); math.Abs(d-1) > 1e-12 {
		t.Errorf("corner to corner = %v, want 1", d)
	}
	if d := actionGap([]float64{3}, []float64{3}, nil, nil); d != 0 {
		t.Errorf("equal discrete actions: %v", d)
	}
}

// TestOODTrial runs one tiny trial: a planner that sees the new reward
// source moves its visits; the trained policy, which cannot see it, does
// not change a decision at the same state.
func TestOODTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains PPO briefly")
	}
	p := lab.Params{
		"train":         "pointmass:max_steps=40",
		"variants":      []string{"pointmass:max_steps=40,source_reward=3,source_x=-0.7,source_y=-0.3"},
		"variant_names": []string{"source"},
		"policies":      []string{"cem:samples=32,iters=2,horizon=10", "ppo:steps=2048", "random"},
		"episodes":      2,
	}
	tr := lab.NewTrial(&OOD, p, lab.Quick, 1, 0)
	if err := OOD.Run(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	v, ok := valueFor(tr, "cem:samples=32,iters=2,horizon=10", oodTag+mVisit, 1)
	if !ok || !(v > 0.2) {
		t.Errorf("the planner's visitation distance: %v (%v), want well above 0", v, ok)
	}
	if a, ok := valueFor(tr, "ppo:steps=2048", oodTag+mAction, 1); !ok || a != 0 {
		t.Errorf("ppo's action change at the same states: %v (%v), want exactly 0 (it observes nothing new)", a, ok)
	}
	for _, m := range []string{mReturn, mPerformance} {
		if _, ok := valueFor(tr, "random", oodTag+m, 1); !ok {
			t.Errorf("random: no %s on the variant", m)
		}
	}
}

// TestGeneralizationTrial runs one tiny trial and checks that the
// reference is trained on each test range: at shift 0 it is the policy.
func TestGeneralizationTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains PPO briefly")
	}
	p := lab.Params{
		"train":     "pendulum:mass=0.9..1.1,max_steps=50",
		"tests":     []string{"pendulum:mass=0.9..1.1,max_steps=50", "pendulum:mass=1.5..1.7,max_steps=50"},
		"shifts":    []float64{0, 0.6},
		"policies":  []string{"cem:samples=16,iters=2,horizon=10", "ppo:steps=2048", "random"},
		"reference": "ppo:steps=2048",
		"episodes":  2,
	}
	tr := lab.NewTrial(&Generalization, p, lab.Quick, 1, 0)
	if err := Generalization.Run(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	a, _ := valueFor(tr, "ppo:steps=2048", genTag+mReturn, 0)
	r, ok := valueFor(tr, "ppo:steps=2048", genRefTag+mReturn, 0)
	if !ok || a != r {
		t.Errorf("at shift 0 the reference scores %v, the policy %v: want the same policy", r, a)
	}
	if _, ok := valueFor(tr, "ppo:steps=2048", genRefTag+mReturn, 1); !ok {
		t.Error("no reference at the shifted range")
	}
}

// TestShiftSummaries feeds each new env claim's summary synthetic trials
// made to make its rule hold and fail.
func TestShiftSummaries(t *testing.T) {
	const cem, ppo = "cem", "ppo"
	t.Run("generalization", func(t *testing.T) {
		mk := func(ppoShifted, refShifted float64) Verdict {
			s := newSynth(genExp, map[string]any{"tests": []any{"a", "b"}, "shifts": []any{0.0, 0.5}, "reference": ppo, "train": "a"})
			for seed := range 5 {
				j := float64(seed) * 2
				s.put(seed, cem, argmax.Direct, genTag+mReturn, 0, -150+j)
				s.put(seed, cem, argmax.Direct, genTag+mReturn, 1, -200+j)
				s.put(seed, ppo, argmax.Amortized, genTag+mReturn, 0, -170+j)
				s.put(seed, ppo, argmax.Amortized, genTag+mReturn, 1, ppoShifted+j)
				s.put(seed, "random", argmax.Baseline, genTag+mReturn, 0, -1200)
				s.put(seed, ppo, argmax.Amortized, genRefTag+mReturn, 0, -170+j)
				s.put(seed, ppo, argmax.Amortized, genRefTag+mReturn, 1, refShifted-j)
			}
			return summarizeGeneralization(s.results()).Verdict
		}
		for _, c := range []struct {
			name            string
			ppoShifted, ref float64
			want            Verdict
		}{
			{"policy collapses, trained there it does not", -600, -230, Holds},
			{"policy drops as the planner does", -215, -230, DoesNotHold},
			{"policy collapses, so does one trained there", -600, -650, DoesNotHold},
		} {
			if got := mk(c.ppoShifted, c.ref); got != c.want {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
	})
	t.Run("ood", func(t *testing.T) {
		mk := func(ppoVisit float64) Verdict {
			s := newSynth(oodExp, map[string]any{"variant_names": []any{"source"}})
			for seed := range 5 {
				j := float64(seed) * 0.01
				s.put(seed, cem, argmax.Direct, oodTag+mReturn, 0, -35)
				s.put(seed, cem, argmax.Direct, oodTag+mReturn, 1, 280+100*j)
				s.put(seed, cem, argmax.Direct, oodTag+mVisit, 1, 0.7+j)
				s.put(seed, ppo, argmax.Amortized, oodTag+mReturn, 0, -36)
				s.put(seed, ppo, argmax.Amortized, oodTag+mReturn, 1, -30)
				s.put(seed, ppo, argmax.Amortized, oodTag+mVisit, 1, ppoVisit+j)
			}
			return summarizeOOD(s.results()).Verdict
		}
		if got := mk(0); got != Holds {
			t.Errorf("the policy keeps its visits: %v, want holds", got)
		}
		if got := mk(0.7); got != DoesNotHold {
			t.Errorf("the policy moves as much: %v, want does not hold", got)
		}
	})
	t.Run("runtime cost in control", func(t *testing.T) {
		const tmpl = "cem:samples={}"
		mk := func(ppoReturn float64, cheapest ...float64) Row {
			times := []float64{1e-5, 4e-5, 1.6e-4}
			if len(cheapest) > 0 {
				times[0] = cheapest[0]
			}
			s := newSynth(ctlExp, nil)
			for seed := range 5 {
				for i, b := range []int64{4, 16, 64} {
					s.put(seed, tmpl, argmax.Direct, ctlTag+mReturn, b, []float64{-900, -400, -150}[i])
					s.put(seed, tmpl, argmax.Direct, ctlTag+mDecideTime, b, times[i]*(1+0.01*float64(seed)))
				}
				s.put(seed, ppo, argmax.Amortized, ctlTag+mReturn, 0, ppoReturn)
				s.put(seed, ppo, argmax.Amortized, ctlTag+mDecideTime, 0, 3e-6)
				s.put(seed, ppo, argmax.Amortized, ctlTag+mTrainSeconds, 0, 8)
			}
			return summarizeRuntimeCostControl(s.results())
		}
		if r := mk(-400); r.Verdict != Holds {
			t.Errorf("matched at 40 µs against 3 µs: %v (%s), want holds", r.Verdict, r.Why)
		}
		if r := mk(-2000); r.Verdict != Inconclusive || !strings.Contains(r.Why, "<=") {
			t.Errorf("the cheapest planner beats the policy at 3× its time: %v (%s), want inconclusive (R at most 3.3)", r.Verdict, r.Why)
		}
		if r := mk(-2000, 2e-6); r.Verdict != DoesNotHold {
			t.Errorf("the cheapest planner beats the policy in less time: %v (%s), want does not hold", r.Verdict, r.Why)
		}
		if r := mk(-100); r.Verdict != Holds || !strings.Contains(r.Why, ">=") {
			t.Errorf("no planner budget reaches the policy: %v (%s), want holds with a bound", r.Verdict, r.Why)
		}
	})
}
