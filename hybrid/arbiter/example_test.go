package arbiter_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/mcts"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/hybrid/arbiter"
)

// The arbiter answers with the cheap decider where it is sure and its move
// passes the tactical check, and otherwise searches. Here the "net" is the
// tactical rule itself (a stand-in for a trained net's policy) and the
// search plain MCTS.
func Example() {
	search, _ := mcts.New(mcts.Config{Seed: 1})
	rule := tactical.New(1)
	r, _ := arbiter.New(arbiter.Config{
		Game: connect4.Game{}, Net: rule, Search: search, Margin: 0.5, MinSims: 64, MaxSims: 1024,
		Check: func(s game.State, a game.Action) bool {
			allowed, _ := rule.Allowed(s, nil)
			return len(allowed) > 0 && allowed[0] == a && len(allowed) == 1
		},
	})
	for _, moves := range []string{"121212", "44"} { // a win in one, an open position
		s, _ := connect4.Parse(moves)
		a, cost, _ := r.Decide(context.Background(), s, argmax.Budget{})
		fmt.Printf("%s: column %d, %d simulations\n", moves, a+1, cost.Simulations)
	}
	fmt.Printf("searched %.0f%% of the decisions\n", 100*r.Stats().SearchShare())
	// Output:
	// 121212: column 1, 0 simulations
	// 44: column 3, 1024 simulations
	// searched 50% of the decisions
}
