package envs

import (
	"fmt"
	"strings"
	"sync"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/direct/mcts"
	"argmax/env"
	"argmax/hybrid/guidedcem"
	"argmax/hybrid/guidedmcts"
	"argmax/lab/kv"
)

// The search kinds: Monte Carlo tree search on the true simulator (a clone
// of the situation's env, reseeded before every search as the other
// planners do), a box action space discretized into levels per
// dimension — alone with random rollouts (mcts), or guided by the ppo
// kind's policy (guidedmcts).

// Defaults of the search kinds, measured on Pendulum-v1 (30 seeds, 100 to
// 400 simulations: a 15-step horizon beats 20, 25 and 30 by 5 to 30 in
// mean return, and 10 steps is too short to plan some swing-ups; 3 and 5
// levels tie, 9 do worse) and CartPole-v1 (20 seeds at 200 simulations: a
// 20-step horizon balances longer than 30 or 40).
const (
	searchSims       = mcts.DefaultModelSimulations
	searchBoxHorizon = 15
	searchHorizon    = 20 // discrete actions
	// calibration: the episodes of the training env, and the n-step
	// returns, that fit the scale of a NormReward critic.
	calibEpisodes, calibSteps = 4, 50
	// guidedMinR2 is the share of the variance of those returns a critic
	// must explain for value=auto to use it: PPO's critic on Pendulum-v1
	// after 150,000 steps explains 0.94 (and guides the search better than
	// rollouts), on CartPole-v1 after 100,000 steps less than none (its
	// values barely vary, and it misguides the search).
	guidedMinR2 = 0.5
	// guidedMix is the default weight of the uniform in the prior: it
	// helped the rollouts' search on both envs (+8 in mean return on the
	// pendulums, paired).
	guidedMix = 0.25
)

// searchConfig reads the keys the search kinds share into an EnvConfig.
// withHorizon says whether the search takes a horizon (rollouts); the
// critic's leaves have none.
func searchConfig(c Context, a *kv.Args, withHorizon bool) mcts.EnvConfig {
	var cfg mcts.EnvConfig
	cfg.Budget.Simulations = a.Int("sims", searchSims, 1, 1<<30)
	cfg.Levels = int(a.Int("levels", mcts.DefaultLevels, 2, mcts.MaxEnvActions))
	cfg.C = a.Float("c", 0, 0, 1e6)
	cfg.Discount = a.Float("discount", 0, 1e-6, 1) // 0: 1, or the critic's γ
	cfg.Seed = a.Uint("seed", c.Seed+1)
	if withHorizon {
		h := searchHorizon
		if c.Env != nil && !c.Env.ActionSpace().IsDiscrete() {
			h = searchBoxHorizon
		}
		cfg.Horizon = int(a.Int("horizon", int64(h), 0, 1<<16))
		cfg.Depth = int(a.Int("depth", mcts.DefaultDepth, 1, 1<<16))
		cfg.Rollouts = int(a.Int("rollouts", 1, 1, 1<<16))
	}
	return cfg
}

// mctsPolicy is the mcts kind: UCT over the true simulator, leaves valued
// by random rollouts to the horizon.
func mctsPolicy(c Context, a *kv.Args) (env.Policy, error) {
	cfg := searchConfig(c, a, true)
	if a.Err() != nil {
		return nil, a.Err()
	}
	return mcts.NewEnvPlanner(cfg)
}

// fits memoizes the calibration of each trained policy's critic (by its
// training env and ppo spec): a policy is made for every episode, and the
// calibration, deterministic, runs once a process.
var fits sync.Map // string → guidedcem.ValueFit

// guidedSearchPolicy is the guidedmcts kind: the mcts kind's search with
// PUCT over the probabilities of a PPO policy (the ppo kind's, trained on
// the training env), its leaves valued by the policy's critic or by random
// rollouts (value=auto|true|false; see valueMode).
func guidedSearchPolicy(c Context, a *kv.Args) (env.Policy, error) {
	steps := a.Int("steps", 0, 0, 1<<40)
	mode := valueMode(a)
	mix := a.Float("mix", guidedMix, 0, 1)
	cfg := searchConfig(c, a, mode != valueOn)
	if mode == valueOn {
		for _, k := range []string{"horizon", "depth", "rollouts"} {
			if _, ok := a.Lookup(k); ok {
				a.Fail("key %s is for the rollouts: with value=true the critic values the leaves (no horizon)", k)
			}
		}
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err // before training, not after
	}
	ppoSpec := fmt.Sprintf("ppo:steps=%d,seed=%d", steps, cfg.Seed)
	base, err := NewPolicyIn(c, ppoSpec)
	if err != nil {
		return nil, err
	}
	tr := base.(*trained)
	p, ok := tr.Policy.(*ppo.Policy)
	if !ok {
		return nil, fmt.Errorf("guidedmcts: the ppo kind gave a %T", tr.Policy)
	}
	prior, err := guidedmcts.New(p, guidedmcts.Config{Levels: cfg.Levels, Value: mode != valueOff, Mix: mix})
	if err != nil {
		return nil, err
	}
	training := tr.training
	useValue := mode == valueOn
	// The critic's fit to the returns of the training env: needed for the
	// scale of a NormReward critic, and by value=auto to judge it.
	if mode == valueAuto || mode == valueOn && prior.ValueScale() == 0 {
		key := c.Train + "\x00" + ppoSpec
		v, ok := fits.Load(key)
		if !ok {
			te, err := trainEnv(c)
			if err != nil {
				return nil, err
			}
			seeds := make([]uint64, calibEpisodes)
			for i := range seeds {
				seeds[i] = 1<<40 + uint64(i)
			}
			// Calibrate fails on a critic anticorrelated with the
			// returns; its fit is still returned, to judge.
			fit, err := guidedcem.FitValueScale(c.context(), valueOf{prior.Policy()}, prior.Policy().Sampling(1<<40), te, seeds, calibSteps, prior.Gamma())
			if err != nil {
				return nil, fmt.Errorf("guidedmcts: calibrating the critic of %s on %q: %w", ppoSpec, c.Train, err)
			}
			v, _ = fits.LoadOrStore(key, fit)
		}
		fit := v.(guidedcem.ValueFit)
		training = training.Add(fit.Cost)
		if mode == valueAuto {
			useValue = fit.Scale > 0 && fit.R2 >= guidedMinR2
		}
		if useValue && prior.ValueScale() == 0 {
			if err := prior.SetValueScale(fit.Scale); err != nil {
				return nil, fmt.Errorf("guidedmcts: the critic of %s on %q does not fit the returns (R² %.2f; train longer, or value=false): %w", ppoSpec, c.Train, fit.R2, err)
			}
		}
		if c.Log != nil {
			c.Log.Info("guidedmcts critic", "env", c.Train, "ppo", ppoSpec, "scale", fit.Scale, "r2", fit.R2, "value", useValue)
		}
	}
	if !useValue && mode != valueOff {
		if prior, err = guidedmcts.New(p, guidedmcts.Config{Levels: cfg.Levels, Mix: mix}); err != nil {
			return nil, err
		}
	}
	if useValue && mode == valueAuto {
		cfg.Horizon, cfg.Depth, cfg.Rollouts = 0, 0, 0 // the rollouts' keys, unused
	}
	planner, err := guidedmcts.NewPlanner(prior, cfg)
	if err != nil {
		return nil, err
	}
	return &trainedSearch{EnvPlanner: planner, training: training, curve: tr.curve, value: useValue}, nil
}

// The value modes of the guidedmcts kind.
const (
	valueAuto = iota // the critic if it fits the training env's returns, else rollouts
	valueOn
	valueOff
)

// valueMode reads the key value: auto (the default), or a boolean.
func valueMode(a *kv.Args) int {
	arg, ok := a.Lookup("value")
	switch {
	case !ok || arg.Value == "auto":
		return valueAuto
	case arg.Bare:
		return valueOn
	}
	switch strings.ToLower(arg.Value) {
	case "1", "t", "true", "yes", "y", "on":
		return valueOn
	case "0", "f", "false", "no", "n", "off":
		return valueOff
	}
	a.Fail("key value=%q: want auto, true or false", arg.Value)
	return valueAuto
}

// valueOf is a PPO critic in its own units.
type valueOf struct{ p *ppo.Policy }

func (v valueOf) Value(obs []float64) (float64, argmax.Cost, error) { return v.p.Value(obs) }

// trainedSearch is a guided search with its policy's training record (and
// the calibration of its critic).
type trainedSearch struct {
	*mcts.EnvPlanner
	training argmax.Cost
	curve    []CurvePoint
	value    bool
}

func (t *trainedSearch) TrainingCost() argmax.Cost { return t.training }
func (t *trainedSearch) Curve() []CurvePoint       { return t.curve }

// UsesValue reports whether the critic values the search's leaves (else
// random rollouts do).
func (t *trainedSearch) UsesValue() bool { return t.value }

func init() {
	RegisterPolicy(PolicyKind{Name: "mcts", Role: argmax.Direct, Privileged: true, New: mctsPolicy,
		Usage: fmt.Sprintf("mcts[:sims=N,levels=L,horizon=H,depth=D,rollouts=R,c=X,discount=G,seed=N]  UCT on the true simulator (a clone of the env) with random rollouts to the horizon (0: none, rollouts of D steps), box actions at L levels a dimension (defaults: %d sims, %d levels, horizon %d for boxes and %d for discrete actions)",
			searchSims, mcts.DefaultLevels, searchBoxHorizon, searchHorizon)})
	RegisterPolicy(PolicyKind{Name: "guidedmcts", Role: argmax.Hybrid, Privileged: true, New: guidedSearchPolicy,
		Usage: fmt.Sprintf("guidedmcts[:steps=N,value=auto|BOOL,mix=W,sims=N,levels=L,horizon=H,depth=D,rollouts=R,c=X,discount=G,seed=N]  the mcts search with PUCT over a PPO policy's probabilities (the ppo kind's, trained for N steps, 0: ppo's default; mix=W of the uniform mixed in, default %v), leaves valued by random rollouts or, value=true, by its critic (in reward units, the critic's discount, no horizon); value=auto (default) uses the critic if it explains R² ≥ %v of the training env's n-step returns (the rollouts' keys then unused)", guidedMix, guidedMinR2)})
}
