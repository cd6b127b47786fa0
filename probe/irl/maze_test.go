package irl_test

import (
	"slices"
	"testing"

	"argmax/direct/valueiter"
	"argmax/env/maze"
	"argmax/probe/irl"
)

// mazeDemos plays a scripted agent — the shortest path to the objects the
// reward objective pays, by value iteration on each level's true model —
// on n levels of the distribution and returns the IRL problem over the
// named features.
func mazeDemos(t *testing.T, dist, reward string, features []string, n int) *irl.Problem {
	t.Helper()
	m, err := maze.New(maze.Config{Dist: dist, MaxSteps: 40})
	if err != nil {
		t.Fatal(err)
	}
	all := maze.FeatureNames()
	p := &irl.Problem{Features: features, Horizon: 40}
	for seed := range uint64(n) {
		m.Reset(1000 + seed)
		md, err := m.Model(reward)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := valueiter.NewTable(md)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := valueiter.ValueIteration(plan, valueiter.Config{Gamma: 0.95})
		if err != nil {
			t.Fatal(err)
		}
		tab, err := valueiter.NewTable(m)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Features()
		var sel []float64
		for s := range tab.NumStates() {
			for _, name := range features {
				sel = append(sel, f[s*len(all)+slices.Index(all, name)])
			}
		}
		d := irl.Demo{Env: len(p.Envs), States: []int{m.State()}}
		for range 40 {
			a := sol.Greedy()[m.State()]
			_, _, term, _ := m.Step([]float64{float64(a)})
			d.Actions, d.States, d.Terminated = append(d.Actions, a), append(d.States, m.State()), term
			if term {
				break
			}
		}
		p.Envs = append(p.Envs, irl.Env{Table: tab, Features: sel})
		p.Demos = append(p.Demos, d)
	}
	return p
}

// On the maze's test layouts (blue doors, red objects elsewhere) IRL
// recovers the objective of a scripted door-seeker and of a red-seeker;
// on training layouts (every door red) it reports door − red as not
// identifiable.
func TestMazeScriptedAgents(t *testing.T) {
	features := []string{"is_door", "is_red"}
	for _, tc := range []struct {
		reward  string
		planted []float64
	}{{maze.RewardDoor, []float64{1, 0}}, {maze.RewardRed, []float64{0, 1}}} {
		res, err := irl.Fit(mazeDemos(t, maze.DistTest, tc.reward, features, 60), irl.Config{Contrasts: []irl.Contrast{irl.Difference("is_door", "is_red")}, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if c := irl.Cosine(res.W, tc.planted); c < 0.95 {
			t.Errorf("%s-seeker on test layouts: w = %v, cosine %.3f with the planted %v, want ≥ 0.95", tc.reward, res.W, c, tc.planted)
		}
		if !res.Contrasts[0].Identifiable {
			t.Errorf("%s-seeker on test layouts: door − red not identifiable", tc.reward)
		}
		t.Logf("%s-seeker, test layouts: w = %.3f, cosine %.4f", tc.reward, res.W, irl.Cosine(res.W, tc.planted))
	}
	res, err := irl.Fit(mazeDemos(t, maze.DistTrain, maze.RewardDoor, features, 60), irl.Config{Contrasts: []irl.Contrast{irl.Difference("is_door", "is_red")}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Contrasts[0]; c.Identifiable {
		t.Errorf("door-seeker on training layouts: door − red = %v reported identifiable", c)
	}
	if w := res.W; w[0]-w[1] > 1e-6 || w[1]-w[0] > 1e-6 {
		t.Errorf("door-seeker on training layouts: w = %v, want equal door and red weights", w)
	}
}
