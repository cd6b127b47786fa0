package valueiter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"argmax"
	"argmax/env"
)

// streamTag is the second word of the sampling stream's PCG seed.
const streamTag = 0x76616c7565697465 // "valueite"

// StateEnv is implemented by envs that expose their integer state, as the
// toy-text envs do.
type StateEnv interface {
	State() int
}

// Policy is an env.Policy that answers from a solved table: the greedy
// action of a hard Solution (value iteration, the first of ties), or an
// action sampled from the maximum-entropy policy of a soft one. It reads
// the integer state from the situation's env — the first env of the
// wrapper stack (env.Wrapper) that implements StateEnv — or, failing that,
// from a one-hot observation of the table's size.
//
// All the optimization was done by the solve, which TrainingCost reports
// (sweeps as Iterations, transition backups as Steps, its wall time); a
// decision is a table lookup and counts no work. Policy is an
// env.Resetter: Reset restarts the sampling stream from the seed. It is
// not safe for concurrent use.
type Policy struct {
	sol    *Solution
	pi     []float64 // states × actions
	sample bool
	seed   uint64
	pcg    rand.PCG
	action [1]float64
}

var (
	_ env.Policy                        = (*Policy)(nil)
	_ env.Resetter                      = (*Policy)(nil)
	_ argmax.Trainable                  = (*Policy)(nil)
	_ argmax.Distributor[env.Situation] = (*Policy)(nil)
)

// NewPolicy returns the policy of sol; seed seeds the sampling of a soft
// solution's actions (a hard one draws nothing).
func NewPolicy(sol *Solution, seed uint64) (*Policy, error) {
	if sol == nil || sol.Table == nil {
		return nil, errors.New("valueiter: NewPolicy: nil solution")
	}
	p := &Policy{sol: sol, pi: sol.Policy(), sample: sol.Temperature > 0, seed: seed}
	p.Reset()
	return p, nil
}

// Solution returns the solution the policy answers from.
func (p *Policy) Solution() *Solution { return p.sol }

// Reset restarts the sampling stream from the seed (env.Resetter).
func (p *Policy) Reset() { p.pcg.Seed(p.seed, streamTag) }

// TrainingCost is the cost of the solve the policy answers from.
func (p *Policy) TrainingCost() argmax.Cost { return p.sol.Cost }

// Decide returns the action of the situation's state (the Policy's
// buffer, valid until its next decision). The budget is not consulted: a
// lookup always fits.
func (p *Policy) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	st, err := p.state(ctx, s)
	if err != nil {
		return nil, argmax.Cost{}, err
	}
	nA := p.sol.Table.nA
	row := p.pi[st*nA : (st+1)*nA]
	a := argmaxIndex(row)
	if p.sample {
		u := float64(p.pcg.Uint64()>>11) * 0x1p-53
		a = nA - 1
		for k, q := range row {
			if u < q {
				a = k
				break
			}
			u -= q
		}
	}
	p.action[0] = float64(a)
	return p.action[:], argmax.Cost{}, nil
}

// Distribution writes the policy's probabilities of the situation's state
// into dst, one per action (argmax.Distributor).
func (p *Policy) Distribution(ctx context.Context, s env.Situation, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	st, err := p.state(ctx, s)
	if err != nil {
		return argmax.Cost{}, err
	}
	nA := p.sol.Table.nA
	if len(dst) != nA {
		return argmax.Cost{}, fmt.Errorf("valueiter: Distribution: %d entries for %d actions", len(dst), nA)
	}
	for a, q := range p.pi[st*nA : (st+1)*nA] {
		dst[a] = float32(q)
	}
	return argmax.Cost{}, nil
}

// state reads the situation's integer state.
func (p *Policy) state(ctx context.Context, s env.Situation) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	nS := p.sol.Table.nS
	st, ok := StateOf(s, nS)
	if !ok {
		return 0, fmt.Errorf("valueiter: policy of %d states: the situation has no integer state (no env with State() int, no one-hot observation of %d values)", nS, nS)
	}
	if st < 0 || st >= nS {
		return 0, fmt.Errorf("valueiter: policy of %d states: state %d out of range", nS, st)
	}
	return st, nil
}

// StateOf returns the integer state of a situation, and whether it has
// one: that of the first env of the wrapper stack implementing StateEnv,
// else the index of a one-hot observation of n values.
func StateOf(s env.Situation, n int) (int, bool) {
	for e := s.Env; e != nil; {
		if se, ok := e.(StateEnv); ok {
			return se.State(), true
		}
		w, ok := e.(env.Wrapper)
		if !ok {
			break
		}
		e = w.Unwrap()
	}
	if len(s.Obs) != n {
		return 0, false
	}
	hot := -1
	for i, v := range s.Obs {
		switch {
		case v == 0:
		case v == 1 && hot < 0:
			hot = i
		default:
			return 0, false
		}
	}
	return hot, hot >= 0
}
