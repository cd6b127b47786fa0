package tabular

import (
	"context"
	"math"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

func ttt(t *testing.T, moves string) game.State {
	t.Helper()
	st, err := tictactoe.Parse(moves)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDecide(t *testing.T) {
	ctx := context.Background()
	tab := New(tictactoe.Game{}, 1)
	err := tab.Fit([]Example{
		{State: ttt(t, ""), Action: 4},
		{State: ttt(t, ""), Action: 0},
		{State: ttt(t, ""), Action: 4},
		{State: ttt(t, "5"), Action: 2}, // a tie between 2 and 0: the lowest wins
		{State: ttt(t, "5"), Action: 0},
		{State: ttt(t, "51"), Target: []float32{0, 0.25, 0, 0, 0, 0, 0, 0.75, 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, moves string
		want        game.Action
	}{
		{"the most frequent label", "", 4},
		{"a tie goes to the lowest action", "5", 0},
		{"the heaviest soft target", "51", 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := ttt(t, tc.moves)
			a, c, err := tab.Decide(ctx, st, argmax.Budget{})
			if err != nil || a != tc.want {
				t.Errorf("Decide(%q) = %d, %v; want %d", tc.moves, a, err, tc.want)
			}
			if c.Nodes != 0 || c.ForwardPasses != 0 || c.Samples != 0 || c.Steps != 0 || c.Elapsed < 0 {
				t.Errorf("a lookup's cost %+v: want no counts", c)
			}
			if !tab.Known(st) {
				t.Errorf("Known(%q) = false", tc.moves)
			}
		})
	}
	if tab.Len() != 3 {
		t.Errorf("Len = %d, want 3", tab.Len())
	}
	if c := tab.TrainingCost(); c.Samples != 6 || c.Elapsed <= 0 {
		t.Errorf("training cost %+v: want 6 samples and some time", c)
	}
	if _, _, err := tab.Decide(ctx, ttt(t, "14253"), argmax.Budget{}); err == nil {
		t.Error("a finished game: no error")
	}
}

// TestUnseen checks that an unseen position gets a legal move that is a
// function of the seed and the position, spread over the legal moves.
func TestUnseen(t *testing.T) {
	ctx := context.Background()
	st := connect4.New()
	counts := map[game.Action]int{}
	for seed := uint64(0); seed < 700; seed++ {
		tab := New(connect4.Game{}, seed)
		a, _, err := tab.Decide(ctx, st, argmax.Budget{})
		if err != nil || !st.IsLegal(a) {
			t.Fatalf("seed %d: %d, %v", seed, a, err)
		}
		if b, _, _ := New(connect4.Game{}, seed).Decide(ctx, st, argmax.Budget{}); b != a {
			t.Fatalf("seed %d: %d then %d", seed, a, b)
		}
		counts[a]++
		if tab.Known(st) {
			t.Fatal("an empty table knows a position")
		}
	}
	for a := game.Action(0); a < connect4.Width; a++ {
		if counts[a] < 60 || counts[a] > 140 {
			t.Errorf("column %d chosen %d times in 700, want about 100", a+1, counts[a])
		}
	}
	// A position missing from the table stays random however much else
	// the table holds.
	tab := New(connect4.Game{}, 3)
	tab.Fit([]Example{{State: st, Action: 3}})
	other, _ := connect4.Parse("4")
	want, _, _ := New(connect4.Game{}, 3).Decide(ctx, other, argmax.Budget{})
	if got, _, _ := tab.Decide(ctx, other, argmax.Budget{}); got != want {
		t.Errorf("unseen position: %d with data elsewhere, %d without", got, want)
	}
}

func TestDistribution(t *testing.T) {
	ctx := context.Background()
	tab := New(tictactoe.Game{}, 0)
	if err := tab.Fit([]Example{{State: ttt(t, "15"), Action: 8}, {State: ttt(t, "15"), Action: 8}}); err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, tictactoe.Cells)
	for _, tc := range []struct {
		moves string
		want  []float32
	}{
		// 7 legal moves, 2 counts on cell 9: (2+1)/9, the others 1/9.
		{"15", []float32{0, 1. / 9, 1. / 9, 1. / 9, 0, 1. / 9, 1. / 9, 1. / 9, 3. / 9}},
		// unseen: uniform over the 7 legal moves.
		{"12", []float32{0, 0, 1. / 7, 1. / 7, 1. / 7, 1. / 7, 1. / 7, 1. / 7, 1. / 7}},
	} {
		if _, err := tab.Distribution(ctx, ttt(t, tc.moves), argmax.Budget{}, dst); err != nil {
			t.Fatal(err)
		}
		for a := range dst {
			if math.Abs(float64(dst[a]-tc.want[a])) > 1e-6 {
				t.Errorf("%q: distribution %v, want %v", tc.moves, dst, tc.want)
				break
			}
		}
	}
	if _, err := tab.Distribution(ctx, ttt(t, ""), argmax.Budget{}, dst[:4]); err == nil {
		t.Error("a distribution of 4 entries: no error")
	}
}

func TestFitErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    Example
	}{
		{"no state", Example{}},
		{"action out of range", Example{State: tictactoe.New(), Action: 9}},
		{"negative action", Example{State: tictactoe.New(), Action: -1}},
		{"target too short", Example{State: tictactoe.New(), Target: []float32{1}}},
		{"negative weight", Example{State: tictactoe.New(), Target: []float32{1, -1, 0, 0, 0, 0, 0, 0, 0}}},
		{"NaN weight", Example{State: tictactoe.New(), Target: []float32{float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0, 0}}},
		{"zero target", Example{State: tictactoe.New(), Target: make([]float32, 9)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := New(tictactoe.Game{}, 0)
			if err := tab.Fit([]Example{{State: tictactoe.New(), Action: 4}, tc.e}); err == nil {
				t.Error("no error")
			}
			if tab.Len() != 0 || tab.TrainingCost().Samples != 0 {
				t.Error("a failed Fit added examples")
			}
		})
	}
}
