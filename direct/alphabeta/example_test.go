package alphabeta_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// The exact score of every move of a connect-four position, the position's
// own score, and the move the solver plays.
func Example() {
	s := alphabeta.New()
	st, err := connect4.Parse("2336344717262237226151774766")
	if err != nil {
		panic(err)
	}
	scores := s.Analyze(st, false)
	fmt.Println("scores:", scores)
	fmt.Println("score:", s.Solve(st, false), "weak:", s.Solve(st, true))
	col, score := alphabeta.BestMove(scores)
	fmt.Println("best column:", col+1, "score:", score)
	a, _, _ := s.Decide(context.Background(), st, argmax.Budget{})
	fmt.Println("the bot plays column", int(a)+1)
	// Output:
	// scores: [6 -1000 7 7 7 6 -1000]
	// score: 7 weak: 1
	// best column: 4 score: 7
	// the bot plays column 4
}

// Tic-tac-toe solved by the generic solver: the empty board is a draw, and
// after a corner and an adjacent edge the first player wins at ply 7.
func ExampleGeneric() {
	s := alphabeta.NewGeneric(tictactoe.Game{})
	fmt.Println(s.Solve(tictactoe.New()))
	st, _ := tictactoe.Parse("12")
	fmt.Println(s.Solve(st))
	// Output:
	// 0
	// 3
}

// A decision within a node budget: the search stops at its limit and
// answers with the best move it has proven so far; Status and
// Cost.CutShort say that it was cut short. With no limit the same search
// proves its move.
func ExampleSolver_Search() {
	st, _ := connect4.Parse("4453")
	r, _ := alphabeta.New().Search(context.Background(), st, argmax.Budget{Nodes: 2000})
	fmt.Println(r.Status, "after", r.Cost.Nodes, "nodes; cut short:", r.Cost.CutShort)
	fmt.Println("plays column", int(r.Action)+1, "with a score in", r.Moves[r.Action])

	end, _ := connect4.Parse("2336344717262237226151774766")
	r, _ = alphabeta.New().Search(context.Background(), end, argmax.Budget{})
	fmt.Println(r.Status, "; plays column", int(r.Action)+1, "; cut short:", r.Cost.CutShort)
	// Output:
	// node limit after 2000 nodes; cut short: 1
	// plays column 4 with a score in {-18 18}
	// solved ; plays column 4 ; cut short: 0
}

// A depth-limited search: depth 2 sees the opponent's reply, so it blocks
// the threat on the bottom row; with depth 1 it only sees that no move
// wins at once, and takes the lowest column.
func ExampleDepthLimited() {
	st, _ := connect4.Parse("17273") // O to move; X threatens column 4
	for _, depth := range []int{1, 2} {
		d, _ := alphabeta.NewDepthLimited(connect4.Game{}, alphabeta.DepthConfig{Depth: depth})
		r, _ := d.Search(context.Background(), st, argmax.Budget{})
		fmt.Printf("depth %d: column %d, score %d, %v, %d nodes\n", depth, r.Action+1, r.Score, r.Status, r.Cost.Nodes)
	}
	// Output:
	// depth 1: column 1, score 0, depth limit, 7 nodes
	// depth 2: column 4, score 0, depth limit, 48 nodes
}
