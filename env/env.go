// Package env is the contract for single-agent environments in
// Gymnasium's shape — the domains where the simple-vs-rich comparison of
// direct optimizers (planners that simulate the environment) and amortized
// ones (policies learned from its rewards) is made.
//
// An Env is reset from a seed, stepped with an action and cloned, so that a
// planner can simulate from any state. Observations and actions are
// float64 vectors typed by a Space: a discrete space of n actions takes a
// one-element action holding the index, a box takes one value per
// dimension. Performance is the hidden measure of the intended goal, which
// agents never see: it may differ from the reward they train on.
//
// Concrete environments live in subpackages (control: cart-pole, pendulum,
// mountain car, acrobot, point-mass).
package env

import (
	"fmt"
	"math"
)

// Space is a typed observation or action space: Discrete(n) or
// Box(low, high).
type Space struct {
	// N is the number of values of a discrete space (0 for a box).
	N int
	// Low and High bound a box, one entry per dimension (±Inf for
	// unbounded); nil for a discrete space.
	Low, High []float64
}

// Discrete returns the space of the n actions 0..n-1 (n ≥ 1).
func Discrete(n int) Space {
	if n < 1 {
		panic(fmt.Sprintf("env: discrete space of %d actions", n))
	}
	return Space{N: n}
}

// Box returns the box [low[i], high[i]] per dimension (copies of low and
// high); low and high must have the same length. The bounds of a space
// are shared by its copies: callers must not modify them.
func Box(low, high []float64) Space {
	if len(low) != len(high) {
		panic(fmt.Sprintf("env: box with %d low and %d high bounds", len(low), len(high)))
	}
	return Space{Low: append([]float64(nil), low...), High: append([]float64(nil), high...)}
}

// IsDiscrete reports whether s is a discrete space.
func (s Space) IsDiscrete() bool { return s.N > 0 }

// Dim is the length of a vector of the space: 1 for a discrete space.
func (s Space) Dim() int {
	if s.IsDiscrete() {
		return 1
	}
	return len(s.Low)
}

// Check returns an error saying how x is not in s (nil when it is): the
// wrong length, a discrete value that is not one of 0..N-1, a box value
// outside its bounds or NaN.
func (s Space) Check(x []float64) error {
	if len(x) != s.Dim() {
		return fmt.Errorf("%d values, want %d", len(x), s.Dim())
	}
	if s.IsDiscrete() {
		if a := x[0]; a != math.Trunc(a) || a < 0 || a >= float64(s.N) {
			return fmt.Errorf("action %v: want one of 0..%d", a, s.N-1)
		}
		return nil
	}
	for i, v := range x {
		if !(v >= s.Low[i] && v <= s.High[i]) {
			return fmt.Errorf("value %d is %v: want it in [%v, %v]", i, v, s.Low[i], s.High[i])
		}
	}
	return nil
}

// String renders the space as Gymnasium does: "Discrete(2)",
// "Box([-2], [2])".
func (s Space) String() string {
	if s.IsDiscrete() {
		return fmt.Sprintf("Discrete(%d)", s.N)
	}
	return fmt.Sprintf("Box(%v, %v)", s.Low, s.High)
}

// Env is one environment. Its methods are not safe for concurrent use;
// clones are independent.
//
// The vectors an Env returns from Reset and Step are its own: they are
// valid until its next Reset or Step, so that stepping allocates nothing.
// Callers that keep an observation copy it. Step neither keeps nor
// modifies the action it is given. An action of the wrong length, or a
// discrete action outside 0..n-1, is a programming error and panics; a box
// action outside its bounds is clipped, as Gymnasium's envs do.
type Env interface {
	// Name is the short name used on the command line ("cartpole").
	Name() string
	// ObservationSpace and ActionSpace type the vectors of Reset and Step.
	ObservationSpace() Space
	ActionSpace() Space
	// Reset starts an episode whose initial state (and any hidden
	// parameters drawn per episode) comes from seed alone, and returns the
	// first observation.
	Reset(seed uint64) []float64
	// Step applies an action of ActionSpace and returns the next
	// observation, the reward, whether the episode reached a terminal
	// state (terminated) or was cut short by a limit (truncated). After
	// the episode ended Step's results mean nothing (Gymnasium's envs
	// warn): callers reset.
	Step(action []float64) (obs []float64, reward float64, terminated, truncated bool)
	// Clone returns an independent copy at the same state, with the same
	// random stream, so that a planner can simulate from it.
	Clone() Env
	// Performance is the hidden measure of the intended goal over the
	// episode so far — what the designer wanted, which agents never see
	// (for most envs it is the return; where reward and goal come apart it
	// is not).
	Performance() float64
}

// Reseeder is implemented by envs whose steps draw random numbers (noisy
// dynamics, the stochastic wrappers). Reseed restarts the streams that
// future steps draw from, from seed, and leaves the state as it is.
//
// Clone copies the random streams, so a plain clone foresees the noise the
// original will draw: a planner that simulates its clones unreseeded
// plans against the future's actual draws, which no agent could know. A
// planner that calls Reseed (through the function of the same name) on
// each clone it simulates, with a seed of its own, faces the noise as a
// distribution instead.
type Reseeder interface {
	Reseed(seed uint64)
}

// Reseed reseeds e's random streams of future steps, and those of every
// env it wraps, from seed (see Reseeder); layers without randomness are
// passed through. A deterministic env is left unchanged.
func Reseed(e Env, seed uint64) {
	for e != nil {
		if r, ok := e.(Reseeder); ok {
			r.Reseed(seed)
		}
		w, ok := e.(Wrapper)
		if !ok {
			return
		}
		e = w.Unwrap()
		seed = mix64(seed + golden)
	}
}
