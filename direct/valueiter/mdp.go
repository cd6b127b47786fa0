package valueiter

import (
	"errors"
	"fmt"
	"math"
)

// MDP is the tabular-model contract: a finite Markov decision process given
// by its transition lists, Gymnasium's P[s][a] and initial_state_distrib.
// States are 0..NumStates()-1 and actions 0..NumActions()-1; the outcomes
// of action a in state s are i = 0..NumOutcomes(s, a)-1, each with its
// probability (the probabilities of one list sum to 1; a next state may
// appear in several entries), next state, reward and whether the episode
// terminates on it (terminal: no value is bootstrapped after it).
// StartProb(s) is the probability that an episode starts in s.
//
// The contract is defined here, in the package that consumes it, and its
// methods use only built-in types, so that a model implements it without
// importing anything: the toy-text envs (env/toytext) implement it below
// direct/, and a learned tabular model in amortized/ can plug into the
// solver without either package importing the other — the shape DESIGN.md
// asks of a planner's model. (A method returning a struct of this package
// would force every implementer to import it; one of package env would
// need env to grow a tabular contract for one solver.) The solver reads an
// MDP once, into a Table (NewTable), and sweeps that.
type MDP interface {
	NumStates() int
	NumActions() int
	NumOutcomes(s, a int) int
	Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool)
	StartProb(s int) float64
}

// Transition is one outcome of a (state, action) pair.
type Transition struct {
	Prob     float64
	Next     int
	Reward   float64
	Terminal bool
}

// probTolerance is how far a list of probabilities may sum from 1.
const probTolerance = 1e-9

// Table is an MDP read into flat arrays, checked and immutable: the form
// every solver of the package sweeps. A Table is itself an MDP, and safe
// for concurrent use.
type Table struct {
	nS, nA int
	off    []int // the transitions of (s, a) are tr[off[s*nA+a]:off[s*nA+a+1]]
	tr     []Transition
	start  []float64
}

var _ MDP = (*Table)(nil)

// NewTable reads m into a Table, or returns an error naming the first
// entry that is not a valid MDP: no states or actions, an empty outcome
// list, a probability outside [0, 1] or a list not summing to 1, a next
// state out of range, a reward that is not finite, a start distribution
// not summing to 1.
func NewTable(m MDP) (*Table, error) {
	if m == nil {
		return nil, errors.New("valueiter: nil MDP")
	}
	nS, nA := m.NumStates(), m.NumActions()
	if nS < 1 || nA < 1 {
		return nil, fmt.Errorf("valueiter: MDP with %d states and %d actions: want at least one of each", nS, nA)
	}
	t := &Table{nS: nS, nA: nA, off: make([]int, nS*nA+1), start: make([]float64, nS)}
	for s := range nS {
		for a := range nA {
			n := m.NumOutcomes(s, a)
			if n < 1 {
				return nil, fmt.Errorf("valueiter: MDP: state %d, action %d: %d outcomes, want at least 1", s, a, n)
			}
			var sum float64
			for i := range n {
				p, next, r, term := m.Outcome(s, a, i)
				where := func() string { return fmt.Sprintf("valueiter: MDP: state %d, action %d, outcome %d", s, a, i) }
				switch {
				case !(p >= 0 && p <= 1):
					return nil, fmt.Errorf("%s: probability %v: want one in [0, 1]", where(), p)
				case next < 0 || next >= nS:
					return nil, fmt.Errorf("%s: next state %d: want one of 0..%d", where(), next, nS-1)
				case math.IsNaN(r) || math.IsInf(r, 0):
					return nil, fmt.Errorf("%s: reward %v: want a finite reward", where(), r)
				}
				sum += p
				t.tr = append(t.tr, Transition{Prob: p, Next: next, Reward: r, Terminal: term})
			}
			if math.Abs(sum-1) > probTolerance {
				return nil, fmt.Errorf("valueiter: MDP: state %d, action %d: probabilities sum to %v, want 1", s, a, sum)
			}
			t.off[s*nA+a+1] = len(t.tr)
		}
	}
	var sum float64
	for s := range nS {
		p := m.StartProb(s)
		if !(p >= 0 && p <= 1) {
			return nil, fmt.Errorf("valueiter: MDP: start probability of state %d is %v: want one in [0, 1]", s, p)
		}
		t.start[s] = p
		sum += p
	}
	if math.Abs(sum-1) > probTolerance {
		return nil, fmt.Errorf("valueiter: MDP: start probabilities sum to %v, want 1", sum)
	}
	return t, nil
}

// NumStates is the number of states.
func (t *Table) NumStates() int { return t.nS }

// NumActions is the number of actions.
func (t *Table) NumActions() int { return t.nA }

// NumOutcomes is the number of outcomes of action a in state s.
func (t *Table) NumOutcomes(s, a int) int { return len(t.Transitions(s, a)) }

// Outcome is outcome i of action a in state s.
func (t *Table) Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool) {
	o := t.Transitions(s, a)[i]
	return o.Prob, o.Next, o.Reward, o.Terminal
}

// StartProb is the probability that an episode starts in s.
func (t *Table) StartProb(s int) float64 { return t.start[s] }

// Transitions returns the outcomes of action a in state s (the Table's
// own: callers must not modify them).
func (t *Table) Transitions(s, a int) []Transition {
	k := s*t.nA + a
	return t.tr[t.off[k]:t.off[k+1]]
}

// Start returns a copy of the start distribution.
func (t *Table) Start() []float64 { return append([]float64(nil), t.start...) }

// WithStateRewards returns the same MDP with the reward of every transition
// replaced by a reward of the state it enters: the outcome (p, s', ·, term)
// of any (s, a) pays r[s'] (one reward per state). Rewards on arrival are
// FrozenLake's own form (1 for entering the goal) and what inverse RL
// needs on episodic tasks: a reward paid for acting in a state would never
// be collected in the terminal state an episode ends in, so no reward
// learned on it could draw the agent there. The transitions and start
// distribution are those of t.
func (t *Table) WithStateRewards(r []float64) (*Table, error) {
	if len(r) != t.nS {
		return nil, fmt.Errorf("valueiter: WithStateRewards: %d rewards for %d states", len(r), t.nS)
	}
	for s, v := range r {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("valueiter: WithStateRewards: reward of state %d is %v: want a finite reward", s, v)
		}
	}
	u := *t
	u.tr = make([]Transition, len(t.tr))
	for i, o := range t.tr {
		o.Reward = r[o.Next]
		u.tr[i] = o
	}
	return &u, nil
}

// LinearRewards returns the state rewards r = Φw of a feature matrix Φ,
// given row-major with one row of len(w) features per state (len(features)
// = states·len(w)), and a weight vector w: r[s] = Σ_k Φ[s][k]·w[k].
func LinearRewards(features []float64, states int, w []float64) ([]float64, error) {
	k := len(w)
	if k == 0 || states < 1 || len(features) != states*k {
		return nil, fmt.Errorf("valueiter: LinearRewards: %d feature values for %d states × %d weights", len(features), states, k)
	}
	r := make([]float64, states)
	for s := range r {
		var v float64
		for j, x := range features[s*k : (s+1)*k] {
			v += x * w[j]
		}
		r[s] = v
	}
	return r, nil
}

// WithFeatureRewards is WithStateRewards of the rewards LinearRewards
// computes from features (one row per state of t) and w: the MaxEnt IRL
// form, a reward linear in state features, on t's transitions.
func (t *Table) WithFeatureRewards(features, w []float64) (*Table, error) {
	r, err := LinearRewards(features, t.nS, w)
	if err != nil {
		return nil, err
	}
	return t.WithStateRewards(r)
}

// checkPolicy returns an error unless policy holds rows of t.nA
// probabilities, one row per state, repeated steps times (steps ≥ 1).
func (t *Table) checkPolicy(fn string, policy []float64, steps int) error {
	rows := len(policy) / t.nA
	if len(policy)%t.nA != 0 || rows != t.nS*steps {
		return fmt.Errorf("valueiter: %s: policy of %d values: want %d states × %d actions", fn, len(policy), t.nS, t.nA)
	}
	for row := range rows {
		var sum float64
		for a, p := range policy[row*t.nA : (row+1)*t.nA] {
			if !(p >= 0 && p <= 1) {
				return fmt.Errorf("valueiter: %s: policy row %d (state %d), action %d: probability %v: want one in [0, 1]",
					fn, row, row%t.nS, a, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > probTolerance {
			return fmt.Errorf("valueiter: %s: policy row %d (state %d): probabilities sum to %v, want 1", fn, row, row%t.nS, sum)
		}
	}
	return nil
}

// Deterministic returns the stochastic-policy form (states × actions,
// row-major) of a deterministic policy giving action actions[s] in each
// state s: a one-hot row per state.
func Deterministic(actions []int, nA int) []float64 {
	p := make([]float64, len(actions)*nA)
	for s, a := range actions {
		p[s*nA+a] = 1
	}
	return p
}
