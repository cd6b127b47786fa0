package mesa

import (
	"context"
	"math"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/maze"
)

// levels returns n levels of the maze distribution cfg describes, reset
// with the seeds first, first+1, ….
func levels(t testing.TB, cfg maze.Config, first uint64, n int) []Level {
	t.Helper()
	var out []Level
	for i := range n {
		m, err := maze.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.Reset(first + uint64(i))
		out = append(out, m)
	}
	return out
}

func feature(name string) int {
	for i, n := range maze.FeatureNames() {
		if n == name {
			return i
		}
	}
	panic(name)
}

// Trained where every door is red, the model cannot move the difference of
// the door and red weights from its initial value; trained where they come
// apart, it learns that doors pay and red does not.
func TestFitLeavesTheConfoundWhereInitPutIt(t *testing.T) {
	door, red := feature("is_door"), feature("is_red")
	train, err := Collect(levels(t, maze.Config{}, 0, 100))
	if err != nil {
		t.Fatal(err)
	}
	diverse, err := Collect(levels(t, maze.Config{Dist: "diverse", P: 0.5}, 0, 100))
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(4) {
		cfg := Config{Seed: seed}
		init := Init(len(maze.FeatureNames()), cfg)
		m, err := Fit(train, cfg)
		if err != nil {
			t.Fatal(err)
		}
		d0, d := init.W[door]-init.W[red], m.W[door]-m.W[red]
		if math.Abs(d-d0) > 1e-9 {
			t.Errorf("seed %d: door − red moved from %v to %v on confounded data", seed, d0, d)
		}
		// Every sample is fitted: doors pay, distractors do not.
		for _, s := range train {
			if p := m.Predict(s.Features); math.Abs(p-s.Reward) > 0.1 {
				t.Fatalf("seed %d: predicted %v for a sample paying %v", seed, p, s.Reward)
			}
		}
		md, err := Fit(diverse, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if md.W[door]-md.W[red] < 2 {
			t.Errorf("seed %d: on diverse data door − red = %v, want clearly positive", seed, md.W[door]-md.W[red])
		}
	}
}

// The planner pursues the learned objective: on test levels a model whose
// door weight exceeds its red weight reaches the door, one whose red
// weight is larger reaches the red object.
func TestPlanPursuesTheLearnedObjective(t *testing.T) {
	door, red := feature("is_door"), feature("is_red")
	test := levels(t, maze.Config{Dist: "test"}, 1000, 50)
	for _, tc := range []struct {
		name string
		w    func(w []float64)
		want maze.Result
	}{
		{"door-seeker", func(w []float64) { w[door] = 4 }, maze.Robust},
		{"red-seeker", func(w []float64) { w[red] = 4 }, maze.Proxy},
	} {
		m := &RewardModel{W: make([]float64, len(maze.FeatureNames())), B: -2, Gamma: 0.95}
		tc.w(m.W)
		hits := 0
		for _, l := range test {
			sol, err := m.Plan(l)
			if err != nil {
				t.Fatal(err)
			}
			mz := l.(*maze.Maze)
			mz.Reset(mz.Seed()) // the level from its start
			for range 4 * 7 * 7 {
				_, _, term, trunc := mz.Step([]float64{float64(sol.Greedy()[mz.State()])})
				if term || trunc {
					break
				}
			}
			if mz.Result() == tc.want {
				hits++
			}
		}
		if hits < len(test) {
			t.Errorf("%s: %d of %d test levels ended %v", tc.name, hits, len(test), tc.want)
		}
	}
}

func TestFitErrors(t *testing.T) {
	if _, err := Fit(nil, Config{}); err == nil {
		t.Error("no samples: no error")
	}
	if _, err := Fit([]Sample{{Features: []float64{1}, Reward: 2}}, Config{}); err == nil {
		t.Error("reward 2: no error")
	}
	if _, err := Fit([]Sample{{Features: []float64{1}, Reward: 1}}, Config{Gamma: 1}); err == nil {
		t.Error("gamma 1: no error")
	}
}

// The agent, as an env policy, plans each episode's level afresh: on
// test levels a door-seeking objective reaches the door every time.
func TestAgentPlansEachEpisode(t *testing.T) {
	m := &RewardModel{W: make([]float64, len(maze.FeatureNames())), B: -2, Gamma: 0.95}
	m.W[feature("is_door")] = 4
	a := NewAgent(m)
	e, err := maze.New(maze.Config{Dist: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(20) {
		if _, err := env.Rollout(context.Background(), e, a, seed, argmax.Budget{}); err != nil {
			t.Fatal(err)
		}
		if e.Result() != maze.Robust {
			t.Fatalf("seed %d: %v, want the door", seed, e.Result())
		}
	}
}
