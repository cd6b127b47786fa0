package guidedcem

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
)

// Actor is the amortized policy a proposal follows: one forward pass
// gives its nominal action at an observation.
type Actor interface {
	// Act writes the policy's nominal action at obs into action (the
	// env's action dimension): the mean of a Gaussian policy clipped to
	// the action box, the most probable index of a categorical one. It
	// returns the cost of the pass (ForwardPasses, FLOPs).
	Act(obs, action []float64) (argmax.Cost, error)
}

// Spread is implemented by Gaussian actors: Std returns the standard
// deviation of each action dimension (in action units), the spread the
// search starts with around the nominal plan.
type Spread interface {
	Std() []float64
}

// Categorical is implemented by actors over a discrete action space:
// Probs writes the probability of each action at obs into dst (one entry
// per action, summing to 1).
type Categorical interface {
	Probs(obs, dst []float64) (argmax.Cost, error)
}

// Value is a learned estimate of the discounted return from an
// observation, in the units of the env's rewards (convert a critic
// trained on scaled rewards first: see PPO and FitValueScale). The
// search adds γ^H·Value(final observation) to each sampled sequence that
// is still running at its horizon H.
type Value interface {
	Value(obs []float64) (float64, argmax.Cost, error)
}

// DefaultMix is the weight of the uniform distribution mixed into a
// categorical proposal when Rollout.Mix is 0.
const DefaultMix = 0.1

// Rollout is the standard proposal: it rolls the actor's nominal action
// through the model from the situation, closed-loop — the action at step
// t is the actor's at the observation the model predicts after t steps —
// and gives the search that plan as its mean (a box) with the actor's
// spread, or the actor's probabilities along it (a discrete space). It
// costs Horizon passes of the actor and Horizon−1 model steps per search.
//
// Rollout is a direct/cem Initializer: set as cem.Config.Init it
// initializes any CEM/MPPI planner.
type Rollout struct {
	// Actor is the policy rolled out; required.
	Actor Actor
	// Model is what the plan is rolled through; nil means EnvModel{}.
	Model Model
	// StdScale multiplies the actor's spread (Spread); 0 means 1. An
	// actor without a Spread leaves the planner's initial standard
	// deviation (cem.Config.InitStd).
	StdScale float64
	// MinStd is a floor on the standard deviation of every dimension, in
	// action units (0: none).
	MinStd float64
	// Mix is the weight of the uniform distribution mixed into each step
	// of a categorical proposal, so that the search can still sample the
	// actions the policy rules out; 0 means DefaultMix, a negative value
	// none.
	Mix float64

	act, rew []float64
	p        []float64
}

var _ cem.Initializer = (*Rollout)(nil)

// Init writes the proposal for a search from s (cem.Initializer).
func (r *Rollout) Init(s env.Situation, horizon int, seed uint64, mean, std, probs []float64) (argmax.Cost, error) {
	if r.Actor == nil {
		return argmax.Cost{}, errors.New("guidedcem: proposal without an actor")
	}
	if s.Env == nil {
		return argmax.Cost{}, errors.New("guidedcem: situation without an env (the proposal reads its action space)")
	}
	m := r.Model
	if m == nil {
		m = EnvModel{}
	}
	space := s.Env.ActionSpace()
	d, n := space.Dim(), space.N
	tr, err := m.Start(s, 1, seed)
	if err != nil {
		return argmax.Cost{}, err
	}
	r.act = grow(&r.act, d)
	r.rew = grow(&r.rew, 1)
	if n > 0 {
		r.p = grow(&r.p, n)
	}
	mix := r.Mix
	if mix == 0 {
		mix = DefaultMix
	}
	mix = max(mix, 0)
	cat, isCat := r.Actor.(Categorical)
	var c argmax.Cost
	t := 0
	for ; t < horizon; t++ {
		if t > 0 {
			if tr.Ended(0) {
				break
			}
			sc, err := tr.Step(r.act, r.rew)
			c = c.Add(sc)
			if err != nil {
				return c, err
			}
			if tr.Ended(0) {
				break
			}
		}
		obs := tr.Obs(0)
		if n > 0 && isCat {
			pc, err := cat.Probs(obs, r.p)
			c = c.Add(pc)
			if err != nil {
				return c, err
			}
			r.act[0] = float64(argmaxIndex(r.p))
		} else {
			ac, err := r.Actor.Act(obs, r.act)
			c = c.Add(ac)
			if err != nil {
				return c, err
			}
		}
		if n > 0 {
			if !isCat {
				k := int(r.act[0])
				if k < 0 || k >= n || float64(k) != r.act[0] {
					return c, fmt.Errorf("guidedcem: actor's action %v is not one of 0..%d", r.act[0], n-1)
				}
				clear(r.p)
				r.p[k] = 1
			}
			q := probs[t*n : (t+1)*n]
			for k := range q {
				q[k] = (1-mix)*r.p[k] + mix/float64(n)
			}
			continue
		}
		for j := range d {
			mean[t*d+j] = max(space.Low[j], min(space.High[j], r.act[j]))
		}
	}
	// Steps after the simulated episode ended keep the last proposal.
	for ; t < horizon && t > 0; t++ {
		if n > 0 {
			copy(probs[t*n:(t+1)*n], probs[(t-1)*n:t*n])
		} else {
			copy(mean[t*d:(t+1)*d], mean[(t-1)*d:t*d])
		}
	}
	if n > 0 {
		return c, nil
	}
	var sd []float64
	if sp, ok := r.Actor.(Spread); ok {
		sd = sp.Std()
		if len(sd) != d {
			return c, fmt.Errorf("guidedcem: actor's spread has %d values for an action of %d", len(sd), d)
		}
	}
	scale := r.StdScale
	if scale == 0 {
		scale = 1
	}
	for k := range std {
		if sd != nil {
			std[k] = scale * sd[k%d]
		}
		std[k] = max(std[k], r.MinStd)
		if math.IsNaN(std[k]) {
			return c, fmt.Errorf("guidedcem: spread %v", sd)
		}
	}
	return c, nil
}

// argmaxIndex returns the index of the largest value, the first of ties.
func argmaxIndex(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// grow returns (*buf)[:n], growing the buffer when needed.
func grow[T any](buf *[]T, n int) []T {
	*buf = slices.Grow((*buf)[:0], n)[:n]
	return *buf
}
