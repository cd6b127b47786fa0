package power_test

import (
	"math"
	"testing"

	"argmax/probe/power"
)

// MEG over levels with a shared β is MEG when the levels are one MDP: the
// same episodes, split over two copies of the table, give the same figure.
func TestMEGLevelsIsMEGOnOneMDP(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, red, _ := utilities(g)
	eps, _ := rollouts(tab, softPolicy(t, tab, door, 8), megHorizon, 60, 21)
	for _, r := range [][]float64{door, red} {
		want := mustMEG(t, tab, r, eps, megCfg)
		got, err := power.MEGLevels([]power.Observed{{Table: tab, Reward: r, Episodes: eps[:25]}, {Table: tab, Reward: r, Episodes: eps[25:]}}, megCfg)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Bits-want.Bits) > 1e-9 || math.Abs(got.Beta-want.Beta) > 1e-6*want.Beta+1e-9 {
			t.Errorf("split levels: %v bits at β %v; one MDP: %v bits at β %v", got.Bits, got.Beta, want.Bits, want.Beta)
		}
	}
	if _, err := power.MEGLevels(nil, megCfg); err == nil {
		t.Error("no levels: no error")
	}
}
