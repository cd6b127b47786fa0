package envs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"

	"argmax"
	"argmax/amortized/dqn"
	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/lab/cache"
	"argmax/lab/kv"
)

// The learners of the registry (ppo, dqn) train on Context.Train the first
// time a spec asks for them and are kept in the cache, keyed by the
// training env's spec, their configuration and the version of the code
// below; every later policy of the same description loads the checkpoint.
// Beside each checkpoint the cache keeps the run's learning curve.

// learnerVersion is bumped when training changes, to retire cached
// policies.
const learnerVersion = 1

// CurvePoint is one point of a learning curve: the env steps trained so
// far and the mean return of the last training episodes.
type CurvePoint struct {
	Steps      int64   `json:"steps"`
	MeanReturn float64 `json:"mean_return"`
}

// Trained is implemented by the policies of learner kinds: their learning
// curve, and what training cost (argmax.Trainable).
type Trained interface {
	argmax.Trainable
	Curve() []CurvePoint
}

// trained is a learner's policy with its curve.
type trained struct {
	env.Policy
	training argmax.Cost
	curve    []CurvePoint
}

func (t *trained) TrainingCost() argmax.Cost { return t.training }
func (t *trained) Curve() []CurvePoint       { return t.curve }

// loaded memoizes checkpoints read in this process, by path: a policy is
// made for every episode, and its weights are read once.
var loaded sync.Map // path → any (*ppo.Policy or *dqn.Policy)

// learn returns the cached artefact of key, training it with train the
// first time, and its learning curve. train writes the checkpoint to the
// path it is given and returns the curve.
func learn(c Context, kind, key string, train func(ctx context.Context, path string) ([]CurvePoint, error)) (string, []CurvePoint, error) {
	if c.Train == "" {
		return "", nil, errors.New("no training env: the learner needs Context.Train (argmax env: --train)")
	}
	ca, err := c.cache()
	if err != nil {
		return "", nil, err
	}
	var curve []CurvePoint
	path, err := ca.Get(c.context(), kind, key, ".safetensors", func(ctx context.Context, tmp string) error {
		var err error
		if curve, err = train(ctx, tmp); err != nil {
			return err
		}
		data, err := json.Marshal(curve)
		if err != nil {
			return err
		}
		return writeFile(strings.TrimSuffix(tmp, ".safetensors")+".curve.json", curvePath(ca, kind, key), data)
	})
	if err != nil {
		return "", nil, err
	}
	if curve == nil {
		data, err := os.ReadFile(curvePath(ca, kind, key))
		if err != nil {
			return "", nil, fmt.Errorf("the learning curve of %s: %w", path, err)
		}
		if err := json.Unmarshal(data, &curve); err != nil {
			return "", nil, fmt.Errorf("the learning curve of %s: %w", path, err)
		}
	}
	return path, curve, nil
}

func curvePath(ca *cache.Cache, kind, key string) string {
	return ca.Dir() + "/" + kind + "/" + key + ".curve.json"
}

// writeFile writes data to tmp and renames it to path, so that path is
// never half-written.
func writeFile(tmp, path string, data []byte) error {
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// trainEnv makes the env a learner trains on, checking that it has the
// acting env's spaces.
func trainEnv(c Context) (env.Env, error) {
	e, err := New(c.Train)
	if err != nil {
		return nil, fmt.Errorf("training env: %w", err)
	}
	if c.Env != nil && (!sameSpace(e.ActionSpace(), c.Env.ActionSpace()) || !sameSpace(e.ObservationSpace(), c.Env.ObservationSpace())) {
		return nil, fmt.Errorf("training env %q has the spaces %v → %v, the env acted in %v → %v", c.Train,
			e.ObservationSpace(), e.ActionSpace(), c.Env.ObservationSpace(), c.Env.ActionSpace())
	}
	return e, nil
}

func sameSpace(a, b env.Space) bool {
	if a.IsDiscrete() || b.IsDiscrete() {
		return a.N == b.N && a.IsDiscrete() == b.IsDiscrete()
	}
	return len(a.Low) == len(b.Low)
}

// ppoPolicy is the ppo kind: PPO with CleanRL's defaults for the action
// space, trained for steps env steps (or until the mean of the last 20
// training episodes reaches target), answering with the policy's mode or,
// with sample=true, a draw.
func ppoPolicy(c Context, a *kv.Args) (env.Policy, error) {
	seed := a.Uint("seed", c.Seed+1)
	steps := a.Int("steps", 0, 0, 1<<40)
	target, hasTarget := a.Float("target", 0, -math.MaxFloat64, math.MaxFloat64), false
	if _, ok := a.Lookup("target"); ok {
		hasTarget = true
	}
	sample := a.Bool("sample", false)
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err // before training, not after
	}
	te, err := trainEnv(c)
	if err != nil {
		return nil, err
	}
	cfg := ppo.Config{Seed: seed, Stop: ppo.Stop{Steps: steps}}
	if hasTarget {
		cfg.Stop.Target = ppo.Target{Return: target, Episodes: 20}
	}
	cfg = cfg.WithDefaults(te.ActionSpace())
	desc, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	key := cache.Key("ppo-policy", fmt.Sprint(learnerVersion), c.Train, string(desc))
	path, curve, err := learn(c, "ppo", key, func(ctx context.Context, tmp string) ([]CurvePoint, error) {
		var curve []CurvePoint
		p, st, err := ppo.Train(ctx, te, cfg, ppo.Hooks{Progress: func(u ppo.Update) error {
			curve = append(curve, CurvePoint{Steps: u.EnvSteps, MeanReturn: u.MeanReturn})
			if c.Log != nil && (u.Update%10 == 0 || u.Update == 1) {
				c.Log.Info("ppo", "env", c.Train, "seed", seed, "steps", u.EnvSteps, "mean_return", math.Round(u.MeanReturn*10)/10, "elapsed", u.Elapsed.Round(1e8))
			}
			return nil
		}})
		if err != nil {
			return nil, err
		}
		if c.Log != nil {
			c.Log.Info("ppo trained", "env", c.Train, "seed", seed, "steps", st.EnvSteps, "reason", st.Reason, "mean_return", st.MeanReturn)
		}
		return curve, p.Save(tmp)
	})
	if err != nil {
		return nil, err
	}
	v, ok := loaded.Load(path)
	if !ok {
		p, err := ppo.Load(path)
		if err != nil {
			return nil, err
		}
		v, _ = loaded.LoadOrStore(path, p)
	}
	p := v.(*ppo.Policy)
	if sample {
		p = p.Sampling(seed)
	} else {
		p = p.Clone()
	}
	return &trained{Policy: p, training: p.TrainingCost(), curve: curve}, nil
}

// dqnPolicy is the dqn kind: double DQN with dqn.DefaultConfig, for
// discrete actions.
func dqnPolicy(c Context, a *kv.Args) (env.Policy, error) {
	cfg := dqn.DefaultConfig()
	cfg.Seed = a.Uint("seed", c.Seed+1)
	cfg.Steps = int(a.Int("steps", int64(cfg.Steps), 1, 1<<40))
	cfg.LR = a.Float("lr", cfg.LR, 1e-9, 10)
	cfg.Batch = int(a.Int("batch", int64(cfg.Batch), 1, 1<<20))
	cfg.Buffer = int(a.Int("buffer", int64(cfg.Buffer), 1, 1<<30))
	cfg.TrainEvery = int(a.Int("train_every", int64(cfg.TrainEvery), 1, 1<<30))
	cfg.GradientSteps = int(a.Int("gradient_steps", int64(cfg.GradientSteps), 1, 1<<20))
	cfg.TargetEvery = int(a.Int("target_every", int64(cfg.TargetEvery), 1, 1<<30))
	cfg.ExplorationFraction = a.Float("exploration", cfg.ExplorationFraction, 0, 1)
	cfg.EvalEvery = int(a.Int("eval_every", int64(cfg.EvalEvery), 0, 1<<30))
	cfg.KeepBest = cfg.EvalEvery > 0 && cfg.KeepBest
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err := a.Unread(); err != nil {
		return nil, err // before training, not after
	}
	te, err := trainEnv(c)
	if err != nil {
		return nil, err
	}
	if !te.ActionSpace().IsDiscrete() {
		return nil, fmt.Errorf("dqn needs discrete actions; %q has %v (try actions=N)", c.Train, te.ActionSpace())
	}
	seed := cfg.Seed
	desc, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	key := cache.Key("dqn-policy", fmt.Sprint(learnerVersion), c.Train, string(desc))
	path, curve, err := learn(c, "dqn", key, func(ctx context.Context, tmp string) ([]CurvePoint, error) {
		var curve []CurvePoint
		p, _, err := dqn.Train(ctx, te, cfg, dqn.Hooks{Progress: func(pr dqn.Progress) {
			if !math.IsNaN(pr.MeanReturn) {
				curve = append(curve, CurvePoint{Steps: int64(pr.Steps), MeanReturn: pr.MeanReturn})
			}
			if c.Log != nil && pr.Final {
				c.Log.Info("dqn trained", "env", c.Train, "seed", seed, "progress", pr.String())
			}
		}})
		if err != nil {
			return nil, err
		}
		return curve, p.Save(tmp)
	})
	if err != nil {
		return nil, err
	}
	v, ok := loaded.Load(path)
	if !ok {
		p, err := dqn.Load(path)
		if err != nil {
			return nil, err
		}
		v, _ = loaded.LoadOrStore(path, p)
	}
	p := v.(*dqn.Policy).Clone()
	return &trained{Policy: p, training: p.TrainingCost(), curve: curve}, nil
}

func init() {
	RegisterPolicy(PolicyKind{Name: "ppo", Role: argmax.Amortized, New: ppoPolicy,
		Usage: "ppo[:steps=N,target=R,seed=N,sample=BOOL]  PPO (CleanRL's defaults), trained on the training env for N env steps or until the last 20 episodes average R; answers with the policy's mode (sample: a draw)"})
	RegisterPolicy(PolicyKind{Name: "dqn", Role: argmax.Amortized, New: dqnPolicy,
		Usage: "dqn[:steps=N,seed=N,lr=X,batch=N,buffer=N,train_every=N,gradient_steps=N,target_every=N,exploration=F,eval_every=N]  double DQN (discrete actions), trained on the training env (defaults: amortized/dqn's DefaultConfig; eval_every=0 keeps the last weights instead of the best greedy evaluation's)"})
}
