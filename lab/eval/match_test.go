package eval

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
	"argmax/lab/stats"
)

// TestMatchTruth checks matches whose outcome is known: identical bots are
// even, the exact solver never loses to random and beats it almost always.
func TestMatchTruth(t *testing.T) {
	ttt := tictactoe.Game{}
	c4 := connect4.Game{}
	tests := []struct {
		name     string
		g        game.Game
		a, b     string
		cfg      MatchConfig
		minScore float64
		maxScore float64
		coverElo float64 // an Elo the interval must cover; NaN: none
		minEloLo float64 // the least lower end of the Elo interval
	}{
		{"identical mcts", ttt, "mcts:sims=32,seed=1", "mcts:sims=32,seed=1", MatchConfig{Games: 40, RandomPlies: 2, Seed: 1}, 0.5, 0.5, 0, math.Inf(-1)},
		{"two random seeds", c4, "random:seed=1", "random:seed=2", MatchConfig{Games: 200, RandomPlies: 4, Seed: 3}, 0.4, 0.6, 0, math.Inf(-1)},
		{"solver vs random", ttt, "solver", "random:seed=7", MatchConfig{Games: 60, RandomPlies: 1, Seed: 2}, 0.9, 1, math.NaN(), 250},
		{"random vs solver", ttt, "random:seed=7", "solver", MatchConfig{Games: 60, Seed: 2}, 0, 0.1, math.NaN(), math.Inf(-1)},
	}
	for _, tc := range tests {
		r, err := Match(context.Background(), tc.g, Bot(tc.g, tc.a), Bot(tc.g, tc.b), tc.cfg)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		t.Logf("%s: %v", tc.name, r)
		if r.N != tc.cfg.Games || r.Wins+r.Draws+r.Losses != r.N || len(r.Games) != r.N {
			t.Errorf("%s: %d games, +%d =%d -%d", tc.name, r.N, r.Wins, r.Draws, r.Losses)
		}
		if s := r.Score; s.Est < tc.minScore || s.Est > tc.maxScore || s.Lo < 0 || s.Hi > 1 || !s.Contains(s.Est) {
			t.Errorf("%s: score %v, want in [%v, %v]", tc.name, s, tc.minScore, tc.maxScore)
		}
		if !math.IsNaN(tc.coverElo) && !r.Elo.Contains(tc.coverElo) {
			t.Errorf("%s: Elo %v does not cover %v", tc.name, r.Elo, tc.coverElo)
		}
		if r.Elo.Lo < tc.minEloLo {
			t.Errorf("%s: Elo %v, want a lower end ≥ %v", tc.name, r.Elo, tc.minEloLo)
		}
		if r.CostA.Decisions+r.CostB.Decisions != int64(sumPlies(r.Games)) {
			t.Errorf("%s: %d + %d decisions for %d plies", tc.name, r.CostA.Decisions, r.CostB.Decisions, sumPlies(r.Games))
		}
		aFirst := 0
		for _, g := range r.Games {
			if g.AFirst {
				aFirst++
			}
		}
		if aFirst != r.N/2 {
			t.Errorf("%s: A first in %d of %d games", tc.name, aFirst, r.N)
		}
	}
	// A score of 1 is reported as a bound.
	r, err := Match(context.Background(), ttt, Bot(ttt, "solver"), Bot(ttt, "random:seed=7"), MatchConfig{Games: 20, Seed: 2, RandomPlies: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Losses == 0 && r.Draws == 0 {
		if !math.IsInf(r.Elo.Est, 1) || math.IsInf(r.Elo.Lo, 0) || !strings.Contains(FormatElo(r.Elo), "lower bound") {
			t.Errorf("all won: Elo %v, %q", r.Elo, FormatElo(r.Elo))
		}
	}
}

func sumPlies(gs []GameRecord) (n int) {
	for _, g := range gs {
		n += g.Plies
	}
	return n
}

// TestMatchDeterministic checks that a match is the same at 1 and 2
// workers.
func TestMatchDeterministic(t *testing.T) {
	g := connect4.Game{}
	var first MatchResult
	for _, workers := range []int{1, 2} {
		cfg := MatchConfig{Games: 12, RandomPlies: 4, Seed: 9, Workers: workers, BudgetA: argmax.Budget{Simulations: 64}, BudgetB: argmax.Budget{Simulations: 16}}
		r, err := Match(context.Background(), g, Bot(g, "mcts:seed=1"), Bot(g, "mcts:seed=2,reuse"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if workers == 1 {
			first = r
			continue
		}
		if !slices.Equal(r.Games, first.Games) || r.Score != first.Score {
			t.Errorf("2 workers: %v; 1 worker: %v", r, first)
		}
		if r.CostA.Simulations != first.CostA.Simulations || r.CostB.Simulations != first.CostB.Simulations {
			t.Errorf("simulations differ: %d/%d vs %d/%d", r.CostA.Simulations, r.CostB.Simulations, first.CostA.Simulations, first.CostB.Simulations)
		}
	}
	if first.CostA.Simulations <= first.CostB.Simulations {
		t.Errorf("per-side budgets: A %d simulations, B %d", first.CostA.Simulations, first.CostB.Simulations)
	}
}

// TestMatchOpenings checks given openings: cycled, played twice with
// colours swapped, and a finished one refused.
func TestMatchOpenings(t *testing.T) {
	g := tictactoe.Game{}
	o1, _ := g.Parse("5")
	o2, _ := g.Parse("13")
	r, err := Match(context.Background(), g, Bot(g, "random:seed=1"), Bot(g, "random:seed=2"), MatchConfig{Games: 8, Openings: []game.State{o1, o2}})
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range r.Games {
		if want := []string{"5", "13"}[i/2%2]; rec.Opening != want || rec.AFirst != (i%2 == 0) || !strings.HasPrefix(rec.Final, want) {
			t.Errorf("game %d: opening %q, A first %v, final %q", i+1, rec.Opening, rec.AFirst, rec.Final)
		}
	}
	over, err := g.Parse("14253")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Match(context.Background(), g, Bot(g, "random"), Bot(g, "random"), MatchConfig{Openings: []game.State{over}}); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("finished opening: %v", err)
	}
	if got := (MatchConfig{Games: 100, RandomPlies: 4, Seed: 1}).Describe(); got != "100 games in 50 pairs, both colours, from openings of 4 random plies (seed 1)" {
		t.Errorf("Describe: %q", got)
	}
}

// TestMatchErrors checks that a bot's illegal move, error or bad spec ends
// the match with an error naming the bot, the game and the position.
func TestMatchErrors(t *testing.T) {
	g := tictactoe.Game{}
	corner := func() (game.Decider, error) {
		return game.DeciderFunc(func(context.Context, game.State, argmax.Budget) (game.Action, argmax.Cost, error) {
			return 0, argmax.Cost{}, nil
		}), nil
	}
	tests := []struct {
		name string
		a, b Factory
		want []string
	}{
		{"illegal", Bot(g, "random:seed=1"), corner, []string{"tictactoe", "cornerbot to move", "illegal move 1", "game "}},
		{"bad spec", Bot(g, "random:seed=-1"), corner, []string{"randbot", `bot spec "random:seed=-1"`}},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 2} {
			_, err := Match(context.Background(), g, tc.a, tc.b, MatchConfig{Games: 4, Workers: workers, NameA: "randbot", NameB: "cornerbot"})
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error %v, want it to name %q", tc.name, err, w)
				}
			}
		}
	}
	if _, err := Match(context.Background(), g, corner, corner, MatchConfig{BudgetA: argmax.Budget{Simulations: -1}}); err == nil {
		t.Error("negative budget: no error")
	}
}

// TestEloAndScore checks the logistic formula and the score interval.
func TestEloAndScore(t *testing.T) {
	for _, tc := range []struct{ s, elo float64 }{
		{0.5, 0}, {0.75, 400 * math.Log10(3)}, {0.25, -400 * math.Log10(3)}, {1, math.Inf(1)}, {0, math.Inf(-1)},
	} {
		if got := Elo(tc.s); math.Abs(got-tc.elo) > 1e-9 && got != tc.elo {
			t.Errorf("Elo(%v) = %v, want %v", tc.s, got, tc.elo)
		}
		if !math.IsInf(tc.elo, 0) && math.Abs(ExpectedScore(tc.elo)-tc.s) > 1e-12 {
			t.Errorf("ExpectedScore(%v) = %v, want %v", tc.elo, ExpectedScore(tc.elo), tc.s)
		}
	}
	ones := slices.Repeat([]float64{1}, 20)
	if iv := ScoreInterval(ones); iv.Est != 1 || iv.Hi != 1 || iv.Lo != stats.Wilson(20, 20, Level).Lo {
		t.Errorf("all won: %v", iv)
	}
	// Independent-looking games: the plain Wilson interval.
	alt := []float64{1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0}
	if iv, w := ScoreInterval(alt), stats.Wilson(8, 16, Level); math.Abs(iv.Lo-w.Lo) > 1e-12 || math.Abs(iv.Hi-w.Hi) > 1e-12 {
		t.Errorf("uncorrelated pairs: %v, want Wilson %v", iv, w)
	}
	// Pairs won or lost from both sides: wider than Wilson.
	corr := []float64{1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0}
	if iv, w := ScoreInterval(corr), stats.Wilson(8, 16, Level); iv.Width() <= w.Width() || iv.Lo < 0 || iv.Hi > 1 {
		t.Errorf("correlated pairs: %v, want wider than Wilson %v", iv, w)
	}
	if got := FormatElo(stats.Interval{Est: 85.2, Lo: 35, Hi: 139}); got != "+85 [+35, +139]" {
		t.Errorf("FormatElo: %q", got)
	}
	if got := FormatElo(stats.Interval{Est: math.Inf(-1), Lo: math.Inf(-1), Hi: -312}); got != "< -312 (95% upper bound)" {
		t.Errorf("FormatElo: %q", got)
	}
}
