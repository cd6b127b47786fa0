package bots

import (
	"context"
	"math"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/game"
)

func init() {
	RegisterKind(Kind{Name: "solver", Role: argmax.Direct, New: newSolver, Suite: []string{"solver"}, Axis: "nodes",
		Usage: "solver[:nodes=N,time=D]  the exact solver (connect four: the bitboard solver; other games: the generic " +
			"alpha-beta solver, for small games): a strictly optimal move when it finishes within the budget, else the " +
			"best move it has justified (counted as cut short); nodes and time set the budget used when the caller gives none"})
}

// newSolver returns alphabeta's connect-four solver for connect four and its
// generic exact solver for any other game, with the spec's budget as its
// default.
func newSolver(g game.Game, a *Args) (game.Decider, error) {
	b := argmax.Budget{
		Nodes: a.Int("nodes", 0, 1, math.MaxInt64),
		Time:  a.Duration("time", 0),
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	var d game.Decider = alphabeta.NewGeneric(g)
	if g.Name() == "connect4" {
		d = alphabeta.New()
	}
	if b.Unlimited() {
		return d, nil
	}
	return &withBudget{d, b}, nil
}

// withBudget gives a decider a default budget: b, used when the caller's
// budget sets no limit.
type withBudget struct {
	game.Decider
	b argmax.Budget
}

// Decide decides within the caller's budget, or b when it sets none.
func (w *withBudget) Decide(ctx context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	if b.Unlimited() {
		b = w.b
	}
	return w.Decider.Decide(ctx, s, b)
}
