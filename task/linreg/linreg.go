// Package linreg is the task family of in-context linear regression (a
// task/ family of the taxonomy): a context is a prompt of n pairs
// (x_i, y_i) with x_i ~ N(0, I_d), y_i = wᵀx_i + ε_i, ε_i ~ N(0, σ²) and a
// weight vector w ~ N(0, I_d) drawn per prompt, followed by a query x_q.
//
// # The task
//
// The solution is a weight estimate ŵ ∈ R^d and the objective is the
// prompt's ridge-regularized least-squares loss
//
//	f(ŵ; prompt) = (1/2n)·[Σ_i (ŵᵀx_i − y_i)² + λ‖ŵ‖²],
//
// whose exact minimizer (Solve) is ridge regression
// ŵ = (XᵀX + λI)⁻¹Xᵀy — least squares at λ = 0 (the minimum-norm solution
// when n < d). With λ = σ² the minimizer is the posterior mean of w under
// its N(0, I) prior: the Bayes-optimal predictor of the query's target.
// The query itself does not enter f; it is carried in the context so that
// a sequence model reading the prompt can be scored on it (Prompt.Target).
//
// A context (Task.Context) is the flat vector [x_1, y_1, …, x_n, y_n, x_q]
// of length n(d+1)+d. For sequence models the same prompt is a token
// matrix (Prompt.Tokens): rows z_i = (x_i, y_i) ∈ R^{d+1} and a query row
// (x_q, 0).
//
// # Splits and task diversity
//
// Config.Tasks sets the number M of distinct training tasks, after
// Raventós et al. 2023 ("Pretraining task diversity and the emergence of
// non-Bayesian in-context learning"): with M = 0 every prompt of every
// split draws a fresh w; with M > 0 the Train split draws w uniformly
// from a fixed pool of M vectors (Pool, drawn from Config.PoolSeed), while
// HeldOut still draws fresh w ~ N(0, I). Shifted draws fresh w and inputs
// from a wider distribution, x ~ N(0, s²I) with s = Config.ShiftScale
// (default 2), for prompt and query alike.
//
// # Reference predictors
//
// LeastSquares, Ridge, GD (k steps of gradient descent on the prompt's
// loss from w = 0), TuneGD (the step size minimizing the query loss over a
// sample of prompts) and DMMSE (the posterior mean over the finite pool:
// the Bayes-optimal predictor when w is drawn from the M pool vectors)
// all return weight estimates; Prompt.Predict turns one into the query
// prediction ŵᵀx_q.
package linreg

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/task"
)

// Config sets the family's parameters.
type Config struct {
	D          int     // input dimension d (0: 10)
	N          int     // examples per prompt n (0: 20)
	Noise      float64 // label noise standard deviation σ ≥ 0
	Ridge      float64 // ridge λ ≥ 0 of the objective
	Tasks      int     // distinct training tasks M (0: a fresh w per prompt)
	PoolSeed   uint64  // seed of the pool of M training vectors
	ShiftScale float64 // input scale of the Shifted split (0: 2)
}

// withDefaults fills zero fields.
func (c Config) withDefaults() Config {
	if c.D == 0 {
		c.D = 10
	}
	if c.N == 0 {
		c.N = 20
	}
	if c.ShiftScale == 0 {
		c.ShiftScale = 2
	}
	return c
}

// Validate reports the first bad field of c (after defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.D < 1:
		return fmt.Errorf("linreg: Config.D = %d: want ≥ 1", c.D)
	case c.N < 1:
		return fmt.Errorf("linreg: Config.N = %d: want ≥ 1", c.N)
	case !(c.Noise >= 0) || math.IsInf(c.Noise, 0):
		return fmt.Errorf("linreg: Config.Noise = %v: want a finite σ ≥ 0", c.Noise)
	case !(c.Ridge >= 0) || math.IsInf(c.Ridge, 0):
		return fmt.Errorf("linreg: Config.Ridge = %v: want a finite λ ≥ 0", c.Ridge)
	case c.Tasks < 0:
		return fmt.Errorf("linreg: Config.Tasks = %d: want ≥ 0 (0 = a fresh w per prompt)", c.Tasks)
	case !(c.ShiftScale > 0) || math.IsInf(c.ShiftScale, 0):
		return fmt.Errorf("linreg: Config.ShiftScale = %v: want a finite scale > 0", c.ShiftScale)
	}
	return nil
}

// Task is in-context linear regression as a task.Task, task.Exact and
// task.HessianVector. It is immutable and safe for concurrent use.
type Task struct {
	cfg  Config
	pool [][]float64
}

var (
	_ task.Task          = (*Task)(nil)
	_ task.Exact         = (*Task)(nil)
	_ task.HessianVector = (*Task)(nil)
)

// New returns the family for cfg, with zero fields set to their defaults.
func New(cfg Config) (*Task, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	t := &Task{cfg: cfg}
	if cfg.Tasks > 0 {
		rng := rand.New(rand.NewPCG(cfg.PoolSeed, 0x9e3779b97f4a7c15))
		t.pool = make([][]float64, cfg.Tasks)
		for m := range t.pool {
			t.pool[m] = make([]float64, cfg.D)
			for j := range t.pool[m] {
				t.pool[m][j] = rng.NormFloat64()
			}
		}
	}
	return t, nil
}

// Config returns the configuration with defaults filled in.
func (t *Task) Config() Config { return t.cfg }

// Pool returns the M training vectors (nil when Tasks is 0). Do not
// modify them.
func (t *Task) Pool() [][]float64 { return t.pool }

// Name is "linreg:d=…,n=…,noise=…,ridge=…,tasks=…".
func (t *Task) Name() string {
	c := t.cfg
	return fmt.Sprintf("linreg:d=%d,n=%d,noise=%g,ridge=%g,tasks=%d", c.D, c.N, c.Noise, c.Ridge, c.Tasks)
}

// ContextDim is n(d+1)+d: the pairs, then the query input.
func (t *Task) ContextDim() int { return t.cfg.N*(t.cfg.D+1) + t.cfg.D }

// SolutionDim is d: the solution is a weight estimate.
func (t *Task) SolutionDim() int { return t.cfg.D }

// Prompt is one in-context regression problem.
type Prompt struct {
	D, N int
	X    []float64 // the inputs, N×D row-major
	Y    []float64 // the targets y_i = wᵀx_i + ε_i
	Xq   []float64 // the query input
	Yq   float64   // the query's noisy target wᵀx_q + ε_q (what a learner trains on)
	W    []float64 // the prompt's true weights
}

// Prompt returns the i-th prompt of split from seed: the same (split,
// seed, i), the same prompt; splits draw from disjoint streams. The draw
// order is w (or its pool index), X, the noise of Y, x_q, the query noise.
func (t *Task) Prompt(split task.Split, seed uint64, i int) Prompt {
	c := t.cfg
	rng := rand.New(rand.NewPCG(seed, uint64(split)<<60|uint64(i)&(1<<60-1)))
	p := Prompt{D: c.D, N: c.N, X: make([]float64, c.N*c.D), Y: make([]float64, c.N), Xq: make([]float64, c.D)}
	if split == task.Train && t.pool != nil {
		p.W = append([]float64(nil), t.pool[rng.IntN(len(t.pool))]...)
	} else {
		p.W = make([]float64, c.D)
		for j := range p.W {
			p.W[j] = rng.NormFloat64()
		}
	}
	scale := 1.0
	if split == task.Shifted {
		scale = c.ShiftScale
	}
	for j := range p.X {
		p.X[j] = scale * rng.NormFloat64()
	}
	for k := range p.Y {
		p.Y[k] = dot(p.W, p.X[k*c.D:(k+1)*c.D]) + c.Noise*rng.NormFloat64()
	}
	for j := range p.Xq {
		p.Xq[j] = scale * rng.NormFloat64()
	}
	p.Yq = dot(p.W, p.Xq) + c.Noise*rng.NormFloat64()
	return p
}

// Prompts returns prompts first..first+count-1 of split from seed.
func (t *Task) Prompts(split task.Split, seed uint64, first, count int) []Prompt {
	out := make([]Prompt, count)
	for i := range out {
		out[i] = t.Prompt(split, seed, first+i)
	}
	return out
}

// Context writes the i-th prompt of split as [x_1, y_1, …, x_n, y_n, x_q].
func (t *Task) Context(split task.Split, seed uint64, i int, dst []float64) {
	p := t.Prompt(split, seed, i)
	p.Encode(dst)
}

// Encode writes p as a context [x_1, y_1, …, x_n, y_n, x_q] into dst
// (len N(D+1)+D).
func (p *Prompt) Encode(dst []float64) {
	d := p.D
	for k := 0; k < p.N; k++ {
		copy(dst[k*(d+1):], p.X[k*d:(k+1)*d])
		dst[k*(d+1)+d] = p.Y[k]
	}
	copy(dst[p.N*(d+1):], p.Xq)
}

// Tokens writes p in the token layout of sequence models into dst (len
// (N+1)(D+1), allocated when too short) and returns it: row i is
// (x_i, y_i), the last row is the query (x_q, 0).
func (p *Prompt) Tokens(dst []float64) []float64 {
	n := (p.N + 1) * (p.D + 1)
	if len(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	p.Encode(dst)
	dst[n-1] = 0
	return dst
}

// Predict returns the query prediction ŵᵀx_q of a weight estimate.
func (p *Prompt) Predict(w []float64) float64 { return dot(w, p.Xq) }

// Target returns the query's expected target wᵀx_q (noise-free), against
// which query losses are measured.
func (p *Prompt) Target() float64 { return dot(p.W, p.Xq) }

// Objective returns f(w; x) = (1/2n)[Σ(wᵀx_i − y_i)² + λ‖w‖²] and its
// gradient (1/n)[Σ(wᵀx_i − y_i)x_i + λw] into grad when not nil.
func (t *Task) Objective(x, w, grad []float64) float64 {
	d, n, lam := t.cfg.D, t.cfg.N, t.cfg.Ridge
	if grad != nil {
		clear(grad[:d])
	}
	var f float64
	for k := 0; k < n; k++ {
		xk := x[k*(d+1) : k*(d+1)+d]
		r := dot(w, xk) - x[k*(d+1)+d]
		f += r * r
		if grad != nil {
			axpy(grad, r, xk)
		}
	}
	f += lam * dot(w, w)
	if grad != nil {
		axpy(grad, lam, w)
		for j := range grad[:d] {
			grad[j] /= float64(n)
		}
	}
	return f / float64(2*n)
}

// Init writes the neutral start w = 0.
func (t *Task) Init(_, dst []float64) { clear(dst[:t.cfg.D]) }

// HessVec writes (1/n)(XᵀX + λI)v, the objective's constant Hessian
// times v.
func (t *Task) HessVec(x, _, v, dst []float64) {
	d, n := t.cfg.D, t.cfg.N
	for j := range dst[:d] {
		dst[j] = t.cfg.Ridge * v[j]
	}
	for k := 0; k < n; k++ {
		xk := x[k*(d+1) : k*(d+1)+d]
		axpy(dst, dot(xk, v), xk)
	}
	for j := range dst[:d] {
		dst[j] /= float64(n)
	}
}

// Solve writes the exact minimizer (ridge with the task's λ; minimum-norm
// least squares when λ = 0 and XᵀX is singular) and returns its objective.
func (t *Task) Solve(x, dst []float64) float64 {
	p := t.decode(x)
	copy(dst, Ridge(&p, t.cfg.Ridge))
	return t.Objective(x, dst, nil)
}

// decode reads the pairs and the query of a context (no targets).
func (t *Task) decode(x []float64) Prompt {
	d, n := t.cfg.D, t.cfg.N
	p := Prompt{D: d, N: n, X: make([]float64, n*d), Y: make([]float64, n), Xq: x[n*(d+1) : n*(d+1)+d]}
	for k := 0; k < n; k++ {
		copy(p.X[k*d:], x[k*(d+1):k*(d+1)+d])
		p.Y[k] = x[k*(d+1)+d]
	}
	return p
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// axpy adds a·x to y.
func axpy(y []float64, a float64, x []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
