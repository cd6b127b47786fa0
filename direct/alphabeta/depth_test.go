package alphabeta

import (
	"context"
	"errors"
	"testing"
	"time"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

func mustDepth(t testing.TB, g game.Game, cfg DepthConfig) *DepthLimited {
	t.Helper()
	d, err := NewDepthLimited(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDepthLimitedFullDepth checks that a search to the end of the game is
// the exact solver on every tic-tac-toe position: the same move, and the
// same score in the other scale.
func TestDepthLimitedFullDepth(t *testing.T) {
	ref := NewGeneric(tictactoe.Game{})
	for _, depth := range []int{0, tictactoe.Cells} {
		d := mustDepth(t, tictactoe.Game{}, DepthConfig{Depth: depth})
		seen := map[uint64]bool{}
		var walk func(st game.State)
		walk = func(st game.State) {
			if over, _ := st.Terminal(); over || seen[st.Key()] {
				return
			}
			seen[st.Key()] = true
			want, _, _ := ref.Decide(context.Background(), st, argmax.Budget{})
			r, err := d.Search(context.Background(), st, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			// Generic scores a win at ply q as 10-q, DepthLimited as
			// WinScore-q.
			v := ref.Solve(st)
			switch {
			case v > 0:
				v += WinScore - tictactoe.Cells - 1
			case v < 0:
				v -= WinScore - tictactoe.Cells - 1
			}
			if r.Action != want || r.Score != v || r.Status != Solved || r.Cost.CutShort != 0 {
				t.Fatalf("depth %d, %q: %d (score %d, %v), want %d (score %d, solved)", depth, st.String(), r.Action, r.Score, r.Status, want, v)
			}
			var buf [tictactoe.Cells]game.Action
			for _, a := range st.Legal(buf[:0]) {
				st.Play(a)
				walk(st)
				st.Undo(a)
			}
		}
		walk(tictactoe.New())
	}
}

// TestDepthTwoTactics checks that depth 2 takes immediate wins and blocks
// single immediate threats in connect four.
func TestDepthTwoTactics(t *testing.T) {
	d := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 2})
	wins, blocks := 0, 0
	for _, p := range calibration.All() {
		st := parse(t, p.Moves)
		a, c, err := d.Decide(context.Background(), st, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Nodes <= 0 || c.Steps <= 0 || c.CutShort != 0 {
			t.Errorf("%s: cost %+v", p.Moves, c)
		}
		canWin, threats := false, []int{}
		for col := 0; col < connect4.Width; col++ {
			if !st.CanPlay(col) {
				continue
			}
			canWin = canWin || st.IsWinningMove(col)
		}
		if canWin {
			wins++
			if !st.IsWinningMove(int(a)) {
				t.Errorf("%s: depth 2 plays %d, missing a win at once", p.Moves, a+1)
			}
			continue
		}
		opp := connect4.WinningCells(st.Opponent(), st.Mask()) & st.Possible()
		for col := 0; col < connect4.Width; col++ {
			if opp&connect4.ColumnMask(col) != 0 {
				threats = append(threats, col)
			}
		}
		// A block under another winning cell of the opponent loses as
		// fast as any other move: only a block that holds is required.
		if len(threats) == 1 && !losesAtOnce(st, game.Action(threats[0])) {
			blocks++
			if int(a) != threats[0] {
				t.Errorf("%s: depth 2 plays %d, not the block %d", p.Moves, a+1, threats[0]+1)
			}
		}
	}
	if wins < 20 || blocks < 20 {
		t.Errorf("only %d positions with a win and %d with a single threat", wins, blocks)
	}
}

// TestDepthLimitedBudget checks node budgets (never exceeded; CutShort
// exactly when they stop the search before its depth; deterministic),
// time budgets, and ErrBudget when not even one move is searched.
func TestDepthLimitedBudget(t *testing.T) {
	st := parse(t, calibration.Of(calibration.Middle)[3].Moves)
	full, err := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 6}).Search(context.Background(), st, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{1, 3, 10, 100, 1000, full.Cost.Nodes - 1, full.Cost.Nodes, 10 * full.Cost.Nodes} {
		var first DepthResult
		for i := 0; i < 2; i++ {
			d := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 6})
			r, err := d.Search(context.Background(), st, argmax.Budget{Nodes: n})
			if err != nil {
				t.Fatalf("budget %d: %v", n, err)
			}
			if r.Cost.Nodes > n {
				t.Errorf("budget %d: %d nodes", n, r.Cost.Nodes)
			}
			if cut := n < full.Cost.Nodes; (r.Cost.CutShort == 1) != cut || r.Status.CutShort() != cut {
				t.Errorf("budget %d (%d needed): %v, cut short %d", n, full.Cost.Nodes, r.Status, r.Cost.CutShort)
			}
			if n >= full.Cost.Nodes && (r.Action != full.Action || r.Score != full.Score || r.Depth != 6) {
				t.Errorf("budget %d: %+v, want the unlimited %+v", n, r, full)
			}
			r.Cost.Elapsed = 0
			if i == 0 {
				first = r
			} else if r.Action != first.Action || r.Score != first.Score || r.Depth != first.Depth || r.Cost != first.Cost {
				t.Errorf("budget %d: not deterministic: %+v then %+v", n, first, r)
			}
		}
	}
	d := mustDepth(t, connect4.Game{}, DepthConfig{})
	t0 := time.Now()
	r, err := d.Search(context.Background(), parse(t, hard), argmax.Budget{Time: 20 * time.Millisecond})
	if took := time.Since(t0); err != nil || took > 100*time.Millisecond || r.Status != TimeLimit || r.Depth < 2 {
		t.Errorf("20 ms: %+v, %v in %v; want a time limit at depth ≥ 2 within 100 ms", r, err, took)
	}
	// A position whose first move cannot be searched in one node... does
	// not exist: one node always scores one root move. Only a cancelled
	// context leaves no move.
	if _, err := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 3}).Search(context.Background(), st, argmax.Budget{Nodes: 1}); err != nil {
		t.Errorf("one node: %v", err)
	}
}

// TestDepthLimitedTies checks the tie-breaks: the lowest action by
// default; with RandomTies a seeded, reproducible choice among the best
// that differs between seeds somewhere; Distribution uniform over the tie
// set.
func TestDepthLimitedTies(t *testing.T) {
	ctx := context.Background()
	st := connect4.New() // every move scores 0 at depth 1
	low := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 1})
	r, err := low.Search(ctx, st, argmax.Budget{})
	if err != nil || r.Action != 0 || len(r.Best) != connect4.Width {
		t.Fatalf("%+v, %v: want action 0 among 7 tied", r, err)
	}
	dist := make([]float32, connect4.Width)
	if _, err := low.Distribution(ctx, st, argmax.Budget{}, dist); err != nil {
		t.Fatal(err)
	}
	for a, p := range dist {
		if p != 1/float32(connect4.Width) {
			t.Errorf("distribution[%d] = %v, want 1/7", a, p)
		}
	}
	if _, err := low.Distribution(ctx, st, argmax.Budget{}, dist[:3]); err == nil {
		t.Error("a distribution of 3 entries: no error")
	}
	chosen := map[game.Action]bool{}
	for seed := uint64(0); seed < 20; seed++ {
		d := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 1, RandomTies: true, Seed: seed})
		a1, _, _ := d.Decide(ctx, st, argmax.Budget{})
		a2, _, _ := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 1, RandomTies: true, Seed: seed}).Decide(ctx, st, argmax.Budget{})
		if a1 != a2 {
			t.Errorf("seed %d: %d then %d", seed, a1, a2)
		}
		chosen[a1] = true
	}
	if len(chosen) < 3 {
		t.Errorf("20 seeds chose only %v", chosen)
	}
	// A random tie-break never picks a worse move: with a win at once
	// there is one best move.
	win := parse(t, "121212")
	for seed := uint64(0); seed < 5; seed++ {
		a, _, _ := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 2, RandomTies: true, Seed: seed}).Decide(ctx, win, argmax.Budget{})
		if a != 0 {
			t.Errorf("seed %d: %d, want the win at column 1", seed, a+1)
		}
	}
}

// TestDepthLimitedEval checks that the evaluation of horizon positions
// steers the choice, clamped below wins.
func TestDepthLimitedEval(t *testing.T) {
	centre := func(s game.State) int {
		// The side that just moved owns the centre column's stones: score
		// the centre stones of the side to move minus the opponent's.
		c4 := s.(*connect4.State)
		col := connect4.ColumnMask(3)
		return 10 * (countBits(c4.Current()&col) - countBits(c4.Opponent()&col))
	}
	d := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 1, Eval: centre})
	a, _, err := d.Decide(context.Background(), connect4.New(), argmax.Budget{})
	if err != nil || a != 3 {
		t.Errorf("with a centre evaluation: %d, %v; want column 4", a+1, err)
	}
	huge := mustDepth(t, connect4.Game{}, DepthConfig{Depth: 2, Eval: func(game.State) int { return 1 << 40 }})
	if a, _, _ := huge.Decide(context.Background(), parse(t, "121212"), argmax.Budget{}); a != 0 {
		t.Errorf("a huge evaluation outranks a win: %d", a+1)
	}
	if _, err := NewDepthLimited(connect4.Game{}, DepthConfig{Depth: -1}); err == nil {
		t.Error("depth -1: no error")
	}
	if _, _, err := d.Decide(context.Background(), parse(t, "1212121"), argmax.Budget{}); !errors.Is(err, ErrGameOver) {
		t.Errorf("a finished game: %v, want ErrGameOver", err)
	}
}

func countBits(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
