package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
	"argmax/lab/stats"
)

// Level is the confidence level of every interval the package reports.
const Level = 0.95

// Factory makes a new decider instance. Parallel runs call it once per
// worker, so each goroutine has its own decider; it must return a new
// instance on every call unless the decider is safe for concurrent use.
// The harness closes the deciders it made (bots.Close: an external bot's
// process) when the run ends.
type Factory func() (game.Decider, error)

// instances makes deciders from factories for a run's workers and closes
// them at its end; with own false (a decider the caller passed in) it
// closes nothing.
type instances struct {
	own bool
	mu  sync.Mutex
	ds  []game.Decider
}

func (m *instances) make(f Factory) (game.Decider, error) {
	d, err := f()
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errors.New("the factory made no decider")
	}
	if m.own {
		m.mu.Lock()
		m.ds = append(m.ds, d)
		m.mu.Unlock()
	}
	return d, nil
}

// close closes every decider made and returns err, or the first close
// error if err is nil.
func (m *instances) close(err error) error {
	for _, d := range m.ds {
		if cerr := bots.Close(d); err == nil && cerr != nil {
			err = fmt.Errorf("closing %T: %w", d, cerr)
		}
	}
	return err
}

// Bot returns a Factory making the bot spec describes for g (lab/bots).
// Call it once before a long run to report a bad spec early.
func Bot(g game.Game, spec string) Factory {
	return func() (game.Decider, error) { return bots.New(g, spec) }
}

// CostMeans is the mean of each counted cost per decision.
type CostMeans struct {
	Simulations, Nodes, Steps, ForwardPasses, FLOPs, Iterations, Samples float64
	CutShort                                                             float64       // the share of decisions cut short by their budget
	Elapsed                                                              time.Duration // mean wall time (†)
}

// PerDecision returns the per-decision means of c's counts (c.Decisions
// decisions); zero means for no decisions.
func PerDecision(c argmax.Cost) CostMeans {
	if c.Decisions <= 0 {
		return CostMeans{}
	}
	n := float64(c.Decisions)
	return CostMeans{
		Simulations:   float64(c.Simulations) / n,
		Nodes:         float64(c.Nodes) / n,
		Steps:         float64(c.Steps) / n,
		ForwardPasses: float64(c.ForwardPasses) / n,
		FLOPs:         float64(c.FLOPs) / n,
		Iterations:    float64(c.Iterations) / n,
		Samples:       float64(c.Samples) / n,
		CutShort:      float64(c.CutShort) / n,
		Elapsed:       c.Elapsed / time.Duration(c.Decisions),
	}
}

// Spend is what a run of decisions cost.
type Spend struct {
	// Cost sums the decisions' costs; Decisions and Elapsed are the
	// harness's (argmax.Measure), the other counts the decider's.
	Cost argmax.Cost
	// Mean is Cost per decision.
	Mean CostMeans
	// Times holds each decision's wall time, in position order. Wall times
	// vary from run to run (†) and include the contention of the other
	// workers; use Time for timings to compare.
	Times []time.Duration
}

// MedianTime returns the median wall time per decision (0 for none).
func (s Spend) MedianTime() time.Duration { return quantileDuration(s.Times, 0.5) }

func quantileDuration(ts []time.Duration, q float64) time.Duration {
	if len(ts) == 0 {
		return 0
	}
	xs := make([]float64, len(ts))
	for i, t := range ts {
		xs[i] = float64(t)
	}
	return time.Duration(math.Round(stats.Quantile(xs, q)))
}

func newSpend(costs []argmax.Cost) Spend {
	s := Spend{Times: make([]time.Duration, len(costs))}
	for i, c := range costs {
		s.Cost = s.Cost.Add(c)
		s.Times[i] = c.Elapsed
	}
	s.Mean = PerDecision(s.Cost)
	return s
}

// AccuracyResult is a decider's move accuracy on a set of positions.
type AccuracyResult struct {
	N               int            // positions scored
	Optimal, Strict int            // positions where the move kept the value / had the best score
	OptimalShare    stats.Interval // Optimal/N with its Wilson interval (within [0, 1])
	StrictShare     stats.Interval // Strict/N with its Wilson interval
	Moves           []game.Action  // the move chosen in each position, in order
	Spend
}

// Accuracy asks d for a move in every position of ps, within budget b,
// and scores the moves against the positions' exact scores. Before each
// position it calls d's Reset method if it has one (the solver empties
// its table, MCTS drops a reused tree), so each decision is independent
// of the ones before it and the results do not depend on the order or
// the worker count. A move that
// is not legal is an error naming the position; so is a decider's error.
func Accuracy(ctx context.Context, d game.Decider, ps []Position, b argmax.Budget) (AccuracyResult, error) {
	return accuracy(ctx, &instances{}, single(d), ps, b, 1)
}

// ParallelAccuracy is Accuracy on workers goroutines, each with its own
// decider from f. The moves and counts do not depend on workers for
// deciders whose move is a function of the position and the budget; the
// wall times do.
func ParallelAccuracy(ctx context.Context, f Factory, ps []Position, b argmax.Budget, workers int) (AccuracyResult, error) {
	return accuracy(ctx, &instances{own: true}, f, ps, b, workers)
}

func accuracy(ctx context.Context, m *instances, f Factory, ps []Position, b argmax.Budget, workers int) (AccuracyResult, error) {
	if err := checkAll(ps); err != nil {
		return AccuracyResult{}, fmt.Errorf("eval: accuracy: %w", err)
	}
	moves := make([]game.Action, len(ps))
	costs := make([]argmax.Cost, len(ps))
	err := forEach(ctx, len(ps), workers, func() (func(context.Context, int) error, error) {
		d, err := m.make(f)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, i int) error {
			reset(d)
			a, c, err := argmax.Measure(ctx, d, ps[i].State.Clone(), b)
			if err != nil {
				return fmt.Errorf("position %d %q: %w", i+1, ps[i].String(), err)
			}
			if !ps[i].Legal(a) || !ps[i].State.IsLegal(a) {
				return fmt.Errorf("position %d %q: the decider chose the illegal action %d", i+1, ps[i].String(), a)
			}
			moves[i], costs[i] = a, c
			return nil
		}, nil
	})
	if err = m.close(err); err != nil {
		return AccuracyResult{}, fmt.Errorf("eval: accuracy: %w", err)
	}
	r := AccuracyResult{N: len(ps), Moves: moves, Spend: newSpend(costs)}
	for i, p := range ps {
		if p.Optimal(moves[i]) {
			r.Optimal++
		}
		if p.Strict(moves[i]) {
			r.Strict++
		}
	}
	r.OptimalShare = share(r.Optimal, r.N)
	r.StrictShare = share(r.Strict, r.N)
	return r, nil
}

// ExpectedResult is a policy's expected move accuracy on a set of
// positions: in each, the probability mass it puts on optimal (strictly
// optimal) moves, averaged over positions. For a stochastic rule this
// has less variance than the accuracy of one sampled move.
type ExpectedResult struct {
	N int // positions scored
	// Optimal and Strict are the mean masses with a Student-t interval
	// over positions, clipped to [0, 1].
	Optimal, Strict stats.Interval
	// Mass holds each position's mass on optimal moves, in order.
	Mass []float64
	Spend
}

// ExpectedAccuracy asks p for its distribution over moves in every
// position of ps, within budget b, and scores the mass it puts on optimal
// moves. Mass on an illegal action, or a distribution that does not sum
// to 1 (within 10⁻³), is an error naming the position.
func ExpectedAccuracy(ctx context.Context, p game.Policy, ps []Position, b argmax.Budget) (ExpectedResult, error) {
	return expectedAccuracy(ctx, &instances{}, single(p), ps, b, 1)
}

// ParallelExpectedAccuracy is ExpectedAccuracy on workers goroutines,
// each with its own decider from f, which must implement
// argmax.Distributor (game.Policy).
func ParallelExpectedAccuracy(ctx context.Context, f Factory, ps []Position, b argmax.Budget, workers int) (ExpectedResult, error) {
	return expectedAccuracy(ctx, &instances{own: true}, f, ps, b, workers)
}

func expectedAccuracy(ctx context.Context, m *instances, f Factory, ps []Position, b argmax.Budget, workers int) (ExpectedResult, error) {
	if err := checkAll(ps); err != nil {
		return ExpectedResult{}, fmt.Errorf("eval: expected accuracy: %w", err)
	}
	opt := make([]float64, len(ps))
	str := make([]float64, len(ps))
	costs := make([]argmax.Cost, len(ps))
	err := forEach(ctx, len(ps), workers, func() (func(context.Context, int) error, error) {
		d, err := m.make(f)
		if err != nil {
			return nil, err
		}
		pol, ok := d.(argmax.Distributor[game.State])
		if !ok {
			return nil, fmt.Errorf("decider %T gives no distribution over moves (it is not a game.Policy)", d)
		}
		var dst []float32
		return func(ctx context.Context, i int) error {
			p := ps[i]
			dst = slices.Grow(dst[:0], len(p.Scores))[:len(p.Scores)]
			reset(d)
			start := time.Now()
			c, err := pol.Distribution(ctx, p.State.Clone(), b, dst)
			c.Elapsed, c.Decisions = time.Since(start), 1
			if err != nil {
				return fmt.Errorf("position %d %q: %w", i+1, p.String(), err)
			}
			sum := 0.0
			for a, q := range dst {
				q := float64(q)
				if q < 0 || math.IsNaN(q) || (q > 1e-6 && !p.Legal(game.Action(a))) {
					return fmt.Errorf("position %d %q: probability %g for action %d (illegal or negative)", i+1, p.String(), q, a)
				}
				sum += q
				if p.Optimal(game.Action(a)) {
					opt[i] += q
				}
				if p.Strict(game.Action(a)) {
					str[i] += q
				}
			}
			if math.Abs(sum-1) > 1e-3 {
				return fmt.Errorf("position %d %q: the probabilities sum to %g, not 1", i+1, p.String(), sum)
			}
			opt[i], str[i] = opt[i]/sum, str[i]/sum
			costs[i] = c
			return nil
		}, nil
	})
	if err = m.close(err); err != nil {
		return ExpectedResult{}, fmt.Errorf("eval: expected accuracy: %w", err)
	}
	return ExpectedResult{N: len(ps), Optimal: clippedMean(opt), Strict: clippedMean(str), Mass: opt, Spend: newSpend(costs)}, nil
}

// checkAll checks that there are positions and that each is sound.
func checkAll(ps []Position) error {
	if len(ps) == 0 {
		return errors.New("no positions")
	}
	for i, p := range ps {
		if err := p.Check(); err != nil {
			return fmt.Errorf("position %d: %w", i+1, err)
		}
	}
	return nil
}

// share returns k/n with its Wilson interval at Level, made to contain
// the estimate (at k = n rounding can leave the upper end one ulp below 1).
func share(k, n int) stats.Interval {
	iv := stats.Wilson(k, n, Level)
	iv.Lo, iv.Hi = math.Min(iv.Lo, iv.Est), math.Max(iv.Hi, iv.Est)
	return iv
}

// clippedMean returns the mean of shares with its t interval clipped to
// [0, 1].
func clippedMean(xs []float64) stats.Interval {
	iv := stats.MeanCI(xs, Level)
	iv.Lo, iv.Hi = math.Max(0, iv.Lo), math.Min(1, iv.Hi)
	return iv
}

// reset calls d.Reset if d has one: a decider's caches are emptied
// between independent decisions (and games).
func reset(d game.Decider) {
	if r, ok := d.(interface{ Reset() }); ok {
		r.Reset()
	}
}

// single returns a factory that always returns d (a run on one worker).
func single(d game.Decider) Factory { return func() (game.Decider, error) { return d, nil } }

// forEach runs the job for every index in [0, n) on up to workers
// goroutines; each goroutine gets its job from setup first. The first
// failure cancels the others; the error returned is the failing job's
// (of the lowest index among those that failed before the cancellation
// reached them), or setup's, or ctx's.
func forEach(ctx context.Context, n, workers int, setup func() (func(context.Context, int) error, error)) error {
	workers = max(1, min(workers, n))
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstIdx = n
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(i int, err error) {
		mu.Lock()
		defer mu.Unlock()
		// An error caused by our own cancellation is not the cause.
		if firstErr != nil && inner.Err() != nil && ctx.Err() == nil && errors.Is(err, context.Canceled) {
			return
		}
		if firstErr == nil || i < firstIdx {
			firstIdx, firstErr = i, err
		}
		cancel()
	}
	for range workers {
		wg.Go(func() {
			job, err := setup()
			if err != nil {
				fail(-1, err)
				return
			}
			for inner.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := job(inner, i); err != nil {
					fail(i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
