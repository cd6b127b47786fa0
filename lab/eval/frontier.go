package eval

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"argmax"
	"argmax/game"
	"argmax/lab/stats"
)

// FrontierPoint is a decider's quality and cost at one budget.
type FrontierPoint struct {
	Budget  argmax.Budget
	Quality stats.Interval // the optimal-move share with its Wilson interval
	Strict  stats.Interval // the strictly optimal share
	Mean    CostMeans      // counted cost per decision
	// MedianTime and MeanTime are wall time per decision (†: they vary
	// from run to run, and include the contention of parallel workers).
	MedianTime, MeanTime time.Duration
	Accuracy             AccuracyResult // the full measurement
}

// CostSimulations is the mean number of simulations per decision.
func CostSimulations(p FrontierPoint) float64 { return p.Mean.Simulations }

// CostNodes is the mean number of search nodes per decision.
func CostNodes(p FrontierPoint) float64 { return p.Mean.Nodes }

// CostSteps is the mean number of model steps per decision.
func CostSteps(p FrontierPoint) float64 { return p.Mean.Steps }

// CostForwardPasses is the mean number of network evaluations per
// decision.
func CostForwardPasses(p FrontierPoint) float64 { return p.Mean.ForwardPasses }

// CostFLOPs is the mean number of counted FLOPs per decision.
func CostFLOPs(p FrontierPoint) float64 { return p.Mean.FLOPs }

// CostMedianTime is the median wall time per decision in seconds (†).
func CostMedianTime(p FrontierPoint) float64 { return p.MedianTime.Seconds() }

// CostMeanTime is the mean wall time per decision in seconds (†).
func CostMeanTime(p FrontierPoint) float64 { return p.MeanTime.Seconds() }

// Frontier measures the accuracy on ps of the decider mk makes for each
// budget, deciding within that budget, on workers goroutines (each with
// its own decider), and returns one point per budget, sorted by counted
// cost per decision: by mean simulations, then nodes, FLOPs, forward
// passes, model steps, samples and iterations, ties kept in the order of
// budgets. The qualities and counts are deterministic at any worker count
// (see ParallelAccuracy); the times are not.
func Frontier(ctx context.Context, mk func(argmax.Budget) (game.Decider, error), budgets []argmax.Budget, ps []Position, workers int) ([]FrontierPoint, error) {
	out := make([]FrontierPoint, 0, len(budgets))
	for _, b := range budgets {
		r, err := ParallelAccuracy(ctx, func() (game.Decider, error) { return mk(b) }, ps, b, workers)
		if err != nil {
			return nil, fmt.Errorf("eval: frontier at budget %v: %w", b, err)
		}
		out = append(out, FrontierPoint{
			Budget: b, Quality: r.OptimalShare, Strict: r.StrictShare, Mean: r.Mean,
			MedianTime: r.MedianTime(), MeanTime: r.Mean.Elapsed, Accuracy: r,
		})
	}
	slices.SortStableFunc(out, func(a, b FrontierPoint) int {
		x, y := a.Mean, b.Mean
		return cmp.Or(cmp.Compare(x.Simulations, y.Simulations), cmp.Compare(x.Nodes, y.Nodes),
			cmp.Compare(x.FLOPs, y.FLOPs), cmp.Compare(x.ForwardPasses, y.ForwardPasses),
			cmp.Compare(x.Steps, y.Steps), cmp.Compare(x.Samples, y.Samples), cmp.Compare(x.Iterations, y.Iterations))
	})
	return out, nil
}

// Side says where a target lies relative to a frontier's measured range.
type Side int8

// The sides.
const (
	// Inside: the target lies within the frontier's range; the figure is
	// interpolated between measured points.
	Inside Side = 0
	// Below: the target lies below the range (a quality every measured
	// point exceeds, a cost below the cheapest point). The figure returned
	// is the cheapest point's: at most that cost (AtQuality), at most that
	// quality as far as measured (AtCost).
	Below Side = -1
	// Above: the target lies above the range (a quality no point reaches,
	// a cost above the costliest point); the figure is the costliest
	// point's, a bound: more than that cost (AtQuality), at least that
	// quality (AtCost). Also returned for an empty frontier, with NaN.
	Above Side = 1
)

// OK reports whether s is Inside.
func (s Side) OK() bool { return s == Inside }

// String returns "inside", "below" or "above".
func (s Side) String() string {
	switch s {
	case Below:
		return "below"
	case Above:
		return "above"
	}
	return "inside"
}

// knot is one point of a Pareto frontier.
type knot struct{ c, q float64 }

// pareto returns the non-dominated (cost, quality) points in increasing
// cost and strictly increasing quality. A point that costs at least as
// much as another and is no better is dropped: a non-monotone frontier
// (more budget, lower measured quality) is read through its upper
// envelope, and a flat stretch through its cheapest point. Points whose
// cost or quality is NaN, or whose cost is negative, are skipped.
func pareto(points []FrontierPoint, cost func(FrontierPoint) float64) []knot {
	ks := make([]knot, 0, len(points))
	for _, p := range points {
		c, q := cost(p), p.Quality.Est
		if !math.IsNaN(c) && !math.IsNaN(q) && c >= 0 {
			ks = append(ks, knot{c, q})
		}
	}
	slices.SortFunc(ks, func(a, b knot) int { return cmp.Or(cmp.Compare(a.c, b.c), cmp.Compare(b.q, a.q)) })
	out := ks[:0]
	for _, k := range ks {
		if len(out) == 0 || k.q > out[len(out)-1].q {
			out = append(out, k)
		}
	}
	return out
}

// lerpCost interpolates between costs a and b at fraction t: linearly in
// log cost, or linearly when a is 0 (no logarithm).
func lerpCost(a, b, t float64) float64 {
	if a <= 0 {
		return a + t*(b-a)
	}
	return math.Exp(math.Log(a) + t*(math.Log(b)-math.Log(a)))
}

// costFraction is the inverse of lerpCost: where c lies between a and b.
func costFraction(a, b, c float64) float64 {
	if a <= 0 {
		return (c - a) / (b - a)
	}
	return (math.Log(c) - math.Log(a)) / (math.Log(b) - math.Log(a))
}

// AtQuality returns the cost (by cost, e.g. CostSimulations) at which the
// frontier first reaches quality q (an optimal share), interpolated
// between the neighbouring points of its Pareto envelope, linearly in
// quality against log cost (against cost where the cheaper neighbour
// costs 0). Dominated points are ignored, so a non-monotone frontier is
// read through its running best, and a flat stretch through its cheapest
// point. Outside the measured range it never extrapolates: it returns the
// nearest end's cost with the Side (Below: every point is better than q,
// so the cost is at most the cheapest's; Above: no point reaches q).
func AtQuality(points []FrontierPoint, q float64, cost func(FrontierPoint) float64) (float64, Side) {
	ks := pareto(points, cost)
	switch {
	case len(ks) == 0:
		return math.NaN(), Above
	case q < ks[0].q:
		return ks[0].c, Below
	case q > ks[len(ks)-1].q:
		return ks[len(ks)-1].c, Above
	}
	i, _ := slices.BinarySearchFunc(ks, q, func(k knot, q float64) int { return cmp.Compare(k.q, q) })
	if ks[i].q == q {
		return ks[i].c, Inside
	}
	a, b := ks[i-1], ks[i]
	return lerpCost(a.c, b.c, (q-a.q)/(b.q-a.q)), Inside
}

// AtCost returns the quality the frontier reaches at cost c (by cost),
// interpolated on its Pareto envelope linearly in log cost, as AtQuality.
// Outside the measured costs it returns the nearest end's quality with
// the Side: Below (cheaper than any point: unknown, at most the cheapest
// point's quality if quality grows with cost), Above (costlier than any
// point: at least the best quality measured).
func AtCost(points []FrontierPoint, c float64, cost func(FrontierPoint) float64) (float64, Side) {
	ks := pareto(points, cost)
	switch {
	case len(ks) == 0 || math.IsNaN(c):
		return math.NaN(), Above
	case c < ks[0].c:
		return ks[0].q, Below
	case c > ks[len(ks)-1].c:
		return ks[len(ks)-1].q, Above
	}
	i, _ := slices.BinarySearchFunc(ks, c, func(k knot, c float64) int { return cmp.Compare(k.c, c) })
	if ks[i].c == c {
		return ks[i].q, Inside
	}
	a, b := ks[i-1], ks[i]
	return a.q + costFraction(a.c, b.c, c)*(b.q-a.q), Inside
}

// Comparison compares the costs of two frontiers at matched quality.
type Comparison struct {
	// Quality is the grid of qualities compared.
	Quality []float64
	// Ratio is A's cost over B's at each quality: below 1 where A is
	// cheaper. NaN where either frontier does not reach the quality
	// inside its measured range.
	Ratio []float64
	// GeoMean is the geometric mean of the defined ratios (NaN if none).
	GeoMean float64
	// Crossovers are the qualities where the cheaper one changes, if any.
	Crossovers []Crossover
}

// Crossover is a quality where one frontier stops being cheaper than the
// other.
type Crossover struct {
	Quality float64 // where the costs are equal
	Cost    float64 // the cost of either there
	// ACheaperBelow says A is the cheaper below this quality (and B above).
	ACheaperBelow bool
}

// Compare compares frontiers a and b by cost at matched quality on n
// evenly spaced qualities from lo to hi (n ≥ 2): the ratio of A's cost
// to B's at each (AtQuality on both; undefined where either is outside
// its range), their geometric mean, and the crossovers: where the cheaper
// one changes between neighbouring defined qualities of the grid, located
// by bisection on the interpolated frontiers. A crossover between two grid
// qualities closer than the grid's step can be missed: refine n.
func Compare(a, b []FrontierPoint, cost func(FrontierPoint) float64, lo, hi float64, n int) (Comparison, error) {
	if n < 2 || !(lo < hi) {
		return Comparison{}, fmt.Errorf("eval: compare: qualities [%v, %v] in %d steps: want lo < hi and n ≥ 2", lo, hi, n)
	}
	cmpn := Comparison{Quality: make([]float64, n), Ratio: make([]float64, n), GeoMean: math.NaN()}
	sum, m := 0.0, 0
	for k := range n {
		q := lo + (hi-lo)*float64(k)/float64(n-1)
		cmpn.Quality[k], cmpn.Ratio[k] = q, math.NaN()
		ca, sa := AtQuality(a, q, cost)
		cb, sb := AtQuality(b, q, cost)
		if sa.OK() && sb.OK() && ca > 0 && cb > 0 {
			cmpn.Ratio[k] = ca / cb
			sum += math.Log(ca / cb)
			m++
		}
	}
	if m > 0 {
		cmpn.GeoMean = math.Exp(sum / float64(m))
	}
	// Between the last defined quality where one was strictly cheaper and
	// the next where the other is (equal costs in between tell no side),
	// located by bisection on the two frontiers.
	prev := -1
	for k, r := range cmpn.Ratio {
		if math.IsNaN(r) || r == 1 {
			continue
		}
		if prev >= 0 && (cmpn.Ratio[prev] < 1) != (r < 1) {
			aCheaper := cmpn.Ratio[prev] < 1
			q := bisect(func(q float64) bool {
				ca, _ := AtQuality(a, q, cost)
				cb, _ := AtQuality(b, q, cost)
				return (ca < cb) == aCheaper
			}, cmpn.Quality[prev], cmpn.Quality[k])
			c, _ := AtQuality(a, q, cost)
			cmpn.Crossovers = append(cmpn.Crossovers, Crossover{Quality: q, Cost: c, ACheaperBelow: aCheaper})
		}
		prev = k
	}
	return cmpn, nil
}
