// Package arbiter is the System-1/System-2 controller of argmax's
// taxonomy: a hybrid that decides, position by position, whether the cheap
// amortized answer (a net's one forward pass) will do or a direct search is
// worth its cost. It answers with the net alone when the net is confident
// — the margin between its two most probable moves, less the disagreement
// of its value head with itself one move later, is at least a threshold —
// and a cheap check (for connect four, the tactical rule: the net's move
// must be one the rule allows) passes; otherwise it searches, with a
// budget that grows as the confidence shrinks. The threshold
// is calibrated on training positions only (Calibrate), for a target mean
// compute per decision. It reports the share of positions that got search
// and the compute spent (Stats).
package arbiter

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"argmax"
	"argmax/game"
)

// Evaluator is a net with a value head (guided.Net's Evaluate): for each
// state its priors and its value in [-1, 1] for the player to move, and
// the counted cost.
type Evaluator interface {
	Evaluate(states []game.State, priors []float32, values []float32) argmax.Cost
}

// Check is a cheap test of the net's move in s: false sends the position
// to search.
type Check func(s game.State, a game.Action) bool

// Config sets up an arbiter.
type Config struct {
	// Game is the game played (the width of the net's distribution).
	Game game.Game
	// Net is the amortized answer: its distribution over moves gives the
	// move and the margin.
	Net game.Policy
	// Values, if set, is the net's value head: the confidence is then
	// the margin less the disagreement |v(s) + v(s·a)| between the value
	// of the position and the (negated) value after the net's move a —
	// a net that is right about its move agrees with itself one move
	// later. It costs one more forward pass per decision.
	Values Evaluator
	// Search is the direct (or hybrid) answer, run with a simulation
	// budget.
	Search game.Decider
	// Margin is the threshold: the net answers alone when its confidence
	// — the probability of its move less that of the runner-up, less the
	// value disagreement with Values — is at least Margin (and Check
	// passes). 0 searches only where Check fails or the disagreement
	// exceeds the margin; a Margin above 1 always searches.
	Margin float64
	// MinSims and MaxSims bound the search budget: a position with
	// confidence m below the threshold gets
	// MinSims + (MaxSims−MinSims)·min(1, 1 − m/Margin) simulations
	// (MaxSims when Check fails).
	MinSims, MaxSims int64
	// Check, if set, is the cheap test of the net's move.
	Check Check
}

func (c Config) check() error {
	var errs []error
	if c.Game == nil || c.Net == nil || c.Search == nil {
		errs = append(errs, errors.New("a game, a net and a search are required"))
	}
	if !(c.Margin >= 0) {
		errs = append(errs, fmt.Errorf("margin %v: want ≥ 0", c.Margin))
	}
	if c.MinSims < 1 || c.MaxSims < c.MinSims {
		errs = append(errs, fmt.Errorf("sims %d..%d: want 1 ≤ min ≤ max", c.MinSims, c.MaxSims))
	}
	return errors.Join(errs...)
}

// Arbiter is the controller, a game.Decider. It is not safe for
// concurrent use (its net and search are not).
type Arbiter struct {
	cfg   Config
	conf  confidence
	mu    sync.Mutex
	stats Stats
}

// Stats counts an arbiter's decisions.
type Stats struct {
	Decisions, Searched int64
	Sims                int64       // simulations spent by the searches
	Cost                argmax.Cost // everything, the net's passes included
}

// SearchShare is the share of decisions that got search.
func (s Stats) SearchShare() float64 {
	if s.Decisions == 0 {
		return 0
	}
	return float64(s.Searched) / float64(s.Decisions)
}

var _ game.Decider = (*Arbiter)(nil)

// New returns an arbiter for cfg; the error names every invalid field.
func New(cfg Config) (*Arbiter, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("arbiter: %w", err)
	}
	return &Arbiter{cfg: cfg}, nil
}

// Budget returns the search budget of a position where the net's
// confidence is m and its check passed (ok), and whether it is searched
// at all.
func (c Config) Budget(m float64, ok bool) (int64, bool) {
	if !ok {
		return c.MaxSims, true
	}
	if m >= c.Margin {
		return 0, false
	}
	f := min(1, 1-m/c.Margin)
	if c.Margin == 0 || math.IsNaN(f) {
		f = 1
	}
	return c.MinSims + int64(math.Round(float64(c.MaxSims-c.MinSims)*f)), true
}

// Margin returns the net's move in a distribution and the margin of its
// probability over the runner-up's.
func Margin(p []float32) (game.Action, float64) {
	best, second := -1, -1
	for a, w := range p {
		switch {
		case best < 0 || w > p[best]:
			best, second = a, best
		case second < 0 || w > p[second]:
			second = a
		}
	}
	if best < 0 {
		return 0, 0
	}
	if second < 0 {
		return game.Action(best), float64(p[best])
	}
	return game.Action(best), float64(p[best] - p[second])
}

// Decide answers with the net alone or searches (the caller's budget is
// not used: the arbiter chooses its own). Its cost adds the search's to
// the net's forward pass.
func (r *Arbiter) Decide(ctx context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	if over, _ := s.Terminal(); over {
		return 0, argmax.Cost{}, fmt.Errorf("arbiter: position %q: the game is over", s.String())
	}
	a, m, ok, cost, err := r.conf.of(ctx, r.cfg, s)
	if err != nil {
		return 0, cost, err
	}
	sims, search := r.cfg.Budget(m, ok)
	if search {
		var c argmax.Cost
		a, c, err = r.cfg.Search.Decide(ctx, s, argmax.Budget{Simulations: sims})
		if err != nil {
			return 0, cost, err
		}
		cost = cost.Add(c)
	}
	r.mu.Lock()
	r.stats.Decisions++
	if search {
		r.stats.Searched++
		r.stats.Sims += sims
	}
	r.stats.Cost = r.stats.Cost.Add(cost)
	r.mu.Unlock()
	return a, cost, nil
}

// Stats returns the decisions so far.
func (r *Arbiter) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// confidence computes the net's move, its confidence and its check in a
// position, with the scratch it needs.
type confidence struct {
	dist, priors []float32
	value        [1]float32
	state        [1]game.State
}

// of returns the net's move in s, its confidence (Config.Margin), whether
// cfg's check passes, and the cost of the forward passes.
func (c *confidence) of(ctx context.Context, cfg Config, s game.State) (game.Action, float64, bool, argmax.Cost, error) {
	A := cfg.Game.NumActions()
	c.dist = slices.Grow(c.dist[:0], A)[:A]
	cost, err := cfg.Net.Distribution(ctx, s, argmax.Budget{}, c.dist)
	if err != nil {
		return 0, 0, false, cost, err
	}
	a, m := Margin(c.dist)
	ok := cfg.Check == nil || cfg.Check(s, a)
	if cfg.Values != nil {
		c.priors = slices.Grow(c.priors[:0], A)[:A]
		v := func(st game.State) float64 {
			c.state[0] = st
			cost = cost.Add(cfg.Values.Evaluate(c.state[:], c.priors, c.value[:]))
			c.state[0] = nil
			return float64(c.value[0])
		}
		root := v(s)
		next := s.Clone()
		next.Play(a)
		after := 0.0 // a finished game: its outcome, for the player to move there
		if over, o := next.Terminal(); over {
			after = float64(o)
		} else {
			after = v(next)
		}
		m -= math.Abs(root + after)
	}
	return a, m, ok, cost, nil
}

// Point is what calibration needs of one training position: the net's
// confidence there (Config.Margin) and whether its check passed.
type Point struct {
	Margin float64
	Check  bool
}

// Calibrate returns the smallest threshold at which the mean search
// budget over the training points, under cfg's MinSims and MaxSims, stays
// within meanSims per decision: the arbiter then searches the positions
// where the net is least sure first, and spends the rest of its budget
// nowhere. (With no budget to spare it returns 0: only failed checks are
// searched.)
func Calibrate(cfg Config, points []Point, meanSims float64) (float64, error) {
	if len(points) == 0 {
		return 0, errors.New("arbiter: calibrate: no points")
	}
	if cfg.MinSims < 1 || cfg.MaxSims < cfg.MinSims {
		return 0, fmt.Errorf("arbiter: calibrate: sims %d..%d: want 1 ≤ min ≤ max", cfg.MinSims, cfg.MaxSims)
	}
	mean := func(tau float64) float64 {
		c := cfg
		c.Margin = tau
		var sum float64
		for _, p := range points {
			if b, s := c.Budget(p.Margin, p.Check); s {
				sum += float64(b)
			}
		}
		return sum / float64(len(points))
	}
	if mean(0) > meanSims {
		return 0, nil
	}
	// The mean budget grows with the threshold: bisect on [0, 1+].
	lo, hi := 0.0, 1.000001
	if mean(hi) <= meanSims {
		return hi, nil
	}
	for range 60 {
		mid := (lo + hi) / 2
		if mean(mid) <= meanSims {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// Points returns the calibration points of states under cfg: the net's
// confidence in each and whether cfg's check passes there. The states are
// training positions: calibrating on the positions scored later would
// tune the threshold to the test.
func Points(ctx context.Context, cfg Config, states []game.State) ([]Point, error) {
	if cfg.Game == nil || cfg.Net == nil {
		return nil, errors.New("arbiter: points: a game and a net are required")
	}
	var c confidence
	out := make([]Point, 0, len(states))
	for _, s := range states {
		if over, _ := s.Terminal(); over {
			continue
		}
		_, m, ok, _, err := c.of(ctx, cfg, s)
		if err != nil {
			return nil, fmt.Errorf("arbiter: points: position %q: %w", s.String(), err)
		}
		out = append(out, Point{Margin: m, Check: ok})
	}
	return out, nil
}
