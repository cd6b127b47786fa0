// Package argmax holds the contracts every optimizer in the toolkit shares:
// a Decider answers an input within a Budget and reports the Cost of its
// answer.
//
// Everything that answers — a game bot, an environment policy, a task solver —
// is a Decider: it takes an input and a Budget and returns its answer plus a
// Cost. Direct optimizers (search, per-instance iteration) spend their budget
// at every decision; amortized optimizers (learned functions) spend it once in
// training (Trainable) and answer in one forward pass. Deciders that weigh
// every alternative — search visit counts, a policy's probabilities — also
// implement Distributor, which self-play, inverse RL and arbiters need.
//
// Costs are counted, not declared: a decider reports the work it did
// (simulations, nodes, forward passes, FLOPs, model steps) as counted by its
// search loop, its instrumented evaluator or its net; wall time is measured
// by the harness around the call (Measure). The experiments in lab/ speak
// only to Deciders, so a new optimizer enters every comparison at once.
//
// This package imports no problem package: games, environments and tasks
// instantiate the generic contract with their own input and output types
// (game.Decider is Decider[game.State, game.Action]).
package argmax

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Decider answers inputs of type In with outputs of type Out. Decide must
// respect b (stop at its first limit) and ctx (return ctx.Err() promptly
// once it is cancelled), must not keep references to in after returning,
// and reports in Cost the work it did. A Decider is not safe for
// concurrent use unless its documentation says so.
type Decider[In, Out any] interface {
	Decide(ctx context.Context, in In, b Budget) (Out, Cost, error)
}

// Distributor is implemented by deciders that weigh every alternative: a
// search's root visit shares, a policy's probabilities. Distribution writes
// into dst, which has one entry per alternative (per action of the game),
// the probability the decider gives each (0 for alternatives it rules out,
// the entries summing to 1), within the same Budget and Cost rules as
// Decide.
type Distributor[In any] interface {
	Distribution(ctx context.Context, in In, b Budget, dst []float32) (Cost, error)
}

// Trainable is implemented by deciders whose answers were paid for in
// advance by training: TrainingCost is that cost (labelling, simulations,
// gradient steps, wall time), reported apart from the per-decision cost.
type Trainable interface {
	TrainingCost() Cost
}

// ErrBudget is returned (wrapped) by deciders that cannot give any answer
// within the budget; a decider that can answer, but less well than it
// would with more budget, answers and counts the decision in Cost.CutShort
// instead.
var ErrBudget = errors.New("budget exhausted before any answer")

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

// Check returns an error naming the first negative limit of b.
func (b Budget) Check() error {
	switch {
	case b.Simulations < 0, b.Iterations < 0, b.Samples < 0, b.Nodes < 0, b.Time < 0:
		return fmt.Errorf("budget %v: negative limit", b)
	}
	return nil
}

// String renders the limits that are set, e.g. "sims=800,time=1s".
func (b Budget) String() string {
	var parts []string
	add := func(k string, v int64) {
		if v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, v))
		}
	}
	add("sims", b.Simulations)
	add("iters", b.Iterations)
	add("samples", b.Samples)
	add("nodes", b.Nodes)
	if b.Time != 0 {
		parts = append(parts, "time="+b.Time.String())
	}
	if len(parts) == 0 {
		return "unlimited"
	}
	return strings.Join(parts, ",")
}

// Cost is what decisions actually took. Deciders fill the counts that apply
// to them and leave the others zero; Add accumulates costs over many
// decisions. Every count is measured where the work happens (the search
// loop, the evaluator, the net), never declared as a constant.
type Cost struct {
	Decisions     int64         // decisions this cost covers (set by Measure)
	Simulations   int64         // search simulations run
	Nodes         int64         // search nodes visited or created
	Steps         int64         // model steps: moves or transitions simulated (search and rollouts)
	ForwardPasses int64         // network evaluations (a batch of n counts n)
	FLOPs         int64         // floating-point operations of the network's products, counted by the net
	Iterations    int64         // optimizer iterations
	Samples       int64         // candidates sampled
	CutShort      int64         // decisions whose budget ran out before the decider was done (an unproven solve)
	Elapsed       time.Duration // wall-clock time (measured by Measure around the call)
}

// Add returns the sum of c and d, field by field.
func (c Cost) Add(d Cost) Cost {
	return Cost{
		Decisions:     c.Decisions + d.Decisions,
		Simulations:   c.Simulations + d.Simulations,
		Nodes:         c.Nodes + d.Nodes,
		Steps:         c.Steps + d.Steps,
		ForwardPasses: c.ForwardPasses + d.ForwardPasses,
		FLOPs:         c.FLOPs + d.FLOPs,
		Iterations:    c.Iterations + d.Iterations,
		Samples:       c.Samples + d.Samples,
		CutShort:      c.CutShort + d.CutShort,
		Elapsed:       c.Elapsed + d.Elapsed,
	}
}

// Measure calls d.Decide and returns its answer with the decider's counts,
// Decisions set to 1 and Elapsed set to the wall time measured around the
// call: the harness, not the decider, says how long a decision took.
func Measure[In, Out any](ctx context.Context, d Decider[In, Out], in In, b Budget) (Out, Cost, error) {
	start := time.Now()
	out, c, err := d.Decide(ctx, in, b)
	c.Elapsed = time.Since(start)
	c.Decisions = 1
	return out, c, err
}

// Role is a decider's place in the taxonomy: how it pays for its answers.
type Role string

// The roles.
const (
	Direct    Role = "direct"    // search or per-instance optimization at every decision
	Amortized Role = "amortized" // a learned function answering in one pass
	Hybrid    Role = "hybrid"    // both: a learned function guiding or truncating search
	Baseline  Role = "baseline"  // a trivial reference (a random move, a fixed rule)
)

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Direct, Amortized, Hybrid, Baseline:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want direct, amortized, hybrid or baseline", s)
}
