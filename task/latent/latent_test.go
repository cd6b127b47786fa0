package latent

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/task"
)

var splits = []task.Split{task.Train, task.HeldOut, task.Shifted}

var gaussianConfigs = []GaussianConfig{
	{D: 1, K: 1, Sigma: 0.5, Seed: 1},
	{D: 5, K: 2, Sigma: 0.3, Seed: 2},
	{D: 8, K: 3, Sigma: 1, Seed: 3, Family: FullCovariance},
	{D: 3, K: 4, Sigma: 2, Seed: 4},
	{D: 3, K: 4, Sigma: 2, Seed: 4, Family: FullCovariance},
	{D: 10, K: 1, Sigma: 0.1, Seed: 5, Family: FullCovariance},
}

var mixtureConfigs = []MixtureConfig{
	{D: 1, K: 1, Sigma: 1, Seed: 1},
	{D: 2, K: 3, Sigma: 0.7, Seed: 2},
	{D: 5, K: 8, Sigma: 0.4, Seed: 3},
	{D: 3, K: 5, Sigma: 3, Seed: 4},
}

func mustGaussian(t testing.TB, cfg GaussianConfig) *Gaussian {
	t.Helper()
	g, err := NewGaussian(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func mustMixture(t testing.TB, cfg MixtureConfig) *Mixture {
	t.Helper()
	m, err := NewMixture(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// models are every configured model, by name.
func models(t testing.TB) []Model {
	var out []Model
	for _, c := range gaussianConfigs {
		out = append(out, mustGaussian(t, c))
	}
	for _, c := range mixtureConfigs {
		out = append(out, mustMixture(t, c))
	}
	return out
}

func randVec(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * r.NormFloat64()
	}
	return v
}

func TestConstructorsRejectBadConfig(t *testing.T) {
	okG := GaussianConfig{D: 3, K: 2, Sigma: 1}
	okM := MixtureConfig{D: 3, K: 2, Sigma: 1}
	for _, tc := range []struct {
		field string
		g     func(*GaussianConfig)
		m     func(*MixtureConfig)
	}{
		{"D", func(c *GaussianConfig) { c.D = 0 }, func(c *MixtureConfig) { c.D = -1 }},
		{"K", func(c *GaussianConfig) { c.K = 0 }, func(c *MixtureConfig) { c.K = 0 }},
		{"Sigma", func(c *GaussianConfig) { c.Sigma = 0 }, func(c *MixtureConfig) { c.Sigma = -1 }},
		{"Sigma", func(c *GaussianConfig) { c.Sigma = math.NaN() }, func(c *MixtureConfig) { c.Sigma = math.NaN() }},
		{"Sigma", func(c *GaussianConfig) { c.Sigma = math.Inf(1) }, func(c *MixtureConfig) { c.Sigma = math.Inf(1) }},
		{"Family", func(c *GaussianConfig) { c.Family = 2 }, nil},
	} {
		g := okG
		tc.g(&g)
		if _, err := NewGaussian(g); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("NewGaussian(%+v) error = %v, want one naming %s", g, err, tc.field)
		}
		if tc.m == nil {
			continue
		}
		m := okM
		tc.m(&m)
		if _, err := NewMixture(m); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("NewMixture(%+v) error = %v, want one naming %s", m, err, tc.field)
		}
	}
	if _, err := NewGaussian(okG); err != nil {
		t.Error(err)
	}
	if _, err := NewMixture(okM); err != nil {
		t.Error(err)
	}
}

// TestGradientFiniteDifferences checks every model's gradient against
// central differences of its objective at random (x, y), and its exact
// Hessian-vector product against central differences of the gradient.
func TestGradientFiniteDifferences(t *testing.T) {
	for _, m := range models(t) {
		t.Run(m.Name(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, 8))
			n := m.SolutionDim()
			x := make([]float64, m.ContextDim())
			g, gp, gm, hv := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for trial := range 10 {
				m.Context(splits[trial%3], 1, trial, x)
				y := randVec(r, n, 0.7)
				f := m.Objective(x, y, g)
				const h = 1e-6
				yp := make([]float64, n)
				for i := range n {
					copy(yp, y)
					yp[i] += h
					fp := m.Objective(x, yp, nil)
					yp[i] -= 2 * h
					fm := m.Objective(x, yp, nil)
					fd := (fp - fm) / (2 * h)
					if err := math.Abs(fd - g[i]); err > 1e-6*(1+math.Abs(g[i])+math.Abs(f)) {
						t.Errorf("trial %d: ∂f/∂y[%d] = %.10g, central difference %.10g", trial, i, g[i], fd)
					}
				}
				v := randVec(r, n, 1)
				m.(task.HessianVector).HessVec(x, y, v, hv)
				for i := range n {
					yp[i] = y[i] + h*v[i]
				}
				m.Objective(x, yp, gp)
				for i := range n {
					yp[i] = y[i] - h*v[i]
				}
				m.Objective(x, yp, gm)
				for i := range n {
					fd := (gp[i] - gm[i]) / (2 * h)
					if err := math.Abs(fd - hv[i]); err > 1e-5*(1+math.Abs(hv[i])) {
						t.Errorf("trial %d: (Hv)[%d] = %.10g, difference of gradients %.10g", trial, i, hv[i], fd)
					}
				}
			}
		})
	}
}

// TestOptimumIsStationaryAndUnbeaten checks Solve: its value is f(y*), the
// gradient vanishes there, no perturbation of any size lowers f, and the
// gaps are what the family implies.
func TestOptimumIsStationaryAndUnbeaten(t *testing.T) {
	for _, m := range models(t) {
		t.Run(m.Name(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(9, 10))
			n := m.SolutionDim()
			x := make([]float64, m.ContextDim())
			star, g := make([]float64, n), make([]float64, n)
			for _, split := range splits {
				for i := range 5 {
					m.Context(split, 2, i, x)
					fstar := m.Solve(x, star)
					if f := m.Objective(x, star, g); f != fstar {
						t.Errorf("Solve = %v, f(y*) = %v", fstar, f)
					}
					var gn float64
					for _, v := range g {
						gn = max(gn, math.Abs(v))
					}
					if gn > 1e-9 {
						t.Errorf("%v %d: |∇f(y*)|∞ = %v, want ≈ 0", split, i, gn)
					}
					for j := range 500 {
						dy := randVec(r, n, math.Pow(10, -4+4*float64(j)/500))
						for p := range dy {
							dy[p] += star[p]
						}
						if f := m.Objective(x, dy, nil); f < fstar-1e-12*(1+math.Abs(fstar)) {
							t.Fatalf("%v %d: perturbation has f = %.15g < f* = %.15g", split, i, f, fstar)
						}
					}
					approx, inf := Gaps(m, x, star)
					if inf != 0 {
						t.Errorf("inference gap of y* = %v, want 0", inf)
					}
					want := 0.0
					if gm, ok := m.(*Gaussian); ok && gm.cfg.Family == Diagonal {
						want = diagonalGap(gm)
					}
					if math.Abs(approx-want) > 1e-9*(1+math.Abs(fstar)) {
						t.Errorf("%v %d: approximation gap %.12g, want %.12g", split, i, approx, want)
					}
					m.Init(x, star)
					if a2, inf := Gaps(m, x, star); inf < 0 || a2 != approx {
						t.Errorf("gaps of Init = %v, %v; want the same approximation gap and ≥ 0", a2, inf)
					}
				}
			}
		})
	}
}

// diagonalGap is KL(q* ‖ posterior) for the best diagonal Gaussian,
// ½(Σ log Λ_ii − log|Λ|), with |Λ| by Gaussian elimination (not Cholesky).
func diagonalGap(g *Gaussian) float64 {
	k := g.cfg.K
	a := append([]float64(nil), g.lam...)
	var logdet, sumLog float64
	for i := range k {
		sumLog += math.Log(g.lam[i*k+i])
	}
	for c := range k {
		logdet += math.Log(a[c*k+c])
		for r := c + 1; r < k; r++ {
			f := a[r*k+c] / a[c*k+c]
			for j := c; j < k; j++ {
				a[r*k+j] -= f * a[c*k+j]
			}
		}
	}
	return (sumLog - logdet) / 2
}

// TestGaussianPosteriorByConditioning checks μ(x) and Σ (Bayes' rule by
// completing the square in z, k×k) against conditioning the joint Gaussian
// of (z, x) on x: μ = Wᵀ C⁻¹ (x − b), Σ = I − Wᵀ C⁻¹ W with C = W Wᵀ + σ² I
// (d×d); and log p(x) against log N(x; b, C) evaluated directly.
func TestGaussianPosteriorByConditioning(t *testing.T) {
	for _, cfg := range gaussianConfigs {
		g := mustGaussian(t, cfg)
		d, k := cfg.D, cfg.K
		c := make([]float64, d*d)
		for p := range d {
			for q := range d {
				var s float64
				for j := range k {
					s += g.w[p*k+j] * g.w[q*k+j]
				}
				c[p*d+q] = s
			}
			c[p*d+p] += cfg.Sigma * cfg.Sigma
		}
		lc, ok := cholesky(c, d)
		if !ok {
			t.Fatal("C not positive definite")
		}
		var logdetC float64
		for p := range d {
			logdetC += 2 * math.Log(lc[p*d+p])
		}
		// Σ = I − Wᵀ C⁻¹ W, column by column.
		cov := g.PosteriorCov()
		col := make([]float64, d)
		for j := range k {
			for p := range d {
				col[p] = g.w[p*k+j]
			}
			cholSolve(lc, d, col)
			for i := range k {
				var s float64
				for p := range d {
					s += g.w[p*k+i] * col[p]
				}
				want := -s
				if i == j {
					want++
				}
				if math.Abs(cov[i*k+j]-want) > 1e-10 {
					t.Errorf("%s: Σ[%d,%d] = %.12g, conditioning gives %.12g", g.Name(), i, j, cov[i*k+j], want)
				}
			}
		}
		x, mu := make([]float64, d), make([]float64, k)
		for _, split := range splits {
			for n := range 5 {
				g.Context(split, 3, n, x)
				g.PosteriorMean(x, mu)
				r := make([]float64, d)
				for p := range d {
					r[p] = x[p] - g.b[p]
				}
				cr := append([]float64(nil), r...)
				cholSolve(lc, d, cr)
				var quad float64
				for p := range d {
					quad += r[p] * cr[p]
				}
				for j := range k {
					var want float64
					for p := range d {
						want += g.w[p*k+j] * cr[p]
					}
					if math.Abs(mu[j]-want) > 1e-9*(1+math.Abs(want)) {
						t.Errorf("%s: μ[%d] = %.12g, conditioning gives %.12g", g.Name(), j, mu[j], want)
					}
				}
				want := -(float64(d)*math.Log(2*math.Pi) + logdetC + quad) / 2
				if got := g.LogEvidence(x); math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
					t.Errorf("%s: log p(x) = %.12g, log N(x; b, C) = %.12g", g.Name(), got, want)
				}
			}
		}
	}
}

// TestGaussianK1ByIntegration checks, for k = 1, log p(x), the posterior
// mean and the posterior variance against Simpson's rule for ∫ p(z) p(x|z)
// dz over ±14 prior-or-posterior standard deviations.
func TestGaussianK1ByIntegration(t *testing.T) {
	for _, cfg := range []GaussianConfig{
		{D: 1, K: 1, Sigma: 0.5, Seed: 1},
		{D: 4, K: 1, Sigma: 1.5, Seed: 6},
		{D: 10, K: 1, Sigma: 0.1, Seed: 5, Family: FullCovariance},
	} {
		g := mustGaussian(t, cfg)
		d, s2 := cfg.D, cfg.Sigma*cfg.Sigma
		x := make([]float64, d)
		mu := make([]float64, 1)
		for _, split := range splits {
			for n := range 3 {
				g.Context(split, 4, n, x)
				g.PosteriorMean(x, mu)
				sd := math.Sqrt(g.PosteriorCov()[0])
				logJoint := func(z float64) float64 {
					l := -z*z/2 - math.Log(2*math.Pi)/2 - float64(d)/2*math.Log(2*math.Pi*s2)
					for p := range d {
						v := x[p] - g.w[p]*z - g.b[p]
						l -= v * v / (2 * s2)
					}
					return l
				}
				// Integrate exp(logJoint − ref) for stability, around the mode.
				ref := logJoint(mu[0])
				lo, hi, steps := mu[0]-14*sd, mu[0]+14*sd, 20000
				h := (hi - lo) / float64(steps)
				var z0, z1, z2 float64
				for s := 0; s <= steps; s++ {
					z := lo + float64(s)*h
					wgt := 2.0
					switch {
					case s == 0 || s == steps:
						wgt = 1
					case s%2 == 1:
						wgt = 4
					}
					p := wgt * math.Exp(logJoint(z)-ref)
					z0 += p
					z1 += p * z
					z2 += p * z * z
				}
				logZ := ref + math.Log(z0*h/3)
				mean := z1 / z0
				variance := z2/z0 - mean*mean
				if got := g.LogEvidence(x); math.Abs(got-logZ) > 1e-9*(1+math.Abs(logZ)) {
					t.Errorf("%s: log p(x) = %.12g, integration %.12g", g.Name(), got, logZ)
				}
				if math.Abs(mu[0]-mean) > 1e-9*(1+math.Abs(mean)) {
					t.Errorf("%s: μ = %.12g, integration %.12g", g.Name(), mu[0], mean)
				}
				if math.Abs(sd*sd-variance) > 1e-9*sd*sd {
					t.Errorf("%s: Σ = %.12g, integration %.12g", g.Name(), sd*sd, variance)
				}
			}
		}
	}
}

// TestELBOAtExactPosterior checks that the negative ELBO at the exact
// posterior (the full-covariance optimum) is −log p(x) to 1e-9, and that
// the diagonal optimum's equals −log p(x) + ½(Σ log Λ_ii − log|Λ|).
func TestELBOAtExactPosterior(t *testing.T) {
	for _, cfg := range gaussianConfigs {
		g := mustGaussian(t, cfg)
		x, star := make([]float64, cfg.D), make([]float64, g.SolutionDim())
		for _, split := range splits {
			for n := range 5 {
				g.Context(split, 5, n, x)
				want := -g.LogEvidence(x)
				if cfg.Family == Diagonal {
					want += diagonalGap(g)
				}
				if got := g.Solve(x, star); math.Abs(got-want) > 1e-9 {
					t.Errorf("%s: −ELBO(q*) = %.12g, want %.12g", g.Name(), got, want)
				}
				if cfg.Family == FullCovariance { // S = L Lᵀ is the posterior covariance
					l, cov, k := g.factor(star), g.PosteriorCov(), cfg.K
					for i := range k {
						for j := range k {
							var s float64
							for p := range k {
								s += l[i*k+p] * l[j*k+p]
							}
							if math.Abs(s-cov[i*k+j]) > 1e-12 {
								t.Errorf("%s: (L Lᵀ)[%d,%d] = %v, Σ = %v", g.Name(), i, j, s, cov[i*k+j])
							}
						}
					}
				}
			}
		}
	}
	// A correlated posterior makes the diagonal family strictly worse.
	g := mustGaussian(t, GaussianConfig{D: 5, K: 2, Sigma: 0.3, Seed: 2})
	if gap := diagonalGap(g); !(gap > 1e-3) {
		t.Errorf("diagonal approximation gap = %v, want clearly > 0", gap)
	}
}

// TestMixtureExactPosterior checks the mixture's evidence against the
// direct sum Σ_z π_z N(x; μ_z, σ² I) and that the ELBO at the exact
// posterior equals log p(x).
func TestMixtureExactPosterior(t *testing.T) {
	for _, cfg := range mixtureConfigs {
		m := mustMixture(t, cfg)
		d, k, s2 := cfg.D, cfg.K, cfg.Sigma*cfg.Sigma
		x, star, post := make([]float64, d), make([]float64, k), make([]float64, k)
		for _, split := range splits {
			for n := range 10 {
				m.Context(split, 6, n, x)
				var px float64
				for z := range k {
					var q float64
					for p := range d {
						v := x[p] - m.mu[z*d+p]
						q += v * v
					}
					px += math.Exp(m.logPi[z]) * math.Exp(-q/(2*s2)) / math.Pow(2*math.Pi*s2, float64(d)/2)
				}
				logpx := m.LogEvidence(x)
				if math.Abs(logpx-math.Log(px)) > 1e-10*(1+math.Abs(logpx)) {
					t.Errorf("%s: log p(x) = %.14g, direct sum %.14g", m.Name(), logpx, math.Log(px))
				}
				if f := m.Solve(x, star); math.Abs(f+logpx) > 1e-12*(1+math.Abs(logpx)) {
					t.Errorf("%s: −ELBO(posterior) = %.15g, want −log p(x) = %.15g", m.Name(), f, -logpx)
				}
				m.Posterior(x, post)
				var sum float64
				for z := range k {
					sum += post[z]
					var q float64
					for p := range d {
						v := x[p] - m.mu[z*d+p]
						q += v * v
					}
					want := math.Exp(m.logPi[z]) * math.Exp(-q/(2*s2)) / math.Pow(2*math.Pi*s2, float64(d)/2) / px
					if math.Abs(post[z]-want) > 1e-10 {
						t.Errorf("%s: p(z=%d|x) = %v, Bayes gives %v", m.Name(), z, post[z], want)
					}
				}
				if math.Abs(sum-1) > 1e-14 {
					t.Errorf("posterior sums to %v", sum)
				}
			}
		}
	}
}

// TestContexts checks determinism, disjoint splits, bit-identical models
// from one seed, and the splits' distributions: the mean of ‖x − b‖² is
// tr(W Wᵀ) s² + dσ² with s = 1 (Train, HeldOut) or 2 (Shifted) for the
// Gaussian, and the mean of x is Σ π_z μ_z (+ δ on Shifted) for the mixture.
func TestContexts(t *testing.T) {
	for _, m := range models(t) {
		t.Run(m.Name(), func(t *testing.T) {
			get := func(split task.Split, seed uint64, i int) []float64 {
				x := make([]float64, m.ContextDim())
				m.Context(split, seed, i, x)
				return x
			}
			seen := map[float64]string{}
			for _, split := range splits {
				for i := range 200 {
					x := get(split, 11, i)
					if y := get(split, 11, i); y[0] != x[0] || y[len(y)-1] != x[len(x)-1] {
						t.Fatalf("%v %d: two calls differ", split, i)
					}
					if s, dup := seen[x[0]]; dup {
						t.Errorf("%v %d repeats context %s", split, i, s)
					}
					seen[x[0]] = split.String()
				}
			}
			if get(task.Train, 1, 0)[0] == get(task.Train, 2, 0)[0] {
				t.Error("seeds 1 and 2 give the same context")
			}
		})
	}
	for _, cfg := range gaussianConfigs[:4] {
		g, g2 := mustGaussian(t, cfg), mustGaussian(t, cfg)
		for i := range g.w {
			if g.w[i] != g2.w[i] {
				t.Fatal("two models from one seed differ")
			}
		}
		var wf float64
		for _, v := range g.w {
			wf += v * v
		}
		const n = 4000
		x := make([]float64, cfg.D)
		for _, split := range splits {
			s := 1.0
			if split == task.Shifted {
				s = 2
			}
			want := wf*s*s + float64(cfg.D)*cfg.Sigma*cfg.Sigma
			var mean float64
			for i := range n {
				g.Context(split, 12, i, x)
				for p := range x {
					v := x[p] - g.b[p]
					mean += v * v / n
				}
			}
			if math.Abs(mean-want) > 0.1*want {
				t.Errorf("%s %v: mean ‖x − b‖² = %.4g, want %.4g", g.Name(), split, mean, want)
			}
		}
	}
	for _, cfg := range mixtureConfigs {
		m := mustMixture(t, cfg)
		d := cfg.D
		const n = 4000
		x := make([]float64, d)
		for _, split := range splits {
			mean := make([]float64, d)
			for i := range n {
				m.Context(split, 13, i, x)
				for p := range x {
					mean[p] += x[p] / n
				}
			}
			for p := range d {
				var want, second float64
				for z := range cfg.K {
					pz := math.Exp(m.logPi[z])
					want += pz * m.mu[z*d+p]
					second += pz * m.mu[z*d+p] * m.mu[z*d+p]
				}
				sd := math.Sqrt(second - want*want + cfg.Sigma*cfg.Sigma)
				if split == task.Shifted {
					want += 2 / math.Sqrt(float64(d))
				}
				if math.Abs(mean[p]-want) > 5*sd/math.Sqrt(n) {
					t.Errorf("%s %v: mean x[%d] = %.4f, want %.4f ± %.4f", m.Name(), split, p, mean[p], want, 5*sd/math.Sqrt(n))
				}
			}
		}
	}
}
