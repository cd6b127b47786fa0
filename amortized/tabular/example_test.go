package tabular_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/amortized/tabular"
	"argmax/game/tictactoe"
)

// A table fitted on a few demonstrations answers with the label it saw
// most often, and knows nothing of other positions.
func Example() {
	tab := tabular.New(tictactoe.Game{}, 1)
	empty := tictactoe.New()
	corner, _ := tictactoe.Parse("1")
	_ = tab.Fit([]tabular.Example{
		{State: empty, Action: 4}, // the centre, twice
		{State: empty, Action: 4},
		{State: empty, Action: 0},
		{State: corner, Action: 4},
	})
	a, cost, _ := tab.Decide(context.Background(), empty, argmax.Budget{})
	fmt.Println("empty board: cell", a+1, "forward passes:", cost.ForwardPasses)
	dist := make([]float32, 9)
	_, _ = tab.Distribution(context.Background(), empty, argmax.Budget{}, dist)
	fmt.Printf("P(centre) = %.3f\n", dist[4])
	edge, _ := tictactoe.Parse("2")
	fmt.Println("knows the corner opening:", tab.Known(corner), "the edge opening:", tab.Known(edge))
	fmt.Println("trained on", tab.TrainingCost().Samples, "examples,", tab.Len(), "positions")
	// Output:
	// empty board: cell 5 forward passes: 0
	// P(centre) = 0.250
	// knows the corner opening: true the edge opening: false
	// trained on 4 examples, 2 positions
}
