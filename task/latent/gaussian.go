package latent

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/task"
)

// Family is the variational family of the linear-Gaussian model.
type Family int

const (
	// Diagonal is the Gaussian with diagonal covariance; y = (mean_1..k,
	// log-std_1..k). Its best member misses the posterior's correlations:
	// the approximation gap is ½(Σ_i log Λ_ii − log|Λ|) > 0 for a
	// non-diagonal posterior precision Λ.
	Diagonal Family = iota
	// FullCovariance is the Gaussian with any covariance S = L Lᵀ; y =
	// (mean_1..k, then L's lower triangle row by row, L_i0..L_ii, with each
	// diagonal entry stored as its logarithm). It contains the posterior:
	// the approximation gap is 0.
	FullCovariance
)

func (f Family) String() string {
	switch f {
	case Diagonal:
		return "diag"
	case FullCovariance:
		return "full"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// GaussianConfig parameterizes the linear-Gaussian model.
type GaussianConfig struct {
	D      int     // observation dimension d (≥ 1)
	K      int     // latent dimension k (≥ 1)
	Sigma  float64 // observation noise σ (> 0)
	Seed   uint64  // seed of W and b
	Family Family  // variational family (Diagonal by default)
}

// Gaussian is the linear-Gaussian model z ~ N(0, I_k), x | z ~ N(W z + b,
// σ² I_d), with W's and b's entries drawn from N(0, 1) by a PCG stream of
// Seed. Its posterior is N(μ(x), Σ) with precision Λ = I + WᵀW/σ², Σ = Λ⁻¹
// and μ(x) = Σ Wᵀ(x − b)/σ², and its evidence is x ~ N(b, W Wᵀ + σ² I_d).
//
// As a task, the context is an observation x, the solution y parameterizes
// q = N(m, S) in the configured Family, and the objective is the negative
// ELBO in closed form,
//
//	−ELBO = d/2 log(2πσ²) + ‖x − b − W m‖²/(2σ²) + ½‖m‖² + ½ tr(Λ S) − ½ log|S| − k/2,
//
// which equals −log p(x) + KL(q ‖ p(z | x)). Train and HeldOut contexts are
// drawn from the model (z ~ N(0, I)); Shifted contexts from z ~ N(0, 4 I),
// latents twice as spread as the prior says. Gaussian implements Model and
// task.HessianVector, and is safe for concurrent use.
type Gaussian struct {
	cfg       GaussianConfig
	w, b      []float64 // W (d×k, row-major) and b
	lam       []float64 // posterior precision Λ (k×k)
	cov       []float64 // posterior covariance Σ (k×k)
	covChol   []float64 // lower Cholesky factor of Σ
	lamChol   []float64 // lower Cholesky factor of Λ
	logdetLam float64
}

// NewGaussian returns the model for cfg, or an error naming the first bad
// field.
func NewGaussian(cfg GaussianConfig) (*Gaussian, error) {
	if err := checkConfig("GaussianConfig", cfg.D, cfg.K, cfg.Sigma); err != nil {
		return nil, err
	}
	if cfg.Family != Diagonal && cfg.Family != FullCovariance {
		return nil, fmt.Errorf("latent: GaussianConfig Family = %d, want Diagonal or FullCovariance", int(cfg.Family))
	}
	d, k := cfg.D, cfg.K
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6a0551a9))
	g := &Gaussian{cfg: cfg, w: make([]float64, d*k), b: make([]float64, d)}
	for i := range g.w {
		g.w[i] = r.NormFloat64()
	}
	for i := range g.b {
		g.b[i] = r.NormFloat64()
	}
	s2 := cfg.Sigma * cfg.Sigma
	g.lam = make([]float64, k*k)
	for i := range k {
		for j := range k {
			var s float64
			for p := range d {
				s += g.w[p*k+i] * g.w[p*k+j]
			}
			g.lam[i*k+j] = s / s2
		}
		g.lam[i*k+i]++
	}
	var ok bool
	if g.lamChol, ok = cholesky(g.lam, k); !ok {
		return nil, fmt.Errorf("latent: GaussianConfig Sigma = %v: posterior precision is not positive definite in floating point", cfg.Sigma)
	}
	for i := range k {
		g.logdetLam += 2 * math.Log(g.lamChol[i*k+i])
	}
	g.cov = make([]float64, k*k)
	col := make([]float64, k)
	for j := range k {
		clear(col)
		col[j] = 1
		cholSolve(g.lamChol, k, col)
		for i := range k {
			g.cov[i*k+j] = col[i]
		}
	}
	for i := range k { // symmetrize the rounding
		for j := range i {
			v := (g.cov[i*k+j] + g.cov[j*k+i]) / 2
			g.cov[i*k+j], g.cov[j*k+i] = v, v
		}
	}
	if g.covChol, ok = cholesky(g.cov, k); !ok {
		return nil, fmt.Errorf("latent: GaussianConfig Sigma = %v: posterior covariance is not positive definite in floating point", cfg.Sigma)
	}
	return g, nil
}

// Config returns the model's configuration.
func (g *Gaussian) Config() GaussianConfig { return g.cfg }

// Name is "latent-gaussian:d=<d>,k=<k>,sigma=<σ>,seed=<seed>,family=<diag|full>".
func (g *Gaussian) Name() string {
	return fmt.Sprintf("latent-gaussian:d=%d,k=%d,sigma=%g,seed=%d,family=%v", g.cfg.D, g.cfg.K, g.cfg.Sigma, g.cfg.Seed, g.cfg.Family)
}

// ContextDim is d.
func (g *Gaussian) ContextDim() int { return g.cfg.D }

// SolutionDim is 2k for Diagonal and k + k(k+1)/2 for FullCovariance.
func (g *Gaussian) SolutionDim() int {
	k := g.cfg.K
	if g.cfg.Family == FullCovariance {
		return k + k*(k+1)/2
	}
	return 2 * k
}

// Context writes the i-th observation of split into dst: x = W z + b + σ ε
// with ε ~ N(0, I_d) and z ~ N(0, I_k) (Train, HeldOut) or N(0, 4 I_k)
// (Shifted).
func (g *Gaussian) Context(split task.Split, seed uint64, i int, dst []float64) {
	r := contextRand(split, seed, i)
	d, k := g.cfg.D, g.cfg.K
	scale := 1.0
	if split == task.Shifted {
		scale = 2
	}
	z := make([]float64, k)
	for j := range z {
		z[j] = scale * r.NormFloat64()
	}
	for p := range d {
		s := g.b[p]
		for j := range k {
			s += g.w[p*k+j] * z[j]
		}
		dst[p] = s + g.cfg.Sigma*r.NormFloat64()
	}
}

// Init writes zeros: q = N(0, I), the prior, in either family.
func (g *Gaussian) Init(_, dst []float64) { clear(dst[:g.SolutionDim()]) }

// Objective returns the negative ELBO of the q that y stands for (see
// Gaussian) and, when grad is not nil, its gradient: Λ m − Wᵀ(x − b)/σ² =
// Λ(m − μ(x)) for the mean; Λ_ii e^{2 s_i} − 1 for a log-std s_i; for the
// Cholesky factor, (Λ L)_ij off the diagonal and (Λ L)_ii L_ii − 1 for a
// log-diagonal entry.
func (g *Gaussian) Objective(x, y, grad []float64) float64 {
	d, k, s2 := g.cfg.D, g.cfg.K, g.cfg.Sigma*g.cfg.Sigma
	m := y[:k]
	resid := make([]float64, d)
	var quad float64
	for p := range d {
		v := x[p] - g.b[p]
		for j := range k {
			v -= g.w[p*k+j] * m[j]
		}
		resid[p] = v
		quad += v * v
	}
	var mm float64
	for _, v := range m {
		mm += v * v
	}
	f := float64(d)/2*math.Log(2*math.Pi*s2) + quad/(2*s2) + mm/2 - float64(k)/2
	if grad != nil {
		for j := range k {
			var s float64
			for p := range d {
				s += g.w[p*k+j] * resid[p]
			}
			grad[j] = m[j] - s/s2
		}
	}
	if g.cfg.Family == Diagonal {
		var tr, logdet float64
		for i, s := range y[k : 2*k] {
			v := math.Exp(2 * s)
			tr += g.lam[i*k+i] * v
			logdet += 2 * s
			if grad != nil {
				grad[k+i] = g.lam[i*k+i]*v - 1
			}
		}
		return f + tr/2 - logdet/2
	}
	l := g.factor(y)
	ll := g.lamTimes(l)
	var tr, logdet float64
	for i := range k {
		for j := 0; j <= i; j++ {
			tr += ll[i*k+j] * l[i*k+j]
		}
		logdet += 2 * math.Log(l[i*k+i])
	}
	if grad != nil {
		at := k
		for i := range k {
			for j := 0; j < i; j++ {
				grad[at] = ll[i*k+j]
				at++
			}
			grad[at] = ll[i*k+i]*l[i*k+i] - 1
			at++
		}
	}
	return f + tr/2 - logdet/2
}

// factor returns the lower-triangular L (k×k) that the full-covariance y
// holds.
func (g *Gaussian) factor(y []float64) []float64 {
	k := g.cfg.K
	l := make([]float64, k*k)
	at := k
	for i := range k {
		for j := 0; j < i; j++ {
			l[i*k+j] = y[at]
			at++
		}
		l[i*k+i] = math.Exp(y[at])
		at++
	}
	return l
}

// lamTimes returns Λ a for a k×k a.
func (g *Gaussian) lamTimes(a []float64) []float64 {
	k := g.cfg.K
	out := make([]float64, k*k)
	for i := range k {
		for p := range k {
			if c := g.lam[i*k+p]; c != 0 {
				for j := range k {
					out[i*k+j] += c * a[p*k+j]
				}
			}
		}
	}
	return out
}

// HessVec writes the exact Hessian of the objective at y times v into dst:
// Λ v_m for the mean block (the mean and covariance blocks do not
// interact), 2 Λ_ii e^{2 s_i} v_i for the log-stds, and for the Cholesky
// block the derivative of its gradient along v.
func (g *Gaussian) HessVec(_, y, v, dst []float64) {
	k := g.cfg.K
	for i := range k {
		var s float64
		for j := range k {
			s += g.lam[i*k+j] * v[j]
		}
		dst[i] = s
	}
	if g.cfg.Family == Diagonal {
		for i := range k {
			dst[k+i] = 2 * g.lam[i*k+i] * math.Exp(2*y[k+i]) * v[k+i]
		}
		return
	}
	l := g.factor(y)
	ll := g.lamTimes(l)
	dl := make([]float64, k*k) // the change of L along v
	at := k
	for i := range k {
		for j := 0; j < i; j++ {
			dl[i*k+j] = v[at]
			at++
		}
		dl[i*k+i] = l[i*k+i] * v[at]
		at++
	}
	ldl := g.lamTimes(dl)
	at = k
	for i := range k {
		for j := 0; j < i; j++ {
			dst[at] = ldl[i*k+j]
			at++
		}
		dst[at] = ldl[i*k+i]*l[i*k+i] + ll[i*k+i]*l[i*k+i]*v[at]
		at++
	}
}

// Solve writes the best member q* of the family for x into dst and returns
// its objective −ELBO(q*). Both families have it in closed form: the mean
// is μ(x); Diagonal's variances are 1/Λ_ii (log-std −½ log Λ_ii);
// FullCovariance's factor is the Cholesky factor of Σ, where −ELBO(q*) =
// −log p(x).
func (g *Gaussian) Solve(x, dst []float64) float64 {
	k := g.cfg.K
	g.PosteriorMean(x, dst[:k])
	if g.cfg.Family == Diagonal {
		for i := range k {
			dst[k+i] = -math.Log(g.lam[i*k+i]) / 2
		}
	} else {
		at := k
		for i := range k {
			for j := 0; j < i; j++ {
				dst[at] = g.covChol[i*k+j]
				at++
			}
			dst[at] = math.Log(g.covChol[i*k+i])
			at++
		}
	}
	return g.Objective(x, dst, nil)
}

// PosteriorMean writes μ(x) = Σ Wᵀ(x − b)/σ² into dst (len k).
func (g *Gaussian) PosteriorMean(x, dst []float64) {
	d, k, s2 := g.cfg.D, g.cfg.K, g.cfg.Sigma*g.cfg.Sigma
	for j := range k {
		var s float64
		for p := range d {
			s += g.w[p*k+j] * (x[p] - g.b[p])
		}
		dst[j] = s / s2
	}
	cholSolve(g.lamChol, k, dst[:k])
}

// PosteriorCov returns a copy of the posterior covariance Σ = (I +
// WᵀW/σ²)⁻¹ (k×k, row-major), the same for every x.
func (g *Gaussian) PosteriorCov() []float64 { return append([]float64(nil), g.cov...) }

// LogEvidence returns log p(x) = log N(x; b, W Wᵀ + σ² I_d), computed
// through the k×k posterior: log|W Wᵀ + σ² I| = 2d log σ + log|Λ| and
// (x − b)ᵀ(W Wᵀ + σ² I)⁻¹(x − b) = ‖x − b‖²/σ² − μᵀ Λ μ.
func (g *Gaussian) LogEvidence(x []float64) float64 {
	d, k, s2 := g.cfg.D, g.cfg.K, g.cfg.Sigma*g.cfg.Sigma
	var rr float64
	for p := range d {
		v := x[p] - g.b[p]
		rr += v * v
	}
	mu := make([]float64, k)
	g.PosteriorMean(x, mu)
	var mlm float64
	for i := range k {
		for j := range k {
			mlm += mu[i] * g.lam[i*k+j] * mu[j]
		}
	}
	logdet := float64(d)*math.Log(s2) + g.logdetLam
	return -(float64(d)*math.Log(2*math.Pi) + logdet + rr/s2 - mlm) / 2
}
