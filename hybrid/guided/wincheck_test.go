package guided

import (
	"slices"
	"testing"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// TestWinCheck checks that a position with a winning move is valued 1
// with its prior on the winning moves, and that the others, and states
// that are not WinFinders, keep the net's answer.
func TestWinCheck(t *testing.T) {
	parse := func(g game.Game, moves string) game.State {
		s, err := g.Parse(moves)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	c4, ttt := connect4.Game{}, tictactoe.Game{}
	for _, tc := range []struct {
		name  string
		g     game.Game
		moves string
		wins  []game.Action // nil: the net's answer
	}{
		{"connect four, one win", c4, "112233", []game.Action{3}},
		{"connect four, two wins", c4, "223344", []game.Action{0, 4}},
		{"connect four, vertical", c4, "121212", []game.Action{0}},
		{"connect four, no win", c4, "4455", nil},
		{"connect four, opponent's threat only", c4, "1122334", nil},
		{"tic-tac-toe passes through", ttt, "1425", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			A := tc.g.NumActions()
			weights := make([]float32, A)
			for a := range weights {
				weights[a] = 1 / float32(A)
			}
			net := newCounting(weights, 0.25)
			states := []game.State{parse(tc.g, tc.moves), tc.g.New()}
			priors, values := make([]float32, 2*A), make([]float32, 2)
			c := WinCheck(net).Evaluate(states, priors, values)
			if c.ForwardPasses != 2 {
				t.Errorf("cost %d forward passes, want the net's 2", c.ForwardPasses)
			}
			wantPrior, wantValue := make([]float32, A), float32(0.25)
			if tc.wins == nil {
				net.Evaluate(states[:1], wantPrior, []float32{0})
			} else {
				for _, a := range tc.wins {
					wantPrior[a] = 1 / float32(len(tc.wins))
				}
				wantValue = 1
			}
			if !slices.Equal(priors[:A], wantPrior) || values[0] != wantValue {
				t.Errorf("prior %v value %v, want %v and %v", priors[:A], values[0], wantPrior, wantValue)
			}
			if values[1] != 0.25 {
				t.Errorf("initial position valued %v, want the net's 0.25", values[1])
			}
		})
	}
}
