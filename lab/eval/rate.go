package eval

import (
	"context"
	"errors"
	"fmt"
	"math"

	"argmax/game"
	"argmax/lab/stats"
)

// Rung is a fixed opponent of a Ladder: a named decider with an anchor
// rating.
type Rung struct {
	Name string
	New  Factory
	Elo  float64 // the opponent's fixed rating (e.g. random = 0)
}

// Ladder is a set of fixed opponents against which deciders are rated.
type Ladder []Rung

// Rating is a decider's rating against a ladder.
type Rating struct {
	// Elo is the maximum-likelihood rating with its profile-likelihood
	// interval; ±Inf estimate when every game was won (lost), the finite
	// end then being a bound (FormatElo).
	Elo stats.Interval
	// Matches holds the match against each rung, in ladder order.
	Matches []MatchResult
}

// Rate plays the candidate against every rung of ladder with cfg (the
// candidate is A, cfg.NameB is each rung's name) and fits its rating
// (FitRating).
func Rate(ctx context.Context, g game.Game, candidate Factory, ladder Ladder, cfg MatchConfig) (Rating, error) {
	if len(ladder) == 0 {
		return Rating{}, errors.New("eval: rate: empty ladder")
	}
	var r Rating
	tallies := make([]Tally, len(ladder))
	for i, rung := range ladder {
		c := cfg
		c.NameB = rung.Name
		m, err := Match(ctx, g, candidate, rung.New, c)
		if err != nil {
			return Rating{}, fmt.Errorf("eval: rate against %s: %w", rung.Name, err)
		}
		r.Matches = append(r.Matches, m)
		tallies[i] = Tally{Elo: rung.Elo, Wins: m.Wins, Draws: m.Draws, Losses: m.Losses}
	}
	var err error
	r.Elo, err = FitRating(tallies)
	return r, err
}

// Tally is a player's results against one opponent of known rating.
type Tally struct {
	Elo                 float64 // the opponent's rating
	Wins, Draws, Losses int
}

// FitRating returns the rating r that maximizes the likelihood of the
// tallies under the logistic (Bradley–Terry / Elo) model, a game against
// an opponent rated R scoring 1 with probability p = 1/(1+10^((R−r)/400))
// and a draw counting as half a win and half a loss:
//
//	ℓ(r) = Σ S·ln p + (N−S)·ln(1−p),  S = wins + draws/2.
//
// The interval is the profile-likelihood one, {r : 2(ℓ(r̂) − ℓ(r)) ≤ χ²₁},
// at Level. When every game was won (lost) r̂ is +Inf (−Inf) and the
// interval's finite end is a lower (upper) bound.
func FitRating(ts []Tally) (stats.Interval, error) {
	var n, s float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range ts {
		if t.Wins < 0 || t.Draws < 0 || t.Losses < 0 || math.IsNaN(t.Elo) || math.IsInf(t.Elo, 0) {
			return stats.Interval{}, fmt.Errorf("eval: fit rating: bad tally %+v", t)
		}
		g := float64(t.Wins + t.Draws + t.Losses)
		if g == 0 {
			continue
		}
		n += g
		s += float64(t.Wins) + float64(t.Draws)/2
		lo, hi = math.Min(lo, t.Elo), math.Max(hi, t.Elo)
	}
	if n == 0 {
		return stats.Interval{}, errors.New("eval: fit rating: no games")
	}
	ll := func(r float64) float64 {
		v := 0.0
		for _, t := range ts {
			w := float64(t.Wins) + float64(t.Draws)/2
			l := float64(t.Losses) + float64(t.Draws)/2
			x := (t.Elo - r) / 400 * math.Ln10 // ln p = −softplus(x), ln(1−p) = −softplus(−x)
			if w > 0 {
				v -= w * softplus(x)
			}
			if l > 0 {
				v -= l * softplus(-x)
			}
		}
		return v
	}
	// dℓ/dr ∝ Σ (S − N·p), decreasing in r: bisect for its zero.
	grad := func(r float64) float64 {
		v := 0.0
		for _, t := range ts {
			g := float64(t.Wins + t.Draws + t.Losses)
			v += float64(t.Wins) + float64(t.Draws)/2 - g*ExpectedScore(r-t.Elo)
		}
		return v
	}
	est, top := 0.0, 0.0
	switch {
	case s == n:
		est = math.Inf(1) // ℓ rises to 0
	case s == 0:
		est = math.Inf(-1)
	default:
		a, b := lo-400, hi+400
		for grad(a) < 0 {
			a -= 400
		}
		for grad(b) > 0 {
			b += 400
		}
		est = bisect(func(r float64) bool { return grad(r) > 0 }, a, b)
		top = ll(est)
	}
	crit := stats.NormalQuantile(0.5 + Level/2)
	crit *= crit
	below := func(r float64) bool { return 2*(top-ll(r)) > crit } // r is outside the interval
	iv := stats.Interval{Est: est, Lo: math.Inf(-1), Hi: math.Inf(1), N: int(n)}
	// A point inside the interval: the estimate, or when it is infinite
	// the first step out from the ladder's end where the data allow it.
	in := est
	switch {
	case math.IsInf(est, 1):
		for in = hi; below(in); in += 400 {
		}
	case math.IsInf(est, -1):
		for in = lo; below(in); in -= 400 {
		}
	}
	if s > 0 { // the likelihood falls to −∞ as r → −∞
		a := in - 400
		for !below(a) {
			a -= 400
		}
		iv.Lo = bisect(below, a, in)
	}
	if s < n { // and as r → +∞
		b := in + 400
		for !below(b) {
			b += 400
		}
		iv.Hi = bisect(func(r float64) bool { return !below(r) }, in, b)
	}
	return iv, nil
}

// softplus returns ln(1+eˣ) without overflow.
func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// bisect returns the point of [a, b] where left turns false, given that
// left(a) holds and left(b) does not.
func bisect(left func(float64) bool, a, b float64) float64 {
	for range 100 {
		m := (a + b) / 2
		if left(m) {
			a = m
		} else {
			b = m
		}
		if b-a < 1e-9 {
			break
		}
	}
	return (a + b) / 2
}
