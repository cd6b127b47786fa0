package calibration

import (
	"strings"
	"testing"

	"argmax/game/connect4"
)

func TestAll(t *testing.T) {
	count := map[Phase]int{}
	for _, p := range All() {
		count[p.Phase()]++
		s, _ := connect4.Parse(p.Moves)
		for c := 0; c < connect4.Width; c++ {
			if (p.Scores[c] == Full) != !s.CanPlay(c) {
				t.Fatalf("%s: column %d score %d but CanPlay=%v", p.Moves, c+1, p.Scores[c], s.CanPlay(c))
			}
		}
	}
	if count[Beginning] != 60 || count[Middle] != 300 || count[End] != 300 {
		t.Errorf("phases %v, want 60 beginning, 300 middle, 300 end", count)
	}
}

func TestOptimal(t *testing.T) {
	p := Position{Moves: "4", Scores: [7]int{-2, 0, 0, 3, 1, Full, 3}}
	for c, want := range []bool{false, false, false, true, true, false, true} {
		if p.Optimal(c) != want {
			t.Errorf("Optimal(%d) = %v, want %v", c, !want, want)
		}
	}
	for c, want := range []bool{false, false, false, true, false, false, true} {
		if p.StrictlyOptimal(c) != want {
			t.Errorf("StrictlyOptimal(%d) = %v, want %v", c, !want, want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for in, want := range map[string]string{
		"44 1 2 3":           "line 1: 4 fields",
		"\n48 1 2 3 4 5 6 7": "line 2: connect4 position",
		"44 1 2 3 4 5 6 x":   `score 7 "x"`,
	} {
		if _, err := Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%q) = %v, want %q", in, err, want)
		}
	}
}
