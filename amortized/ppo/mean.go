package ppo

import (
	"fmt"

	"argmax"
)

// Mean writes the mean of a Gaussian policy at obs into dst (one entry per
// action dimension): the actor's output before Decide clips it to the box,
// from one forward pass of the actor (with Std, the whole distribution, as
// a planner discretizing the box needs it). A discrete policy has no mean:
// it returns an error (its probabilities are Distribution's).
func (p *Policy) Mean(obs, dst []float64) (argmax.Cost, error) {
	if p.ag.discrete {
		return argmax.Cost{}, fmt.Errorf("ppo: a categorical policy over %v has no mean", p.space)
	}
	if len(dst) != p.ag.outDim {
		return argmax.Cost{}, fmt.Errorf("ppo: mean into %d entries, the policy has %d action dimensions", len(dst), p.ag.outDim)
	}
	if err := p.input(obs); err != nil {
		return argmax.Cost{}, err
	}
	out, c := p.actor()
	for j, m := range out {
		dst[j] = float64(m)
	}
	return c, nil
}
