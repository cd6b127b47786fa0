package eval

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"argmax"
	"argmax/game"
	"argmax/lab/stats"
)

// MatchConfig sets up a match. The zero value plays one game from the
// initial position.
type MatchConfig struct {
	// Games is the number of games (0 means 1). Games go in pairs from the
	// same opening, A moving first at the opening in the first game of the
	// pair and B in the second; an odd last game is unpaired.
	Games int
	// Openings, if not empty, are the positions the pairs start from, in
	// order and cycled; they are cloned, never played on.
	Openings []game.State
	// RandomPlies, when Openings is empty, starts each pair from a position
	// reached by that many uniformly random plies, drawn from Seed and the
	// pair's number (redrawn if the game ends on the way). Zero: every
	// game starts from the initial position.
	RandomPlies int
	// Seed seeds the random openings.
	Seed uint64
	// BudgetA and BudgetB bound each decision of A and of B.
	BudgetA, BudgetB argmax.Budget
	// Workers is the number of games played at once, each worker with its
	// own instance of both deciders (0 means 1).
	Workers int
	// NameA and NameB name the deciders in results and errors (default
	// "A" and "B").
	NameA, NameB string
	// Progress, if set, is called after each finished game with the
	// number of games finished and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// GameRecord is one game of a match.
type GameRecord struct {
	Opening string  // the opening position, in the game's notation
	AFirst  bool    // A moved first at the opening
	Final   string  // the final position, in the game's notation
	Plies   int     // moves played from the opening
	Score   float64 // A's result: 1 win, 0.5 draw, 0 loss
}

// MatchResult is the outcome of a match between A and B, from A's side.
type MatchResult struct {
	Game         string // the game's name
	NameA, NameB string
	N            int // games played
	Wins         int // games won by A
	Draws        int
	Losses       int // games won by B
	// Score is A's score (Wins + Draws/2)/N with its interval: Wilson's
	// score interval over the N games, widened when the games of a pair
	// turn out to be positively correlated (see ScoreInterval).
	Score stats.Interval
	// Elo is A's rating minus B's, from Score by the logistic formula
	// (Elo), with the interval mapped through it. At a score of 1 (0) the
	// estimate and the upper (lower) end are ±Inf and the finite end is a
	// bound: see FormatElo.
	Elo          stats.Interval
	CostA, CostB argmax.Cost  // the summed cost of each side's decisions
	Games        []GameRecord // every game, in order
}

// String renders "A vs B: +W =D -L, score S [lo, hi], Elo E [lo, hi]".
func (r MatchResult) String() string {
	return fmt.Sprintf("%s vs %s: +%d =%d -%d, score %.3f [%.3f, %.3f], Elo %s",
		r.NameA, r.NameB, r.Wins, r.Draws, r.Losses, r.Score.Est, r.Score.Lo, r.Score.Hi, FormatElo(r.Elo))
}

// Elo returns the rating difference that the logistic (Elo) model gives
// for an expected score s: 400·log₁₀(s/(1−s)); +Inf at 1, −Inf at 0.
func Elo(s float64) float64 {
	switch {
	case s >= 1:
		return math.Inf(1)
	case s <= 0:
		return math.Inf(-1)
	}
	return 400 * math.Log10(s/(1-s))
}

// ExpectedScore returns the expected score of a player rated d above its
// opponent: 1/(1+10^(−d/400)), the inverse of Elo.
func ExpectedScore(d float64) float64 { return 1 / (1 + math.Pow(10, -d/400)) }

// FormatElo renders an Elo interval, "+85 [+35, +139]", or, when the
// estimate is infinite, the bound the data support: "> +312 (95% lower
// bound)".
func FormatElo(iv stats.Interval) string {
	switch {
	case math.IsInf(iv.Est, 1):
		return fmt.Sprintf("> %+.0f (%.0f%% lower bound)", iv.Lo, 100*Level)
	case math.IsInf(iv.Est, -1):
		return fmt.Sprintf("< %+.0f (%.0f%% upper bound)", iv.Hi, 100*Level)
	}
	return fmt.Sprintf("%+.0f [%+.0f, %+.0f]", iv.Est, iv.Lo, iv.Hi)
}

// ScoreInterval returns the mean of A's game scores (1, ½, 0) with its
// interval at Level. The interval is Wilson's score interval for the
// score as a proportion of n_eff trials, where n_eff is the number of
// games, or fewer when the games of a pair are positively correlated:
// n_eff = min(N, s(1−s)/v) with v the variance of the mean estimated from
// the pair means. Counting games as independent trials is right for
// win/loss games and conservative with draws (a draw has less variance
// than a coin flip), but the two games of a pair share an opening, which
// can favour one decider from both sides; the correction widens the
// interval then and never narrows it. Wilson's interval stays inside
// [0, 1] and has a width at a score of 0 or 1, so an Elo bound is always
// stated, which a bootstrap over pairs (zero width when every game is
// won) would not give.
func ScoreInterval(scores []float64) stats.Interval {
	n := len(scores)
	if n == 0 {
		return stats.Interval{Est: math.NaN(), Lo: 0, Hi: 1}
	}
	s := stats.Mean(scores)
	neff := float64(n)
	if pairs := n / 2; pairs >= 2 && s > 0 && s < 1 {
		means := make([]float64, pairs)
		for j := range means {
			means[j] = (scores[2*j] + scores[2*j+1]) / 2
		}
		sd := stats.StdDev(means)
		if v := sd * sd / float64(pairs); v > 0 {
			neff = math.Max(1, math.Min(neff, s*(1-s)/v))
		}
	}
	lo, hi := wilson(s, neff, stats.NormalQuantile(0.5+Level/2))
	return stats.Interval{Est: s, Lo: math.Min(lo, s), Hi: math.Max(hi, s), N: n}
}

// wilson returns Wilson's score interval for a proportion p of n trials
// (n need not be whole) at normal quantile z.
func wilson(p, n, z float64) (lo, hi float64) {
	den := 1 + z*z/n
	c := (p + z*z/(2*n)) / den
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / den
	return math.Max(0, c-h), math.Min(1, c+h)
}

// Match plays cfg.Games games of g between the deciders a and b make and
// returns A's results. Each worker makes its own instance of both (closed
// at the end, see Factory); before
// every game it calls their Reset method if they have one (MCTS drops a
// reused tree), so a game depends only on its opening and the deciders'
// configurations, and the result is the same at any worker count. An error
// from a decider, an illegal move or a game longer than g.MaxPlies ends the
// match with an error naming the decider, the game and the position.
func Match(ctx context.Context, g game.Game, a, b Factory, cfg MatchConfig) (MatchResult, error) {
	if cfg.Games < 0 || cfg.RandomPlies < 0 || cfg.Workers < 0 {
		return MatchResult{}, fmt.Errorf("eval: match: games %d, random plies %d, workers %d: want counts ≥ 0", cfg.Games, cfg.RandomPlies, cfg.Workers)
	}
	n := max(cfg.Games, 1)
	names := [2]string{cmp.Or(cfg.NameA, "A"), cmp.Or(cfg.NameB, "B")}
	budgets := [2]argmax.Budget{cfg.BudgetA, cfg.BudgetB}
	for i, bud := range budgets {
		if err := bud.Check(); err != nil {
			return MatchResult{}, fmt.Errorf("eval: match: %s's %w", names[i], err)
		}
	}
	opens, err := openings(g, cfg, (n+1)/2)
	if err != nil {
		return MatchResult{}, fmt.Errorf("eval: match: %w", err)
	}
	games := make([]GameRecord, n)
	costs := make([][2]argmax.Cost, n)
	var mu sync.Mutex
	done := 0
	made := &instances{own: true}
	err = forEach(ctx, n, max(cfg.Workers, 1), func() (func(context.Context, int) error, error) {
		var ds [2]game.Decider
		for i, f := range [2]Factory{a, b} {
			d, err := made.make(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", names[i], err)
			}
			ds[i] = d
		}
		return func(ctx context.Context, i int) error {
			rec, cost, err := playGame(ctx, g, ds, budgets, names, opens[i/2], i%2 == 0, i)
			if err != nil {
				return err
			}
			games[i], costs[i] = rec, cost
			if cfg.Progress != nil {
				mu.Lock()
				done++
				cfg.Progress(done, n)
				mu.Unlock()
			}
			return nil
		}, nil
	})
	if err = made.close(err); err != nil {
		return MatchResult{}, fmt.Errorf("eval: match %s vs %s (%s): %w", names[0], names[1], g.Name(), err)
	}
	r := MatchResult{Game: g.Name(), NameA: names[0], NameB: names[1], N: n, Games: games}
	scores := make([]float64, n)
	for i, rec := range games {
		scores[i] = rec.Score
		switch rec.Score {
		case 1:
			r.Wins++
		case 0:
			r.Losses++
		default:
			r.Draws++
		}
		r.CostA = r.CostA.Add(costs[i][0])
		r.CostB = r.CostB.Add(costs[i][1])
	}
	r.Score = ScoreInterval(scores)
	r.Elo = stats.Interval{Est: Elo(r.Score.Est), Lo: Elo(r.Score.Lo), Hi: Elo(r.Score.Hi), N: n}
	return r, nil
}

// openings returns the opening of each of the pairs.
func openings(g game.Game, cfg MatchConfig, pairs int) ([]game.State, error) {
	out := make([]game.State, pairs)
	for p := range out {
		switch {
		case len(cfg.Openings) > 0:
			st := cfg.Openings[p%len(cfg.Openings)]
			if st == nil {
				return nil, fmt.Errorf("opening %d: no position", p%len(cfg.Openings)+1)
			}
			if over, _ := st.Terminal(); over {
				return nil, fmt.Errorf("opening %d %q: the game is over", p%len(cfg.Openings)+1, st.String())
			}
			out[p] = st
		case cfg.RandomPlies > 0:
			st, err := randomOpening(g, cfg.RandomPlies, rand.New(rand.NewPCG(cfg.Seed, uint64(p))))
			if err != nil {
				return nil, err
			}
			out[p] = st
		default:
			out[p] = g.New()
		}
	}
	return out, nil
}

// randomOpening plays k uniformly random plies from g's initial position,
// starting again when the game ends before or at the k-th ply.
func randomOpening(g game.Game, k int, rng *rand.Rand) (game.State, error) {
	var buf []game.Action
	for try := 0; try < 1000; try++ {
		st := g.New()
		ok := true
		for range k {
			buf = st.Legal(buf[:0])
			if len(buf) == 0 {
				ok = false
				break
			}
			st.Play(buf[rng.IntN(len(buf))])
		}
		if over, _ := st.Terminal(); ok && !over {
			return st, nil
		}
	}
	return nil, fmt.Errorf("no %s opening of %d random plies: the games end before", g.Name(), k)
}

// playGame plays game i (0-based) from open, A moving first there if
// aFirst, and returns its record and each side's cost.
func playGame(ctx context.Context, g game.Game, ds [2]game.Decider, budgets [2]argmax.Budget, names [2]string, open game.State, aFirst bool, i int) (GameRecord, [2]argmax.Cost, error) {
	reset(ds[0])
	reset(ds[1])
	var cost [2]argmax.Cost
	st := open.Clone()
	rec := GameRecord{Opening: open.String(), AFirst: aFirst}
	side := 0 // who moves: 0 A, 1 B
	if !aFirst {
		side = 1
	}
	fail := func(format string, args ...any) (GameRecord, [2]argmax.Cost, error) {
		return GameRecord{}, cost, fmt.Errorf("game %d (opening %q), %s to move in position %q: %s",
			i+1, open.String(), names[side], st.String(), fmt.Sprintf(format, args...))
	}
	for {
		if over, o := st.Terminal(); over {
			rec.Final = st.String()
			switch {
			case o == game.Draw:
				rec.Score = 0.5
			case (o == game.Win) == (side == 0):
				rec.Score = 1
			}
			return rec, cost, nil
		}
		if rec.Plies > g.MaxPlies() {
			return fail("the game is longer than %s's %d plies", g.Name(), g.MaxPlies())
		}
		a, c, err := argmax.Measure(ctx, ds[side], st.Clone(), budgets[side])
		if err != nil {
			return fail("%v", err)
		}
		if a < 0 || int(a) >= g.NumActions() || !st.IsLegal(a) {
			return fail("illegal move %d (action %d)", a+1, a)
		}
		cost[side] = cost[side].Add(c)
		st.Play(a)
		rec.Plies++
		side = 1 - side
	}
}

// Describe says how the configuration plays its games, for reports:
// "100 games in 50 pairs, both colours, from openings of 4 random plies
// (seed 1)".
func (c MatchConfig) Describe() string {
	n := max(c.Games, 1)
	var from string
	switch {
	case len(c.Openings) > 0:
		from = fmt.Sprintf("%d given openings", min(len(c.Openings), (n+1)/2))
	case c.RandomPlies > 0:
		from = fmt.Sprintf("openings of %d random plies (seed %d)", c.RandomPlies, c.Seed)
	default:
		from = "the initial position"
	}
	return fmt.Sprintf("%d games in %d pairs, both colours, from %s", n, (n+1)/2, from)
}
