package mcts

import (
	"math"
	"math/rand/v2"
)

// dirichlet appends a sample of the symmetric Dirichlet(alpha) distribution
// over k outcomes to dst: k Gamma(alpha, 1) variates, normalized.
func dirichlet(rng *rand.Rand, alpha float64, k int, dst []float64) []float64 {
	sum := 0.0
	for i := 0; i < k; i++ {
		g := gammaVariate(rng, alpha)
		dst = append(dst, g)
		sum += g
	}
	if sum == 0 { // every variate underflowed (tiny alpha): one-hot
		dst[len(dst)-k+rng.IntN(k)] = 1
		return dst
	}
	for i := len(dst) - k; i < len(dst); i++ {
		dst[i] /= sum
	}
	return dst
}

// gammaVariate samples Gamma(alpha, 1) by Marsaglia and Tsang's method,
// with the boost Gamma(a) = Gamma(a+1)·U^(1/a) for alpha < 1.
func gammaVariate(rng *rand.Rand, alpha float64) float64 {
	boost := 1.0
	if alpha < 1 {
		boost = math.Pow(1-rng.Float64(), 1/alpha) // 1-U avoids 0
		alpha++
	}
	d := alpha - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := 1 - rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * boost
		}
	}
}
