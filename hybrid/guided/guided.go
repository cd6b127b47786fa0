// Package guided is PUCT search guided by a learned policy/value net: a
// hybrid optimizer in the taxonomy of argmax, the seed of AlphaZero. The
// amortized part (a net trained beforehand) proposes: its policy gives the
// priors that focus the search on a few moves, its value scores the
// leaves in place of random rollouts, so the search is truncated at the
// edge of the tree. The direct part (direct/mcts) disposes: it spends a
// budget of simulations at every decision and corrects the net where the
// net is wrong. With few simulations it answers about as the net does;
// with many it converges, like any MCTS, to the game-theoretic best move.
//
// Net is the contract the search consumes; a concrete net (for instance
// from amortized/supervised) plugs in directly or through Adapt or Shared.
// Evaluator is an mcts.Evaluator over a Net: one batched forward pass per
// batch of leaves, priors restricted to the legal moves and renormalised,
// values from the net, optionally mixed with random rollouts. New builds
// the whole searcher with PUCT defaults; it is a game.Policy (Decide, and
// Distribution from the root visits), whose Cost counts the simulations,
// the nodes, the moves played and the net's forward passes and FLOPs as
// the net reports them.
package guided

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
)

// Net evaluates positions in one batched forward pass.
type Net interface {
	// Evaluate writes, for each state i, NumActions priors at
	// priors[i*A:(i+1)*A] (a distribution over the legal actions, 0 for
	// illegal ones) and values[i] in [-1, 1] for the side to move, and
	// returns the counted cost (ForwardPasses, FLOPs).
	Evaluate(states []game.State, priors []float32, values []float32) argmax.Cost
	// Clone returns a Net sharing the weights with its own scratch, for
	// another search thread.
	Clone() Net
}

// BatchEvaluator is the evaluating half of a Net: anything with Net's
// Evaluate method.
type BatchEvaluator interface {
	Evaluate(states []game.State, priors []float32, values []float32) argmax.Cost
}

// Cloneable is a net whose Clone returns its own type N (a concrete net's
// natural signature), which Adapt turns into a Net.
type Cloneable[N any] interface {
	BatchEvaluator
	Clone() N
}

// Adapt returns n as a Net: Evaluate calls n's, Clone wraps n.Clone().
func Adapt[N Cloneable[N]](n N) Net { return adapted[N]{n} }

type adapted[N Cloneable[N]] struct{ n N }

func (a adapted[N]) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	return a.n.Evaluate(states, priors, values)
}

func (a adapted[N]) Clone() Net { return adapted[N]{a.n.Clone()} }

// Shared returns e as a Net whose Clone returns e itself: for evaluators
// that keep no scratch or are safe for concurrent use (every search
// thread then calls the same e).
func Shared(e BatchEvaluator) Net { return shared{e} }

type shared struct{ BatchEvaluator }

func (s shared) Clone() Net { return s }

// EvalFunc adapts a function to BatchEvaluator (wrap it in Shared for a
// Net): for fixed rules and test nets.
type EvalFunc func(states []game.State, priors []float32, values []float32) argmax.Cost

// Evaluate calls f.
func (f EvalFunc) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	return f(states, priors, values)
}

// DefaultBatch is the number of leaves a search thread gathers, under
// virtual loss, per forward pass when Config.Batch is 0.
const DefaultBatch = 8

// Config sets up a guided search. Game is required; zero numeric fields
// take the defaults documented on them.
type Config struct {
	// Game gives the number of actions (the width of the net's policy).
	Game game.Game
	// C is the PUCT exploration constant; 0 means mcts.DefaultPUCTC.
	C float64
	// FPU is the value assumed for an unvisited child, in [-1, 1] (0 by
	// default: a draw).
	FPU float64
	// Batch is the number of leaves evaluated per forward pass; 0 means
	// DefaultBatch. Above 1 the search spreads a batch by virtual loss.
	Batch int
	// NoSolver turns off MCTS-solver (on by default: proven wins, losses
	// and draws propagate, a proven root stops the search).
	NoSolver bool
	// RolloutMix, in [0, 1], mixes a random-rollout value into the net's:
	// value = (1-RolloutMix)·net + RolloutMix·rollouts. 0 (the default)
	// uses the net alone.
	RolloutMix float64
	// Rollouts is the number of playouts per leaf when RolloutMix > 0; 0
	// means 1.
	Rollouts int
	// NoiseAlpha and NoiseFraction mix Dirichlet noise into the root
	// priors (self-play exploration); both zero: none.
	NoiseAlpha, NoiseFraction float64
	// Temperature, when positive, samples the move from the root visits.
	Temperature float64
	// Threads is the number of root-parallel search threads (each with a
	// clone of the net); 0 means 1.
	Threads int
	// Seed seeds every random choice.
	Seed uint64
	// Reuse keeps the subtree of the position reached between searches.
	Reuse bool
	// MaxNodes bounds the tree size; 0 means mcts.DefaultMaxNodes.
	MaxNodes int
	// Budget is used when the caller's budget is unlimited; if it is
	// unlimited too, mcts.DefaultSimulations simulations.
	Budget argmax.Budget
}

// New returns a PUCT searcher whose leaves are evaluated by net: the
// hybrid decider (a game.Policy). The error names every invalid field.
func New(net Net, cfg Config) (*mcts.Searcher, error) {
	ev, err := NewEvaluator(net, cfg)
	if err != nil {
		return nil, err
	}
	batch := cfg.Batch
	if batch == 0 {
		batch = DefaultBatch
	}
	return mcts.New(mcts.Config{
		Selection:     mcts.PUCT,
		C:             cfg.C,
		FPU:           cfg.FPU,
		Evaluator:     ev,
		Batch:         batch,
		Solver:        !cfg.NoSolver,
		Reuse:         cfg.Reuse,
		NoiseAlpha:    cfg.NoiseAlpha,
		NoiseFraction: cfg.NoiseFraction,
		Temperature:   cfg.Temperature,
		Threads:       cfg.Threads,
		Seed:          cfg.Seed,
		MaxNodes:      cfg.MaxNodes,
		Budget:        cfg.Budget,
	})
}

// Evaluator is an mcts.Evaluator over a Net: each call evaluates its batch
// of leaves in one Net.Evaluate, restricts each leaf's priors to its legal
// moves and renormalises them (uniform if the net gives the legal moves no
// mass), and takes the net's value, clamped to [-1, 1] (a NaN counts as 0),
// mixed with rollouts if configured. Its cost is the net's (forward passes,
// FLOPs) plus the rollouts' (playouts as Samples, their moves as Steps).
// Each search thread uses its own clone (mcts.Cloner).
type Evaluator struct {
	net        Net
	numActions int
	mix        float32
	roll       *mcts.Rollouts // nil without rollouts

	states                []game.State
	priors, values, rollV []float32
}

var _ mcts.Cloner = (*Evaluator)(nil)

// NewEvaluator returns an evaluator over net for cfg.Game, using
// cfg.RolloutMix and cfg.Rollouts; the error names every invalid field.
func NewEvaluator(net Net, cfg Config) (*Evaluator, error) {
	var errs []error
	if net == nil {
		errs = append(errs, errors.New("no net"))
	}
	if cfg.Game == nil {
		errs = append(errs, errors.New("no game: Config.Game is required"))
	}
	if !(cfg.RolloutMix >= 0 && cfg.RolloutMix <= 1) {
		errs = append(errs, fmt.Errorf("rollout mix %v: want a value in [0, 1]", cfg.RolloutMix))
	}
	if cfg.Rollouts < 0 {
		errs = append(errs, fmt.Errorf("rollouts %d: want ≥ 0", cfg.Rollouts))
	}
	if cfg.Batch < 0 {
		errs = append(errs, fmt.Errorf("batch %d: want ≥ 1 (0: %d)", cfg.Batch, DefaultBatch))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("guided config: %w", errors.Join(errs...))
	}
	e := &Evaluator{net: net, numActions: cfg.Game.NumActions(), mix: float32(cfg.RolloutMix)}
	if cfg.RolloutMix > 0 {
		e.roll = &mcts.Rollouts{N: max(cfg.Rollouts, 1)}
	}
	return e, nil
}

// Clone returns an evaluator with a clone of the net and its own scratch.
func (e *Evaluator) Clone() mcts.Evaluator {
	c := &Evaluator{net: e.net.Clone(), numActions: e.numActions, mix: e.mix}
	if e.roll != nil {
		c.roll = e.roll.Clone().(*mcts.Rollouts)
	}
	return c
}

// Evaluate evaluates the leaves in one forward pass of the net.
func (e *Evaluator) Evaluate(leaves []mcts.Leaf, rng *rand.Rand) argmax.Cost {
	n, A := len(leaves), e.numActions
	if cap(e.states) < n {
		e.states = make([]game.State, n)
		e.priors = make([]float32, n*A)
		e.values = make([]float32, n)
		e.rollV = make([]float32, n)
	}
	states, priors, values := e.states[:n], e.priors[:n*A], e.values[:n]
	var cost argmax.Cost
	if e.roll != nil {
		cost = e.roll.Evaluate(leaves, rng)
		for i := range leaves {
			e.rollV[i] = leaves[i].Value
		}
	}
	for i := range leaves {
		states[i] = leaves[i].State
	}
	clear(priors)
	clear(values)
	cost = cost.Add(e.net.Evaluate(states, priors, values))
	clear(states) // keep no position
	for i := range leaves {
		l := &leaves[i]
		v := values[i]
		switch {
		case v != v:
			v = 0
		case v > 1:
			v = 1
		case v < -1:
			v = -1
		}
		if e.roll != nil {
			v = (1-e.mix)*v + e.mix*e.rollV[i]
		}
		l.Value = v
		if l.Priors != nil {
			legalPriors(l.Priors, l.Legal, priors[i*A:(i+1)*A])
		}
	}
	return cost
}

// legalPriors writes into dst the net's priors p of the legal moves,
// renormalised; uniform if they have no mass (or a bad entry).
func legalPriors(dst []float32, legal []game.Action, p []float32) {
	var sum float64
	for j, a := range legal {
		v := float32(0)
		if int(a) < len(p) {
			v = p[a]
		}
		if !(v >= 0) || math.IsInf(float64(v), 0) {
			sum = math.NaN()
			break
		}
		dst[j] = v
		sum += float64(v)
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		u := 1 / float32(len(legal))
		for j := range dst {
			dst[j] = u
		}
		return
	}
	for j := range dst {
		dst[j] = float32(float64(dst[j]) / sum)
	}
}
