package connect4

import (
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/game"
)

// naive is a plain 2-D board used as the reference for the bitboard.
type naive struct {
	cell  [Width][Height]int // 0 empty, 1 first player, 2 second
	moves int
	won   bool
}

func (n *naive) play(c int) {
	r := 0
	for n.cell[c][r] != 0 {
		r++
	}
	p := n.moves%2 + 1
	n.cell[c][r] = p
	n.moves++
	for _, d := range [][2]int{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
		count := 1
		for _, sgn := range []int{1, -1} {
			for k := 1; k < 4; k++ {
				x, y := c+sgn*k*d[0], r+sgn*k*d[1]
				if x < 0 || x >= Width || y < 0 || y >= Height || n.cell[x][y] != p {
					break
				}
				count++
			}
		}
		if count >= 4 {
			n.won = true
		}
	}
}

func (n *naive) legal() []game.Action {
	var l []game.Action
	if n.won {
		return l
	}
	for c := 0; c < Width; c++ {
		if n.cell[c][Height-1] == 0 {
			l = append(l, game.Action(c))
		}
	}
	return l
}

// TestAgainstNaive plays random games on the bitboard and on a 2-D board
// and checks legal moves, wins, the encoding and undo at every ply.
func TestAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	wins := map[string]int{}
	for g := 0; g < 3000; g++ {
		s, n := New(), &naive{}
		var played []game.Action
		var buf [Width]game.Action
		for {
			legal := s.Legal(buf[:0])
			want := n.legal()
			if len(legal) != len(want) {
				t.Fatalf("%s: legal %v, want %v", s, legal, want)
			}
			for i := range legal {
				if legal[i] != want[i] {
					t.Fatalf("%s: legal %v, want %v", s, legal, want)
				}
			}
			over, out := s.Terminal()
			if over != (n.won || n.moves == Cells) {
				t.Fatalf("%s: terminal %v, want won=%v moves=%d", s, over, n.won, n.moves)
			}
			if over {
				if n.won != (out == game.Loss) {
					t.Fatalf("%s: outcome %v, naive won=%v", s, out, n.won)
				}
				break
			}
			a := legal[rng.IntN(len(legal))]
			if s.IsWinningMove(int(a)) {
				c := *n
				c.play(int(a))
				if !c.won {
					t.Fatalf("%s: IsWinningMove(%d) but no four", s, a+1)
				}
			}
			before := *s
			s.Play(a)
			n.play(int(a))
			played = append(played, a)
			if rng.IntN(4) == 0 { // undo restores exactly
				s.Undo(a)
				if *s != before {
					t.Fatalf("%s: undo %d did not restore the state", before.String(), a+1)
				}
				s.Play(a)
			}
		}
		if n.won {
			wins[direction(n)]++
		}
		// Undo every move back to the empty board.
		for i := len(played) - 1; i >= 0; i-- {
			s.Undo(played[i])
		}
		if s.current != 0 || s.mask != 0 || s.moves != 0 || s.won {
			t.Fatalf("undoing all moves did not give the empty board: %+v", s)
		}
	}
	for _, d := range []string{"horizontal", "vertical", "diagonal /", "diagonal \\"} {
		if wins[d] == 0 {
			t.Errorf("no win %s seen in random games: %v", d, wins)
		}
	}
}

// direction names the direction of some four-in-a-row on n's board.
func direction(n *naive) string {
	names := map[[2]int]string{{1, 0}: "horizontal", {0, 1}: "vertical", {1, 1}: "diagonal /", {1, -1}: "diagonal \\"}
	for d, name := range names {
		for x := 0; x < Width; x++ {
			for y := 0; y < Height; y++ {
				p := n.cell[x][y]
				if p == 0 {
					continue
				}
				k := 1
				for ; k < 4; k++ {
					xx, yy := x+k*d[0], y+k*d[1]
					if xx < 0 || xx >= Width || yy < 0 || yy >= Height || n.cell[xx][yy] != p {
						break
					}
				}
				if k == 4 {
					return name
				}
			}
		}
	}
	return "none"
}

// TestAligned checks four-in-a-row detection on every line of the board
// in all four directions, and that lines wrapping around the board's edge
// (which the bitboard layout must reject) are not taken for wins.
func TestAligned(t *testing.T) {
	dirs := map[string][2]int{"horizontal": {1, 0}, "vertical": {0, 1}, "diagonal /": {1, 1}, "diagonal \\": {1, -1}}
	count := map[string]int{}
	for name, d := range dirs {
		for c := 0; c < Width; c++ {
			for r := 0; r < Height; r++ {
				var stones uint64
				inside := true
				for k := 0; k < 4; k++ {
					x, y := c+k*d[0], r+k*d[1]
					if x < 0 || x >= Width || y < 0 || y >= Height {
						inside = false
					}
					bit := x*(Height+1) + y
					if bit >= 0 && bit < 64 {
						stones |= 1 << bit
					}
				}
				if inside {
					count[name]++
				}
				if got := Aligned(stones & BoardMask); got != inside {
					t.Errorf("%s from column %d row %d: Aligned = %v, want %v", name, c+1, r, got, inside)
				}
				if inside && Aligned(stones&^(1<<(c*(Height+1)+r))) {
					t.Errorf("%s from column %d row %d: three stones taken for four", name, c+1, r)
				}
			}
		}
	}
	want := map[string]int{"horizontal": 24, "vertical": 21, "diagonal /": 12, "diagonal \\": 12}
	for name, n := range want {
		if count[name] != n {
			t.Errorf("%d %s lines, want %d", count[name], name, n)
		}
	}
}

// TestWinningCells compares WinningCells with trying every empty cell, for
// both players in positions of random games.
func TestWinningCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 20000; i++ {
		s := randomPosition(rng)
		mask, stones := s.Mask(), s.Current()
		if i%2 == 1 {
			stones = s.Opponent()
		}
		var want uint64
		for bit := 0; bit < 64; bit++ {
			cell := uint64(1) << bit
			if cell&BoardMask != 0 && cell&mask == 0 && Aligned(stones|cell) && !Aligned(stones) {
				want |= cell
			}
		}
		if Aligned(stones) {
			continue
		}
		if got := WinningCells(stones, mask); got != want {
			t.Fatalf("WinningCells(%x, %x) = %x, want %x", stones, mask, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4453a", `character 5 'a': not a move`},
		{"0", `character 1 '0': not a move`},
		{"8", `character 1 '8': not a move`},
		{"1111111", `character 7 '1': 1 is not a legal move`},
		{"12121212", `character 8 '2': the game is already over`},
		{"44 53", `character 3 ' ': not a move`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestNotationRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for g := 0; g < 500; g++ {
		s := randomPosition(rng)
		p, err := Parse(s.String())
		if err != nil {
			t.Fatal(err)
		}
		if *p != *s || p.Key() != s.Key() {
			t.Fatalf("round trip of %q gave %q", s, p)
		}
	}
}

// TestPositionsPerPly checks move generation against the known numbers of
// distinct positions after n plies (OEIS A212693) and the perft counts.
func TestPositionsPerPly(t *testing.T) {
	want := []int{1, 7, 49, 238, 1120, 4263, 16422, 54859, 184275}
	layer := map[uint64]*State{New().RawKey(): New()}
	var buf [Width]game.Action
	for ply := 0; ply < len(want); ply++ {
		if len(layer) != want[ply] {
			t.Fatalf("ply %d: %d positions, want %d", ply, len(layer), want[ply])
		}
		next := map[uint64]*State{}
		for _, s := range layer {
			for _, a := range s.Legal(buf[:0]) {
				c := *s
				c.Play(a)
				next[c.RawKey()] = &c
			}
		}
		layer = next
	}
	perft := []int64{1, 7, 49, 343, 2401, 16807, 117649, 823536}
	for d, w := range perft {
		if got := game.Perft(New(), d); got != w {
			t.Errorf("perft(%d) = %d, want %d", d, got, w)
		}
	}
}

func TestKeyIgnoresMoveOrder(t *testing.T) {
	a, _ := Parse("4453")
	b, _ := Parse("5344")
	c, _ := Parse("4435")
	if a.Key() != b.Key() {
		t.Errorf("transposed positions have different keys")
	}
	if a.Key() == c.Key() {
		t.Errorf("different positions share a key")
	}
}

func TestEncodeAndBoard(t *testing.T) {
	s, _ := Parse("4453")
	var obs [2 * Cells]float32
	s.Encode(obs[:])
	// First player (to move, 4 stones played: X at 4,5; O at 4,3) — X to move.
	at := func(plane, row, col int) float32 { return obs[plane*Cells+row*Width+col] }
	if at(0, 5, 3) != 1 || at(0, 5, 4) != 1 || at(1, 4, 3) != 1 || at(1, 5, 2) != 1 {
		t.Errorf("Encode wrong: %v", obs)
	}
	var sum float32
	for _, v := range obs {
		sum += v
	}
	if sum != 4 {
		t.Errorf("Encode has %v stones, want 4", sum)
	}
	want := "| . . . . . . . |\n" +
		"| . . . . . . . |\n" +
		"| . . . . . . . |\n" +
		"| . . . . . . . |\n" +
		"| . . . O . . . |\n" +
		"| . . O X X . . |\n" +
		"  1 2 3 4 5 6 7\n"
	if got := s.Board(); got != want {
		t.Errorf("Board:\n%s\nwant\n%s", got, want)
	}
}

// TestRandomPlayout checks that playouts leave the state unchanged, are
// reproducible from a seed and give the known first-player advantage of
// random play (about 55% wins, 44% losses, under 1% draws), with ply
// counts that fit the outcome: a win of the side to move takes an odd number
// of plies (at least 7 from the empty board), a loss an even one, a draw
// fills the board.
func TestRandomPlayout(t *testing.T) {
	s := New()
	before := *s
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 200000
	var wins, draws int
	for i := 0; i < n; i++ {
		o, plies := s.RandomPlayout(rng)
		switch o {
		case game.Win:
			wins++
			if plies%2 != 1 || plies < 7 {
				t.Fatalf("win after %d plies", plies)
			}
		case game.Draw:
			draws++
			if plies != Cells {
				t.Fatalf("draw after %d plies", plies)
			}
		case game.Loss:
			if plies%2 != 0 || plies < 8 {
				t.Fatalf("loss after %d plies", plies)
			}
		}
	}
	if *s != before {
		t.Fatal("RandomPlayout changed the state")
	}
	if w := float64(wins) / n; w < 0.54 || w > 0.57 {
		t.Errorf("first-player win rate %.4f, want about 0.555", w)
	}
	if d := float64(draws) / n; d > 0.01 {
		t.Errorf("draw rate %.4f, want < 0.01", d)
	}
	// A position where the player to move has already lost.
	lost, _ := Parse("1212121")
	if o, plies := lost.RandomPlayout(rng); o != game.Loss || plies != 0 {
		t.Error("playout of a finished game should be a loss")
	}
	r1, r2 := rand.New(rand.NewPCG(1, 1)), rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 100; i++ {
		o1, p1 := s.RandomPlayout(r1)
		o2, p2 := s.RandomPlayout(r2)
		if o1 != o2 || p1 != p2 {
			t.Fatal("playouts with the same seed differ")
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "4453", "1111111", "12121212", "x", "4444444444", "7654321"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			if s != nil {
				t.Fatal("non-nil state with an error")
			}
			return
		}
		if s.String() != in {
			t.Fatalf("String() = %q, want %q", s.String(), in)
		}
		if bitsSet := s.mask & ^BoardMask; bitsSet != 0 {
			t.Fatalf("stones outside the board: %x", bitsSet)
		}
	})
}

func BenchmarkRandomPlayout(b *testing.B) {
	s := New()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		s.RandomPlayout(rng)
	}
}

func BenchmarkPlayUndo(b *testing.B) {
	s, _ := Parse("4453")
	b.ReportAllocs()
	for b.Loop() {
		for c := game.Action(0); c < Width; c++ {
			s.Play(c)
			s.Undo(c)
		}
	}
}

// randomPosition plays a random number of random moves from the empty board.
func randomPosition(rng *rand.Rand) *State {
	s := New()
	var buf [Width]game.Action
	for n := rng.IntN(Cells); n > 0; n-- {
		l := s.Legal(buf[:0])
		if len(l) == 0 {
			break
		}
		s.Play(l[rng.IntN(len(l))])
	}
	return s
}
