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

func TestBestMove(t *testing.T) {
	for _, tc := range []struct {
		scores     [connect4.Width]int
		col, score int
	}{
		{[7]int{1, 2, 3, 3, 3, 2, 1}, 3, 3},
		{[7]int{5, 2, 3, -1, 3, 2, 5}, 0, 5},
		{[7]int{-2, -1, -1, Full, -3, -1, -1}, 2, -1},
		{[7]int{Full, Full, Full, Full, Full, Full, -4}, 6, -4},
		{[7]int{Full, Full, Full, Full, Full, Full, Full}, -1, Full},
	} {
		if c, v := BestMove(tc.scores); c != tc.col || v != tc.score {
			t.Errorf("BestMove(%v) = %d, %d; want %d, %d", tc.scores, c, v, tc.col, tc.score)
		}
	}
}

// TestSolverMove checks that the bot's move is strictly optimal on
// calibration positions and that it reports its cost.
func TestSolverMove(t *testing.T) {
	s := New()
	for _, ph := range []calibration.Phase{calibration.End, calibration.Middle} {
		for _, p := range calibration.Of(ph)[:100] {
			a, cost, err := s.Decide(context.Background(), parse(t, p.Moves), argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := BestMove(p.Scores)
			if !p.StrictlyOptimal(int(a)) || int(a) != want {
				t.Errorf("%s: move %d, want %d (scores %v)", p.Moves, a+1, want+1, p.Scores)
			}
			if cost.Nodes < 0 || cost.Elapsed <= 0 {
				t.Errorf("%s: cost %+v", p.Moves, cost)
			}
		}
	}
}

func TestSolverMoveErrors(t *testing.T) {
	s := New()
	if _, _, err := s.Decide(context.Background(), tictactoe.New(), argmax.Budget{}); err == nil {
		t.Error("Move on a tic-tac-toe state: no error")
	}
	if _, _, err := s.Decide(context.Background(), parse(t, "1212121"), argmax.Budget{}); !errors.Is(err, ErrGameOver) {
		t.Errorf("Move on a finished game: %v, want ErrGameOver", err)
	}
}

// TestSolverNeverLoses plays the solver against itself from calibration
// end positions: the side to move must reach the outcome the position's
// score promises.
func TestSolverSelfPlay(t *testing.T) {
	s := New()
	for _, p := range calibration.Of(calibration.End)[:40] {
		st := parse(t, p.Moves)
		start := st.Ply()
		for {
			if over, _ := st.Terminal(); over {
				break
			}
			a, _, err := s.Decide(context.Background(), st, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			st.Play(a)
		}
		_, o := st.Terminal()
		// o is for the side to move at the end; turn it to the side to
		// move at the start.
		if (st.Ply()-start)%2 == 1 {
			o = -o
		}
		if want := game.ScoreOutcome(p.Best()); o != want {
			t.Errorf("%s: self-play from the start ends in a %v, want a %v", p.Moves, o, want)
		}
		if p.Best() > 0 && o == game.Win {
			// the winner's stones at the end: 22 - score
			stones := (st.Ply() + 1) / 2
			if 22-stones != p.Best() {
				t.Errorf("%s: won with %d stones, want %d", p.Moves, stones, 22-p.Best())
			}
		}
	}
}
