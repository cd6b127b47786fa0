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
	for _, bad := range []PlayConfig{{Sims: 4, Parallel: 1, Leaves: 1, RandomShare: 1.5}, {Sims: 4, Parallel: 1, Leaves: 1, ValueMix: -0.1},
		{Sims: 4, Parallel: 1, Leaves: 1, RandomMoves: 1}} {
		if _, _, err := SelfPlay(context.Background(), g, net, bad, 1, 1); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestRandomMoves: random moves inside the games change the play, and the
// samples up to the last one take the search's root value as their value
// target while the later ones keep the outcome.
func TestRandomMoves(t *testing.T) {
	g := tictactoe.Game{}
	l, err := supervised.NewLearner(g, supervised.Config{Net: supervised.Net{Blocks: 1, Channels: 8, ValueHidden: 8}, Seed: 1, Steps: 1})
	if err != nil {
		t.Fatal(err)
	}
	net := l.Policy()
	const games = 200
	play := func(p float64) []Record {
		cfg := PlayConfig{Sims: 16, C: 1.5, RandomMoves: p, Parallel: 8, Leaves: 1}
		recs, _, err := SelfPlay(context.Background(), g, net, cfg, games, 5)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	// the share of value targets that are not an outcome (±1, 0), and the
	// share of the last samples that are
	shares := func(recs []Record) (rootValued, lastOutcome float64) {
		n := 0
		for _, r := range recs {
			for j, s := range r.Samples {
				n++
				integral := float64(s.Value) == math.Round(float64(s.Value))
				if !integral {
					rootValued++
				}
				if j == len(r.Samples)-1 && integral {
					lastOutcome++
				}
			}
		}
		return rootValued / float64(n), lastOutcome / games
	}
	if rv, _ := shares(play(0)); rv != 0 {
		t.Errorf("without random moves %.3f of the value targets are not outcomes", rv)
	}
	rv, last := shares(play(0.5))
	// a sample is root-valued when a random move follows it at some later
	// ply: most of them at p = 0.5
	if rv < 0.4 {
		t.Errorf("with random moves at p=0.5 only %.3f of the value targets are the search's", rv)
	}
	// the last sample is root-valued only if its own move was random
	if last < 0.3 || last > 0.7 {
		t.Errorf("with random moves at p=0.5, %.3f of the games' last samples keep the outcome, want about 0.5", last)
	}
}
