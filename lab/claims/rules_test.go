package claims

import (
	"math"
	"testing"

	"argmax/lab"
)

// fig makes a figure with an interval.
func fig(v, lo, hi float64) lab.Figure { return lab.Figure{Value: v, Lo: lo, Hi: hi, N: 5} }

func bound(lo float64) lab.Figure {
	return lab.Figure{Value: lo, Lo: lo, Hi: math.Inf(1), Bound: ">="}
}

var nan = lab.Figure{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}

func TestRuntimeCostRule(t *testing.T) {
	cases := []struct {
		name string
		r    lab.Figure
		want Verdict
	}{
		{"far cheaper", fig(20, 12, 30), Holds},
		{"just twice", fig(2.5, 2, 3), Holds},
		{"search never reaches it", bound(5), Holds},
		{"search as cheap", fig(0.5, 0.3, 0.9), DoesNotHold},
		{"exactly one", fig(1, 1, 1), DoesNotHold},
		{"straddles", fig(1.5, 0.8, 3), Inconclusive},
		{"bound too low", bound(1.2), Inconclusive},
		{"unmeasured", nan, Inconclusive},
	}
	for _, c := range cases {
		if got, _ := runtimeCostVerdict(c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestScalingRule(t *testing.T) {
	cases := []struct {
		name string
		d, a lab.Figure
		want Verdict
	}{
		{"both pay", fig(0.04, 0.02, 0.06), fig(0.05, 0.03, 0.07), Holds},
		{"search saturated", fig(0.002, -0.001, 0.005), fig(0.05, 0.03, 0.07), DoesNotHold},
		{"learner saturated", fig(0.04, 0.02, 0.06), fig(0, -0.004, 0.008), DoesNotHold},
		{"noisy", fig(0.04, 0.005, 0.07), fig(0.05, 0.03, 0.07), Inconclusive},
		{"half missing", fig(0.04, 0.02, 0.06), nan, Inconclusive},
	}
	for _, c := range cases {
		if got, _ := scalingVerdict(c.d, c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestConvergenceRule(t *testing.T) {
	good, follows, exit := fig(-0.3, -0.4, -0.2), fig(0.3, 0.2, 0.4), fig(0.2, 0.1, 0.3)
	cases := []struct {
		name    string
		s, f, g lab.Figure
		want    Verdict
	}{
		{"converges each to its own", good, follows, exit, Holds},
		{"search does not improve", fig(0.01, 0, 0.05), follows, exit, DoesNotHold},
		{"learner finds the argmax anyway", good, fig(-0.3, -0.4, -0.2), exit, DoesNotHold},
		{"search data does not help", good, follows, fig(0, -0.1, 0.1), Inconclusive},
		{"follow unclear", good, fig(0.05, -0.05, 0.15), exit, Inconclusive},
		{"unmeasured", good, nan, exit, Inconclusive},
	}
	for _, c := range cases {
		if got, _ := convergenceVerdict(c.s, c.f, c.g); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestProblemSolvingRule(t *testing.T) {
	cases := []struct {
		name string
		d, a lab.Figure
		want Verdict
	}{
		{"search adapts, net errs", fig(0.8, 0.5, 1.1), fig(0.05, 0.02, 0.08), Holds},
		{"search flat", fig(0.01, -0.2, 0), fig(0.05, 0.02, 0.08), DoesNotHold},
		{"net flat", fig(0.8, 0.5, 1.1), fig(-0.01, -0.03, 0), DoesNotHold},
		{"unclear", fig(0.8, -0.1, 1.1), fig(0.05, 0.02, 0.08), Inconclusive},
	}
	for _, c := range cases {
		if got, _ := problemSolvingVerdict(c.d, c.a); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDataEfficiencyRule(t *testing.T) {
	cases := []struct {
		name string
		ds   []lab.Figure
		want Verdict
	}{
		{"hungry everywhere", []lab.Figure{fig(300, 200, 400), bound(5000)}, Holds},
		{"cheap at one budget", []lab.Figure{fig(300, 200, 400), fig(4, 2, 6)}, DoesNotHold},
		{"unclear", []lab.Figure{fig(300, 200, 400), fig(12, 5, 20)}, Inconclusive},
		{"bound too low to tell", []lab.Figure{bound(3)}, Inconclusive},
		{"nothing", nil, Inconclusive},
	}
	for _, c := range cases {
		if got, _ := dataEfficiencyVerdict(c.ds); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
