package gumbel

import (
	"errors"
	"fmt"
	"math"

	"argmax"
	"argmax/game"
)

// Defaults applied by New to zero fields of a Config.
const (
	// DefaultConsidered is the number of root moves sampled for sequential
	// halving (mctx's max_num_considered_actions).
	DefaultConsidered = 16
	// DefaultSimulations is the budget used when neither the caller's
	// budget nor Config.Budget sets a simulation limit.
	DefaultSimulations = 16
	// DefaultBatch is the most leaves evaluated per call of the net.
	DefaultBatch = 16
	// DefaultCVisit and DefaultCScale set σ(q) = (c_visit + max N)·c_scale·q
	// (mctx's maxvisit_init and value_scale).
	DefaultCVisit = 50
	DefaultCScale = 0.1
	// DefaultMaxNodes bounds the tree size (about 40 bytes a node): past
	// it, leaves are evaluated without being expanded.
	DefaultMaxNodes = 1 << 22
)

// Config sets up a Searcher. Game is required; zero numeric fields take the
// defaults documented on them.
type Config struct {
	// Game gives the number of actions (the width of the net's policy and
	// of Result.Policy).
	Game game.Game
	// Considered is the most root moves sampled (m); 0 means
	// DefaultConsidered. The search considers min(Considered, legal moves,
	// simulations).
	Considered int
	// CVisit and CScale set the scale of the normalised Q values,
	// σ(q̂) = (CVisit + max_b N(b))·CScale·q̂; 0 means DefaultCVisit,
	// DefaultCScale.
	CVisit, CScale float64
	// NoGumbel turns the root noise off (mctx's gumbel_scale = 0): the
	// moves with the highest priors are considered and the search no
	// longer depends on the seed. By default the noise is on, in play as
	// in training.
	NoGumbel bool
	// Batch is the most leaves evaluated per call of the net; 0 means
	// DefaultBatch. It sets how the leaves are grouped, never the result.
	Batch int
	// Seed seeds the Gumbel noise (with the position's key).
	Seed uint64
	// MaxNodes bounds the tree size; 0 means DefaultMaxNodes.
	MaxNodes int
	// Budget is used when the caller's budget is unlimited; with no
	// simulation limit in either, DefaultSimulations simulations.
	Budget argmax.Budget
}

// withDefaults checks c (and that there is a net) and fills its zero
// fields; the error names every invalid field.
func (c Config) withDefaults(haveNet bool) (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !haveNet {
		bad("no net")
	}
	if c.Game == nil {
		bad("no game: Config.Game is required")
	} else if c.Game.NumActions() < 1 {
		bad("game %s: %d actions, want ≥ 1", c.Game.Name(), c.Game.NumActions())
	}
	if c.Considered < 0 {
		bad("considered %d: want ≥ 1 (0: %d)", c.Considered, DefaultConsidered)
	} else if c.Considered == 0 {
		c.Considered = DefaultConsidered
	}
	if !(c.CVisit >= 0) || math.IsInf(c.CVisit, 0) {
		bad("c_visit %v: want a finite number ≥ 0 (0: %v)", c.CVisit, DefaultCVisit)
	} else if c.CVisit == 0 {
		c.CVisit = DefaultCVisit
	}
	if !(c.CScale >= 0) || math.IsInf(c.CScale, 0) {
		bad("c_scale %v: want a finite number > 0 (0: %v)", c.CScale, DefaultCScale)
	} else if c.CScale == 0 {
		c.CScale = DefaultCScale
	}
	if c.Batch < 0 {
		bad("batch %d: want ≥ 1 (0: %d)", c.Batch, DefaultBatch)
	} else if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.MaxNodes < 0 || c.MaxNodes > math.MaxInt32 {
		bad("max nodes %d: want a number in [1, %d] (0: %d)", c.MaxNodes, math.MaxInt32, DefaultMaxNodes)
	} else if c.MaxNodes == 0 {
		c.MaxNodes = DefaultMaxNodes
	}
	if err := c.Budget.Check(); err != nil {
		bad("config budget: %v", err)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("gumbel config: %w", errors.Join(errs...))
	}
	return c, nil
}
