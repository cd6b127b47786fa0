package klpg_test

import (
	"context"
	"math"
	"slices"
	"strings"

	"argmax"
	"testing"

	"argmax/amortized/klpg"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// setup returns a problem and a proxy fitted on n comparisons.
func setup(t testing.TB, cfg prefs.Config, n int) (*prefs.Problem, *prefs.Proxy) {
	t.Helper()
	p, err := prefs.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	comps, err := p.Compare(n, 11)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return p, proxy
}

// The trained policy's J approaches J(π*) = β log E_base e^{r/β}: the gap
// is β·KL(π‖π*), and π* lies in the tabular family (the proxy is a sum of
// bigram terms).
func TestReachesOptimum(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  prefs.Config
		beta float64
		tol  float64 // on J(π*) − J(π)
	}{
		{"V=2,L=3,β=0.5", prefs.Config{V: 2, L: 3, Seed: 1}, 0.5, 1e-3},
		{"V=3,L=3,β=0.3", prefs.Config{V: 3, L: 3, Seed: 2}, 0.3, 1e-3},
		{"V=4,L=4,β=1", prefs.Config{V: 4, L: 4, Seed: 3}, 1, 1e-3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, proxy := setup(t, tc.cfg, 300)
			opt, jStar, err := klpg.Optimal(p, proxy, tc.beta)
			if err != nil {
				t.Fatal(err)
			}
			if got := klpg.Objective(p, proxy, opt, tc.beta); math.Abs(got-jStar) > 1e-9 {
				t.Fatalf("J(π*) by sum %v, closed form %v", got, jStar)
			}
			q, err := klpg.Train(ctx, p, proxy, klpg.Config{Beta: tc.beta, Steps: 1500, Batch: 64, Seed: 4})
			if err != nil {
				t.Fatal(err)
			}
			j := klpg.Objective(p, proxy, q.Dist(), tc.beta)
			j0 := klpg.Objective(p, proxy, p.BaseDist(), tc.beta)
			gap := jStar - j
			// The identity J(π*) − J(π) = β KL(π‖π*).
			if id := tc.beta * prefs.KL(q.Dist(), opt); math.Abs(id-gap) > 1e-9 {
				t.Errorf("gap %v, β·KL(π‖π*) %v", gap, id)
			}
			t.Logf("J(base) %.4f  J(trained) %.4f  J(π*) %.4f  gap %.2e", j0, j, jStar, gap)
			if gap < -1e-9 || gap > tc.tol {
				t.Errorf("J(π*) − J(π) = %v: want in [0, %v]", gap, tc.tol)
			}
		})
	}
}

// The training curve starts at π_base (KL 0) and its KL grows; training is
// bit-identical for a seed; a trained policy answers with one sample.
func TestCurveAndDeterminism(t *testing.T) {
	ctx := context.Background()
	p, proxy := setup(t, prefs.Config{Seed: 1}, 1000)
	cfg := klpg.Config{Beta: 0.1, Steps: 200, Record: 10, Seed: 9}
	q, err := klpg.Train(ctx, p, proxy, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c := q.Curve()
	if len(c) != 21 || c[0].Step != 0 || c[0].KL > 1e-12 || c[0].Gold != 0 {
		t.Fatalf("curve of %d records starting %+v: want 21 from π_base", len(c), c[0])
	}
	if !(c[1].KL > 0 && c[len(c)-1].KL > c[1].KL && c[len(c)-1].J > c[0].J) {
		t.Errorf("KL %v → %v → %v, J %v → %v: want KL growing from 0 and J improving", c[0].KL, c[1].KL, c[len(c)-1].KL, c[0].J, c[len(c)-1].J)
	}
	again, _ := klpg.Train(ctx, p, proxy, cfg)
	if !slices.Equal(q.Dist(), again.Dist()) || !slices.Equal(q.Curve(), again.Curve()) {
		t.Error("same seed, different training")
	}
	cfg.Seed++
	other, _ := klpg.Train(ctx, p, proxy, cfg)
	if slices.Equal(q.Dist(), other.Dist()) {
		t.Error("another seed, same training")
	}
	y, cost, err := q.Decide(ctx, prefs.Prompt{}, argmax.Budget{})
	if err != nil || y < 0 || y >= p.Size() || cost.Samples != 1 || cost.Steps != 6 {
		t.Errorf("Decide: %d, %+v, %v", y, cost, err)
	}
	if tc := q.TrainingCost(); tc.Iterations != 200 || tc.Samples != 200*64 {
		t.Errorf("training cost %+v: want 200 iterations, 12800 samples", tc)
	}
}

// SFT on best-of-n tends, with many samples, to the tabular projection of
// the best-of-n distribution (its exact per-row conditionals); on n = 1
// it stays at π_base.
func TestSFTProjection(t *testing.T) {
	ctx := context.Background()
	p, proxy := setup(t, prefs.Config{V: 3, L: 4, Seed: 5}, 300)
	base := p.Base()
	v := base.V()
	for _, tc := range []struct {
		n   int
		tol float64 // on KL(projection ‖ SFT)
	}{{1, 2e-3}, {8, 2e-3}} {
		e, _ := bestofn.NewExact(p.BaseDist(), proxy.Scores())
		bon, _ := e.Dist(tc.n, nil)
		// The projection: row conditionals of the best-of-n distribution.
		mass := make([]float64, base.Rows()*v)
		tokens := make([]int, base.L())
		for y, pr := range bon {
			prev := 0
			for t, tok := range p.Tokens(y, tokens) {
				mass[base.Row(t, prev)*v+tok] += pr
				prev = tok
			}
		}
		logits := make([]float64, len(mass))
		for i, m := range mass {
			logits[i] = math.Log(m + 1e-300)
		}
		proj, err := prefs.NewPolicy(v, base.L(), logits)
		if err != nil {
			t.Fatal(err)
		}
		teacher, _ := bestofn.New[prefs.Prompt, int](base, proxy, bestofn.Config{N: tc.n, Seed: 3})
		q, err := klpg.SFT(ctx, p, teacher, klpg.SFTConfig{Samples: 40000, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		kl := prefs.KL(proj.Dist(nil), q.Dist())
		t.Logf("n=%d: KL(projection‖SFT) %.2e; KL(BoN‖π_base) %.3f, KL(SFT‖π_base) %.3f", tc.n, kl, prefs.KL(bon, p.BaseDist()), prefs.KL(q.Dist(), p.BaseDist()))
		if kl > tc.tol {
			t.Errorf("n=%d: KL(projection‖SFT) = %v: want ≤ %v", tc.n, kl, tc.tol)
		}
		if c := q.TrainingCost(); c.Samples != int64(40000*tc.n) {
			t.Errorf("n=%d: training cost %+v: want %d samples", tc.n, c, 40000*tc.n)
		}
	}
}

// Bad configurations get errors naming the field.
func TestBadConfig(t *testing.T) {
	ctx := context.Background()
	p, proxy := setup(t, prefs.Config{V: 2, L: 2}, 20)
	for _, tc := range []struct {
		cfg  klpg.Config
		want string
	}{
		{klpg.Config{Beta: -1}, "Config.Beta"},
		{klpg.Config{Beta: math.Inf(1)}, "Config.Beta"},
		{klpg.Config{Steps: -3}, "Config.Steps"},
		{klpg.Config{Batch: 1}, "Config.Batch"},
		{klpg.Config{LR: -0.1}, "Config.LR"},
		{klpg.Config{Record: -1}, "Config.Record"},
	} {
		if _, err := klpg.Train(ctx, p, proxy, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Train(%+v): %v: want an error naming %s", tc.cfg, err, tc.want)
		}
	}
	teacher, _ := bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{})
	for _, tc := range []struct {
		cfg  klpg.SFTConfig
		want string
	}{
		{klpg.SFTConfig{Samples: -1}, "SFTConfig.Samples"},
		{klpg.SFTConfig{Prior: -1}, "SFTConfig.Prior"},
		{klpg.SFTConfig{Budget: argmax.Budget{Samples: -1}}, "SFTConfig.Budget"},
	} {
		if _, err := klpg.SFT(ctx, p, teacher, tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SFT(%+v): %v: want an error naming %s", tc.cfg, err, tc.want)
		}
	}
	if _, _, err := klpg.Optimal(p, proxy, 0); err == nil || !strings.Contains(err.Error(), "β") {
		t.Errorf("Optimal(β = 0): %v", err)
	}
	if _, err := (klpg.BetaSweep{}).Curve(ctx, p, proxy); err == nil || !strings.Contains(err.Error(), "Betas") {
		t.Errorf("BetaSweep without Betas: %v", err)
	}
}
