package cli_test

import (
	"context"
	"fmt"
	"os"

	"argmax"
	"argmax/cli"
	"argmax/game"
	"argmax/lab/bots"
)

// leftmost plays the lowest legal move: a researcher's own decider.
type leftmost struct{}

func (leftmost) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	return s.Legal(nil)[0], argmax.Cost{Decisions: 1}, nil
}

// A main of one's own registers a decider and runs the command: every
// subcommand — move, match, table, run — knows it by its spec. (Listing it
// in Kind.Suite would also put it in every claim of `argmax table`.) move
// prints each position with the column the decider plays: column 1 is
// full, so the lowest legal column is 2.
func Example() {
	bots.RegisterKind(bots.Kind{Name: "leftmost", Role: argmax.Baseline, Games: []string{"connect4"},
		Usage: "leftmost  the lowest legal column",
		New:   func(_ game.Game, a *bots.Args) (game.Decider, error) { return leftmost{}, a.Err() }})
	// In main: cli.Main(). Here, one subcommand with its arguments:
	if err := cli.Run([]string{"move", "--bot", "leftmost", "1111112"}, os.Stdout, os.Stderr); err != nil {
		fmt.Println(err)
	}
	// Output: 1111112 2
}
