package irl_test

import (
	"math/rand/v2"

	"argmax/direct/valueiter"
	"argmax/probe/irl"
)

// The gridworlds of the tests: an open side×side grid, four moves (up,
// right, down, left; a move into the border stays put), a few object
// cells that end the episode on entry, and the features below.

var features = []string{"is_door", "is_red", "is_gem", "step"}

const (
	fDoor = iota
	fRed
	fGem
	fStep
)

// grid is a deterministic gridworld MDP.
type grid struct {
	side     int
	terminal []bool
	start    []float64
}

func (g *grid) NumStates() int           { return g.side * g.side }
func (g *grid) NumActions() int          { return 4 }
func (g *grid) NumOutcomes(_, _ int) int { return 1 }
func (g *grid) StartProb(s int) float64  { return g.start[s] }

func (g *grid) Outcome(s, a, _ int) (float64, int, float64, bool) {
	n := g.next(s, a)
	return 1, n, 0, g.terminal[n]
}

func (g *grid) next(s, a int) int {
	r, c := s/g.side, s%g.side
	switch a {
	case 0:
		r = max(r-1, 0)
	case 1:
		c = min(c+1, g.side-1)
	case 2:
		r = min(r+1, g.side-1)
	case 3:
		c = max(c-1, 0)
	}
	return r*g.side + c
}

// object is a featured cell: which of door, red, gem it is.
type object struct{ door, red, gem bool }

// level is a generated layout.
type level struct {
	grid   *grid
	env    irl.Env
	starts []int // the empty cells, where episodes start (uniformly)
	cells  map[int]object
}

// makeLevel places objs on distinct random cells of a side×side grid,
// retrying until every object can be reached from every empty cell
// without entering another object.
func makeLevel(rng *rand.Rand, side int, objs []object) level {
	for {
		n := side * side
		perm := rng.Perm(n)
		g := &grid{side: side, terminal: make([]bool, n), start: make([]float64, n)}
		cells := map[int]object{}
		for i, o := range objs {
			cells[perm[i]] = o
			g.terminal[perm[i]] = true
		}
		var starts []int
		for s := range n {
			if !g.terminal[s] {
				starts = append(starts, s)
			}
		}
		ok := true
		for c := range cells {
			d := distances(g, c)
			for _, s := range starts {
				if d[s] < 0 {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		for _, s := range starts {
			g.start[s] = 1 / float64(len(starts))
		}
		tab, err := valueiter.NewTable(g)
		if err != nil {
			panic(err)
		}
		phi := make([]float64, n*len(features))
		for s := range n {
			o := cells[s]
			row := phi[s*len(features):]
			row[fDoor], row[fRed], row[fGem], row[fStep] = b2f(o.door), b2f(o.red), b2f(o.gem), 1
		}
		return level{grid: g, env: irl.Env{Table: tab, Features: phi}, starts: starts, cells: cells}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// distinct is a layout of a blue door, a red key and a blue gem: is_door
// and is_red differ. coincide is one where the door is the red thing.
var (
	distinct = []object{{door: true}, {red: true}, {gem: true}}
	coincide = []object{{door: true, red: true}, {gem: true}, {gem: true}}
)

// distances returns the number of moves from each cell to target through
// non-terminal cells (-1 where it cannot be reached).
func distances(g *grid, target int) []int {
	n := g.NumStates()
	d := make([]int, n)
	for i := range d {
		d[i] = -1
	}
	d[target] = 0
	queue := []int{target}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for s := range n {
			if g.terminal[s] || d[s] >= 0 {
				continue
			}
			for a := range 4 {
				if g.next(s, a) == c {
					d[s] = d[c] + 1
					queue = append(queue, s)
					break
				}
			}
		}
	}
	return d
}

// seeker returns the deterministic shortest-path agent to the first
// object matching want: in each cell the first action (up, right, down,
// left) that brings it one move closer.
func seeker(lv level, want func(object) bool) func(t, s int) int {
	target := -1
	for s := range lv.grid.NumStates() {
		if o, ok := lv.cells[s]; ok && want(o) {
			target = s
			break
		}
	}
	d := distances(lv.grid, target)
	return func(_, s int) int {
		for a := range 4 {
			if n := lv.grid.next(s, a); n == target || (!lv.grid.terminal[n] && d[n] == d[s]-1) {
				return a
			}
		}
		panic("seeker: stuck")
	}
}

// softAgent returns the agent sampling the time-indexed soft-optimal
// policy of w over horizon steps.
func softAgent(lv level, w []float64, horizon int, rng *rand.Rand) func(t, s int) int {
	pol, err := irl.SoftPolicy(lv.env, w, horizon)
	if err != nil {
		panic(err)
	}
	size := lv.grid.NumStates() * 4
	return func(t, s int) int {
		row := pol[t*size+s*4 : t*size+s*4+4]
		u := rng.Float64()
		for a, p := range row {
			if u < p {
				return a
			}
			u -= p
		}
		return 3
	}
}

// rollout plays agent on lv from start for at most horizon steps.
func rollout(lv level, envIndex, start, horizon int, agent func(t, s int) int) irl.Demo {
	d := irl.Demo{Env: envIndex, States: []int{start}}
	s := start
	for t := range horizon {
		a := agent(t, s)
		s = lv.grid.next(s, a)
		d.Actions = append(d.Actions, a)
		d.States = append(d.States, s)
		if lv.grid.terminal[s] {
			d.Terminated = true
			break
		}
	}
	return d
}

// scenario builds a problem of nLevels layouts of objs with perLevel
// demonstrations each, from random starts, by the agent makeAgent returns
// for each level.
func scenario(seed uint64, side, nLevels, perLevel, horizon int, objs []object,
	makeAgent func(lv level, rng *rand.Rand) func(t, s int) int) *irl.Problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := &irl.Problem{Features: features, Horizon: horizon}
	for i := range nLevels {
		lv := makeLevel(rng, side, objs)
		p.Envs = append(p.Envs, lv.env)
		agent := makeAgent(lv, rng)
		for range perLevel {
			start := lv.starts[rng.IntN(len(lv.starts))]
			p.Demos = append(p.Demos, rollout(lv, i, start, horizon, agent))
		}
	}
	return p
}

func doorSeeker(lv level, _ *rand.Rand) func(t, s int) int {
	return seeker(lv, func(o object) bool { return o.door })
}

func redSeeker(lv level, _ *rand.Rand) func(t, s int) int {
	return seeker(lv, func(o object) bool { return o.red })
}

func planted(w []float64, horizon int) func(lv level, rng *rand.Rand) func(t, s int) int {
	return func(lv level, rng *rand.Rand) func(t, s int) int { return softAgent(lv, w, horizon, rng) }
}
