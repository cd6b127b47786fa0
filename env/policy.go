package env

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"argmax"
)

// Situation is what a policy decides from: the observation the agent
// sees, and the env in its current state, for planners that simulate it
// (they Clone it; none steps it, and none reads its Performance: the
// hidden goal is for the harness alone). A model-free policy reads Obs
// only.
type Situation struct {
	Obs []float64
	Env Env
}

// Policy is an env's Decider: it answers a Situation with an action of
// the env's action space (a fresh slice or its own buffer, valid until
// its next decision), within a Budget, and reports its Cost.
type Policy = argmax.Decider[Situation, []float64]

// Resetter is implemented by policies that keep state across the steps of
// an episode (a warm-started plan, a recurrent memory): Reset starts a new
// episode.
type Resetter interface{ Reset() }

// Episode is one episode's outcome.
type Episode struct {
	Return      float64     // sum of the rewards
	Performance float64     // the env's hidden performance at the end
	Steps       int         // decisions taken
	Truncated   bool        // ended by a limit rather than a terminal state
	Cost        argmax.Cost // the policy's counted work over the episode
}

// Rollout plays one episode of e from seed with p, each decision within
// b, and returns its outcome. It stops with ctx's error when ctx is
// cancelled and with the policy's error when a decision fails.
func Rollout(ctx context.Context, e Env, p Policy, seed uint64, b argmax.Budget) (Episode, error) {
	return RolloutVisit(ctx, e, p, seed, b, nil)
}

// RolloutVisit is Rollout with every decision measured by argmax.Measure
// (so the episode's Cost counts its decisions and their wall time) and,
// when visit is not nil, reported to visit: the observation the policy
// saw, its action (both valid only during the call) and the decision's
// cost.
func RolloutVisit(ctx context.Context, e Env, p Policy, seed uint64, b argmax.Budget, visit func(obs, action []float64, c argmax.Cost)) (Episode, error) {
	if r, ok := p.(Resetter); ok {
		r.Reset()
	}
	obs := e.Reset(seed)
	var ep Episode
	for {
		if err := ctx.Err(); err != nil {
			return ep, err
		}
		a, c, err := argmax.Measure(ctx, p, Situation{Obs: obs, Env: e}, b)
		ep.Cost = ep.Cost.Add(c)
		if err != nil {
			return ep, fmt.Errorf("env: %s: step %d: %w", e.Name(), ep.Steps+1, err)
		}
		if visit != nil {
			visit(obs, a, c)
		}
		var r float64
		var term, trunc bool
		obs, r, term, trunc = e.Step(a)
		ep.Return += r
		ep.Steps++
		if term || trunc {
			ep.Truncated = !term
			ep.Performance = e.Performance()
			return ep, nil
		}
	}
}

// Random is the trivial baseline: a uniformly random action of the env's
// action space (an index of a discrete space, a point of a bounded box),
// its stream seeded by Seed.
type Random struct {
	rng    *rand.Rand
	action []float64
}

// NewRandom returns a random policy seeded by seed.
func NewRandom(seed uint64) *Random {
	return &Random{rng: rand.New(rand.NewPCG(seed, 0x72616e646f6d))}
}

// Decide draws an action of s.Env's action space. An unbounded box
// dimension is drawn from a standard normal.
func (r *Random) Decide(_ context.Context, s Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	space := s.Env.ActionSpace()
	r.action = slices.Grow(r.action[:0], space.Dim())[:space.Dim()]
	if space.IsDiscrete() {
		r.action[0] = float64(r.rng.IntN(space.N))
		return r.action, argmax.Cost{}, nil
	}
	for i := range r.action {
		lo, hi := space.Low[i], space.High[i]
		if lo > -1e300 && hi < 1e300 {
			r.action[i] = lo + (hi-lo)*r.rng.Float64()
		} else {
			r.action[i] = r.rng.NormFloat64()
		}
	}
	return r.action, argmax.Cost{}, nil
}
