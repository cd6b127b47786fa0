package cem

import (
	"fmt"
	"math"

	"argmax"
	"argmax/env"
)

// Initializer gives each search of a Planner the distribution it starts
// from (Config.Init): the hook through which an amortized proposal — a
// policy's nominal plan and its spread — initializes the direct search,
// as in hybrid/guidedcem. The interface speaks only the types of env and
// argmax, so a proposal defined elsewhere satisfies it structurally.
//
// Init is called once per search, after the planner has prepared its
// distribution for s (the warm start or the initial one), and may keep or
// overwrite it. For a box action space of dimension d, mean and std hold
// the mean and standard deviation of every step and dimension (horizon·d
// values; dimension j of step t at t·d+j) and probs is nil; for a
// discrete space of n actions, probs holds the probabilities of every
// step and action (horizon·n values, each step's summing to 1) and mean
// and std are nil. A stochastic initializer draws from seed alone. Init
// returns the work it did (its forward passes and model steps), which the
// search counts, or an error that ends the search. It must not keep the
// slices or s.
type Initializer interface {
	Init(s env.Situation, horizon int, seed uint64, mean, std, probs []float64) (argmax.Cost, error)
}

// initialize calls the configured Initializer on the prepared
// distribution and checks what it wrote.
func (p *Planner) initialize(s env.Situation) (argmax.Cost, error) {
	h := p.cfg.Horizon
	var c argmax.Cost
	var err error
	if p.n > 0 {
		c, err = p.cfg.Init.Init(s, h, p.rng.Uint64(), nil, nil, p.probs)
	} else {
		c, err = p.cfg.Init.Init(s, h, p.rng.Uint64(), p.mean, p.std, nil)
	}
	if err != nil {
		return c, fmt.Errorf("cem: initial distribution: %w", err)
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	for k, v := range p.mean {
		if bad(v) || bad(p.std[k]) || p.std[k] < 0 {
			return c, fmt.Errorf("cem: initial distribution: step %d, dimension %d: mean %v, std %v: want finite values, std ≥ 0", k/p.d, k%p.d, v, p.std[k])
		}
	}
	if p.n > 0 {
		for t := range h {
			var sum float64
			for _, q := range p.probs[t*p.n : (t+1)*p.n] {
				if !(q >= 0) {
					return c, fmt.Errorf("cem: initial distribution: step %d: probability %v", t, q)
				}
				sum += q
			}
			if math.Abs(sum-1) > 1e-6 {
				return c, fmt.Errorf("cem: initial distribution: step %d: probabilities sum to %v, want 1", t, sum)
			}
		}
	}
	return c, nil
}
