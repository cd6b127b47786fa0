package bots

import (
	"argmax/direct/alphabeta"
	"argmax/game"
)

func init() {
	Register("solver", "solver  the exact solver: a strictly optimal move (connect four: the bitboard solver; "+
		"other games: the generic alpha-beta solver, for small games); it ignores budgets", newSolver)
}

// newSolver returns alphabeta's connect-four solver for connect four and its
// generic exact solver for any other game.
func newSolver(g game.Game, _ *Args) (game.Decider, error) {
	if g.Name() == "connect4" {
		return alphabeta.New(), nil
	}
	return alphabeta.NewGeneric(g), nil
}
