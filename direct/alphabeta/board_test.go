package alphabeta

import (
	"math/rand/v2"
	"testing"

	"argmax/game/connect4"
)

// TestWinningCells compares the solver's threat detection with the game
// package's on random positions, for both players.
func TestWinningCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		st := randomPosition(rng, rng.IntN(connect4.Cells))
		for _, p := range []uint64{st.Current(), st.Opponent()} {
			if got, want := winningCells(p, st.Mask()), connect4.WinningCells(p, st.Mask()); got != want {
				t.Fatalf("%s: winning cells %#x, want %#x", st, got, want)
			}
		}
		if got, want := possible(st.Mask()), st.Possible(); got != want {
			t.Fatalf("%s: possible %#x, want %#x", st, got, want)
		}
	}
}
