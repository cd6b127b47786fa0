package toytext

import (
	"argmax/env"
)

// CliffWalking's actions, numbered as in Gymnasium (they differ from
// FrozenLake's).
const (
	CliffUp    = 0
	CliffRight = 1
	CliffDown  = 2
	CliffLeft  = 3
)

// The cliff grid: 4 rows of 12, the start at (3, 0), the goal at (3, 11),
// the cliff along (3, 1..10).
const (
	cliffRows  = 4
	cliffCols  = 12
	cliffStart = 3 * cliffCols
	cliffGoal  = 3*cliffCols + cliffCols - 1
)

// CliffWalkingConfig configures a CliffWalking. The zero value is
// Gymnasium's CliffWalking-v0 exactly: deterministic, no time limit.
type CliffWalkingConfig struct {
	// Slippery makes every move go in the intended direction or in either
	// perpendicular one with probability 1/3 each (the is_slippery option
	// Gymnasium added with CliffWalking-v1; the rest of v1 is v0's).
	Slippery bool
	// MaxSteps is the time limit: 0 means Gymnasium's registration, which
	// sets none (an episode ends only at the goal); NoLimit also means
	// none.
	MaxSteps int
	// IndexObservation makes the observation the integer state, a
	// one-value Discrete(48) vector, instead of its one-hot vector.
	IndexObservation bool
}

// CliffWalking is Gymnasium's CliffWalking-v0 (Sutton and Barto's Example
// 6.6): a 4×12 grid, the start at the bottom left (state 36), the goal at
// the bottom right (state 47), a cliff along the bottom row between them.
// Every move (0 up, 1 right, 2 down, 3 left; a move off the grid stays
// put) gives reward −1; a move into the cliff gives −100 and puts the agent
// back at the start without ending the episode; entering the goal
// terminates it. The optimal return, along the cliff edge, is −13.
//
// Stepping into the cliff does not terminate: its outcome is (1, 36, −100,
// False). This env follows CliffWalking-v0 as Gymnasium ≥ 0.26 defines it
// (the cliffwalking.py read for it has no is_slippery); the slippery option
// came later (Gymnasium pull request #1087), with the registered id renamed
// CliffWalking-v1 (#1334), and neither changed the cliff: it sends the
// agent back to the start, unterminated, in every version. The table has all 48 cells as states, as Gymnasium's does: the
// cliff cells and the goal have rows, moves from them computed as from any
// cell, though no episode acts from them.
//
// Source: Gymnasium, gymnasium/envs/toy_text/cliffwalking.py
// (CliffWalkingEnv: _limit_coordinates, _calculate_transition_prob, step),
// registered without max_episode_steps in gymnasium/envs/__init__.py.
type CliffWalking struct {
	core
	cfg CliffWalkingConfig
}

var _ env.Env = (*CliffWalking)(nil)

// NewCliffWalking returns a cliff walk reset with seed 0, or an error
// naming the wrong field of cfg.
func NewCliffWalking(cfg CliffWalkingConfig) (*CliffWalking, error) {
	steps, err := maxSteps("cliffwalking", cfg.MaxSteps, 0)
	if err != nil {
		return nil, err
	}
	e := &CliffWalking{cfg: cfg}
	e.core = newCore(cliffModel(cfg.Slippery), "cliffwalking", steps, cfg.IndexObservation)
	e.Reset(0)
	return e, nil
}

// cliffModel builds the transition table as Gymnasium's
// CliffWalkingEnv.__init__ does.
func cliffModel(slippery bool) *model {
	nS, nA := cliffRows*cliffCols, 4
	m := &model{nS: nS, nA: nA, p: make([][]outcome, nS*nA), start: make([]float64, nS), starts: []int{cliffStart}}
	m.start[cliffStart] = 1
	delta := [4][2]int{CliffUp: {-1, 0}, CliffRight: {0, 1}, CliffDown: {1, 0}, CliffLeft: {0, -1}}
	for s := range nS {
		row, col := s/cliffCols, s%cliffCols
		for a := range nA {
			moves := []int{a}
			if slippery {
				moves = []int{(a + 3) % 4, a, (a + 1) % 4}
			}
			li := make([]outcome, 0, len(moves))
			for _, b := range moves {
				r := min(max(row+delta[b][0], 0), cliffRows-1)
				c := min(max(col+delta[b][1], 0), cliffCols-1)
				p := 1 / float64(len(moves))
				next := r*cliffCols + c
				if r == cliffRows-1 && c > 0 && c < cliffCols-1 { // the cliff
					li = append(li, outcome{prob: p, next: cliffStart, reward: -100})
					continue
				}
				li = append(li, outcome{prob: p, next: next, reward: -1, terminal: next == cliffGoal})
			}
			m.p[s*nA+a] = li
		}
	}
	return m
}

// Config returns the configuration the env was built from.
func (e *CliffWalking) Config() CliffWalkingConfig { return e.cfg }

// MaxSteps is the time limit in force, 0 for none.
func (e *CliffWalking) MaxSteps() int { return e.maxSteps }

// Clone returns an independent copy at the same state and stream position.
func (e *CliffWalking) Clone() env.Env {
	c := *e
	c.core = e.core.clone()
	return &c
}
