package game

import (
	"math/rand/v2"
	"time"
)

// WithStepCost returns s as a costly model: every move it plays — by Play,
// or within a random playout — takes at least d longer (a busy wait, so the
// time is spent on the core like a simulator's). It stands in for an
// expensive simulator with the same dynamics, so that how a decider's time
// grows with the cost of a model step can be measured rather than
// extrapolated. Clones are costly too; Undo is free. The playout of the
// returned state is as fast as s's plus the cost of its moves when s
// implements RandomPlayouter.
func WithStepCost(s State, d time.Duration) State {
	if d <= 0 {
		return s
	}
	if c, ok := s.(costlyState); ok { // re-wrapping keeps one cost
		s = c.State
	} else if c, ok := s.(costlyPlayouter); ok {
		s = c.State
	}
	c := costlyState{State: s, d: d}
	if _, ok := s.(RandomPlayouter); ok {
		return costlyPlayouter{c}
	}
	return c
}

// costlyState is a State whose every Play costs d more.
type costlyState struct {
	State
	d time.Duration
}

func (c costlyState) Play(a Action) {
	spin(c.d)
	c.State.Play(a)
}

func (c costlyState) Clone() State { return WithStepCost(c.State.Clone(), c.d) }

// costlyPlayouter is a costlyState over a RandomPlayouter.
type costlyPlayouter struct{ costlyState }

func (c costlyPlayouter) RandomPlayout(rng *rand.Rand) (Outcome, int) {
	o, plies := c.State.(RandomPlayouter).RandomPlayout(rng)
	spin(time.Duration(plies) * c.d)
	return o, plies
}

// spin waits d on the calling goroutine without yielding the core.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}
