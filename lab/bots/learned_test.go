package bots

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/game/connect4"
	"argmax/game/connect4/positions"
	"argmax/game/tictactoe"
	"argmax/hybrid/arbiter"
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

// TestExpertIterationKinds: the net, Gumbel search and the arbiter over a
// net trained from its spec, the raw-self-play baseline, and the
// arbiter's calibration on training positions.
func TestExpertIterationKinds(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Context: context.Background(), Cache: c}
	g := connect4.Game{}
	net := "iterations=1,games=8,size=tiny,train_sims=8"
	s := g.New()
	for _, spec := range []string{"aznet:" + net, "aznet:" + net + ",raw=true", "gumbel:" + net + ",sims=4", "arbiter:" + net + ",margin=0.2,min_sims=4,max_sims=16"} {
		d, err := NewIn(env, g, spec)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		if a, _, err := d.Decide(context.Background(), s, argmax.Budget{}); err != nil || a > 6 {
			t.Errorf("%s: move %d, %v", spec, a, err)
		}
	}
	// Calibrated for no search, the arbiter searches only where the
	// tactical check fails; for a large mean budget, nearly everywhere.
	ps, err := positions.Set("middle-deep")
	if err != nil {
		t.Fatal(err)
	}
	share := func(meanSims int) float64 {
		d, err := NewIn(env, g, fmt.Sprintf("arbiter:%s,mean_sims=%d,calib=train-middle-deep,calib_positions=200,min_sims=2,max_sims=8", net, meanSims))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps[:40] {
			st, _ := p.State()
			if _, _, err := d.Decide(context.Background(), st, argmax.Budget{}); err != nil {
				t.Fatal(err)
			}
		}
		return d.(*arbiter.Arbiter).Stats().SearchShare()
	}
	if lo, hi := share(0), share(8); !(lo < hi && hi > 0.5) {
		t.Errorf("search share calibrated for 0 sims %.2f, for 8 sims %.2f: want the second larger and most positions", lo, hi)
	}
	for spec, want := range map[string]string{
		"aznet:" + net + ",raw=true,gumbel=true":             "raw self-play has no search",
		"arbiter:" + net + ",margin=0.2,mean_sims=10":        "not both",
		"arbiter:" + net + ",mean_sims=10,calib=test-middle": "want train",
		"aznet:checkpoint=x.safetensors,iterations=3":        "not trained",
	} {
		if _, err := NewIn(env, g, spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", spec, err, want)
		}
	}
	if _, err := NewIn(env, tictactoe.Game{}, "arbiter:iterations=1,games=8,size=tiny,train_sims=8,mean_sims=10"); err == nil || !strings.Contains(err.Error(), "give margin") {
		t.Errorf("arbiter calibration on tic-tac-toe: %v", err)
	}
}

func TestTrainFilter(t *testing.T) {
	deepMiddle := positions.Position{Moves: strings.Repeat("4", 3) + strings.Repeat("1", 6) + "2222333", Deep: true} // 16 plies
	shallowEnd := positions.Position{Moves: strings.Repeat("1234567", 4)}                                            // 28 plies
	for _, c := range []struct {
		set        string
		deep, end  bool
		shouldFail bool
	}{
		{"train", true, true, false},
		{"train-deep", true, false, false},
		{"train-middle", true, false, false},
		{"train-middle-deep", true, false, false},
		{"train-end", false, true, false},
		{"train-end-deep", false, false, false},
		{"middle", false, false, true},
		{"train-late", false, false, true},
		{"trainmiddle", false, false, true},
	} {
		keep, err := trainFilter(c.set)
		if c.shouldFail {
			if err == nil {
				t.Errorf("%s: no error", c.set)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.set, err)
			continue
		}
		if keep(deepMiddle) != c.deep || keep(shallowEnd) != c.end {
			t.Errorf("%s: keeps the deep middle-game position %v, the end-game one %v; want %v, %v", c.set, keep(deepMiddle), keep(shallowEnd), c.deep, c.end)
		}
	}
}
