package connect4_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// grid is a plain 2-D board for the reference implementation of the
// tactical rule.
type grid struct {
	cell   [connect4.Width][connect4.Height]int // 0 empty, 1 first player, 2 second
	height [connect4.Width]int
	moves  int
}

func gridOf(t *testing.T, moves string) *grid {
	t.Helper()
	g := &grid{}
	for _, r := range moves {
		c := int(r - '1')
		if c < 0 || c >= connect4.Width || g.height[c] == connect4.Height {
			t.Fatalf("bad moves %q", moves)
		}
		g.cell[c][g.height[c]] = g.moves%2 + 1
		g.height[c]++
		g.moves++
	}
	return g
}

// fours reports whether a stone of player p at (c, r) would be part of four
// in a row.
func (g *grid) fours(p, c, r int) bool {
	for _, d := range [][2]int{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
		n := 1
		for _, sgn := range []int{1, -1} {
			for k := 1; k < 4; k++ {
				x, y := c+sgn*k*d[0], r+sgn*k*d[1]
				if x < 0 || x >= connect4.Width || y < 0 || y >= connect4.Height || g.cell[x][y] != p {
					break
				}
				n++
			}
		}
		if n >= 4 {
			return true
		}
	}
	return false
}

// over reports whether the game has ended: a four on the board or a full
// board.
func (g *grid) over() bool {
	for c := range connect4.Width {
		for r := range g.height[c] {
			if g.fours(g.cell[c][r], c, r) {
				return true
			}
		}
	}
	return g.moves == connect4.Cells
}

// tactical is the rule written from its definition, cell by cell.
func (g *grid) tactical() []game.Action {
	if g.over() {
		return nil
	}
	me, opp := g.moves%2+1, 2-g.moves%2
	var legal, win, block, safe []game.Action
	for c := range connect4.Width {
		r := g.height[c]
		if r == connect4.Height {
			continue
		}
		a := game.Action(c)
		legal = append(legal, a)
		if g.fours(me, c, r) {
			win = append(win, a)
		}
		if g.fours(opp, c, r) {
			block = append(block, a)
		}
		// Play there, then see whether the opponent completes four on
		// the cell above.
		g.cell[c][r] = me
		if r+1 == connect4.Height || !g.fours(opp, c, r+1) {
			safe = append(safe, a)
		}
		g.cell[c][r] = 0
	}
	switch {
	case len(win) > 0:
		return win
	case len(block) > 0:
		return block
	case len(safe) > 0:
		return safe
	}
	return legal
}

// randomGame plays n random moves (fewer if the game ends).
func randomGame(rng *rand.Rand, n int) *connect4.State {
	s := connect4.New()
	var buf [connect4.Width]game.Action
	for ; n > 0; n-- {
		l := s.Legal(buf[:0])
		if len(l) == 0 {
			break
		}
		s.Play(l[rng.IntN(len(l))])
	}
	return s
}

func TestTacticalMovesCases(t *testing.T) {
	all := []game.Action{0, 1, 2, 3, 4, 5, 6}
	for _, tc := range []struct {
		name, moves string
		want        []game.Action
	}{
		{"empty board", "", all},
		{"win at once", "121212", []game.Action{0}},
		{"two ways to win", "334455", []game.Action{1, 5}},
		{"win before block", "1212123", []game.Action{1}},
		{"block", "12121", []game.Action{0}},
		{"not under the opponent's cells", "4556416", []game.Action{0, 1, 3, 4, 5}},
		{"finished by a row", "1526374", nil},
		{"finished by a column", "1212121", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := connect4.Parse(tc.moves)
			if err != nil {
				t.Fatal(err)
			}
			got := s.TacticalMoves(nil)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: TacticalMoves = %v, want %v\n%s", tc.moves, got, tc.want, s.Board())
			}
			if ref := gridOf(t, tc.moves).tactical(); !slices.Equal(got, ref) {
				t.Errorf("%s: TacticalMoves = %v, reference rule %v", tc.moves, got, ref)
			}
		})
	}
}

// TestTacticalMovesAgainstReference compares the bitboard rule with the
// cell-by-cell definition on random positions of every length.
func TestTacticalMovesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	count := map[string]int{}
	var buf [connect4.Width]game.Action
	for i := 0; i < 20000; i++ {
		s := randomGame(rng, rng.IntN(connect4.Cells+1))
		got := s.TacticalMoves(buf[:0])
		want := gridOf(t, s.String()).tactical()
		if !slices.Equal(got, want) {
			t.Fatalf("%s: TacticalMoves = %v, reference %v\n%s", s, got, want, s.Board())
		}
		var mask uint64
		for _, a := range got {
			mask |= s.Possible() & connect4.ColumnMask(int(a))
		}
		if m := s.TacticalMask(); m != mask {
			t.Fatalf("%s: TacticalMask %x, want %x", s, m, mask)
		}
		legal := s.Legal(nil)
		switch {
		case len(legal) == 0:
			count["finished"]++
		case len(got) < len(legal):
			count["restricted"]++
		default:
			count["all legal"]++
		}
	}
	if count["restricted"] < 2000 || count["finished"] < 1000 {
		t.Errorf("random positions exercise too little of the rule: %v", count)
	}
	t.Logf("positions: %v", count)
}

// TestWinningMovesAgainstReference checks WinningMoves against the
// cell-by-cell four test on random positions.
func TestWinningMovesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var buf [connect4.Width]game.Action
	wins := 0
	for i := 0; i < 20000; i++ {
		s := randomGame(rng, rng.IntN(connect4.Cells+1))
		got := s.WinningMoves(buf[:0])
		var want []game.Action
		if g := gridOf(t, s.String()); !g.over() {
			for c := 0; c < connect4.Width; c++ {
				if g.height[c] < connect4.Height && g.fours(g.moves%2+1, c, g.height[c]) {
					want = append(want, game.Action(c))
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: WinningMoves = %v, reference %v\n%s", s, got, want, s.Board())
		}
		if len(got) > 0 {
			wins++
		}
	}
	if wins < 2000 {
		t.Errorf("only %d of 20000 random positions have a winning move", wins)
	}
}

// ruleShare returns the expected share of positions where the rule,
// choosing uniformly among its allowed moves, keeps the value (an optimal
// move), and where it plays a strictly optimal one.
func ruleShare(t *testing.T, ps []calibration.Position) (optimal, strict float64) {
	var buf [connect4.Width]game.Action
	for _, p := range ps {
		s, err := connect4.Parse(p.Moves)
		if err != nil {
			t.Fatal(err)
		}
		moves := s.TacticalMoves(buf[:0])
		var o, st int
		for _, a := range moves {
			if p.Optimal(int(a)) {
				o++
			}
			if p.StrictlyOptimal(int(a)) {
				st++
			}
		}
		optimal += float64(o) / float64(len(moves))
		strict += float64(st) / float64(len(moves))
	}
	return optimal / float64(len(ps)), strict / float64(len(ps))
}

// TestTacticalRuleOnCalibration measures the exact expected share of
// value-keeping moves of the rule (uniform among its allowed moves) on the
// calibration file: about 96.8% of the middle positions and 99.5% of the
// end positions, as DESIGN.md and issue 14 say.
func TestTacticalRuleOnCalibration(t *testing.T) {
	for _, tc := range []struct {
		phase calibration.Phase
		want  float64 // optimal-move share
	}{
		{calibration.Middle, 0.968},
		{calibration.End, 0.995},
	} {
		ps := calibration.Of(tc.phase)
		opt, strict := ruleShare(t, ps)
		t.Logf("%s (%d positions): optimal %.4f, strictly optimal %.4f", tc.phase, len(ps), opt, strict)
		if math.Abs(opt-tc.want) > 0.003 {
			t.Errorf("%s: the rule keeps the value in %.4f of the positions, want about %.3f", tc.phase, opt, tc.want)
		}
	}
	opt, _ := ruleShare(t, calibration.Of(calibration.Beginning))
	t.Logf("beginning: optimal %.4f", opt)
}

// The 2-ply rule: with O to move, X threatens to complete the second row
// at columns 3 and 7 once they hold a stone, so O must not play there.
// After 12121, X threatens column 1 and O must block.
func ExampleState_TacticalMoves() {
	s, _ := connect4.Parse("4556416")
	fmt.Print(s.Board())
	fmt.Println("O may play:", cols(s.TacticalMoves(nil)))
	s, _ = connect4.Parse("12121")
	fmt.Println("after 12121, O may play:", cols(s.TacticalMoves(nil)))
	// Output:
	// | . . . . . . . |
	// | . . . . . . . |
	// | . . . . . . . |
	// | . . . . . . . |
	// | . . . X X X . |
	// | O . . X O O . |
	//   1 2 3 4 5 6 7
	// O may play: [1 2 4 5 6]
	// after 12121, O may play: [1]
}

// cols renders actions as 1-based columns.
func cols(as []game.Action) []int {
	out := make([]int, len(as))
	for i, a := range as {
		out[i] = int(a) + 1
	}
	return out
}
