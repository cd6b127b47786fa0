package guidedcem

import (
	"context"
	"errors"
	"fmt"
	"math"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
)

// DefaultRefine is the number of search iterations DefaultConfig sets.
const DefaultRefine = 2

// Config sets up a Planner.
type Config struct {
	// Search configures the CEM or MPPI search as direct/cem does
	// (Method, Horizon, Samples, Elites, Smoothing, Temperature, Seed,
	// Budget; InitStd is the spread where the actor gives none). Its
	// Discount, Iterations and Init are set by the planner.
	Search cem.Config
	// Refine is the number of search iterations that refine the proposal
	// at a decision whose budget sets no limit. 0 means none: the planner
	// answers with the actor's own action at the situation — the
	// amortized answer, one forward pass — so that the amortized policy
	// is the zero-budget case of the hybrid.
	Refine int
	// Discount is the factor γ of the return Σ_{t<H} γ^t r_t + γ^H V(s_H)
	// that sequences are ranked by; 0 means the value's own discount when
	// it has one (a Value with a Gamma() float64 method, as PPO has), 1
	// otherwise. A value function estimates a discounted return, so γ
	// should be the one it was trained with.
	Discount float64
	// Proposal sets the spread and mixing of the standard proposal (its
	// Actor and Model are the planner's).
	StdScale, MinStd, Mix float64
}

// DefaultConfig returns a small guided search: CEM with PETS's smoothing,
// horizon 10, 64 samples, DefaultRefine iterations.
func DefaultConfig() Config {
	s := cem.DefaultConfig()
	s.Horizon, s.Samples = 10, 64
	return Config{Search: s, Refine: DefaultRefine}
}

// Planner is guided CEM: a receding-horizon planner (an env.Policy)
// whose sampling distribution at every decision starts from an amortized
// policy's plan, rolled through the model, and whose sequences end in a
// learned value. It is an env.Resetter. A Planner is not safe for
// concurrent use.
type Planner struct {
	cfg      Config
	actor    Actor
	value    Value
	model    Model
	proposal *Rollout
	search   *cem.Planner
	action   []float64
}

var (
	_ env.Policy   = (*Planner)(nil)
	_ env.Resetter = (*Planner)(nil)
)

// New returns a guided planner that simulates model, proposes with actor
// and truncates with value (nil: no terminal value, the sampled return
// alone), or an error naming what is wrong.
func New(model Model, actor Actor, value Value, cfg Config) (*Planner, error) {
	if model == nil {
		return nil, errors.New("guidedcem: nil model")
	}
	if actor == nil {
		return nil, errors.New("guidedcem: nil actor")
	}
	if cfg.Refine < 0 {
		return nil, fmt.Errorf("guidedcem: refine=%d: want ≥ 0", cfg.Refine)
	}
	g := cfg.Discount
	if g == 0 {
		g = 1
		if v, ok := value.(interface{ Gamma() float64 }); ok {
			g = v.Gamma()
		}
	}
	if !(g > 0 && g <= 1) {
		return nil, fmt.Errorf("guidedcem: discount=%v: want a value in (0, 1]", g)
	}
	cfg.Discount = g
	if !(cfg.StdScale >= 0) || !(cfg.MinStd >= 0) || math.IsNaN(cfg.Mix) {
		return nil, fmt.Errorf("guidedcem: std scale %v, min std %v, mix %v: want scale and floor ≥ 0", cfg.StdScale, cfg.MinStd, cfg.Mix)
	}
	p := &Planner{cfg: cfg, actor: actor, value: value, model: model}
	p.proposal = &Rollout{Actor: actor, Model: model, StdScale: cfg.StdScale, MinStd: cfg.MinStd, Mix: cfg.Mix}
	sc := cfg.Search
	sc.Discount = g
	sc.Iterations = max(cfg.Refine, 1)
	sc.Init = p.proposal
	s, err := cem.New(&valued{model: model, value: value, gamma: g}, sc)
	if err != nil {
		return nil, fmt.Errorf("guidedcem: %w", err)
	}
	p.search = s
	p.cfg.Search = s.Config()
	return p, nil
}

// Config returns the planner's configuration with its defaults filled in.
func (p *Planner) Config() Config { return p.cfg }

// Reset starts a new episode (cem.Planner.Reset).
func (p *Planner) Reset() { p.search.Reset() }

// Decide answers s within b with the first action of the refined plan.
func (p *Planner) Decide(ctx context.Context, s env.Situation, b argmax.Budget) ([]float64, argmax.Cost, error) {
	r, err := p.Search(ctx, s, b)
	return r.Action, r.Cost, err
}

// Search plans from s within b. b limits the iterations, samples and time
// as in cem.Planner.Search; a budget with no limit means Config.Search's
// Budget, and if that has none either Config.Refine iterations — zero of
// them giving the actor's own action (Result.Plan is then that action
// alone, Result.Return 0). The Cost counts the model's steps (the
// proposal's rollout included), the actor's and the value's forward passes
// and their FLOPs, the samples and the iterations.
func (p *Planner) Search(ctx context.Context, s env.Situation, b argmax.Budget) (cem.Result, error) {
	if err := b.Check(); err != nil {
		return cem.Result{}, fmt.Errorf("guidedcem: %w", err)
	}
	applies := func(b argmax.Budget) bool { return b.Iterations > 0 || b.Samples > 0 || b.Time > 0 }
	if !applies(b) {
		b = p.cfg.Search.Budget
	}
	if !applies(b) {
		if p.cfg.Refine == 0 {
			return p.amortized(ctx, s)
		}
		b = argmax.Budget{Iterations: int64(p.cfg.Refine)}
	}
	r, err := p.search.Search(ctx, s, b)
	if err != nil {
		return r, fmt.Errorf("guidedcem: %w", err)
	}
	return r, nil
}

// amortized answers with the actor's action.
func (p *Planner) amortized(ctx context.Context, s env.Situation) (cem.Result, error) {
	if err := ctx.Err(); err != nil {
		return cem.Result{}, err
	}
	if s.Env == nil {
		return cem.Result{}, errors.New("guidedcem: situation without an env (the planner reads its action space)")
	}
	space := s.Env.ActionSpace()
	p.action = grow(&p.action, space.Dim())
	c, err := p.actor.Act(s.Obs, p.action)
	if err != nil {
		return cem.Result{Cost: c}, fmt.Errorf("guidedcem: %w", err)
	}
	if !space.IsDiscrete() {
		for j := range p.action {
			p.action[j] = max(space.Low[j], min(space.High[j], p.action[j]))
		}
	}
	return cem.Result{Action: p.action, Plan: p.action, Cost: c}, nil
}

// valued is the cem.Model the search runs: it plays the sequences through
// a Model and adds the discounted terminal value to the last reward of
// each sequence still running at the horizon.
type valued struct {
	model Model
	value Value
	gamma float64

	step, rew []float64
}

func (v *valued) Evaluate(s env.Situation, actions []float64, horizon int, seed uint64, rewards []float64) (argmax.Cost, error) {
	if horizon < 1 || len(rewards)%horizon != 0 {
		return argmax.Cost{}, fmt.Errorf("guidedcem: %d rewards for horizon %d", len(rewards), horizon)
	}
	n := len(rewards) / horizon
	if n == 0 {
		return argmax.Cost{}, nil
	}
	if len(actions)%(n*horizon) != 0 {
		return argmax.Cost{}, fmt.Errorf("guidedcem: %d action values for %d sequences of %d steps", len(actions), n, horizon)
	}
	d := len(actions) / (n * horizon)
	tr, err := v.model.Start(s, n, seed)
	if err != nil {
		return argmax.Cost{}, err
	}
	step := grow(&v.step, n*d)
	rew := grow(&v.rew, n)
	var c argmax.Cost
	for t := range horizon {
		for i := range n {
			copy(step[i*d:(i+1)*d], actions[(i*horizon+t)*d:(i*horizon+t+1)*d])
		}
		sc, err := tr.Step(step, rew)
		c = c.Add(sc)
		if err != nil {
			return c, err
		}
		for i := range n {
			rewards[i*horizon+t] = rew[i]
		}
	}
	if v.value == nil {
		return c, nil
	}
	for i := range n {
		if tr.Ended(i) {
			continue
		}
		val, vc, err := v.value.Value(tr.Obs(i))
		c = c.Add(vc)
		if err != nil {
			return c, err
		}
		// Step H−1 is weighted γ^{H−1} by the search: γ·V there is γ^H·V.
		rewards[i*horizon+horizon-1] += v.gamma * val
	}
	return c, nil
}
