package alphabeta

import (
	"math/rand/v2"
	"sync"
	"testing"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

func parse(t testing.TB, moves string) *connect4.State {
	t.Helper()
	st, err := connect4.Parse(moves)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func sgn(x int) int {
	if x == Full {
		return Full
	}
	return int(game.ScoreOutcome(x))
}

// checkAnalyze analyzes positions with workers solvers in parallel and
// reports every difference from the calibration scores; if full, it also
// checks Solve and the weak Analyze and Solve.
func checkAnalyze(t *testing.T, ps []calibration.Position, full bool, workers int) {
	var wg sync.WaitGroup
	errs := make(chan string, len(ps))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := New()
			for i := w; i < len(ps); i += workers {
				p := ps[i]
				st, _ := connect4.Parse(p.Moves)
				got := s.Analyze(st, false)
				if got != p.Scores {
					errs <- p.Moves + ": analyze " + fmtScores(got) + ", want " + fmtScores(p.Scores)
					continue
				}
				if v, want := s.Solve(st, false), p.Best(); full && v != want {
					errs <- p.Moves + ": solve " + itoa(v) + ", want " + itoa(want)
				}
				if !full {
					continue
				}
				wk := s.Analyze(st, true)
				for c := range wk {
					if wk[c] != sgn(p.Scores[c]) {
						errs <- p.Moves + ": weak analyze " + fmtScores(wk) + ", want the signs of " + fmtScores(p.Scores)
						break
					}
				}
				if v, want := s.Solve(st, true), int(game.ScoreOutcome(p.Best())); v != want {
					errs <- p.Moves + ": weak solve " + itoa(v) + ", want " + itoa(want)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n++; n <= 10 {
			t.Error(e)
		}
	}
	if n > 10 {
		t.Errorf("... %d differences in all", n)
	}
}

func itoa(v int) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + itoa(v%10)
}

func fmtScores(s [connect4.Width]int) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += itoa(v)
	}
	return out
}

// TestCalibration checks the exact score of every move, the score of the
// position and the weak (win/draw/loss) answers against the calibration
// file, phase by phase. The 60 beginning positions take most of the time
// (about 10 s on two idle cores) and are skipped with -short.
func TestCalibration(t *testing.T) {
	for _, tc := range []struct {
		phase calibration.Phase
		n     int
		full  bool
	}{
		{calibration.End, 300, true},
		{calibration.Middle, 300, true},
		{calibration.Beginning, 60, false},
	} {
		t.Run(string(tc.phase), func(t *testing.T) {
			if tc.phase == calibration.Beginning && testing.Short() {
				t.Skip("the beginning positions take seconds; run without -short")
			}
			ps := calibration.Of(tc.phase)
			if len(ps) != tc.n {
				t.Fatalf("%d positions, want %d", len(ps), tc.n)
			}
			checkAnalyze(t, ps, tc.full, 2)
		})
	}
}

// TestWeakBeginning checks the weak answers on some beginning positions,
// whose weak solve is much cheaper than the strong one.
func TestWeakBeginning(t *testing.T) {
	s := New()
	for _, p := range calibration.Of(calibration.Beginning)[:12] {
		st := parse(t, p.Moves)
		got := s.Analyze(st, true)
		for c := range got {
			if got[c] != sgn(p.Scores[c]) {
				t.Errorf("%s: weak analyze %v, want the signs of %v", p.Moves, got, p.Scores)
				break
			}
		}
	}
}

// naive returns the exact score of st by plain minimax over the game.State
// interface: an independent reference for positions with few empty cells.
func naive(st *connect4.State) int {
	best := Full
	for c := 0; c < connect4.Width; c++ {
		a := game.Action(c)
		if !st.IsLegal(a) {
			continue
		}
		st.Play(a)
		var v int
		switch over, _ := st.Terminal(); {
		case over && st.Ply() == connect4.Cells && !connect4.Aligned(st.Opponent()):
			v = 0
		case over:
			v = 22 - (st.Ply()+1)/2 // the mover's stones at the end
		default:
			v = -naive(st)
		}
		st.Undo(a)
		best = max(best, v)
	}
	return best
}

// randomPosition plays random moves from the empty board up to plies plies,
// starting again whenever the game ends first.
func randomPosition(rng *rand.Rand, plies int) *connect4.State {
	for {
		st := connect4.New()
		for st.Ply() < plies {
			var buf [connect4.Width]game.Action
			legal := st.Legal(buf[:0])
			if len(legal) == 0 {
				break
			}
			st.Play(legal[rng.IntN(len(legal))])
			if over, _ := st.Terminal(); over {
				break
			}
		}
		if over, _ := st.Terminal(); !over && st.Ply() == plies {
			return st
		}
	}
}

// TestAgainstNaive compares Analyze with plain minimax on random positions
// with 8 to 11 empty cells.
func TestAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := New()
	for i := 0; i < 60; i++ {
		st := randomPosition(rng, 31+i%4)
		got := s.Analyze(st, false)
		for c := 0; c < connect4.Width; c++ {
			want := Full
			if st.IsLegal(game.Action(c)) {
				st.Play(game.Action(c))
				switch over, _ := st.Terminal(); {
				case over && connect4.Aligned(st.Opponent()):
					want = 22 - (st.Ply()+1)/2
				case over:
					want = 0
				default:
					want = -naive(st)
				}
				st.Undo(game.Action(c))
			}
			if got[c] != want {
				t.Fatalf("%s column %d: %d, want %d (analysis %v)", st, c+1, got[c], want, got)
			}
		}
		if v, want := s.Solve(st, false), naive(st); v != want {
			t.Fatalf("%s: solve %d, want %d", st, v, want)
		}
	}
}

// drawnGame returns the moves of a random game that fills the board
// without four in a row.
func drawnGame(t *testing.T) string {
	rng := rand.New(rand.NewPCG(3, 4))
	for try := 0; try < 100000; try++ {
		st := randomPosition(rng, connect4.Cells-1)
		var buf [connect4.Width]game.Action
		st.Play(st.Legal(buf[:0])[0])
		if over, o := st.Terminal(); over && o == game.Draw {
			return st.String()
		}
	}
	t.Fatal("no drawn game found")
	return ""
}

func TestFinishedAndLastMoves(t *testing.T) {
	s := New()
	draw := drawnGame(t)
	allFull := [connect4.Width]int{Full, Full, Full, Full, Full, Full, Full}
	for _, tc := range []struct {
		name, moves string
		solve, weak int
		analyze     [connect4.Width]int
	}{
		{"first player won in column 1", "1212121", -18, -1, allFull},
		{"first player won on the bottom row", "4455667", -18, -1, allFull},
		{"second player won in column 2", "12121232", -18, -1, allFull},
		{"first player won with its 5th stone", "112233774", -17, -1, allFull},
		{"full board", draw, 0, 0, allFull},
		{"one cell left", draw[:connect4.Cells-1], 0, 0, func() (a [connect4.Width]int) {
			a = allFull
			a[draw[connect4.Cells-1]-'1'] = 0
			return a
		}()},
		{"win at once", "121212", 18, 1, [connect4.Width]int{18, -1000, -1000, -1000, -1000, -1000, -1000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := parse(t, tc.moves)
			if got := s.Solve(st, false); got != tc.solve {
				t.Errorf("Solve = %d, want %d", got, tc.solve)
			}
			if got := s.Solve(st, true); got != tc.weak {
				t.Errorf("weak Solve = %d, want %d", got, tc.weak)
			}
			if tc.name == "win at once" {
				return
			}
			if got := s.Analyze(st, false); got != tc.analyze {
				t.Errorf("Analyze = %v, want %v", got, tc.analyze)
			}
		})
	}
}

// TestZeroAllocs checks that analysis allocates nothing once the table
// exists.
func TestZeroAllocs(t *testing.T) {
	s := New()
	var sts []*connect4.State
	for _, p := range calibration.Of(calibration.Middle)[:60] {
		sts = append(sts, parse(t, p.Moves))
	}
	i := 0
	allocs := testing.AllocsPerRun(50, func() {
		s.Analyze(sts[i%len(sts)], false)
		s.Solve(sts[i%len(sts)], true)
		i++
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per analysis, want 0", allocs)
	}
}

// TestReset checks that a reset solver searches like a new one.
func TestReset(t *testing.T) {
	st := parse(t, calibration.Of(calibration.Middle)[0].Moves)
	a := New()
	want := a.Analyze(st, false)
	n := a.Nodes()
	if again := a.Analyze(st, false); again != want || a.Nodes()-n >= n {
		t.Errorf("second analysis %v in %d nodes, want %v in fewer than %d", again, a.Nodes()-n, want, n)
	}
	a.Reset()
	n2 := a.Nodes()
	if got := a.Analyze(st, false); got != want || a.Nodes()-n2 != n {
		t.Errorf("after Reset: %v in %d nodes, want %v in %d as a new solver", got, a.Nodes()-n2, want, n)
	}
}
