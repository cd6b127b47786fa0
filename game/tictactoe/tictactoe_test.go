package tictactoe

import (
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/game"
)

// TestCounts checks move generation and win detection against the known
// totals: 5,478 legal positions and 255,168 possible games, of which
// 131,184 are won by X, 77,904 by O and 46,080 drawn.
func TestCounts(t *testing.T) {
	if got := game.Positions(New(), Cells); got != 5478 {
		t.Errorf("%d legal positions, want 5478", got)
	}
	if got := game.Games(New()); got != 255168 {
		t.Errorf("%d games, want 255168", got)
	}
	var x, o, d int
	var walk func(s *State)
	walk = func(s *State) {
		if over, out := s.Terminal(); over {
			switch {
			case out == game.Draw:
				d++
			case s.Player() == 1: // O to move has lost: X won
				x++
			default:
				o++
			}
			return
		}
		var buf [Cells]game.Action
		for _, a := range s.Legal(buf[:0]) {
			s.Play(a)
			walk(s)
			s.Undo(a)
		}
	}
	walk(New())
	if x != 131184 || o != 77904 || d != 46080 {
		t.Errorf("X wins %d, O wins %d, draws %d; want 131184, 77904, 46080", x, o, d)
	}
}

func TestUndoAndRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for g := 0; g < 2000; g++ {
		s := New()
		var buf [Cells]game.Action
		for {
			l := s.Legal(buf[:0])
			if len(l) == 0 {
				break
			}
			a := l[rng.IntN(len(l))]
			before := *s
			s.Play(a)
			s.Undo(a)
			if s.stones != before.stones || s.moves != before.moves || s.won != before.won {
				t.Fatalf("%s: undo %d did not restore the state", before.String(), a+1)
			}
			s.Play(a)
			p, err := Parse(s.String())
			if err != nil || p.Key() != s.Key() || p.String() != s.String() {
				t.Fatalf("round trip of %q: %v", s, err)
			}
		}
	}
}

func TestTerminalAndEncode(t *testing.T) {
	tests := []struct {
		moves string
		over  bool
		out   game.Outcome
	}{
		{"14253", true, game.Loss},     // X: 1,2,3 top row
		{"1425", false, game.Draw},     // not yet
		{"15293", true, game.Loss},     // X: 1,2,3 with O at 5,9
		{"134689", true, game.Loss},    // O: 3,6,9, the right column
		{"15937", false, game.Draw},    // X 1,9,7 and O 5,3: no line yet
		{"152364798", true, game.Draw}, // a full board without a line
	}
	for _, tt := range tests {
		s, err := Parse(tt.moves)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.moves, err)
		}
		over, out := s.Terminal()
		if over != tt.over || out != tt.out {
			t.Errorf("%q: Terminal() = %v, %v; want %v, %v\n%s", tt.moves, over, out, tt.over, tt.out, s.Board())
		}
	}
	s, _ := Parse("51")
	var obs [2 * Cells]float32
	s.Encode(obs[:])
	// X (to move) holds cell 5, O holds cell 1.
	if obs[4] != 1 || obs[Cells+0] != 1 {
		t.Errorf("Encode: %v", obs)
	}
	if got, want := s.Board(), " O 2 3\n 4 X 6\n 7 8 9\n"; got != want {
		t.Errorf("Board:\n%s\nwant\n%s", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", `character 1 '0': not a move`},
		{"55", `character 2 '5': 5 is not a legal move`},
		{"14253 ", `character 6 ' ': not a move`},
		{"142537", `character 6 '7': the game is already over`},
	}
	for _, tt := range tests {
		if _, err := Parse(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestRandomPlayout checks the known outcome rates of random play from the
// empty board: X wins 58.5%, O 28.8%, draws 12.7%.
func TestRandomPlayout(t *testing.T) {
	s := New()
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 200000
	count := map[game.Outcome]int{}
	for i := 0; i < n; i++ {
		o, plies := s.RandomPlayout(rng)
		count[o]++
		if (o == game.Draw && plies != Cells) || (o == game.Win && (plies%2 != 1 || plies < 5)) || (o == game.Loss && (plies%2 != 0 || plies < 6)) {
			t.Fatalf("%v after %d plies", o, plies)
		}
	}
	check := func(name string, got int, want float64) {
		if f := float64(got) / n; f < want-0.01 || f > want+0.01 {
			t.Errorf("%s rate %.4f, want %.3f", name, f, want)
		}
	}
	check("X win", count[game.Win], 0.585)
	check("O win", count[game.Loss], 0.288)
	check("draw", count[game.Draw], 0.127)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "5", "14253", "55", "123456789", "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			return
		}
		if s.String() != in || s.stones[0]&s.stones[1] != 0 {
			t.Fatalf("Parse(%q) gave %q with stones %v", in, s, s.stones)
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
