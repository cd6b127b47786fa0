package bots_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/lab/bots"
)

// A spec names a kind of bot and its settings; its budget is the bot's
// default.
func ExampleNew() {
	g, err := bots.Game("connect4")
	if err != nil {
		panic(err)
	}
	bot, err := bots.New(g, "mcts:sims=2000,seed=1")
	if err != nil {
		panic(err)
	}
	st, _ := g.Parse("41414")
	a, cost, _ := bot.Decide(context.Background(), st, argmax.Budget{})
	fmt.Println("column", a+1, "after", cost.Simulations, "simulations")
	// Output: column 4 after 2000 simulations
}

// Errors name the spec and what is wrong with it.
func ExampleNew_errors() {
	g, _ := bots.Game("connect4")
	for _, spec := range []string{"mcts:sims=many", "mcts:simulations=800", "mcts:c=-1"} {
		_, err := bots.New(g, spec)
		fmt.Println(err)
	}
	// Output:
	// bot spec "mcts:sims=many": key sims="many": not an integer
	// bot spec "mcts:simulations=800": unknown key "simulations" for mcts (mcts has keys: alpha, batch, c, fpu, maxnodes, nodes, noise, reuse, rollouts, seed, select, sims, solver, step_cost, stoplead, stopmin, temp, threads, time)
	// bot spec "mcts:c=-1": key c=-1: out of range [0, 1e+06]
}
