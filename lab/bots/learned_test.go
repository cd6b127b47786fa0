package bots

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
	"argmax/lab/cache"
)

// TestLearnedKinds makes every learned and rule kind from a spec in a
// small environment, asks each for a move, and checks roles, the suite
// and the errors of bad specs.
func TestLearnedKinds(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Context: context.Background(), Cache: c, TrainSteps: 3, TrainPositions: 60, TrainSeed: 2}
	st, _ := connect4.Parse("4453")
	for _, spec := range []string{"tactical", "depth:depth=2", "net:size=tiny", "table", "guided:size=tiny,sims=32", "net:size=tiny,labels=demo", "net:size=tiny,labels=search,label_sims=8"} {
		d, err := NewIn(env, connect4.Game{}, spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		a, _, err := d.Decide(context.Background(), st, argmax.Budget{})
		if err != nil || !st.IsLegal(a) {
			t.Errorf("%s: move %d, %v", spec, a, err)
		}
		if strings.HasPrefix(spec, "net") || strings.HasPrefix(spec, "guided") {
			if tr, ok := d.(argmax.Trainable); !ok || tr.TrainingCost().Iterations != 3 {
				t.Errorf("%s: not trainable, or not trained for 3 steps", spec)
			}
		}
	}
	// A checkpoint written by one spec loads in another.
	d, _ := NewIn(env, connect4.Game{}, "net:size=tiny")
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := d.(interface{ Save(string) error }).Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := NewIn(env, connect4.Game{}, "net:checkpoint="+path); err != nil {
		t.Errorf("loading %s: %v", path, err)
	}
	for spec, want := range map[string]string{
		"net:size=huge":                      "size",
		"net:labels=oracle":                  "labels",
		"net:checkpoint=/no/such/file":       "no such file",
		"net:checkpoint=x.safetensors,n=100": "checkpoint",
		"depth:ties=sometimes":               "ties",
	} {
		if _, err := NewIn(env, connect4.Game{}, spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to mention %q", spec, err, want)
		}
	}
	if _, err := New(tictactoe.Game{}, "tactical"); err == nil || !strings.Contains(err.Error(), "does not play") {
		t.Errorf("tactical on tic-tac-toe: %v", err)
	}
	roles := map[string]argmax.Role{}
	for _, e := range Suite("connect4") {
		roles[e.Spec] = e.Role
	}
	for spec, want := range map[string]argmax.Role{"random": argmax.Baseline, "tactical": argmax.Baseline, "mcts": argmax.Direct, "solver": argmax.Direct, "net:size=small": argmax.Amortized, "table": argmax.Amortized, "guided:size=small": argmax.Hybrid} {
		if roles[spec] != want {
			t.Errorf("suite entry %s: role %q, want %q", spec, roles[spec], want)
		}
	}
	for _, e := range Suite("tictactoe") {
		if e.Spec == "tactical" || strings.HasPrefix(e.Spec, "net") {
			t.Errorf("tic-tac-toe suite holds the connect-four-only %s", e.Spec)
		}
	}
}

func TestCheckpointKinds(t *testing.T) {
	for _, spec := range []string{"arbiter", "alphazero:sims=10", "gumbel"} {
		if _, err := New(connect4.Game{}, spec); err == nil || !strings.Contains(err.Error(), "checkpoint=PATH") {
			t.Errorf("%s: %v", spec, err)
		}
	}
	// Trained from the spec, through the cache, once.
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Context: context.Background(), Cache: c}
	for range 2 {
		d, err := NewIn(env, tictactoe.Game{}, "alphazero:iterations=2,games=16,size=tiny,sims=8")
		if err != nil {
			t.Fatal(err)
		}
		if tr, ok := d.(argmax.Trainable); !ok || tr.TrainingCost().Iterations == 0 {
			t.Errorf("alphazero from a spec: not trained (%T)", d)
		}
	}
	l, err := supervised.NewLearner(tictactoe.Game{}, supervised.Config{Net: supervised.Tiny, OnesPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ttt.safetensors")
	if err := l.Policy().Save(path); err != nil {
		t.Fatal(err)
	}
	g := tictactoe.Game{}
	for _, spec := range []string{"net:checkpoint=" + path, "alphazero:checkpoint=" + path + ",sims=16", "arbiter:checkpoint=" + path + ",margin=0.5,min_sims=4,max_sims=16", "arbiter:checkpoint=" + path + ",search=mcts", "gumbel:checkpoint=" + path + ",sims=8,noise=false"} {
		d, err := New(g, spec)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if a, _, err := d.Decide(context.Background(), g.New(), argmax.Budget{}); err != nil || a > 8 {
			t.Errorf("%s: move %d, %v", spec, a, err)
		}
	}
	if _, err := New(connect4.Game{}, "net:checkpoint="+path); err == nil || !strings.Contains(err.Error(), "holds a net for tictactoe") {
		t.Errorf("a tic-tac-toe net on connect four: %v", err)
	}
	if _, err := New(g, "net:size=tiny"); err == nil || !strings.Contains(err.Error(), "connect4 only") {
		t.Errorf("a trained net for tic-tac-toe: %v", err)
	}
	if _, err := New(g, "arbiter:checkpoint="+path+",search=solver"); err == nil || !strings.Contains(err.Error(), "want alphazero") {
		t.Errorf("arbiter with an unknown search: %v", err)
	}
}
