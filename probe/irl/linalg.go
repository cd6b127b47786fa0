package irl

import (
	"math"
	"slices"
)

// dot is Σ a[i]·b[i].
func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// normInf is max |a[i]|.
func normInf(a []float64) float64 {
	var m float64
	for _, x := range a {
		m = max(m, math.Abs(x))
	}
	return m
}

// Cosine is the cosine of the angle between a and b, a·b/(‖a‖·‖b‖): how
// alike two reward directions are, whatever their scale (0 when either
// is zero).
func Cosine(a, b []float64) float64 {
	na, nb := math.Sqrt(dot(a, a)), math.Sqrt(dot(b, b))
	if na == 0 || nb == 0 {
		return 0
	}
	return dot(a, b) / (na * nb)
}

// symEigen returns the eigenvalues of the symmetric n×n matrix a
// (row-major, not modified) in ascending order, and unit eigenvectors,
// vecs[i] that of vals[i], by cyclic Jacobi rotations until the
// off-diagonal part is negligible. Each eigenvector's largest component
// is made positive, so that the result is reproducible.
func symEigen(a []float64, n int) (vals []float64, vecs [][]float64) {
	m := slices.Clone(a)
	v := make([]float64, n*n) // eigenvectors as columns
	for i := range n {
		v[i*n+i] = 1
	}
	var total float64
	for _, x := range m {
		total += x * x
	}
	for sweep := 0; sweep < 100; sweep++ {
		var off float64
		for p := range n {
			for q := p + 1; q < n; q++ {
				off += m[p*n+q] * m[p*n+q]
			}
		}
		if off <= 1e-32*total || off == 0 {
			break
		}
		for p := range n {
			for q := p + 1; q < n; q++ {
				apq := m[p*n+q]
				if apq == 0 {
					continue
				}
				theta := (m[q*n+q] - m[p*n+p]) / (2 * apq)
				t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				if theta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := range n { // columns p, q of m·J
					mkp, mkq := m[k*n+p], m[k*n+q]
					m[k*n+p] = c*mkp - s*mkq
					m[k*n+q] = s*mkp + c*mkq
				}
				for k := range n { // rows p, q of Jᵀ·m
					mpk, mqk := m[p*n+k], m[q*n+k]
					m[p*n+k] = c*mpk - s*mqk
					m[q*n+k] = s*mpk + c*mqk
				}
				m[p*n+q], m[q*n+p] = 0, 0
				for k := range n {
					vkp, vkq := v[k*n+p], v[k*n+q]
					v[k*n+p] = c*vkp - s*vkq
					v[k*n+q] = s*vkp + c*vkq
				}
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case m[i*n+i] < m[j*n+j]:
			return -1
		case m[i*n+i] > m[j*n+j]:
			return 1
		}
		return 0
	})
	vals = make([]float64, n)
	vecs = make([][]float64, n)
	for r, i := range order {
		vals[r] = m[i*n+i]
		vec := make([]float64, n)
		big := 0
		for k := range n {
			vec[k] = v[k*n+i]
			if math.Abs(vec[k]) > math.Abs(vec[big])+1e-12 {
				big = k
			}
		}
		if vec[big] < 0 {
			for k := range vec {
				vec[k] = -vec[k]
			}
		}
		vecs[r] = vec
	}
	return vals, vecs
}
