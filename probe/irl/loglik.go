package irl

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"argmax/direct/valueiter"
)

// tailTol is the relative residual below which the backward pass stops
// sweeping: once a sweep changes no value by more than tailTol·(1 +
// max |V|), the soft Bellman operator (a non-expansion at γ = 1) keeps
// every later sweep as close, and the remaining steps reuse the last
// sweep's values and policy — a change of at most tailTol·(1 + max |V|)
// per step skipped, far below the fit's tolerances. Episodes that end
// surely (a step cost, terminal goals) converge in a few times their
// length; values still growing never trigger it.
const tailTol = 1e-14

// backward is the finite-horizon soft backward pass on tbl (its rewards
// set): up to h sweeps of valueiter.SoftValueIteration at temperature 1
// and γ = 1, each from the values of the last. qs[k] and vs[k] are the
// soft Q-values and values with k steps to go (k = 1..h; index 0 unused;
// after the sweeps converge, as tailTol says, the later entries share the
// last sweep's slices), and policy holds the time-indexed policy tables
// one after the other, table t (t = 0..h−1) that of step t, i.e. of h − t
// steps to go; with pad, one more table (a copy of the last) follows,
// for valueiter.Visitation over h+1 steps, which never acts on it.
func backward(tbl *valueiter.Table, h int, pad bool) (qs, vs [][]float64, policy []float64, err error) {
	nS, nA := tbl.NumStates(), tbl.NumActions()
	size := nS * nA
	tables := h
	if pad {
		tables++
	}
	qs, vs = make([][]float64, h+1), make([][]float64, h+1)
	policy = make([]float64, tables*size)
	var v []float64 // nil: V = 0 with no steps to go
	for k := 1; k <= h; k++ {
		sol, err := valueiter.SoftValueIteration(tbl, valueiter.Config{Gamma: 1, MaxSweeps: 1, Init: v}, 1)
		if err != nil {
			return nil, nil, nil, err
		}
		qs[k], vs[k] = sol.Q, sol.V
		softPolicy(policy[(h-k)*size:(h-k+1)*size], sol.Q, sol.V, nA)
		v = sol.V
		if k > 1 && sol.Residual <= tailTol*(1+normInf(sol.V)) {
			last := policy[(h-k)*size : (h-k+1)*size]
			for j := k + 1; j <= h; j++ {
				qs[j], vs[j] = sol.Q, sol.V
				copy(policy[(h-j)*size:], last)
			}
			break
		}
	}
	if pad {
		copy(policy[h*size:], policy[(h-1)*size:h*size])
	}
	return qs, vs, policy, nil
}

// softPolicy writes π(a|s) = exp(Q(s, a) − V(s)) into dst: the policy of
// a soft solve at temperature 1 (valueiter.Solution.Policy, without its
// second pass over the maxima), each probability capped at 1 against a
// rounding of V below max Q.
func softPolicy(dst, q, v []float64, nA int) {
	for s, vs := range v {
		for a, x := range q[s*nA : (s+1)*nA] {
			dst[s*nA+a] = min(1, math.Exp(x-vs))
		}
	}
}

// SoftPolicy returns the time-indexed soft-optimal policy (temperature 1,
// no discount) of the reward r = Φw on env over horizon steps: horizon
// tables of states × actions probabilities one after the other, table t
// the policy at step t (horizon − t steps to go) — the model of the
// demonstrator that Fit fits, in the form valueiter.Visitation reads.
func SoftPolicy(env Env, w []float64, horizon int) ([]float64, error) {
	if env.Table == nil {
		return nil, fmt.Errorf("irl: SoftPolicy: env has no table")
	}
	if horizon < 1 {
		return nil, fmt.Errorf("irl: SoftPolicy: horizon %d: want at least 1 step", horizon)
	}
	if err := checkWeights(w, len(env.Features)/max(1, env.Table.NumStates())); err != nil {
		return nil, fmt.Errorf("irl: SoftPolicy: %w", err)
	}
	tbl, err := env.Table.WithFeatureRewards(env.Features, w)
	if err != nil {
		return nil, fmt.Errorf("irl: SoftPolicy: %w", err)
	}
	_, _, pol, err := backward(tbl, horizon, false)
	if err != nil {
		return nil, fmt.Errorf("irl: SoftPolicy: %w", err)
	}
	return pol, nil
}

// checkWeights checks that w holds nF finite weights.
func checkWeights(w []float64, nF int) error {
	if len(w) != nF {
		return fmt.Errorf("%d weights for %d features", len(w), nF)
	}
	for k, x := range w {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("weight %d is %v: want a finite weight", k, x)
		}
	}
	return nil
}

// startOverride is a table with another start distribution.
type startOverride struct {
	*valueiter.Table
	start []float64
}

func (s startOverride) StartProb(i int) float64 { return s.start[i] }

// evaluator computes the objective of a validated problem on weighted
// sets of its demonstrations.
type evaluator struct {
	p     *Problem
	nF, h int
	demoF [][]float64 // the feature counts Σ_{t=1..T} φ(s_t) of each demonstration
}

func newEvaluator(p *Problem) *evaluator {
	e := &evaluator{p: p, nF: len(p.Features), h: p.horizon(), demoF: make([][]float64, len(p.Demos))}
	for i, d := range p.Demos {
		f := make([]float64, e.nF)
		phi := p.Envs[d.Env].Features
		for _, s := range d.States[1:] {
			for k, x := range phi[s*e.nF : (s+1)*e.nF] {
				f[k] += x
			}
		}
		e.demoF[i] = f
	}
	return e
}

// levelSet is the part of a demonstration set on one environment.
type levelSet struct {
	env   int
	table *valueiter.Table // the environment's transitions, started from the set's first states
	count float64          // Σ mult
	femp  []float64        // Σ mult·(feature counts)
	demos []int
	mult  []float64
}

// demoSet is a weighted set of demonstrations (a bootstrap resample
// repeats some and drops others).
type demoSet struct {
	n      float64
	levels []levelSet
}

// set returns the demonstration set of multiplicities mult (one per
// demonstration; nil: every demonstration once).
func (e *evaluator) set(mult []float64) (*demoSet, error) {
	byEnv := make([]*levelSet, len(e.p.Envs))
	ds := &demoSet{}
	for i, d := range e.p.Demos {
		m := 1.0
		if mult != nil {
			m = mult[i]
		}
		if m == 0 {
			continue
		}
		ls := byEnv[d.Env]
		if ls == nil {
			ls = &levelSet{env: d.Env, femp: make([]float64, e.nF)}
			byEnv[d.Env] = ls
		}
		ls.count += m
		ls.demos = append(ls.demos, i)
		ls.mult = append(ls.mult, m)
		for k, x := range e.demoF[i] {
			ls.femp[k] += m * x
		}
		ds.n += m
	}
	for ei, ls := range byEnv {
		if ls == nil {
			continue
		}
		tab := e.p.Envs[ei].Table
		start := make([]float64, tab.NumStates())
		for j, i := range ls.demos {
			start[e.p.Demos[i].States[0]] += ls.mult[j]
		}
		for s := range start {
			start[s] /= ls.count
		}
		t, err := valueiter.NewTable(startOverride{tab, start})
		if err != nil {
			return nil, fmt.Errorf("irl: %s: %w", e.p.envName(ei), err)
		}
		ls.table = t
		ds.levels = append(ds.levels, *ls)
	}
	return ds, nil
}

// levelOut is one level's share of the objective, as sums over its
// demonstrations.
type levelOut struct {
	dual, ll float64
	expF     []float64
}

// level evaluates one level at w.
func (e *evaluator) level(ls *levelSet, w []float64) (levelOut, error) {
	env := e.p.Envs[ls.env]
	nS, nA, nF, h := ls.table.NumStates(), ls.table.NumActions(), e.nF, e.h
	r, err := valueiter.LinearRewards(env.Features, nS, w)
	if err != nil {
		return levelOut{}, err
	}
	tbl, err := ls.table.WithStateRewards(r)
	if err != nil {
		return levelOut{}, err
	}
	qs, vs, pol, err := backward(tbl, h, true)
	if err != nil {
		return levelOut{}, err
	}
	d, err := valueiter.Visitation(tbl, pol, h+1, valueiter.Once)
	if err != nil {
		return levelOut{}, err
	}
	out := levelOut{expF: make([]float64, nF)}
	start := ls.table.Start()
	for s := range nS {
		m := (d[s] - start[s]) * ls.count
		if m == 0 {
			continue
		}
		for k, x := range env.Features[s*nF : (s+1)*nF] {
			out.expF[k] += m * x
		}
	}
	for k, x := range ls.femp {
		out.dual += w[k] * x
	}
	for j, i := range ls.demos {
		m, dm := ls.mult[j], e.p.Demos[i]
		out.dual -= m * vs[h][dm.States[0]]
		var l float64
		for t, a := range dm.Actions {
			k, s := h-t, dm.States[t]
			l += qs[k][s*nA+a] - vs[k][s]
		}
		out.ll += m * l
	}
	return out, nil
}

// evalOut is the objective of a demonstration set at w, as means per
// demonstration, without the prior.
type evalOut struct {
	dual, ll   float64
	emp, expct []float64
}

// grad returns emp − expct.
func (o evalOut) grad() []float64 {
	g := make([]float64, len(o.emp))
	for k := range g {
		g[k] = o.emp[k] - o.expct[k]
	}
	return g
}

// eval evaluates ds at w on up to workers goroutines, the levels summed
// in order (the same result at any worker count).
func (e *evaluator) eval(ds *demoSet, w []float64, workers int) (evalOut, error) {
	outs := make([]levelOut, len(ds.levels))
	err := parallel(len(ds.levels), workers, func(i int) error {
		o, err := e.level(&ds.levels[i], w)
		outs[i] = o
		return err
	})
	if err != nil {
		return evalOut{}, err
	}
	res := evalOut{emp: make([]float64, e.nF), expct: make([]float64, e.nF)}
	for i, o := range outs {
		res.dual += o.dual
		res.ll += o.ll
		for k := range e.nF {
			res.emp[k] += ds.levels[i].femp[k]
			res.expct[k] += o.expF[k]
		}
	}
	res.dual /= ds.n
	res.ll /= ds.n
	for k := range e.nF {
		res.emp[k] /= ds.n
		res.expct[k] /= ds.n
	}
	return res, nil
}

// parallel runs f(0..n−1) on up to workers goroutines (0: GOMAXPROCS) and
// returns the error of the lowest index that failed.
func parallel(n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	errs := make([]error, n)
	if workers <= 1 {
		for i := range n {
			errs[i] = f(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					errs[i] = f(i)
				}
			})
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Likelihood is the fit's objective at one weight vector, per
// demonstration (means over the demonstrations), without the prior.
type Likelihood struct {
	// LogLik is the mean log-likelihood of the demonstrated actions,
	// Σ_t log π_t(a_t|s_t), under the soft-optimal policy of Φw.
	LogLik float64
	// Dual is the maximum causal entropy dual, the mean of w·f(τ) −
	// V_0(s_0) (f(τ) the demonstration's feature counts, V_0 the soft
	// value of its start with the whole horizon to go): concave in w, and
	// equal to LogLik when the demonstrated steps are deterministic (each
	// (s_t, a_t) has one outcome), as in gridworlds; with stochastic
	// transitions the two differ by terms of zero mean under the dynamics.
	Dual float64
	// Empirical and Expected are the mean feature counts of the
	// demonstrations and those expected of the soft-optimal policy from
	// the same start states.
	Empirical, Expected []float64
	// Grad is the gradient of Dual: Empirical − Expected, exactly (and so
	// that of LogLik when the two are equal).
	Grad []float64
}

// Likelihood validates p and evaluates its objective at w.
func (p *Problem) Likelihood(w []float64) (*Likelihood, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkWeights(w, len(p.Features)); err != nil {
		return nil, fmt.Errorf("irl: Likelihood: %w", err)
	}
	e := newEvaluator(p)
	ds, err := e.set(nil)
	if err != nil {
		return nil, err
	}
	o, err := e.eval(ds, w, 1)
	if err != nil {
		return nil, err
	}
	return &Likelihood{LogLik: o.ll, Dual: o.dual, Empirical: o.emp, Expected: o.expct, Grad: o.grad()}, nil
}
