package latent

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/task"
)

// MixtureConfig parameterizes the Gaussian mixture.
type MixtureConfig struct {
	D     int     // observation dimension d (≥ 1)
	K     int     // number of components (≥ 1)
	Sigma float64 // every component's noise σ (> 0)
	Seed  uint64  // seed of the prior and the means
}

// Mixture is the discrete latent-variable model z ∈ {1..K} with prior π,
// x | z ~ N(μ_z, σ² I_d); a PCG stream of Seed draws π from the uniform
// Dirichlet (normalized Exp(1) draws) and the means μ_z from N(0, I_d).
//
// As a task, the context is an observation x, the solution y ∈ R^K stands
// for the categorical q = softmax(y), and the objective is the negative
// ELBO in closed form,
//
//	−ELBO = Σ_z q_z (log q_z − log π_z − log N(x; μ_z, σ² I)) = −log p(x) + KL(q ‖ p(z | x)),
//
// whose minimum, at y = log p(z | x) up to a constant, is −log p(x): the
// family contains the posterior, so the approximation gap is 0. Train and
// HeldOut contexts are drawn from the model; Shifted contexts from the model
// with every mean moved by δ = (2/√d)(1, …, 1), a shift of length 2.
// Mixture implements Model and task.HessianVector, and is safe for
// concurrent use.
type Mixture struct {
	cfg   MixtureConfig
	logPi []float64
	cum   []float64 // the prior's cumulative sums, to sample z
	mu    []float64 // means (K×d, row-major)
}

// NewMixture returns the model for cfg, or an error naming the first bad
// field.
func NewMixture(cfg MixtureConfig) (*Mixture, error) {
	if err := checkConfig("MixtureConfig", cfg.D, cfg.K, cfg.Sigma); err != nil {
		return nil, err
	}
	d, k := cfg.D, cfg.K
	r := rand.New(rand.NewPCG(cfg.Seed, 0x3a1c7e5))
	m := &Mixture{cfg: cfg, logPi: make([]float64, k), cum: make([]float64, k), mu: make([]float64, k*d)}
	var sum float64
	for z := range k {
		m.logPi[z] = r.ExpFloat64()
		sum += m.logPi[z]
	}
	var acc float64
	for z := range k {
		p := m.logPi[z] / sum
		acc += p
		m.logPi[z], m.cum[z] = math.Log(p), acc
	}
	for i := range m.mu {
		m.mu[i] = r.NormFloat64()
	}
	return m, nil
}

// Config returns the model's configuration.
func (m *Mixture) Config() MixtureConfig { return m.cfg }

// Name is "latent-mixture:d=<d>,k=<K>,sigma=<σ>,seed=<seed>".
func (m *Mixture) Name() string {
	return fmt.Sprintf("latent-mixture:d=%d,k=%d,sigma=%g,seed=%d", m.cfg.D, m.cfg.K, m.cfg.Sigma, m.cfg.Seed)
}

// ContextDim is d.
func (m *Mixture) ContextDim() int { return m.cfg.D }

// SolutionDim is K.
func (m *Mixture) SolutionDim() int { return m.cfg.K }

// Context writes the i-th observation of split into dst: z ~ π, x = μ_z +
// σ ε with ε ~ N(0, I_d), plus δ on Shifted.
func (m *Mixture) Context(split task.Split, seed uint64, i int, dst []float64) {
	r := contextRand(split, seed, i)
	d := m.cfg.D
	u, z := r.Float64(), 0
	for z < m.cfg.K-1 && u >= m.cum[z] {
		z++
	}
	shift := 0.0
	if split == task.Shifted {
		shift = 2 / math.Sqrt(float64(d))
	}
	for p := range d {
		dst[p] = m.mu[z*d+p] + shift + m.cfg.Sigma*r.NormFloat64()
	}
}

// Init writes zeros: q uniform over the K components.
func (m *Mixture) Init(_, dst []float64) { clear(dst[:m.cfg.K]) }

// joint writes log p(x, z) = log π_z + log N(x; μ_z, σ² I) for each z.
func (m *Mixture) joint(x, dst []float64) {
	d, s2 := m.cfg.D, m.cfg.Sigma*m.cfg.Sigma
	c := float64(d) / 2 * math.Log(2*math.Pi*s2)
	for z := range m.cfg.K {
		var q float64
		for p := range d {
			v := x[p] - m.mu[z*d+p]
			q += v * v
		}
		dst[z] = m.logPi[z] - q/(2*s2) - c
	}
}

// terms returns q = softmax(y), a_z = log q_z − log p(x, z) and f = Σ q a.
func (m *Mixture) terms(x, y []float64) (q, a []float64, f float64) {
	k := m.cfg.K
	q, a = make([]float64, k), make([]float64, k)
	m.joint(x, a)
	lse := logSumExp(y[:k])
	for z := range k {
		lq := y[z] - lse
		q[z] = math.Exp(lq)
		a[z] = lq - a[z]
		if q[z] > 0 {
			f += q[z] * a[z]
		}
	}
	return q, a, f
}

// Objective returns the negative ELBO of q = softmax(y) and, when grad is
// not nil, its gradient q_j (a_j − f) with a_j = log q_j − log p(x, j).
func (m *Mixture) Objective(x, y, grad []float64) float64 {
	q, a, f := m.terms(x, y)
	if grad != nil {
		for j := range q {
			grad[j] = q[j] * (a[j] - f)
		}
	}
	return f
}

// HessVec writes the exact Hessian of the objective at y times v into dst:
// (H v)_j = q_j (a_j − f + 1)(v_j − qᵀv) − q_j gᵀv, with g the gradient.
func (m *Mixture) HessVec(x, y, v, dst []float64) {
	q, a, f := m.terms(x, y)
	var qv, gv float64
	for j := range q {
		qv += q[j] * v[j]
		gv += q[j] * (a[j] - f) * v[j]
	}
	for j := range q {
		dst[j] = q[j]*(a[j]-f+1)*(v[j]-qv) - q[j]*gv
	}
}

// Solve writes the exact posterior's log-probabilities log p(z | x) into
// dst (softmax(dst) is the posterior) and returns its objective, −log p(x)
// up to rounding.
func (m *Mixture) Solve(x, dst []float64) float64 {
	k := m.cfg.K
	m.joint(x, dst[:k])
	lse := logSumExp(dst[:k])
	for z := range k {
		dst[z] -= lse
	}
	return m.Objective(x, dst, nil)
}

// Posterior writes the exact posterior p(z | x) into dst (len K).
func (m *Mixture) Posterior(x, dst []float64) {
	m.Solve(x, dst)
	for z := range dst[:m.cfg.K] {
		dst[z] = math.Exp(dst[z])
	}
}

// LogEvidence returns log p(x) = log Σ_z π_z N(x; μ_z, σ² I).
func (m *Mixture) LogEvidence(x []float64) float64 {
	l := make([]float64, m.cfg.K)
	m.joint(x, l)
	return logSumExp(l)
}
