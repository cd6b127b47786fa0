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
