package maze

import (
	"fmt"
	"math"
)

// The generator tries up to fullAttempts layouts at the configured wall
// density, then lowers the density step by step to none at attempt
// wallAttempts (the objects of a crowded level may not fit between its
// walls), and tries layouts without interior walls up to maxAttempts in
// all.
const (
	fullAttempts = 8
	wallAttempts = 24
	maxAttempts  = 256
)

// scratch is the generator's working space, reused across Resets.
type scratch struct {
	queue               []int32
	distS, distG, distO []int32 // path lengths from the start, the goal, the start around objects
	order, cand         []int32
}

func (s *scratch) init(n int) {
	s.queue = make([]int32, 0, n)
	s.distS, s.distG, s.distO = make([]int32, n), make([]int32, n), make([]int32, n)
	s.order, s.cand = make([]int32, 0, n), make([]int32, 0, n)
}

// generate makes the level of seed: walls, start, objects.
func (m *Maze) generate(seed uint64) {
	m.seed = seed
	m.pcg.Seed(seed, levelSalt)
	m.testKind = m.cfg.Dist == DistTest
	if m.cfg.Dist == DistDiverse {
		m.testKind = m.rng.Float64() < m.cfg.P
	}
	for attempt := 0; attempt < maxAttempts; attempt++ {
		density := m.cfg.Walls
		if attempt >= fullAttempts {
			density *= max(0, float64(wallAttempts-attempt)/float64(wallAttempts-fullAttempts))
		}
		m.carve(density)
		if m.place() {
			return
		}
	}
	panic(fmt.Sprintf("maze: no level of %v found from seed %d in %d attempts", m.cfg, seed, maxAttempts))
}

// carve lays out the walls: the border, then interior walls added in a
// random order, each kept only if the floor stays connected, until a
// share density of the interior is walled (or no more can be). The
// top-right corner stays floor in the corner distributions. It then
// numbers the floor cells, the states, in row-major order.
func (m *Maze) carve(density float64) {
	w, n := m.w, m.cfg.Size
	order := m.scratch.order[:0]
	for c := range m.wall {
		r, col := c/w, c%w
		border := r == 0 || r == w-1 || col == 0 || col == w-1
		m.wall[c] = border
		if !border {
			order = append(order, int32(c))
		}
	}
	for i := len(order) - 1; i > 0; i-- {
		j := m.rng.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	target := int(math.Round(density * float64(n*n)))
	floor, walls := n*n, 0
	for _, c := range order {
		if walls >= target {
			break
		}
		if m.corner && int(c) == m.cornerAt {
			continue
		}
		m.wall[c] = true
		if m.floorConnected(int(c), floor-1) {
			walls++
			floor--
		} else {
			m.wall[c] = false
		}
	}
	m.cells = m.cells[:0]
	for c, wl := range m.wall {
		if wl {
			m.state[c] = -1
			continue
		}
		m.state[c] = int32(len(m.cells))
		m.cells = append(m.cells, int32(c))
	}
}

// ring lists the offsets of the 8 cells around a cell in cyclic order
// (N, NE, E, SE, S, SW, W, NW), consecutive ones 4-adjacent; the even
// entries are the 4-neighbours.
func (m *Maze) ring() [8]int {
	w := m.w
	return [8]int{-w, -w + 1, 1, w + 1, w, w - 1, -1, -w - 1}
}

// floorConnected reports whether the want floor cells are connected, c
// having just been walled: at once when c's floor neighbours are joined
// around it (through the floor cells of the 8 around it), else by a
// search.
func (m *Maze) floorConnected(c, want int) bool {
	ring := m.ring()
	var floor [8]bool
	from, nbs := -1, 0
	for i, d := range ring {
		floor[i] = !m.wall[c+d]
		if i%2 == 0 && floor[i] {
			from, nbs = c+ring[i], nbs+1
		}
	}
	if nbs <= 1 {
		return nbs == 1 || want == 0 // a dead end: walling it disconnects nothing
	}
	// Count the runs of floor around c that hold a 4-neighbour.
	first := -1 // a wall of the ring to start from
	for i := range floor {
		if !floor[i] {
			first = i
			break
		}
	}
	if first < 0 {
		return true // all eight floor: one run
	}
	runs, inRun, counted := 0, false, false
	for k := 1; k <= 8; k++ {
		i := (first + k) % 8
		switch {
		case !floor[i]:
			inRun, counted = false, false
		case !inRun:
			inRun = true
			fallthrough
		default:
			if i%2 == 0 && !counted {
				runs++
				counted = true
			}
		}
	}
	if runs <= 1 {
		return true
	}
	return m.bfs(m.scratch.distO, from, false) == want
}

// bfs writes into dist the path length of every cell from cell from (−1
// where unreachable) and returns the number of cells reached. With
// aroundObjects, object cells are entered but not left (but from): the
// paths an episode can take, since an object ends it.
func (m *Maze) bfs(dist []int32, from int, aroundObjects bool) int {
	for i := range dist {
		dist[i] = -1
	}
	q := append(m.scratch.queue[:0], int32(from))
	dist[from] = 0
	for i := 0; i < len(q); i++ {
		c := int(q[i])
		if aroundObjects && c != from && m.objAt[c] >= 0 {
			continue
		}
		for _, d := range m.delta {
			if nc := c + d; !m.wall[nc] && dist[nc] < 0 {
				dist[nc] = dist[c] + 1
				q = append(q, int32(nc))
			}
		}
	}
	m.scratch.queue = q[:0]
	return len(q)
}

// pick returns a uniformly drawn floor cell of those ok accepts, or −1 if
// there is none.
func (m *Maze) pick(ok func(c int) bool) int {
	cand := m.scratch.cand[:0]
	for _, c := range m.cells {
		if ok(int(c)) {
			cand = append(cand, c)
		}
	}
	m.scratch.cand = cand[:0]
	if len(cand) == 0 {
		return -1
	}
	return int(cand[m.rng.IntN(len(cand))])
}

// put puts an object of kind k and colour col on a uniformly drawn cell of
// those ok accepts where it cuts no floor cell off from the start (every
// floor cell, objects' included, stays reachable without stepping on an
// object) and keep, if not nil, accepts the path lengths around objects
// then in scratch.distO. It returns the cell, or −1 if there is none.
func (m *Maze) put(k Kind, col Colour, ok func(c int) bool, keep func() bool) int {
	return m.putValued(k, col, 0, ok, keep)
}

// putValued is put for an item of value v.
func (m *Maze) putValued(k Kind, col Colour, v float64, ok func(c int) bool, keep func() bool) int {
	cand := m.scratch.cand[:0]
	for _, c := range m.cells {
		if ok(int(c)) {
			cand = append(cand, c)
		}
	}
	defer func() { m.scratch.cand = cand[:0] }()
	for len(cand) > 0 {
		i := m.rng.IntN(len(cand))
		c := int(cand[i])
		m.add(c, k, col, v)
		if m.bfs(m.scratch.distO, m.start, true) == len(m.cells) && (keep == nil || keep()) {
			return c
		}
		m.remove(c)
		cand[i] = cand[len(cand)-1]
		cand = cand[:len(cand)-1]
	}
	return -1
}

func (m *Maze) cellOf(p Pos) int { return p.Row*m.w + p.Col }

// add puts an object on cell c.
func (m *Maze) add(c int, k Kind, col Colour, v float64) {
	o := Object{Kind: k, Colour: col, Pos: m.pos(c), Value: v}
	m.objAt[c] = int8(len(m.objects))
	m.objects = append(m.objects, o)
	m.reward = append(m.reward, m.obj.pay(o))
}

// remove takes the last object added, on cell c, away.
func (m *Maze) remove(c int) {
	m.objAt[c] = -1
	m.objects, m.reward = m.objects[:len(m.objects)-1], m.reward[:len(m.reward)-1]
}

// place draws the start and the objects on the carved layout; false if the
// draw cannot satisfy the distribution's rules (the caller tries another
// layout).
func (m *Maze) place() bool {
	m.objects, m.reward = m.objects[:0], m.reward[:0]
	for i := range m.objAt {
		m.objAt[i] = -1
	}
	m.start = m.pick(func(c int) bool { return !m.corner || c != m.cornerAt })
	if m.start < 0 {
		return false
	}
	dS, dG, dO := m.scratch.distS, m.scratch.distG, m.scratch.distO
	m.bfs(dS, m.start, false)
	free := func(c int) bool { return dS[c] >= 2 && m.objAt[c] < 0 }

	if m.cfg.Dist == DistCollect {
		return m.placeItems(free)
	}

	// The goal: the door, or the gem.
	var goal int
	switch m.cfg.Dist {
	case DistCornerTrain:
		goal = m.put(Gem, Colour(m.rng.IntN(int(numColours))), func(c int) bool { return c == m.cornerAt && free(c) }, nil)
	case DistCornerTest:
		goal = m.put(Gem, Colour(m.rng.IntN(int(numColours))), func(c int) bool { return free(c) && c != m.cornerAt }, nil)
	default:
		col := Red
		switch {
		case m.cfg.Dist == DistTest:
			col = Blue
		case m.testKind:
			col = Blue + Colour(m.rng.IntN(3))
		}
		goal = m.put(Door, col, free, nil)
	}
	if goal < 0 {
		return false
	}
	m.bfs(dG, goal, false)
	dGoal := dS[goal]
	offPath := func(c int) bool { return dS[c]+dG[c] > dGoal }

	// The proxy of a test-kind level: a red non-door object off the
	// door's shortest paths, at between half and twice its path length
	// (around objects).
	// (Around objects a path is never shorter than without them: the lower
	// bound holds once it holds for dS.)
	proxy := -1
	comparable := func() bool { return proxy < 0 || dO[proxy] <= 2*dGoal }
	if m.testKind {
		k := Key + Kind(m.rng.IntN(3))
		proxy = m.put(k, Red, func(c int) bool { return free(c) && offPath(c) && 2*dS[c] >= dGoal && dS[c] <= 2*dGoal },
			func() bool { return dO[m.cellOf(m.objects[1].Pos)] <= 2*dGoal })
		if proxy < 0 {
			return false
		}
	}

	// The distractors, off the goal's shortest paths (and out of the
	// corner), keeping the proxy's path length comparable.
	for range m.cfg.Distractors {
		k, col := Key+Kind(m.rng.IntN(3)), Blue+Colour(m.rng.IntN(3))
		if m.corner {
			k, col = [3]Kind{Door, Key, Block}[m.rng.IntN(3)], Colour(m.rng.IntN(int(numColours)))
		}
		if m.put(k, col, func(c int) bool { return free(c) && offPath(c) && !(m.corner && c == m.cornerAt) }, comparable) < 0 {
			return false
		}
	}
	return true
}

// placeItems places the collect distribution's items: gems of distinct
// values k/9, k drawn from 1..9, of colours drawn from blue, green and
// yellow, on free cells.
func (m *Maze) placeItems(free func(c int) bool) bool {
	ks := m.rng.Perm(MaxItems)
	for _, k := range ks[:m.cfg.Items] {
		if m.putValued(Gem, Blue+Colour(m.rng.IntN(3)), float64(k+1)/MaxItems, free, nil) < 0 {
			return false
		}
	}
	return true
}
