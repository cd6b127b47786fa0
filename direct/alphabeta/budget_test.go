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

// hard is a 7-ply position that the exact search takes far longer than a
// test to solve (it is not solved in 3 s).
const hard = "1234567"

// TestSearchSolved checks that an unlimited Search proves a strictly
// optimal move, the one Decide and BestMove choose, with bounds that hold
// the calibration scores.
func TestSearchSolved(t *testing.T) {
	s := New()
	for _, ph := range []calibration.Phase{calibration.End, calibration.Middle} {
		for _, p := range calibration.Of(ph)[:60] {
			r, err := s.Search(context.Background(), parse(t, p.Moves), argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			want, best := BestMove(p.Scores)
			if r.Status != Solved || r.Cost.CutShort != 0 || int(r.Action) != want {
				t.Errorf("%s: %v, move %d, cut short %d; want solved, move %d", p.Moves, r.Status, r.Action+1, r.Cost.CutShort, want+1)
			}
			if r.Score.Lo > best || r.Score.Hi < best {
				t.Errorf("%s: score bounds %v, want them to hold %d", p.Moves, r.Score, best)
			}
			for c, b := range r.Moves {
				if v := p.Scores[c]; b.Lo > v || b.Hi < v {
					t.Errorf("%s column %d: bounds %v, score %d", p.Moves, c+1, b, v)
				}
			}
		}
	}
}

// TestNodeBudget checks that a node budget bounds the nodes searched,
// that CutShort is set exactly when the search stops before proving its
// move, and that a budget that suffices gives the unlimited answer.
func TestNodeBudget(t *testing.T) {
	ps := calibration.Of(calibration.Middle)[:30]
	for _, n := range []int64{1, 10, 100, 1000, 10000, 100000} {
		cut := 0
		for _, p := range ps {
			st := parse(t, p.Moves)
			s := New()
			_, full, err := s.Decide(context.Background(), st, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			s.Reset()
			a, c, err := s.Decide(context.Background(), st, argmax.Budget{Nodes: n})
			if err != nil {
				t.Fatal(err)
			}
			if c.Nodes > n {
				t.Errorf("%s, budget %d nodes: searched %d", p.Moves, n, c.Nodes)
			}
			wantCut := int64(0)
			if full.Nodes > n {
				wantCut = 1
			}
			if c.CutShort != wantCut {
				t.Errorf("%s, budget %d nodes (%d needed): CutShort %d, want %d", p.Moves, n, full.Nodes, c.CutShort, wantCut)
			}
			if !st.IsLegal(a) {
				t.Errorf("%s, budget %d nodes: illegal move %d", p.Moves, n, a+1)
			}
			if wantCut == 0 && !p.StrictlyOptimal(int(a)) {
				t.Errorf("%s, budget %d nodes, not cut short: move %d is not strictly optimal (%v)", p.Moves, n, a+1, p.Scores)
			}
			cut += int(c.CutShort)
		}
		t.Logf("budget %d nodes: %d of %d decisions cut short", n, cut, len(ps))
	}
}

// TestNodeBudgetTactics checks the answer of a search stopped at its first
// node: the 2-ply rule, from what is known before any search.
func TestNodeBudgetTactics(t *testing.T) {
	s := New()
	for _, p := range calibration.All() {
		st := parse(t, p.Moves)
		a, c, err := s.Decide(context.Background(), st, argmax.Budget{Nodes: 1})
		if err != nil {
			t.Fatal(err)
		}
		var buf [connect4.Width]game.Action
		wins, safe := false, false
		for _, m := range st.Legal(buf[:0]) {
			wins = wins || st.IsWinningMove(int(m))
			safe = safe || !losesAtOnce(st, m)
		}
		switch {
		case wins && !st.IsWinningMove(int(a)):
			t.Errorf("%s: move %d misses a win at once (cost %+v)", p.Moves, a+1, c)
		case !wins && safe && losesAtOnce(st, a):
			t.Errorf("%s: move %d lets the opponent win at once", p.Moves, a+1)
		}
	}
}

// losesAtOnce reports whether the opponent can win at once after a.
func losesAtOnce(st *connect4.State, a game.Action) bool {
	st.Play(a)
	defer st.Undo(a)
	for c := 0; c < connect4.Width; c++ {
		if st.CanPlay(c) && st.IsWinningMove(c) {
			return true
		}
	}
	return false
}

// TestNodeBudgetDeterministic checks that a node budget gives the same
// answer, bounds and cost from the same table (a new solver).
func TestNodeBudgetDeterministic(t *testing.T) {
	for _, moves := range []string{hard, calibration.Of(calibration.Beginning)[1].Moves} {
		var first Result
		for i := 0; i < 3; i++ {
			r, err := New().Search(context.Background(), parse(t, moves), argmax.Budget{Nodes: 5000})
			if err != nil {
				t.Fatal(err)
			}
			r.Cost.Elapsed = 0
			if i == 0 {
				first = r
				continue
			}
			if r.Action != first.Action || r.Score != first.Score || r.Status != first.Status || r.Cost != first.Cost || !equalBounds(r.Moves, first.Moves) {
				t.Errorf("%s: run %d gives %+v, run 0 %+v", moves, i, r, first)
			}
		}
		if first.Status != NodeLimit || first.Cost.Nodes != 5000 {
			t.Errorf("%s: %v after %d nodes, want the node limit at 5000", moves, first.Status, first.Cost.Nodes)
		}
	}
}

func equalBounds(a, b []Bounds) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTimeBudget checks that a 20 ms budget on a hard position returns in
// well under 100 ms (generous for a loaded machine), cut short.
func TestTimeBudget(t *testing.T) {
	s := New()
	st := parse(t, hard)
	t0 := time.Now()
	r, err := s.Search(context.Background(), st, argmax.Budget{Time: 20 * time.Millisecond})
	took := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	if took > 100*time.Millisecond {
		t.Errorf("a 20 ms budget took %v", took)
	}
	if r.Status != TimeLimit || r.Cost.CutShort != 1 || r.Cost.Nodes == 0 || !st.IsLegal(r.Action) {
		t.Errorf("%+v: want a legal move cut short by the time limit after some nodes", r)
	}
}

// TestCancel checks that a cancelled context stops a search promptly with
// ctx.Err(), whether cancelled before or during the search.
func TestCancel(t *testing.T) {
	st := parse(t, hard)
	for _, tc := range []struct {
		name  string
		after time.Duration // cancel after this; 0: before the call
	}{
		{"before", 0},
		{"during", 10 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.after == 0 {
				cancel()
			} else {
				time.AfterFunc(tc.after, cancel)
			}
			t0 := time.Now()
			_, c, err := New().Decide(ctx, st, argmax.Budget{})
			if took := time.Since(t0); took > tc.after+100*time.Millisecond {
				t.Errorf("returned %v after the call, cancelled at %v", took, tc.after)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
			if tc.after == 0 && c.Nodes != 0 {
				t.Errorf("searched %d nodes with a context cancelled before the call", c.Nodes)
			}
			// The generic searches stop too.
			gs := []game.Decider{NewGeneric(connect4.Game{}), mustDepth(t, connect4.Game{}, DepthConfig{})}
			for _, d := range gs {
				ctx, cancel := context.WithCancel(context.Background())
				if tc.after == 0 {
					cancel()
				} else {
					time.AfterFunc(tc.after, cancel)
				}
				t0 := time.Now()
				_, _, err := d.Decide(ctx, st, argmax.Budget{})
				if took := time.Since(t0); took > tc.after+100*time.Millisecond {
					t.Errorf("%T: returned %v after the call, cancelled at %v", d, took, tc.after)
				}
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%T: error %v, want context.Canceled", d, err)
				}
				cancel()
			}
		})
	}
}

// TestTableAfterStop checks that searches stopped by their budget leave
// only true bounds in the transposition table: exact analyses after them,
// with the same table, are still right.
func TestTableAfterStop(t *testing.T) {
	s := New()
	ps := calibration.Of(calibration.Middle)[100:140]
	for i, p := range ps {
		st := parse(t, p.Moves)
		if _, _, err := s.Decide(context.Background(), st, argmax.Budget{Nodes: int64(50 + 97*i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AnalyzeWithin(context.Background(), st, i%2 == 0, argmax.Budget{Nodes: int64(30 + 50*i)}); err != nil {
			t.Fatal(err)
		}
	}
	checkAnalyze(t, ps, true, 1)
	for _, p := range ps {
		if got := s.Analyze(parse(t, p.Moves), false); got != p.Scores {
			t.Errorf("%s: after stopped searches, analyze %v, want %v", p.Moves, got, p.Scores)
		}
	}
}

// TestAnalyzeWithin checks that an unlimited AnalyzeWithin is Analyze,
// node for node, and that a limited one proves only true bounds.
func TestAnalyzeWithin(t *testing.T) {
	a, w := New(), New()
	for _, p := range calibration.Of(calibration.Middle)[:40] {
		st := parse(t, p.Moves)
		for _, weak := range []bool{false, true} {
			n0 := a.Nodes()
			want := a.Analyze(st, weak)
			n := a.Nodes() - n0
			r, err := w.AnalyzeWithin(context.Background(), st, weak, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Cost.Nodes != n || r.Status != Solved {
				t.Errorf("%s weak=%v: %d nodes, %v; Analyze %d nodes", p.Moves, weak, r.Cost.Nodes, r.Status, n)
			}
			for c, b := range r.Moves {
				switch {
				case !weak && (b.Lo != want[c] || b.Hi != want[c]):
					t.Errorf("%s column %d: %v, want %d", p.Moves, c+1, b, want[c])
				case weak && want[c] != Full && (sgn(b.Lo) != want[c] || sgn(b.Hi) != want[c]):
					t.Errorf("%s column %d (weak): %v, want sign %d", p.Moves, c+1, b, want[c])
				}
			}
		}
		r, err := New().AnalyzeWithin(context.Background(), st, false, argmax.Budget{Nodes: 500})
		if err != nil {
			t.Fatal(err)
		}
		for c, b := range r.Moves {
			if v := p.Scores[c]; b.Lo > v || b.Hi < v {
				t.Errorf("%s column %d, 500 nodes: bounds %v, score %d", p.Moves, c+1, b, v)
			}
		}
	}
}

// TestSolveWithin checks the root bisection under a budget: exact when
// unlimited, true bounds when stopped.
func TestSolveWithin(t *testing.T) {
	for _, tc := range []struct {
		moves  string
		weak   bool
		budget argmax.Budget
		status Status
	}{
		{calibration.Of(calibration.Middle)[0].Moves, false, argmax.Budget{}, Solved},
		{calibration.Of(calibration.Middle)[1].Moves, true, argmax.Budget{}, Solved},
		{calibration.Of(calibration.Beginning)[0].Moves, false, argmax.Budget{Nodes: 1000}, NodeLimit},
		{"1212121", false, argmax.Budget{}, Solved},
		{hard, false, argmax.Budget{Nodes: 20000}, NodeLimit},
	} {
		st := parse(t, tc.moves)
		r, err := New().SolveWithin(context.Background(), st, tc.weak, tc.budget)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != tc.status || (tc.status == Solved) != (r.Cost.CutShort == 0) {
			t.Errorf("%s: %v (cut short %d), want %v", tc.moves, r.Status, r.Cost.CutShort, tc.status)
		}
		if tc.moves == hard {
			continue
		}
		want := New().Solve(st, false)
		if r.Score.Lo > want || r.Score.Hi < want {
			t.Errorf("%s: bounds %v, score %d", tc.moves, r.Score, want)
		}
		if tc.status == Solved && !tc.weak && !r.Score.Exact() {
			t.Errorf("%s: solved but bounds %v", tc.moves, r.Score)
		}
	}
}

// TestGenericBudget checks the generic solver under a budget: unlimited it
// plays the best move of its Analyze in every tic-tac-toe position; a node
// budget is respected and CutShort set exactly when it stops the search.
func TestGenericBudget(t *testing.T) {
	s, ref := NewGeneric(tictactoe.Game{}), NewGeneric(tictactoe.Game{})
	seen := map[uint64]bool{}
	var walk func(st game.State)
	walk = func(st game.State) {
		if over, _ := st.Terminal(); over || seen[st.Key()] {
			return
		}
		seen[st.Key()] = true
		scores := ref.Analyze(st)
		want := -1
		for a, v := range scores {
			if v != Full && (want < 0 || v > scores[want]) {
				want = a
			}
		}
		a, c, err := s.Decide(context.Background(), st, argmax.Budget{})
		if err != nil || int(a) != want || c.CutShort != 0 {
			t.Fatalf("%q: %d, %+v, %v; want %d", st.String(), a, c, err, want)
		}
		var buf [tictactoe.Cells]game.Action
		for _, m := range st.Legal(buf[:0]) {
			st.Play(m)
			walk(st)
			st.Undo(m)
		}
	}
	walk(tictactoe.New())

	for _, n := range []int64{1, 5, 50, 500, 5000} {
		g := NewGeneric(tictactoe.Game{})
		r, err := g.Search(context.Background(), tictactoe.New(), argmax.Budget{Nodes: n})
		if err != nil {
			t.Fatal(err)
		}
		_, full, _ := NewGeneric(tictactoe.Game{}).Decide(context.Background(), tictactoe.New(), argmax.Budget{})
		if r.Cost.Nodes > n || (r.Cost.CutShort == 1) != (full.Nodes > n) || r.Status.CutShort() != (r.Cost.CutShort == 1) {
			t.Errorf("budget %d (%d needed): %d nodes, %v, cut short %d", n, full.Nodes, r.Cost.Nodes, r.Status, r.Cost.CutShort)
		}
		if r.Action < 0 || r.Action >= tictactoe.Cells {
			t.Errorf("budget %d: action %d", n, r.Action)
		}
	}
}
