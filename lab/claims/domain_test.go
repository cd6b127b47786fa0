package claims

import (
	"math/rand/v2"
	"testing"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

func TestTicTacToeSolution(t *testing.T) {
	sol := tictactoeSolution()
	// 5,478 legal positions, of which 958 are finished games.
	if len(sol.value) != 5478 || len(sol.positions) != 4520 {
		t.Fatalf("%d positions, %d non-terminal; want 5478, 4520", len(sol.value), len(sol.positions))
	}
	if sol.positions[0].best != 0 {
		t.Errorf("the empty board scores %d, want 0 (a draw)", sol.positions[0].best)
	}
	// X in a corner, O on an edge next to it: X wins.
	for _, p := range sol.positions {
		if p.notation == "12" && p.best <= 0 {
			t.Errorf("position 12 scores %d, want a win for X", p.best)
		}
	}
}

func TestDepthLimitedIsSuboptimal(t *testing.T) {
	sol := tictactoeSolution()
	opt := 0
	for _, p := range sol.positions {
		if p.optimal(depthLimited{2}.move(p.state.Clone())) {
			opt++
		}
	}
	share := float64(opt) / float64(len(sol.positions))
	t.Logf("depth-2 demonstrator: %.3f optimal", share)
	if share < 0.5 || share > 0.97 {
		t.Errorf("depth-2 optimal share %.3f: want a clearly suboptimal but sensible demonstrator", share)
	}
}

func TestTabularMemorizes(t *testing.T) {
	sol := tictactoeSolution()
	rng := rand.New(rand.NewPCG(1, 2))
	data := demonstrations(gameByName("tictactoe"), func(s game.State) game.Action { return sol.byKey[s.Key()].bestAction() }, 50, 0.3, rng)
	tab := newTabular(9)
	tab.fit(data)
	for _, e := range data {
		if got := tab.move(e.state, rng); got != e.action {
			t.Fatalf("tabular answers %d on a training position labelled %d", got, e.action)
		}
	}
	if len(keysOf(data)) < 50 {
		t.Errorf("only %d distinct positions in 50 exploring games", len(keysOf(data)))
	}
}

func TestConnect4Positions(t *testing.T) {
	ps := connect4Positions(calibration.End)
	if len(ps) != 300 {
		t.Fatalf("%d end positions", len(ps))
	}
	for _, p := range ps[:20] {
		if !p.optimal(p.bestAction()) {
			t.Errorf("%s: best action not optimal", p.notation)
		}
	}
}

// The tic-tac-toe solution used to score moves agrees, move by move, with
// the generic alpha-beta solver of direct/alphabeta on every position.
func TestTicTacToeSolutionMatchesAlphaBeta(t *testing.T) {
	ab := alphabeta.NewGeneric(tictactoe.Game{})
	for _, p := range tictactoeSolution().positions {
		got := ab.Analyze(p.state.Clone())
		for a := range p.scores {
			want := p.scores[a]
			if want == illegal {
				want = alphabeta.Full
			}
			if got[a] != want {
				t.Fatalf("%s action %d: alphabeta %d, claims %d", p.notation, a, got[a], want)
			}
		}
	}
}
