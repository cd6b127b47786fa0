package ppo

import (
	"fmt"
	"math"
	"slices"
	"time"

	"argmax/env"
)

// Toggle is an on/off setting whose zero value, Auto, takes CleanRL's
// choice for the env's action space.
type Toggle int8

// The values of a Toggle.
const (
	Auto Toggle = iota // CleanRL's choice for the action space
	On                 // enabled
	Off                // disabled
)

// String names the toggle.
func (t Toggle) String() string {
	switch t {
	case Auto:
		return "auto"
	case On:
		return "on"
	case Off:
		return "off"
	}
	return fmt.Sprintf("Toggle(%d)", int8(t))
}

// MarshalText renders the toggle as its name, for JSON configs and
// checkpoint metadata.
func (t Toggle) MarshalText() ([]byte, error) {
	if t < Auto || t > Off {
		return nil, fmt.Errorf("ppo: toggle %d: want auto, on or off", int8(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads a toggle's name: auto, on or off.
func (t *Toggle) UnmarshalText(b []byte) error {
	switch string(b) {
	case "auto":
		*t = Auto
	case "on":
		*t = On
	case "off":
		*t = Off
	default:
		return fmt.Errorf("ppo: toggle %q: want auto, on or off", b)
	}
	return nil
}

// resolve returns the toggle with Auto replaced by def.
func (t Toggle) resolve(def bool) Toggle {
	if t != Auto {
		return t
	}
	if def {
		return On
	}
	return Off
}

// on reports whether a resolved toggle is enabled.
func (t Toggle) on() bool { return t == On }

// Target is a goal for the mean return: it is reached when the mean return
// of the last Episodes finished training episodes is at least Return.
type Target struct {
	Return   float64 `json:"return"`
	Episodes int     `json:"episodes"` // K; 0 sets no target
}

// Set reports whether t is a target (Episodes > 0).
func (t Target) Set() bool { return t.Episodes > 0 }

// Stop says when training stops: at the first of its limits that is reached,
// or when the context is cancelled or the progress hook asks it to.
type Stop struct {
	// Steps is the budget of env steps (all envs together, CleanRL's
	// total_timesteps), rounded down to whole updates; it is also the
	// horizon over which the learning rate is annealed. 0 takes CleanRL's
	// default: 500,000 for discrete actions, 1,000,000 for boxes.
	Steps int64 `json:"steps"`
	// Target stops training as soon as the mean return of the last
	// Target.Episodes training episodes reaches Target.Return, checked
	// after every env step (the stochastic policy that collects the
	// experience is the one measured). The zero Target sets none.
	Target Target `json:"target"`
	// Time is a wall-clock limit, checked after every env step; 0 sets
	// none. A run it cuts short is not reproducible bit for bit.
	Time time.Duration `json:"time"`
}

// Config holds PPO's hyperparameters. Its zero fields take the defaults of
// DefaultConfig for the env's action space — CleanRL's ppo.py for discrete
// actions, ppo_continuous_action.py for boxes. Where zero is a meaningful
// value (EntCoef, MaxGradNorm), a negative value asks for none.
type Config struct {
	Envs    int `json:"envs"`    // environments stepped together (num_envs)
	Rollout int `json:"rollout"` // steps per env between updates (num_steps)
	// Workers is the number of goroutines that step the envs (env.Vec);
	// 0 means 1. It changes nothing in the results.
	Workers int `json:"workers"`

	LR          float64 `json:"lr"`            // Adam's learning rate (learning_rate)
	AdamEps     float64 `json:"adam_eps"`      // Adam's ε (CleanRL: 1e-5)
	Gamma       float64 `json:"gamma"`         // discount γ
	Lambda      float64 `json:"lambda"`        // GAE's λ (gae_lambda)
	Minibatches int     `json:"minibatches"`   // minibatches per epoch (num_minibatches); Batch mod Minibatches transitions sit out each epoch
	Epochs      int     `json:"epochs"`        // passes over each batch (update_epochs)
	ClipCoef    float64 `json:"clip_coef"`     // ε of the clipped surrogate (and of the value clip)
	EntCoef     float64 `json:"ent_coef"`      // weight of the entropy bonus; negative: none
	VFCoef      float64 `json:"vf_coef"`       // weight of the value loss
	MaxGradNorm float64 `json:"max_grad_norm"` // global gradient-norm clip; negative: none
	// TargetKL, when positive, ends an update's epochs early once the
	// approximate KL divergence of a minibatch exceeds it (CleanRL's
	// target_kl, off by default).
	TargetKL float64 `json:"target_kl"`

	// Hidden are the widths of the hidden layers of the actor and of the
	// critic (two separate MLPs with tanh activations).
	Hidden []int `json:"hidden"`
	// InitLogStd is the initial log standard deviation of the Gaussian
	// policy (boxes only; CleanRL: 0).
	InitLogStd float64 `json:"init_log_std"`

	AnnealLR      Toggle `json:"anneal_lr"`       // linear decay of the learning rate to 0 (on)
	NormAdv       Toggle `json:"norm_adv"`        // advantage normalization per minibatch (on)
	ClipValueLoss Toggle `json:"clip_value_loss"` // the clipped value loss (on)
	NormObs       Toggle `json:"norm_obs"`        // running observation normalization (boxes: on)
	NormReward    Toggle `json:"norm_reward"`     // reward scaling by the return's running std (boxes: on)
	// ObsClip and RewardClip bound the normalized observations and the
	// scaled rewards (CleanRL: 10 each).
	ObsClip    float64 `json:"obs_clip"`
	RewardClip float64 `json:"reward_clip"`

	// Seed fixes the initial weights, the envs' episodes, the sampled
	// actions and the minibatch order.
	Seed uint64 `json:"seed"`

	Stop Stop `json:"stop"`
}

// DiscreteConfig is CleanRL's ppo.py (CartPole-v1): 4 envs of 128 steps,
// learning rate 2.5e-4 annealed, γ 0.99, λ 0.95, 4 minibatches, 4 epochs,
// clip 0.2, entropy 0.01, value 0.5, gradient norm 0.5, 500,000 steps, no
// observation or reward normalization.
var DiscreteConfig = Config{
	Envs: 4, Rollout: 128, Workers: 1,
	LR: 2.5e-4, AdamEps: 1e-5, Gamma: 0.99, Lambda: 0.95, Minibatches: 4, Epochs: 4,
	ClipCoef: 0.2, EntCoef: 0.01, VFCoef: 0.5, MaxGradNorm: 0.5,
	Hidden:   []int{64, 64},
	AnnealLR: On, NormAdv: On, ClipValueLoss: On, NormObs: Off, NormReward: Off,
	ObsClip: 10, RewardClip: 10,
	Stop: Stop{Steps: 500_000},
}

// ContinuousConfig is CleanRL's ppo_continuous_action.py (MuJoCo): 1 env of
// 2048 steps, learning rate 3e-4 annealed, γ 0.99, λ 0.95, 32 minibatches,
// 10 epochs, clip 0.2, no entropy bonus, value 0.5, gradient norm 0.5,
// observation normalization and reward scaling clipped to ±10, 1,000,000
// steps.
var ContinuousConfig = Config{
	Envs: 1, Rollout: 2048, Workers: 1,
	LR: 3e-4, AdamEps: 1e-5, Gamma: 0.99, Lambda: 0.95, Minibatches: 32, Epochs: 10,
	ClipCoef: 0.2, EntCoef: 0, VFCoef: 0.5, MaxGradNorm: 0.5,
	Hidden:   []int{64, 64},
	AnnealLR: On, NormAdv: On, ClipValueLoss: On, NormObs: On, NormReward: On,
	ObsClip: 10, RewardClip: 10,
	Stop: Stop{Steps: 1_000_000},
}

// DefaultConfig returns CleanRL's configuration for an action space:
// DiscreteConfig for a discrete space, ContinuousConfig for a box (copies).
func DefaultConfig(actions env.Space) Config {
	c := ContinuousConfig
	if actions.IsDiscrete() {
		c = DiscreteConfig
	}
	c.Hidden = slices.Clone(c.Hidden)
	return c
}

// WithDefaults returns c with its zero fields (and Auto toggles) replaced
// by DefaultConfig(actions)'s: the configuration Train runs.
func (c Config) WithDefaults(actions env.Space) Config {
	d := DefaultConfig(actions)
	defInt := func(v *int, dv int) {
		if *v == 0 {
			*v = dv
		}
	}
	defFloat := func(v *float64, dv float64) {
		if *v == 0 {
			*v = dv
		}
	}
	defInt(&c.Envs, d.Envs)
	defInt(&c.Rollout, d.Rollout)
	defInt(&c.Workers, d.Workers)
	defInt(&c.Minibatches, d.Minibatches)
	defInt(&c.Epochs, d.Epochs)
	defFloat(&c.LR, d.LR)
	defFloat(&c.AdamEps, d.AdamEps)
	defFloat(&c.Gamma, d.Gamma)
	defFloat(&c.Lambda, d.Lambda)
	defFloat(&c.ClipCoef, d.ClipCoef)
	defFloat(&c.EntCoef, d.EntCoef)
	defFloat(&c.VFCoef, d.VFCoef)
	defFloat(&c.MaxGradNorm, d.MaxGradNorm)
	defFloat(&c.ObsClip, d.ObsClip)
	defFloat(&c.RewardClip, d.RewardClip)
	if len(c.Hidden) == 0 {
		c.Hidden = d.Hidden
	} else {
		c.Hidden = slices.Clone(c.Hidden)
	}
	c.AnnealLR = c.AnnealLR.resolve(d.AnnealLR.on())
	c.NormAdv = c.NormAdv.resolve(d.NormAdv.on())
	c.ClipValueLoss = c.ClipValueLoss.resolve(d.ClipValueLoss.on())
	c.NormObs = c.NormObs.resolve(d.NormObs.on())
	c.NormReward = c.NormReward.resolve(d.NormReward.on())
	if c.Stop.Steps == 0 {
		c.Stop.Steps = d.Stop.Steps
	}
	return c
}

// Batch is the number of transitions collected per update (Envs·Rollout).
func (c Config) Batch() int { return c.Envs * c.Rollout }

// Updates is the number of updates in the step budget (CleanRL's
// num_updates = total_timesteps // batch_size).
func (c Config) Updates() int { return int(c.Stop.Steps / int64(c.Batch())) }

// entCoef is the entropy coefficient, a negative EntCoef meaning none.
func (c Config) entCoef() float64 { return max(c.EntCoef, 0) }

// check returns an error naming the first field of a defaulted config that
// is out of range.
func (c Config) check() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.Envs < 0, c.Rollout < 0, c.Workers < 0, c.Minibatches < 0, c.Epochs < 0:
		return fmt.Errorf("ppo: config: envs %d, rollout %d, workers %d, minibatches %d and epochs %d must be positive",
			c.Envs, c.Rollout, c.Workers, c.Minibatches, c.Epochs)
	case c.Minibatches > c.Batch():
		return fmt.Errorf("ppo: config: %d minibatches of a batch of %d transitions (envs %d × rollout %d)",
			c.Minibatches, c.Batch(), c.Envs, c.Rollout)
	case !(c.LR > 0) || !finite(c.LR):
		return fmt.Errorf("ppo: config: lr %v must be positive", c.LR)
	case !(c.AdamEps > 0) || !finite(c.AdamEps):
		return fmt.Errorf("ppo: config: adam_eps %v must be positive", c.AdamEps)
	case !(c.Gamma > 0 && c.Gamma <= 1):
		return fmt.Errorf("ppo: config: gamma %v must be in (0, 1]", c.Gamma)
	case !(c.Lambda > 0 && c.Lambda <= 1):
		return fmt.Errorf("ppo: config: lambda %v must be in (0, 1]", c.Lambda)
	case !(c.ClipCoef > 0) || !finite(c.ClipCoef):
		return fmt.Errorf("ppo: config: clip_coef %v must be positive", c.ClipCoef)
	case !finite(c.EntCoef), !finite(c.VFCoef) || c.VFCoef < 0, math.IsNaN(c.MaxGradNorm), math.IsNaN(c.TargetKL) || c.TargetKL < 0:
		return fmt.Errorf("ppo: config: ent_coef %v, vf_coef %v, max_grad_norm %v or target_kl %v out of range",
			c.EntCoef, c.VFCoef, c.MaxGradNorm, c.TargetKL)
	case !finite(c.InitLogStd):
		return fmt.Errorf("ppo: config: init_log_std %v must be finite", c.InitLogStd)
	case !(c.ObsClip > 0), !(c.RewardClip > 0):
		return fmt.Errorf("ppo: config: obs_clip %v and reward_clip %v must be positive", c.ObsClip, c.RewardClip)
	case c.Stop.Steps < int64(c.Batch()):
		return fmt.Errorf("ppo: config: stop.steps %d is less than one batch (%d transitions)", c.Stop.Steps, c.Batch())
	case c.Stop.Target.Episodes < 0 || math.IsNaN(c.Stop.Target.Return):
		return fmt.Errorf("ppo: config: stop.target %+v: want episodes ≥ 0 and a return", c.Stop.Target)
	case c.Stop.Time < 0:
		return fmt.Errorf("ppo: config: stop.time %v is negative", c.Stop.Time)
	}
	for _, t := range []Toggle{c.AnnealLR, c.NormAdv, c.ClipValueLoss, c.NormObs, c.NormReward} {
		if t != On && t != Off {
			return fmt.Errorf("ppo: config: toggle %v: want auto, on or off", t)
		}
	}
	for _, h := range c.Hidden {
		if h <= 0 {
			return fmt.Errorf("ppo: config: hidden widths %v must be positive", c.Hidden)
		}
	}
	return nil
}
