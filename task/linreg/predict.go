package linreg

import (
	"fmt"
	"math"
)

// LeastSquares returns the least-squares weights of p's pairs, the
// solution of the normal equations XᵀXŵ = Xᵀy, or the minimum-norm
// solution Xᵀ(XXᵀ)⁻¹y when XᵀX is singular (fewer examples than
// dimensions).
func LeastSquares(p *Prompt) []float64 { return Ridge(p, 0) }

// Ridge returns (XᵀX + λI)⁻¹Xᵀy for λ ≥ 0 (LeastSquares at λ = 0). With
// λ = σ² it is the posterior mean of w ~ N(0, I) given p's pairs: the
// Bayes-optimal estimate for fresh w.
func Ridge(p *Prompt, lambda float64) []float64 {
	d, n := p.D, p.N
	a := make([]float64, d*d)
	b := make([]float64, d)
	for k := 0; k < n; k++ {
		xk := p.X[k*d : (k+1)*d]
		for i, xi := range xk {
			axpy(a[i*d:(i+1)*d], xi, xk)
		}
		axpy(b, p.Y[k], xk)
	}
	for i := 0; i < d; i++ {
		a[i*d+i] += lambda
	}
	if cholSolve(a, b, d) {
		return b
	}
	// XᵀX + λI is singular, so λ = 0 and n < d (or the inputs are
	// degenerate): the minimum-norm solution w = Xᵀ(XXᵀ)⁻¹y.
	g := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g[i*n+j] = dot(p.X[i*d:(i+1)*d], p.X[j*d:(j+1)*d])
		}
	}
	alpha := append([]float64(nil), p.Y...)
	if !cholSolve(g, alpha, n) {
		// Degenerate inputs: regularize by a trace-relative jitter.
		var tr float64
		for i := 0; i < n; i++ {
			tr += g[i*n+i]
		}
		for i := 0; i < n; i++ {
			g[i*n+i] += 1e-12*tr + 1e-300
		}
		copy(alpha, p.Y)
		cholSolve(g, alpha, n)
	}
	w := make([]float64, d)
	for k := 0; k < n; k++ {
		axpy(w, alpha[k], p.X[k*d:(k+1)*d])
	}
	return w
}

// cholSolve overwrites b with a⁻¹b for a symmetric positive definite k×k
// matrix a (overwritten by its Cholesky factor); it returns false when a
// is not numerically positive definite.
func cholSolve(a, b []float64, k int) bool {
	var diag float64
	for i := 0; i < k; i++ {
		diag = max(diag, a[i*k+i])
	}
	tol := 1e-12 * diag
	for j := 0; j < k; j++ {
		s := a[j*k+j]
		for c := 0; c < j; c++ {
			s -= a[j*k+c] * a[j*k+c]
		}
		if !(s > tol) {
			return false
		}
		s = math.Sqrt(s)
		a[j*k+j] = s
		for i := j + 1; i < k; i++ {
			v := a[i*k+j]
			for c := 0; c < j; c++ {
				v -= a[i*k+c] * a[j*k+c]
			}
			a[i*k+j] = v / s
		}
	}
	for i := 0; i < k; i++ {
		v := b[i]
		for c := 0; c < i; c++ {
			v -= a[i*k+c] * b[c]
		}
		b[i] = v / a[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := b[i]
		for c := i + 1; c < k; c++ {
			v -= a[c*k+i] * b[c]
		}
		b[i] = v / a[i*k+i]
	}
	return true
}

// GD returns the weights after k steps of gradient descent with step eta
// on the prompt's loss ½·mean_i (wᵀx_i − y_i)², from w = 0:
// w ← w − η·(1/n)Σ_i (wᵀx_i − y_i)x_i. One step gives (η/n)Xᵀy.
func GD(p *Prompt, k int, eta float64) []float64 {
	d, n := p.D, p.N
	w := make([]float64, d)
	g := make([]float64, d)
	for range k {
		clear(g)
		for i := 0; i < n; i++ {
			xi := p.X[i*d : (i+1)*d]
			axpy(g, dot(w, xi)-p.Y[i], xi)
		}
		axpy(w, -eta/float64(n), g)
	}
	return w
}

// GDQueryLoss returns the mean over ps of (ŷ − y_q)², the query loss
// against the noisy targets, of k GD steps with step eta.
func GDQueryLoss(ps []Prompt, k int, eta float64) float64 {
	var s float64
	for i := range ps {
		r := ps[i].Predict(GD(&ps[i], k, eta)) - ps[i].Yq
		s += r * r
	}
	return s / float64(len(ps))
}

// TuneGD returns the step size η of k GD steps that minimizes the query
// loss GDQueryLoss over the sample ps (the "tuned η" of the reference
// predictors). For k = 1 the prediction is linear in η and the minimizer
// is exact: η = Σ a_i y_i / Σ a_i² with a_i the one-step prediction at
// η = 1. For k > 1 it scans η over (0, 2] on a grid of 200 points and
// refines the best by golden-section search within its neighbours.
func TuneGD(ps []Prompt, k int) (float64, error) {
	if len(ps) == 0 {
		return 0, fmt.Errorf("linreg: TuneGD: no prompts")
	}
	if k < 1 {
		return 0, fmt.Errorf("linreg: TuneGD: k = %d steps: want ≥ 1", k)
	}
	if k == 1 {
		var num, den float64
		for i := range ps {
			a := ps[i].Predict(GD(&ps[i], 1, 1))
			num += a * ps[i].Yq
			den += a * a
		}
		if den == 0 {
			return 0, nil
		}
		return num / den, nil
	}
	const grid, hi = 200, 2.0
	loss := func(eta float64) float64 {
		l := GDQueryLoss(ps, k, eta)
		if math.IsNaN(l) {
			return math.Inf(1)
		}
		return l
	}
	best, bestL := 0.0, loss(0)
	for g := 1; g <= grid; g++ {
		eta := hi * float64(g) / grid
		if l := loss(eta); l < bestL {
			best, bestL = eta, l
		}
	}
	lo, up := max(best-hi/grid, 0), best+hi/grid
	const phi = 0.6180339887498949
	a, b := up-phi*(up-lo), lo+phi*(up-lo)
	la, lb := loss(a), loss(b)
	for range 60 {
		if la < lb {
			up, b, lb = b, a, la
			a = up - phi*(up-lo)
			la = loss(a)
		} else {
			lo, a, la = a, b, lb
			b = lo + phi*(up-lo)
			lb = loss(b)
		}
	}
	if mid := (lo + up) / 2; loss(mid) < bestL {
		return mid, nil
	}
	return best, nil
}

// DMMSE returns the posterior mean of w over the finite pool given p's
// pairs, for a uniform prior on the pool and noise σ: Σ_m π_m w_m with
// π_m ∝ exp(−‖y − Xw_m‖²/(2σ²)). It is the Bayes-optimal estimate when
// w is drawn from the pool (the Train split with Tasks = len(pool)). At
// σ = 0 the posterior is uniform over the pool vectors of least residual.
func DMMSE(p *Prompt, pool [][]float64, sigma float64) []float64 {
	d, n := p.D, p.N
	res := make([]float64, len(pool))
	least := math.Inf(1)
	for m, w := range pool {
		var s float64
		for k := 0; k < n; k++ {
			r := p.Y[k] - dot(w, p.X[k*d:(k+1)*d])
			s += r * r
		}
		res[m] = s
		least = min(least, s)
	}
	out := make([]float64, d)
	var z float64
	for m, w := range pool {
		var lw float64
		if sigma > 0 {
			lw = math.Exp(-(res[m] - least) / (2 * sigma * sigma))
		} else if res[m] == least {
			lw = 1
		}
		z += lw
		axpy(out, lw, w)
	}
	for j := range out {
		out[j] /= z
	}
	return out
}
