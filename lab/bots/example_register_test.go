package bots_test

import (
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
)

// lastMove plays the highest legal move.
type lastMove struct{}

func (lastMove) Move(s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	l := s.Legal(nil)
	return l[len(l)-1], argmax.Cost{}, nil
}

// A package adds its kind of bot in an init function; the factory reads its
// keys through the Args getters.
func init() {
	bots.Register("last", "last  the highest legal move", func(g game.Game, a *bots.Args) (game.Bot, error) {
		return lastMove{}, a.Err()
	})
}

// Later packages add their own kinds of bot by name.
func ExampleRegister() {
	g, _ := bots.Game("tictactoe")
	bot, _ := bots.New(g, "last")
	a, _, _ := bot.Move(g.New(), argmax.Budget{})
	fmt.Println("cell", a+1)
	// Output: cell 9
}
