package irl

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Defaults of Config's zero fields.
const (
	// DefaultL2 is the precision λ of the Gaussian prior N(0, I/λ) on the
	// weights: a unit prior, whose pull fades as 1/N with N
	// demonstrations, and which keeps the weights finite when the
	// demonstrator is deterministic (the likelihood of a deterministic
	// agent keeps growing as the rewards are scaled up).
	DefaultL2 = 1.0
	// DefaultGradTol stops the fit once every component of the gradient
	// of the objective (per demonstration: feature counts) is at most
	// this.
	DefaultGradTol = 1e-6
	// DefaultMaxIter caps the L-BFGS iterations.
	DefaultMaxIter = 500
	// DefaultIdentTol is the relative eigenvalue tolerance: a direction
	// of weight space whose Fisher information is at most IdentTol times
	// the largest is one the data cannot determine.
	DefaultIdentTol = 1e-6
	// DefaultLevel is the coverage of the bootstrap intervals.
	DefaultLevel = 0.95
)

// NullShareTol is the share of a linear functional's squared norm that
// may lie in the undetermined directions (the null space of the Fisher
// information) before it is flagged not identifiable: ‖P_null c‖² >
// NullShareTol·‖c‖².
const NullShareTol = 1e-6

// bootTag is mixed into the seed of every bootstrap resample's stream.
const bootTag = 0x69726c626f6f7473 // "irlboots"

// Config configures Fit. The zero Config fits with the defaults and no
// bootstrap.
type Config struct {
	// L2 is the precision λ of a Gaussian prior N(0, I/λ) on w: the fit
	// maximizes (Σ_i log-likelihood_i − λ‖w‖²/2)/N over the N
	// demonstrations. 0 means DefaultL2; a negative value means no prior
	// (maximum likelihood, which diverges for a deterministic
	// demonstrator).
	L2 float64
	// GradTol is the convergence tolerance on the largest gradient
	// component of that objective; 0 means DefaultGradTol.
	GradTol float64
	// MaxIter caps the L-BFGS iterations; 0 means DefaultMaxIter.
	MaxIter int
	// Init is the starting weight vector (nil: zero).
	Init []float64
	// Bootstrap is the number B of bootstrap resamples of the
	// demonstrations (0: no intervals). Resample b draws N demonstrations
	// with replacement from a math/rand/v2 PCG stream seeded by Seed and
	// b, and is refitted from the full fit's weights.
	Bootstrap int
	// Seed seeds the bootstrap.
	Seed uint64
	// Level is the coverage of the percentile intervals; 0 means
	// DefaultLevel (95%).
	Level float64
	// Contrasts are the linear combinations of weights to report beside
	// the weights (e.g. Difference("is_door", "is_red")).
	Contrasts []Contrast
	// IdentTol is the relative eigenvalue tolerance of the
	// identifiability report; 0 means DefaultIdentTol.
	IdentTol float64
	// Workers bounds the goroutines (levels of one evaluation, the
	// Fisher information's levels, bootstrap resamples); 0 means
	// GOMAXPROCS.
	// The result is the same, bit for bit, at any worker count.
	Workers int
}

func (c Config) check(nF int) (Config, error) {
	switch {
	case math.IsNaN(c.L2) || math.IsInf(c.L2, 0):
		return c, fmt.Errorf("irl: L2=%v: want a finite prior precision (0 for %g, negative for none)", c.L2, DefaultL2)
	case !(c.GradTol >= 0) || math.IsInf(c.GradTol, 1):
		return c, fmt.Errorf("irl: GradTol=%v: want a finite tolerance ≥ 0 (0 for %g)", c.GradTol, DefaultGradTol)
	case c.MaxIter < 0:
		return c, fmt.Errorf("irl: MaxIter=%d: want ≥ 1 (0 for %d)", c.MaxIter, DefaultMaxIter)
	case c.Bootstrap < 0:
		return c, fmt.Errorf("irl: Bootstrap=%d: want a number of resamples ≥ 0", c.Bootstrap)
	case c.Bootstrap == 1:
		return c, fmt.Errorf("irl: Bootstrap=1: want at least 2 resamples (or 0 for none)")
	case !(c.Level >= 0 && c.Level < 1):
		return c, fmt.Errorf("irl: Level=%v: want a coverage in (0, 1) (0 for %g)", c.Level, DefaultLevel)
	case !(c.IdentTol >= 0 && c.IdentTol < 1):
		return c, fmt.Errorf("irl: IdentTol=%v: want a relative tolerance in [0, 1) (0 for %g)", c.IdentTol, DefaultIdentTol)
	case c.Workers < 0:
		return c, fmt.Errorf("irl: Workers=%d: want ≥ 0 (0 for GOMAXPROCS)", c.Workers)
	}
	if c.Init != nil {
		if err := checkWeights(c.Init, nF); err != nil {
			return c, fmt.Errorf("irl: Init: %w", err)
		}
	}
	if c.L2 == 0 {
		c.L2 = DefaultL2
	}
	if c.L2 < 0 {
		c.L2 = 0
	}
	if c.GradTol == 0 {
		c.GradTol = DefaultGradTol
	}
	if c.MaxIter == 0 {
		c.MaxIter = DefaultMaxIter
	}
	if c.Level == 0 {
		c.Level = DefaultLevel
	}
	if c.IdentTol == 0 {
		c.IdentTol = DefaultIdentTol
	}
	return c, nil
}

// Estimate is the report of one linear functional of the weights, c·w: a
// weight (c a unit vector) or a contrast.
type Estimate struct {
	Name string
	// Coef is c, over the problem's features.
	Coef []float64
	// Value is c·w at the fit.
	Value float64
	// Identifiable is false when c has a share above NullShareTol in the
	// directions the data cannot determine (NullShare).
	Identifiable bool
	NullShare    float64
	// SE is the asymptotic standard error sqrt(cᵀF⁺c/N) of the Fisher
	// information F per demonstration (its pseudo-inverse over the
	// determined directions); +Inf when not identifiable.
	SE float64
	// Lo and Hi bound the reported interval: the bootstrap percentile
	// interval of the configured level when identifiable, (−Inf, +Inf)
	// when not (the data do not bound it, whatever the resamples say:
	// the prior alone pins them); NaN without a bootstrap.
	Lo, Hi float64
	// BootLo and BootHi are the raw bootstrap percentiles, for every
	// functional (NaN without a bootstrap).
	BootLo, BootHi float64
}

// Direction is an eigen-direction of the Fisher information.
type Direction struct {
	// Eigenvalue is the Fisher information along Vector (per
	// demonstration), Relative that over the largest eigenvalue.
	Eigenvalue, Relative float64
	// Vector is a unit vector over the features.
	Vector []float64
}

// Result is the outcome of Fit: the behavioral objective recovered from
// the demonstrations, and how well they determine it.
type Result struct {
	Features []string
	// W is the fitted weight vector: the reward r = Φw.
	W []float64
	// LogLik is the mean log-likelihood of the demonstrated actions at W;
	// Dual the maximum causal entropy dual (equal to LogLik on
	// deterministic transitions; see Likelihood); Objective the maximized
	// value, Dual − λ‖W‖²/(2N).
	LogLik, Dual, Objective float64
	// Iterations and Evaluations count the L-BFGS iterations and the
	// objective evaluations of the main fit; GradNorm is the largest
	// component of the objective's gradient at W, Converged whether it
	// fell to GradTol.
	Iterations, Evaluations int
	GradNorm                float64
	Converged               bool
	// Empirical and Expected are the mean feature counts of the
	// demonstrations and of the fitted policy from their start states.
	Empirical, Expected []float64
	// Demos, Levels and Horizon are the number of demonstrations, of the
	// environments they were played on, and the horizon of the fit; L2
	// the prior precision used.
	Demos, Levels, Horizon int
	L2                     float64
	// Fisher is the Fisher information per demonstration at W, K×K
	// row-major: the Hessian of the negative mean log-likelihood (the
	// prior excluded), computed exactly (fisher.go): on deterministic
	// transitions the covariance of the feature counts under the fitted
	// policy, from the demonstrations' start states.
	Fisher []float64
	// Eigenvalues (ascending) and Eigenvectors (unit, Eigenvectors[i]
	// that of Eigenvalues[i]) of Fisher.
	Eigenvalues  []float64
	Eigenvectors [][]float64
	// IdentTol is the relative eigenvalue tolerance; Null lists the
	// directions whose information is at most IdentTol times the largest:
	// the combinations of weights the demonstrations cannot determine.
	IdentTol float64
	Null     []Direction
	// Weights reports each weight, Contrasts each configured contrast.
	Weights, Contrasts []Estimate
	// Bootstrap is the number of resamples, BootstrapUnconverged how many
	// of their fits stopped above the tolerance, Samples their weights
	// (one vector per resample), Level the intervals' coverage.
	Bootstrap, BootstrapUnconverged int
	Samples                         [][]float64
	Level                           float64
	// Elapsed is the wall time of the main fit (without Fisher and
	// bootstrap); Total that of the whole call.
	Elapsed, Total time.Duration
}

// Weight returns the estimate of the named feature's weight.
func (r *Result) Weight(name string) (Estimate, bool) {
	for _, e := range r.Weights {
		if e.Name == name {
			return e, true
		}
	}
	return Estimate{}, false
}

// Contrast returns the estimate of the named contrast.
func (r *Result) Contrast(name string) (Estimate, bool) {
	for _, e := range r.Contrasts {
		if e.Name == name {
			return e, true
		}
	}
	return Estimate{}, false
}

// Determined returns the component of v (a vector over the features)
// in the directions the demonstrations determine: v minus its projection
// on the undetermined directions (Null). Two reward directions that
// differ only in undetermined directions explain the data equally well;
// compare them by the cosine of their determined components.
func (r *Result) Determined(v []float64) []float64 {
	out := slices.Clone(v)
	for _, d := range r.Null {
		p := dot(d.Vector, v)
		for k := range out {
			out[k] -= p * d.Vector[k]
		}
	}
	return out
}

// Fit recovers the reward weights w of r = Φw whose soft-optimal policy
// (temperature 1; the convention of Problem) makes the demonstrated
// actions most likely: it maximizes the mean log-likelihood with the
// prior of cfg (the maximum causal entropy dual, concave, whose gradient
// is exactly the empirical minus the expected feature counts) by L-BFGS
// to cfg's gradient tolerance. It then computes the Fisher information at
// the optimum, its eigen-decomposition and the directions the data cannot
// determine, and, when cfg.Bootstrap > 0, bootstrap intervals for every
// weight and contrast.
func Fit(p *Problem, cfg Config) (*Result, error) {
	begin := time.Now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	nF := len(p.Features)
	cfg, err := cfg.check(nF)
	if err != nil {
		return nil, err
	}
	coefs := make([][]float64, len(cfg.Contrasts))
	for i, c := range cfg.Contrasts {
		if coefs[i], err = c.vector(p.Features); err != nil {
			return nil, err
		}
	}
	e := newEvaluator(p)
	ds, err := e.set(nil)
	if err != nil {
		return nil, err
	}
	init := make([]float64, nF)
	if cfg.Init != nil {
		copy(init, cfg.Init)
	}
	opt, out, err := e.fit(ds, init, cfg, cfg.Workers)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Features:    slices.Clone(p.Features),
		W:           opt.x,
		LogLik:      out.ll,
		Dual:        out.dual,
		Objective:   opt.f,
		Iterations:  opt.iters,
		Evaluations: opt.evals,
		GradNorm:    normInf(opt.g),
		Converged:   opt.converged,
		Empirical:   out.emp,
		Expected:    out.expct,
		Demos:       len(p.Demos),
		Levels:      len(ds.levels),
		Horizon:     e.h,
		L2:          cfg.L2,
		IdentTol:    cfg.IdentTol,
		Bootstrap:   cfg.Bootstrap,
		Level:       cfg.Level,
		Elapsed:     time.Since(begin),
	}
	if res.Fisher, err = e.fisher(ds, res.W, cfg.Workers); err != nil {
		return nil, err
	}
	res.Eigenvalues, res.Eigenvectors = symEigen(res.Fisher, nF)
	top := res.Eigenvalues[nF-1]
	isNull := make([]bool, nF)
	for i, l := range res.Eigenvalues {
		if top <= 0 || l <= cfg.IdentTol*top {
			rel := math.Inf(-1)
			if top > 0 {
				rel = l / top
			}
			res.Null = append(res.Null, Direction{Eigenvalue: l, Relative: rel, Vector: res.Eigenvectors[i]})
			isNull[i] = true
		}
	}
	var samples [][]float64
	if cfg.Bootstrap > 0 {
		samples, res.BootstrapUnconverged, err = e.bootstrap(res.W, cfg)
		if err != nil {
			return nil, err
		}
		res.Samples = samples
	}
	estimate := func(name string, c []float64) Estimate {
		est := Estimate{Name: name, Coef: c, Value: dot(c, res.W), Lo: math.NaN(), Hi: math.NaN(), BootLo: math.NaN(), BootHi: math.NaN()}
		cc := dot(c, c)
		var share, variance float64
		for i, v := range res.Eigenvectors {
			proj := dot(v, c)
			if isNull[i] {
				share += proj * proj
			} else {
				variance += proj * proj / res.Eigenvalues[i]
			}
		}
		est.NullShare = share / cc
		est.Identifiable = est.NullShare <= NullShareTol
		est.SE = math.Inf(1)
		if est.Identifiable {
			est.SE = math.Sqrt(variance / float64(res.Demos))
		}
		if samples != nil {
			vals := make([]float64, len(samples))
			for b, w := range samples {
				vals[b] = dot(c, w)
			}
			slices.Sort(vals)
			est.BootLo = percentile(vals, (1-cfg.Level)/2)
			est.BootHi = percentile(vals, (1+cfg.Level)/2)
			est.Lo, est.Hi = math.Inf(-1), math.Inf(1)
			if est.Identifiable {
				est.Lo, est.Hi = est.BootLo, est.BootHi
			}
		}
		return est
	}
	for k, f := range p.Features {
		c := make([]float64, nF)
		c[k] = 1
		res.Weights = append(res.Weights, estimate(f, c))
	}
	for i, c := range cfg.Contrasts {
		res.Contrasts = append(res.Contrasts, estimate(c.Name, coefs[i]))
	}
	res.Total = time.Since(begin)
	return res, nil
}

// fit maximizes the objective of ds from init.
func (e *evaluator) fit(ds *demoSet, init []float64, cfg Config, workers int) (optResult, evalOut, error) {
	var last evalOut
	var lastW []float64
	lambda := cfg.L2
	obj := func(w []float64) (float64, []float64, error) {
		o, err := e.eval(ds, w, workers)
		if err != nil {
			return 0, nil, err
		}
		last, lastW = o, append(lastW[:0], w...)
		g := o.grad()
		f := o.dual
		for k := range g {
			g[k] -= lambda * w[k] / ds.n
			f -= lambda * w[k] * w[k] / (2 * ds.n)
		}
		return f, g, nil
	}
	opt, err := maximize(obj, init, cfg.GradTol, cfg.MaxIter)
	if err != nil {
		return optResult{}, evalOut{}, err
	}
	// The last evaluation may have been a rejected trial step: evaluate
	// at the optimum for the reported figures.
	if !slices.Equal(lastW, opt.x) {
		if _, _, err := obj(opt.x); err != nil {
			return optResult{}, evalOut{}, err
		}
	}
	return opt, last, nil
}

// bootstrap refits cfg.Bootstrap resamples of the demonstrations from w
// and returns their weights and how many did not converge.
func (e *evaluator) bootstrap(w []float64, cfg Config) ([][]float64, int, error) {
	n := len(e.p.Demos)
	samples := make([][]float64, cfg.Bootstrap)
	unconv := make([]bool, cfg.Bootstrap)
	err := parallel(cfg.Bootstrap, cfg.Workers, func(b int) error {
		rng := rand.New(rand.NewPCG(cfg.Seed, splitmix(bootTag+uint64(b))))
		mult := make([]float64, n)
		for range n {
			mult[rng.IntN(n)]++
		}
		ds, err := e.set(mult)
		if err != nil {
			return err
		}
		opt, _, err := e.fit(ds, w, cfg, 1)
		if err != nil {
			return fmt.Errorf("irl: bootstrap resample %d: %w", b, err)
		}
		samples[b], unconv[b] = opt.x, !opt.converged
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	count := 0
	for _, u := range unconv {
		if u {
			count++
		}
	}
	return samples, count, nil
}

// splitmix is the SplitMix64 finalizer: distinct inputs give unrelated
// stream seeds.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// percentile is the q-quantile of sorted values, linearly interpolated
// between order statistics.
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(sorted)-1)
	i := int(math.Floor(pos))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(i)
	return sorted[i] + frac*(sorted[i+1]-sorted[i])
}

// String renders the result as a table: the fit, each weight and
// contrast with its standard error, interval and identifiability, and the
// undetermined directions.
func (r *Result) String() string {
	var b strings.Builder
	conv := "converged"
	if !r.Converged {
		conv = "NOT converged"
	}
	fmt.Fprintf(&b, "MaxEnt IRL: %d demos on %d levels, horizon %d, λ=%g: log-likelihood %.4f per demo, %d iterations, |grad| %.1e (%s)\n",
		r.Demos, r.Levels, r.Horizon, r.L2, r.LogLik, r.Iterations, r.GradNorm, conv)
	width := len("contrast")
	for _, e := range slices.Concat(r.Weights, r.Contrasts) {
		width = max(width, len(e.Name))
	}
	fmt.Fprintf(&b, "%-*s %10s %10s  %-24s %s\n", width, "weight", "value", "SE", fmt.Sprintf("%g%% interval", 100*r.Level), "identifiable")
	row := func(e Estimate) {
		iv := "-"
		if !math.IsNaN(e.Lo) {
			iv = fmt.Sprintf("[%.4g, %.4g]", e.Lo, e.Hi)
		}
		id := "yes"
		if !e.Identifiable {
			id = fmt.Sprintf("NOT identifiable (%.0f%% in the null space)", 100*e.NullShare)
		}
		fmt.Fprintf(&b, "%-*s %10.4f %10.4g  %-24s %s\n", width, e.Name, e.Value, e.SE, iv, id)
	}
	for _, e := range r.Weights {
		row(e)
	}
	if len(r.Contrasts) > 0 {
		b.WriteString("contrast\n")
		for _, e := range r.Contrasts {
			row(e)
		}
	}
	if len(r.Null) == 0 {
		fmt.Fprintf(&b, "every direction determined (smallest relative Fisher eigenvalue %.2g > %g)\n",
			r.Eigenvalues[0]/r.Eigenvalues[len(r.Eigenvalues)-1], r.IdentTol)
	}
	for _, d := range r.Null {
		var terms []string
		for k, x := range d.Vector {
			if math.Abs(x) > 1e-3 {
				terms = append(terms, fmt.Sprintf("%+.3f·%s", x, r.Features[k]))
			}
		}
		fmt.Fprintf(&b, "undetermined direction (relative information %.1e ≤ %g): %s\n", d.Relative, r.IdentTol, strings.Join(terms, " "))
	}
	return b.String()
}
