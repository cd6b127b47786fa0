package tactical_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/game/connect4"
)

// The rule blocks the first player's vertical threat in column 1, and
// weighs its allowed moves uniformly elsewhere.
func Example() {
	var bot game.Decider = tactical.New(1)
	s, _ := connect4.Parse("12121")
	a, cost, err := bot.Decide(context.Background(), s, argmax.Budget{})
	if err != nil {
		panic(err)
	}
	fmt.Println("column", a+1, "samples", cost.Samples, "nodes", cost.Nodes)

	// With O to move, X completes the second row at columns 3 and 7 as
	// soon as they hold a stone: the rule does not play there.
	s, _ = connect4.Parse("4556416")
	p := make([]float32, connect4.Width)
	tactical.New(1).Distribution(context.Background(), s, argmax.Budget{}, p)
	fmt.Println(p)
	// Output:
	// column 1 samples 1 nodes 0
	// [0.2 0.2 0 0.2 0.2 0.2 0]
}
