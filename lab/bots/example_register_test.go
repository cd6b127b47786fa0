package bots_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
)

// lastMove plays the highest legal move.
type lastMove struct{}

func (lastMove) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	l := s.Legal(nil)
	return l[len(l)-1], argmax.Cost{}, nil
}

// A package adds its kind of bot in an init function; the factory reads its
// keys through the Args getters.
func init() {
	bots.RegisterKind(bots.Kind{Name: "last", Usage: "last  the highest legal move", Role: argmax.Baseline,
		New: func(g game.Game, a *bots.Args) (game.Decider, error) {
			return lastMove{}, a.Err()
		}})
}

// Later packages add their own kinds of bot by name.
func ExampleRegisterKind() {
	g, _ := bots.Game("tictactoe")
	bot, _ := bots.New(g, "last")
	a, _, _ := bot.Decide(context.Background(), g.New(), argmax.Budget{})
	fmt.Println("cell", a+1)
	// Output: cell 9
}
