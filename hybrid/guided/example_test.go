package guided_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/hybrid/guided"
)

// A guided search with a stand-in net that favours the centre column and
// knows no values: the prior focuses the simulations, and the cost counts
// the forward passes the net reported.
func Example() {
	centre := guided.EvalFunc(func(states []game.State, priors, values []float32) argmax.Cost {
		for i, s := range states {
			for a := range connect4.Width {
				if s.IsLegal(game.Action(a)) {
					priors[i*connect4.Width+a] = map[bool]float32{true: 0.7, false: 0.05}[a == 3]
				}
			}
			values[i] = 0
		}
		return argmax.Cost{ForwardPasses: int64(len(states))}
	})
	s, err := guided.New(guided.Shared(centre), guided.Config{Game: connect4.Game{}, Seed: 1})
	if err != nil {
		panic(err)
	}
	dist := make([]float32, connect4.Width)
	cost, _ := s.Distribution(context.Background(), connect4.New(), argmax.Budget{Simulations: 100}, dist)
	fmt.Printf("centre share of the visits: %.2f\n", dist[3])
	fmt.Println("simulations:", cost.Simulations, "forward passes:", cost.ForwardPasses)
	// Output:
	// centre share of the visits: 0.58
	// simulations: 100 forward passes: 100
}
