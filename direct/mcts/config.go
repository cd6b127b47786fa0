package mcts

import (
	"errors"
	"fmt"
	"math"

	"argmax"
)

// Selection is the rule that picks the child to descend into.
type Selection int

// The selection rules.
const (
	// UCT maximizes Q + C·sqrt(ln N / n) (Kocsis and Szepesvári), visiting
	// every child once before comparing scores. Priors are not used.
	UCT Selection = iota
	// PUCT maximizes Q + C·P·sqrt(N) / (1 + n) (AlphaZero), with P the
	// prior from the evaluator and Q = Config.FPU for unvisited children.
	PUCT
)

// String returns "uct" or "puct".
func (s Selection) String() string {
	switch s {
	case UCT:
		return "uct"
	case PUCT:
		return "puct"
	}
	return fmt.Sprintf("Selection(%d)", int(s))
}

// ParseSelection reads "uct" or "puct".
func ParseSelection(name string) (Selection, error) {
	switch name {
	case "uct":
		return UCT, nil
	case "puct":
		return PUCT, nil
	}
	return 0, fmt.Errorf("selection %q: want uct or puct", name)
}

// Defaults applied by New to zero fields of a Config.
const (
	// DefaultUCTC is the UCT exploration constant for values in [-1, 1].
	DefaultUCTC = 1.4
	// DefaultPUCTC is the PUCT exploration constant.
	DefaultPUCTC = 1.5
	// DefaultSimulations is the budget used when neither Config.Budget nor
	// the caller's budget sets a limit.
	DefaultSimulations = 1000
	// DefaultMaxNodes bounds the tree size summed over threads (24 bytes a
	// node): past it, leaves are evaluated without being expanded.
	DefaultMaxNodes = 1 << 23
)

// Config sets up a Searcher. The zero value is plain UCT with one random
// rollout per leaf, no solver, one thread; DefaultConfig turns on the
// solver. Zero numeric fields take the defaults documented on them.
type Config struct {
	// Selection is UCT (the default) or PUCT.
	Selection Selection
	// C is the exploration constant; 0 means DefaultUCTC or DefaultPUCTC.
	C float64
	// FPU is the value (for the player choosing) that PUCT assumes for an
	// unvisited child; UCT visits unvisited children first instead.
	FPU float64
	// Evaluator scores leaves; nil means Rollouts{N: 1}. If it implements
	// Cloner every search thread gets its own clone, otherwise it must be
	// safe for concurrent use when Threads > 1.
	Evaluator Evaluator
	// Batch is the number of leaves a thread gathers, under virtual loss,
	// per call of the Evaluator; 0 means 1.
	Batch int
	// Solver turns on MCTS-solver: proven wins, losses and draws propagate
	// up the tree, proven-lost moves are not searched, a proven root stops
	// the search, and a proven winning move is always played.
	Solver bool
	// Reuse keeps the subtree of the position reached between searches
	// (the position searched before, or up to two plies after it).
	Reuse bool
	// NoiseAlpha and NoiseFraction mix Dirichlet(NoiseAlpha) noise into the
	// root priors: P ← (1-NoiseFraction)·P + NoiseFraction·η. Only PUCT
	// uses priors. Both zero: no noise.
	NoiseAlpha, NoiseFraction float64
	// Temperature, when positive, samples the final move with probability
	// proportional to visits^(1/Temperature) instead of taking the most
	// visited move. A proven winning move is still always played.
	Temperature float64
	// Threads is the number of root-parallel search threads; 0 means 1.
	Threads int
	// Seed seeds every random choice (rollouts, noise, temperature).
	Seed uint64
	// MaxNodes bounds the total tree size; 0 means DefaultMaxNodes.
	MaxNodes int
	// Budget is used when the caller's budget is unlimited; if it is
	// unlimited too, DefaultSimulations simulations.
	Budget argmax.Budget
	// StopLead, when positive, is an adaptive stopping rule: a search
	// thread stops before its budget once the most visited root move leads
	// the second by at least StopLead of the root's visits (checked every
	// 32 simulations after the first StopMin), or once its lead can no
	// longer be overtaken within the simulations left. Easy positions then
	// cost fewer simulations than hard ones; the Result's Status is
	// Decided.
	StopLead float64
	// StopMin is the number of simulations before StopLead is first
	// checked; 0 means 64.
	StopMin int64
}

// DefaultConfig returns the recommended settings for random-rollout play:
// UCT with the solver on.
func DefaultConfig() Config {
	return Config{Selection: UCT, Solver: true}
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch c.Selection {
	case UCT:
		if c.C == 0 {
			c.C = DefaultUCTC
		}
	case PUCT:
		if c.C == 0 {
			c.C = DefaultPUCTC
		}
	default:
		bad("selection %d: want UCT or PUCT", int(c.Selection))
	}
	if c.C < 0 || math.IsNaN(c.C) || math.IsInf(c.C, 0) {
		bad("exploration constant C=%v: want a finite number ≥ 0", c.C)
	}
	if c.FPU < -1 || c.FPU > 1 || math.IsNaN(c.FPU) {
		bad("FPU=%v: want a value in [-1, 1]", c.FPU)
	}
	if c.Evaluator == nil {
		c.Evaluator = &Rollouts{N: 1}
	}
	if c.Batch < 0 {
		bad("batch=%d: want ≥ 1", c.Batch)
	} else if c.Batch == 0 {
		c.Batch = 1
	}
	if c.NoiseAlpha < 0 || math.IsNaN(c.NoiseAlpha) || math.IsInf(c.NoiseAlpha, 0) {
		bad("noise alpha=%v: want a finite number > 0", c.NoiseAlpha)
	}
	if c.NoiseFraction < 0 || c.NoiseFraction > 1 || math.IsNaN(c.NoiseFraction) {
		bad("noise fraction=%v: want a value in [0, 1]", c.NoiseFraction)
	}
	if (c.NoiseAlpha > 0) != (c.NoiseFraction > 0) {
		bad("noise alpha=%v, fraction=%v: set both or neither", c.NoiseAlpha, c.NoiseFraction)
	}
	if c.Temperature < 0 || math.IsNaN(c.Temperature) || math.IsInf(c.Temperature, 0) {
		bad("temperature=%v: want a finite number ≥ 0", c.Temperature)
	}
	if c.Threads < 0 {
		bad("threads=%d: want ≥ 1", c.Threads)
	} else if c.Threads == 0 {
		c.Threads = 1
	}
	if c.MaxNodes < 0 {
		bad("max nodes=%d: want ≥ 1", c.MaxNodes)
	} else if c.MaxNodes == 0 {
		c.MaxNodes = DefaultMaxNodes
	}
	if c.StopLead < 0 || c.StopLead > 1 || math.IsNaN(c.StopLead) {
		bad("stop lead=%v: want a share in [0, 1]", c.StopLead)
	}
	if c.StopMin < 0 {
		bad("stop min=%d: want ≥ 0", c.StopMin)
	} else if c.StopMin == 0 {
		c.StopMin = 64
	}
	if c.Budget.Simulations < 0 || c.Budget.Time < 0 || c.Budget.Nodes < 0 {
		bad("budget %v: negative limit", c.Budget)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("mcts config: %w", errors.Join(errs...))
	}
	return c, nil
}
