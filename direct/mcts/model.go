package mcts

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax"
)

// Model is a search model in mctx's shape: a function from a state and
// one of a fixed number of discrete actions to a reward, a discount and
// the next state. ModelSearcher plans over it. Single-agent environments
// are models with discounts in [0, 1] (EnvModel); two-player zero-sum
// games are models whose discount is −1, the value of the next state
// being the opponent's, with the rewards at the end (GameModel); a learned
// dynamics model is another.
//
// States are opaque values of type S: the search keeps one per node of
// its tree and never looks inside. Step consumes its state: it may modify
// s in place and return it as the next state, so a caller that still
// needs s passes Step a Clone of it. This lets a simulator step its state
// without copying (an env's Step) while a model over immutable values
// returns a new one.
//
// The interface uses only S and built-in types, so a model defined in a
// package that does not import this one (a learned model in amortized/)
// implements it as it is. Models that keep scratch state are not used
// concurrently by one search.
type Model[S any] interface {
	// NumActions is the number of actions 0..NumActions()-1.
	NumActions() int
	// Step applies action a to s and returns the reward of the
	// transition (for the agent, or the player, who chose a), the
	// discount γ that multiplies the value of next (γ = −1 when the
	// player to move changes in a zero-sum game), the next state and
	// whether next is terminal (no reward follows; its value is 0). An
	// episode cut short by a time limit is terminal for the search too.
	Step(s S, a int) (reward, discount float64, next S, terminal bool)
	// Clone returns an independent copy of s.
	Clone(s S) S
}

// LegalModel is implemented by models where not every action can be
// taken in every state (a game's full columns): Legal appends the actions
// available in s, in increasing order, to dst[:0] and returns it. A model
// without it allows every action everywhere. A non-terminal state with no
// legal action is an error of the model.
type LegalModel[S any] interface {
	Legal(s S, dst []int) []int
}

// MeteredModel is implemented by models whose steps cost more than a
// step, such as a learned model's forward passes and FLOPs: Work returns
// the model's cumulative counts. A search reads it before and after and
// adds the difference of every count but Steps to its Cost (the search
// and its evaluator count the steps themselves).
type MeteredModel interface {
	Work() argmax.Cost
}

// StateEvaluator estimates the value (and, for PUCT, the action priors)
// of a batch of states at the edge of the tree, so that a network can
// evaluate them in one forward pass.
//
// Evaluate writes values[i], the value of states[i] for the agent (or
// player) to move there: the expected discounted return that follows it.
// When priors is not nil it holds len(states) rows of NumActions entries,
// and Evaluate writes into row i a probability for each action of
// states[i] (the search masks illegal actions and renormalizes). rng is
// the search's generator, the only randomness an evaluator should use so
// that searches stay deterministic. Evaluate must not modify or keep the
// states (it may Clone them), and returns the work it did — model steps,
// rollouts (Samples), forward passes, FLOPs — which the search adds to
// the decision's Cost, or an error that stops the search.
//
// Its signature uses only S and standard types, so a learned evaluator
// implements it without importing this package.
type StateEvaluator[S any] interface {
	Evaluate(states []S, rng *rand.Rand, values []float64, priors []float32) (argmax.Cost, error)
}

// DefaultDepth is the default depth of StateRollouts (and of
// ModelConfig.Depth): the number of model steps of a rollout.
const DefaultDepth = 20

// StateRollouts is the default StateEvaluator: the mean discounted return
// of N rollouts (0 means 1) of at most Depth steps (0 means DefaultDepth)
// of uniformly random legal actions through Model, with uniform priors.
// A rollout's return is r₁ + γ₁·r₂ + γ₁γ₂·r₃ + …, with the model's own
// discounts, so in a game (γ = −1) it is the final reward for the player
// to move at the leaf; a rollout that reaches no terminal state within
// Depth steps is not bootstrapped. Its cost is the rollouts (Samples) and
// the steps they took (Steps). A ModelSearcher with a Horizon sets the
// depth of each leaf's rollouts itself (see ModelConfig.Horizon).
type StateRollouts[S any] struct {
	Model Model[S]
	N     int
	Depth int

	legal  []int
	depths []int // per state, set by a search with a horizon for one call
}

var _ StateEvaluator[int] = (*StateRollouts[int])(nil)

// Evaluate writes the rollout returns and uniform priors.
func (r *StateRollouts[S]) Evaluate(states []S, rng *rand.Rand, values []float64, priors []float32) (argmax.Cost, error) {
	if r.Model == nil {
		return argmax.Cost{}, fmt.Errorf("mcts: rollouts without a model")
	}
	n, depth := max(r.N, 1), r.Depth
	if depth == 0 {
		depth = DefaultDepth
	}
	na := r.Model.NumActions()
	lm, _ := r.Model.(LegalModel[S])
	var c argmax.Cost
	if len(r.depths) != 0 && len(r.depths) != len(states) {
		return argmax.Cost{}, fmt.Errorf("mcts: rollouts: %d depths for %d states", len(r.depths), len(states))
	}
	for i, s := range states {
		d := depth
		if len(r.depths) != 0 {
			d = r.depths[i]
		}
		if priors != nil {
			row := priors[i*na : (i+1)*na]
			for j := range row {
				row[j] = 1 / float32(na)
			}
		}
		sum := 0.0
		for range n {
			x := r.Model.Clone(s)
			g, disc := 0.0, 1.0
			for range d {
				var a int
				if lm != nil {
					r.legal = lm.Legal(x, r.legal[:0])
					if len(r.legal) == 0 {
						break
					}
					a = r.legal[rng.IntN(len(r.legal))]
				} else {
					a = rng.IntN(na)
				}
				rew, d, next, term := r.Model.Step(x, a)
				c.Steps++
				g += disc * rew
				disc *= d
				x = next
				if term {
					break
				}
			}
			sum += g
		}
		values[i] = sum / float64(n)
		c.Samples += int64(n)
	}
	return c, nil
}

// minMax tracks the range of the action values Q seen in a search, to
// normalize them to [0, 1] as MuZero does for rewards of any scale; with
// fixed bounds (lo < hi given) it keeps them instead.
type minMax struct {
	lo, hi float64
	fixed  bool
}

// reset starts a search: fixed bounds, or an empty range.
func (m *minMax) reset(lo, hi float64) {
	if lo < hi {
		m.lo, m.hi, m.fixed = lo, hi, true
		return
	}
	m.lo, m.hi, m.fixed = math.Inf(1), math.Inf(-1), false
}

// update widens the range to hold q (unless the bounds are fixed).
func (m *minMax) update(q float64) {
	if m.fixed {
		return
	}
	m.lo = min(m.lo, q)
	m.hi = max(m.hi, q)
}

// normalize maps q to [0, 1] by the range; while the range has no width
// (or one below 1e-9 of its magnitude, which would blow rounding noise up
// to the whole scale) every value maps to 0.5.
func (m *minMax) normalize(q float64) float64 {
	if !(m.hi-m.lo > 1e-9*max(math.Abs(m.lo), math.Abs(m.hi))) {
		return 0.5
	}
	return min(max((q-m.lo)/(m.hi-m.lo), 0), 1)
}
