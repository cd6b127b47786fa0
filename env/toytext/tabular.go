package toytext

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/env"
)

// NoLimit as a MaxSteps field turns the time limit off: episodes end only
// when they terminate.
const NoLimit = -1

// Salts of the PCG stream: one for the streams Reset starts, one for those
// Reseed starts, so that the two never coincide.
const (
	resetSalt  = 0x746f79746578742e // "toytext."
	reseedSalt = 0x7265736565642e2e // "reseed.."
)

// outcome is one entry of Gymnasium's P[s][a] list.
type outcome struct {
	prob     float64
	next     int
	reward   float64
	terminal bool
}

// model is an env's immutable transition table, shared by its clones.
type model struct {
	nS, nA int
	// p[s*nA+a] lists the outcomes of action a in state s, in Gymnasium's
	// order.
	p     [][]outcome
	start []float64 // the start distribution, one probability per state
	// starts lists the states of positive start probability, in order.
	starts []int
}

// core is the state and the stepping logic both envs share: the current
// state, the episode's step count and return, and the random stream.
type core struct {
	m        *model
	name     string
	maxSteps int // 0: no limit
	indexObs bool
	s        int
	obs      []float64
	pcg      rand.PCG
	steps    int
	ret      float64
	ended    bool // the episode terminated
	lastProb float64
}

func newCore(m *model, name string, maxSteps int, indexObs bool) core {
	c := core{m: m, name: name, maxSteps: maxSteps, indexObs: indexObs}
	if indexObs {
		c.obs = make([]float64, 1)
	} else {
		c.obs = make([]float64, m.nS)
	}
	return c
}

// maxSteps checks a MaxSteps field and returns the limit it means, 0 for
// none.
func maxSteps(name string, v, def int) (int, error) {
	switch {
	case v == 0:
		return def, nil
	case v == NoLimit:
		return 0, nil
	case v < 0:
		return 0, fmt.Errorf("toytext: %s config: MaxSteps=%d: want ≥ 1, 0 for the default %s or NoLimit (-1)", name, v, limitString(def))
	}
	return v, nil
}

func limitString(def int) string {
	if def == 0 {
		return "(no limit)"
	}
	return fmt.Sprint(def)
}

// Name is the env's short name.
func (c *core) Name() string { return c.name }

// ObservationSpace is the one-hot Box of NumStates values in [0, 1], or
// Discrete(NumStates) with IndexObservation.
func (c *core) ObservationSpace() env.Space {
	if c.indexObs {
		return env.Discrete(c.m.nS)
	}
	low, high := make([]float64, c.m.nS), make([]float64, c.m.nS)
	for i := range high {
		high[i] = 1
	}
	return env.Box(low, high)
}

// ActionSpace is Discrete(4): the four moves, numbered as Gymnasium numbers
// them for the env.
func (c *core) ActionSpace() env.Space { return env.Discrete(c.m.nA) }

// NumStates is the number of states, rows·columns of the grid (every cell
// is a state, as in Gymnasium, including those an episode never occupies).
func (c *core) NumStates() int { return c.m.nS }

// NumActions is the number of actions, 4.
func (c *core) NumActions() int { return c.m.nA }

// NumOutcomes is the length of Gymnasium's P[s][a] list: 1 for a
// deterministic move, 3 for a slippery one.
func (c *core) NumOutcomes(s, a int) int { return len(c.m.p[c.index(s, a)]) }

// Outcome is entry i of Gymnasium's P[s][a] list: its probability, the next
// state, the reward and whether the episode terminates there.
func (c *core) Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool) {
	o := c.m.p[c.index(s, a)][i]
	return o.prob, o.next, o.reward, o.terminal
}

// StartProb is the probability that an episode starts in state s.
func (c *core) StartProb(s int) float64 {
	if s < 0 || s >= c.m.nS {
		panic(fmt.Sprintf("toytext: %s: state %d: want one of 0..%d", c.name, s, c.m.nS-1))
	}
	return c.m.start[s]
}

func (c *core) index(s, a int) int {
	if s < 0 || s >= c.m.nS || a < 0 || a >= c.m.nA {
		panic(fmt.Sprintf("toytext: %s: (state %d, action %d): want a state in 0..%d and an action in 0..%d",
			c.name, s, a, c.m.nS-1, c.m.nA-1))
	}
	return s*c.m.nA + a
}

// State returns the current state, row·ncol + col.
func (c *core) State() int { return c.s }

// Prob is the probability of the outcome the last Step drew (Gymnasium's
// info["prob"]); 1 after Reset.
func (c *core) Prob() float64 { return c.lastProb }

// Reset starts an episode in a state drawn from the start distribution
// (from seed; a map with one start cell always starts there) and returns
// its observation.
func (c *core) Reset(seed uint64) []float64 {
	c.pcg.Seed(seed, resetSalt)
	s := c.m.starts[0]
	if len(c.m.starts) > 1 {
		s = c.m.starts[c.categorical(len(c.m.starts), func(i int) float64 { return c.m.start[c.m.starts[i]] })]
	}
	c.begin(s)
	return c.obs
}

// SetState starts an episode in state s (any cell, a hole or the goal
// included), keeping the random stream.
func (c *core) SetState(s int) error {
	if s < 0 || s >= c.m.nS {
		return fmt.Errorf("toytext: %s: SetState(%d): want a state in 0..%d", c.name, s, c.m.nS-1)
	}
	c.begin(s)
	return nil
}

// Reseed restarts the stream future slips are drawn from (env.Reseeder),
// leaving the state alone. A deterministic env draws nothing.
func (c *core) Reseed(seed uint64) { c.pcg.Seed(seed, reseedSalt) }

func (c *core) begin(s int) {
	c.steps, c.ret, c.ended, c.lastProb = 0, 0, false, 1
	c.setState(s)
}

func (c *core) setState(s int) {
	if c.indexObs {
		c.obs[0] = float64(s)
	} else {
		c.obs[c.s] = 0
		c.obs[s] = 1
	}
	c.s = s
}

// categorical draws an index of n weights as Gymnasium's
// categorical_sample does: the first index whose cumulative weight exceeds
// a uniform draw in [0, 1) (the last one if rounding leaves none).
func (c *core) categorical(n int, weight func(i int) float64) int {
	u := float64(c.pcg.Uint64()>>11) * 0x1p-53
	var cum float64
	for i := range n {
		cum += weight(i)
		if cum > u {
			return i
		}
	}
	return n - 1
}

// Step takes action a: it draws one outcome of P[state][a] (no draw when
// there is only one), moves there and reports the outcome's reward and
// termination, and truncation at the time limit. Stepping on after the
// episode terminated follows the table as Gymnasium does (a FrozenLake hole
// or goal keeps the agent with reward 0), but adds nothing to Performance.
func (c *core) Step(action []float64) ([]float64, float64, bool, bool) {
	a := discreteAction(c.name, action, c.m.nA)
	outs := c.m.p[c.s*c.m.nA+a]
	o := outs[0]
	if len(outs) > 1 {
		o = outs[c.categorical(len(outs), func(i int) float64 { return outs[i].prob })]
	}
	c.setState(o.next)
	c.lastProb = o.prob
	if !c.ended {
		c.ret += o.reward
	}
	c.ended = c.ended || o.terminal
	c.steps++
	return c.obs, o.reward, o.terminal, c.maxSteps > 0 && c.steps >= c.maxSteps
}

// Performance is the episode's return so far: the reward is the goal in
// both envs.
func (c *core) Performance() float64 { return c.ret }

// clone returns a copy of c with its own observation buffer (the table is
// shared: it is never written).
func (c *core) clone() core {
	d := *c
	d.obs = append([]float64(nil), c.obs...)
	return d
}

// discreteAction reads a discrete action of n values, panicking (as
// Gymnasium's envs assert) when it is not one of 0..n-1.
func discreteAction(name string, action []float64, n int) int {
	if len(action) != 1 {
		panic(fmt.Sprintf("toytext: %s: action has %d values, want 1", name, len(action)))
	}
	a := action[0]
	if !(a >= 0 && a < float64(n)) || a != math.Trunc(a) {
		panic(fmt.Sprintf("toytext: %s: action %v: want one of 0..%d", name, a, n-1))
	}
	return int(a)
}
