package irl

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"argmax/direct/valueiter"
)

// Env is one environment (a level) the demonstrations were played on: its
// transitions and start distribution, and a feature matrix over the
// problem's feature names.
type Env struct {
	// Name labels the level in errors and reports (optional).
	Name string
	// Table holds the level's transitions (the rewards on them are
	// ignored: the fit replaces them by Φw) and its start distribution
	// (also ignored by the fit, which starts from the demonstrations' own
	// first states; see Problem).
	Table *valueiter.Table
	// Features holds one row of len(Problem.Features) values per state,
	// row-major (states × features), as valueiter.LinearRewards reads it:
	// the reward of the fit is r(s) = Σ_k Features[s·K+k]·w[k], paid on
	// arrival in s.
	Features []float64
}

// Demo is one demonstration: an episode played on one of the problem's
// environments, as the states it visited and the actions it took.
type Demo struct {
	// Env is the index of the environment in Problem.Envs.
	Env int
	// States are s_0 … s_T: the start state and the state each action led
	// to (len(States) = len(Actions)+1).
	States []int
	// Actions are a_0 … a_{T−1}, at least one.
	Actions []int
	// Terminated says the episode ended in s_T on a terminal outcome of
	// (s_{T−1}, a_{T−1}). A demonstration that did not terminate was
	// truncated by the time limit: it must run the full horizon (T =
	// Problem.Horizon).
	Terminated bool
}

// Problem is the input of inverse RL: named features, the environments
// they are defined on, and demonstrations on them.
//
// The convention (Ziebart's finite-horizon maximum causal entropy): an
// episode lasts at most Horizon actions and stops early when it enters a
// terminal outcome; no discount (γ = 1); the reward Φw is paid on arrival
// in each state, s_1 … s_T. The demonstrator is modelled by the
// time-indexed soft-optimal policy of temperature 1, π_t(a|s) =
// exp(Q_t(s, a) − V_t(s)), with Q_t, V_t the soft values of Horizon − t
// steps to go (valueiter.SoftValueIteration, one sweep per step); the
// forward pass (valueiter.Visitation, the same policy tables, terminal
// episodes counted once) starts each level from the empirical start
// distribution of its demonstrations. With these choices the gradient of
// the objective is exactly the demonstrations' feature counts minus the
// expected ones (see Likelihood).
type Problem struct {
	// Features names the columns of every Env.Features (at least one,
	// distinct, non-empty).
	Features []string
	// Envs are the levels.
	Envs []Env
	// Demos are the demonstrations (at least one).
	Demos []Demo
	// Horizon is the episodes' time limit, in actions; 0 means the length
	// of the longest demonstration. No demonstration may be longer, and
	// one that did not terminate must be exactly this long.
	Horizon int
}

// NumFeatures is the number of features.
func (p *Problem) NumFeatures() int { return len(p.Features) }

// FeatureIndex returns the index of the named feature, or -1.
func (p *Problem) FeatureIndex(name string) int {
	for i, f := range p.Features {
		if f == name {
			return i
		}
	}
	return -1
}

// envName names environment i in errors.
func (p *Problem) envName(i int) string {
	if n := p.Envs[i].Name; n != "" {
		return fmt.Sprintf("env %d (%s)", i, n)
	}
	return fmt.Sprintf("env %d", i)
}

// horizon returns the effective horizon, after validation.
func (p *Problem) horizon() int {
	if p.Horizon > 0 {
		return p.Horizon
	}
	h := 0
	for _, d := range p.Demos {
		h = max(h, len(d.Actions))
	}
	return h
}

// Validate checks the problem and returns an error naming the first thing
// wrong: no or duplicate feature names; an environment without a table,
// or whose feature matrix has the wrong size or a value that is not
// finite; no demonstrations; a demonstration on an unknown environment,
// empty, with a state or action out of range, with a step its
// environment cannot make (no outcome of positive probability from
// (s_t, a_t) to s_{t+1}, non-terminal before the last step, terminal at
// the last step exactly when it says it terminated), longer than the
// horizon, or truncated before it.
func (p *Problem) Validate() error {
	if p == nil {
		return errors.New("irl: nil problem")
	}
	nF := len(p.Features)
	if nF == 0 {
		return errors.New("irl: problem has no features: want at least one feature name")
	}
	seen := make(map[string]int, nF)
	for i, f := range p.Features {
		if strings.TrimSpace(f) == "" {
			return fmt.Errorf("irl: feature %d has an empty name", i)
		}
		if j, ok := seen[f]; ok {
			return fmt.Errorf("irl: features %d and %d are both named %q", j, i, f)
		}
		seen[f] = i
	}
	if len(p.Envs) == 0 {
		return errors.New("irl: problem has no environments")
	}
	for i, e := range p.Envs {
		if e.Table == nil {
			return fmt.Errorf("irl: %s has no table", p.envName(i))
		}
		nS := e.Table.NumStates()
		if len(e.Features) != nS*nF {
			return fmt.Errorf("irl: %s: %d feature values for %d states × %d features (%s): want %d",
				p.envName(i), len(e.Features), nS, nF, strings.Join(p.Features, ", "), nS*nF)
		}
		for k, v := range e.Features {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("irl: %s: feature %q of state %d is %v: want a finite value",
					p.envName(i), p.Features[k%nF], k/nF, v)
			}
		}
	}
	if p.Horizon < 0 {
		return fmt.Errorf("irl: Horizon=%d: want the episodes' time limit ≥ 1 (0 for the longest demonstration)", p.Horizon)
	}
	if len(p.Demos) == 0 {
		return errors.New("irl: no demonstrations: want at least one")
	}
	h := p.horizon()
	for i, d := range p.Demos {
		if err := p.checkDemo(d, h); err != nil {
			return fmt.Errorf("irl: demo %d: %w", i, err)
		}
	}
	return nil
}

// checkDemo checks one demonstration against horizon h.
func (p *Problem) checkDemo(d Demo, h int) error {
	if d.Env < 0 || d.Env >= len(p.Envs) {
		return fmt.Errorf("environment %d: want one of 0..%d", d.Env, len(p.Envs)-1)
	}
	T := len(d.Actions)
	if T == 0 {
		return errors.New("empty demonstration: no actions")
	}
	if len(d.States) != T+1 {
		return fmt.Errorf("%d states for %d actions: want %d (the start state and one per action)", len(d.States), T, T+1)
	}
	if T > h {
		return fmt.Errorf("%d actions: longer than the horizon of %d", T, h)
	}
	if !d.Terminated && T != h {
		return fmt.Errorf("%d actions without terminating, but the horizon is %d: a demonstration must end in a terminal state or run the full horizon (set Problem.Horizon to the demonstrations' time limit)", T, h)
	}
	tab := p.Envs[d.Env].Table
	nS, nA := tab.NumStates(), tab.NumActions()
	for t, s := range d.States {
		if s < 0 || s >= nS {
			return fmt.Errorf("state %d at step %d: out of range for %s (states 0..%d)", s, t, p.envName(d.Env), nS-1)
		}
	}
	for t, a := range d.Actions {
		if a < 0 || a >= nA {
			return fmt.Errorf("action %d at step %d: out of range for %s (actions 0..%d)", a, t, p.envName(d.Env), nA-1)
		}
		term := d.Terminated && t == T-1
		ok := false
		for _, o := range tab.Transitions(d.States[t], a) {
			if o.Prob > 0 && o.Next == d.States[t+1] && o.Terminal == term {
				ok = true
				break
			}
		}
		if !ok {
			kind := "non-terminal"
			if term {
				kind = "terminal"
			}
			return fmt.Errorf("step %d: %s has no %s outcome from state %d by action %d to state %d",
				t, p.envName(d.Env), kind, d.States[t], a, d.States[t+1])
		}
	}
	return nil
}

// Contrast is a named linear combination of the weights, Σ_k Coef[k]·w_k,
// such as w_door − w_red (Difference).
type Contrast struct {
	Name string
	// Coef maps feature names to coefficients; features not named have
	// coefficient 0.
	Coef map[string]float64
}

// Difference is the contrast w_a − w_b, named "a-b".
func Difference(a, b string) Contrast {
	return Contrast{Name: a + "-" + b, Coef: map[string]float64{a: 1, b: -1}}
}

// vector returns the contrast's coefficients over p's features, or an
// error naming an unknown feature.
func (c Contrast) vector(features []string) ([]float64, error) {
	v := make([]float64, len(features))
	if len(c.Coef) == 0 {
		return nil, fmt.Errorf("irl: contrast %q has no coefficients", c.Name)
	}
	for name, x := range c.Coef {
		k := -1
		for i, f := range features {
			if f == name {
				k = i
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("irl: contrast %q: unknown feature %q (features: %s)", c.Name, name, strings.Join(features, ", "))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("irl: contrast %q: coefficient of %q is %v: want a finite value", c.Name, name, x)
		}
		v[k] = x
	}
	return v, nil
}
