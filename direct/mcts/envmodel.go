package mcts

import (
	"fmt"
	"math"
	"slices"

	"argmax/env"
)

// MaxEnvActions is the largest number of discrete actions an EnvModel
// makes of a box action space (Levels to the power of its dimension).
const MaxEnvActions = 1024

// DefaultLevels is the number of evenly spaced values an EnvModel takes
// per box dimension when none is given.
const DefaultLevels = 5

// EnvState is a state of an EnvModel: an env the search owns (a clone,
// stepped in place) and its last observation.
type EnvState struct {
	Env env.Env
	// Obs is a copy of the observation of Env's current state (nil when
	// none was given at the root).
	Obs []float64
}

// EnvModel is the true model of an env, for a ModelSearcher: Step steps
// the state's env with the action's vector, with the env's reward and a
// fixed discount; an episode's end (terminated or truncated) is terminal.
//
// A discrete action space of n actions gives the n actions themselves. A
// box is discretized into Levels evenly spaced values per dimension, from
// Low to High (a dimension must be bounded), and the actions are their
// joint combinations: Levels actions for a 1-D box, Levels^d for a d-D
// one, at most MaxEnvActions. Action a sets dimension j to level
// (a / Levels^j) mod Levels: dimension 0 varies fastest.
type EnvModel struct {
	space    env.Space
	levels   int
	discount float64
	n, d     int
	table    []float64 // n rows of d values: the action vectors
}

var _ Model[*EnvState] = (*EnvModel)(nil)

// NewEnvModel returns the model of envs with the action space space, its
// boxes discretized into levels values per dimension (0 means
// DefaultLevels; ignored for a discrete space), and the discount γ in
// (0, 1] of every step; or an error saying why space cannot be
// discretized.
func NewEnvModel(space env.Space, levels int, discount float64) (*EnvModel, error) {
	m, err := newEnvModel(space, levels, discount)
	if err != nil {
		return nil, fmt.Errorf("mcts: %w", err)
	}
	return m, nil
}

// newEnvModel is NewEnvModel with errors for the caller to prefix.
func newEnvModel(space env.Space, levels int, discount float64) (*EnvModel, error) {
	if !(discount > 0 && discount <= 1) {
		return nil, fmt.Errorf("discount=%v: want a value in (0, 1]", discount)
	}
	if levels == 0 {
		levels = DefaultLevels
	}
	m := &EnvModel{space: space, levels: levels, discount: discount}
	if space.IsDiscrete() {
		m.n, m.d = space.N, 1
		if m.n > MaxEnvActions {
			return nil, fmt.Errorf("action space %v: %d actions, more than %d", space, m.n, MaxEnvActions)
		}
		m.table = make([]float64, m.n)
		for a := range m.table {
			m.table[a] = float64(a)
		}
		return m, nil
	}
	d := space.Dim()
	if d == 0 {
		return nil, fmt.Errorf("action space %v: no dimension to act on", space)
	}
	if levels < 2 {
		return nil, fmt.Errorf("%d levels per action dimension: want ≥ 2", levels)
	}
	for j := range d {
		lo, hi := space.Low[j], space.High[j]
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.Abs(lo) > 1e300 || math.Abs(hi) > 1e300 || !(lo <= hi) {
			return nil, fmt.Errorf("action space %v: dimension %d is [%v, %v], not bounded: cannot discretize it", space, j, lo, hi)
		}
	}
	n := 1
	for range d {
		n *= levels
		if n > MaxEnvActions {
			return nil, fmt.Errorf("action space %v: %d levels in each of %d dimensions make more than %d joint actions: lower the levels", space, levels, d, MaxEnvActions)
		}
	}
	m.n, m.d = n, d
	m.table = make([]float64, n*d)
	for a := range n {
		k := a
		for j := range d {
			l := k % levels
			k /= levels
			v := space.Low[j] + (space.High[j]-space.Low[j])*float64(l)/float64(levels-1)
			if l == levels-1 {
				v = space.High[j]
			}
			m.table[a*d+j] = v
		}
	}
	return m, nil
}

// Space returns the action space the model discretizes.
func (m *EnvModel) Space() env.Space { return m.space }

// NumActions is the number of discrete actions.
func (m *EnvModel) NumActions() int { return m.n }

// Action returns the env action of discrete action a (the model's row,
// which callers must not modify).
func (m *EnvModel) Action(a int) []float64 { return m.table[a*m.d : (a+1)*m.d] }

// Step steps s's env with action a and returns s with the new
// observation.
func (m *EnvModel) Step(s *EnvState, a int) (reward, discount float64, next *EnvState, terminal bool) {
	obs, r, term, trunc := s.Env.Step(m.Action(a))
	s.Obs = append(s.Obs[:0], obs...)
	return r, m.discount, s, term || trunc
}

// Clone returns a copy of s with a clone of its env.
func (m *EnvModel) Clone(s *EnvState) *EnvState {
	return &EnvState{Env: s.Env.Clone(), Obs: slices.Clone(s.Obs)}
}
