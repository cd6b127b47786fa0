// Package tactical is the 2-ply tactical rule of connect four as a
// game.Decider: win at once if you can, else block the opponent's
// immediate win, else do not play directly under a cell where the opponent
// would complete four, and choose uniformly among the moves left.
//
// In the taxonomy of argmax it is the cheapest direct optimizer: a fixed,
// two-ply look-ahead done with bitboard threat masks
// (connect4.State.TacticalMoves), with no search and no learning. It is the
// baseline that position sets must beat: on the calibration file's
// positions it keeps the game-theoretic value in 96.6% of middle and 99.5%
// of end positions (exact expected shares over its uniform choice), so
// accuracies there say little; the deep sets of game/connect4/positions are
// the positions where it may lose the value (it keeps it in 35–53% of
// them, about as often as a random move).
//
// The rule looks at no move by playing it: it reads the threat masks of
// the two players, so its Cost counts no nodes and no steps; Decide counts
// the one random draw among the allowed moves as one sample, Distribution
// none.
package tactical

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
)

// ErrGameOver is returned (wrapped) for a position where the game has
// ended.
var ErrGameOver = errors.New("the game is over: there is no move to choose")

// Rule is the tactical rule. Its choice among the allowed moves is a
// deterministic function of its seed and the position's key, so the same
// position always gets the same move, whatever came before. A Rule keeps
// no state between decisions and is safe for concurrent use.
type Rule struct {
	seed uint64
}

var (
	_ game.Decider                   = (*Rule)(nil)
	_ argmax.Distributor[game.State] = (*Rule)(nil)
	_ game.Policy                    = (*Rule)(nil)
)

// New returns the rule whose uniform choice among its allowed moves is
// seeded by seed.
func New(seed uint64) *Rule { return &Rule{seed: seed} }

// Seed returns the rule's seed.
func (r *Rule) Seed() uint64 { return r.seed }

// allowed checks the input and returns the connect-four state and the
// moves the rule allows.
func allowed(ctx context.Context, s game.State, b argmax.Budget, dst []game.Action) (*connect4.State, []game.Action, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := b.Check(); err != nil {
		return nil, nil, fmt.Errorf("tactical: %w", err)
	}
	c4, ok := s.(*connect4.State)
	if !ok {
		return nil, nil, fmt.Errorf("tactical: the rule plays connect four, not a %T", s)
	}
	dst = c4.TacticalMoves(dst)
	if len(dst) == 0 {
		return nil, nil, fmt.Errorf("tactical: position %q: %w", c4.String(), ErrGameOver)
	}
	return c4, dst, nil
}

// Decide returns one of the moves the rule allows in s, uniformly at
// random as a function of the seed and s.Key(). The rule's work does not
// depend on the budget, which it only checks for negative limits. It
// returns an error for a state that is not a connect-four state, for a
// finished game (wrapping ErrGameOver) and for a cancelled context. The
// cost counts one sample (the random draw).
func (r *Rule) Decide(ctx context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	var buf [connect4.Width]game.Action
	c4, moves, err := allowed(ctx, s, b, buf[:0])
	if err != nil {
		return 0, argmax.Cost{}, err
	}
	rng := rand.New(rand.NewPCG(r.seed, c4.Key()))
	return moves[rng.IntN(len(moves))], argmax.Cost{Samples: 1}, nil
}

// Distribution writes into dst (at least 7 entries) the probability of
// each column under the rule: 1/k for each of the k moves it allows, 0
// for the others. It returns the same errors as Decide, and an error if
// dst is too short; its cost is zero (no move is played, nothing sampled).
func (r *Rule) Distribution(ctx context.Context, s game.State, b argmax.Budget, dst []float32) (argmax.Cost, error) {
	var buf [connect4.Width]game.Action
	_, moves, err := allowed(ctx, s, b, buf[:0])
	if err != nil {
		return argmax.Cost{}, err
	}
	if len(dst) < connect4.Width {
		return argmax.Cost{}, fmt.Errorf("tactical: distribution of %d entries, want %d (one per column)", len(dst), connect4.Width)
	}
	clear(dst)
	for _, a := range moves {
		dst[a] = 1 / float32(len(moves))
	}
	return argmax.Cost{}, nil
}

// Allowed appends to dst[:0] the moves the rule allows in s (the moves
// Decide chooses among) and returns it, with the same errors as Decide.
func (r *Rule) Allowed(s game.State, dst []game.Action) ([]game.Action, error) {
	_, moves, err := allowed(context.Background(), s, argmax.Budget{}, dst)
	return moves, err
}
