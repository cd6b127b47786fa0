package eval

import (
	"context"
	"errors"
	"fmt"
	"time"

	"argmax"
	"argmax/game"
)

// Named is a decider to time, with its name and budget.
type Named struct {
	Name    string
	Decider game.Decider
	Budget  argmax.Budget
}

// Timing is one decider's wall time per decision (†: wall times vary from
// run to run and machine to machine; compare deciders timed in the same
// call, and report them apart from the deterministic figures).
type Timing struct {
	Name        string
	N           int           // decisions timed
	Median      time.Duration // median wall time per decision
	Q1, Q3      time.Duration // its interquartile range
	Mean        time.Duration // mean wall time per decision
	Times       []time.Duration
	argmax.Cost // the summed cost of the timed decisions
}

// Time times the deciders fairly: one decision at a time on the calling
// goroutine (no other worker of this package competes), interleaved, so
// that a change in the machine's load touches all alike. For each of
// rounds rounds and each position in order, every decider decides once,
// starting with a different decider each round (A B C, then B C A, …).
// Before timing, each decider decides the first position once, untimed
// (warm-up), and before every decision its Reset method, if any, is
// called outside the timed call. It returns each decider's median and
// interquartile wall time per decision over its rounds × len(ps)
// decisions. These are † figures: they vary from run to run.
func Time(ctx context.Context, ds []Named, ps []Position, rounds int) ([]Timing, error) {
	if len(ds) == 0 || len(ps) == 0 || rounds < 1 {
		return nil, errors.New("eval: time: want deciders, positions and rounds ≥ 1")
	}
	out := make([]Timing, len(ds))
	decide := func(j int, p Position) (time.Duration, argmax.Cost, error) {
		reset(ds[j].Decider)
		st := p.State.Clone()
		a, c, err := argmax.Measure(ctx, ds[j].Decider, st, ds[j].Budget)
		if err == nil && !p.Legal(a) {
			err = fmt.Errorf("the illegal action %d", a)
		}
		if err != nil {
			return 0, c, fmt.Errorf("eval: time: %s in position %q: %w", ds[j].Name, p.String(), err)
		}
		return c.Elapsed, c, nil
	}
	for j := range ds {
		out[j].Name = ds[j].Name
		if _, _, err := decide(j, ps[0]); err != nil {
			return nil, err
		}
	}
	for r := range rounds {
		for _, p := range ps {
			for k := range ds {
				j := (r + k) % len(ds)
				t, c, err := decide(j, p)
				if err != nil {
					return nil, err
				}
				out[j].Times = append(out[j].Times, t)
				out[j].Cost = out[j].Cost.Add(c)
			}
		}
	}
	for j := range out {
		ts := out[j].Times
		out[j].N = len(ts)
		out[j].Median = quantileDuration(ts, 0.5)
		out[j].Q1 = quantileDuration(ts, 0.25)
		out[j].Q3 = quantileDuration(ts, 0.75)
		out[j].Mean = out[j].Cost.Elapsed / time.Duration(out[j].N)
	}
	return out, nil
}
