package bots

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
)

func TestParseSpec(t *testing.T) {
	good := []struct {
		in   string
		want Spec
	}{
		{"random", Spec{Kind: "random"}},
		{" mcts:sims=800, seed=1 ", Spec{Kind: "mcts", Args: []KeyValue{{Key: "sims", Value: "800"}, {Key: "seed", Value: "1"}}}},
		{"mcts:reuse", Spec{Kind: "mcts", Args: []KeyValue{{Key: "reuse", Bare: true}}}},
	}
	for _, tc := range good {
		got, err := ParseSpec(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got.Kind != tc.want.Kind || !slices.Equal(got.Args, tc.want.Args) {
			t.Errorf("%q: got %+v, want %+v", tc.in, got, tc.want)
		}
		if again, _ := ParseSpec(got.String()); again.String() != got.String() {
			t.Errorf("%q: round trip %q -> %q", tc.in, got.String(), again.String())
		}
	}
	bad := []struct{ in, want string }{
		{"", "no kind"},
		{":sims=1", "no kind"},
		{"MCTS", `kind "MCTS"`},
		{"mcts:", `argument 1 "": no key`},
		{"mcts:sims=1,,seed=2", `argument 2 "": no key`},
		{"mcts:=5", "no key"},
		{"mcts:sims=1,sims=2", `key "sims" given twice`},
		{"mcts:sims=", `key "sims": empty value`},
		{"mcts:Sims=1", `key "Sims"`},
	}
	for _, tc := range bad {
		_, err := ParseSpec(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `bot spec "`) {
			t.Errorf("%q: error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

// TestNewErrors checks that every kind of bad spec gets an error naming the
// spec and what is wrong.
func TestNewErrors(t *testing.T) {
	g := connect4.Game{}
	bad := []struct{ spec, want string }{
		{"alphago", `unknown kind "alphago" (known: `},
		{"mcts:simz=5", `unknown key "simz" for mcts (mcts has keys: alpha, batch, c,`},
		{"mcts:simz=5,foo=1", `unknown keys "simz", "foo" for mcts`},
		{"random:sims=5", `unknown key "sims" for random (random has keys: seed)`},
		{"mcts:sims=abc", `key sims="abc": not an integer`},
		{"mcts:sims=0", `key sims=0: out of range [1,`},
		{"mcts:sims=1.5", `key sims="1.5": not an integer`},
		{"mcts:time=soon", `key time="soon": not a duration`},
		{"mcts:time=-1s", `key time="-1s": want a positive duration`},
		{"mcts:c=x", `key c="x": not a number`},
		{"mcts:c=-1", `key c=-1: out of range`},
		{"mcts:solver=maybe", `key solver="maybe": not a boolean`},
		{"mcts:sims", `key sims needs a value`},
		{"mcts:select=minimax", `key select: selection "minimax": want uct or puct`},
		{"mcts:alpha=0.3", "alpha=0.3 without noise"},
		{"mcts:threads=0", "key threads=0: out of range"},
		{"random:seed=-1", `key seed="-1": not an unsigned integer`},
	}
	for _, tc := range bad {
		_, err := New(g, tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.spec, err, tc.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "bot spec "+`"`+tc.spec+`"`) {
			t.Errorf("%q: error %q does not name the spec", tc.spec, err)
		}
	}
}

// TestMCTSSpec checks that the keys reach the search configuration.
func TestMCTSSpec(t *testing.T) {
	b, err := New(connect4.Game{}, "mcts:sims=1e3,seed=9,threads=2,c=2,select=puct,fpu=-0.5,rollouts=3,batch=4,solver=off,reuse,noise=0.25,temp=0.5,maxnodes=100000,time=2s,nodes=99999")
	if err != nil {
		t.Fatal(err)
	}
	cfg := b.(*mcts.Searcher).Config()
	want := argmax.Budget{Simulations: 1000, Time: 2 * time.Second, Nodes: 99999}
	if cfg.Budget != want || cfg.Seed != 9 || cfg.Threads != 2 || cfg.C != 2 || cfg.Selection != mcts.PUCT ||
		cfg.FPU != -0.5 || cfg.Evaluator.(*mcts.Rollouts).N != 3 || cfg.Batch != 4 || cfg.Solver || !cfg.Reuse ||
		cfg.NoiseAlpha != 0.3 || cfg.NoiseFraction != 0.25 || cfg.Temperature != 0.5 || cfg.MaxNodes != 100000 {
		t.Errorf("config %+v", cfg)
	}
	b, err = New(connect4.Game{}, "mcts")
	if err != nil {
		t.Fatal(err)
	}
	if cfg := b.(*mcts.Searcher).Config(); !cfg.Solver || cfg.Reuse || cfg.Budget != (argmax.Budget{}) || cfg.Selection != mcts.UCT {
		t.Errorf("defaults %+v", cfg)
	}
	// The spec's budget is the bot's default budget.
	st := connect4.New()
	b, _ = New(connect4.Game{}, "mcts:sims=123")
	if _, cost, err := b.Decide(context.Background(), st, argmax.Budget{}); err != nil || cost.Simulations != 123 {
		t.Errorf("sims=123: cost %+v, err %v", cost, err)
	}
	if _, cost, err := b.Decide(context.Background(), st, argmax.Budget{Simulations: 50}); err != nil || cost.Simulations != 50 {
		t.Errorf("caller budget 50: cost %+v, err %v", cost, err)
	}
	// A costly model: the same decision, every counted model step at least
	// step_cost slower.
	plain, _ := New(connect4.Game{}, "mcts:sims=40,seed=3")
	slow, err := New(connect4.Game{}, "mcts:sims=40,seed=3,step_cost=20us")
	if err != nil {
		t.Fatal(err)
	}
	a1, c1, _ := plain.Decide(context.Background(), st, argmax.Budget{})
	start := time.Now()
	a2, c2, err := slow.Decide(context.Background(), st, argmax.Budget{})
	if el := time.Since(start); err != nil || a1 != a2 || c1.Steps != c2.Steps || el < time.Duration(c2.Steps)*20*time.Microsecond {
		t.Errorf("step_cost=20us: move %d vs %d, steps %d vs %d, %v for %d steps, err %v", a2, a1, c2.Steps, c1.Steps, el, c2.Steps, err)
	}
}

// TestRandom checks that the random bot plays legal moves, all of them over
// positions and seeds, the same move for the same seed and position.
func TestRandom(t *testing.T) {
	seen := map[game.Action]int{}
	st := connect4.New()
	for seed := 0; seed < 200; seed++ {
		b, err := New(connect4.Game{}, fmt.Sprintf("random:seed=%d", seed))
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := b.Decide(context.Background(), st, argmax.Budget{})
		if err != nil || !st.IsLegal(a) {
			t.Fatalf("seed %d: move %d, err %v", seed, a, err)
		}
		again, _, _ := b.Decide(context.Background(), st, argmax.Budget{})
		if again != a {
			t.Errorf("seed %d: %d then %d in the same position", seed, a, again)
		}
		seen[a]++
	}
	if len(seen) != connect4.Width {
		t.Errorf("moves seen over 200 seeds: %v", seen)
	}
	full, _ := connect4.Parse("1111112")
	b, _ := New(connect4.Game{}, "random")
	for i := 0; i < 50; i++ {
		st := full.Clone()
		st.Play(game.Action(1 + i%6))
		if a, _, _ := b.Decide(context.Background(), st, argmax.Budget{}); a == 0 {
			t.Fatalf("random played the full column")
		}
	}
	over, _ := connect4.Parse("1212121")
	if _, _, err := b.Decide(context.Background(), over, argmax.Budget{}); err == nil {
		t.Errorf("finished game: no error")
	}
}

func TestGames(t *testing.T) {
	for _, name := range []string{"connect4", "tictactoe"} {
		g, err := Game(name)
		if err != nil || g.Name() != name {
			t.Errorf("%s: %v, %v", name, g, err)
		}
	}
	if _, err := Game("chess"); err == nil || !strings.Contains(err.Error(), `unknown game "chess" (known: connect4, tictactoe)`) {
		t.Errorf("chess: %v", err)
	}
	if !slices.Contains(Games(), "tictactoe") || !slices.Contains(Kinds(), "mcts") || !strings.Contains(Usage(), "mcts[:sims=N") {
		t.Errorf("games %v, kinds %v, usage %q", Games(), Kinds(), Usage())
	}
}

// TestRegister checks that a new kind can be added and used, and that bad
// or duplicate names panic.
func TestRegister(t *testing.T) {
	t.Cleanup(func() {
		mu.Lock()
		delete(kinds, "test-first")
		mu.Unlock()
	})
	RegisterKind(Kind{Name: "test-first", Usage: "test-first  plays the first legal move", Role: argmax.Baseline,
		New: func(g game.Game, a *Args) (game.Decider, error) {
			return first{offset: int(a.Int("skip", 0, 0, 10))}, nil
		}})
	b, err := New(connect4.Game{}, "test-first:skip=2")
	if err != nil {
		t.Fatal(err)
	}
	if a, _, _ := b.Decide(context.Background(), connect4.New(), argmax.Budget{}); a != 2 {
		t.Errorf("test-first:skip=2 played %d", a)
	}
	nop := func(game.Game, *Args) (game.Decider, error) { return nil, nil }
	for _, k := range []Kind{
		{Name: "test-first", Role: argmax.Direct, New: nop}, // duplicate
		{Name: "Bad", Role: argmax.Direct, New: nop},
		{Name: "", Role: argmax.Direct, New: nop},
		{Name: "test-norole", New: nop},
		{Name: "test-badrole", Role: "clever", New: nop},
		{Name: "test-nofactory", Role: argmax.Direct},
		{Name: "test-badrest", Role: argmax.Direct, Rest: "Cmd", New: nop},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("RegisterKind(%+v): no panic", k)
				}
			}()
			RegisterKind(k)
		}()
	}
}

type first struct{ offset int }

func (f first) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	return s.Legal(nil)[f.offset], argmax.Cost{}, nil
}

// TestSolverKind checks that "solver" makes the exact solver of each game:
// it plays the only non-losing move.
func TestSolverKind(t *testing.T) {
	for _, tc := range []struct{ game, moves string }{{"connect4", "41414"}, {"tictactoe", "152"}} {
		g, _ := Game(tc.game)
		b, err := New(g, "solver")
		if err != nil {
			t.Fatal(err)
		}
		st, _ := g.Parse(tc.moves)
		want := map[string]game.Action{"connect4": 3, "tictactoe": 2}[tc.game]
		if a, _, err := b.Decide(context.Background(), st, argmax.Budget{}); err != nil || a != want {
			t.Errorf("%s %s: solver played %d (%v), want %d", tc.game, tc.moves, a, err, want)
		}
	}
	if _, err := New(connect4.Game{}, "solver:depth=3"); err == nil || !strings.Contains(err.Error(), `unknown key "depth" for solver (solver has keys: nodes, time)`) {
		t.Errorf("solver:depth=3: %v", err)
	}
	// The spec's budget is the default: a tiny node budget cuts the search
	// of an early position short; the caller's budget wins.
	b, err := New(connect4.Game{}, "solver:nodes=50")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := connect4.Parse("44")
	a, c, err := b.Decide(context.Background(), st, argmax.Budget{})
	if err != nil || !st.IsLegal(a) || c.CutShort != 1 || c.Nodes > 1000 {
		t.Errorf("solver:nodes=50: move %d, cost %+v, err %v", a, c, err)
	}
	ttt, _ := Game("tictactoe")
	b, _ = New(ttt, "solver:time=1h")
	tst, _ := ttt.Parse("152")
	if a, c, err := b.Decide(context.Background(), tst, argmax.Budget{Nodes: 1 << 40}); err != nil || a != 2 || c.CutShort != 0 {
		t.Errorf("tictactoe solver:time=1h: move %d, cost %+v, err %v", a, c, err)
	}
}

// TestMCTSNeverLosesTicTacToe plays MCTS with 20,000 simulations against
// the exact solver, 100 games with different seeds (20 with -short), MCTS
// first in half of them: MCTS must never lose (and so draws every game).
func TestMCTSNeverLosesTicTacToe(t *testing.T) {
	g, _ := Game("tictactoe")
	solver, err := New(g, "solver")
	if err != nil {
		t.Fatal(err)
	}
	games := 100
	if testing.Short() {
		games = 20
	}
	draws := 0
	for seed := 0; seed < games; seed++ {
		bot, err := New(g, fmt.Sprintf("mcts:sims=20000,seed=%d", seed))
		if err != nil {
			t.Fatal(err)
		}
		side := seed % 2 // the player MCTS is
		st := g.New()
		for {
			over, o := st.Terminal()
			if over {
				switch {
				case o == game.Draw:
					draws++
				case st.Player() == side:
					t.Errorf("seed %d: MCTS (player %d) lost: %s", seed, side, st)
				}
				break
			}
			p := solver
			if st.Player() == side {
				p = bot
			}
			a, _, err := p.Decide(context.Background(), st, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			st.Play(a)
		}
	}
	if draws != games {
		t.Errorf("%d draws in %d games: perfect play from both sides draws", draws, games)
	}
	t.Logf("MCTS (20,000 simulations) against the solver: %d games, %d draws, 0 losses", games, draws)
}

func TestPrepare(t *testing.T) {
	g := connect4.Game{}
	if err := Prepare(Env{}, g, []string{"random", "mcts:sims=10", "tactical"}, 2); err != nil {
		t.Errorf("Prepare: %v", err)
	}
	if err := Prepare(Env{}, g, []string{"random", "mcts:sims=many"}, 0); err == nil || !strings.Contains(err.Error(), "sims=many") {
		t.Errorf("Prepare with a bad spec: %v", err)
	}
}
