package tactical_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

func parse(t *testing.T, moves string) *connect4.State {
	t.Helper()
	s, err := connect4.Parse(moves)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDecide checks that the rule plays one of its allowed moves, always the
// same for a seed and a position, uniformly over seeds, and leaves the state
// as it found it.
func TestDecide(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		moves string
		want  []game.Action // the allowed moves
	}{
		{"", []game.Action{0, 1, 2, 3, 4, 5, 6}},
		{"121212", []game.Action{0}},
		{"12121", []game.Action{0}},
		{"4556416", []game.Action{0, 1, 3, 4, 5}},
	} {
		s := parse(t, tc.moves)
		count := map[game.Action]int{}
		const seeds = 7000
		for seed := uint64(0); seed < seeds; seed++ {
			r := tactical.New(seed)
			a, c, err := r.Decide(ctx, s, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(tc.want, a) {
				t.Fatalf("%q: seed %d played %d, not one of %v", tc.moves, seed, a, tc.want)
			}
			if c != (argmax.Cost{Samples: 1}) {
				t.Fatalf("%q: cost %+v, want one sample and nothing else", tc.moves, c)
			}
			if again, _, _ := r.Decide(ctx, s, argmax.Budget{Simulations: 5}); again != a {
				t.Fatalf("%q: seed %d played %d then %d", tc.moves, seed, a, again)
			}
			count[a]++
		}
		if s.String() != tc.moves {
			t.Fatalf("state changed to %q", s)
		}
		for _, a := range tc.want {
			exp := float64(seeds) / float64(len(tc.want))
			if math.Abs(float64(count[a])-exp) > 5*math.Sqrt(exp) {
				t.Errorf("%q: move %d chosen %d times in %d seeds, want about %.0f", tc.moves, a, count[a], seeds, exp)
			}
		}
	}
}

func TestDistribution(t *testing.T) {
	r := tactical.New(1)
	for _, moves := range []string{"", "121212", "4556416", "44444"} {
		s := parse(t, moves)
		dst := make([]float32, connect4.Width)
		for i := range dst {
			dst[i] = 9 // overwritten
		}
		c, err := r.Distribution(context.Background(), s, argmax.Budget{}, dst)
		if err != nil || c != (argmax.Cost{}) {
			t.Fatalf("%q: cost %+v, err %v", moves, c, err)
		}
		allowed := s.TacticalMoves(nil)
		var sum float32
		for a, p := range dst {
			want := float32(0)
			if slices.Contains(allowed, game.Action(a)) {
				want = 1 / float32(len(allowed))
			}
			if p != want {
				t.Errorf("%q: p(%d) = %v, want %v", moves, a, p, want)
			}
			sum += p
		}
		if math.Abs(float64(sum)-1) > 1e-6 {
			t.Errorf("%q: probabilities sum to %v", moves, sum)
		}
		got, err := r.Allowed(s, nil)
		if err != nil || !slices.Equal(got, allowed) {
			t.Errorf("%q: Allowed = %v, %v, want %v", moves, got, err, allowed)
		}
	}
}

func TestErrors(t *testing.T) {
	r := tactical.New(1)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	won := parse(t, "1212121")
	for _, tc := range []struct {
		name string
		ctx  context.Context
		s    game.State
		b    argmax.Budget
		dst  int
		want string
		is   error
	}{
		{"tic-tac-toe", context.Background(), tictactoe.New(), argmax.Budget{}, 7, "plays connect four, not a *tictactoe.State", nil},
		{"finished", context.Background(), won, argmax.Budget{}, 7, `position "1212121": the game is over`, tactical.ErrGameOver},
		{"full board draw", context.Background(), fullBoard(t), argmax.Budget{}, 7, "the game is over", tactical.ErrGameOver},
		{"cancelled", cancelled, connect4.New(), argmax.Budget{}, 7, "context canceled", context.Canceled},
		{"negative budget", context.Background(), connect4.New(), argmax.Budget{Nodes: -1}, 7, "negative limit", nil},
		{"short distribution", context.Background(), connect4.New(), argmax.Budget{}, 3, "distribution of 3 entries, want 7", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(what string, err error) {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v, want %q", what, err, tc.want)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("%s: error %v is not %v", what, err, tc.is)
				}
			}
			if tc.dst == connect4.Width {
				_, _, err := r.Decide(tc.ctx, tc.s, tc.b)
				check("Decide", err)
			}
			_, err := r.Distribution(tc.ctx, tc.s, tc.b, make([]float32, tc.dst))
			check("Distribution", err)
		})
	}
}

// fullBoard returns a drawn game: a board filled with no four in a row.
func fullBoard(t *testing.T) *connect4.State {
	// Columns filled in pairs so that no line of four forms.
	s := parse(t, "")
	for _, c := range []int{0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0,
		2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2,
		4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4,
		6, 6, 6, 6, 6, 6} {
		if !s.IsLegal(game.Action(c)) {
			t.Fatalf("fullBoard: %d illegal after %s", c+1, s)
		}
		s.Play(game.Action(c))
	}
	if over, o := s.Terminal(); !over || o != game.Draw {
		t.Fatalf("fullBoard: %s is not a draw", s)
	}
	return s
}

// TestAccuracyOnCalibration plays the rule with many seeds on the
// calibration file's middle and end positions: the share of value-keeping
// moves is near the rule's expected share (96.6% and 99.5%).
func TestAccuracyOnCalibration(t *testing.T) {
	for _, tc := range []struct {
		phase calibration.Phase
		want  float64
	}{{calibration.Middle, 0.966}, {calibration.End, 0.995}} {
		ps := calibration.Of(tc.phase)
		ok, n := 0, 0
		for seed := uint64(0); seed < 20; seed++ {
			r := tactical.New(seed)
			for _, p := range ps {
				a, _, err := r.Decide(context.Background(), parse(t, p.Moves), argmax.Budget{})
				if err != nil {
					t.Fatal(err)
				}
				if p.Optimal(int(a)) {
					ok++
				}
				n++
			}
		}
		got := float64(ok) / float64(n)
		t.Logf("%s: %.4f optimal over %d decisions", tc.phase, got, n)
		if math.Abs(got-tc.want) > 0.01 {
			t.Errorf("%s: %.4f optimal, want about %.3f", tc.phase, got, tc.want)
		}
	}
}
