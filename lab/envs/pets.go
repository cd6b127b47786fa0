package envs

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"argmax"
	"argmax/amortized/dynamics"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/pets"
	"argmax/lab/cache"
	"argmax/lab/kv"
)

// The pets kind: PETS (hybrid/pets), a model-based agent whose every
// decision is a CEM search over an ensemble it learned of the training
// env's observations. Unlike the cem kind it never touches the true
// simulator when it decides: it plans from what it observes, so on an env
// with observation noise or flicker its model is fitted to the noisy
// observations it was shown. Training — the PETS loop of random steps,
// then planning and refitting — runs once on Context.Train and is kept in
// the cache like the learners' (keyed by the training env's spec, the
// configuration and petsVersion); every later policy of the same spec
// reads the checkpoint, and this process reads it once.

// petsVersion is bumped when the pets kind's training changes, to retire
// cached ensembles.
const petsVersion = 1

// knownRewards are the tasks whose reward (and termination rule) the pets
// kind knows, by env kind: built from the training env's spec arguments.
var knownRewards = map[string]func(a *kv.Args) (dynamics.RewardFunc, dynamics.DoneFunc){
	"pendulum": func(a *kv.Args) (dynamics.RewardFunc, dynamics.DoneFunc) {
		return control.PendulumConfig{Actions: count(a, "actions"), Actuators: int(a.Int("actuators", 0, 0, 64))}.RewardFunc(), nil
	},
	"mountaincar-continuous": func(a *kv.Args) (dynamics.RewardFunc, dynamics.DoneFunc) {
		c := control.MountainCarConfig{Actions: count(a, "actions"), GoalVelocity: a.Float("goal_velocity", 0, 0, 1)}
		return c.RewardFunc(), c.DoneFunc()
	},
	"cartpole": func(*kv.Args) (dynamics.RewardFunc, dynamics.DoneFunc) {
		return control.CartPoleReward, control.CartPoleDone
	},
	"cartpole-continuous": func(*kv.Args) (dynamics.RewardFunc, dynamics.DoneFunc) {
		return control.CartPoleReward, control.CartPoleDone
	},
}

func knownRewardKinds() string {
	var ks []string
	for k := range knownRewards {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// taskReward returns the known reward function and termination rule of the
// env a spec describes, or an error naming the env when there is none: its
// kind has no known reward, or a wrapper of the spec (repeat, mask)
// changes what a step's reward is a function of. Observation noise,
// flicker, sticky or noisy actions and time limits keep it: the reward is
// then that of the observed transition, as the model is fitted to the
// observed ones.
func taskReward(spec string) (dynamics.RewardFunc, dynamics.DoneFunc, error) {
	s, err := kv.Parse(kinds.What(), spec, nil)
	if err != nil {
		return nil, nil, err
	}
	known, ok := knownRewards[s.Kind]
	if !ok {
		return nil, nil, fmt.Errorf("pets: the training env %q (kind %s) has no known reward function (known: %s); reward=learned learns it", spec, s.Kind, knownRewardKinds())
	}
	a := kv.NewArgs(kinds.What(), spec, s)
	for _, w := range []string{"repeat", "mask"} {
		if v, given := a.Lookup(w); given && !(w == "repeat" && v.Value == "1") {
			return nil, nil, fmt.Errorf("pets: the training env %q: the known reward of %s is that of one step of its whole observation, which %s=%s changes; reward=learned learns it", spec, s.Kind, w, v.Value)
		}
	}
	r, d := known(a)
	if a.Err() != nil {
		return nil, nil, a.Err()
	}
	return r, d, nil
}

// petsDesc is what determines a pets kind's training beside the code: the
// cache key's description.
type petsDesc struct {
	Seed                         uint64
	InitSteps, Every, Iterations int
	Horizon, Samples, CEMIters   int
	Members, Epochs              int
	Hidden                       []int
	LearningRate, Beta           float64
	Propagation                  string
	Particles                    int
	Reward                       string // "known" or "learned"
	PlannerMethod, PlannerSmooth string
}

// petsLoaded is a checkpoint read in this process.
type petsLoaded struct {
	ens   *dynamics.Ensemble
	stats pets.Stats
}

// petsAgent is a pets policy: the agent (planner and model, an
// env.Resetter) with its run's record.
type petsAgent struct {
	*pets.Agent
	training argmax.Cost
	curve    []CurvePoint
}

func (p *petsAgent) TrainingCost() argmax.Cost { return p.training }
func (p *petsAgent) Curve() []CurvePoint       { return p.curve }

var (
	_ Trained      = (*petsAgent)(nil)
	_ env.Resetter = (*petsAgent)(nil)
)

// petsConfig reads the pets kind's keys into a PETS configuration (reward
// functions not set) and whether the reward is learned.
func petsConfig(c Context, a *kv.Args) (pets.Config, bool) {
	cfg := pets.DefaultConfig()
	cfg.Seed = a.Uint("seed", c.Seed+1)
	cfg.InitSteps = int(a.Int("init", int64(cfg.InitSteps), 1, 1<<30))
	cfg.StepsPerIteration = int(a.Int("every", int64(cfg.StepsPerIteration), 1, 1<<30))
	if _, given := a.Lookup("steps"); given {
		total := int(a.Int("steps", 0, 2, 1<<30))
		if a.Err() == nil {
			if total <= cfg.InitSteps {
				a.Fail("key steps=%d: want more than init=%d (the random steps)", total, cfg.InitSteps)
			}
			cfg.Iterations = (total - cfg.InitSteps + cfg.StepsPerIteration - 1) / cfg.StepsPerIteration
		}
	}
	if _, given := a.Lookup("iterations"); given {
		if _, both := a.Lookup("steps"); both {
			a.Fail("keys steps and iterations: give one")
		}
		cfg.Iterations = int(a.Int("iterations", 0, 1, 1<<30))
	}
	p := &cfg.Planner
	method, err := cem.ParseMethod(a.String("method", p.Method.String()))
	if err != nil {
		a.Fail("key method: %v", err)
	}
	p.Method = method
	p.Horizon = int(a.Int("horizon", int64(p.Horizon), 1, 1<<16))
	p.Samples = int(a.Int("samples", int64(p.Samples), 1, 1<<24))
	p.Iterations = int(a.Int("iters", int64(p.Iterations), 1, 1<<16))
	prop, err := dynamics.ParsePropagation(a.String("prop", cfg.Propagation.String()))
	if err != nil {
		a.Fail("key prop: %v", err)
	}
	cfg.Propagation = prop
	defParticles := int64(pets.DefaultParticles)
	if prop == dynamics.Mean {
		defParticles = 1
	}
	cfg.Particles = int(a.Int("particles", defParticles, 1, 1<<16))
	cfg.Ensemble.Members = int(a.Int("members", int64(cfg.Ensemble.Members), 1, 1<<10))
	cfg.Ensemble.Epochs = int(a.Int("epochs", int64(cfg.Ensemble.Epochs), 1, 1<<20))
	learned := false
	switch r := a.String("reward", "known"); r {
	case "known":
	case "learned":
		learned = true
	default:
		a.Fail("key reward=%q: want known (the task's reward function) or learned", r)
	}
	return cfg, learned
}

// petsPolicy is the pets kind.
func petsPolicy(c Context, a *kv.Args) (env.Policy, error) {
	cfg, learned := petsConfig(c, a)
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil { // before training, not after it
		return nil, err
	}
	te, err := trainEnv(c)
	if err != nil {
		return nil, err
	}
	if te.ObservationSpace().IsDiscrete() {
		return nil, fmt.Errorf("pets needs box observations; the training env %q has %v", c.Train, te.ObservationSpace())
	}
	reward := "learned"
	if !learned {
		if cfg.Ensemble.Reward, cfg.Ensemble.Done, err = taskReward(c.Train); err != nil {
			return nil, err
		}
		reward = "known"
	}
	// Check the configuration before training (a bad one fails here, not
	// after the cache lookup).
	if err := cfg.Check(te.ObservationSpace(), te.ActionSpace()); err != nil {
		return nil, err
	}
	desc, err := json.Marshal(petsDesc{Seed: cfg.Seed, InitSteps: cfg.InitSteps, Every: cfg.StepsPerIteration, Iterations: cfg.Iterations,
		Horizon: cfg.Planner.Horizon, Samples: cfg.Planner.Samples, CEMIters: cfg.Planner.Iterations,
		Members: cfg.Ensemble.Members, Epochs: cfg.Ensemble.Epochs, Hidden: cfg.Ensemble.Hidden, LearningRate: cfg.Ensemble.LearningRate,
		Beta: cfg.Ensemble.Beta, Propagation: cfg.Propagation.String(), Particles: cfg.Particles, Reward: reward,
		PlannerMethod: cfg.Planner.Method.String(), PlannerSmooth: fmt.Sprint(cfg.Planner.Smoothing)})
	if err != nil {
		return nil, err
	}
	key := cache.Key("pets-policy", fmt.Sprint(petsVersion), c.Train, string(desc))
	path, curve, err := learn(c, "pets", key, func(ctx context.Context, tmp string) ([]CurvePoint, error) {
		agent, st, err := pets.Run(ctx, te, cfg, pets.Hooks{Progress: func(p pets.Progress) error {
			if c.Log != nil {
				last := math.NaN()
				if n := len(p.Episodes); n > 0 {
					last = math.Round(p.Episodes[n-1].Return*10) / 10
				}
				c.Log.Info("pets", "env", c.Train, "seed", cfg.Seed, "iteration", p.Iteration, "steps", p.EnvSteps, "last_return", last,
					"fit_loss", math.Round(p.FitLoss*1000)/1000, "elapsed", p.Elapsed.Round(1e8))
			}
			return nil
		}})
		if err != nil {
			return nil, err
		}
		curve := make([]CurvePoint, len(st.Episodes))
		for i, ep := range st.Episodes {
			curve[i] = CurvePoint{Steps: ep.EnvSteps, MeanReturn: ep.Return}
		}
		if c.Log != nil {
			c.Log.Info("pets trained", "env", c.Train, "seed", cfg.Seed, "steps", st.EnvSteps, "episodes", len(st.Episodes), "elapsed", st.Elapsed.Round(1e8))
		}
		return curve, agent.Save(tmp, st)
	})
	if err != nil {
		return nil, err
	}
	v, ok := loaded.Load(path)
	if !ok {
		agent, st, err := pets.Load(path, cfg)
		if err != nil {
			return nil, err
		}
		v, _ = loaded.LoadOrStore(path, &petsLoaded{ens: agent.Ensemble, stats: st})
	}
	l := v.(*petsLoaded)
	agent, err := pets.NewAgent(l.ens.Clone(), cfg)
	if err != nil {
		return nil, err
	}
	return &petsAgent{Agent: agent, training: l.stats.TrainingCost(), curve: curve}, nil
}

func init() {
	RegisterPolicy(PolicyKind{Name: "pets", Role: argmax.Direct, New: petsPolicy,
		Usage: "pets[:steps=N,init=N,every=N,iterations=N,samples=N,iters=K,horizon=H,method=cem|mppi,prop=mean|ts1|tsinf,particles=P,members=M,epochs=E,reward=known|learned,seed=N]  " +
			"PETS: CEM planning on a dynamics ensemble learned from the training env's observations (never the true simulator); trained once on N env steps (default 1000: init=200 random, then refits every=50 planned steps), " +
			"CEM of samples=100 × iters=4 of horizon=20, mean propagation; the task's known reward (pendulum, mountaincar-continuous, cartpole) or reward=learned"})
}
