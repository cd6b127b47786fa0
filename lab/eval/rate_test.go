package eval

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"argmax/game/tictactoe"
)

// simulate plays n games per rung for a player rated r under the
// logistic model, with a share of draws taken evenly from wins and losses.
func simulate(rng *rand.Rand, r float64, rungs []float64, n int, draws float64) []Tally {
	ts := make([]Tally, len(rungs))
	for i, R := range rungs {
		p := ExpectedScore(r - R)
		d := draws * 2 * math.Min(p, 1-p) // keeps P(win) = p − d/2 ≥ 0
		ts[i].Elo = R
		for range n {
			switch u := rng.Float64(); {
			case u < p-d/2:
				ts[i].Wins++
			case u < p+d/2:
				ts[i].Draws++
			default:
				ts[i].Losses++
			}
		}
	}
	return ts
}

// TestFitRatingRecovers checks that the fit recovers planted ratings and
// that its interval covers them about 95% of the time.
func TestFitRatingRecovers(t *testing.T) {
	tests := []struct {
		name   string
		r      float64
		rungs  []float64
		n      int
		draws  float64
		maxErr float64
	}{
		{"inside the ladder", 500, []float64{0, 300, 600, 900}, 200, 0, 60},
		{"with draws", -150, []float64{-400, 0, 200}, 300, 0.5, 60},
		{"above the ladder", 1100, []float64{0, 400, 800}, 400, 0.2, 150},
		{"one rung", 100, []float64{0}, 1000, 0, 40},
	}
	for _, tc := range tests {
		rng := rand.New(rand.NewPCG(1, 2))
		covered, trials := 0, 200
		for trial := range trials {
			iv, err := FitRating(simulate(rng, tc.r, tc.rungs, tc.n, tc.draws))
			if err != nil {
				t.Fatal(err)
			}
			if trial == 0 && math.Abs(iv.Est-tc.r) > tc.maxErr {
				t.Errorf("%s: rating %v, planted %v", tc.name, iv, tc.r)
			}
			if iv.Contains(tc.r) {
				covered++
			}
		}
		t.Logf("%s: coverage %d/%d", tc.name, covered, trials)
		// 95% nominal; 200 trials give a binomial sd of 1.5 points.
		if share := float64(covered) / float64(trials); share < 0.9 || share > 0.99 {
			t.Errorf("%s: the interval covers the planted rating in %.1f%% of trials, want ≈ 95%%", tc.name, 100*share)
		}
	}
	// One opponent: the estimate is the opponent's rating plus Elo(score).
	iv, err := FitRating([]Tally{{Elo: 200, Wins: 60, Draws: 20, Losses: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if want := 200 + Elo(0.7); math.Abs(iv.Est-want) > 1e-6 {
		t.Errorf("one tally: %v, want %v", iv.Est, want)
	}
}

// TestFitRatingBounds checks the degenerate cases.
func TestFitRatingBounds(t *testing.T) {
	won, err := FitRating([]Tally{{Elo: 0, Wins: 50}, {Elo: 200, Wins: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(won.Est, 1) || !math.IsInf(won.Hi, 1) || won.Lo < 200 || math.IsInf(won.Lo, 0) {
		t.Errorf("all won: %v, want +Inf with a finite lower bound above the top rung", won)
	}
	lost, err := FitRating([]Tally{{Elo: 0, Losses: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(lost.Est, -1) || lost.Hi > 0 || math.IsInf(lost.Hi, 0) {
		t.Errorf("all lost: %v", lost)
	}
	for _, ts := range [][]Tally{nil, {{Elo: 0}}, {{Elo: math.NaN(), Wins: 1}}, {{Elo: 0, Wins: -1}}} {
		if _, err := FitRating(ts); err == nil {
			t.Errorf("tallies %v: no error", ts)
		}
	}
}

// TestRate rates deciders against a small tic-tac-toe ladder.
func TestRate(t *testing.T) {
	g := tictactoe.Game{}
	ladder := Ladder{
		{Name: "random", New: Bot(g, "random:seed=11"), Elo: 0},
		{Name: "mcts8", New: Bot(g, "mcts:sims=8,seed=1"), Elo: 300},
	}
	cfg := MatchConfig{Games: 40, RandomPlies: 2, Seed: 4, Workers: 2}
	rnd, err := Rate(context.Background(), g, Bot(g, "random:seed=5"), ladder[:1], cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !rnd.Elo.Contains(0) || len(rnd.Matches) != 1 || rnd.Matches[0].NameB != "random" {
		t.Errorf("random against random: %v", rnd.Elo)
	}
	strong, err := Rate(context.Background(), g, Bot(g, "solver"), ladder, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if strong.Elo.Lo < 300 {
		t.Errorf("solver: rating %v, want a lower end above the top rung", strong.Elo)
	}
	t.Logf("random %v, solver %s", rnd.Elo, FormatElo(strong.Elo))
	if _, err := Rate(context.Background(), g, Bot(g, "solver"), nil, cfg); err == nil {
		t.Error("empty ladder: no error")
	}
}
