package bestofn_test

import (
	"context"
	"testing"

	"argmax"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

func benchSetup(b *testing.B) (*prefs.Problem, *prefs.Proxy) {
	p, _ := prefs.New(prefs.Config{Seed: 1})
	comps, _ := p.Compare(1000, 7)
	proxy, err := p.FitProxy(comps, prefs.ProxyConfig{})
	if err != nil {
		b.Fatal(err)
	}
	return p, proxy
}

// One best-of-16 decision on the default space (V=4, L=6).
func BenchmarkDecide16(b *testing.B) {
	p, proxy := benchSetup(b)
	d, _ := bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{N: 16, Seed: 1})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := d.Decide(ctx, prefs.Prompt{}, argmax.Budget{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The exact best-of-64 distribution over the 4,096 responses (classes
// prepared once).
func BenchmarkExactDist(b *testing.B) {
	p, proxy := benchSetup(b)
	e, _ := bestofn.NewExact(p.BaseDist(), proxy.Scores())
	dst := make([]float64, p.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Dist(64, dst); err != nil {
			b.Fatal(err)
		}
	}
}

// Preparing the exact distribution: sorting the 4,096 scores into classes.
func BenchmarkNewExact(b *testing.B) {
	p, proxy := benchSetup(b)
	for b.Loop() {
		if _, err := bestofn.NewExact(p.BaseDist(), proxy.Scores()); err != nil {
			b.Fatal(err)
		}
	}
}
