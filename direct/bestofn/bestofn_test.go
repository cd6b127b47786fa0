package bestofn_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// table is a finite generator with a score per item.
type table struct {
	base, score []float64
}

func (g table) Generate(_ struct{}, rng *rand.Rand) int {
	u := rng.Float64()
	for y, p := range g.base {
		u -= p
		if u < 0 {
			return y
		}
	}
	return len(g.base) - 1
}

func (g table) Score(_ struct{}, y int) float64 { return g.score[y] }

// The exact distribution matches the sampler (which keeps the first of
// tied maxima), ties included; n = 1 gives the base distribution.
func TestExactMatchesSampler(t *testing.T) {
	g := table{
		base:  []float64{0.3, 0.1, 0.15, 0.05, 0.2, 0.12, 0.08},
		score: []float64{1, 1, 2, 3, 2, 2, 0}, // classes {6}, {0,1}, {2,4,5}, {3}
	}
	e, err := bestofn.NewExact(g.base, g.score)
	if err != nil {
		t.Fatal(err)
	}
	if e.Classes() != 4 {
		t.Fatalf("%d classes: want 4", e.Classes())
	}
	for _, n := range []int{1, 4, 16} {
		want, err := e.Dist(n, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			for y, p := range g.base {
				if math.Abs(want[y]-p) > 1e-15 {
					t.Errorf("n=1: item %d has %v, base %v", y, want[y], p)
				}
			}
		}
		d, err := bestofn.New[struct{}, int](g, g, bestofn.Config{N: n, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		const draws = 200000
		freq := make([]float64, len(g.base))
		for range draws {
			y, c, err := d.Decide(context.Background(), struct{}{}, argmax.Budget{})
			if err != nil || c.Samples != int64(n) {
				t.Fatalf("n=%d: Decide: %v, %d samples", n, err, c.Samples)
			}
			freq[y]++
		}
		for y, p := range want {
			se := math.Sqrt(p*(1-p)/draws) + 1e-12
			if z := math.Abs(freq[y]/draws-p) / se; z > 4.5 || (p == 0 && freq[y] > 0) {
				t.Errorf("n=%d item %d: sampled %.4f, exact %.4f (%.1f s.e.)", n, y, freq[y]/draws, p, z)
			}
		}
	}
}

// With distinct scores on a large uniform space (close to a continuous
// score), KL(π_bon‖π_base) equals log n − (n−1)/n.
func TestKLContinuous(t *testing.T) {
	const m = 1 << 18
	base, score := make([]float64, m), make([]float64, m)
	rng := rand.New(rand.NewPCG(1, 1))
	for y := range base {
		base[y] = 1.0 / m
		score[y] = rng.Float64()
	}
	e, err := bestofn.NewExact(base, score)
	if err != nil {
		t.Fatal(err)
	}
	if e.Classes() != m {
		t.Fatalf("%d classes: want %d distinct scores", e.Classes(), m)
	}
	for _, n := range []int{1, 2, 4, 16, 64, 256} {
		dist, err := e.Dist(n, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := prefs.KL(dist, base)
		want := math.Log(float64(n)) - float64(n-1)/float64(n)
		if math.Abs(got-want) > 1e-4 {
			t.Errorf("n=%d: KL %.6f, log n − (n−1)/n = %.6f", n, got, want)
		}
	}
}

// Decide counts its samples and stops on the budget and the context; bad
// configurations and scores are errors.
func TestDecideBudget(t *testing.T) {
	g := table{base: []float64{0.5, 0.5}, score: []float64{0, 1}}
	d, err := bestofn.New[struct{}, int](g, g, bestofn.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		b           argmax.Budget
		samples     int64
		cutShort    int64
		wantErrText string
	}{
		{argmax.Budget{}, 16, 0, ""},
		{argmax.Budget{Samples: 5}, 5, 0, ""},
		{argmax.Budget{Samples: 1000}, 1000, 0, ""},
		{argmax.Budget{Samples: 1 << 40, Time: time.Millisecond}, -1, 1, ""},
		{argmax.Budget{Samples: -1}, 0, 0, "negative"},
	} {
		_, c, err := d.Decide(ctx, struct{}{}, tc.b)
		switch {
		case tc.wantErrText != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErrText) {
				t.Errorf("%v: error %v: want %q", tc.b, err, tc.wantErrText)
			}
		case err != nil:
			t.Errorf("%v: %v", tc.b, err)
		case tc.samples >= 0 && c.Samples != tc.samples, c.CutShort != tc.cutShort, c.Samples < 1:
			t.Errorf("%v: cost %+v: want %d samples, %d cut short", tc.b, c, tc.samples, tc.cutShort)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := d.Decide(cancelled, struct{}{}, argmax.Budget{}); err != context.Canceled {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := bestofn.New[struct{}, int](g, g, bestofn.Config{N: -2}); err == nil || !strings.Contains(err.Error(), "Config.N") {
		t.Errorf("N = −2: %v", err)
	}
	bad := table{base: []float64{1}, score: []float64{math.NaN()}}
	nan, _ := bestofn.New[struct{}, int](bad, bad, bestofn.Config{})
	if _, _, err := nan.Decide(ctx, struct{}{}, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN score: %v", err)
	}
	for _, tc := range []struct {
		base, score []float64
		want        string
	}{
		{[]float64{0.5, 0.4}, []float64{0, 1}, "sum"},
		{[]float64{1.5, -0.5}, []float64{0, 1}, "base[1]"},
		{[]float64{1}, []float64{0, 1}, "same"},
		{[]float64{1}, []float64{math.NaN()}, "score[0]"},
	} {
		if _, err := bestofn.NewExact(tc.base, tc.score); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewExact(%v, %v): %v: want %q", tc.base, tc.score, err, tc.want)
		}
	}
	if _, err := (bestofn.Sweep{}).Curve(ctx, nil, nil); err == nil || !strings.Contains(err.Error(), "Sweep.MaxN") {
		t.Errorf("Sweep with MaxN 0: %v", err)
	}
}

// The same seed gives the same answers.
func TestDeterminism(t *testing.T) {
	p, _ := prefs.New(prefs.Config{Seed: 2})
	comps, _ := p.Compare(200, 2)
	proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
	run := func(seed uint64) []int {
		d, _ := bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{N: 8, Seed: seed})
		out := make([]int, 50)
		for i := range out {
			out[i], _, _ = d.Decide(context.Background(), prefs.Prompt{}, argmax.Budget{})
		}
		return out
	}
	a, b, c := run(5), run(5), run(6)
	same, other := true, false
	for i := range a {
		same = same && a[i] == b[i]
		other = other || a[i] != c[i]
	}
	if !same || !other {
		t.Errorf("same seed identical: %v; another seed differs: %v", same, other)
	}
}

// Overoptimization: with a proxy fitted on few comparisons, best-of-n's
// gold reward rises with d, peaks and falls while its proxy reward keeps
// rising; with many comparisons the peak comes later and higher.
func TestOveroptimization(t *testing.T) {
	p, err := prefs.New(prefs.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	type figures struct{ peakN, peakGold, finalGold float64 }
	measure := func(n int) figures {
		comps, _ := p.Compare(n, 7)
		proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
		pts, err := bestofn.Sweep{MaxN: 1000}.Curve(context.Background(), p, proxy)
		if err != nil {
			t.Fatal(err)
		}
		f := figures{finalGold: pts[len(pts)-1].Gold}
		for i, pt := range pts {
			if pt.Gold > f.peakGold {
				f.peakN, f.peakGold = pt.Param, pt.Gold
			}
			if i > 0 && !(pt.Proxy > pts[i-1].Proxy && pt.KL > pts[i-1].KL) {
				t.Fatalf("N=%d, n=%v: proxy or KL did not grow", n, pt.Param)
			}
		}
		t.Logf("N=%d: gold peaks at n=%v (d=%.3f) with %.3f, %.3f at n=1000 (d=%.3f)", n, f.peakN, pts[int(f.peakN)-1].D, f.peakGold, f.finalGold, pts[len(pts)-1].D)
		return f
	}
	small, large := measure(100), measure(10000)
	if !(small.peakN > 2 && small.peakN < 1000 && small.peakGold-small.finalGold > 0.3) {
		t.Errorf("N=100: %+v: want an interior peak at least 0.3 above the end", small)
	}
	if !(large.peakN > small.peakN && large.peakGold > small.peakGold) {
		t.Errorf("N=10000 %+v against N=100 %+v: want a later, higher peak", large, small)
	}
}
