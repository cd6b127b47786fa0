package eval

import (
	"slices"
	"testing"

	"argmax/game"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

// TestPositionRules checks Best, Optimal, Strict and Critical on synthetic
// scores.
func TestPositionRules(t *testing.T) {
	const X = Illegal
	tests := []struct {
		name            string
		scores          []int
		best            int
		optimal, strict []game.Action
		critical        bool
	}{
		{"win", []int{3, 1, -2, X, 0}, 3, []game.Action{0, 1}, []game.Action{0}, true},
		{"draw", []int{0, -1, 0, X}, 0, []game.Action{0, 2}, []game.Action{0, 2}, true},
		{"lost anyway", []int{-3, -5, X}, -3, []game.Action{0, 1}, []game.Action{0}, false},
		{"all wins", []int{5, 2, 2}, 5, []game.Action{0, 1, 2}, []game.Action{0}, false},
		{"no move", []int{X, X}, X, nil, nil, false},
	}
	for _, tc := range tests {
		p := Position{State: tictactoe.New(), Scores: tc.scores}
		if got := p.Best(); got != tc.best {
			t.Errorf("%s: Best %d, want %d", tc.name, got, tc.best)
		}
		for a := game.Action(-1); int(a) <= len(tc.scores); a++ {
			if got, want := p.Optimal(a), slices.Contains(tc.optimal, a); got != want {
				t.Errorf("%s: Optimal(%d) %v, want %v", tc.name, a, got, want)
			}
			if got, want := p.Strict(a), slices.Contains(tc.strict, a); got != want {
				t.Errorf("%s: Strict(%d) %v, want %v", tc.name, a, got, want)
			}
		}
		if got := p.Critical(); got != tc.critical {
			t.Errorf("%s: Critical %v, want %v", tc.name, got, tc.critical)
		}
	}
}

// TestTicTacToe checks the exhaustive set against known facts of the game.
func TestTicTacToe(t *testing.T) {
	ps := TicTacToe()
	if len(ps) != 4520 {
		t.Fatalf("%d positions, want 4520 non-terminal positions", len(ps))
	}
	keys := map[uint64]bool{}
	critical := 0
	for _, p := range ps {
		if keys[p.State.Key()] {
			t.Fatalf("position %q twice", p)
		}
		keys[p.State.Key()] = true
		if err := p.Check(); err != nil {
			t.Fatal(err)
		}
		if p.Critical() {
			critical++
		}
	}
	// The empty board is a draw whatever X plays.
	if ps[0].String() != "" || slices.ContainsFunc(ps[0].Scores, func(s int) bool { return s != 0 }) {
		t.Errorf("first position %q scores %v, want the empty board, all draws", ps[0], ps[0].Scores)
	}
	// X corner, O edge: X wins (in 7 plies at best: score 10-7 = 3); X wins
	// at once (10-5); O faces a double threat (loses at ply 7); positions
	// are found by key, whatever move order reached them first.
	for _, tc := range []struct {
		moves string
		best  int
	}{{"12", 3}, {"15", 0}, {"1529", 5}, {"12543", -3}, {"51", 0}} {
		st, err := tictactoe.Parse(tc.moves)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ps, func(p Position) bool { return p.State.Key() == st.Key() })
		if i < 0 {
			t.Errorf("position %q missing", tc.moves)
			continue
		}
		if got := ps[i].Best(); got != tc.best {
			t.Errorf("position %q: best score %d, want %d (scores %v)", tc.moves, got, tc.best, ps[i].Scores)
		}
	}
	if critical == 0 || critical == len(ps) {
		t.Errorf("%d critical positions of %d", critical, len(ps))
	}
	// Fresh copies in the same order.
	again := TicTacToe()
	again[0].Scores[0] = 99
	if third := TicTacToe(); third[0].Scores[0] != 0 || third[100].String() != ps[100].String() {
		t.Error("TicTacToe does not return fresh copies in a fixed order")
	}
}

// TestCalibration checks the adapter against the calibration package's
// own rules.
func TestCalibration(t *testing.T) {
	for _, tc := range []struct {
		phases []calibration.Phase
		n      int
	}{
		{nil, 660},
		{[]calibration.Phase{calibration.Beginning}, 60},
		{[]calibration.Phase{calibration.Middle}, 300},
		{[]calibration.Phase{calibration.Middle, calibration.End}, 600},
	} {
		ps := Calibration(tc.phases...)
		if len(ps) != tc.n {
			t.Errorf("phases %v: %d positions, want %d", tc.phases, len(ps), tc.n)
		}
	}
	cps := calibration.All()
	ps, err := FromCalibration(cps)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		for c := range 7 {
			if p.Optimal(game.Action(c)) != cps[i].Optimal(c) || p.Strict(game.Action(c)) != cps[i].StrictlyOptimal(c) {
				t.Fatalf("position %q column %d: rules disagree with calibration", p, c+1)
			}
		}
	}
	bad := []calibration.Position{{Moves: "4444444"}, {Moves: "44", Scores: [7]int{0, 0, 0, calibration.Full, 0, 0, 0}}}
	for _, cp := range bad {
		if _, err := FromCalibration([]calibration.Position{cp}); err == nil {
			t.Errorf("position %q with scores %v: no error", cp.Moves, cp.Scores)
		}
	}
}

// TestSplit checks that the parts are disjoint by key, cover the set,
// have the asked size and depend only on the seed.
func TestSplit(t *testing.T) {
	ps := TicTacToe()
	ps = append(ps, ps[:100]...) // duplicates must land on one side
	for _, share := range []float64{0, 0.2, 0.5, 1} {
		train, held, err := Split(ps, share, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(train)+len(held) != len(ps) {
			t.Errorf("share %v: %d + %d positions, want %d", share, len(train), len(held), len(ps))
		}
		in := map[uint64]bool{}
		for _, p := range held {
			in[p.State.Key()] = true
		}
		if want := int(share*4520 + 0.5); len(in) != want {
			t.Errorf("share %v: %d distinct held-out keys, want %d", share, len(in), want)
		}
		for _, p := range train {
			if in[p.State.Key()] {
				t.Fatalf("share %v: position %q on both sides", share, p)
			}
		}
	}
	a, _, _ := Split(ps, 0.3, 1)
	b, _, _ := Split(ps, 0.3, 1)
	c, _, _ := Split(ps, 0.3, 2)
	same := func(x, y []Position) bool {
		return slices.EqualFunc(x, y, func(p, q Position) bool { return p.State.Key() == q.State.Key() })
	}
	if !same(a, b) || same(a, c) {
		t.Error("Split is not a function of its seed")
	}
	if _, _, err := Split(ps, 1.5, 1); err == nil {
		t.Error("share 1.5: no error")
	}
}
