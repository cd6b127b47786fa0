package envs

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/maze"
)

func TestMazeKind(t *testing.T) {
	for _, c := range []struct {
		spec    string
		obsDim  int
		objects int
		states  int // 0: not checked
	}{
		{"maze", 81 * 10, 3, 0},
		{"maze:obs=ego", 25 * 9, 3, 0},
		{"maze:obs=ego,radius=1,size=5", 9 * 9, 3, 0},
		{"maze:dist=test,distractors=0,walls=0", 81 * 10, 2, 49},
		{"maze:dist=diverse,p=1,distractors=4", 81 * 10, 6, 0},
		{"maze:dist=corner-train,size=9,walls=0.3,step_cost=0.01,max_steps=50,reward=door,limit=40", 121 * 10, 3, 0},
	} {
		e, err := New(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		m, ok := mazeOf(e)
		if !ok || e.Name() != "maze" || e.ObservationSpace().Dim() != c.obsDim || e.ActionSpace().String() != "Discrete(4)" ||
			len(m.Objects()) != c.objects || (c.states > 0 && m.NumStates() != c.states) {
			t.Errorf("%s: %v, observations %d, actions %v, objects %v", c.spec, e, e.ObservationSpace().Dim(), e.ActionSpace(), m.Objects())
		}
	}
	e, _ := New("maze:dist=corner-train,size=9,walls=0.3,step_cost=0.01,max_steps=50,reward=door")
	m, _ := mazeOf(e)
	if cfg := m.Config(); cfg.Dist != maze.DistCornerTrain || cfg.Size != 9 || cfg.Walls != 0.3 || cfg.StepCost != 0.01 || cfg.MaxSteps != 50 || cfg.Reward != maze.RewardDoor {
		t.Errorf("config %+v", cfg)
	}
	for spec, want := range map[string]string{
		"maze:dist=tset":     `Dist="tset": want train, test`,
		"maze:p=0.5":         `P=0.5: only the diverse distribution takes P`,
		"maze:radius=2":      `Radius=2: only the ego observation takes a radius`,
		"maze:size=4":        `key size=4: out of range [5, 32]`,
		"maze:walls=0.9":     `key walls=0.9: out of range [0, 0.5]`,
		"maze:distractors=9": `Distractors=9: want 1..Size (7)`,
		"maze:reward=blue":   `Reward="blue": want door, red, gem or value`,
		"maze:obs=pixels":    `Obs="pixels": want global or ego`,
		"maze:colour=red":    `unknown key "colour" for maze`,
	} {
		_, err := New(spec)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "env spec ") {
			t.Errorf("%s: %v, want an error containing %q", spec, err, want)
		}
	}
	if u := Usage(); !strings.Contains(u, "maze[:dist=train|test|diverse|corner-train|corner-test|collect,p=P,items=N,size=N,distractors=N,walls=D,obs=global|ego,radius=R,reward=door|red|gem|value,step_cost=C,max_steps=N]") {
		t.Errorf("usage:\n%s", u)
	}
}

// TestMazePlanner: on test levels, the planner of the true objective
// reaches the door and the wrong-reward planner the red object, in every
// episode (each a new level, solved anew), also under a wrapper.
func TestMazePlanner(t *testing.T) {
	const episodes = 300
	for _, c := range []struct {
		spec, policy string
		want         maze.Result // Neither: not checked
		perf         float64
	}{
		{"maze:dist=test", "mazeplan:reward=door", maze.Robust, 1},
		{"maze:dist=test,limit=100,sticky=0", "mazeplan:reward=red", maze.Proxy, 0},
		{"maze:dist=test,reward=red", "mazeplan", maze.Proxy, 0},
		// A shortest path to the gem may pass through the empty corner
		// (a proxy's route): only the performance is checked.
		{"maze:dist=corner-test,obs=ego", "mazeplan:gamma=0.9", maze.Neither, 1},
	} {
		e, err := New(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPolicy(e, c.spec, c.policy)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := mazeOf(e)
		hits, solves := 0, int64(0)
		for seed := range uint64(episodes) {
			ep, err := env.Rollout(context.Background(), e, p, seed, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			if (c.want == maze.Neither || m.Result() == c.want) && ep.Performance == c.perf && !ep.Truncated {
				hits++
			}
			if ep.Cost.Iterations > 0 {
				solves++
			}
		}
		// The experiment asks for at least 99%; a planner with the exact
		// model gets every one.
		if hits < episodes*99/100 || solves != episodes {
			t.Errorf("%s with %s: %d of %d episodes %v, %d solves", c.spec, c.policy, hits, episodes, c.want, solves)
		}
		t.Logf("%s with %s: %d of %d episodes as wanted (result %v, performance %v)", c.spec, c.policy, hits, episodes, c.want, c.perf)
	}
	e, _ := New("cartpole")
	if _, err := NewPolicy(e, "cartpole", "mazeplan"); err == nil || !strings.Contains(err.Error(), "mazeplan needs a maze env") {
		t.Errorf("mazeplan on cartpole: %v", err)
	}
	e, _ = New("maze")
	if _, err := NewPolicy(e, "maze", "mazeplan:reward=blue"); err == nil || !strings.Contains(err.Error(), `key reward="blue"`) {
		t.Errorf("mazeplan:reward=blue: %v", err)
	}
	if k, err := LookupPolicy("mazeplan"); err != nil || k.Role != argmax.Direct || !k.Privileged {
		t.Errorf("mazeplan kind %+v: %v", k, err)
	}
}
