package mcts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"argmax"
	"argmax/game"
)

// Status says why a search stopped.
type Status int

// The reasons a search stops.
const (
	SimulationLimit Status = iota // the simulation budget was spent
	TimeLimit                     // the time budget ran out
	NodeLimit                     // the node budget was reached
	Solved                        // the root was proven (Config.Solver)
	Decided                       // the adaptive stopping rule stopped it (Config.StopLead)
)

// String names the status.
func (s Status) String() string {
	switch s {
	case SimulationLimit:
		return "simulation limit"
	case TimeLimit:
		return "time limit"
	case NodeLimit:
		return "node limit"
	case Solved:
		return "solved"
	case Decided:
		return "decided"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Child holds the root statistics of one move, summed over threads.
type Child struct {
	Action game.Action
	// Visits is the number of simulations through the move.
	Visits int64
	// Value is the mean simulation value for the player to move at the
	// root, in [-1, 1] (0 when unvisited).
	Value float64
	// Prior is the move's prior as searched (after noise), the mean over
	// threads.
	Prior float64
	// Proven reports whether the solver proved the move's value; Outcome is
	// then the exact result for the player to move at the root.
	Proven  bool
	Outcome game.Outcome
}

// Result is the answer of one search.
type Result struct {
	// Action is the chosen move.
	Action game.Action
	// Value is the mean simulation value at the root for the player to move.
	Value float64
	// Proven reports whether the solver proved the root; Outcome is then its
	// exact value for the player to move.
	Proven  bool
	Outcome game.Outcome
	// Children are the root moves in the order of State.Legal.
	Children []Child
	// Status says why the search stopped; Reused is the number of tree
	// nodes kept from the previous search (summed over threads).
	Status Status
	Reused int64
	// Cost is the work done: simulations, nodes created, moves played in
	// the tree and by the evaluator (Steps), the evaluator's own counts
	// (forward passes, FLOPs, playouts), wall time; CutShort is 1 when a
	// solver search stopped on its budget before proving the root.
	Cost argmax.Cost
}

// Searcher is a Monte Carlo tree search bot. It is not safe for concurrent
// use; with Threads > 1 it runs its own goroutines during a search.
type Searcher struct {
	cfg     Config
	workers []*worker
}

var _ game.Policy = (*Searcher)(nil)

// New returns a Searcher for cfg, or an error naming every invalid field.
func New(cfg Config) (*Searcher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Searcher{cfg: cfg}
	per := max(cfg.MaxNodes/cfg.Threads, 1)
	for i := 0; i < cfg.Threads; i++ {
		ev := cfg.Evaluator
		if c, ok := ev.(Cloner); ok {
			ev = c.Clone()
		}
		// Threads write their slots, leaves, paths and generator state on
		// every simulation: padding keeps them off each other's cache
		// lines.
		w := &worker{
			ev:       ev,
			c:        float32(cfg.C),
			fpu:      float32(cfg.FPU),
			puct:     cfg.Selection == PUCT,
			solver:   cfg.Solver,
			stopLead: float32(cfg.StopLead),
			stopMin:  cfg.StopMin,
			reuse:    cfg.Reuse,
			alpha:    cfg.NoiseAlpha,
			frac:     cfg.NoiseFraction,
			slots:    make([]slot, cfg.Batch+2)[1 : cfg.Batch+1],
			leaves:   make([]Leaf, cfg.Batch+2)[1 : cfg.Batch+1],
		}
		for j := range w.slots {
			w.slots[j].path = make([]int32, 0, 128)
			w.slots[j].legal = make([]game.Action, 0, 64)
		}
		if cfg.Batch > 1 {
			w.vl = 1
		}
		w.rng = rand.New(&w.pcg)
		w.t.max = per
		s.workers = append(s.workers, w)
	}
	return s, nil
}

// Config returns the configuration in use, defaults filled in.
func (s *Searcher) Config() Config { return s.cfg }

// Reseed sets the seed of later searches (each search draws from it and
// the position): self-play gives each game its own.
func (s *Searcher) Reseed(seed uint64) { s.cfg.Seed = seed }

// Reset drops the trees kept for reuse.
func (s *Searcher) Reset() {
	for _, w := range s.workers {
		w.prev = nil
		w.t.nodes = w.t.nodes[:0]
	}
}

// Decide searches st and returns the chosen move; it makes a Searcher a
// game.Decider.
func (s *Searcher) Decide(ctx context.Context, st game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	r, err := s.Search(ctx, st, b)
	if err != nil {
		return 0, argmax.Cost{}, err
	}
	return r.Action, r.Cost, nil
}

// Distribution searches st and writes the share of root visits of each
// action into dst (one entry per action, 0 for illegal ones); a proven
// winning move, which Decide always plays, gets all of it. It makes a
// Searcher a game.Policy.
func (s *Searcher) Distribution(ctx context.Context, st game.State, b argmax.Budget, dst []float32) (argmax.Cost, error) {
	r, err := s.Search(ctx, st, b)
	if err != nil {
		return argmax.Cost{}, err
	}
	clear(dst)
	var total int64
	for _, c := range r.Children {
		if int(c.Action) >= len(dst) {
			return r.Cost, fmt.Errorf("mcts: action %d does not fit a distribution over %d actions", c.Action, len(dst))
		}
		total += c.Visits
	}
	for _, c := range r.Children {
		if c.Proven && c.Outcome == game.Win && c.Action == r.Action {
			clear(dst)
			dst[c.Action] = 1
			return r.Cost, nil
		}
		if total > 0 {
			dst[c.Action] = float32(float64(c.Visits) / float64(total))
		}
	}
	if total == 0 {
		dst[r.Action] = 1
	}
	return r.Cost, nil
}

// Search runs simulations from st within b (or, if b is unlimited, within
// Config.Budget, or DefaultSimulations simulations) and returns the move
// and the root statistics. st is left unchanged. The simulation and node
// limits are totals over threads. A cancelled ctx stops the search within
// a few simulations and returns ctx.Err().
func (s *Searcher) Search(ctx context.Context, st game.State, b argmax.Budget) (*Result, error) {
	start := time.Now()
	if over, _ := st.Terminal(); over {
		return nil, fmt.Errorf("mcts: position %q: the game is over", st.String())
	}
	if err := b.Check(); err != nil {
		return nil, fmt.Errorf("mcts: %w", err)
	}
	if b.Simulations == 0 && b.Nodes == 0 && b.Time == 0 {
		b = s.cfg.Budget
		if b.Simulations == 0 && b.Nodes == 0 && b.Time == 0 {
			b.Simulations = DefaultSimulations
		}
	}
	var deadline time.Time
	if b.Time > 0 {
		deadline = start.Add(b.Time)
	}
	key := st.Key()
	T := len(s.workers)
	for i, w := range s.workers {
		w.simLimit, w.nodeLimit = math.MaxInt64, math.MaxInt64
		if b.Simulations > 0 {
			w.simLimit = split(b.Simulations, T, i)
		}
		if b.Nodes > 0 {
			w.nodeLimit = split(b.Nodes, T, i)
		}
		w.deadline = deadline
		w.done = ctx.Done()
		w.seed(s.cfg.Seed, key, i)
	}
	if T == 1 {
		s.workers[0].search(st)
	} else {
		var wg sync.WaitGroup
		for _, w := range s.workers[1:] {
			clone := st.Clone()
			wg.Go(func() { w.search(clone) })
		}
		s.workers[0].search(st)
		wg.Wait()
	}
	var errs []error
	for _, w := range s.workers {
		if w.err != nil {
			errs = append(errs, w.err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := s.merge()
	r.Cost.Elapsed = time.Since(start)
	if len(r.Children) == 0 {
		return nil, fmt.Errorf("mcts: position %q: the root was not expanded (max nodes %d per thread is too small)", st.String(), s.workers[0].t.max)
	}
	return r, nil
}

// split returns thread i's share of n over t threads.
func split(n int64, t, i int) int64 {
	q, rem := n/int64(t), n%int64(t)
	if int64(i) < rem {
		q++
	}
	return q
}

// merge sums the root statistics of the threads and chooses the move.
func (s *Searcher) merge() *Result {
	r := &Result{Status: SimulationLimit}
	var rootN, rootW float64
	var priorCount int
	for _, w := range s.workers {
		r.Cost = r.Cost.Add(w.evalCost)
		r.Cost.Simulations += w.sims
		r.Cost.Nodes += w.created
		r.Cost.Steps += w.steps
		r.Reused += w.reused
		if w.status > r.Status {
			r.Status = w.status
		}
		root := &w.t.nodes[0]
		rootN += float64(root.n)
		rootW += float64(root.w)
		if root.proof != proofNone {
			r.Proven, r.Outcome = true, -outcomeOf(root.proof)
		}
		if root.nchild == 0 {
			continue
		}
		ch := w.t.nodes[root.first : root.first+int32(root.nchild)]
		if r.Children == nil {
			r.Children = make([]Child, len(ch))
			for i := range ch {
				r.Children[i].Action = game.Action(ch[i].action)
			}
		}
		priorCount++
		for i := range ch {
			c, rc := &ch[i], &r.Children[i]
			rc.Visits += int64(c.n)
			rc.Value += float64(c.w)
			rc.Prior += float64(c.p)
			if c.proof != proofNone {
				rc.Proven, rc.Outcome = true, outcomeOf(c.proof)
			}
		}
	}
	if rootN > 0 {
		r.Value = -rootW / rootN
	}
	for i := range r.Children {
		c := &r.Children[i]
		if c.Visits > 0 {
			c.Value /= float64(c.Visits)
		}
		c.Prior /= float64(priorCount)
	}
	if r.Proven && r.Status != TimeLimit {
		r.Status = Solved
	}
	if s.cfg.Solver && r.Status != Solved && r.Status != Decided {
		r.Cost.CutShort = 1
	}
	if len(r.Children) > 0 {
		r.Action = choose(r.Children, s.cfg.Temperature, s.workers[0].rng)
	}
	return r
}

// choose picks the move: a proven win if there is one (the most visited),
// else among the moves not proven lost the most visited, ties going to the
// higher value and then to the earlier move; with a positive temperature,
// a sample proportional to visits^(1/temperature) instead.
func choose(ch []Child, temperature float64, rng *rand.Rand) game.Action {
	better := func(a, b *Child) bool {
		if a.Visits != b.Visits {
			return a.Visits > b.Visits
		}
		return a.Value > b.Value
	}
	var best *Child
	for i := range ch {
		if ch[i].Proven && ch[i].Outcome == game.Win && (best == nil || better(&ch[i], best)) {
			best = &ch[i]
		}
	}
	if best != nil {
		return best.Action
	}
	open := func(c *Child) bool { return !(c.Proven && c.Outcome == game.Loss) }
	anyOpen := false
	for i := range ch {
		anyOpen = anyOpen || open(&ch[i])
	}
	if !anyOpen {
		open = func(*Child) bool { return true }
	}
	if temperature > 0 {
		var maxN int64
		for i := range ch {
			if open(&ch[i]) {
				maxN = max(maxN, ch[i].Visits)
			}
		}
		if maxN > 0 {
			var total float64
			weights := make([]float64, len(ch))
			for i := range ch {
				if open(&ch[i]) {
					weights[i] = math.Pow(float64(ch[i].Visits)/float64(maxN), 1/temperature)
					total += weights[i]
				}
			}
			x := rng.Float64() * total
			for i, wt := range weights {
				if x < wt {
					return ch[i].Action
				}
				x -= wt
			}
		}
	}
	for i := range ch {
		if open(&ch[i]) && (best == nil || better(&ch[i], best)) {
			best = &ch[i]
		}
	}
	return best.Action
}

// slot is one leaf in flight: its own copy of the root position, walked
// down with Play and back with Undo, and the path of node indices.
type slot struct {
	state  game.State
	path   []int32
	legal  []game.Action
	priors []float32
}

// worker is one search thread with its own tree.
type worker struct {
	_      [64]byte // padding: see New
	ev     Evaluator
	t      tree
	pcg    rand.PCG
	rng    *rand.Rand
	slots  []slot
	leaves []Leaf
	prev   game.State // the root of the previous search, for reuse

	c, fpu, vl          float32
	stopLead            float32
	stopMin             int64
	puct, solver, reuse bool
	alpha, frac         float64

	// per search
	simLimit, nodeLimit int64
	deadline            time.Time
	done                <-chan struct{} // the caller's context
	sims, created       int64
	steps               int64       // moves played in descents
	evalCost            argmax.Cost // the evaluator's counts
	reused              int64
	status              Status
	err                 error
	noised              bool      // the root's priors hold noise; clean has them without
	clean               []float32 // root priors before noise
	gamma               []float64 // noise scratch
	_                   [64]byte
}

// seed makes the thread's generator a function of the seed, the position
// and the thread index.
func (w *worker) seed(seed, key uint64, thread int) {
	w.pcg.Seed(game.Mix64(seed^0x6a09e667f3bcc908), game.Mix64(key+uint64(thread+1)*0x9e3779b97f4a7c15))
}

// search runs the thread's part of a search from st.
func (w *worker) search(st game.State) {
	w.sims, w.created, w.reused, w.steps, w.status, w.err = 0, 0, 0, 0, SimulationLimit, nil
	w.evalCost = argmax.Cost{}
	if !(w.reuse && w.prev != nil && w.match(st)) {
		w.t.reset()
		w.noised = false
	}
	// Slot 0's state, back at the root after the search, is the next
	// search's w.prev.
	for i := range w.slots {
		w.slots[i].state = st.Clone()
	}
	w.prev = w.slots[0].state
	if w.simLimit == 0 || w.nodeLimit == 0 {
		return
	}
	if w.t.nodes[0].nchild == 0 {
		w.step()
	}
	if w.frac > 0 && w.t.nodes[0].nchild > 0 {
		w.addNoise()
	}
	stride, left := 1, 1
	var last time.Time
	polls := 0
	if !w.deadline.IsZero() {
		last = time.Now()
	}
	for {
		switch {
		case w.err != nil:
			return
		case w.t.nodes[0].proof != proofNone:
			w.status = Solved
			return
		case w.sims >= w.simLimit:
			w.status = SimulationLimit
			return
		case w.created >= w.nodeLimit:
			w.status = NodeLimit
			return
		case w.stopLead > 0 && w.sims >= w.stopMin && w.sims&31 == 0 && w.decided():
			w.status = Decided
			return
		}
		if polls++; polls&63 == 0 {
			select {
			case <-w.done:
				return
			default:
			}
		}
		if !w.deadline.IsZero() {
			if left--; left <= 0 {
				now := time.Now()
				if !now.Before(w.deadline) {
					w.status = TimeLimit
					return
				}
				// Aim at about 20-80µs between clock reads.
				if d := now.Sub(last); d < 20*time.Microsecond && stride < 1024 {
					stride *= 2
				} else if d > 80*time.Microsecond && stride > 1 {
					stride /= 2
				}
				left, last = stride, now
			}
		}
		w.step()
	}
}

// decided reports whether the adaptive stopping rule ends the search: the
// most visited root move leads the second by stopLead of the root's
// visits, or by more than the simulations left.
func (w *worker) decided() bool {
	root := &w.t.nodes[0]
	if root.nchild < 2 {
		return root.nchild == 1
	}
	var best, second int32
	for _, c := range w.t.nodes[root.first : root.first+int32(root.nchild)] {
		switch {
		case c.n > best:
			best, second = c.n, best
		case c.n > second:
			second = c.n
		}
	}
	lead := float32(best - second)
	return lead >= w.stopLead*float32(root.n) || (w.simLimit < math.MaxInt64 && int64(lead) > w.simLimit-w.sims)
}

// match looks for st at the root of the kept tree or one or two plies
// below it and, if found, makes that node the root. It reports whether the
// tree was kept.
func (w *worker) match(st game.State) bool {
	nodes := w.t.nodes
	if len(nodes) == 0 {
		return false
	}
	prev, key := w.prev, st.Key()
	children := func(x int32) []node {
		return nodes[nodes[x].first : nodes[x].first+int32(nodes[x].nchild)]
	}
	found := int32(-1)
	switch st.Ply() - prev.Ply() {
	case 0:
		if prev.Key() == key {
			found = 0
		}
	case 1:
		for i, c := range children(0) {
			prev.Play(game.Action(c.action))
			if prev.Key() == key {
				found = nodes[0].first + int32(i)
			}
			prev.Undo(game.Action(c.action))
		}
	case 2:
		for i, c := range children(0) {
			x := nodes[0].first + int32(i)
			prev.Play(game.Action(c.action))
			for j, g := range children(x) {
				prev.Play(game.Action(g.action))
				if prev.Key() == key {
					found = nodes[x].first + int32(j)
				}
				prev.Undo(game.Action(g.action))
			}
			prev.Undo(game.Action(c.action))
		}
	}
	if found < 0 {
		return false
	}
	if found == 0 {
		if w.noised {
			ch := children(0)
			for i := range ch {
				ch[i].p = w.clean[i]
			}
			w.noised = false
		}
	} else {
		w.noised = false
	}
	w.reused = int64(w.t.reroot(found))
	return true
}

// Outcomes of one descent.
const (
	done      = iota // the simulation ended at a terminal or proven node and was backed up
	pending          // a leaf waits for the evaluator
	collision        // the descent hit a leaf already pending; it was taken back
)

// step runs up to Batch descents, evaluates the leaves they reached in one
// call, expands them and backs their values up.
func (w *worker) step() {
	np := 0
	for k := 0; k < len(w.slots); k++ {
		if w.sims+int64(np) >= w.simLimit || w.t.nodes[0].proof != proofNone {
			break
		}
		r := w.descend(np)
		if r == collision {
			break
		}
		if r == done {
			w.sims++
			continue
		}
		np++
	}
	if np == 0 {
		return
	}
	w.evalCost = w.evalCost.Add(w.ev.Evaluate(w.leaves[:np], w.rng))
	for i := 0; i < np; i++ {
		w.finish(i)
	}
	w.sims += int64(np)
}

// descend walks from the root to a leaf with slot i, adding a visit (and
// the virtual loss) to every node on the way.
func (w *worker) descend(i int) int {
	sl := &w.slots[i]
	st := sl.state
	nodes := w.t.nodes
	path := sl.path[:0]
	x := int32(0)
	for {
		n := &nodes[x]
		n.n++
		n.w -= w.vl
		path = append(path, x)
		if n.proof != proofNone {
			sl.path = path
			w.backup(path, -float32(outcomeOf(n.proof)))
			w.undo(sl)
			return done
		}
		if n.nchild == 0 {
			sl.path = path
			if n.flags&flagPending != 0 {
				w.revert(path)
				w.undo(sl)
				return collision
			}
			sl.legal = st.Legal(sl.legal[:0])
			if len(sl.legal) == 0 {
				_, o := st.Terminal()
				n.proof = proofOf(o)
				w.backup(path, float32(o))
				if w.solver {
					w.propagate(path)
				}
				w.undo(sl)
				return done
			}
			n.flags |= flagPending
			l := &w.leaves[i]
			l.State, l.Legal, l.Priors = st, sl.legal, nil
			if w.puct {
				if cap(sl.priors) < len(sl.legal) {
					sl.priors = make([]float32, len(sl.legal), 2*len(sl.legal))
				}
				l.Priors = sl.priors[:len(sl.legal)]
			}
			return pending
		}
		if w.puct {
			x = w.selectPUCT(n)
		} else {
			x = w.selectUCT(n)
		}
		st.Play(game.Action(nodes[x].action))
		w.steps++
	}
}

// selectUCT returns the child of n to descend into under UCT: the first
// unvisited one, else the best Q + c·sqrt(ln N / n) among those not proven
// lost. Q + c·sqrt(ln N)·n^-½ is computed as (W·r + c·sqrt(ln N))·r with
// r = n^-½ from a table for small n.
func (w *worker) selectUCT(n *node) int32 {
	first := n.first
	ch := w.t.nodes[first : first+int32(n.nchild)]
	cl := w.c * sqrtLog(n.n)
	best, bestScore := 0, float32(math.Inf(-1))
	for i := range ch {
		c := &ch[i]
		var r float32
		if k := uint32(c.n); k < uint32(len(invSqrtTable)) {
			if k == 0 {
				return first + int32(i)
			}
			r = invSqrtTable[k]
		} else {
			r = 1 / sqrt32(float32(k))
		}
		if s := (c.w*r + cl) * r; s > bestScore && c.proof != proofLoss {
			best, bestScore = i, s
		}
	}
	return first + int32(best)
}

// selectPUCT returns the child of n with the best Q + c·P·sqrt(N)/(1+n)
// among those not proven lost.
func (w *worker) selectPUCT(n *node) int32 {
	ch := w.t.nodes[n.first : n.first+int32(n.nchild)]
	cs := w.c * sqrt32(float32(n.n))
	best, bestScore := 0, float32(math.Inf(-1))
	for i := range ch {
		c := &ch[i]
		if c.proof == proofLoss {
			continue
		}
		q := w.fpu
		if c.n > 0 {
			q = c.w / float32(c.n)
		}
		if s := q + cs*c.p/float32(1+c.n); s > bestScore {
			best, bestScore = i, s
		}
	}
	return n.first + int32(best)
}

// finish expands slot i's evaluated leaf (if the tree has room) with the
// evaluator's priors and backs its value up.
func (w *worker) finish(i int) {
	sl, l := &w.slots[i], &w.leaves[i]
	x := sl.path[len(sl.path)-1]
	w.t.nodes[x].flags &^= flagPending
	k := len(sl.legal)
	if w.t.room(k) && w.created < w.nodeLimit {
		f := w.t.alloc(k)
		ch := w.t.nodes[f : int(f)+k]
		u := 1 / float32(k)
		for j, a := range sl.legal {
			if uint(a) > maxActions {
				w.err = fmt.Errorf("mcts: action %d: more than %d actions are not supported", a, maxActions)
				break
			}
			ch[j].action = uint16(a)
			ch[j].p = u
			if l.Priors != nil {
				ch[j].p = l.Priors[j]
			}
		}
		n := &w.t.nodes[x]
		n.first, n.nchild = f, uint16(k)
		w.created += int64(k)
	}
	w.backup(sl.path, l.Value)
	w.undo(sl)
	l.State = nil
}

// backup adds value v, for the player to move at the end of path, to every
// node on it (alternating sides) and takes the virtual loss back.
func (w *worker) backup(path []int32, v float32) {
	nodes := w.t.nodes
	m := -v // for the player who moved into the last node
	for i := len(path) - 1; i >= 0; i-- {
		nodes[path[i]].w += m + w.vl
		m = -m
	}
}

// revert takes back a descent that collided: its visits and virtual loss.
func (w *worker) revert(path []int32) {
	nodes := w.t.nodes
	for _, x := range path {
		nodes[x].n--
		nodes[x].w += w.vl
	}
}

// undo takes the moves of slot sl's path back on its state.
func (w *worker) undo(sl *slot) {
	nodes := w.t.nodes
	for i := len(sl.path) - 1; i > 0; i-- {
		sl.state.Undo(game.Action(nodes[sl.path[i]].action))
	}
}

// propagate carries a new proof at the end of path up the tree: a node is
// lost for its mover when one of its children is won for theirs, and
// proven when all its children are, with the best of their values.
func (w *worker) propagate(path []int32) {
	nodes := w.t.nodes
	for i := len(path) - 1; i > 0; i-- {
		c, p := &nodes[path[i]], &nodes[path[i-1]]
		if c.proof == proofNone || p.proof != proofNone {
			return
		}
		if c.proof == proofWin {
			p.proof = proofLoss
			continue
		}
		best := proofNone
		for _, s := range nodes[p.first : p.first+int32(p.nchild)] {
			if s.proof == proofNone {
				return
			}
			best = max(best, s.proof)
		}
		p.proof = 4 - best
	}
}

// addNoise mixes Dirichlet noise into the root priors, keeping the clean
// ones for a later search of the same root.
func (w *worker) addNoise() {
	root := &w.t.nodes[0]
	ch := w.t.nodes[root.first : root.first+int32(root.nchild)]
	if !w.noised {
		w.clean = w.clean[:0]
		for i := range ch {
			w.clean = append(w.clean, ch[i].p)
		}
	}
	w.gamma = dirichlet(w.rng, w.alpha, len(ch), w.gamma[:0])
	for i := range ch {
		ch[i].p = float32((1-w.frac)*float64(w.clean[i]) + w.frac*w.gamma[i])
	}
	w.noised = true
}

// sqrtLogTable holds sqrt(ln n) for small n.
var sqrtLogTable = func() (t [1 << 14]float32) {
	for i := 1; i < len(t); i++ {
		t[i] = float32(math.Sqrt(math.Log(float64(i))))
	}
	return t
}()

// invSqrtTable holds 1/sqrt(n) for small n.
var invSqrtTable = func() (t [2048]float32) {
	for i := 1; i < len(t); i++ {
		t[i] = float32(1 / math.Sqrt(float64(i)))
	}
	return t
}()

// sqrtLog returns sqrt(ln n) for n ≥ 1; the table lookup inlines.
func sqrtLog(n int32) float32 {
	if uint32(n) < uint32(len(sqrtLogTable)) {
		return sqrtLogTable[n]
	}
	return sqrtLogSlow(n)
}

func sqrtLogSlow(n int32) float32 { return float32(math.Sqrt(math.Log(float64(n)))) }

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
