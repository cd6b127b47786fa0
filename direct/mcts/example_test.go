package mcts_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// A searcher with the recommended settings blocks connect four's vertical
// threat in column 4.
func Example() {
	s, err := mcts.New(mcts.DefaultConfig())
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

// With the solver on, the search proves the position and stops early: X,
// to move after 1, 4, 2, 5, wins by completing the top row at cell 3.
func ExampleSearcher_Search() {
	s, _ := mcts.New(mcts.Config{Solver: true, Seed: 1})
	st, _ := tictactoe.Parse("1425")
	r, _ := s.Search(context.Background(), st, argmax.Budget{Simulations: 100000})
	fmt.Println("cell", r.Action+1, "proven", r.Proven, r.Outcome, "stopped:", r.Status, r.Cost.Simulations < 100000)
	// Output: cell 3 proven true win stopped: solved true
}

// centre is a toy leaf evaluator: it values every position as a draw and
// puts most of the prior on the centre column, as a trained policy/value
// network would put it on the moves it likes.
type centre struct{}

func (centre) Evaluate(leaves []mcts.Leaf, _ *rand.Rand) argmax.Cost {
	for i := range leaves {
		l := &leaves[i]
		l.Value = 0
		for j, a := range l.Legal {
			l.Priors[j] = 0.5 / float32(len(l.Legal)-1)
			if a == 3 {
				l.Priors[j] = 0.5
			}
		}
	}
	return argmax.Cost{ForwardPasses: int64(len(leaves))}
}

// An Evaluator plugs into PUCT: here with batches of 8 leaves per call, as a
// network would want them.
func ExampleEvaluator() {
	s, _ := mcts.New(mcts.Config{Selection: mcts.PUCT, Evaluator: centre{}, Batch: 8})
	r, _ := s.Search(context.Background(), connect4.New(), argmax.Budget{Simulations: 400})
	fmt.Println("column", r.Action+1)
	// Output: column 4
}

// A Searcher is a game.Decider; with Reuse it keeps the subtree of the position
// reached between moves.
func ExampleSearcher_Decide() {
	cfg := mcts.DefaultConfig()
	cfg.Reuse = true
	var bot game.Decider
	s, _ := mcts.New(cfg)
	bot = s
	st := tictactoe.New()
	for {
		if over, _ := st.Terminal(); over {
			break
		}
		a, _, err := bot.Decide(context.Background(), st, argmax.Budget{Simulations: 5000})
		if err != nil {
			panic(err)
		}
		st.Play(a)
	}
	_, o := st.Terminal()
	fmt.Println("self-play:", o)
	// Output: self-play: draw
}
