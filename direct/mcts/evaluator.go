package mcts

import (
	"math/rand/v2"

	"argmax"
	"argmax/game"
)

// Leaf is one position handed to an Evaluator: a non-terminal position at
// the edge of the tree.
type Leaf struct {
	// State is the position. The evaluator may Play and Undo on it but must
	// leave it as it found it, and must not keep it after returning.
	State game.State
	// Legal holds the legal moves of State, in the order of State.Legal.
	Legal []game.Action
	// Priors has len(Legal) entries when the search uses priors (PUCT); the
	// evaluator writes a probability for each move (summing to 1). It is nil
	// otherwise.
	Priors []float32
	// Value is written by the evaluator: the expected outcome for the player
	// to move in State, in [-1, 1] (-1 loss, 0 draw, 1 win).
	Value float32
}

// Evaluator estimates the value (and, for PUCT, the move priors) of leaf
// positions. It receives a batch (Config.Batch leaves at most, often fewer)
// so a network can evaluate them in one forward pass; rng is the calling
// search thread's generator, the only randomness an evaluator should use so
// that searches stay deterministic. Evaluate returns the work it did —
// forward passes and FLOPs of a network, playouts and their moves for
// rollouts — which the search adds to the decision's Cost.
type Evaluator interface {
	Evaluate(leaves []Leaf, rng *rand.Rand) argmax.Cost
}

// Cloner is implemented by evaluators that keep scratch state; every search
// thread then evaluates with its own clone.
type Cloner interface {
	Clone() Evaluator
}

// Rollouts evaluates a leaf by the mean outcome of N uniformly random
// playouts to the end of the game (0 means 1), and gives uniform priors. It
// uses game.RandomPlayouter when the state implements it and a loop over
// Legal, Play and Undo otherwise.
type Rollouts struct {
	N int

	legal, moves []game.Action // scratch of the generic playout
}

var _ Cloner = (*Rollouts)(nil)

// Clone returns a Rollouts with the same N and its own scratch.
func (r *Rollouts) Clone() Evaluator { return &Rollouts{N: r.N} }

// Evaluate writes uniform priors and the mean playout outcome of each leaf;
// its cost is the playouts (Samples) and the moves they played (Steps).
func (r *Rollouts) Evaluate(leaves []Leaf, rng *rand.Rand) argmax.Cost {
	n := max(r.N, 1)
	var steps int
	for i := range leaves {
		l := &leaves[i]
		if l.Priors != nil {
			u := 1 / float32(len(l.Legal))
			for j := range l.Priors {
				l.Priors[j] = u
			}
		}
		sum := 0
		if rp, ok := l.State.(game.RandomPlayouter); ok {
			for k := 0; k < n; k++ {
				o, plies := rp.RandomPlayout(rng)
				sum += int(o)
				steps += plies
			}
		} else {
			for k := 0; k < n; k++ {
				o, plies := r.playout(l.State, rng)
				sum += int(o)
				steps += plies
			}
		}
		l.Value = float32(sum) / float32(n)
	}
	return argmax.Cost{Samples: int64(n * len(leaves)), Steps: int64(steps)}
}

// playout plays uniformly random moves to the end, takes them back and
// returns the outcome for the player to move in s and the moves played.
func (r *Rollouts) playout(s game.State, rng *rand.Rand) (game.Outcome, int) {
	r.moves = r.moves[:0]
	for {
		r.legal = s.Legal(r.legal[:0])
		if len(r.legal) == 0 {
			break
		}
		a := r.legal[rng.IntN(len(r.legal))]
		s.Play(a)
		r.moves = append(r.moves, a)
	}
	_, out := s.Terminal()
	if len(r.moves)&1 == 1 { // the outcome is for the player to move at the end
		out = -out
	}
	for i := len(r.moves) - 1; i >= 0; i-- {
		s.Undo(r.moves[i])
	}
	return out, len(r.moves)
}
