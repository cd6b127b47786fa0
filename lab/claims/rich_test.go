package claims

import (
	"context"
	"testing"

	"argmax"
	"argmax/lab"
)

func TestRichRule(t *testing.T) {
	cases := []struct {
		name         string
		simple, rich lab.Figure
		want         Verdict
	}{
		{"crossover", fig(0.2, 0.1, 0.3), fig(-0.3, -0.5, -0.1), Holds},
		{"search ahead everywhere", fig(0.2, 0.1, 0.3), fig(0.3, 0.2, 0.5), DoesNotHold},
		{"tie in the rich domain", fig(0.2, 0.1, 0.3), fig(0.05, 0, 0.1), DoesNotHold},
		{"policy ahead even when simple", fig(-0.2, -0.3, -0.1), fig(-0.4, -0.6, -0.2), DoesNotHold},
		{"simple side unclear", fig(0.02, -0.01, 0.05), fig(-0.3, -0.5, -0.1), Inconclusive},
		{"rich side unclear", fig(0.2, 0.1, 0.3), fig(-0.05, -0.2, 0.1), Inconclusive},
		{"unmeasured", nan, fig(-0.3, -0.5, -0.1), Inconclusive},
	}
	for _, c := range cases {
		if got, _ := richVerdict(c.simple, c.rich); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSimpleVsRichTrial runs one tiny trial of the experiment and
// summarizes it: every policy is scored at every level, the learner's
// curve is kept, and the row has a verdict from the rule.
func TestSimpleVsRichTrial(t *testing.T) {
	if testing.Short() {
		t.Skip("trains PPO briefly")
	}
	p := lab.Params{
		"levels":      []string{"pendulum", "pendulum:obs_noise=0.2"},
		"level_names": []string{"simple", "noisy obs"},
		"policies":    []string{"cem:samples=16,iters=2,horizon=10", "ppo:steps=4096", "random"},
		"episodes":    2,
		"decision_ms": 0.5,
	}
	tr := lab.NewTrial(&SimpleVsRich, p, lab.Quick, 1, 0)
	if err := SimpleVsRich.Run(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	for _, pol := range p["policies"].([]string) {
		for l := range int64(2) {
			if _, ok := valueFor(tr, pol, richTag+mReturn, l); !ok {
				t.Errorf("%s at level %d: no return recorded", pol, l)
			}
		}
	}
	// 16 samples × 2 iterations × 10 steps, less the steps past the
	// episode's end in its last 9 decisions.
	if v, ok := valueFor(tr, "cem:samples=16,iters=2,horizon=10", richTag+mModelSteps, 0); !ok || v > 320 || v < 300 {
		t.Errorf("cem's model steps per decision: %v, want about %d", v, 16*2*10)
	}
	// At equal time CEM runs iterations until 0.5 ms are spent: more than
	// its configured two (each is 160 simulator steps, a few µs).
	if v, ok := valueFor(tr, "cem:samples=16,iters=2,horizon=10", richTimedTag+mModelSteps, 0); !ok || v <= 320 {
		t.Errorf("cem's model steps per decision within 0.5 ms: %v, want more than the %d of its 2 iterations", v, 16*2*10)
	}
	for _, pol := range p["policies"].([]string) {
		if _, ok := valueFor(tr, pol, richTimedTag+mReturn, 1); !ok {
			t.Errorf("%s at equal time: no return recorded", pol)
		}
	}
	curve := 0
	for _, m := range tr.Metrics() {
		if m.Name == richTag+mCurve+"0" && m.Role == argmax.Amortized {
			curve++
		}
	}
	if curve == 0 {
		t.Error("no learning curve recorded for ppo")
	}
}

func valueFor(tr *lab.Trial, decider, name string, step int64) (float64, bool) {
	for _, m := range tr.Metrics() {
		if m.Decider == decider && m.Name == name && m.Step == step {
			return m.Value, true
		}
	}
	return 0, false
}
