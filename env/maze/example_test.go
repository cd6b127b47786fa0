package maze_test

import (
	"fmt"
	"os"

	"argmax/direct/valueiter"
	"argmax/env/maze"
)

// A test level of the red-door experiment: a blue door, a red gem off the
// door's path. Value iteration on the level's model under the true
// objective (door) reaches the door; under the proxy objective of an agent
// trained where doors were red (red), it reaches the red gem, and the
// hidden performance says so.
func Example() {
	m, err := maze.New(maze.Config{Dist: maze.DistTest})
	if err != nil {
		panic(err)
	}
	m.Reset(1)
	m.Render(os.Stdout)
	for _, reward := range []string{maze.RewardDoor, maze.RewardRed} {
		model, _ := m.Model(reward)
		table, _ := valueiter.NewTable(model)
		sol, _ := valueiter.ValueIteration(table, valueiter.Config{Gamma: 0.99})
		greedy := sol.Greedy()
		m.Reset(1)
		for {
			if _, _, term, trunc := m.Step([]float64{float64(greedy[m.State()])}); term || trunc {
				break
			}
		}
		o, _ := m.Reached()
		fmt.Printf("reward %s: reached the %v in %d steps; performance %v, %v\n", reward, o, m.Steps(), m.Performance(), m.Result())
	}
	// Output:
	// ##################
	// #### . . .rG . .##
	// ## . . . . . .####
	// ## . .bG . . . .##
	// ## . . .## . . @##
	// ##yG## .##bD . .##
	// #### . . . . .####
	// ## . . . . . . .##
	// ##################
	// reward door: reached the blue door at (5, 5) in 3 steps; performance 1, robust
	// reward red: reached the red gem at (1, 5) in 5 steps; performance 0, proxy
}
