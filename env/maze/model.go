package maze

import (
	"fmt"
	"slices"
)

// The tabular model of the current level (valueiter's MDP contract,
// implemented structurally): state s is the agent on floor cell s, the
// floor cells numbered in row-major order; an object's cell is terminal on
// entry. Every transition is deterministic and pays the reward of the
// state it enters (the arrival form of valueiter's WithStateRewards): the
// objective's reward of the object there (1 or 0), minus StepCost. A
// terminal state's actions keep it there, terminal, paying its reward
// again (no episode acts from it).

// NumStates is the number of floor cells of the level.
func (m *Maze) NumStates() int { return len(m.cells) }

// NumActions is 4.
func (m *Maze) NumActions() int { return 4 }

// NumOutcomes is 1: moves are deterministic.
func (m *Maze) NumOutcomes(s, a int) int {
	m.checkSA(s, a)
	return 1
}

// Outcome is the one outcome of action a in state s under the configured
// reward: probability 1, the next state, its arrival reward, and whether
// it is an object's (terminal).
func (m *Maze) Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool) {
	m.checkSA(s, a)
	if i != 0 {
		panic(fmt.Sprintf("maze: outcome %d of (state %d, action %d): want 0", i, s, a))
	}
	n := m.nextCell(int(m.cells[s]), a)
	return 1, int(m.state[n]), m.arrival(m.obj, n), m.objAt[n] >= 0
}

// nextCell is the cell an action leads to from cell c: c itself from an
// object's cell (terminal) or into a wall.
func (m *Maze) nextCell(c, a int) int {
	if m.objAt[c] >= 0 {
		return c
	}
	if n := c + m.delta[a]; !m.wall[n] {
		return n
	}
	return c
}

// arrival is the reward of entering floor cell c under ob.
func (m *Maze) arrival(ob objective, c int) float64 {
	r := m.stepReward()
	if o := m.objAt[c]; o >= 0 {
		r += ob.pay(m.objects[o])
	}
	return r
}

// StartProb is 1 for the level's start state, 0 for the others.
func (m *Maze) StartProb(s int) float64 {
	m.checkSA(s, 0)
	if int(m.cells[s]) == m.start {
		return 1
	}
	return 0
}

func (m *Maze) checkSA(s, a int) {
	if s < 0 || s >= len(m.cells) || a < 0 || a >= 4 {
		panic(fmt.Sprintf("maze: (state %d, action %d): want a state in 0..%d and an action in 0..3", s, a, len(m.cells)-1))
	}
}

// State is the agent's state (valueiter's StateEnv).
func (m *Maze) State() int { return int(m.state[m.agent]) }

// StateOf returns the state of floor cell p, false for a wall.
func (m *Maze) StateOf(p Pos) (int, bool) {
	if m.Wall(p) {
		return 0, false
	}
	return int(m.state[p.Row*m.w+p.Col]), true
}

// PosOf returns the cell of state s.
func (m *Maze) PosOf(s int) Pos {
	m.checkSA(s, 0)
	return m.pos(int(m.cells[s]))
}

// SetState starts an episode on the current level with the agent in state
// s (an object's state included: the episode has then reached it).
func (m *Maze) SetState(s int) error {
	if s < 0 || s >= len(m.cells) {
		return fmt.Errorf("maze: SetState(%d): want a state in 0..%d", s, len(m.cells)-1)
	}
	m.begin(int(m.cells[s]))
	return nil
}

// The state features, in the order of FeatureNames: is_door, is_key,
// is_gem, is_block (the kind of the object on the cell), is_red, is_blue,
// is_green, is_yellow (its colour), is_corner (the top-right interior
// cell), step (1 in every state).
const (
	featDoor   = 0 // + Kind
	featRed    = 4 // + Colour
	featCorner = 8
	featStep   = 9
	featValue  = 10
	numFeats   = 11
)

var featureNames = [numFeats]string{"is_door", "is_key", "is_gem", "is_block", "is_red", "is_blue", "is_green", "is_yellow", "is_corner", "step", "value"}

// FeatureNames returns the names of the state features: is_door, is_key,
// is_gem, is_block, is_red, is_blue, is_green, is_yellow (the kind and
// colour of the object in the state's cell, all 0 on an empty cell),
// is_corner (the top-right interior cell) and step (1 in every state: its
// weight is a reward per step).
func FeatureNames() []string { return slices.Clone(featureNames[:]) }

// FeatureNames returns the state features' names (the package's
// FeatureNames).
func (m *Maze) FeatureNames() []string { return FeatureNames() }

// Features returns the state features of the current level, row-major
// with one row of len(FeatureNames()) values per state: the layout of
// valueiter.LinearRewards, whose rewards (paid on arrival) with the weights
// of FeatureWeights are the model's.
func (m *Maze) Features() []float64 {
	f := make([]float64, len(m.cells)*numFeats)
	for s, c := range m.cells {
		row := f[s*numFeats : (s+1)*numFeats]
		if o := m.objAt[c]; o >= 0 {
			row[featDoor+int(m.objects[o].Kind)] = 1
			row[featRed+int(m.objects[o].Colour)] = 1
		}
		if int(c) == m.cornerAt {
			row[featCorner] = 1
		}
		row[featStep] = 1
		if o := m.objAt[c]; o >= 0 {
			row[featValue] = m.objects[o].Value
		}
	}
	return f
}

// FeatureWeights returns the weights w of the features for which the
// linear state rewards Φw are the rewards of the objective (door, red or
// gem) with the maze's StepCost: 1 on is_door, is_red or is_gem, −StepCost
// on step.
func (m *Maze) FeatureWeights(reward string) ([]float64, error) {
	ob, err := objectiveOf(reward)
	if err != nil {
		return nil, err
	}
	w := make([]float64, numFeats)
	switch ob {
	case objDoor:
		w[featDoor+int(Door)] = 1
	case objRed:
		w[featRed+int(Red)] = 1
	case objGem:
		w[featDoor+int(Gem)] = 1
	case objValue:
		w[featValue] = 1
	}
	w[featStep] = m.stepReward()
	return w, nil
}

// Model is the tabular model of one level under one reward objective: an
// immutable snapshot, independent of the Maze it came from (valueiter's MDP
// contract, structurally). Its states, transitions and rewards are those
// of the Maze's own model when the objective is the Maze's.
type Model struct {
	reward   string
	next     []int32 // states × actions
	r        []float64
	terminal []bool
	start    int
	pos      []Pos
	features []float64
}

// Model returns the current level's model under the reward objective
// reward (door, red or gem; "" for the maze's own), with the maze's
// StepCost.
func (m *Maze) Model(reward string) (*Model, error) {
	if reward == "" {
		reward = m.cfg.Reward
	}
	ob, err := objectiveOf(reward)
	if err != nil {
		return nil, err
	}
	nS := len(m.cells)
	md := &Model{reward: reward, next: make([]int32, nS*4), r: make([]float64, nS), terminal: make([]bool, nS),
		start: int(m.state[m.start]), pos: make([]Pos, nS), features: m.Features()}
	for s, c := range m.cells {
		for a := range 4 {
			md.next[s*4+a] = m.state[m.nextCell(int(c), a)]
		}
		md.r[s] = m.arrival(ob, int(c))
		md.terminal[s] = m.objAt[c] >= 0
		md.pos[s] = m.pos(int(c))
	}
	return md, nil
}

// Reward is the model's objective.
func (md *Model) Reward() string { return md.reward }

// NumStates is the number of floor cells.
func (md *Model) NumStates() int { return len(md.r) }

// NumActions is 4.
func (md *Model) NumActions() int { return 4 }

// NumOutcomes is 1.
func (md *Model) NumOutcomes(s, a int) int {
	md.check(s, a)
	return 1
}

// Outcome is the one outcome of action a in state s.
func (md *Model) Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool) {
	md.check(s, a)
	if i != 0 {
		panic(fmt.Sprintf("maze: model: outcome %d of (state %d, action %d): want 0", i, s, a))
	}
	n := int(md.next[s*4+a])
	return 1, n, md.r[n], md.terminal[n]
}

// StartProb is 1 for the start state.
func (md *Model) StartProb(s int) float64 {
	md.check(s, 0)
	if s == md.start {
		return 1
	}
	return 0
}

func (md *Model) check(s, a int) {
	if s < 0 || s >= len(md.r) || a < 0 || a >= 4 {
		panic(fmt.Sprintf("maze: model: (state %d, action %d): want a state in 0..%d and an action in 0..3", s, a, len(md.r)-1))
	}
}

// Start is the start state.
func (md *Model) Start() int { return md.start }

// Terminal reports whether state s is an object's.
func (md *Model) Terminal(s int) bool { return md.terminal[s] }

// Pos is the cell of state s.
func (md *Model) Pos(s int) Pos { return md.pos[s] }

// Rewards returns a copy of the arrival reward of every state.
func (md *Model) Rewards() []float64 { return slices.Clone(md.r) }

// FeatureNames returns the state features' names.
func (md *Model) FeatureNames() []string { return FeatureNames() }

// Features returns a copy of the level's state features (see
// Maze.Features).
func (md *Model) Features() []float64 { return slices.Clone(md.features) }
