package game_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

func TestWithStepCost(t *testing.T) {
	const d = 200 * time.Microsecond
	for _, g := range []game.Game{connect4.Game{}, tictactoe.Game{}} {
		plain := g.New()
		s := game.WithStepCost(g.New(), d)
		if _, ok := s.(game.RandomPlayouter); !ok {
			t.Fatalf("%s: the costly state lost RandomPlayout", g.Name())
		}
		start := time.Now()
		for _, a := range []game.Action{0, 1, 2} {
			s.Play(a)
			plain.Play(a)
		}
		if el := time.Since(start); el < 3*d {
			t.Errorf("%s: 3 moves took %v, want ≥ %v", g.Name(), el, 3*d)
		}
		if s.Key() != plain.Key() || s.String() != plain.String() {
			t.Errorf("%s: dynamics differ: %s vs %s", g.Name(), s, plain)
		}
		c := s.Clone()
		start = time.Now()
		c.Play(3)
		if el := time.Since(start); el < d {
			t.Errorf("%s: a clone's move took %v, want ≥ %v", g.Name(), el, d)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		start = time.Now()
		_, plies := s.(game.RandomPlayouter).RandomPlayout(rng)
		if el := time.Since(start); el < time.Duration(plies)*d {
			t.Errorf("%s: a playout of %d plies took %v", g.Name(), plies, el)
		}
		if again := game.WithStepCost(s, d); again.Clone().String() != s.String() {
			t.Errorf("%s: re-wrapping changed the position", g.Name())
		}
	}
	if s := connect4.New(); game.WithStepCost(s, 0) != game.State(s) {
		t.Error("a zero step cost should leave the state as it is")
	}
}
