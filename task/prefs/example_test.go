package prefs_test

import (
	"fmt"

	"argmax/task/prefs"
)

// A proxy reward model fitted on comparisons orders fresh pairs almost as
// well as the gold reward that labelled them.
func Example() {
	p, _ := prefs.New(prefs.Config{V: 4, L: 6, Seed: 1})
	comps, _ := p.Compare(1000, 7)
	proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
	fmt.Println("responses:", p.Size(), "features:", p.NumFeatures())
	fmt.Printf("pair accuracy: gold %.3f, proxy %.3f\n", p.Accuracy(p.Gold()), p.Accuracy(proxy.Scores()))
	pt := p.Evaluate(p.BaseDist(), proxy)
	fmt.Printf("π_base: KL %.1f, gold gain %.1f\n", pt.KL, pt.Gold)
	// Output:
	// responses: 4096 features: 20
	// pair accuracy: gold 0.712, proxy 0.689
	// π_base: KL 0.0, gold gain 0.0
}
