package maze

import (
	"fmt"
	"testing"

	"argmax/direct/valueiter"
)

var (
	_ valueiter.MDP      = (*Maze)(nil)
	_ valueiter.StateEnv = (*Maze)(nil)
	_ valueiter.MDP      = (*Model)(nil)
)

// TestModelAgreesWithStep: from every state, every action's outcome in
// the model is what Step does, and the standalone Model of the maze's own
// objective is the same table.
func TestModelAgreesWithStep(t *testing.T) {
	for _, cfg := range []Config{{}, {Dist: DistTest, StepCost: 0.25}, {Dist: DistTest, Reward: RewardRed}, {Dist: DistCornerTest, Obs: ObsEgo}} {
		m := must(New(cfg))
		for seed := range uint64(5) {
			m.Reset(seed)
			md := must(m.Model(""))
			if _, err := valueiter.NewTable(m); err != nil {
				t.Fatal(err)
			}
			if md.NumStates() != m.NumStates() || md.Start() != m.State() || m.StartProb(m.State()) != 1 {
				t.Fatalf("%+v: %d and %d states, start %d, agent in %d", cfg, md.NumStates(), m.NumStates(), md.Start(), m.State())
			}
			for s := range m.NumStates() {
				if got, _ := m.StateOf(m.PosOf(s)); got != s || md.Pos(s) != m.PosOf(s) {
					t.Fatalf("state %d at %v maps back to %d", s, m.PosOf(s), got)
				}
				_, isObj := m.ObjectAt(m.PosOf(s))
				for a := range 4 {
					p, next, r, term := m.Outcome(s, a, 0)
					p2, next2, r2, term2 := md.Outcome(s, a, 0)
					if m.NumOutcomes(s, a) != 1 || p != 1 || p2 != 1 || next != next2 || r != r2 || term != term2 {
						t.Fatalf("(%d, %d): maze (%v, %d, %v, %v), model (%v, %d, %v, %v)", s, a, p, next, r, term, p2, next2, r2, term2)
					}
					if isObj {
						if next != s || !term {
							t.Fatalf("terminal state %d, action %d: next %d, terminal %v", s, a, next, term)
						}
						continue
					}
					c := m.Clone().(*Maze)
					if err := c.SetState(s); err != nil {
						t.Fatal(err)
					}
					_, sr, sterm, _ := c.Step([]float64{float64(a)})
					if c.State() != next || sr != r || sterm != term {
						t.Fatalf("%+v, seed %d, (%d, %d): Step to %d, %v, %v; model %d, %v, %v", cfg, seed, s, a, c.State(), sr, sterm, next, r, term)
					}
				}
			}
		}
	}
	m := must(New(Config{}))
	if err := m.SetState(m.NumStates()); err == nil {
		t.Error("SetState out of range: no error")
	}
	if _, err := m.Model("blue"); err == nil {
		t.Error("Model(blue): no error")
	}
}

// TestFeatures: the features times FeatureWeights are the arrival rewards
// of the objective's model, in valueiter's LinearRewards layout.
func TestFeatures(t *testing.T) {
	m := must(New(Config{Dist: DistTest, StepCost: 0.1}))
	names := m.FeatureNames()
	if fmt.Sprint(names) != "[is_door is_key is_gem is_block is_red is_blue is_green is_yellow is_corner step value]" {
		t.Fatalf("features %v", names)
	}
	for seed := range uint64(10) {
		m.Reset(seed)
		f := m.Features()
		nF := len(names)
		if len(f) != m.NumStates()*nF {
			t.Fatalf("%d feature values for %d states", len(f), m.NumStates())
		}
		sum := make([]float64, nF)
		for s := range m.NumStates() {
			for k := range nF {
				sum[k] += f[s*nF+k]
			}
		}
		// One door, one red object; the corner if it is floor; step everywhere.
		corner := 0.0
		if !m.Wall(m.Corner()) {
			corner = 1
		}
		if sum[0] != 1 || sum[4] != 1 || sum[8] != corner || sum[9] != float64(m.NumStates()) {
			t.Fatalf("feature sums %v", sum)
		}
		for _, reward := range []string{RewardDoor, RewardRed, RewardGem} {
			md := must(m.Model(reward))
			w := must(m.FeatureWeights(reward))
			base := must(valueiter.NewTable(md))
			lin := must(base.WithFeatureRewards(f, w))
			for s := range m.NumStates() {
				for a := range 4 {
					_, n1, r1, t1 := md.Outcome(s, a, 0)
					_, n2, r2, t2 := lin.Outcome(s, a, 0)
					if n1 != n2 || r1 != r2 || t1 != t2 {
						t.Fatalf("%s, (%d, %d): model (%d, %v, %v), features (%d, %v, %v)", reward, s, a, n1, r1, t1, n2, r2, t2)
					}
				}
			}
		}
	}
}

// TestValueIteration: value iteration on the level's model walks a
// shortest path (around the other objects) to the object its objective
// rewards.
func TestValueIteration(t *testing.T) {
	for _, c := range []struct {
		cfg    Config
		gamma  float64
		target int // index in Objects
	}{
		{Config{Dist: DistTest}, 0.99, 0},
		{Config{Dist: DistTest, StepCost: 0.01}, 1, 0},
		{Config{Dist: DistTest, Reward: RewardRed}, 0.95, 1},
		{Config{Dist: DistCornerTest, Size: 11, Walls: 0.3}, 0.99, 0},
		{Config{Dist: DistTrain, Size: 9, Distractors: 6, Walls: 0.4}, 0.99, 0},
	} {
		m := must(New(c.cfg))
		for seed := range uint64(25) {
			m.Reset(seed)
			target := m.Objects()[c.target]
			want := distances(m, m.Start(), true)[target.Pos]
			sol := must(valueiter.ValueIteration(must(valueiter.NewTable(m)), valueiter.Config{Gamma: c.gamma}))
			greedy := sol.Greedy()
			steps := 0
			for {
				steps++
				if _, _, term, trunc := m.Step([]float64{float64(greedy[m.State()])}); term || trunc {
					break
				}
			}
			if got, ok := m.Reached(); !ok || got != target || steps != want {
				t.Fatalf("%+v, seed %d: reached %v (%v) in %d steps, want %v in %d\n%s", c.cfg, seed, got, ok, steps, target, want, m.render(false))
			}
		}
	}
}
