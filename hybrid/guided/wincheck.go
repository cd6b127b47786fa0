package guided

import (
	"argmax"
	"argmax/game"
)

// WinCheck returns e with a one-ply win check: a position whose side to
// move can win at once (its state is a game.WinFinder with a winning
// move) gets the value 1, exact, and a prior spread evenly over its
// winning moves; every other position keeps e's answer. A search over it
// sees a win one ply before the game ends, so a move that hands the
// opponent an immediate win is valued a loss on its first visit — the
// search targets of self-play are then right in the tactical positions a
// few simulations would otherwise misjudge. States that are not
// WinFinders pass through unchanged. The cost is e's: every position is
// still evaluated. Like e, the result is not safe for concurrent use.
func WinCheck(e BatchEvaluator) BatchEvaluator { return &winCheck{e: e} }

type winCheck struct {
	e    BatchEvaluator
	wins []game.Action
}

func (w *winCheck) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	c := w.e.Evaluate(states, priors, values)
	A := len(priors) / max(len(states), 1)
	for i, s := range states {
		f, ok := s.(game.WinFinder)
		if !ok {
			continue
		}
		if w.wins = f.WinningMoves(w.wins[:0]); len(w.wins) == 0 {
			continue
		}
		p := priors[i*A : (i+1)*A]
		clear(p)
		for _, a := range w.wins {
			p[a] = 1 / float32(len(w.wins))
		}
		values[i] = 1
	}
	return c
}
