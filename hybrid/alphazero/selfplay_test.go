package alphazero

import (
	"context"
	"math"
	"testing"

	"argmax/amortized/supervised"
	"argmax/game/tictactoe"
)

// TestRandomOpeningAndValueMix: a share of the games starts with random
// moves that never end the game, and the value targets mix the outcome
// with the search's root value.
func TestRandomOpeningAndValueMix(t *testing.T) {
	g := tictactoe.Game{}
	l, err := supervised.NewLearner(g, supervised.Config{Net: supervised.Net{Blocks: 1, Channels: 8, ValueHidden: 8}, Seed: 1, Steps: 1})
	if err != nil {
		t.Fatal(err)
	}
	net := l.Policy()
	const games = 400
	for _, c := range []struct {
		name       string
		plies      int
		share, mix float64
		// the expected share of games whose first sample is the empty
		// board: no opening, or an opening of 0 moves
		empty float64
	}{
		{"no opening", 0, 0, 0, 1},
		{"every game", 7, 0, 0, 1.0 / 8},
		{"half the games", 7, 0.5, 0.5, 0.5 + 0.5/8},
	} {
		cfg := PlayConfig{Sims: 4, C: 1.5, RandomPlies: c.plies, RandomShare: c.share, ValueMix: c.mix, Parallel: 8, Leaves: 1}
		recs, _, err := SelfPlay(context.Background(), g, net, cfg, games, 3)
		if err != nil {
			t.Fatal(err)
		}
		empty, mixed := 0, 0
		for i, r := range recs {
			if len(r.Samples) == 0 {
				t.Fatalf("%s: game %d was over before its first search (%d plies)", c.name, i, r.Plies)
			}
			if r.Samples[0].State.Ply() == 0 {
				empty++
			}
			for _, s := range r.Samples {
				// the outcome for the player to move, ±1 or 0
				if v := float64(s.Value); v != math.Round(v) {
					mixed++
					if math.Abs(v) > 1 {
						t.Errorf("%s: value target %v outside [-1, 1]", c.name, v)
					}
				}
			}
		}
		if got := float64(empty) / games; math.Abs(got-c.empty) > 4*math.Sqrt(c.empty*(1-c.empty)/games)+1e-9 {
			t.Errorf("%s: %.3f of the games start at the empty board, want about %.3f", c.name, got, c.empty)
		}
		if (mixed > 0) != (c.mix > 0) {
			t.Errorf("%s: %d value targets are not outcomes with value mix %v", c.name, mixed, c.mix)
		}
	}
	for _, bad := range []PlayConfig{{Sims: 4, Parallel: 1, Leaves: 1, RandomShare: 1.5}, {Sims: 4, Parallel: 1, Leaves: 1, ValueMix: -0.1}} {
		if _, _, err := SelfPlay(context.Background(), g, net, bad, 1, 1); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
