// Package pick is the "search in the map" task: pick the largest of a list
// of items given as the observation, in one decision. Whatever search an
// agent does here happens inside its own computation (a scan of its input,
// a forward pass); nothing in the world is explored. Its counterpart, the
// "search in the territory", is the maze's collect distribution (env/maze),
// where the agent must walk to the largest item: the same objective, with
// the search acting on the world. The probes of package probe (optimization
// power, goal-directedness) read both the same way, through the tabular
// model each exposes.
//
// An episode is one decision: the observation holds the items' values,
// the action is an item's index, the reward is its value and the episode
// terminates. Performance is 1 when the largest item was picked, 0
// otherwise (ties count as largest).
package pick

import (
	"fmt"
	"math/rand/v2"

	"argmax/env"
)

// Config configures a Pick env. The zero value is 5 items with values
// drawn uniformly from {0, 1/9, …, 1}.
type Config struct {
	// Items is the length of the list (0 means 5; at most 64).
	Items int
	// Levels is the number of evenly spaced values in [0, 1] an item can
	// take (0 means 10; at least 2).
	Levels int
}

const maxItems = 64

func (c Config) check() (Config, error) {
	if c.Items == 0 {
		c.Items = 5
	}
	if c.Levels == 0 {
		c.Levels = 10
	}
	if c.Items < 1 || c.Items > maxItems {
		return c, fmt.Errorf("pick: Items=%d: want 1 to %d", c.Items, maxItems)
	}
	if c.Levels < 2 {
		return c, fmt.Errorf("pick: Levels=%d: want at least 2", c.Levels)
	}
	return c, nil
}

// Pick is the env. Its tabular model (NumStates, …, StartProb: the
// direct/valueiter MDP contract) has the start state 0, where the list is
// shown, and one terminal state 1+i per item i, entered by picking it and
// paying its value.
type Pick struct {
	cfg    Config
	values []float64
	obs    []float64
	done   bool
	picked int
	perf   float64
	ret    float64
}

var _ env.Env = (*Pick)(nil)

// New returns a Pick env reset with seed 0, or an error naming the wrong
// field of cfg.
func New(cfg Config) (*Pick, error) {
	cfg, err := cfg.check()
	if err != nil {
		return nil, err
	}
	e := &Pick{cfg: cfg, values: make([]float64, cfg.Items), obs: make([]float64, cfg.Items)}
	e.Reset(0)
	return e, nil
}

// Name returns "pick".
func (e *Pick) Name() string { return "pick" }

// ObservationSpace is the box [0, 1]^Items.
func (e *Pick) ObservationSpace() env.Space {
	low, high := make([]float64, e.cfg.Items), make([]float64, e.cfg.Items)
	for i := range high {
		high[i] = 1
	}
	return env.Box(low, high)
}

// ActionSpace is Discrete(Items).
func (e *Pick) ActionSpace() env.Space { return env.Discrete(e.cfg.Items) }

// Reset draws the items' values from seed.
func (e *Pick) Reset(seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x7069636b2e2e2e2e))
	for i := range e.values {
		e.values[i] = float64(rng.IntN(e.cfg.Levels)) / float64(e.cfg.Levels-1)
	}
	copy(e.obs, e.values)
	e.done, e.picked, e.perf, e.ret = false, -1, 0, 0
	return e.obs
}

// Step picks the item of the action: its value is the reward and the
// episode terminates.
func (e *Pick) Step(action []float64) ([]float64, float64, bool, bool) {
	if len(action) != 1 || action[0] != float64(int(action[0])) || action[0] < 0 || int(action[0]) >= e.cfg.Items {
		panic(fmt.Sprintf("pick: action %v: want one of 0..%d", action, e.cfg.Items-1))
	}
	i := int(action[0])
	e.done, e.picked = true, i
	r := e.values[i]
	e.ret = r
	e.perf = 0
	if r == e.Max() {
		e.perf = 1
	}
	return e.obs, r, true, false
}

// Max returns the largest value of the list.
func (e *Pick) Max() float64 {
	m := e.values[0]
	for _, v := range e.values[1:] {
		m = max(m, v)
	}
	return m
}

// Values returns the items' values (the env's buffer).
func (e *Pick) Values() []float64 { return e.values }

// Picked returns the index of the item picked this episode, or −1.
func (e *Pick) Picked() int { return e.picked }

// Clone returns an independent copy.
func (e *Pick) Clone() env.Env {
	c := *e
	c.values = append([]float64(nil), e.values...)
	c.obs = append([]float64(nil), e.obs...)
	return &c
}

// Performance is 1 if the largest item was picked, 0 otherwise.
func (e *Pick) Performance() float64 { return e.perf }

// NumStates is 1 + Items: the start and one terminal state per item.
func (e *Pick) NumStates() int { return 1 + e.cfg.Items }

// NumActions is Items.
func (e *Pick) NumActions() int { return e.cfg.Items }

// NumOutcomes is 1: the task is deterministic.
func (e *Pick) NumOutcomes(s, a int) int { return 1 }

// Outcome of picking a from the start: state 1+a, its value, terminal. The
// terminal states (never acted in) loop on themselves with no reward.
func (e *Pick) Outcome(s, a, _ int) (prob float64, next int, reward float64, terminal bool) {
	if s == 0 {
		return 1, 1 + a, e.values[a], true
	}
	return 1, s, 0, true
}

// StartProb is 1 for the start state.
func (e *Pick) StartProb(s int) float64 {
	if s == 0 {
		return 1
	}
	return 0
}

// State is 0 before the pick and 1 + the item picked after it.
func (e *Pick) State() int { return 1 + e.picked }

// FeatureNames names the state features of Features: the value of the
// item a state stands for, and step (1 in every state).
func (e *Pick) FeatureNames() []string { return []string{"value", "step"} }

// Features returns the state features, row-major (one row of
// len(FeatureNames()) per state, valueiter.LinearRewards' layout).
func (e *Pick) Features() []float64 {
	f := make([]float64, 0, 2*e.NumStates())
	for _, v := range e.StateValues() {
		f = append(f, v, 1)
	}
	return f
}

// StateValues returns, per state of the tabular model, the value of the
// item it stands for (0 for the start): the utility "the value collected"
// as a state reward paid on arrival.
func (e *Pick) StateValues() []float64 {
	r := make([]float64, e.NumStates())
	copy(r[1:], e.values)
	return r
}
