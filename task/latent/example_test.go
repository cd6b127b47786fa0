package latent_test

import (
	"fmt"
	"math"

	"argmax/task"
	"argmax/task/latent"
)

// The two gaps of Cremer et al. on the linear-Gaussian model with a
// diagonal variational family: the family's approximation gap (the same for
// every x) and the inference gap of the prior, the neutral guess.
func Example() {
	m, err := latent.NewGaussian(latent.GaussianConfig{D: 5, K: 2, Sigma: 0.3, Seed: 2})
	if err != nil {
		panic(err)
	}
	x := make([]float64, m.ContextDim())
	m.Context(task.HeldOut, 1, 0, x)

	star := make([]float64, m.SolutionDim())
	negELBO := m.Solve(x, star)
	prior := make([]float64, m.SolutionDim())
	m.Init(x, prior)
	approx, inference := latent.Gaps(m, x, prior)

	fmt.Println(m.Name())
	fmt.Printf("log p(x) = %.4f, ELBO(q*) = %.4f\n", m.LogEvidence(x), -negELBO)
	fmt.Printf("approximation gap %.4f, inference gap of the prior %.4f\n", approx, inference)
	// Output:
	// latent-gaussian:d=5,k=2,sigma=0.3,seed=2,family=diag
	// log p(x) = -3.6708, ELBO(q*) = -3.7241
	// approximation gap 0.0533, inference gap of the prior 112.3116
}

// The mixture's categorical family contains the posterior: its
// approximation gap is 0 and the ELBO at the posterior is log p(x).
func ExampleMixture() {
	m, err := latent.NewMixture(latent.MixtureConfig{D: 2, K: 3, Sigma: 0.7, Seed: 2})
	if err != nil {
		panic(err)
	}
	x := make([]float64, m.ContextDim())
	m.Context(task.Train, 1, 0, x)
	post := make([]float64, m.SolutionDim())
	m.Posterior(x, post)
	y := make([]float64, m.SolutionDim())
	m.Init(x, y)
	approx, inference := latent.Gaps(m, x, y)
	fmt.Printf("p(z | x) = %.3f\n", post)
	fmt.Printf("approximation gap below 1e-12: %v, inference gap of uniform q %.4f\n", math.Abs(approx) < 1e-12, inference)
	// Output:
	// p(z | x) = [0.438 0.546 0.016]
	// approximation gap below 1e-12: true, inference gap of uniform q 0.7590
}
