package power

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/direct/valueiter"
)

// Defaults of MEGConfig's zero fields.
const (
	DefaultMinBeta   = 1e-3
	DefaultMaxBeta   = 1e4
	DefaultGrid      = 25
	DefaultResamples = 500
	DefaultLevel     = 0.95
)

// MEGConfig configures the fit of the soft-optimal policies π_β to an
// agent's behaviour.
type MEGConfig struct {
	// Solve configures the soft value iterations of MEG, MEGPolicy and
	// MaxMEG, used as given: Gamma is the discount (set it: 0 is
	// myopic), Tolerance and MaxSweeps bound the sweeps. With Horizon = 0
	// the soft policies are stationary (discounted, infinite horizon:
	// Gamma < 1); with Horizon = H > 0 they are time-dependent, the policy
	// at step k of an episode being the soft-optimal one with H − k steps
	// to go (Ziebart's finite-horizon backward pass, the paper's soft Q of
	// Def. 5.2), and episodes may have at most H steps. MEGChoices does not
	// read it.
	Solve valueiter.Config
	// MinBeta and MaxBeta bound the search over the rationality β > 0
	// (β = 0, the uniform policy, is always a candidate). They are
	// relative to the utility's scale — the largest |reward| of MEG, the
	// largest spread of one decision's utilities for MEGChoices — so that
	// the fit, like MEG itself, does not depend on the utility's units;
	// the fitted Directedness.Beta is in the utility's own units. 0 means
	// DefaultMinBeta and DefaultMaxBeta.
	MinBeta, MaxBeta float64
	// Grid is the number of log-spaced values of β from MinBeta to MaxBeta
	// tried before a golden-section search refines the best; 0 means
	// DefaultGrid.
	Grid int
	// Resamples is the number of bootstrap resamples of the episodes (the
	// decisions, for MEGChoices) behind the interval; 0 means
	// DefaultResamples.
	Resamples int
	// Level is the interval's confidence level; 0 means DefaultLevel.
	Level float64
	// Seed seeds the bootstrap (math/rand/v2 PCG): the same seed and data
	// give the same interval, bit for bit.
	Seed uint64
}

func (c MEGConfig) check(fn string) (MEGConfig, error) {
	if c.MinBeta == 0 {
		c.MinBeta = DefaultMinBeta
	}
	if c.MaxBeta == 0 {
		c.MaxBeta = DefaultMaxBeta
	}
	if c.Grid == 0 {
		c.Grid = DefaultGrid
	}
	if c.Resamples == 0 {
		c.Resamples = DefaultResamples
	}
	if c.Level == 0 {
		c.Level = DefaultLevel
	}
	switch {
	case !(c.MinBeta > 0) || !(c.MaxBeta > c.MinBeta) || math.IsInf(c.MaxBeta, 1):
		return c, fmt.Errorf("power: %s: β range [%v, %v]: want finite 0 < MinBeta < MaxBeta", fn, c.MinBeta, c.MaxBeta)
	case c.Grid < 2:
		return c, fmt.Errorf("power: %s: Grid=%d: want at least 2 values of β", fn, c.Grid)
	case c.Resamples < 1:
		return c, fmt.Errorf("power: %s: Resamples=%d: want at least 1 (0 for %d)", fn, c.Resamples, DefaultResamples)
	case !(c.Level > 0 && c.Level < 1):
		return c, fmt.Errorf("power: %s: Level=%v: want a confidence level in (0, 1)", fn, c.Level)
	}
	return c, nil
}

// Directedness is a maximum entropy goal-directedness estimate: how much
// better the best-fitting soft-optimal policy π_β of a utility predicts an
// agent's actions than the uniform policy does.
type Directedness struct {
	// Bits is MEG per decision: the mean over the agent's decisions of
	// log2 π_β(a|s) − log2(1/|A|) at the best β, in [0, log2|A|]
	// (0: the utility explains the actions no better than chance;
	// log2|A|: it predicts every one with certainty). Lo and Hi are its
	// bootstrap percentile interval at the configured level (equal to Bits
	// for MEGPolicy, which is exact).
	Bits, Lo, Hi float64
	// Fraction is Bits over its bound: Σ gains / Σ log2|A_d| over the
	// decisions, in [0, 1] — MEG normalized by the paper's upper bound
	// 0 ≤ MEG_U(π) ≤ Σ_D log|dom(D)|.
	Fraction float64
	// Total is the mean over episodes of the summed gain of an episode's
	// decisions: the paper's MEG_U(π) itself (Def. 3.2), in bits (its
	// natural log divided by ln 2). For MEGChoices it equals Bits.
	Total float64
	// Beta is the fitted rationality β, in the utility's units (the
	// soft policies' temperature is 1/β); 0 is the uniform policy.
	Beta float64
	// AtBound reports that the fit ran to MaxBeta: the agent is as close
	// to optimal for the utility as the β range can tell, and Bits may
	// be a little under what a wider range would give.
	AtBound bool
	// Decisions and Episodes count the data (expected decisions per
	// episode, and 1 episode, for MEGPolicy); Solves counts the values of
	// β the fit evaluated.
	Decisions float64
	Episodes  int
	Solves    int
}

// String formats the estimate as "1.23 bits/decision [1.10, 1.31], β = 4.5".
func (d *Directedness) String() string {
	return fmt.Sprintf("%.3g bits/decision [%.3g, %.3g], β = %.3g", d.Bits, d.Lo, d.Hi, d.Beta)
}

// minGain is the least gain in bits per decision that counts as one: a
// utility that explains nothing keeps β = 0 rather than a β whose gain is
// rounding error.
const minGain = 1e-12

// problem is what the β search needs: per unit (an episode, or one
// decision) the number of decisions and their Σ log2|A_d|, and the
// per-unit gains Σ (log2 π_b(a|s) + log2|A_d|) at a normalized β = b > 0.
type problem struct {
	decisions, uniform []float64
	gains              func(b float64) ([]float64, error)
	scale              float64 // the utility's scale: Beta = b/scale
	episodes           int     // for Directedness.Episodes
}

// fit maximizes the per-decision gain over b ∈ {0} ∪ [MinBeta, MaxBeta]
// (log-spaced grid, then golden section on log b around the best grid
// point), then bootstraps the units: each resample takes the maximum over
// every β evaluated (grid and golden points), weighting each unit by the
// times it was drawn — the soft policies do not depend on the data, so a
// resample costs no solve, at the price of maximizing over that finite set.
func (c MEGConfig) fit(p problem) (*Directedness, error) {
	n := len(p.decisions)
	var betas []float64
	var gains [][]float64
	var totalDec, totalUni float64
	for u := range n {
		totalDec += p.decisions[u]
		totalUni += p.uniform[u]
	}
	eval := func(b float64) (float64, error) {
		var g []float64
		if b == 0 || p.scale == 0 {
			g = make([]float64, n)
		} else {
			var err error
			if g, err = p.gains(b); err != nil {
				return 0, err
			}
		}
		betas = append(betas, b)
		gains = append(gains, g)
		var s float64
		for _, x := range g {
			s += x
		}
		return s / totalDec, nil
	}
	d := &Directedness{Decisions: totalDec, Episodes: p.episodes}
	if p.scale == 0 { // a constant utility: every π_β is uniform
		return d, nil
	}
	grid := make([]float64, c.Grid+1)
	vals := make([]float64, c.Grid+1)
	ratio := math.Log(c.MaxBeta / c.MinBeta)
	best := 0
	for i := range grid {
		if i > 0 {
			grid[i] = c.MinBeta * math.Exp(ratio*float64(i-1)/float64(c.Grid-1))
		}
		if i == c.Grid {
			grid[i] = c.MaxBeta
		}
		v, err := eval(grid[i])
		if err != nil {
			return nil, err
		}
		vals[i] = v
		if v > vals[best]+minGain {
			best = i
		}
	}
	bBest, vBest := grid[best], vals[best]
	// Golden section: on b in [0, grid[1]] when β = 0 is best, else on
	// log b between the grid neighbours of the best.
	var lo, hi float64
	var toB func(u float64) float64
	if best == 0 {
		lo, hi, toB = 0, grid[1], func(u float64) float64 { return u }
	} else {
		step := ratio / float64(c.Grid-1)
		lo = max(math.Log(grid[best])-step, math.Log(c.MinBeta))
		hi = min(math.Log(grid[best])+step, math.Log(c.MaxBeta))
		toB = math.Exp
	}
	const invPhi = 0.6180339887498949
	tol := 1e-3 * (hi - lo)
	x1, x2 := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
	f1, err := eval(toB(x1))
	if err != nil {
		return nil, err
	}
	f2, err := eval(toB(x2))
	if err != nil {
		return nil, err
	}
	for hi-lo > tol {
		if f1 >= f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - invPhi*(hi-lo)
			if f1, err = eval(toB(x1)); err != nil {
				return nil, err
			}
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + invPhi*(hi-lo)
			if f2, err = eval(toB(x2)); err != nil {
				return nil, err
			}
		}
	}
	for i, b := range betas { // the best of everything evaluated
		var s float64
		for _, x := range gains[i] {
			s += x
		}
		if v := s / totalDec; v > vBest+minGain {
			bBest, vBest = b, v
		}
	}
	d.Bits = vBest
	d.Fraction = vBest * totalDec / totalUni
	if totalUni == 0 {
		d.Fraction = 0
	}
	d.Total = vBest * totalDec / float64(n)
	d.Beta = bBest / p.scale
	d.AtBound = bBest > 0.999*c.MaxBeta
	d.Solves = len(betas) - 1 // β = 0 needs no solve
	d.Lo, d.Hi = d.Bits, d.Bits
	if n < 2 {
		return d, nil
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x6d6567))
	w := make([]float64, n)
	stats := make([]float64, c.Resamples)
	for r := range stats {
		clear(w)
		var dec float64
		for range n {
			u := rng.IntN(n)
			w[u]++
			dec += p.decisions[u]
		}
		if dec == 0 {
			continue
		}
		top := 0.0 // β = 0 is among the candidates
		for _, g := range gains {
			var s float64
			for u, x := range g {
				s += w[u] * x
			}
			if v := s / dec; v > top+minGain {
				top = v
			}
		}
		stats[r] = top
	}
	d.Lo, d.Hi = percentiles(stats, c.Level)
	return d, nil
}
