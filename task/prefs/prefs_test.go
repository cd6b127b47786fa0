package prefs_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"argmax/task/prefs"
)

func mustNew(t testing.TB, cfg prefs.Config) *prefs.Problem {
	t.Helper()
	p, err := prefs.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// π_base's enumerated distribution sums to 1 and agrees with LogProb; the
// KL of a policy to itself is 0 and KL matches a brute-force sum of
// LogProb over the responses.
func TestBaseAndKL(t *testing.T) {
	for _, cfg := range []prefs.Config{
		{V: 2, L: 1, Seed: 1}, {V: 4, L: 6, Seed: 2}, {V: 3, L: 5, BaseScale: 3, Seed: 3}, {V: 16, L: 2, Seed: 4}, {V: 2, L: 12, Seed: 5},
	} {
		p := mustNew(t, cfg)
		base := p.BaseDist()
		if len(base) != p.Size() {
			t.Fatalf("%+v: %d probabilities for %d responses", cfg, len(base), p.Size())
		}
		sum := 0.0
		for y, pb := range base {
			sum += pb
			if d := math.Abs(math.Log(pb) - p.Base().LogProb(y)); d > 1e-12 {
				t.Fatalf("%+v: response %d: log Dist − LogProb = %v", cfg, y, d)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%+v: π_base sums to %v", cfg, sum)
		}
		if kl := prefs.KL(base, base); kl != 0 {
			t.Errorf("%+v: KL(π_base‖π_base) = %v", cfg, kl)
		}
		// Another policy: random logits.
		rng := rand.New(rand.NewPCG(9, 9))
		logits := make([]float64, prefs.NumRows(p.Config().V, p.Config().L)*p.Config().V)
		for i := range logits {
			logits[i] = rng.NormFloat64()
		}
		q, err := prefs.NewPolicy(p.Config().V, p.Config().L, logits)
		if err != nil {
			t.Fatal(err)
		}
		qd := q.Dist(nil)
		brute := 0.0
		for y := range qd {
			brute += math.Exp(q.LogProb(y)) * (q.LogProb(y) - p.Base().LogProb(y))
		}
		kl := prefs.KL(qd, base)
		if math.Abs(kl-brute) > 1e-10 || !(kl > 0) {
			t.Errorf("%+v: KL %v, brute force %v", cfg, kl, brute)
		}
	}
}

// Sampling follows the enumerated distribution.
func TestSampleMatchesDist(t *testing.T) {
	p := mustNew(t, prefs.Config{V: 3, L: 3, Seed: 7})
	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 300000
	freq := make([]float64, p.Size())
	tokens := make([]int, 3)
	for range draws {
		y := p.Base().Sample(rng, tokens)
		if z, err := p.Index(tokens); err != nil || z != y {
			t.Fatalf("Sample returned %d with tokens %v (index %d, %v)", y, tokens, z, err)
		}
		freq[y]++
	}
	worst := 0.0
	for y, pb := range p.BaseDist() {
		worst = max(worst, math.Abs(freq[y]/draws-pb)/math.Sqrt(pb*(1-pb)/draws))
	}
	if worst > 4.5 {
		t.Errorf("largest deviation of a frequency from π_base: %.2f standard errors", worst)
	}
}

// With a gold reward inside the features' span the proxy recovers it up to
// a shift: exactly from infinitely many comparisons, approximately from
// many; its accuracy then matches the gold reward's own.
func TestProxyRecoversLinearGold(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int     // comparisons; 0: the population fit
		tol  float64 // on the largest |r_proxy − r_gold − shift|
	}{
		{"population", 0, 1e-3},
		{"N=100000", 100000, 0.15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, prefs.Config{V: 3, L: 4, Linear: true, Seed: 3})
			var proxy *prefs.Proxy
			var err error
			if tc.n == 0 {
				proxy, err = p.FitPopulation(prefs.ProxyConfig{L2: 1e-9})
			} else {
				comps, cerr := p.Compare(tc.n, 5)
				if cerr != nil {
					t.Fatal(cerr)
				}
				proxy, err = p.FitProxy(comps, prefs.ProxyConfig{L2: 1e-6})
			}
			if err != nil {
				t.Fatal(err)
			}
			diff := make([]float64, p.Size())
			for y := range diff {
				diff[y] = proxy.Scores()[y] - p.Gold()[y]
			}
			shift := prefs.Expect(p.BaseDist(), diff)
			worst := 0.0
			for _, d := range diff {
				worst = max(worst, math.Abs(d-shift))
			}
			t.Logf("largest deviation after the shift %.4f: %.2e (gold std 1)", shift, worst)
			if worst > tc.tol {
				t.Errorf("largest |r_proxy − r_gold − shift| = %v: want ≤ %v", worst, tc.tol)
			}
			if ag, ap := p.Accuracy(p.Gold()), p.Accuracy(proxy.Scores()); ap < ag-0.002 {
				t.Errorf("accuracy: proxy %v, gold %v", ap, ag)
			}
		})
	}
}

// With a gold reward outside the span, held-out accuracy grows with the
// number of comparisons toward the population fit's (the best the
// features do), which stays below the gold reward's own.
func TestProxyAccuracyApproachesPopulation(t *testing.T) {
	p := mustNew(t, prefs.Config{V: 3, L: 5, Seed: 8})
	pop, err := p.FitPopulation(prefs.ProxyConfig{L2: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	best, gold := p.Accuracy(pop.Scores()), p.Accuracy(p.Gold())
	t.Logf("accuracy: gold %.4f, population fit %.4f", gold, best)
	if !(best < gold) {
		t.Errorf("population fit accuracy %v not below gold %v", best, gold)
	}
	for _, tc := range []struct {
		n   int
		tol float64 // on best − accuracy
	}{{30, 0.2}, {1000, 0.02}, {100000, 0.003}} {
		comps, err := p.Compare(tc.n, 13)
		if err != nil {
			t.Fatal(err)
		}
		proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
		if err != nil {
			t.Fatal(err)
		}
		acc := p.Accuracy(proxy.Scores())
		t.Logf("N=%d: accuracy %.4f", tc.n, acc)
		if best-acc > tc.tol || acc > best+0.003 {
			t.Errorf("N=%d: accuracy %v, population %v: want within %v below", tc.n, acc, best, tc.tol)
		}
	}
}

// FitCurve recovers the coefficients of exact curves of both forms, with
// no error beyond d_fit; a noisy curve has held-out error.
func TestFitCurve(t *testing.T) {
	for _, tc := range []struct {
		form        prefs.Form
		alpha, beta float64
		r           func(d float64) float64
	}{
		{prefs.BoNForm, 1.3, 0.4, func(d float64) float64 { return d * (1.3 - 0.4*d) }},
		{prefs.RLForm, 0.9, 0.25, func(d float64) float64 { return d * (0.9 - 0.25*math.Log(d)) }},
	} {
		var pts []prefs.Point
		for i := range 30 {
			d := 0.1 * float64(i)
			pts = append(pts, prefs.Point{D: d, KL: d * d, Gold: tc.r(d), Proxy: 2 * tc.r(d)})
		}
		f, err := prefs.FitCurve(pts, tc.form, prefs.TargetGold, 1.5)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(f.Alpha-tc.alpha) > 1e-10 || math.Abs(f.Beta-tc.beta) > 1e-10 || f.HeldMaxErr > 1e-10 || f.NFit != 16 || f.NHeld != 14 {
			t.Errorf("%v: fit %+v: want α %v β %v exactly, 16 fitted and 14 held out", tc.form, f, tc.alpha, tc.beta)
		}
		g, err := prefs.FitCurve(pts, tc.form, prefs.TargetProxy, 3)
		if err != nil || math.Abs(g.Alpha-2*tc.alpha) > 1e-10 || g.NHeld != 0 {
			t.Errorf("%v: proxy fit %+v, %v: want α %v, nothing held out", tc.form, g, err, 2*tc.alpha)
		}
		if _, err := prefs.FitCurve(pts[:2], tc.form, prefs.TargetGold, 0.15); err == nil {
			t.Errorf("%v: one point with d > 0 fitted without error", tc.form)
		}
	}
}

// Bad configurations get errors naming the field.
func TestBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  prefs.Config
		want string
	}{
		{prefs.Config{V: 1}, "Config.V"},
		{prefs.Config{V: 17}, "Config.V"},
		{prefs.Config{L: -1}, "Config.L"},
		{prefs.Config{V: 4, L: 11}, "Config.V^L"},
		{prefs.Config{BaseScale: -1}, "Config.BaseScale"},
		{prefs.Config{BaseScale: math.NaN()}, "Config.BaseScale"},
	} {
		if _, err := prefs.New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v: want an error naming %s", tc.cfg, err, tc.want)
		}
	}
	p := mustNew(t, prefs.Config{V: 2, L: 2})
	comps, _ := p.Compare(10, 1)
	if _, err := p.FitProxy(comps, prefs.ProxyConfig{L2: -1}); err == nil || !strings.Contains(err.Error(), "ProxyConfig.L2") {
		t.Errorf("FitProxy with L2 = −1: %v", err)
	}
	if _, err := p.FitProxy([]prefs.Comparison{{Winner: 4, Loser: 0}}, prefs.ProxyConfig{}); err == nil {
		t.Error("FitProxy accepted a response out of range")
	}
	if _, err := p.Compare(0, 1); err == nil {
		t.Error("Compare(0) gave no error")
	}
	if _, err := p.Index([]int{0, 2}); err == nil || !strings.Contains(err.Error(), "token 1") {
		t.Errorf("Index of a bad token: %v", err)
	}
	if _, err := prefs.Overoptimization(context.Background(), p, nil, nil, 0); err == nil || !strings.Contains(err.Error(), "dFitShare") {
		t.Errorf("Overoptimization with dFitShare 0: %v", err)
	}
}

// The same seeds give bit-identical problems, comparisons and proxies;
// another seed gives others.
func TestDeterminism(t *testing.T) {
	build := func(seed uint64) ([]float64, []float64, []prefs.Comparison, []float64) {
		p := mustNew(t, prefs.Config{Seed: seed})
		comps, err := p.Compare(500, seed)
		if err != nil {
			t.Fatal(err)
		}
		proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
		if err != nil {
			t.Fatal(err)
		}
		return p.BaseDist(), p.Gold(), comps, proxy.Scores()
	}
	b1, g1, c1, s1 := build(3)
	b2, g2, c2, s2 := build(3)
	if !slices.Equal(b1, b2) || !slices.Equal(g1, g2) || !slices.Equal(c1, c2) || !slices.Equal(s1, s2) {
		t.Error("same seed, different results")
	}
	b3, g3, c3, _ := build(4)
	if slices.Equal(b1, b3) || slices.Equal(g1, g3) || slices.Equal(c1, c3) {
		t.Error("another seed, same results")
	}
}

// A unigram proxy has no bigram weights and, fitted to the population, is
// no more accurate than the full proxy, whose features include its own.
func TestUnigramProxy(t *testing.T) {
	p := mustNew(t, prefs.Config{V: 3, L: 4, Seed: 4})
	uni, err := p.FitPopulation(prefs.ProxyConfig{Unigrams: true})
	if err != nil {
		t.Fatal(err)
	}
	full, err := p.FitPopulation(prefs.ProxyConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range uni.Weights()[3:] {
		if w != 0 {
			t.Errorf("bigram weight %d = %v, want 0", i, w)
		}
	}
	if au, af := p.Accuracy(uni.Scores()), p.Accuracy(full.Scores()); au > af+1e-9 {
		t.Errorf("accuracy: unigram proxy %v above the full proxy's %v", au, af)
	}
}
