package klpg_test

import (
	"context"
	"fmt"

	"argmax/amortized/klpg"
	"argmax/task/prefs"
)

// Training against a proxy with a KL penalty reaches the closed-form
// optimum J(π*) of the tabular family.
func Example() {
	p, _ := prefs.New(prefs.Config{V: 3, L: 3, Seed: 2})
	comps, _ := p.Compare(300, 11)
	proxy, _ := p.FitProxy(comps, prefs.ProxyConfig{})
	q, _ := klpg.Train(context.Background(), p, proxy, klpg.Config{Beta: 0.3, Steps: 1500, Seed: 4})
	_, jStar, _ := klpg.Optimal(p, proxy, 0.3)
	last := q.Curve()[len(q.Curve())-1]
	fmt.Printf("J(π) %.4f, J(π*) %.4f, d %.2f\n", last.J, jStar, last.D)
	fmt.Println("training samples:", q.TrainingCost().Samples)
	// Output:
	// J(π) 1.0374, J(π*) 1.0374, d 1.02
	// training samples: 96000
}
