package mcts

import (
	"context"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// modelConfigs are the settings of the generic search the game tests run
// under, each with the fast playouts and the step-by-step rollouts.
var modelConfigs = []struct {
	name string
	cfg  ModelConfig
}{
	{"uct-minmax", ModelConfig{}},
	{"uct-bounds", ModelConfig{QMin: -1, QMax: 1, C: 0.7}}, // Searcher's UCT: 1.4 on [-1, 1]
	{"puct-minmax", ModelConfig{Selection: PUCT}},
	{"puct-batch8", ModelConfig{Selection: PUCT, Batch: 8}},
}

// gameSearcher returns the generic search of g's positions.
func gameSearcher(t testing.TB, g game.Game, cfg ModelConfig, fast bool) *ModelSearcher[game.State] {
	t.Helper()
	var ev StateEvaluator[game.State] = &GameRollouts{N: 1}
	m := NewGameModel(g)
	if !fast {
		ev = &StateRollouts[game.State]{Model: m, Depth: g.MaxPlies()}
	}
	s, err := NewModelSearcher[game.State](m, ev, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestModelTactics checks that the generic search over GameModel agrees
// with Searcher on the tactical positions of TestTactics: both take the
// immediate win and block the immediate loss.
func TestModelTactics(t *testing.T) {
	tests := []struct {
		name  string
		g     game.Game
		moves string
		want  []game.Action
	}{
		{"c4 win either side", connect4.Game{}, "445566", []game.Action{2, 6}},
		{"c4 win vertical", connect4.Game{}, "414145", []game.Action{3}},
		{"c4 block vertical", connect4.Game{}, "41414", []game.Action{3}},
		{"c4 block horizontal", connect4.Game{}, "21334", []game.Action{4}},
		{"ttt win rather than block", tictactoe.Game{}, "1425", []game.Action{2}},
		{"ttt block", tictactoe.Game{}, "152", []game.Action{2}},
		{"ttt block diagonal", tictactoe.Game{}, "529", []game.Action{0}},
	}
	b := argmax.Budget{Simulations: 3000}
	for _, tc := range tests {
		st := parse(t, tc.g, tc.moves)
		fast := search(t, mustNew(t, Config{Seed: 1}), st, b)
		if !slices.Contains(tc.want, fast.Action) {
			t.Errorf("%s: Searcher chose %d, want one of %v", tc.name, fast.Action, tc.want)
		}
		for _, c := range modelConfigs {
			for _, playouts := range []bool{true, false} {
				name := c.name + "/" + tc.name
				if !playouts {
					name += "/step-rollouts"
				}
				t.Run(name, func(t *testing.T) {
					before := st.String()
					r, err := gameSearcher(t, tc.g, c.cfg, playouts).Search(context.Background(), st, b)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Contains(tc.want, game.Action(r.Action)) {
						t.Errorf("%s: chose %d, want one of %v (Searcher chose %d); children %+v", tc.moves, r.Action, tc.want, fast.Action, r.Children)
					}
					if st.String() != before {
						t.Errorf("search changed the position: %q, was %q", st.String(), before)
					}
					// A win now is worth +1 exactly: the reward of the
					// winning move, with nothing after it.
					for _, ch := range r.Children {
						if ch.Reward == 1 && (ch.Q != 1 || ch.Discount != -1) {
							t.Errorf("winning move %d: Q %v, discount %v, want 1 and -1", ch.Action, ch.Q, ch.Discount)
						}
					}
				})
			}
		}
	}
}

// TestModelPerfectTicTacToe checks that both searches play perfect
// tic-tac-toe from the start, as X and as O, against the exact solver of
// direct/alphabeta: every move they make keeps the game's value (a draw),
// so every game is drawn.
func TestModelPerfectTicTacToe(t *testing.T) {
	g := tictactoe.Game{}
	solver := alphabeta.NewGeneric(g)
	sign := func(v int) int {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0
	}
	best := func(scores []int) int {
		b := alphabeta.Full
		for _, v := range scores {
			if v != alphabeta.Full && (b == alphabeta.Full || v > b) {
				b = v
			}
		}
		return b
	}
	generic := gameSearcher(t, g, ModelConfig{Seed: 2}, true)
	bots := []struct {
		name string
		move func(st game.State) game.Action
	}{
		{"Searcher", func(st game.State) game.Action {
			return search(t, mustNew(t, Config{Seed: 2}), st, argmax.Budget{Simulations: 3000}).Action
		}},
		{"ModelSearcher", func(st game.State) game.Action {
			r, err := generic.Search(context.Background(), st, argmax.Budget{Simulations: 3000})
			if err != nil {
				t.Fatal(err)
			}
			return game.Action(r.Action)
		}},
	}
	for _, bot := range bots {
		for side := range 2 {
			st := g.New()
			for {
				if over, _ := st.Terminal(); over {
					break
				}
				var a game.Action
				if st.Player() == side {
					a = bot.move(st)
					scores := solver.Analyze(st)
					if sign(scores[a]) != sign(best(scores)) {
						t.Errorf("%s as player %d in %q: move %d scores %d, the best %d", bot.name, side, st.String(), a+1, scores[a], best(scores))
					}
				} else {
					var err error
					if a, _, err = solver.Decide(context.Background(), st, argmax.Budget{}); err != nil {
						t.Fatal(err)
					}
				}
				st.Play(a)
			}
			if _, o := st.Terminal(); o != game.Draw {
				t.Errorf("%s as player %d: game %q ended %v for the side to move, want a draw", bot.name, side, st.String(), o)
			}
		}
	}
}

// TestGameModelTerminalRoot checks that a finished game is an error.
func TestGameModelTerminalRoot(t *testing.T) {
	st := parse(t, tictactoe.Game{}, "14253")
	_, err := gameSearcher(t, tictactoe.Game{}, ModelConfig{}, true).Search(context.Background(), st, argmax.Budget{})
	if err == nil || !strings.Contains(err.Error(), "root has no legal action") {
		t.Errorf("a finished game: err %v", err)
	}
}
