package guidedcem

import (
	"fmt"
	"slices"

	"argmax"
	"argmax/env"
)

// Model is what guided CEM simulates: a batch of trajectories started at
// a situation and stepped one action at a time, whose observations can be
// read at every step. A policy is rolled out closed-loop through it (the
// proposal), and the sampled sequences end in an observation a value
// function scores (the terminal value) — what direct/cem's Model, which
// returns rewards only, cannot offer.
type Model interface {
	// Start begins n trajectories at s; a stochastic model draws their
	// randomness from seed alone.
	Start(s env.Situation, n int, seed uint64) (Trajectories, error)
}

// Trajectories is a batch of simulated trajectories (Model.Start).
type Trajectories interface {
	// Step applies actions[i*d:(i+1)*d] (d the action dimension) to each
	// trajectory i that has not ended and writes its reward to rewards[i]
	// (0 for an ended one). It returns the work done: model steps, and
	// for a learned model its forward passes and FLOPs.
	Step(actions, rewards []float64) (argmax.Cost, error)
	// Obs returns trajectory i's current observation (valid until the
	// next Step).
	Obs(i int) []float64
	// Ended reports whether trajectory i's episode ended (terminated or
	// was truncated) at a step so far.
	Ended(i int) bool
}

// EnvModel is the true model: every trajectory plays on its own clone of
// the situation's env. Like direct/cem's Simulator, it reseeds each clone
// from the seed it is given (env.Reseed) unless Clairvoyant, so that a
// stochastic env's noise is met as a distribution, not foreseen; a
// deterministic env is simulated exactly.
type EnvModel struct {
	// Clairvoyant skips the reseeding (an oracle, for ablations).
	Clairvoyant bool
}

var _ Model = EnvModel{}

// Start clones s.Env n times.
func (m EnvModel) Start(s env.Situation, n int, seed uint64) (Trajectories, error) {
	if s.Env == nil {
		return nil, fmt.Errorf("guidedcem: situation without an env to simulate")
	}
	if n < 0 {
		return nil, fmt.Errorf("guidedcem: %d trajectories", n)
	}
	tr := &envTrajectories{d: s.Env.ActionSpace().Dim(), envs: make([]env.Env, n), obs: make([][]float64, n), ended: make([]bool, n)}
	for i := range n {
		e := s.Env.Clone()
		if !m.Clairvoyant {
			env.Reseed(e, seed)
		}
		tr.envs[i] = e
		tr.obs[i] = slices.Clone(s.Obs)
	}
	return tr, nil
}

type envTrajectories struct {
	d     int
	envs  []env.Env
	obs   [][]float64
	ended []bool
}

func (tr *envTrajectories) Step(actions, rewards []float64) (argmax.Cost, error) {
	n := len(tr.envs)
	if len(actions) != n*tr.d || len(rewards) != n {
		return argmax.Cost{}, fmt.Errorf("guidedcem: %d action values and %d rewards for %d trajectories of action dimension %d", len(actions), len(rewards), n, tr.d)
	}
	var c argmax.Cost
	for i, e := range tr.envs {
		if tr.ended[i] {
			rewards[i] = 0
			continue
		}
		obs, r, term, trunc := e.Step(actions[i*tr.d : (i+1)*tr.d])
		tr.obs[i] = obs
		rewards[i] = r
		tr.ended[i] = term || trunc
		c.Steps++
	}
	return c, nil
}

func (tr *envTrajectories) Obs(i int) []float64 { return tr.obs[i] }
func (tr *envTrajectories) Ended(i int) bool    { return tr.ended[i] }
