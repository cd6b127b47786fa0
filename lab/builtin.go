package lab

import (
	"context"
	"math"
)

// The built-in experiments with known answers, used to check the machinery
// end to end (a Monte-Carlo estimate whose interval must cover the truth)
// and as the smallest example of a spec.
func init() {
	Register(MonteCarloPi)
	Register(Empty)
}

// Empty does nothing but record its seed index: a sweep of it measures
// what the lab itself spends per trial — planning, dispatch to workers,
// storage (`argmax bench dist`).
var Empty = Experiment{
	Name:    "empty",
	Doc:     "A trial that does nothing but record its seed index: what the lab spends per trial (planning, dispatch, storage).",
	Version: 1,
	Run: func(_ context.Context, t *Trial) error {
		t.Record("seed_index", float64(t.SeedIndex))
		return nil
	},
}

// MonteCarloPi estimates π by throwing uniform points into the unit square
// and counting those inside the quarter disc. Its metrics: "pi" (the
// estimate), "abs_error" (|estimate − π|) and "pi" over steps (the running
// estimate after 10, 100, ... samples). Over seeds, the 95% interval of the
// mean estimate must cover π.
var MonteCarloPi = Experiment{
	Name:    "mc-pi",
	Doc:     "Monte-Carlo estimate of π from uniform points in the unit square: a measurement whose true value is known, to check seeding, storage, intervals and charts.",
	Version: 1,
	Params: []Param{
		{Name: "samples", Kind: Int, Doc: "points thrown per trial", Quick: 10000, Full: 1000000, Range: Between(1, 1e10)},
		{Name: "antithetic", Kind: Bool, Doc: "pair each point (x,y) with (1-x,1-y) to reduce variance", Quick: false},
	},
	Seeds: [2]int{5, 20},
	Run: func(ctx context.Context, t *Trial) error {
		n := t.Int("samples")
		anti := t.Bool("antithetic")
		rng := t.Rand(0)
		in := 0
		next := int64(10)
		var x, y float64
		for i := 1; i <= n; i++ {
			if i&0xffff == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if anti && i%2 == 0 {
				x, y = 1-x, 1-y
			} else {
				x, y = rng.Float64(), rng.Float64()
			}
			if x*x+y*y <= 1 {
				in++
			}
			if int64(i) == next {
				t.RecordAt("running_pi", next, 4*float64(in)/float64(i))
				next *= 10
			}
		}
		est := 4 * float64(in) / float64(n)
		t.Record("pi", est)
		t.Record("abs_error", math.Abs(est-math.Pi))
		return nil
	},
}
