package bestofn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax"
)

// Generator proposes candidate answers for an input, drawing its
// randomness from rng only.
type Generator[In, Out any] interface {
	Generate(in In, rng *rand.Rand) Out
}

// Scorer scores a candidate answer for an input; higher is better. Scores
// must not be NaN.
type Scorer[In, Out any] interface {
	Score(in In, out Out) float64
}

// Config configures a Decider.
type Config struct {
	// N is the number of candidates per decision when the budget sets no
	// Samples limit: 0 means 16.
	N int
	// Seed seeds the decider's PCG stream (any value, 0 included).
	Seed uint64
}

// streamDecide is the PCG stream of a Decider's draws.
const streamDecide = 0xd1b54a32d192ed03

// Decider is best-of-n: it draws candidates from its generator and
// answers with the first of the best-scoring ones. It implements
// argmax.Decider[In, Out] and is not safe for concurrent use.
type Decider[In, Out any] struct {
	gen   Generator[In, Out]
	score Scorer[In, Out]
	n     int
	rng   *rand.Rand
}

// New returns a best-of-n decider over gen and score.
func New[In, Out any](gen Generator[In, Out], score Scorer[In, Out], cfg Config) (*Decider[In, Out], error) {
	if gen == nil || score == nil {
		return nil, errors.New("bestofn: New: nil generator or scorer")
	}
	if cfg.N == 0 {
		cfg.N = 16
	}
	if cfg.N < 0 {
		return nil, fmt.Errorf("bestofn: Config.N = %d: want ≥ 1 (0 for the default 16)", cfg.N)
	}
	return &Decider[In, Out]{gen: gen, score: score, n: cfg.N, rng: rand.New(rand.NewPCG(cfg.Seed, streamDecide))}, nil
}

// N returns the number of candidates a decision draws when its budget sets
// no Samples limit.
func (d *Decider[In, Out]) N() int { return d.n }

// Decide draws b.Samples candidates (N when b.Samples is 0), stopping early
// when b.Time has elapsed after at least one candidate (counted in
// Cost.CutShort), and returns the first of the highest-scoring candidates.
// Cost.Samples counts the candidates drawn and scored.
func (d *Decider[In, Out]) Decide(ctx context.Context, in In, b argmax.Budget) (Out, argmax.Cost, error) {
	var best Out
	var cost argmax.Cost
	if err := b.Check(); err != nil {
		return best, cost, fmt.Errorf("bestofn: %w", err)
	}
	n := int64(d.n)
	if b.Samples > 0 {
		n = b.Samples
	}
	start := time.Now()
	bestScore := math.Inf(-1)
	for cost.Samples < n {
		if err := ctx.Err(); err != nil {
			return best, cost, err
		}
		if b.Time > 0 && cost.Samples > 0 && time.Since(start) >= b.Time {
			cost.CutShort = 1
			break
		}
		y := d.gen.Generate(in, d.rng)
		s := d.score.Score(in, y)
		cost.Samples++
		if math.IsNaN(s) {
			return best, cost, fmt.Errorf("bestofn: candidate %d scored NaN", cost.Samples)
		}
		if cost.Samples == 1 || s > bestScore {
			best, bestScore = y, s
		}
	}
	return best, cost, nil
}
