package eval

import (
	"context"
	"math"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/lab/bots"
	"argmax/lab/stats"
)

// synth makes a frontier of (simulations, quality) points.
func synth(pts ...[2]float64) []FrontierPoint {
	out := make([]FrontierPoint, len(pts))
	for i, p := range pts {
		out[i] = FrontierPoint{Mean: CostMeans{Simulations: p[0]}, Quality: stats.Interval{Est: p[1]}}
	}
	return out
}

// TestAtQuality checks the interpolation on synthetic frontiers.
func TestAtQuality(t *testing.T) {
	rising := synth([2]float64{1, 0.5}, [2]float64{10, 0.7}, [2]float64{100, 0.8}, [2]float64{1000, 0.9})
	flat := synth([2]float64{1, 0.5}, [2]float64{10, 0.7}, [2]float64{100, 0.7}, [2]float64{1000, 0.9})
	bumpy := synth([2]float64{1000, 0.9}, [2]float64{1, 0.5}, [2]float64{100, 0.7}, [2]float64{10, 0.8}) // unsorted too
	zero := synth([2]float64{0, 0.3}, [2]float64{10, 0.5})
	tests := []struct {
		name string
		f    []FrontierPoint
		q    float64
		cost float64
		side Side
	}{
		{"between points", rising, 0.75, math.Pow(10, 1.5), Inside},
		{"on a point", rising, 0.8, 100, Inside},
		{"at the cheapest", rising, 0.5, 1, Inside},
		{"below the range", rising, 0.4, 1, Below},
		{"above the range", rising, 0.95, 1000, Above},
		{"flat stretch: its cheapest point", flat, 0.7, 10, Inside},
		{"past a flat stretch", flat, 0.8, 100, Inside},
		{"non-monotone: the dominated point is skipped", bumpy, 0.85, 100, Inside},
		{"non-monotone: first reached", bumpy, 0.65, math.Pow(10, 0.5), Inside},
		{"zero cost: linear", zero, 0.4, 5, Inside},
		{"empty", nil, 0.5, math.NaN(), Above},
	}
	for _, tc := range tests {
		c, side := AtQuality(tc.f, tc.q, CostSimulations)
		if side != tc.side || !(math.Abs(c-tc.cost) < 1e-9*math.Max(1, tc.cost) || math.IsNaN(c) && math.IsNaN(tc.cost)) {
			t.Errorf("%s: AtQuality(%v) = %v, %v; want %v, %v", tc.name, tc.q, c, side, tc.cost, tc.side)
		}
		if side.OK() != (tc.side == Inside) {
			t.Errorf("%s: OK %v", tc.name, side.OK())
		}
		// AtCost inverts AtQuality inside the range.
		if side == Inside {
			if q, s := AtCost(tc.f, c, CostSimulations); s != Inside || math.Abs(q-tc.q) > 1e-9 {
				t.Errorf("%s: AtCost(%v) = %v, %v; want %v", tc.name, c, q, s, tc.q)
			}
		}
	}
	for _, tc := range []struct {
		c    float64
		q    float64
		side Side
	}{{0.5, 0.5, Below}, {5000, 0.9, Above}, {math.Sqrt(10), 0.6, Inside}} {
		if q, s := AtCost(rising, tc.c, CostSimulations); s != tc.side || math.Abs(q-tc.q) > 1e-9 {
			t.Errorf("AtCost(%v) = %v, %v; want %v, %v", tc.c, q, s, tc.q, tc.side)
		}
	}
}

// TestCompare checks cost ratios and crossovers of synthetic frontiers.
func TestCompare(t *testing.T) {
	b := synth([2]float64{10, 0.5}, [2]float64{100, 0.7}, [2]float64{1000, 0.9})
	twice := synth([2]float64{20, 0.5}, [2]float64{200, 0.7}, [2]float64{2000, 0.9})
	// Cheap at low quality, dear at high: crosses B at 0.7 (cost 100).
	steep := synth([2]float64{1, 0.5}, [2]float64{100, 0.7}, [2]float64{1e5, 0.9})
	c, err := Compare(twice, b, CostSimulations, 0.5, 0.9, 41)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(c.GeoMean-2) > 1e-9 || len(c.Crossovers) != 0 {
		t.Errorf("twice as dear: geomean %v, crossovers %v", c.GeoMean, c.Crossovers)
	}
	c, err = Compare(steep, b, CostSimulations, 0.5, 0.9, 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Crossovers) != 1 || math.Abs(c.Crossovers[0].Quality-0.7) > 1e-9 || math.Abs(c.Crossovers[0].Cost-100) > 1e-6 || !c.Crossovers[0].ACheaperBelow {
		t.Errorf("steep: crossovers %+v, want one at quality 0.7, cost 100, A cheaper below", c.Crossovers)
	}
	if c.Ratio[0] != 0.1 || c.Ratio[len(c.Ratio)-1] != 100 {
		t.Errorf("steep: ratios %v … %v, want 0.1 … 100", c.Ratio[0], c.Ratio[len(c.Ratio)-1])
	}
	// Outside either range the ratio is undefined.
	c, _ = Compare(b, synth([2]float64{10, 0.6}, [2]float64{100, 0.8}), CostSimulations, 0.5, 0.9, 5)
	for k, q := range c.Quality {
		if defined := !math.IsNaN(c.Ratio[k]); defined != (q >= 0.6 && q <= 0.8) {
			t.Errorf("quality %v: ratio %v", q, c.Ratio[k])
		}
	}
	if _, err := Compare(b, b, CostSimulations, 0.9, 0.5, 10); err == nil {
		t.Error("lo > hi: no error")
	}
}

// TestFrontier measures MCTS's frontier on connect-four positions: more
// simulations cost more, the points are sorted and deterministic.
func TestFrontier(t *testing.T) {
	ps := Calibration(calibration.Middle)[:100]
	g := connect4.Game{}
	mk := func(b argmax.Budget) (game.Decider, error) { return bots.New(g, "mcts:seed=1") }
	budgets := []argmax.Budget{{Simulations: 64}, {Simulations: 1}, {Simulations: 8}}
	var first []FrontierPoint
	for _, workers := range []int{1, 2} {
		pts, err := Frontier(context.Background(), mk, budgets, ps, workers)
		if err != nil {
			t.Fatal(err)
		}
		if len(pts) != 3 || pts[0].Budget.Simulations != 1 || pts[2].Budget.Simulations != 64 {
			t.Fatalf("points not sorted by cost: %v", pts)
		}
		for i, p := range pts {
			if i > 0 && p.Mean.Simulations <= pts[i-1].Mean.Simulations {
				t.Errorf("simulations per decision %v after %v", p.Mean.Simulations, pts[i-1].Mean.Simulations)
			}
			if p.MeanTime <= 0 || p.MedianTime <= 0 || p.Accuracy.N != len(ps) {
				t.Errorf("point %v: times %v %v", p.Budget, p.MeanTime, p.MedianTime)
			}
			if first != nil && (p.Quality != first[i].Quality || p.Mean.Simulations != first[i].Mean.Simulations) {
				t.Errorf("2 workers at %v: %v, 1 worker %v", p.Budget, p.Quality, first[i].Quality)
			}
		}
		if pts[2].Quality.Est <= pts[0].Quality.Est {
			t.Errorf("64 simulations %v no better than 1 %v", pts[2].Quality, pts[0].Quality)
		}
		first = pts
	}
}
