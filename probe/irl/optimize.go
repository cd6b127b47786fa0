package irl

import "math"

// objective returns the value and gradient of a function to maximize.
type objective func(x []float64) (f float64, g []float64, err error)

// optResult is the outcome of a maximization.
type optResult struct {
	x, g         []float64
	f            float64
	iters, evals int
	converged    bool
}

// lbfgsMemory is the number of curvature pairs L-BFGS keeps.
const lbfgsMemory = 10

// firstStep bounds the first trial step of the first line search: no
// weight moves by more than this (the features are indicators or counts,
// so this is a unit of reward per arrival). Later bounds adapt: twice the
// last step when that was accepted whole, the accepted length when the
// line search had to backtrack — early iterations, when the L-BFGS
// curvature estimate is poor, otherwise overshoot and backtrack, and a
// fixed bound would slow the growth of the weights of a deterministic
// demonstrator.
const firstStep = 1.0

// maximize maximizes a concave obj from x0 by L-BFGS (the two-loop
// recursion over the last lbfgsMemory steps) with a backtracking
// line search on the Armijo condition, stopping when the gradient's
// largest component is at most gtol (converged), after maxIter
// iterations, or when no step along the search direction nor along the
// gradient increases the objective (the limit of float precision).
func maximize(obj objective, x0 []float64, gtol float64, maxIter int) (optResult, error) {
	n := len(x0)
	x := append([]float64(nil), x0...)
	f, g, err := obj(x)
	if err != nil {
		return optResult{}, err
	}
	res := optResult{evals: 1}
	var ss, ys [][]float64
	var rhos []float64
	xn := make([]float64, n)
	d := make([]float64, n)
	alpha := make([]float64, lbfgsMemory)
	bound := firstStep
	for res.iters < maxIter {
		if normInf(g) <= gtol {
			res.converged = true
			break
		}
		// Ascent direction d = H·g, H the L-BFGS inverse (negative)
		// Hessian estimate.
		copy(d, g)
		for i := len(ss) - 1; i >= 0; i-- {
			alpha[i] = rhos[i] * dot(ss[i], d)
			for k := range d {
				d[k] -= alpha[i] * ys[i][k]
			}
		}
		if m := len(ss); m > 0 {
			scale := dot(ss[m-1], ys[m-1]) / dot(ys[m-1], ys[m-1])
			for k := range d {
				d[k] *= scale
			}
		}
		for i := range ss {
			beta := rhos[i] * dot(ys[i], d)
			for k := range d {
				d[k] += (alpha[i] - beta) * ss[i][k]
			}
		}
		slope := dot(g, d)
		if !(slope > 0) {
			ss, ys, rhos = nil, nil, nil
			copy(d, g)
			slope = dot(g, d)
		}
		t := 1.0
		if len(ss) == 0 {
			t = min(1, 1/normInf(d))
		}
		capped := bound / normInf(d)
		t = min(t, capped)
		t0 := t
		accepted := false
		var fn float64
		var gn []float64
		for range 60 {
			for k := range xn {
				xn[k] = x[k] + t*d[k]
			}
			fn, gn, err = obj(xn)
			res.evals++
			if err != nil {
				return optResult{}, err
			}
			if !math.IsNaN(fn) && fn >= f+1e-4*t*slope {
				accepted = true
				break
			}
			// Backtrack: the maximum of the quadratic through f, the slope
			// and fn, kept within [0.1·t, 0.5·t].
			nt := 0.5 * t
			if !math.IsNaN(fn) && !math.IsInf(fn, 0) {
				if q := slope * t * t / (2 * (f + slope*t - fn)); q > 0 {
					nt = min(0.5*t, max(0.1*t, q))
				}
			}
			t = nt
		}
		if !accepted {
			if len(ss) > 0 { // retry along the gradient
				ss, ys, rhos = nil, nil, nil
				continue
			}
			break
		}
		s := make([]float64, n)
		y := make([]float64, n)
		for k := range s {
			s[k] = xn[k] - x[k]
			y[k] = g[k] - gn[k] // the gradient of −f
		}
		if sy := dot(s, y); sy > 1e-12*math.Sqrt(dot(s, s)*dot(y, y)) {
			if len(ss) == lbfgsMemory {
				ss, ys, rhos = ss[1:], ys[1:], rhos[1:]
			}
			ss, ys, rhos = append(ss, s), append(ys, y), append(rhos, 1/sy)
		}
		moved := t * normInf(d)
		if t == t0 {
			bound = max(bound, 2*moved)
		} else {
			bound = moved
		}
		copy(x, xn)
		f, g = fn, gn
		res.iters++
	}
	if normInf(g) <= gtol {
		res.converged = true
	}
	res.x, res.f, res.g = x, f, g
	return res, nil
}
