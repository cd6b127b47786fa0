package arbiter

import (
	"context"
	"math"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/tictactoe"
)

// fixedNet weighs the cells by a fixed table (renormalised over the legal
// ones).
type fixedNet struct{ w []float32 }

func (n fixedNet) Decide(ctx context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	p := make([]float32, 9)
	c, _ := n.Distribution(ctx, s, b, p)
	a, _ := Margin(p)
	return a, c, nil
}

func (n fixedNet) Distribution(_ context.Context, s game.State, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	clear(dst)
	var sum float32
	for _, a := range s.Legal(nil) {
		dst[a] = n.w[a]
		sum += n.w[a]
	}
	for a := range dst {
		dst[a] /= sum
	}
	return argmax.Cost{ForwardPasses: 1}, nil
}

// lastCell "searches": it plays the highest legal cell and counts the
// simulations it was given.
var lastCell = game.DeciderFunc(func(_ context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	l := s.Legal(nil)
	return l[len(l)-1], argmax.Cost{Simulations: b.Simulations}, nil
})

func TestArbiter(t *testing.T) {
	g := tictactoe.Game{}
	confident := fixedNet{[]float32{10, 1, 1, 1, 1, 1, 1, 1, 1}} // cell 1 by a wide margin
	unsure := fixedNet{[]float32{1.2, 1, 1, 1, 1, 1, 1, 1, 1}}
	for _, c := range []struct {
		name     string
		net      game.Policy
		check    Check
		want     game.Action
		searched bool
		sims     int64
	}{
		{"confident", confident, nil, 0, false, 0},
		{"unsure", unsure, nil, 8, true, 96}, // margin 0.2/9.2 ≈ 0.022: 4 + 96·(1 − 0.022/0.5) ≈ 95.8
		{"check fails", confident, func(game.State, game.Action) bool { return false }, 8, true, 100},
	} {
		r, err := New(Config{Game: g, Net: c.net, Search: lastCell, Margin: 0.5, MinSims: 4, MaxSims: 100, Check: c.check})
		if err != nil {
			t.Fatal(err)
		}
		a, cost, err := r.Decide(context.Background(), g.New(), argmax.Budget{})
		if err != nil || a != c.want || cost.Simulations != c.sims || cost.ForwardPasses != 1 {
			t.Errorf("%s: move %d cost %+v err %v, want move %d with %d sims", c.name, a, cost, err, c.want, c.sims)
		}
		if st := r.Stats(); st.Decisions != 1 || (st.Searched == 1) != c.searched || st.Sims != c.sims {
			t.Errorf("%s: stats %+v", c.name, st)
		}
	}
	if _, err := New(Config{Game: g, Net: confident, MinSims: 0, MaxSims: 1}); err == nil || !strings.Contains(err.Error(), "search are required") || !strings.Contains(err.Error(), "sims 0..1") {
		t.Errorf("bad config: %v", err)
	}
}

func TestMargin(t *testing.T) {
	for _, c := range []struct {
		p    []float32
		a    game.Action
		want float64
	}{
		{[]float32{0.1, 0.6, 0.3}, 1, 0.3},
		{[]float32{0.5, 0.5}, 0, 0},
		{[]float32{0, 0, 1}, 2, 1},
		{[]float32{0.7}, 0, 0.7},
	} {
		if a, m := Margin(c.p); a != c.a || math.Abs(m-c.want) > 1e-6 {
			t.Errorf("Margin(%v) = %d, %v; want %d, %v", c.p, a, m, c.a, c.want)
		}
	}
}

// TestCalibrate checks that the calibrated threshold spends the target
// mean budget, searching the least sure positions first.
func TestCalibrate(t *testing.T) {
	cfg := Config{MinSims: 10, MaxSims: 10}
	var pts []Point
	for i := range 100 {
		pts = append(pts, Point{Margin: float64(i) / 100, Check: true})
	}
	tau, err := Calibrate(cfg, pts, 3) // 30% of positions searched at 10 sims
	if err != nil {
		t.Fatal(err)
	}
	cfg.Margin = tau
	searched := 0
	for _, p := range pts {
		if _, s := cfg.Budget(p.Margin, p.Check); s {
			searched++
		}
	}
	if searched != 30 {
		t.Errorf("threshold %.3f searches %d positions, want 30", tau, searched)
	}
	// Failed checks are always searched: with no budget left, 0.
	pts[99].Check = false
	if tau, _ := Calibrate(Config{MinSims: 10, MaxSims: 10}, pts, 0.05); tau != 0 {
		t.Errorf("no budget to spare: threshold %v, want 0", tau)
	}
	if _, err := Calibrate(cfg, nil, 1); err == nil {
		t.Error("no points: no error")
	}
}

func TestPoints(t *testing.T) {
	g := tictactoe.Game{}
	net := fixedNet{w: []float32{1, 2, 3, 4, 10, 4, 3, 2, 1}}
	cfg := Config{Game: g, Net: net, Check: func(s game.State, a game.Action) bool { return a != 4 }}
	s := g.New()
	after := s.Clone()
	after.Play(4)
	over := g.New()
	for _, a := range []game.Action{0, 3, 1, 4, 2} { // X takes the top row
		over.Play(a)
	}
	pts, err := Points(context.Background(), cfg, []game.State{s, after, over})
	if err != nil {
		t.Fatal(err)
	}
	// The centre (10 of 30) leads the runner-up (4 of 30); the check
	// refuses it. With the centre taken, two cells tie at 4 of 20.
	want := []Point{{Margin: 6.0 / 30, Check: false}, {Margin: 0, Check: true}}
	if len(pts) != len(want) {
		t.Fatalf("got %d points, want %d (the finished game is skipped)", len(pts), len(want))
	}
	for i, p := range pts {
		if math.Abs(p.Margin-want[i].Margin) > 1e-6 || p.Check != want[i].Check {
			t.Errorf("point %d: got %+v, want %+v", i, p, want[i])
		}
	}
	if _, err := Points(context.Background(), Config{}, nil); err == nil {
		t.Error("no net: no error")
	}
}

// valueTable is a value head: the value of a tic-tac-toe position for its
// player to move, by the number of marks on the board.
type valueTable map[int]float32

func (v valueTable) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	for i, s := range states {
		values[i] = v[s.Ply()]
	}
	return argmax.Cost{ForwardPasses: 1}
}

// TestValueDisagreement: a confident net whose value head contradicts
// itself one move later is sent to search; one that agrees is not.
func TestValueDisagreement(t *testing.T) {
	g := tictactoe.Game{}
	confident := fixedNet{[]float32{10, 1, 1, 1, 1, 1, 1, 1, 1}} // margin 9/18 = 0.5
	for _, c := range []struct {
		name   string
		values valueTable
		sims   int64
	}{
		{"agrees", valueTable{0: 0.5, 1: -0.5}, 0},     // |0.5 − 0.5| = 0: confidence 0.5 ≥ 0.4
		{"slightly", valueTable{0: 0.5, 1: -0.45}, 0},  // confidence 0.45
		{"disagrees", valueTable{0: 0.5, 1: 0.3}, 100}, // confidence 0.5 − 0.8 < 0: the most
		{"in between", valueTable{0: 0.2, 1: 0}, 28},   // confidence 0.3: 4 + 96·(1 − 0.3/0.4)
	} {
		r, err := New(Config{Game: g, Net: confident, Values: c.values, Search: lastCell, Margin: 0.4, MinSims: 4, MaxSims: 100})
		if err != nil {
			t.Fatal(err)
		}
		_, cost, err := r.Decide(context.Background(), g.New(), argmax.Budget{})
		if err != nil || cost.Simulations != c.sims || cost.ForwardPasses != 3 {
			t.Errorf("%s: cost %+v err %v, want %d sims after 3 forward passes", c.name, cost, err, c.sims)
		}
	}
}
