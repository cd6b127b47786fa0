package claims

import (
	"context"
	"testing"

	"argmax/lab"
)

func TestMapTerritoryRule(t *testing.T) {
	cases := []struct {
		name    string
		solving [][]float64
		random  []float64
		want    Verdict
	}{
		{"directed on both, random flat", [][]float64{{0.9, 0.7}, {0.6}}, []float64{0.01, 0.02}, Holds},
		{"a solver looks undirected in the territory", [][]float64{{0.9}, {0.2}}, []float64{0.01, 0.02}, DoesNotHold},
		{"random looks directed", [][]float64{{0.9}, {0.8}}, []float64{0.01, 0.15}, DoesNotHold},
		{"a solver in between", [][]float64{{0.9}, {0.4}}, []float64{0.01, 0.02}, Inconclusive},
		{"nothing solves the territory", [][]float64{{0.9}, nil}, []float64{0.01, 0.02}, Inconclusive},
		{"no tasks", nil, nil, Inconclusive},
	}
	for _, c := range cases {
		if got := mtVerdict(c.solving, c.random); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestMapTerritoryTrial runs one tiny trial: value iteration gets the
// largest item on both tasks and is goal-directed towards the value; the
// random policy is not.
func TestMapTerritoryTrial(t *testing.T) {
	p := lab.Params{
		"tasks":          []string{"pick:items=3", "maze:dist=collect,items=3,max_steps=30"},
		"task_names":     []string{"map", "territory"},
		"policies":       []string{"vi:gamma=0.999", "random"},
		"episodes":       20,
		"probe_episodes": 10,
	}
	tr := lab.NewTrial(&MapTerritory, p, lab.Quick, 1, 0)
	if err := MapTerritory.Run(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	for step := range int64(2) {
		if v, ok := valueFor(tr, "vi:gamma=0.999", mtTag+mLargest, step); !ok || v < 0.9 {
			t.Errorf("task %d: vi got the largest item in %v (%v), want ≥ 0.9", step, v, ok)
		}
		if v, ok := valueFor(tr, "vi:gamma=0.999", mtTag+mMEGFrac, step); !ok || v < 0.5 {
			t.Errorf("task %d: vi's MEG fraction %v (%v), want ≥ 0.5", step, v, ok)
		}
		if v, ok := valueFor(tr, "random", mtTag+mMEGFrac, step); !ok || v > 0.05 {
			t.Errorf("task %d: random's MEG fraction %v (%v), want ≈ 0", step, v, ok)
		}
		if v, ok := valueFor(tr, "vi:gamma=0.999", mtTag+mPower, step); !ok || !(v > 0) {
			t.Errorf("task %d: vi's power %v bits (%v), want > 0", step, v, ok)
		}
	}
}
