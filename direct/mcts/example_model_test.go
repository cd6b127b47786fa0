package mcts_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/mcts"
	"argmax/env"
	"argmax/env/control"
	"argmax/game"
	"argmax/game/connect4"
)

// An EnvPlanner balances CartPole-v1 by tree search over clones of the
// env, 200 simulations a step, every simulation's return covering 40
// steps.
func ExampleEnvPlanner() {
	e, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		panic(err)
	}
	p, err := mcts.NewEnvPlanner(mcts.EnvConfig{ModelConfig: mcts.ModelConfig{Seed: 1, Horizon: 40}})
	if err != nil {
		panic(err)
	}
	ep, err := env.Rollout(context.Background(), e, p, 1, argmax.Budget{Simulations: 200})
	if err != nil {
		panic(err)
	}
	fmt.Println("balanced", ep.Steps, "steps; simulations:", ep.Cost.Simulations)
	// Output: balanced 500 steps; simulations: 100000
}

// deposit is a two-action Model over an int (the money in the bank):
// action 0 withdraws it all and ends the episode, action 1 leaves it
// there to earn 10% a step, until it is withdrawn at 150 or more; the
// future is discounted by 0.95 a step, so waiting pays.
type deposit struct{}

func (deposit) NumActions() int     { return 2 }
func (deposit) Clone(money int) int { return money }
func (deposit) Step(money, a int) (reward, discount float64, next int, terminal bool) {
	if a == 0 || money >= 150 {
		return float64(money), 0.95, money, true
	}
	return 0, 0.95, money * 11 / 10, false
}

// A ModelSearcher plans over any Model: here a hand-made one, with the
// default random rollouts.
func ExampleModelSearcher() {
	s, err := mcts.NewModelSearcher[int](deposit{}, nil, mcts.ModelConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	r, err := s.Search(context.Background(), 100, argmax.Budget{Simulations: 500})
	if err != nil {
		panic(err)
	}
	fmt.Printf("action %d; withdrawing now is worth %.0f\n", r.Action, r.Children[0].Q)
	// Output: action 1; withdrawing now is worth 100
}

// GameModel makes a game a Model (discount −1, the reward at the end):
// the generic search blocks connect four's vertical threat as Searcher
// does.
func ExampleGameModel() {
	m := mcts.NewGameModel(connect4.Game{})
	s, err := mcts.NewModelSearcher[game.State](m, &mcts.GameRollouts{}, mcts.ModelConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	st, _ := connect4.Parse("41414")
	r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: 2000})
	if err != nil {
		panic(err)
	}
	fmt.Println("column", r.Action+1)
	// Output: column 4
}
