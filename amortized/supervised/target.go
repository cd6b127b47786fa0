package supervised

import (
	"errors"
	"fmt"

	"argmax/game"
)

// Illegal is the score of an action that cannot be played (the solver's
// "column full", -1000).
const Illegal = -1000

// Example is one labelled position: a state and the exact score of every
// action of the game, in the negamax convention of the solver (positive:
// the side to move wins after that action, the larger the sooner; 0: a
// draw; negative: a loss), Illegal for an action that cannot be played.
// Where the scores come from (the exact solver, a search, a demonstrator)
// is the caller's business: this package never imports a direct optimizer.
type Example struct {
	State  game.State
	Scores []int
}

// Target says how an Example's scores become the targets the net is
// fitted to.
type Target struct {
	// Strict is the share of the policy target put on the strictly
	// optimal actions (those with the best score); the rest is spread
	// uniformly over every value-keeping action (the optimal ones, whose
	// score has the sign of the best, strictly optimal included). 0 is
	// uniform over the optimal actions, 1 uniform over the strictly
	// optimal ones.
	Strict float64
	// ValueScale selects the value target: 0 gives the game-theoretic
	// value (1 win, 0 draw, -1 loss, the sign of the best score); a
	// positive scale gives best/ValueScale clipped to [-1, 1], which tells
	// quick wins from slow ones.
	ValueScale float64
}

// ErrNoLegal is returned (wrapped) for an example without a legal action.
var ErrNoLegal = errors.New("no legal action")

// Best returns the best score over the legal actions, or Illegal when
// there is none.
func Best(scores []int) int {
	best := Illegal
	for _, s := range scores {
		if s != Illegal && (best == Illegal || s > best) {
			best = s
		}
	}
	return best
}

// Optimal reports whether action a keeps the game-theoretic value: it is
// legal and its score has the sign of the best score.
func Optimal(scores []int, a game.Action) bool {
	if a < 0 || int(a) >= len(scores) || scores[a] == Illegal {
		return false
	}
	return game.ScoreOutcome(scores[a]) == game.ScoreOutcome(Best(scores))
}

// StrictlyOptimal reports whether action a is legal and has the best
// score (the fastest win, the slowest loss).
func StrictlyOptimal(scores []int, a game.Action) bool {
	return a >= 0 && int(a) < len(scores) && scores[a] != Illegal && scores[a] == Best(scores)
}

// Targets converts exact scores into the policy target, written into
// policy (one entry per action, summing to 1, 0 for illegal and
// value-losing actions), and returns the value target for the side to
// move. It is a pure function of its arguments. It fails when policy and
// scores differ in length, when no action is legal, or when t is out of
// range.
func Targets(scores []int, t Target, policy []float32) (value float32, err error) {
	if len(policy) != len(scores) {
		return 0, fmt.Errorf("targets: %d policy entries for %d scores", len(policy), len(scores))
	}
	if t.Strict < 0 || t.Strict > 1 || t.ValueScale < 0 {
		return 0, fmt.Errorf("targets: Strict %g outside [0, 1] or negative ValueScale %g", t.Strict, t.ValueScale)
	}
	best := Best(scores)
	if best == Illegal {
		return 0, fmt.Errorf("targets: %w", ErrNoLegal)
	}
	var nOpt, nStrict int
	for a := range scores {
		if Optimal(scores, game.Action(a)) {
			nOpt++
			if scores[a] == best {
				nStrict++
			}
		}
	}
	for a, s := range scores {
		var p float64
		if Optimal(scores, game.Action(a)) {
			p = (1 - t.Strict) / float64(nOpt)
			if s == best {
				p += t.Strict / float64(nStrict)
			}
		}
		policy[a] = float32(p)
	}
	if t.ValueScale == 0 {
		return float32(game.ScoreOutcome(best)), nil
	}
	return float32(min(max(float64(best)/t.ValueScale, -1), 1)), nil
}
