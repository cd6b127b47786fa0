package cem

import (
	"fmt"
	"sync"

	"argmax"
	"argmax/env"
)

// Model is what a Planner simulates to score action sequences.
//
// Evaluate plays n = len(rewards)/horizon action sequences, each from the
// situation s, and writes the reward of sequence i at step t to
// rewards[i*horizon+t]. actions holds the sequences in the same layout, one
// action of the env's action dimension d per step: the value of dimension j
// at step t of sequence i is actions[(i*horizon+t)*d+j] (for a discrete
// space, d = 1 and the value is the action's index). A sequence whose
// simulated episode ends (terminates or is truncated) before its horizon
// gets reward 0 at the steps after the end. A stochastic model draws its
// randomness from seed alone, so that the same call gives the same
// rewards. Evaluate returns the work it did — model steps, and for a
// learned model its forward passes and FLOPs — or an error when it cannot
// simulate s.
//
// Evaluate must not keep actions, rewards or s after it returns. Its
// signature uses only the types of env and argmax, so a model defined in
// a package that does not import this one implements Model as it is.
type Model interface {
	Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error)
}

// Simulator is the true model: it plays every sequence on its own clone
// of the situation's env, so a planner using it searches the real
// dynamics. A stochastic env's clone copies its random stream, which would
// let the planner foresee the very noise the env will draw; so each clone
// is reseeded from the call's seed first (env.Reseed): every sequence of
// one call meets the same noise (common random numbers), drawn afresh, not
// the future's. The zero value simulates in the calling goroutine.
type Simulator struct {
	// Workers is the number of goroutines that simulate sequences; 0 or 1
	// means the calling goroutine alone. The sequences are cut into fixed
	// contiguous chunks, one a worker, and each is simulated on its own
	// clone, so the rewards do not depend on Workers.
	Workers int
	// Clairvoyant skips the reseeding: the sequences meet the noise the
	// env will actually draw — an oracle no agent has, for ablations.
	Clairvoyant bool
}

var _ Model = Simulator{}

// Evaluate plays each sequence on a clone of s.Env and counts one Step per
// env step taken.
func (m Simulator) Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error) {
	n, d, err := shape(s, actions, horizon, rewards)
	if err != nil {
		return argmax.Cost{}, err
	}
	w := max(1, min(m.Workers, n))
	if w == 1 {
		steps := m.simulate(s.Env, actions, horizon, d, seed, rewards)
		return argmax.Cost{Steps: steps}, nil
	}
	// Each worker gets its own clone, made here, so that no two
	// goroutines ever read the situation's env at once.
	steps := make([]int64, w)
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := k*n/w, (k+1)*n/w
		e := s.Env.Clone()
		wg.Go(func() {
			steps[k] = m.simulate(e, actions[lo*horizon*d:hi*horizon*d], horizon, d, seed, rewards[lo*horizon:hi*horizon])
		})
	}
	wg.Wait()
	var c argmax.Cost
	for _, st := range steps {
		c.Steps += st
	}
	return c, nil
}

// simulate plays the sequences of actions on clones of e, reseeded from
// seed unless m is clairvoyant, and returns the number of env steps taken.
func (m Simulator) simulate(e env.Env, actions []float64, horizon, d int, seed uint64, rewards []float64) int64 {
	var steps int64
	for i := range len(rewards) / horizon {
		sim := e.Clone()
		if !m.Clairvoyant {
			env.Reseed(sim, seed)
		}
		r := rewards[i*horizon : (i+1)*horizon]
		seq := actions[i*horizon*d : (i+1)*horizon*d]
		t := 0
		for ; t < horizon; t++ {
			_, rew, term, trunc := sim.Step(seq[t*d : (t+1)*d])
			r[t] = rew
			steps++
			if term || trunc {
				t++
				break
			}
		}
		clear(r[t:])
	}
	return steps
}

// shape checks the arguments of Evaluate and returns the number of
// sequences and the action dimension.
func shape(s env.Situation, actions []float64, horizon int, rewards []float64) (n, d int, err error) {
	if s.Env == nil {
		return 0, 0, fmt.Errorf("cem: situation without an env to simulate")
	}
	if horizon < 1 || len(rewards)%horizon != 0 {
		return 0, 0, fmt.Errorf("cem: %d rewards for horizon %d: want a positive multiple", len(rewards), horizon)
	}
	n, d = len(rewards)/horizon, s.Env.ActionSpace().Dim()
	if len(actions) != n*horizon*d {
		return 0, 0, fmt.Errorf("cem: %d action values for %d sequences of %d steps of dimension %d", len(actions), n, horizon, d)
	}
	return n, d, nil
}
