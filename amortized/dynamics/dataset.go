package dynamics

import (
	"context"
	"fmt"

	"argmax"
	"argmax/env"
)

// Dataset holds transitions (observation, action, next observation,
// reward) as flat rows: transition i is Obs[i*ObsDim:(i+1)*ObsDim],
// Actions[i*ActDim:(i+1)*ActDim] (a discrete action is one value, its
// index), Next likewise and Rewards[i].
type Dataset struct {
	ObsDim, ActDim int
	Obs, Actions   []float64
	Next           []float64
	Rewards        []float64
}

// NewDataset returns an empty dataset of transitions of the given
// observation and action dimensions.
func NewDataset(obsDim, actDim int) *Dataset {
	return &Dataset{ObsDim: obsDim, ActDim: actDim}
}

// Len returns the number of transitions.
func (d *Dataset) Len() int { return len(d.Rewards) }

// Add appends a transition (copying the vectors). It panics if a vector
// has the wrong length.
func (d *Dataset) Add(obs, action, next []float64, reward float64) {
	if len(obs) != d.ObsDim || len(next) != d.ObsDim || len(action) != d.ActDim {
		panic(fmt.Sprintf("dynamics: transition of lengths %d, %d, %d for a dataset of %d, %d, %d",
			len(obs), len(action), len(next), d.ObsDim, d.ActDim, d.ObsDim))
	}
	d.Obs = append(d.Obs, obs...)
	d.Actions = append(d.Actions, action...)
	d.Next = append(d.Next, next...)
	d.Rewards = append(d.Rewards, reward)
}

// Collect plays one episode of e from seed with p, each decision within
// b, as env.Rollout does, and appends its transitions to d.
func (d *Dataset) Collect(ctx context.Context, e env.Env, p env.Policy, seed uint64, b argmax.Budget) (env.Episode, error) {
	if e.ObservationSpace().Dim() != d.ObsDim || e.ActionSpace().Dim() != d.ActDim {
		return env.Episode{}, fmt.Errorf("dynamics: %s has observations of %d and actions of %d values, the dataset %d and %d",
			e.Name(), e.ObservationSpace().Dim(), e.ActionSpace().Dim(), d.ObsDim, d.ActDim)
	}
	if r, ok := p.(env.Resetter); ok {
		r.Reset()
	}
	obs := append([]float64(nil), e.Reset(seed)...)
	var ep env.Episode
	for {
		if err := ctx.Err(); err != nil {
			return ep, err
		}
		a, c, err := p.Decide(ctx, env.Situation{Obs: obs, Env: e}, b)
		ep.Cost = ep.Cost.Add(c)
		if err != nil {
			return ep, fmt.Errorf("dynamics: %s: step %d: %w", e.Name(), ep.Steps+1, err)
		}
		a = append([]float64(nil), a...)
		next, r, term, trunc := e.Step(a)
		d.Add(obs, a, next, r)
		obs = append(obs[:0], next...)
		ep.Return += r
		ep.Steps++
		if term || trunc {
			ep.Truncated = !term
			ep.Performance = e.Performance()
			return ep, nil
		}
	}
}
