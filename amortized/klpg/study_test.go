package klpg_test

import (
	"context"
	"testing"

	"argmax"
	"argmax/amortized/klpg"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// methods is the overoptimization study: exact best-of-n, the KL-PG
// policy over training and over β, and SFT on best-of-n.
func methods(p *prefs.Problem, proxy *prefs.Proxy) []prefs.Method {
	return []prefs.Method{
		bestofn.Sweep{MaxN: 1000},
		klpg.Trajectory{Config: klpg.Config{Beta: 0.05, Steps: 300, LR: 0.02, Record: 3, Seed: 3}},
		klpg.BetaSweep{Config: klpg.Config{Steps: 400, LR: 0.05, Seed: 3}, Betas: []float64{4, 2, 1.4, 1, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08}},
		klpg.SFTSweep{Ns: []int{2, 4, 8, 16, 32, 64, 128, 256, 512}, Config: klpg.SFTConfig{Samples: 2000}, Teacher: func(n int) (argmax.Decider[prefs.Prompt, int], error) {
			return bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{N: n, Seed: 5})
		}},
	}
}

// The study at two numbers of comparisons: every method's proxy gain
// outruns its gold gain; with few comparisons best-of-n and KL-PG both
// overoptimize (gold peaks well before the end of the curve).
func TestStudy(t *testing.T) {
	p, err := prefs.New(prefs.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{100, 10000} {
		comps, _ := p.Compare(n, 7)
		proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
		res, err := prefs.Overoptimization(context.Background(), p, proxy, methods(p, proxy), 0.6)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			t.Logf("N=%d %s: peak gold %.3f at d=%.3f; end gold %.3f proxy %.3f at d=%.3f", n, r.Method, r.PeakGold.Gold, r.PeakGold.D, r.FinalGold.Gold, r.FinalGold.Proxy, r.FinalGold.D)
			for _, f := range []struct {
				name string
				fit  prefs.Fit
			}{{"gold bon", r.GoldBoN}, {"gold rl", r.GoldRL}, {"proxy bon", r.ProxyBoN}, {"proxy rl", r.ProxyRL}} {
				t.Logf("    %-9s α=%.3f β=%.3f fit d≤%.2f (%d pts) rmse %.3f; held out %d rmse %.3f max %.3f", f.name, f.fit.Alpha, f.fit.Beta, f.fit.DFit, f.fit.NFit, f.fit.FitRMSE, f.fit.NHeld, f.fit.HeldRMSE, f.fit.HeldMaxErr)
			}
			if !(r.FinalGold.Proxy > r.FinalGold.Gold) {
				t.Errorf("N=%d %s: final proxy gain %v not above gold gain %v", n, r.Method, r.FinalGold.Proxy, r.FinalGold.Gold)
			}
			if n == 100 && r.Method != res[3].Method && !(r.PeakGold.Gold-r.FinalGold.Gold > 0.2) {
				t.Errorf("N=100 %s: peak gold %v, final %v: want a fall of 0.2", r.Method, r.PeakGold.Gold, r.FinalGold.Gold)
			}
		}
	}
}
