package alphabeta

import (
	"context"
	"errors"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

func ttt(t *testing.T, moves string) *tictactoe.State {
	t.Helper()
	st, err := tictactoe.Parse(moves)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestGenericTicTacToe(t *testing.T) {
	for _, tc := range []struct {
		name, moves string
		score       int
	}{
		{"empty board: a draw", "", 0},
		{"corner then centre: a draw", "15", 0},
		{"corner then adjacent edge: X forks and wins at ply 7", "12", 3},
		{"the same, O to move after X's centre: O loses at ply 7", "125", -3},
		{"X to move completes the top row at ply 5", "1425", 5},
		{"X has won: O to move has lost at ply 5", "14253", -5},
		{"full board, no line: a draw", "512837469", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewGeneric(tictactoe.Game{})
			st := ttt(t, tc.moves)
			if got := s.Solve(st); got != tc.score {
				t.Errorf("Solve(%q) = %d, want %d", tc.moves, got, tc.score)
			}
			if st.String() != tc.moves {
				t.Errorf("Solve changed the position to %q", st.String())
			}
		})
	}
}

// naiveTTT is plain minimax with the Generic score convention.
func naiveTTT(st game.State) int {
	if over, o := st.Terminal(); over {
		return int(o) * (tictactoe.Cells + 1 - st.Ply())
	}
	best := -100
	var buf [tictactoe.Cells]game.Action
	for _, a := range st.Legal(buf[:0]) {
		st.Play(a)
		best = max(best, -naiveTTT(st))
		st.Undo(a)
	}
	return best
}

// TestGenericAllTicTacToe solves every reachable tic-tac-toe position with
// one solver (its table shared by all) and compares with plain minimax.
func TestGenericAllTicTacToe(t *testing.T) {
	s := NewGeneric(tictactoe.Game{})
	seen := map[uint64]bool{}
	var walk func(st game.State)
	walk = func(st game.State) {
		if seen[st.Key()] {
			return
		}
		seen[st.Key()] = true
		if got, want := s.Solve(st), naiveTTT(st); got != want {
			t.Fatalf("%q: Solve %d, minimax %d", st.String(), got, want)
		}
		var buf [tictactoe.Cells]game.Action
		for _, a := range st.Legal(buf[:0]) {
			st.Play(a)
			walk(st)
			st.Undo(a)
		}
	}
	walk(tictactoe.New())
	if len(seen) != 5478 {
		t.Errorf("%d positions, want 5478", len(seen))
	}
}

func TestGenericAnalyzeAndMove(t *testing.T) {
	s := NewGeneric(tictactoe.Game{})
	got := s.Analyze(ttt(t, ""))
	for a, v := range got {
		if v != 0 {
			t.Errorf("empty board, cell %d: %d, want 0 (every opening move draws)", a+1, v)
		}
	}
	got = s.Analyze(ttt(t, "1425")) // X to move: 3 wins at once, others not
	if got[2] != 5 || got[0] != Full || got[3] != Full {
		t.Errorf("analysis of 1425: %v, want cell 3 = 5 and cells 1, 4 full", got)
	}
	a, cost, err := s.Decide(context.Background(), ttt(t, "1425"), argmax.Budget{})
	if err != nil || a != 2 || cost.Nodes <= 0 {
		t.Errorf("Move(1425) = %d, %+v, %v; want cell 3 (action 2), some nodes", a, cost, err)
	}
	a, _, err = s.Decide(context.Background(), ttt(t, "12"), argmax.Budget{})
	if err != nil || (a != 4 && s.Analyze(ttt(t, "12"))[a] != 3) {
		t.Errorf("Move(12) = %d, %v; want a move that wins at ply 7", a, err)
	}
	if _, _, err := s.Decide(context.Background(), ttt(t, "14253"), argmax.Budget{}); !errors.Is(err, ErrGameOver) {
		t.Errorf("Move on a finished game: %v, want ErrGameOver", err)
	}
}

// TestGenericConnectFour cross-checks the two solvers on connect-four end
// positions: a win completed at ply q scores 43-q for Generic and 22 minus
// the winner's stones, 22-(q+1)/2, for Solver.
func TestGenericConnectFour(t *testing.T) {
	g := NewGeneric(connect4.Game{})
	s := New()
	n := 0
	for _, p := range calibration.Of(calibration.End) {
		st := parse(t, p.Moves)
		if st.Ply() < 32 {
			continue
		}
		n++
		v := g.Solve(st)
		want := s.Solve(st, false)
		switch {
		case v == 0:
			if want != 0 {
				t.Errorf("%s: generic draw, solver %d", p.Moves, want)
			}
		case v > 0: // the side to move wins at ply 43-v
			if q := 43 - v; want != 22-(q+1)/2 {
				t.Errorf("%s: generic %d (win at ply %d), solver %d", p.Moves, v, q, want)
			}
		default:
			if q := 43 + v; want != -(22 - (q+1)/2) {
				t.Errorf("%s: generic %d (loss at ply %d), solver %d", p.Moves, v, q, want)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d positions checked", n)
	}
}
