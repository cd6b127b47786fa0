// Package sphere is Amos' sphere problem, the running example of the
// amortized-optimization tutorial, as a task family for the
// amortized-inference claims: each context x parameterizes a c-convex
// function on the unit sphere, and a solver must find its minimizer, either
// per instance (direct/gradient on y) or in one forward pass (an amortized
// model trained over the context distribution).
//
// The definition follows B. Amos, "Tutorial on amortized optimization"
// (Foundations and Trends in Machine Learning, 2023; arXiv:2202.00665),
// section 4.2 "Training an amortization model on a sphere", and its code
// (github.com/facebookresearch/amortized-optimization-tutorial,
// code/train-sphere.py, class c_convex). With m components z_i ∈ S^{n-1},
// α_i ∈ R and temperature γ > 0,
//
//	f(u; x) = softmin_γ { ½ d(u, z_i)² + α_i }_{i=1..m},
//	softmin_γ(a) = −γ log Σ_i exp(−a_i/γ),   d(u, z) = arccos(uᵀz),
//
// the c-convex functions of Cohen, Amos & Lipman ("Riemannian convex
// potential maps", 2021) with c = ½d², smoothed by Cuturi & Blondel's soft
// minimum. (The tutorial's equation writes ½ d without the square; the code
// it publishes squares the distance, and this package follows the code.)
// The solution y is unconstrained in R^n and the objective is evaluated at
// its Euclidean projection onto the sphere, u = π(y) = y/‖y‖, as in the
// tutorial's equation (sphere-opt-proj): Objective(x, y) = f(π(y); x), and
// its gradient is exact through the projection.
//
// The tutorial's setting is n = 3 and m = 4 (a 16-dimensional context), with
// γ = 0.5 and α_i ~ 0.7·U[0, 1) in the published code (the text writes
// α_i ~ N(0, β) without fixing β); DefaultConfig is that setting.
package sphere

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"argmax/task"
)

// Config parameterizes the family.
type Config struct {
	// Dim is n: y ∈ R^n and the sphere is S^{n-1} ⊂ R^n (≥ 2; the tutorial's is 3).
	Dim int
	// Components is m, the number of terms of the soft minimum (≥ 1).
	Components int
	// Gamma is the soft-minimum temperature γ (> 0).
	Gamma float64
	// Alpha is the width of the offsets' training range: α_i ~ U[0, Alpha)
	// on Train and HeldOut (≥ 0).
	Alpha float64
}

// DefaultConfig is the tutorial's setting: n = 3, m = 4, γ = 0.5, α_i ~ U[0, 0.7).
func DefaultConfig() Config {
	return Config{Dim: 3, Components: 4, Gamma: 0.5, Alpha: 0.7}
}

// Sphere is the task family for one Config. It implements task.Task and
// task.Exact and is safe for concurrent use.
//
// A context x has length m·(n+1): the m centres z_1..z_m (n coordinates each,
// unit vectors) followed by the m offsets α_1..α_m. Contexts of Train and
// HeldOut follow the tutorial's distribution: z_i uniform on the sphere,
// α_i ~ U[0, Alpha). Shifted keeps z_i uniform and draws α_i ~ U[Alpha,
// 3·Alpha): offsets outside the training range and twice as spread, so the
// components' relative depths (which decide where the minimum sits) differ
// by up to twice as much as in training. (A common shift of every α_i only
// shifts f, so it is the doubled spread that moves the minimizers.)
type Sphere struct {
	cfg    Config
	starts [][]float64 // the reference solver's fixed dense starting points
}

var (
	_ task.Task  = (*Sphere)(nil)
	_ task.Exact = (*Sphere)(nil)
)

// The reference solver: denseStarts fixed points of the sphere, drawn from
// PCG(startsSeed, n), are scanned with the centres; the refineStarts best
// are refined, each for at most maxRefine descent iterations.
const (
	denseStarts  = 2048
	refineStarts = 8
	startsSeed   = 0x5eed5fe7e
	maxRefine    = 500
)

// New returns the family for cfg, or an error naming the first bad field.
func New(cfg Config) (*Sphere, error) {
	switch {
	case cfg.Dim < 2:
		return nil, fmt.Errorf("sphere: config Dim = %d, want ≥ 2", cfg.Dim)
	case cfg.Components < 1:
		return nil, fmt.Errorf("sphere: config Components = %d, want ≥ 1", cfg.Components)
	case !(cfg.Gamma > 0) || math.IsInf(cfg.Gamma, 0):
		return nil, fmt.Errorf("sphere: config Gamma = %v, want a finite number > 0", cfg.Gamma)
	case !(cfg.Alpha >= 0) || math.IsInf(cfg.Alpha, 0):
		return nil, fmt.Errorf("sphere: config Alpha = %v, want a finite number ≥ 0", cfg.Alpha)
	}
	r := rand.New(rand.NewPCG(startsSeed, uint64(cfg.Dim)))
	starts := make([][]float64, denseStarts)
	for i := range starts {
		starts[i] = make([]float64, cfg.Dim)
		uniformOnSphere(r, starts[i])
	}
	return &Sphere{cfg: cfg, starts: starts}, nil
}

// Config returns the family's configuration.
func (s *Sphere) Config() Config { return s.cfg }

// Name is "sphere:d=<n>,m=<m>,gamma=<γ>,alpha=<Alpha>".
func (s *Sphere) Name() string {
	return fmt.Sprintf("sphere:d=%d,m=%d,gamma=%g,alpha=%g", s.cfg.Dim, s.cfg.Components, s.cfg.Gamma, s.cfg.Alpha)
}

// ContextDim is m·(n+1).
func (s *Sphere) ContextDim() int { return s.cfg.Components * (s.cfg.Dim + 1) }

// SolutionDim is n.
func (s *Sphere) SolutionDim() int { return s.cfg.Dim }

// Context writes the i-th context of split into dst. Each (split, seed, i)
// seeds its own PCG stream (the pair (seed, a bijective mix of i and split)),
// so splits and indices never share a stream.
func (s *Sphere) Context(split task.Split, seed uint64, i int, dst []float64) {
	r := rand.New(rand.NewPCG(seed, mix(uint64(i)<<2|uint64(split)&3)))
	n, m := s.cfg.Dim, s.cfg.Components
	for j := range m {
		uniformOnSphere(r, dst[j*n:(j+1)*n])
	}
	lo, width := 0.0, s.cfg.Alpha
	if split == task.Shifted {
		lo, width = s.cfg.Alpha, 2*s.cfg.Alpha
	}
	for j := range m {
		dst[m*n+j] = lo + width*r.Float64()
	}
}

// Init writes e_1, the first basis vector (a fixed point of the sphere,
// whatever the context).
func (s *Sphere) Init(_, dst []float64) {
	clear(dst[:s.cfg.Dim])
	dst[0] = 1
}

// Objective returns f(π(y); x) and, when grad is not nil, its exact
// gradient with respect to y: the Riemannian gradient of f at u = π(y)
// divided by ‖y‖ (it is orthogonal to y, since f is constant along rays).
// At y = 0 the projection is undefined: the value is NaN and grad is zero.
// Where u is antipodal to a centre (its cut locus, where d² is not
// differentiable) that term contributes no gradient.
func (s *Sphere) Objective(x, y, grad []float64) float64 {
	n := s.cfg.Dim
	ny := norm(y[:n])
	if ny == 0 {
		if grad != nil {
			clear(grad[:n])
		}
		return math.NaN()
	}
	var ubuf [8]float64
	u := ubuf[:0]
	if n > len(ubuf) {
		u = make([]float64, 0, n)
	}
	for _, v := range y[:n] {
		u = append(u, v/ny)
	}
	f := s.eval(x, u, grad)
	if grad != nil {
		for k := range n {
			grad[k] /= ny
		}
	}
	return f
}

// eval is f(u; x) for a unit u and, when g is not nil, its Riemannian
// gradient (tangent at u).
func (s *Sphere) eval(x, u, g []float64) float64 {
	n, m, gamma := s.cfg.Dim, s.cfg.Components, s.cfg.Gamma
	var buf [24]float64
	var a, th, cs []float64
	if 3*m <= len(buf) {
		a, th, cs = buf[:m:m], buf[m:2*m:2*m], buf[2*m:3*m]
	} else {
		a, th, cs = make([]float64, m), make([]float64, m), make([]float64, m)
	}
	amin := math.Inf(1)
	for i := range m {
		z := x[i*n : (i+1)*n]
		var c float64
		for k := range n {
			c += u[k] * z[k]
		}
		// sin θ = ‖u − c z‖ for unit z; atan2 keeps θ accurate near 0 and π,
		// where arccos(c) loses half the digits.
		var s2 float64
		for k := range n {
			d := u[k] - c*z[k]
			s2 += d * d
		}
		th[i], cs[i] = math.Atan2(math.Sqrt(s2), c), c
		a[i] = th[i]*th[i]/2 + x[m*n+i]
		amin = min(amin, a[i])
	}
	var sum float64
	for i := range m {
		a[i] = math.Exp(-(a[i] - amin) / gamma) // now the unnormalized weight
		sum += a[i]
	}
	f := amin - gamma*math.Log(sum)
	if g == nil {
		return f
	}
	clear(g[:n])
	for i := range m {
		sin := math.Sin(th[i])
		if sin == 0 {
			continue // at the centre (zero gradient) or its antipode (none)
		}
		// ∇_u ½θ² = −θ (z − c u)/sin θ, tangent at u.
		w := a[i] / sum * th[i] / sin
		z := x[i*n : (i+1)*n]
		for k := range n {
			g[k] -= w * (z[k] - cs[i]*u[k])
		}
	}
	return f
}

// Solve writes the minimizer y*(x) (a unit vector) into dst and returns
// f(y*; x). f has no closed-form minimizer, so Solve is a deterministic
// reference method: it scans a fixed dense set of 2048 points on the sphere
// (drawn once from a fixed PCG seed; about 0.08 rad apart on S², sparser in
// higher n, where the centres matter most as starts) and the m centres z_i,
// refines the 8 best of them by Riemannian gradient descent
// (Barzilai–Borwein steps with backtracking) until no step lowers f or,
// where f is flat to rounding, its gradient (f* to machine precision, the
// gradient at y* below 1e-12 in the tests), and returns the best refined
// point. It takes about a millisecond for the tutorial's setting.
func (s *Sphere) Solve(x, dst []float64) float64 {
	n, m := s.cfg.Dim, s.cfg.Components
	// best holds the refineStarts lowest candidates seen, in increasing f
	// (ties keep the earlier candidate: the scan order is fixed).
	type cand struct {
		u []float64
		f float64
	}
	best := make([]cand, 0, refineStarts+1)
	consider := func(u []float64) {
		c := cand{u, s.eval(x, u, nil)}
		if len(best) == refineStarts && !(c.f < best[refineStarts-1].f) {
			return
		}
		k := len(best)
		for k > 0 && c.f < best[k-1].f {
			k--
		}
		best = slices.Insert(best, k, c)
		if len(best) > refineStarts {
			best = best[:refineStarts]
		}
	}
	for _, p := range s.starts {
		consider(p)
	}
	for i := range m {
		z := slices.Clone(x[i*n : (i+1)*n])
		scale(z, 1/norm(z))
		consider(z)
	}
	fstar := math.Inf(1)
	u := make([]float64, n)
	for _, c := range best {
		copy(u, c.u)
		if f := s.refine(x, u); f < fstar {
			fstar = f
			copy(dst[:n], u)
		}
	}
	return fstar
}

// refine runs Riemannian gradient descent from the unit vector u, in place,
// and returns f at the final point. Each iteration tries the
// Barzilai–Borwein step length (the first: 1) and halves it until the step
// lowers f by more than rounding or, once f is flat to rounding, keeps f
// within rounding and lowers the gradient's norm; it stops when no step
// does, after maxRefine iterations, or at a zero gradient.
func (s *Sphere) refine(x, u []float64) float64 {
	n := s.cfg.Dim
	g, g2, v := make([]float64, n), make([]float64, n), make([]float64, n)
	f := s.eval(x, u, g)
	gn := norm(g)
	step := 1.0
	for range maxRefine {
		if gn == 0 {
			break
		}
		tol := 4 * eps * (math.Abs(f) + 1)
		accepted := false
		for t := step; t > 1e-12; t /= 2 {
			for k := range n {
				v[k] = u[k] - t*g[k]
			}
			scale(v, 1/norm(v))
			f2 := s.eval(x, v, g2)
			gn2 := norm(g2)
			if f2 < f-tol || (f2 <= f+tol && gn2 < gn) {
				// Barzilai–Borwein: ‖Δu‖²/⟨Δu, Δg⟩ for the next step.
				var ss, sy float64
				for k := range n {
					du, dg := v[k]-u[k], g2[k]-g[k]
					ss += du * du
					sy += du * dg
				}
				step = 1
				if sy > 0 {
					step = min(max(ss/sy, 1e-3), 1e3)
				}
				copy(u, v)
				copy(g, g2)
				f, gn = f2, gn2
				accepted = true
				break
			}
		}
		if !accepted {
			break
		}
	}
	return f
}

// Project writes π(y) = y/‖y‖, the point of the sphere a solution y stands
// for, into dst (zero when y is zero).
func Project(y, dst []float64) {
	ny := norm(y)
	for k, v := range y {
		if ny == 0 {
			dst[k] = 0
		} else {
			dst[k] = v / ny
		}
	}
}

const eps = 0x1p-52

func norm(v []float64) float64 {
	var s float64
	for _, a := range v {
		s += a * a
	}
	return math.Sqrt(s)
}

func scale(v []float64, c float64) {
	for k := range v {
		v[k] *= c
	}
}

// uniformOnSphere writes a point uniform on the unit sphere (a normalized
// standard Gaussian) into dst.
func uniformOnSphere(r *rand.Rand, dst []float64) {
	for {
		for k := range dst {
			dst[k] = r.NormFloat64()
		}
		if nv := norm(dst); nv > 1e-12 {
			scale(dst, 1/nv)
			return
		}
	}
}

// mix is SplitMix64's finalizer, a bijection of uint64 that spreads nearby
// indices over the PCG seed space.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
