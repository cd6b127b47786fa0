package eval

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
	"argmax/lab/bots"
)

// uniform is a policy that weighs every legal move alike and plays the
// lowest-numbered one.
type uniform struct{}

func (uniform) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	return s.Legal(nil)[0], argmax.Cost{}, nil
}

func (uniform) Distribution(_ context.Context, s game.State, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	clear(dst)
	legal := s.Legal(nil)
	for _, a := range legal {
		dst[a] = 1 / float32(len(legal))
	}
	return argmax.Cost{Samples: 1}, nil
}

// skewed puts its mass on action 0, legal or not.
type skewed struct{ uniform }

func (skewed) Distribution(_ context.Context, _ game.State, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	clear(dst)
	dst[0] = 1
	return argmax.Cost{}, nil
}

// TestAccuracyTruth checks accuracies against known truth: the exact
// solver is always right, a random move scores the exact expected share
// within its interval.
func TestAccuracyTruth(t *testing.T) {
	ttt := TicTacToe()
	mid := Calibration(calibration.Middle)[:60]
	c4, _ := bots.Game("connect4")
	uOpt, uStr := UniformShare(ttt)
	tests := []struct {
		name            string
		f               Factory
		ps              []Position
		optimal, strict float64 // expected shares; NaN: not checked
		exact           bool    // the share must equal the expected one
	}{
		{"tictactoe solver", Bot(tictactoe.Game{}, "solver"), ttt, 1, 1, true},
		{"connect4 solver", Bot(c4, "solver"), mid, 1, 1, true},
		{"tictactoe random", Bot(tictactoe.Game{}, "random:seed=3"), ttt, uOpt, uStr, false},
		{"tictactoe mcts", Bot(tictactoe.Game{}, "mcts:sims=64,seed=1"), ttt, math.NaN(), math.NaN(), false},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 2} {
			r, err := ParallelAccuracy(context.Background(), tc.f, tc.ps, argmax.Budget{}, workers)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if r.N != len(tc.ps) || len(r.Moves) != r.N || len(r.Times) != r.N || r.Cost.Decisions != int64(r.N) {
				t.Errorf("%s: N %d, %d moves, %d times, %d decisions; want %d", tc.name, r.N, len(r.Moves), len(r.Times), r.Cost.Decisions, len(tc.ps))
			}
			for _, c := range []struct {
				what string
				iv   float64
				lo   float64
				hi   float64
				want float64
			}{
				{"optimal", r.OptimalShare.Est, r.OptimalShare.Lo, r.OptimalShare.Hi, tc.optimal},
				{"strict", r.StrictShare.Est, r.StrictShare.Lo, r.StrictShare.Hi, tc.strict},
			} {
				if c.lo < 0 || c.hi > 1 || c.lo > c.iv || c.iv > c.hi {
					t.Errorf("%s: %s share %v not in its interval [%v, %v] within [0, 1]", tc.name, c.what, c.iv, c.lo, c.hi)
				}
				switch {
				case math.IsNaN(c.want):
				case tc.exact && c.iv != c.want:
					t.Errorf("%s: %s share %v, want %v", tc.name, c.what, c.iv, c.want)
				case !(c.lo <= c.want && c.want <= c.hi):
					t.Errorf("%s: %s share interval [%v, %v] misses the exact %v", tc.name, c.what, c.lo, c.hi, c.want)
				}
			}
		}
	}
}

// TestParallelDeterministic checks that moves and counts do not depend on
// the number of workers.
func TestParallelDeterministic(t *testing.T) {
	ps := Calibration(calibration.Middle)[:80]
	c4, _ := bots.Game("connect4")
	var first AccuracyResult
	for _, workers := range []int{1, 2, 3} {
		r, err := ParallelAccuracy(context.Background(), Bot(c4, "mcts:sims=32,seed=5"), ps, argmax.Budget{}, workers)
		if err != nil {
			t.Fatal(err)
		}
		r.Cost.Elapsed, r.Mean.Elapsed, r.Times = 0, 0, nil
		if workers == 1 {
			first = r
			continue
		}
		if !slices.Equal(r.Moves, first.Moves) || r.Cost != first.Cost || r.OptimalShare != first.OptimalShare {
			t.Errorf("%d workers: %d optimal, cost %+v; 1 worker: %d, %+v", workers, r.Optimal, r.Cost, first.Optimal, first.Cost)
		}
	}
	if first.Mean.Simulations <= 0 || first.Mean.Simulations > 32 {
		t.Errorf("mean simulations %v, want in (0, 32]", first.Mean.Simulations)
	}
}

// TestExpectedAccuracy checks that a uniform policy's expected share is
// the exact one, and that bad distributions are errors.
func TestExpectedAccuracy(t *testing.T) {
	ps := TicTacToe()
	uOpt, uStr := UniformShare(ps)
	for _, workers := range []int{1, 2} {
		r, err := ParallelExpectedAccuracy(context.Background(), func() (game.Decider, error) { return uniform{}, nil }, ps, argmax.Budget{}, workers)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.Optimal.Est-uOpt) > 1e-6 || math.Abs(r.Strict.Est-uStr) > 1e-6 {
			t.Errorf("%d workers: expected shares %v, %v; want %v, %v", workers, r.Optimal.Est, r.Strict.Est, uOpt, uStr)
		}
		if r.Optimal.Lo < 0 || r.Optimal.Hi > 1 || !r.Optimal.Contains(uOpt) || r.Optimal.Width() > 0.03 {
			t.Errorf("interval %v", r.Optimal)
		}
		if r.Cost.Decisions != int64(len(ps)) || r.Cost.Samples != int64(len(ps)) || len(r.Mass) != len(ps) {
			t.Errorf("cost %+v, %d masses", r.Cost, len(r.Mass))
		}
	}
	// The sampled accuracy of random agrees, with more variance.
	if _, err := ExpectedAccuracy(context.Background(), skewed{}, ps, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "illegal") {
		t.Errorf("mass on an illegal action: %v", err)
	}
	_, err := ParallelExpectedAccuracy(context.Background(), Bot(tictactoe.Game{}, "random"), ps, argmax.Budget{}, 1)
	if err == nil || !strings.Contains(err.Error(), "not a game.Policy") {
		t.Errorf("a decider without a distribution: %v", err)
	}
}

// TestAccuracyErrors checks that illegal moves, decider errors and
// factory errors name what failed.
func TestAccuracyErrors(t *testing.T) {
	ps := TicTacToe()
	corner := game.DeciderFunc(func(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
		return 0, argmax.Cost{}, nil
	})
	boom := errors.New("boom")
	failing := game.DeciderFunc(func(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
		if s.Ply() == 3 {
			return 0, argmax.Cost{}, boom
		}
		return s.Legal(nil)[0], argmax.Cost{}, nil
	})
	tests := []struct {
		name string
		f    Factory
		want []string
	}{
		{"illegal", single(corner), []string{`position 2 "1"`, "illegal action 0"}},
		{"decider error", single(failing), []string{"boom", "position"}},
		{"factory error", func() (game.Decider, error) { return nil, boom }, []string{"boom"}},
		{"bad spec", Bot(tictactoe.Game{}, "mcts:sims=x"), []string{`bot spec "mcts:sims=x"`}},
	}
	for _, tc := range tests {
		for _, workers := range []int{1, 2} {
			_, err := ParallelAccuracy(context.Background(), tc.f, ps, argmax.Budget{}, workers)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("%s, %d workers: error %v, want it to name %q", tc.name, workers, err, w)
				}
			}
		}
	}
	// Bad position sets are refused before any decision.
	wrong := Position{State: tictactoe.New(), Scores: make([]int, 9)}
	wrong.Scores[4] = Illegal
	for _, tc := range []struct {
		ps   []Position
		want string
	}{
		{nil, "no positions"},
		{[]Position{ps[0], wrong}, `position 2: position "": action 4 is legal true, but has score`},
		{[]Position{{Scores: []int{0}}}, "no state"},
	} {
		if _, err := Accuracy(context.Background(), uniform{}, tc.ps, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Accuracy: error %v, want %q", err, tc.want)
		}
		if _, err := ExpectedAccuracy(context.Background(), uniform{}, tc.ps, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ExpectedAccuracy: error %v, want %q", err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Accuracy(ctx, uniform{}, ps, argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
