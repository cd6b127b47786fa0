package cem

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"argmax"
	"argmax/env"
)

// streamTag is the second word of the sampling stream's PCG seed.
const streamTag = 0x63656d706c616e // "cemplan"

// Result is the outcome of one search.
type Result struct {
	// Action is the first action of the plan, the one to execute (the
	// Planner's buffer, valid until its next search).
	Action []float64
	// Plan is the optimized sequence: Horizon steps of the action
	// dimension, the mean of the final distribution (for a discrete
	// space, the most probable action of each step).
	Plan []float64
	// Return is the highest return of a sequence sampled in the last
	// iteration, as the model predicts it.
	Return float64
	// Cost is the work of the search: sequences simulated (Samples),
	// Iterations, and the model's counts (Steps, ForwardPasses, FLOPs).
	Cost argmax.Cost
}

// Planner is a receding-horizon planner: an env.Policy that optimizes an
// action sequence against its Model at every decision, executes the first
// action and keeps the shifted plan as the next decision's warm start. It
// is an env.Resetter: Reset forgets the plan at the start of an episode.
// A Planner is not safe for concurrent use.
type Planner struct {
	model Model
	cfg   Config
	pcg   *rand.PCG
	rng   *rand.Rand

	// The action space the plan is for.
	d, n   int       // dimension; number of discrete actions (0 for a box)
	lo, hi []float64 // box bounds, one per dimension
	init   []float64 // initial mean and standard deviation per dimension
	std0   []float64

	// The distribution: for a box, the mean and standard deviation of
	// every step and dimension (Horizon·d); for a discrete space, the
	// probabilities of every step and action (Horizon·n).
	mean, std, probs []float64
	warm             bool // the distribution holds a shifted plan

	actions, rewards, returns, weights []float64
	order                              []int
	action, plan                       []float64
}

var (
	_ env.Policy   = (*Planner)(nil)
	_ env.Resetter = (*Planner)(nil)
)

// New returns a Planner simulating model, or an error naming the first
// wrong field of cfg.
func New(model Model, cfg Config) (*Planner, error) {
	if model == nil {
		return nil, errors.New("cem: nil model")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Planner{model: model, cfg: cfg, pcg: rand.NewPCG(cfg.Seed, streamTag)}
	p.rng = rand.New(p.pcg)
	return p, nil
}

// Config returns the planner's configuration with its defaults filled in.
func (p *Planner) Config() Config { return p.cfg }

// Reset starts a new episode: it forgets the warm-start plan and reseeds
// the sampling stream from Config.Seed.
func (p *Planner) Reset() {
	p.warm = false
	p.pcg.Seed(p.cfg.Seed, streamTag)
}

// WarmStart returns a copy of the plan the next search starts from: the
// mean of each step's distribution (a box) or its probabilities (a
// discrete space), nil when there is none (before the first search and
// after Reset).
func (p *Planner) WarmStart() []float64 {
	if !p.warm {
		return nil
	}
	if p.n > 0 {
		return slices.Clone(p.probs)
	}
	return slices.Clone(p.mean)
}

// Decide plans from s within b and returns the first action of the plan.
func (p *Planner) Decide(ctx context.Context, s env.Situation, b argmax.Budget) ([]float64, argmax.Cost, error) {
	r, err := p.Search(ctx, s, b)
	return r.Action, r.Cost, err
}

// Search optimizes an action sequence from s within b, starting from the
// warm-start plan of the previous search, and keeps the result, shifted
// by one step, as the next search's warm start.
//
// b limits the iterations (b.Iterations), the sequences sampled over all
// iterations (b.Samples; the last iteration samples fewer when fewer are
// left) and the wall time (b.Time, checked between iterations; the first
// iteration always runs). A budget with none of these limits means
// Config.Budget, and if that has none either, Config.Iterations
// iterations. A search stopped by time before Config.Iterations iterations
// counts as cut short.
func (p *Planner) Search(ctx context.Context, s env.Situation, b argmax.Budget) (Result, error) {
	if err := b.Check(); err != nil {
		return Result{}, fmt.Errorf("cem: %w", err)
	}
	if s.Env == nil {
		return Result{}, errors.New("cem: situation without an env (the planner reads its action space)")
	}
	if err := p.prepare(s.Env.ActionSpace()); err != nil {
		return Result{}, err
	}
	if p.cfg.Method == MPPI && p.n > 0 {
		return Result{}, fmt.Errorf("cem: MPPI needs a box action space, not %v", s.Env.ActionSpace())
	}
	b = p.limits(b)
	start := time.Now()
	h, d := p.cfg.Horizon, p.d
	var res Result
	var c argmax.Cost
	if p.cfg.Init != nil {
		ic, err := p.initialize(s)
		c = c.Add(ic)
		if err != nil {
			return Result{Cost: c}, err
		}
	}
	for it := int64(0); ; it++ {
		if b.Iterations > 0 && it >= b.Iterations {
			break
		}
		if b.Samples > 0 && c.Samples >= b.Samples {
			break
		}
		if it > 0 && b.Time > 0 && time.Since(start) >= b.Time {
			if it < int64(p.cfg.Iterations) {
				c.CutShort = 1
			}
			break
		}
		if err := ctx.Err(); err != nil {
			return Result{Cost: c}, err
		}
		n := p.cfg.Samples
		if b.Samples > 0 {
			n = int(min(int64(n), b.Samples-c.Samples))
		}
		actions := grow(&p.actions, n*h*d)
		rewards := grow(&p.rewards, n*h)
		p.sample(actions, n)
		mc, err := p.model.Evaluate(s, actions, h, p.rng.Uint64(), rewards)
		c = c.Add(mc)
		c.Samples += int64(n)
		c.Iterations++
		if err != nil {
			return Result{Cost: c}, fmt.Errorf("cem: iteration %d: %w", it+1, err)
		}
		res.Return = p.update(actions, rewards, n)
	}
	res.Cost = c
	res.Action, res.Plan = p.finish()
	return res, nil
}

// limits returns the budget a search runs under.
func (p *Planner) limits(b argmax.Budget) argmax.Budget {
	applies := func(b argmax.Budget) bool { return b.Iterations > 0 || b.Samples > 0 || b.Time > 0 }
	if !applies(b) {
		b = p.cfg.Budget
	}
	if !applies(b) {
		b = argmax.Budget{Iterations: int64(p.cfg.Iterations)}
	}
	return b
}

// prepare sets the planner up for the action space and starts the
// search's distribution: the warm start when there is one, the initial
// distribution otherwise.
func (p *Planner) prepare(space env.Space) error {
	h := p.cfg.Horizon
	if space.IsDiscrete() {
		if p.n != space.N || p.d != 1 {
			p.n, p.d, p.warm = space.N, 1, false
			p.probs = make([]float64, h*p.n)
		}
		if !p.warm {
			for i := range p.probs {
				p.probs[i] = 1 / float64(p.n)
			}
		} else {
			// The kept plan is mixed half and half with the uniform
			// distribution: CEM's spread restarts at every decision, as a
			// box's standard deviation does.
			for i := range p.probs {
				p.probs[i] = 0.5*p.probs[i] + 0.5/float64(p.n)
			}
		}
		return nil
	}
	d := space.Dim()
	if d == 0 {
		return fmt.Errorf("cem: empty action space %v", space)
	}
	if p.n != 0 || p.d != d || !slices.Equal(p.lo, space.Low) || !slices.Equal(p.hi, space.High) {
		p.n, p.d, p.warm = 0, d, false
		p.lo, p.hi = slices.Clone(space.Low), slices.Clone(space.High)
		p.init, p.std0 = make([]float64, d), make([]float64, d)
		for j := range d {
			lo, hi := p.lo[j], p.hi[j]
			switch {
			case bounded(lo) && bounded(hi):
				p.init[j] = (lo + hi) / 2
				p.std0[j] = p.cfg.InitStd * (hi - lo) / 2
			case bounded(lo):
				p.init[j], p.std0[j] = lo, p.cfg.InitStd
			case bounded(hi):
				p.init[j], p.std0[j] = hi, p.cfg.InitStd
			default:
				p.init[j], p.std0[j] = 0, p.cfg.InitStd
			}
		}
		p.mean, p.std = make([]float64, h*d), make([]float64, h*d)
	}
	if !p.warm {
		for i := range p.mean {
			p.mean[i] = p.init[i%d]
		}
	}
	for i := range p.std {
		p.std[i] = p.std0[i%d]
	}
	return nil
}

func bounded(v float64) bool { return !math.IsInf(v, 0) && math.Abs(v) < 1e300 }

// sample draws n sequences from the distribution into actions.
func (p *Planner) sample(actions []float64, n int) {
	h := p.cfg.Horizon
	if p.n > 0 {
		for i := range n {
			for t := range h {
				actions[i*h+t] = float64(categorical(p.rng, p.probs[t*p.n:(t+1)*p.n]))
			}
		}
		return
	}
	d := p.d
	for i := range n {
		row := actions[i*h*d : (i+1)*h*d]
		for k := range row {
			row[k] = clip(p.mean[k]+p.std[k]*p.rng.NormFloat64(), p.lo[k%d], p.hi[k%d])
		}
	}
}

// categorical draws an index with the given probabilities.
func categorical(rng *rand.Rand, probs []float64) int {
	u := rng.Float64()
	for k, q := range probs {
		if u < q {
			return k
		}
		u -= q
	}
	return len(probs) - 1
}

func clip(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }

// update scores the n sampled sequences, moves the distribution and
// returns the best return.
func (p *Planner) update(actions, rewards []float64, n int) float64 {
	h, d, a := p.cfg.Horizon, p.d, p.cfg.Smoothing
	returns := grow(&p.returns, n)
	for i := range n {
		var ret, g float64 = 0, 1
		for _, r := range rewards[i*h : (i+1)*h] {
			ret += g * r
			g *= p.cfg.Discount
		}
		if math.IsNaN(ret) {
			ret = math.Inf(-1)
		}
		returns[i] = ret
	}
	order := grow(&p.order, n)
	for i := range order {
		order[i] = i
	}
	// Best first; ties keep the sampling order.
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(returns[j], returns[i]) })
	best := returns[order[0]]

	if p.cfg.Method == MPPI {
		// w_i = exp((R_i - max R)/λ); mean ← Σ w_i a_i / Σ w_i.
		var z float64
		w := grow(&p.weights, n)
		for i := range n {
			w[i] = math.Exp((returns[i] - best) / p.cfg.Temperature)
			z += w[i]
		}
		for k := range p.mean {
			var m float64
			for i := range n {
				m += w[i] * actions[i*h*d+k]
			}
			p.mean[k] = a*p.mean[k] + (1-a)*m/z
		}
		return best
	}

	elites := order[:min(p.cfg.Elites, n)]
	ke := float64(len(elites))
	if p.n > 0 {
		for t := range h {
			q := p.probs[t*p.n : (t+1)*p.n]
			for k := range q {
				q[k] *= a
			}
			for _, i := range elites {
				q[int(actions[i*h+t])] += (1 - a) / ke
			}
		}
		return best
	}
	for k := range p.mean {
		var m float64
		for _, i := range elites {
			m += actions[i*h*d+k]
		}
		m /= ke
		var v float64
		for _, i := range elites {
			dv := actions[i*h*d+k] - m
			v += dv * dv
		}
		p.mean[k] = a*p.mean[k] + (1-a)*m
		p.std[k] = a*p.std[k] + (1-a)*math.Sqrt(v/ke)
	}
	return best
}

// finish returns the action to execute and the plan, then shifts the
// distribution by one step for the next search.
func (p *Planner) finish() (action, plan []float64) {
	h, d := p.cfg.Horizon, p.d
	plan = grow(&p.plan, h*d)
	action = grow(&p.action, d)
	if p.n > 0 {
		for t := range h {
			plan[t] = float64(argmaxIndex(p.probs[t*p.n : (t+1)*p.n]))
		}
		copy(action, plan[:1])
		copy(p.probs, p.probs[p.n:])
		for k := (h - 1) * p.n; k < h*p.n; k++ {
			p.probs[k] = 1 / float64(p.n)
		}
	} else {
		for k := range plan {
			plan[k] = clip(p.mean[k], p.lo[k%d], p.hi[k%d])
		}
		copy(action, plan[:d])
		copy(p.mean, p.mean[d:])
		copy(p.mean[(h-1)*d:], p.init)
	}
	p.warm = true
	return action, plan
}

// argmaxIndex returns the index of the largest value, the first of ties.
func argmaxIndex(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// grow returns (*buf)[:n], growing the buffer when needed.
func grow[T any](buf *[]T, n int) []T {
	*buf = slices.Grow((*buf)[:0], n)[:n]
	return *buf
}
