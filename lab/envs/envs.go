// Package envs turns a text spec such as "cartpole" or
// "pendulum:mass=0.8..1.2,obs_noise=0.05" into an env.Env, so that the
// command line (argmax env), experiment specs and claims name every
// environment the same way, from the simple task Gymnasium defines to its
// rich variants. Kinds live in a registry: this package registers the
// classic control tasks of env/control, and later packages add their own
// with Register.
//
// A spec is a kind, optionally followed by a colon and comma-separated
// key=value pairs. The kind's own keys set its dynamics (a hidden
// parameter drawn per episode is a range, "length=0.4..0.6", or one
// value); every kind also takes the wrapper keys of package env, applied
// from the inside out in this order:
//
//	sticky=P        the previous action repeated with probability P
//	action_noise=S  Gaussian noise of standard deviation S on box actions
//	repeat=K        each action applied K times, rewards summed
//	obs_noise=S     Gaussian noise of standard deviation S on observations
//	mask=I+J+...    only these observation dimensions observed
//	flicker=P       the whole observation zeroed with probability P
//	limit=N         truncation after N decisions
//
// Errors name the spec and what is wrong: an unknown kind (with the known
// ones), an unknown key (with the kind's keys), a bad value.
package envs

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"argmax/env"
	"argmax/env/control"
	"argmax/lab/kv"
)

// Factory makes an env of one kind from the spec's arguments, reading
// every key its kind understands through a's getters.
type Factory func(a *kv.Args) (env.Env, error)

// Kind is one kind of environment a spec can name.
type Kind struct {
	Name  string
	New   Factory
	Usage string // the kind's keys and what it is, for help texts
}

var kinds = kv.NewRegistry[Kind]("env spec")

// Register adds a kind to the registry. It panics on a duplicate or
// malformed name, or no factory.
func Register(k Kind) {
	if k.New == nil {
		panic("envs: kind " + k.Name + " has no factory")
	}
	kinds.Add(k.Name, k.Usage, k)
}

// Kinds returns the registered kinds' names, sorted.
func Kinds() []string { return kinds.Names() }

// Usage describes every kind and the wrapper keys, one line each.
func Usage() string {
	return kinds.Describe() + "  every kind also takes sticky=P, action_noise=S, repeat=K, obs_noise=S, mask=I+J, flicker=P, limit=N (wrappers, inside out in that order)\n"
}

// New returns the env a spec describes, reset with seed 0.
func New(spec string) (env.Env, error) {
	e, err := kv.Build(kinds, spec, func(k Kind, a *kv.Args) (env.Env, error) {
		e, err := k.New(a)
		if err != nil {
			return nil, err
		}
		return wrap(a, e)
	})
	if err != nil {
		return nil, err
	}
	e.Reset(0)
	return e, nil
}

// wrap applies the wrapper keys to e, from the inside out.
func wrap(a *kv.Args, e env.Env) (env.Env, error) {
	type layer struct {
		key string
		on  func(env.Env) (env.Env, error)
	}
	prob := func(key string) float64 { return a.Float(key, 0, 0, 1) }
	std := func(key string) float64 { return a.Float(key, 0, 0, math.MaxFloat64) }
	sticky, actionNoise, obsNoise, flicker := prob("sticky"), std("action_noise"), std("obs_noise"), prob("flicker")
	repeat := int(a.Int("repeat", 1, 1, 1<<20))
	limit := int(a.Int("limit", 0, 1, math.MaxInt32))
	mask, err := dims(a.String("mask", ""))
	if err != nil {
		a.Fail("key mask: %v", err)
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	for _, l := range []layer{
		{"sticky", func(e env.Env) (env.Env, error) { return env.StickyActions(e, sticky) }},
		{"action_noise", func(e env.Env) (env.Env, error) { return env.NoisyActions(e, actionNoise) }},
		{"repeat", func(e env.Env) (env.Env, error) { return env.ActionRepeat(e, repeat) }},
		{"obs_noise", func(e env.Env) (env.Env, error) { return env.ObservationNoise(e, obsNoise) }},
		{"mask", func(e env.Env) (env.Env, error) { return env.Mask(e, mask) }},
		{"flicker", func(e env.Env) (env.Env, error) { return env.Flicker(e, flicker) }},
		{"limit", func(e env.Env) (env.Env, error) { return env.TimeLimit(e, limit) }},
	} {
		if _, given := a.Lookup(l.key); !given {
			continue
		}
		if e, err = l.on(e); err != nil {
			return nil, fmt.Errorf("key %s: %w", l.key, err)
		}
	}
	return e, nil
}

// dims parses "0+2+3" (the observation dimensions of mask).
func dims(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, "+") {
		i, err := strconv.Atoi(f)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("%q: want observation dimensions joined by '+', e.g. 0+2", s)
		}
		out = append(out, i)
	}
	return out, nil
}

// hidden reads a hidden parameter's range: "0.4..0.6" or one value ("0.5",
// fixed); absent, the zero range (the task's own value).
func hidden(a *kv.Args, key string) control.Range {
	v, ok := a.Value(key, "a range lo..hi or a value")
	if !ok {
		return control.Range{}
	}
	lo, hi, isRange := strings.Cut(v, "..")
	if !isRange {
		hi = lo
	}
	min, err1 := strconv.ParseFloat(lo, 64)
	max, err2 := strconv.ParseFloat(hi, 64)
	if err1 != nil || err2 != nil || !(min > 0) || !(max >= min) || math.IsInf(max, 0) {
		a.Fail("key %s=%q: want a positive range lo..hi (lo ≤ hi) or a positive value", key, v)
		return control.Range{}
	}
	return control.Range{Min: min, Max: max}
}

// count and std read the shared keys of the control tasks.
func count(a *kv.Args, key string) int { return int(a.Int(key, 0, 0, 1<<20)) }
func std(a *kv.Args, key string) float64 {
	return a.Float(key, 0, 0, math.MaxFloat64)
}

func init() {
	cartpole := func(continuous bool) Factory {
		return func(a *kv.Args) (env.Env, error) {
			cfg := control.CartPoleConfig{Continuous: continuous, MaxSteps: count(a, "max_steps"), SemiImplicit: a.Bool("semi_implicit", false),
				ForceNoise: std(a, "force_noise"), StateNoise: std(a, "state_noise"),
				MassCart: hidden(a, "mass_cart"), MassPole: hidden(a, "mass_pole"), Length: hidden(a, "length")}
			if continuous {
				cfg.Actions = count(a, "actions")
			}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return control.NewCartPole(cfg)
		}
	}
	const cartKeys = "max_steps=N,semi_implicit=BOOL,force_noise=S,state_noise=S,mass_cart=LO..HI,mass_pole=LO..HI,length=LO..HI"
	Register(Kind{Name: "cartpole", New: cartpole(false), Usage: "cartpole[:" + cartKeys + "]  Gymnasium's CartPole-v1 (two pushes)"})
	Register(Kind{Name: "cartpole-continuous", New: cartpole(true), Usage: "cartpole-continuous[:actions=N," + cartKeys + "]  cart-pole with a force in [−1, 1] (actions=N: N evenly spaced forces)"})
	Register(Kind{Name: "pendulum", Usage: "pendulum[:actions=N,actuators=N,max_steps=N,g=X,torque_noise=S,state_noise=S,mass=LO..HI,length=LO..HI]  Gymnasium's Pendulum-v1 swing-up (actuators=N: the torque is the mean of N actuators' commands, an N-dimensional action)",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := control.PendulumConfig{Actions: count(a, "actions"), Actuators: int(a.Int("actuators", 0, 0, 64)), MaxSteps: count(a, "max_steps"), G: a.Float("g", 0, 0, 1e6),
				TorqueNoise: std(a, "torque_noise"), StateNoise: std(a, "state_noise"), Mass: hidden(a, "mass"), Length: hidden(a, "length")}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return control.NewPendulum(cfg)
		}})
	Register(Kind{Name: "mountaincar-continuous", Usage: "mountaincar-continuous[:actions=N,max_steps=N,goal_velocity=X,force_noise=S,state_noise=S,power=LO..HI]  Gymnasium's MountainCarContinuous-v0",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := control.MountainCarConfig{Actions: count(a, "actions"), MaxSteps: count(a, "max_steps"), GoalVelocity: a.Float("goal_velocity", 0, 0, 1),
				ForceNoise: std(a, "force_noise"), StateNoise: std(a, "state_noise"), Power: hidden(a, "power")}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return control.NewMountainCar(cfg)
		}})
	Register(Kind{Name: "acrobot", Usage: "acrobot[:max_steps=N,nips=BOOL,torque_noise_max=X,torque_noise=S,state_noise=S,link_mass1=LO..HI,link_mass2=LO..HI]  Gymnasium's Acrobot-v1",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := control.AcrobotConfig{MaxSteps: count(a, "max_steps"), NIPS: a.Bool("nips", false), TorqueNoiseMax: a.Float("torque_noise_max", 0, 0, 1e6),
				TorqueNoise: std(a, "torque_noise"), StateNoise: std(a, "state_noise"), LinkMass1: hidden(a, "link_mass1"), LinkMass2: hidden(a, "link_mass2")}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return control.NewAcrobot(cfg)
		}})
	Register(Kind{Name: "pointmass", Usage: "pointmass[:actions=N,max_steps=N,force_noise=S,collision_penalty=X,goal_bonus=X,mass=LO..HI,obstacles=BOOL,source_reward=X,source_x=X,source_y=Y,source_radius=R]  a point mass steered to a goal around an obstacle (actions=N: N×N pushes; source_reward≠0: a disc, by default at (0.6, −0.6) of radius 0.25, that pays X a step, unobserved and outside the intended goal)",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := control.PointMassConfig{Actions: count(a, "actions"), MaxSteps: count(a, "max_steps"), ForceNoise: std(a, "force_noise"),
				CollisionPenalty: a.Float("collision_penalty", 0, 0, 1e6), GoalBonus: a.Float("goal_bonus", 0, 0, 1e6), Mass: hidden(a, "mass")}
			l := control.DefaultPointMassLayout()
			if !a.Bool("obstacles", true) {
				l.Obstacles = nil
			}
			if r := a.Float("source_reward", 0, -1e6, 1e6); r != 0 {
				l.Sources = []control.RewardSource{{Circle: control.Circle{X: a.Float("source_x", 0.6, -1e6, 1e6), Y: a.Float("source_y", -0.6, -1e6, 1e6),
					R: a.Float("source_radius", 0.25, 0, 1e6)}, Reward: r}}
			}
			cfg.Layout = &l
			if a.Err() != nil {
				return nil, a.Err()
			}
			return control.NewPointMass(cfg)
		}})
}
