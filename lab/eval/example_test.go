package eval_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
	"argmax/lab/bots"
	"argmax/lab/eval"
)

// The move accuracy of a search bot on the calibration file's middle
// positions, beside the exact share of a random move.
func ExampleAccuracy() {
	ps := eval.Calibration(calibration.Middle)
	bot, err := bots.New(connect4.Game{}, "mcts:seed=1")
	if err != nil {
		panic(err)
	}
	r, err := eval.Accuracy(context.Background(), bot, ps, argmax.Budget{Simulations: 16})
	if err != nil {
		panic(err)
	}
	random, _ := eval.UniformShare(ps)
	fmt.Printf("%d positions: optimal %.3f [%.3f, %.3f], strict %.3f; random move %.3f\n",
		r.N, r.OptimalShare.Est, r.OptimalShare.Lo, r.OptimalShare.Hi, r.StrictShare.Est, random)
	// Output: 300 positions: optimal 0.947 [0.915, 0.967], strict 0.850; random move 0.551
}

// A match between the exact solver and a random mover at tic-tac-toe, from
// openings of one random ply, each played with both colours. The solver
// never loses, so the Elo difference is a lower bound when it wins every
// game.
func ExampleMatch() {
	g := tictactoe.Game{}
	r, err := eval.Match(context.Background(), g, eval.Bot(g, "solver"), eval.Bot(g, "random:seed=7"),
		eval.MatchConfig{Games: 60, RandomPlies: 1, Seed: 2, Workers: 2, NameA: "solver", NameB: "random"})
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	// Output: solver vs random: +49 =11 -0, score 0.908 [0.809, 0.959], Elo +398 [+251, +546]
}

// The cost–quality frontier of MCTS on connect-four middle positions, and
// the simulations it needs for 95% optimal moves.
func ExampleFrontier() {
	mk := func(argmax.Budget) (game.Decider, error) { return bots.New(connect4.Game{}, "mcts:seed=1") }
	var budgets []argmax.Budget
	for _, sims := range []int64{1, 4, 16, 64} {
		budgets = append(budgets, argmax.Budget{Simulations: sims})
	}
	pts, err := eval.Frontier(context.Background(), mk, budgets, eval.Calibration(calibration.Middle), 2)
	if err != nil {
		panic(err)
	}
	for _, p := range pts {
		fmt.Printf("budget %-7v %5.1f simulations/decision: optimal %.3f\n", p.Budget, p.Mean.Simulations, p.Quality.Est)
	}
	sims, side := eval.AtQuality(pts, 0.95, eval.CostSimulations)
	fmt.Printf("95%% optimal at %.1f simulations (%v the frontier)\n", sims, side)
	// Output:
	// budget sims=1    1.0 simulations/decision: optimal 0.500
	// budget sims=4    3.7 simulations/decision: optimal 0.710
	// budget sims=16   8.8 simulations/decision: optimal 0.947
	// budget sims=64  22.6 simulations/decision: optimal 0.990
	// 95% optimal at 9.5 simulations (inside the frontier)
}
