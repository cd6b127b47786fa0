// Package argmax holds the contracts every optimizer in the toolkit shares:
// a Budget that bounds how much work a decision may take, and a Cost that
// reports what the decision actually took.
//
// Everything that answers — a game bot, an environment policy, a task solver —
// is a Decider: it takes an input and a Budget and returns its answer plus a
// Cost. Direct optimizers (search, per-instance iteration) spend their budget
// at every decision; amortized optimizers (learned functions) spend it once in
// training and answer in one forward pass. The experiments in lab/ speak only
// to Deciders, so a new optimizer enters every comparison at once.
package argmax

import (
	"fmt"
	"time"
)

// Budget bounds the work of one decision. Zero fields are unlimited; a
// Decider stops at the first limit it reaches. A Budget with no limit at all
// means "the Decider's own default".
type Budget struct {
	Simulations int64         // search simulations (MCTS playouts)
	Iterations  int64         // optimizer iterations (gradient steps, CEM rounds)
	Samples     int64         // sampled candidates (best-of-n)
	Nodes       int64         // visited search nodes (alpha-beta)
	Time        time.Duration // wall-clock time
}

// Unlimited reports whether b sets no limit at all.
func (b Budget) Unlimited() bool { return b == Budget{} }

// String renders the limits that are set, e.g. "sims=800,time=1s".
func (b Budget) String() string {
	s := ""
	add := func(k string, v any) {
		if s != "" {
			s += ","
		}
		s += fmt.Sprintf("%s=%v", k, v)
	}
	if b.Simulations > 0 {
		add("sims", b.Simulations)
	}
	if b.Iterations > 0 {
		add("iters", b.Iterations)
	}
	if b.Samples > 0 {
		add("samples", b.Samples)
	}
	if b.Nodes > 0 {
		add("nodes", b.Nodes)
	}
	if b.Time > 0 {
		add("time", b.Time)
	}
	if s == "" {
		return "unlimited"
	}
	return s
}

// Cost is what one decision actually took. Deciders fill the fields that
// apply to them and leave the others zero; Add accumulates costs over many
// decisions.
type Cost struct {
	Simulations   int64         // search simulations run
	Nodes         int64         // search nodes visited
	ForwardPasses int64         // network forward passes (a batch of n counts n)
	FLOPs         int64         // floating-point operations, where known
	Iterations    int64         // optimizer iterations
	Samples       int64         // candidates sampled
	Elapsed       time.Duration // wall-clock time
}

// Add returns the sum of c and d, field by field.
func (c Cost) Add(d Cost) Cost {
	return Cost{
		Simulations:   c.Simulations + d.Simulations,
		Nodes:         c.Nodes + d.Nodes,
		ForwardPasses: c.ForwardPasses + d.ForwardPasses,
		FLOPs:         c.FLOPs + d.FLOPs,
		Iterations:    c.Iterations + d.Iterations,
		Samples:       c.Samples + d.Samples,
		Elapsed:       c.Elapsed + d.Elapsed,
	}
}
