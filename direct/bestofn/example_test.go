package bestofn_test

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// Best-of-16 against a proxy reward model: each answer costs 16 samples,
// and its exact distribution moves sqrt(KL) = 1.35 away from the base
// policy, gaining more proxy than gold reward.
func Example() {
	p, _ := prefs.New(prefs.Config{Seed: 1})
	comps, _ := p.Compare(1000, 7)
	proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
	d, _ := bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{N: 16, Seed: 1})
	y, cost, _ := d.Decide(context.Background(), prefs.Prompt{}, argmax.Budget{})
	fmt.Println("answer", p.Tokens(y, nil), "samples", cost.Samples)
	e, _ := bestofn.NewExact(p.BaseDist(), proxy.Scores())
	dist, _ := e.Dist(16, nil)
	pt := p.Evaluate(dist, proxy)
	fmt.Printf("best-of-16: d %.2f, proxy gain %.2f, gold gain %.2f\n", pt.D, pt.Proxy, pt.Gold)
	// Output:
	// answer [1 3 0 1 2 3] samples 16
	// best-of-16: d 1.35, proxy gain 1.22, gold gain 1.06
}
