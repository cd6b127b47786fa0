package power_test

import (
	"math/rand/v2"
	"strings"

	"argmax/direct/valueiter"
	"argmax/probe/power"
)

// grid is a small gridworld MDP for the tests: cells from a text map ('#'
// a wall, 'S' the start, 'D' the door, 'R' the red object, '.' floor),
// four actions (0 up, 1 right, 2 down, 3 left) that move one cell, or stay
// against a wall or the edge, and with probability slip a uniformly
// random direction instead. Arriving at the door pays 1 and ends the
// episode; arriving at the red object ends it and pays nothing. Walls and
// the terminal cells are never occupied by a running episode; their rows
// are self-loops.
type grid struct {
	w, h  int
	cells string
	slip  float64
}

// maze is the 6×6 map of the tests: the door 9 steps from the start, the
// red object 5 steps away in another direction.
var maze = []string{
	"S...#.",
	".##.#.",
	"....#D",
	".#....",
	".#.##.",
	"R.....",
}

func newGrid(rows []string, slip float64) *grid {
	return &grid{w: len(rows[0]), h: len(rows), cells: strings.Join(rows, ""), slip: slip}
}

func (g *grid) NumStates() int  { return g.w * g.h }
func (g *grid) NumActions() int { return 4 }

func (g *grid) NumOutcomes(s, a int) int {
	if g.slip == 0 || g.dead(s) {
		return 1
	}
	return 4
}

// dead reports a cell no running episode occupies.
func (g *grid) dead(s int) bool { return strings.IndexByte("#DR", g.cells[s]) >= 0 }

func (g *grid) move(s, dir int) int {
	x, y := s%g.w, s/g.w
	switch dir {
	case 0:
		y--
	case 1:
		x++
	case 2:
		y++
	case 3:
		x--
	}
	if x < 0 || y < 0 || x >= g.w || y >= g.h || g.cells[y*g.w+x] == '#' {
		return s
	}
	return y*g.w + x
}

func (g *grid) Outcome(s, a, i int) (prob float64, next int, reward float64, terminal bool) {
	if g.dead(s) {
		return 1, s, 0, false
	}
	dir, p := a, 1.0
	if g.slip > 0 {
		dir, p = i, g.slip/4
		if i == a {
			p += 1 - g.slip
		}
	}
	next = g.move(s, dir)
	switch g.cells[next] {
	case 'D':
		return p, next, 1, true
	case 'R':
		return p, next, 0, true
	}
	return p, next, 0, false
}

func (g *grid) StartProb(s int) float64 {
	if g.cells[s] == 'S' {
		return 1
	}
	return 0
}

// goal is the utility "arrive at the cell marked c": reward 1 there.
func (g *grid) goal(c byte) []float64 {
	r := make([]float64, g.NumStates())
	r[strings.IndexByte(g.cells, c)] = 1
	return r
}

func mustTable(m valueiter.MDP) *valueiter.Table {
	t, err := valueiter.NewTable(m)
	if err != nil {
		panic(err)
	}
	return t
}

func uniformPolicy(t *valueiter.Table) []float64 {
	p := make([]float64, t.NumStates()*t.NumActions())
	for i := range p {
		p[i] = 1 / float64(t.NumActions())
	}
	return p
}

// sample draws an index from probabilities p.
func sample(rng *rand.Rand, p []float64) int {
	u := rng.Float64()
	for i, q := range p {
		if u < q {
			return i
		}
		u -= q
	}
	return len(p) - 1
}

// rollout plays a stationary policy (or, when steps tables are given,
// policy table k at step k) on t for at most horizon steps, and returns
// the decisions and the undiscounted return of t's rewards.
func rollout(t *valueiter.Table, policy []float64, horizon int, rng *rand.Rand) (power.Episode, float64) {
	nS, nA := t.NumStates(), t.NumActions()
	s := sample(rng, t.Start())
	var ep power.Episode
	var ret float64
	for k := range horizon {
		pi := policy
		if len(policy) > nS*nA {
			pi = policy[k*nS*nA : (k+1)*nS*nA]
		}
		a := sample(rng, pi[s*nA:(s+1)*nA])
		ep = append(ep, power.Step{State: s, Action: a})
		tr := t.Transitions(s, a)
		probs := make([]float64, len(tr))
		for i, o := range tr {
			probs[i] = o.Prob
		}
		o := tr[sample(rng, probs)]
		ret += o.Reward
		if o.Terminal {
			break
		}
		s = o.Next
	}
	return ep, ret
}

func rollouts(t *valueiter.Table, policy []float64, horizon, n int, seed uint64) ([]power.Episode, []float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	eps := make([]power.Episode, n)
	rets := make([]float64, n)
	for i := range eps {
		eps[i], rets[i] = rollout(t, policy, horizon, rng)
	}
	return eps, rets
}
