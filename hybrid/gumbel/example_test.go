package gumbel_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/game/tictactoe"
	"argmax/hybrid/guided"
	"argmax/hybrid/gumbel"
)

// A Gumbel search of 8 simulations with a stand-in net that knows nothing
// (uniform priors, value 0): X, to move, can win on the top row. The
// search finds the win, and its improved policy, the training target of
// self-play, moves the prior's mass onto it.
func Example() {
	know := guided.EvalFunc(func(states []game.State, priors, values []float32) argmax.Cost {
		for i, s := range states {
			for a := range tictactoe.Cells {
				if s.IsLegal(game.Action(a)) {
					priors[i*tictactoe.Cells+a] = 1
				}
			}
			values[i] = 0
		}
		return argmax.Cost{ForwardPasses: int64(len(states))}
	})
	s, err := gumbel.New(guided.Shared(know), gumbel.Config{Game: tictactoe.Game{}, Seed: 1})
	if err != nil {
		panic(err)
	}
	st, _ := tictactoe.Parse("1425") // X: 1, 2; O: 4, 5
	r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: 8})
	if err != nil {
		panic(err)
	}
	fmt.Println("move:", r.Action+1)
	fmt.Printf("prior on the win: %.2f, improved policy: %.2f\n", 1/float64(len(r.Children)), r.Policy[2])
	for _, ph := range r.Phases {
		fmt.Println("phase:", len(ph.Actions), "moves,", ph.Visits, "visits each")
	}
	fmt.Println("simulations:", r.Cost.Simulations, "forward passes:", r.Cost.ForwardPasses)
	// Output:
	// move: 3
	// prior on the win: 0.20, improved policy: 0.98
	// phase: 5 moves, 1 visits each
	// phase: 2 moves, 1 visits each
	// phase: 2 moves, 1 visits each
	// simulations: 8 forward passes: 6
}
