package prefs

import (
	"fmt"
	"math"
)

// ProxyConfig configures the Bradley–Terry fit of a proxy reward model.
type ProxyConfig struct {
	// L2 is the ridge penalty λ on the weights, added as (λ/2)‖w‖² to the
	// mean log-loss: 0 means 1e-3. It must be > 0 (the token counts sum to
	// L, so without it the fit is not unique).
	L2 float64
	// Unigrams restricts the proxy to the token counts, a cruder reward
	// model that cannot see which tokens follow which (nor, through
	// them, repetition): its bigram weights stay 0.
	Unigrams bool
}

func (c ProxyConfig) withDefaults() (ProxyConfig, error) {
	if c.L2 == 0 {
		c.L2 = 1e-3
	}
	if !(c.L2 > 0) || math.IsInf(c.L2, 0) {
		return c, fmt.Errorf("prefs: ProxyConfig.L2 = %v: want finite and > 0", c.L2)
	}
	return c, nil
}

// Proxy is a fitted reward model r_proxy(y) = w·φ(y). It is immutable and
// safe for concurrent use.
type Proxy struct {
	weights []float64
	scores  []float64 // r_proxy(y) for every response
	steps   int
}

// Weights returns w, indexed like Problem.Features. The slice is the
// proxy's own and must not be modified.
func (r *Proxy) Weights() []float64 { return r.weights }

// Scores returns r_proxy(y) for every response y. The slice is the proxy's
// own and must not be modified.
func (r *Proxy) Scores() []float64 { return r.scores }

// Score returns r_proxy(y). It makes a Proxy a scorer for best-of-n
// (direct/bestofn).
func (r *Proxy) Score(_ Prompt, y int) float64 { return r.scores[y] }

// NewtonSteps returns the number of Newton steps the fit took.
func (r *Proxy) NewtonSteps() int { return r.steps }

// FitProxy fits the proxy to comparisons by Bradley–Terry logistic
// regression: it minimizes −(1/N) Σ log σ(w·(φ(winner) − φ(loser))) +
// (λ/2)‖w‖² by Newton's method with step halving, until the largest gradient entry is
// below 1e-10 or the Newton decrement at the loss's rounding.
func (p *Problem) FitProxy(comps []Comparison, cfg ProxyConfig) (*Proxy, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(comps) == 0 {
		return nil, fmt.Errorf("prefs: FitProxy: no comparisons")
	}
	d := p.NumFeatures()
	set := pairSet{d: d}
	fw, fl := make([]float64, d), make([]float64, d)
	for i, c := range comps {
		if c.Winner < 0 || c.Winner >= p.size || c.Loser < 0 || c.Loser >= p.size {
			return nil, fmt.Errorf("prefs: FitProxy: comparison %d (%d ≻ %d): response out of 0..%d", i, c.Winner, c.Loser, p.size-1)
		}
		p.proxyFeatures(c.Winner, fw, cfg.Unigrams)
		p.proxyFeatures(c.Loser, fl, cfg.Unigrams)
		set.add(fw, fl, 1, 1/float64(len(comps)))
	}
	return p.fit(&set, cfg.L2)
}

// FitPopulation fits the proxy to infinitely many comparisons: the same
// Bradley–Terry fit against the exact expected log-loss over pairs drawn
// from π_base, with soft labels σ(r_gold(y) − r_gold(y')). It is the best
// the features can do in Bradley–Terry log-loss, the limit of FitProxy as
// the number of comparisons grows. It sums over all pairs of responses:
// O(Size²·F²) work per Newton step for F features, meant for small spaces.
func (p *Problem) FitPopulation(cfg ProxyConfig) (*Proxy, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d := p.NumFeatures()
	set := pairSet{d: d}
	fa, fb := make([]float64, d), make([]float64, d)
	for a := range p.size {
		if p.dist[a] == 0 {
			continue
		}
		p.proxyFeatures(a, fa, cfg.Unigrams)
		for b := a + 1; b < p.size; b++ {
			if p.dist[b] == 0 {
				continue
			}
			p.proxyFeatures(b, fb, cfg.Unigrams)
			set.add(fa, fb, sigmoid(p.gold[a]-p.gold[b]), 2*p.dist[a]*p.dist[b])
		}
	}
	return p.fit(&set, cfg.L2)
}

// proxyFeatures is Features with the bigram counts zeroed when unigrams
// is set.
func (p *Problem) proxyFeatures(y int, dst []float64, unigrams bool) []float64 {
	dst = p.Features(y, dst)
	if unigrams {
		clear(dst[p.cfg.V:])
	}
	return dst
}

// pairSet holds weighted feature differences with soft targets.
type pairSet struct {
	d      int
	delta  []float64 // rows of d
	target []float64 // P(first ≻ second)
	weight []float64
}

func (s *pairSet) add(fa, fb []float64, target, weight float64) {
	for i := range fa {
		s.delta = append(s.delta, fa[i]-fb[i])
	}
	s.target = append(s.target, target)
	s.weight = append(s.weight, weight)
}

// loss returns the weighted log-loss of w plus the ridge term.
func (s *pairSet) loss(w []float64, l2 float64) float64 {
	f := 0.0
	for i, t := range s.target {
		z := dot(w, s.delta[i*s.d:(i+1)*s.d])
		// −t log σ(z) − (1−t) log σ(−z), computed stably.
		f += s.weight[i] * (softplus(-z) + (1-t)*z)
	}
	return f + 0.5*l2*dot(w, w)
}

// fit runs Newton's method on s and returns the proxy it gives.
func (p *Problem) fit(s *pairSet, l2 float64) (*Proxy, error) {
	d := s.d
	w := make([]float64, d)
	grad := make([]float64, d)
	hess := make([]float64, d*d)
	step := make([]float64, d)
	trial := make([]float64, d)
	f := s.loss(w, l2)
	steps := 0
	for ; steps < 100; steps++ {
		for j := range grad {
			grad[j] = l2 * w[j]
		}
		clear(hess)
		for j := range d {
			hess[j*d+j] = l2
		}
		for i, t := range s.target {
			row := s.delta[i*d : (i+1)*d]
			sg := sigmoid(dot(w, row))
			g, h := s.weight[i]*(sg-t), s.weight[i]*sg*(1-sg)
			for j, x := range row {
				if x == 0 {
					continue
				}
				grad[j] += g * x
				hj := hess[j*d : (j+1)*d]
				for k, y := range row {
					hj[k] += h * x * y
				}
			}
		}
		gmax := 0.0
		for _, g := range grad {
			gmax = max(gmax, math.Abs(g))
		}
		if gmax < 1e-10 {
			break
		}
		if err := cholSolve(hess, grad, step, d); err != nil {
			return nil, fmt.Errorf("prefs: proxy fit: %w", err)
		}
		for a := 1.0; ; a /= 2 {
			for j := range w {
				trial[j] = w[j] - a*step[j]
			}
			ft := s.loss(trial, l2)
			// Near the optimum the decrease falls below the loss's rounding:
			// take the full Newton step there.
			if ft <= f+1e-13*(1+math.Abs(f)) || a < 1e-12 {
				copy(w, trial)
				f = ft
				break
			}
		}
		// Half the Newton decrement g·H⁻¹g estimates the loss above its
		// minimum: stop once that is at the loss's rounding.
		if dot(grad, step) < 1e-15*(1+math.Abs(f)) {
			steps++
			break
		}
	}
	r := &Proxy{weights: w, scores: make([]float64, p.size), steps: steps}
	v := p.cfg.V
	var buf [maxL]int
	for y := range r.scores {
		tokens := decode(y, v, buf[:p.cfg.L])
		sc := 0.0
		for t, tok := range tokens {
			sc += w[tok]
			if t > 0 {
				sc += w[v+tokens[t-1]*v+tok]
			}
		}
		r.scores[y] = sc
	}
	return r, nil
}

// cholSolve solves a·x = b for a symmetric positive definite d×d matrix a
// (overwritten by its Cholesky factor).
func cholSolve(a, b, x []float64, d int) error {
	for j := range d {
		s := a[j*d+j]
		for k := range j {
			s -= a[j*d+k] * a[j*d+k]
		}
		if !(s > 0) {
			return fmt.Errorf("the Hessian is not positive definite at column %d", j)
		}
		a[j*d+j] = math.Sqrt(s)
		for i := j + 1; i < d; i++ {
			s := a[i*d+j]
			for k := range j {
				s -= a[i*d+k] * a[j*d+k]
			}
			a[i*d+j] = s / a[j*d+j]
		}
	}
	for i := range d {
		s := b[i]
		for k := range i {
			s -= a[i*d+k] * x[k]
		}
		x[i] = s / a[i*d+i]
	}
	for i := d - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < d; k++ {
			s -= a[k*d+i] * x[k]
		}
		x[i] = s / a[i*d+i]
	}
	return nil
}

// Accuracy returns the exact probability that scores order a fresh pair
// (y, y') of independent π_base draws the way the Bradley–Terry labeller
// does: Σ π(y)π(y') P(label agrees with the order of scores), a tie in
// scores counting one half. It sums over all pairs: O(Size²) work.
func (p *Problem) Accuracy(scores []float64) float64 {
	acc := 0.0
	for a := range p.size {
		pa := p.dist[a]
		if pa == 0 {
			continue
		}
		for b := a + 1; b < p.size; b++ {
			pb := p.dist[b]
			if pb == 0 {
				continue
			}
			pw := sigmoid(p.gold[a] - p.gold[b]) // P(a ≻ b)
			switch {
			case scores[a] > scores[b]:
				acc += 2 * pa * pb * pw
			case scores[a] < scores[b]:
				acc += 2 * pa * pb * (1 - pw)
			default:
				acc += pa * pb
			}
		}
		acc += pa * pa * 0.5 // y = y': a tie, and the label is a coin flip
	}
	return acc
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// softplus returns log(1 + e^x), stably.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}
