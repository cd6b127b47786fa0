package mcts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"argmax"
	"argmax/env"
	"argmax/game"
)

// Prior is a learned guide for an EnvPlanner — a policy and value
// network such as PPO's: Prior writes into dst a probability for each of
// the planner's discrete actions (EnvModel's numbering; len(dst) of them)
// given an observation, and returns its estimate of the discounted return
// from there, with the work it did (forward passes, FLOPs). It must not
// keep obs or dst. Its signature uses only standard types, so a policy
// defined elsewhere implements it without importing this package.
type Prior interface {
	Prior(obs []float64, dst []float32) (value float64, cost argmax.Cost, err error)
}

// EnvConfig sets up an EnvPlanner: the search's settings, and how the env
// becomes a model.
type EnvConfig struct {
	// ModelConfig holds the search's settings. Its Depth and Rollouts
	// set the random rollouts that value leaves when neither Prior nor
	// Evaluator is set (or with PriorRollouts); with rollouts, a Horizon
	// (a few tens of steps) is recommended, so that returns of branches
	// of different depths stay comparable (see ModelConfig.Horizon). Its Seed also reseeds the
	// simulated env's random streams (see EnvPlanner).
	ModelConfig
	// Levels is the number of evenly spaced values per dimension of a box
	// action space (see EnvModel); 0 means DefaultLevels. It is ignored
	// for a discrete action space.
	Levels int
	// Discount is the factor γ of the returns the search maximizes; 0
	// means 1 (the undiscounted sum, as the env's return is).
	Discount float64
	// Prior, when set, replaces the rollouts (unless PriorRollouts):
	// leaves are valued by the prior's value, and PUCT uses its action
	// probabilities (UCT uses none). This is the hybrid of MCTS guided by
	// a learned policy.
	Prior Prior
	// PriorRollouts, with a Prior, keeps the random rollouts for the
	// leaves' values (Depth, Rollouts and Horizon, as without a prior)
	// and ignores the prior's value: the prior only gives PUCT its action
	// probabilities. It suits a policy whose value estimate is missing or
	// not on the scale of the returns searched. Without a Prior it is
	// ignored.
	PriorRollouts bool
	// Evaluator, when set, replaces the rollouts with any evaluator of
	// env states. At most one of Prior and Evaluator may be set.
	Evaluator StateEvaluator[*EnvState]
}

// EnvResult is the answer of one EnvPlanner search.
type EnvResult struct {
	// Action is the env action of the chosen discrete action (the
	// planner's buffer, valid until its next search).
	Action []float64
	// Index is the chosen discrete action (EnvModel's numbering).
	Index int
	// Value is the mean return of the simulations from the root.
	Value float64
	// Children are the root's discrete actions with their statistics.
	Children []ModelChild
	// Status says why the search stopped.
	Status Status
	// Cost is the work done: simulations, nodes, env steps in the tree
	// and in the rollouts (Steps), rollouts (Samples), the prior's
	// forward passes and FLOPs, wall time.
	Cost argmax.Cost
}

// EnvPlanner is an env.Policy that plans every decision by Monte Carlo
// tree search over the true simulator: a ModelSearcher over an EnvModel
// of the situation's env (which it clones; it never steps the env it is
// given), with box actions discretized. It plays the most visited root
// action.
//
// A stochastic env's clones would foresee the noise the env will draw, so
// the root clone of every search is reseeded (env.Reseed) from the
// planner's seed and the decision's index first: the search plans
// against noise drawn afresh. Its tree states are fixed once simulated
// (an open-loop view of each node's noise). Deterministic envs are
// unaffected.
//
// It is an env.Resetter: Reset restarts the sequence of search seeds, so
// an episode from Reset is a pure function of the seed and the env. An
// EnvPlanner is not safe for concurrent use.
type EnvPlanner struct {
	cfg      EnvConfig
	model    *EnvModel
	searcher *ModelSearcher[*EnvState]
	prior    *priorEvaluator
	action   []float64
	decision uint64
}

var (
	_ env.Policy                        = (*EnvPlanner)(nil)
	_ env.Resetter                      = (*EnvPlanner)(nil)
	_ argmax.Distributor[env.Situation] = (*EnvPlanner)(nil)
)

// NewEnvPlanner returns a planner for cfg, or an error naming what is
// invalid in it.
func NewEnvPlanner(cfg EnvConfig) (*EnvPlanner, error) {
	if cfg.Levels < 0 || cfg.Levels == 1 {
		return nil, fmt.Errorf("mcts env config: levels=%d: want ≥ 2 (0 for %d)", cfg.Levels, DefaultLevels)
	}
	if cfg.Levels == 0 {
		cfg.Levels = DefaultLevels
	}
	if cfg.Discount == 0 {
		cfg.Discount = 1
	}
	if !(cfg.Discount > 0 && cfg.Discount <= 1) {
		return nil, fmt.Errorf("mcts env config: discount=%v: want a value in (0, 1]", cfg.Discount)
	}
	if cfg.Prior != nil && cfg.Evaluator != nil {
		return nil, errors.New("mcts env config: both a prior and an evaluator: set at most one")
	}
	p := &EnvPlanner{cfg: cfg, model: &EnvModel{discount: cfg.Discount, levels: cfg.Levels}}
	ev := cfg.Evaluator
	if cfg.Prior != nil {
		p.prior = &priorEvaluator{prior: cfg.Prior, model: p.model}
		ev = p.prior
	}
	s, err := NewModelSearcher[*EnvState](p.model, ev, cfg.ModelConfig)
	if err != nil {
		return nil, err
	}
	p.searcher = s
	p.cfg.ModelConfig = s.Config()
	if p.prior != nil && cfg.PriorRollouts {
		mc := p.cfg.ModelConfig
		p.prior.rollouts = &StateRollouts[*EnvState]{Model: p.model, N: mc.Rollouts, Depth: mc.Depth}
		p.prior.horizon = mc.Horizon
	}
	return p, nil
}

// Config returns the planner's configuration with its defaults filled in.
func (p *EnvPlanner) Config() EnvConfig { return p.cfg }

// Reset starts a new episode: the next search draws its seeds as the
// first one after NewEnvPlanner did.
func (p *EnvPlanner) Reset() {
	p.decision = 0
	p.searcher.Reset()
}

// Decide plans from s within b and returns the chosen action.
func (p *EnvPlanner) Decide(ctx context.Context, s env.Situation, b argmax.Budget) ([]float64, argmax.Cost, error) {
	r, err := p.Search(ctx, s, b)
	if err != nil {
		return nil, argmax.Cost{}, err
	}
	return r.Action, r.Cost, nil
}

// Distribution plans from s within b and writes the share of root visits
// of each discrete action into dst, which must have one entry per
// discrete action (EnvModel's numbering).
func (p *EnvPlanner) Distribution(ctx context.Context, s env.Situation, b argmax.Budget, dst []float32) (argmax.Cost, error) {
	r, err := p.Search(ctx, s, b)
	if err != nil {
		return argmax.Cost{}, err
	}
	if len(dst) != p.model.n {
		return r.Cost, fmt.Errorf("mcts: distribution over %d entries for %d discrete actions", len(dst), p.model.n)
	}
	clear(dst)
	var total int64
	for _, c := range r.Children {
		total += c.Visits
	}
	for _, c := range r.Children {
		if total > 0 {
			dst[c.Action] = float32(float64(c.Visits) / float64(total))
		}
	}
	if total == 0 {
		dst[r.Index] = 1
	}
	return r.Cost, nil
}

// Search plans from s within b (simulations, nodes, time; unlimited means
// the Config's budget, or DefaultModelSimulations simulations) and
// returns the chosen action with the root statistics. Every env step the
// search simulates, in the tree and in rollouts, counts in Cost.Steps.
func (p *EnvPlanner) Search(ctx context.Context, s env.Situation, b argmax.Budget) (*EnvResult, error) {
	if s.Env == nil {
		return nil, errors.New("mcts: situation without an env (the planner simulates its clones)")
	}
	if p.prior != nil && s.Obs == nil {
		return nil, fmt.Errorf("mcts: env %s: situation without an observation for the prior", s.Env.Name())
	}
	if err := p.prepare(s.Env.ActionSpace()); err != nil {
		return nil, fmt.Errorf("mcts: env %s: %w", s.Env.Name(), err)
	}
	root := &EnvState{Env: s.Env.Clone(), Obs: slices.Clone(s.Obs)}
	env.Reseed(root.Env, game.Mix64(p.cfg.Seed^0x656e76706c616e)+p.decision*0x9e3779b97f4a7c15)
	if p.prior != nil && p.prior.rollouts != nil && p.prior.horizon > 0 {
		root.Env = &depthEnv{Env: root.Env} // the rollouts' length depends on the leaf's depth
	}
	p.decision++
	r, err := p.searcher.Search(ctx, root, b)
	if err != nil {
		return nil, fmt.Errorf("mcts: env %s: %w", s.Env.Name(), err)
	}
	p.action = append(p.action[:0], p.model.Action(r.Action)...)
	return &EnvResult{
		Action:   p.action,
		Index:    r.Action,
		Value:    r.Value,
		Children: r.Children,
		Status:   r.Status,
		Cost:     r.Cost,
	}, nil
}

// prepare discretizes the action space, unless the model already has it.
func (p *EnvPlanner) prepare(space env.Space) error {
	m := p.model
	if m.table != nil && m.space.N == space.N && slices.Equal(m.space.Low, space.Low) && slices.Equal(m.space.High, space.High) {
		return nil
	}
	fresh, err := newEnvModel(space, p.cfg.Levels, p.cfg.Discount)
	if err != nil {
		return err
	}
	*m = *fresh
	return nil
}

// priorEvaluator values env states by a Prior, one observation at a time
// — or, with rollouts (EnvConfig.PriorRollouts), by random rollouts, the
// prior giving the action probabilities only.
type priorEvaluator struct {
	prior    Prior
	model    *EnvModel
	scratch  []float32
	rollouts *StateRollouts[*EnvState] // nil: the prior's value
	horizon  int                       // the search's Horizon, with rollouts
}

// Evaluate asks the prior about every state's observation, and values
// the states by the prior or by the rollouts.
func (e *priorEvaluator) Evaluate(states []*EnvState, rng *rand.Rand, values []float64, priors []float32) (argmax.Cost, error) {
	n := e.model.NumActions()
	var c argmax.Cost
	if e.rollouts != nil {
		if e.horizon > 0 {
			// As the search does for its own StateRollouts: a leaf d steps
			// below the root rolls out for Horizon−d steps.
			r := e.rollouts
			r.depths = r.depths[:0]
			for _, s := range states {
				d, ok := s.Env.(*depthEnv)
				if !ok {
					return c, errors.New("prior rollouts: a state whose depth is unknown")
				}
				r.depths = append(r.depths, max(e.horizon-d.depth, 0))
			}
		}
		rc, err := e.rollouts.Evaluate(states, rng, values, nil)
		e.rollouts.depths = e.rollouts.depths[:0]
		c = c.Add(rc)
		if err != nil {
			return c, err
		}
		if priors == nil { // UCT: the prior has nothing to say
			return c, nil
		}
	}
	for i, s := range states {
		var row []float32
		if priors != nil {
			row = priors[i*n : (i+1)*n]
		} else {
			row = grow(&e.scratch, n)
		}
		v, pc, err := e.prior.Prior(s.Obs, row)
		c = c.Add(pc)
		if err != nil {
			return c, fmt.Errorf("prior: %w", err)
		}
		if e.rollouts != nil {
			continue
		}
		if math.IsNaN(v) {
			return c, errors.New("prior: NaN value")
		}
		values[i] = v
	}
	return c, nil
}

// depthEnv is an env that counts the steps taken since the root of a
// search (its clones keep the count), so that rollouts alongside a prior
// know how far a leaf is from the horizon.
type depthEnv struct {
	env.Env
	depth int
}

func (d *depthEnv) Step(a []float64) ([]float64, float64, bool, bool) {
	d.depth++
	return d.Env.Step(a)
}

func (d *depthEnv) Clone() env.Env { return &depthEnv{Env: d.Env.Clone(), depth: d.depth} }
