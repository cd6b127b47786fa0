// Package latent holds latent-variable models whose exact posterior and
// log-likelihood are known, as task families for the amortized-inference
// claims: the context x is an observation, the solution y parameterizes a
// variational distribution q over the latent z, and the objective is the
// negative ELBO, in closed form (no sampling) with its exact gradient.
//
// Because log p(x) and the best member q* of the variational family are
// exact, the two gaps of Cremer, Li & Duvenaud ("Inference Suboptimality in
// Variational Autoencoders", ICML 2018) are measured against truth:
//
//	approximation gap = log p(x) − ELBO(q*)        (the family's limit)
//	amortization gap  = ELBO(q*) − ELBO(q_amortized) (the encoder's shortfall)
//
// Gaps returns both for any solution y. Two families are here: the
// linear-Gaussian model (Gaussian), with a diagonal variational family (a
// non-zero approximation gap, known in closed form) or a full-covariance one
// (gap 0); and a Gaussian mixture (Mixture) with a categorical family that
// contains the exact posterior (gap 0).
package latent

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/task"
)

// Evidence is implemented by models that know their exact log-likelihood.
type Evidence interface {
	// LogEvidence returns log p(x), the log marginal likelihood of x.
	LogEvidence(x []float64) float64
}

// Model is a latent-variable task whose objective is the negative ELBO of
// the variational distribution y stands for, with the best member of the
// variational family (task.Exact) and the exact evidence (Evidence).
type Model interface {
	task.Task
	task.Exact
	Evidence
}

var (
	_ Model              = (*Gaussian)(nil)
	_ Model              = (*Mixture)(nil)
	_ task.HessianVector = (*Gaussian)(nil)
	_ task.HessianVector = (*Mixture)(nil)
)

// Gaps returns, for the solution y of observation x, the approximation gap
// log p(x) − ELBO(q*) of m's variational family at x and the inference gap
// ELBO(q*) − ELBO(q_y) of y (Cremer et al.'s amortization gap when y comes
// from an amortized encoder; y's whole shortfall log p(x) − ELBO(q_y) is the
// sum of the two). Both are ≥ 0 up to rounding.
func Gaps(m Model, x, y []float64) (approximation, inference float64) {
	star := make([]float64, m.SolutionDim())
	fstar := m.Solve(x, star) // −ELBO(q*)
	return m.LogEvidence(x) + fstar, m.Objective(x, y, nil) - fstar
}

// checkConfig returns an error naming the first bad field of a model's
// shared configuration (owner names the config type).
func checkConfig(owner string, d, k int, sigma float64) error {
	switch {
	case d < 1:
		return fmt.Errorf("latent: %s D = %d, want ≥ 1", owner, d)
	case k < 1:
		return fmt.Errorf("latent: %s K = %d, want ≥ 1", owner, k)
	case !(sigma > 0) || math.IsInf(sigma, 0):
		return fmt.Errorf("latent: %s Sigma = %v, want a finite number > 0", owner, sigma)
	}
	return nil
}

// contextRand is the PCG stream of context i of split from seed: the pair
// (seed, a bijective mix of i and split), so no two (split, i) share one.
func contextRand(split task.Split, seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, mix(uint64(i)<<2|uint64(split)&3)))
}

// mix is SplitMix64's finalizer, a bijection of uint64.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// logSumExp returns log Σ exp(a_i), without overflow.
func logSumExp(a []float64) float64 {
	top := math.Inf(-1)
	for _, v := range a {
		top = max(top, v)
	}
	if math.IsInf(top, 0) {
		return top
	}
	var s float64
	for _, v := range a {
		s += math.Exp(v - top)
	}
	return top + math.Log(s)
}

// cholesky returns the lower-triangular L with L Lᵀ = a for the symmetric
// positive-definite n×n row-major a, or false when a is not.
func cholesky(a []float64, n int) ([]float64, bool) {
	l := make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for p := range j {
				s -= l[i*n+p] * l[j*n+p]
			}
			if i == j {
				if !(s > 0) {
					return nil, false
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	return l, true
}

// cholSolve overwrites b with a⁻¹ b, for a = L Lᵀ (n×n, L from cholesky).
func cholSolve(l []float64, n int, b []float64) {
	for i := range n {
		s := b[i]
		for p := range i {
			s -= l[i*n+p] * b[p]
		}
		b[i] = s / l[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for p := i + 1; p < n; p++ {
			s -= l[p*n+i] * b[p]
		}
		b[i] = s / l[i*n+i]
	}
}
