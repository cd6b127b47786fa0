package eval

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/tictactoe"
	"argmax/lab/bots"
)

// TestTime checks the interleaved timings' shape and counts.
func TestTime(t *testing.T) {
	g := tictactoe.Game{}
	ps := TicTacToe()[:30]
	rnd, _ := bots.New(g, "random")
	mcts, _ := bots.New(g, "mcts:seed=1")
	ds := []Named{{Name: "random", Decider: rnd}, {Name: "mcts16", Decider: mcts, Budget: argmax.Budget{Simulations: 16}}}
	ts, err := Time(context.Background(), ds, ps, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range ts {
		if tm.Name != ds[i].Name || tm.N != 90 || len(tm.Times) != 90 || tm.Cost.Decisions != 90 {
			t.Errorf("%s: %d decisions", tm.Name, tm.N)
		}
		if !(tm.Q1 <= tm.Median && tm.Median <= tm.Q3) || tm.Mean <= 0 {
			t.Errorf("%s: quartiles %v %v %v, mean %v", tm.Name, tm.Q1, tm.Median, tm.Q3, tm.Mean)
		}
	}
	if ts[1].Cost.Simulations == 0 || ts[1].Cost.Simulations > 16*90 {
		t.Errorf("mcts: %d simulations for 90 decisions of at most 16", ts[1].Cost.Simulations)
	}
	bad := game.DeciderFunc(func(context.Context, game.State, argmax.Budget) (game.Action, argmax.Cost, error) {
		return 42, argmax.Cost{}, nil
	})
	if _, err := Time(context.Background(), []Named{{Name: "bad", Decider: bad}}, ps, 1); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("illegal move: %v", err)
	}
	if _, err := Time(context.Background(), ds, ps, 0); err == nil {
		t.Error("0 rounds: no error")
	}
}
