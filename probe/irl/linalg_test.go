package irl

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The Jacobi eigen-decomposition reconstructs the matrix from its
// eigenpairs, with orthonormal eigenvectors and ascending eigenvalues, on
// known, random and degenerate symmetric matrices.
func TestSymEigen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []float64 {
		a := make([]float64, n*n)
		for i := range n {
			for j := i; j < n; j++ {
				a[i*n+j] = rng.NormFloat64()
				a[j*n+i] = a[i*n+j]
			}
		}
		return a
	}
	for _, c := range []struct {
		name string
		a    []float64
		n    int
		want []float64
	}{
		{"2×2", []float64{2, 1, 1, 2}, 2, []float64{1, 3}},
		{"diagonal", []float64{3, 0, 0, 0, -1, 0, 0, 0, 2}, 3, []float64{-1, 2, 3}},
		{"rank one (two zero eigenvalues)", []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, []float64{0, 0, 3}},
		{"random 12×12", random(12), 12, nil},
		{"zero", make([]float64, 4), 2, []float64{0, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			vals, vecs := symEigen(c.a, c.n)
			n := c.n
			for i := range vals {
				if i > 0 && vals[i] < vals[i-1] {
					t.Errorf("not ascending: %v", vals)
				}
				if c.want != nil && math.Abs(vals[i]-c.want[i]) > 1e-12 {
					t.Errorf("eigenvalue %d = %.15g, want %g", i, vals[i], c.want[i])
				}
				for j := range vals {
					want := 0.0
					if i == j {
						want = 1
					}
					if d := math.Abs(dot(vecs[i], vecs[j]) - want); d > 1e-12 {
						t.Errorf("v%d·v%d off by %g", i, j, d)
					}
				}
			}
			for r := range n {
				for k := range n {
					var s float64
					for i := range vals {
						s += vals[i] * vecs[i][r] * vecs[i][k]
					}
					if d := math.Abs(s - c.a[r*n+k]); d > 1e-11 {
						t.Errorf("reconstruction [%d][%d] off by %g", r, k, d)
					}
				}
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {1, 5}, {0.5, 3}, {0.125, 1.5}, {0.975, 4.9}} {
		if got := percentile(v, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("percentile(%g) = %g, want %g", c.q, got, c.want)
		}
	}
}
