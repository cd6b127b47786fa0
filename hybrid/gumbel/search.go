package gumbel

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/hybrid/guided"
)

// Child holds the root statistics of one legal move.
type Child struct {
	Action game.Action
	// Visits is the number of simulations through the move.
	Visits int64
	// Q is the mean value of the move's subtree for the player to move at
	// the root, in [-1, 1] (0 when unvisited).
	Q float64
	// CompletedQ is Q for a visited move and the mixed value v_mix for an
	// unvisited one, before normalisation.
	CompletedQ float64
	// Prior is the net's prior (restricted to the legal moves and
	// renormalised); its log is the move's logit.
	Prior float64
	// Gumbel is the noise g drawn for the move (0 with Config.NoGumbel).
	Gumbel float64
	// Score is g + logit + σ(q̂) at the end of the search, the key of
	// sequential halving and of the final choice.
	Score float64
	// Considered reports whether the move was among the m sampled.
	Considered bool
}

// Phase is one phase of sequential halving.
type Phase struct {
	// Actions are the moves the phase visits, best score first (for the
	// first phase: the highest g + logit).
	Actions []game.Action
	// Visits is the number of visits the phase plans for each of them;
	// Simulations is the number it ran (less than len(Actions)·Visits when
	// the budget ends in the phase).
	Visits, Simulations int
}

// Result is the answer of one search.
type Result struct {
	// Action is the move chosen: the highest score among the most
	// visited moves.
	Action game.Action
	// Policy is the improved policy at the root, softmax(logit + σ(q̂))
	// over the legal moves, one entry per action of the game (0 for
	// illegal ones): the training target of self-play.
	Policy []float32
	// Value is the root's mean value for the player to move: the net's
	// value of the root averaged with every simulation's (mctx's node
	// value). NetValue is the net's value alone.
	Value, NetValue float64
	// Children are the legal root moves in the order of State.Legal.
	Children []Child
	// Considered is the number of moves sampled (m); Phases are the
	// phases of sequential halving as they ran.
	Considered int
	Phases     []Phase
	// Cost is the work done: simulations, nodes created (the root
	// included), moves played in the tree (Steps), the net's forward
	// passes and FLOPs as it reports them (the root's evaluation
	// included), wall time; CutShort is 1 when a time or node limit
	// stopped the search before its simulation budget was spent.
	Cost argmax.Cost
}

// node is one position of the tree; its children are the index range
// [first, first+nchild) of the arena.
type node struct {
	w        float64     // sum of the values backed up, for the player to move here
	first    int32       // the first child, when nchild > 0
	nchild   int32       // 0: not expanded (a leaf)
	n        int32       // visits (the expansion counts as one)
	action   game.Action // the move into this node
	p        float32     // its prior
	logit    float32     // log of the prior (floored)
	raw      float32     // the net's value, or the outcome of a terminal position
	terminal bool
}

// slot is one descent in flight: its own copy of the root position,
// walked down with Play and back with Undo, and the path of node indices.
type slot struct {
	state  game.State
	path   []int32
	legal  []game.Action
	priors []float32
	src    int // its leaf in the batch (shared by identical positions)
}

// Searcher is a Gumbel search bot. It is not safe for concurrent use.
type Searcher struct {
	cfg        Config
	numActions int
	ev         *guided.Evaluator
	pcg        rand.PCG
	rng        *rand.Rand

	nodes  []node
	slots  []slot
	leaves []mcts.Leaf
	uniq   map[uint64]int
	pend   []int

	// per search
	noise               []float64 // Gumbel noise per action
	g                   []float64 // per root child
	cq, sig, score, tmp []float64 // scratch of the root and interior scores
	sims, steps         int64
	evalCost            argmax.Cost
	done                <-chan struct{}
	deadline            time.Time
	nodeLimit           int64
}

var _ game.Policy = (*Searcher)(nil)

// errStop reports that a time or node limit stopped the search;
// errCanceled that the context was cancelled (Search returns its error).
var (
	errStop     = errors.New("stopped by a limit")
	errCanceled = errors.New("cancelled")
)

// New returns a Gumbel searcher whose priors and leaf values come from net:
// the hybrid decider (a game.Policy). The error names every invalid field.
func New(net guided.Net, cfg Config) (*Searcher, error) {
	cfg, err := cfg.withDefaults(net != nil)
	if err != nil {
		return nil, err
	}
	ev, err := guided.NewEvaluator(net, guided.Config{Game: cfg.Game, Batch: cfg.Batch})
	if err != nil {
		return nil, fmt.Errorf("gumbel: %w", err)
	}
	s := &Searcher{cfg: cfg, numActions: cfg.Game.NumActions(), ev: ev, uniq: map[uint64]int{}}
	s.rng = rand.New(&s.pcg)
	return s, nil
}

// Config returns the configuration in use, defaults filled in.
func (s *Searcher) Config() Config { return s.cfg }

// Reseed sets the seed of later searches (each search draws its noise from
// the seed and the position): self-play gives each game its own.
func (s *Searcher) Reseed(seed uint64) { s.cfg.Seed = seed }

// Decide searches st and returns the chosen move; it makes a Searcher a
// game.Decider.
func (s *Searcher) Decide(ctx context.Context, st game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	r, err := s.Search(ctx, st, b)
	if err != nil {
		return 0, argmax.Cost{}, err
	}
	return r.Action, r.Cost, nil
}

// Distribution searches st and writes the improved policy
// softmax(logit + σ(q̂)) into dst (one entry per action, 0 for illegal
// ones); it makes a Searcher a game.Policy. The move Decide plays is the
// search's choice, not a sample of this distribution.
func (s *Searcher) Distribution(ctx context.Context, st game.State, b argmax.Budget, dst []float32) (argmax.Cost, error) {
	r, err := s.Search(ctx, st, b)
	if err != nil {
		return argmax.Cost{}, err
	}
	if len(dst) < len(r.Policy) {
		return r.Cost, fmt.Errorf("gumbel: a distribution over %d actions does not fit %d entries", len(r.Policy), len(dst))
	}
	clear(dst)
	copy(dst, r.Policy)
	return r.Cost, nil
}

// Search runs sequential halving from st within b (or, if b is
// unlimited, within Config.Budget) and returns the move, the improved
// policy and the root statistics. The simulation limit sets the plan of
// the phases (without one in b, Config.Budget's, else DefaultSimulations);
// a time or node limit (nodes created, the root included) stops the plan
// early, with the moves visited so far. st is left unchanged. A cancelled
// ctx stops the search before its next batch of leaves and returns
// ctx.Err().
func (s *Searcher) Search(ctx context.Context, st game.State, b argmax.Budget) (*Result, error) {
	start := time.Now()
	if over, _ := st.Terminal(); over {
		return nil, fmt.Errorf("gumbel: position %q: the game is over", st.String())
	}
	if err := b.Check(); err != nil {
		return nil, fmt.Errorf("gumbel: %w", err)
	}
	if b.Unlimited() {
		b = s.cfg.Budget
	}
	n := b.Simulations
	if n == 0 {
		n = s.cfg.Budget.Simulations
	}
	if n == 0 {
		n = DefaultSimulations
	}
	s.done, s.deadline, s.nodeLimit = ctx.Done(), time.Time{}, b.Nodes
	if b.Time > 0 {
		s.deadline = start.Add(b.Time)
	}
	s.sims, s.steps, s.evalCost = 0, 0, argmax.Cost{}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key := st.Key()
	s.pcg.Seed(game.Mix64(s.cfg.Seed^0xbb67ae8584caa73b), game.Mix64(key^0x3c6ef372fe94f82b))

	// The root: one evaluation, its children, the noise.
	legal := st.Legal(nil)
	if len(legal) == 0 {
		return nil, fmt.Errorf("gumbel: position %q: no legal moves in a game that is not over", st.String())
	}
	for _, a := range legal {
		if int(a) < 0 || int(a) >= s.numActions {
			return nil, fmt.Errorf("gumbel: position %q: action %d is outside the game's %d actions", st.String(), a, s.numActions)
		}
	}
	if 1+len(legal) > s.cfg.MaxNodes {
		return nil, fmt.Errorf("gumbel: position %q: max nodes %d cannot hold the root and its %d moves", st.String(), s.cfg.MaxNodes, len(legal))
	}
	priors := make([]float32, len(legal))
	s.leaves = append(s.leaves[:0], mcts.Leaf{State: st, Legal: legal, Priors: priors})
	s.evalCost = s.ev.Evaluate(s.leaves, s.rng)
	rootV := s.leaves[0].Value
	s.leaves[0] = mcts.Leaf{}
	s.nodes = append(s.nodes[:0], node{})
	s.expand(0, legal, priors)
	s.nodes[0].raw, s.nodes[0].n, s.nodes[0].w = rootV, 1, float64(rootV)
	s.drawNoise()
	k := len(legal)
	s.g = grow(s.g, k)
	for j, a := range legal {
		s.g[j] = s.noise[a]
	}

	// The m considered moves: the highest g + logit.
	m := int(min(int64(s.cfg.Considered), int64(k), n))
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	s.scoreRoot()
	s.rank(order)
	cur := order[:m]
	considered := slices.Clone(cur)

	// Sequential halving, in waves of one descent per surviving move.
	for i := range s.slots {
		s.slots[i].state = nil
	}
	for len(s.slots) < min(s.cfg.Batch, m) {
		s.slots = append(s.slots, slot{path: make([]int32, 0, 32)})
	}
	for i := range s.slots[:min(s.cfg.Batch, m)] {
		s.slots[i].state = st.Clone()
	}
	var phases []Phase
	left := int(n)
run:
	for _, ph := range schedule(m, int(n)) {
		if left == 0 {
			break
		}
		s.scoreRoot()
		s.rank(cur)
		cur = cur[:ph.c]
		rec := Phase{Visits: ph.e, Actions: make([]game.Action, len(cur))}
		for i, j := range cur {
			rec.Actions[i] = legal[j]
		}
		for e := 0; e < ph.e && left > 0; e++ {
			wave := cur
			if left < len(wave) { // the budget ends in this wave: the best scores first
				s.scoreRoot()
				s.rank(wave)
				wave = wave[:left]
			}
			ran, err := s.wave(wave)
			rec.Simulations += ran
			left -= ran
			if err != nil { // a limit or a cancellation
				phases = append(phases, rec)
				break run
			}
		}
		phases = append(phases, rec)
	}
	for i := range s.slots {
		s.slots[i].state = nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	r := s.result(legal, considered)
	r.Considered, r.Phases = m, phases
	r.Cost = s.evalCost
	r.Cost.Simulations, r.Cost.Steps, r.Cost.Nodes = s.sims, s.steps, int64(len(s.nodes))
	if left > 0 {
		r.Cost.CutShort = 1
	}
	r.Cost.Elapsed = time.Since(start)
	return r, nil
}

// result reads the root: the final scores, the move, the improved policy.
func (s *Searcher) result(legal []game.Action, considered []int) *Result {
	vmix := s.scoreRoot()
	root := &s.nodes[0]
	ch := s.nodes[root.first : root.first+root.nchild]
	r := &Result{
		Policy:   make([]float32, s.numActions),
		Value:    root.w / float64(root.n),
		NetValue: float64(root.raw),
		Children: make([]Child, len(ch)),
	}
	var maxN int32
	for j := range ch {
		maxN = max(maxN, ch[j].n)
	}
	best := -1
	for j := range ch {
		c := &ch[j]
		rc := &r.Children[j]
		rc.Action, rc.Visits, rc.Prior, rc.Gumbel, rc.Score = legal[j], int64(c.n), float64(c.p), s.g[j], s.score[j]
		rc.CompletedQ = vmix
		if c.n > 0 {
			rc.Q = -c.w / float64(c.n)
			rc.CompletedQ = rc.Q
		}
		if c.n == maxN && (best < 0 || s.score[j] > s.score[best]) {
			best = j
		}
	}
	for _, j := range considered {
		r.Children[j].Considered = true
	}
	r.Action = legal[best]
	z := s.tmp
	for j := range ch {
		z[j] = float64(ch[j].logit) + s.sig[j]
	}
	softmax(z, z)
	for j, a := range legal {
		r.Policy[a] = float32(z[j])
	}
	return r
}

// drawNoise fills s.noise with one Gumbel variate per action from the
// search's generator, seeded by Config.Seed and the position's key (zeros
// with NoGumbel).
func (s *Searcher) drawNoise() {
	s.noise = grow(s.noise, s.numActions)
	if s.cfg.NoGumbel {
		clear(s.noise)
		return
	}
	for a := range s.noise {
		u := s.rng.Float64()
		for u == 0 {
			u = s.rng.Float64()
		}
		s.noise[a] = gumbelNoise(u)
	}
}

// scoreRoot computes, for each root child, its completed Q (s.cq), σ(q̂)
// (s.sig) and score g + logit + σ(q̂) (s.score); it returns v_mix.
func (s *Searcher) scoreRoot() float64 {
	root := &s.nodes[0]
	ch := s.nodes[root.first : root.first+root.nchild]
	k := len(ch)
	s.cq, s.sig, s.score, s.tmp = grow(s.cq, k), grow(s.sig, k), grow(s.score, k), grow(s.tmp, k)
	vmix, maxN, _ := completedQ(float64(root.raw), ch, s.cq)
	copy(s.sig, s.cq)
	sigma(s.sig, maxN, s.cfg.CVisit, s.cfg.CScale)
	for j := range ch {
		s.score[j] = s.g[j] + float64(ch[j].logit) + s.sig[j]
	}
	return vmix
}

// rank sorts root-child indices by s.score, highest first, ties to the
// earlier move.
func (s *Searcher) rank(js []int) {
	slices.SortStableFunc(js, func(a, b int) int {
		switch {
		case s.score[a] > s.score[b]:
			return -1
		case s.score[a] < s.score[b]:
			return 1
		}
		return a - b
	})
}

// wave runs one simulation through each of the root children js (indices
// among the root's children), their leaves evaluated in calls of up to
// Config.Batch positions. It returns the simulations run, and errStop or
// errCanceled when a limit or a cancellation stopped it.
func (s *Searcher) wave(js []int) (int, error) {
	ran := 0
	first := s.nodes[0].first
	for len(js) > 0 {
		if err := s.interrupted(); err != nil {
			return ran, err
		}
		k := min(len(js), s.cfg.Batch)
		s.pend = s.pend[:0]
		for i, j := range js[:k] {
			if s.descend(&s.slots[i], first+int32(j)) {
				s.pend = append(s.pend, i)
			}
		}
		if len(s.pend) > 0 {
			s.evaluate(s.pend)
		}
		s.sims += int64(k)
		ran += k
		js = js[k:]
	}
	return ran, nil
}

// interrupted returns errCanceled once the context is cancelled, errStop
// once the time or node limit is reached, nil otherwise.
func (s *Searcher) interrupted() error {
	select {
	case <-s.done:
		return errCanceled
	default:
	}
	if !s.deadline.IsZero() && !time.Now().Before(s.deadline) {
		return errStop
	}
	if s.nodeLimit > 0 && int64(len(s.nodes)) >= s.nodeLimit {
		return errStop
	}
	return nil
}

// descend walks slot sl from the root through root child c to a leaf. It
// reports whether the leaf waits for the net; otherwise the descent ended
// in a terminal position and was backed up.
func (s *Searcher) descend(sl *slot, c int32) bool {
	st := sl.state
	sl.path = append(sl.path[:0], 0, c)
	st.Play(s.nodes[c].action)
	s.steps++
	x := c
	for {
		nd := &s.nodes[x]
		if nd.terminal {
			s.backup(sl.path, float64(nd.raw))
			s.undo(sl)
			return false
		}
		if nd.nchild == 0 {
			sl.legal = st.Legal(sl.legal[:0])
			if len(sl.legal) == 0 {
				_, o := st.Terminal()
				nd.terminal, nd.raw = true, float32(o)
				s.backup(sl.path, float64(o))
				s.undo(sl)
				return false
			}
			return true
		}
		x = s.selectInterior(x)
		st.Play(s.nodes[x].action)
		s.steps++
		sl.path = append(sl.path, x)
	}
}

// selectInterior returns the child of interior node x that Full Gumbel
// MuZero descends into: the highest π'(a) − N(a)/(1 + Σ_b N(b)), with
// π' = softmax(logit + σ(q̂)); ties go to the earlier move.
func (s *Searcher) selectInterior(x int32) int32 {
	nd := &s.nodes[x]
	ch := s.nodes[nd.first : nd.first+nd.nchild]
	s.tmp = grow(s.tmp, len(ch))
	z := s.tmp
	_, maxN, sumN := completedQ(float64(nd.raw), ch, z)
	sigma(z, maxN, s.cfg.CVisit, s.cfg.CScale)
	for j := range ch {
		z[j] += float64(ch[j].logit)
	}
	softmax(z, z)
	inv := 1 / (1 + float64(sumN))
	best, bestScore := 0, math.Inf(-1)
	for j := range ch {
		if v := z[j] - float64(ch[j].n)*inv; v > bestScore {
			best, bestScore = j, v
		}
	}
	return nd.first + int32(best)
}

// evaluate evaluates the leaves of the pending slots in one call of the
// net (identical positions once), expands them and backs their values up.
func (s *Searcher) evaluate(pend []int) {
	clear(s.uniq)
	s.leaves = s.leaves[:0]
	for _, i := range pend {
		sl := &s.slots[i]
		key := sl.state.Key()
		if at, ok := s.uniq[key]; ok {
			sl.src = at
			continue
		}
		s.uniq[key], sl.src = len(s.leaves), len(s.leaves)
		sl.priors = grow(sl.priors, len(sl.legal))
		s.leaves = append(s.leaves, mcts.Leaf{State: sl.state, Legal: sl.legal, Priors: sl.priors})
	}
	s.evalCost = s.evalCost.Add(s.ev.Evaluate(s.leaves, s.rng))
	for _, i := range pend {
		sl := &s.slots[i]
		l := &s.leaves[sl.src]
		s.finish(sl, l.Legal, l.Priors, l.Value)
	}
	for i := range s.leaves {
		s.leaves[i] = mcts.Leaf{} // keep no position
	}
}

// finish expands slot sl's evaluated leaf (if the tree has room) and backs
// its value v up.
func (s *Searcher) finish(sl *slot, legal []game.Action, priors []float32, v float32) {
	x := sl.path[len(sl.path)-1]
	if len(s.nodes)+len(legal) <= s.cfg.MaxNodes {
		s.expand(x, legal, priors)
	}
	s.nodes[x].raw = v
	s.backup(sl.path, float64(v))
	s.undo(sl)
}

// expand gives node x one child per legal move, with its prior and logit.
func (s *Searcher) expand(x int32, legal []game.Action, priors []float32) {
	f := int32(len(s.nodes))
	for j, a := range legal {
		p := priors[j]
		s.nodes = append(s.nodes, node{action: a, p: p, logit: float32(math.Log(max(float64(p), minPrior)))})
	}
	s.nodes[x].first, s.nodes[x].nchild = f, int32(len(legal))
}

// backup adds value v, for the player to move at the end of path, and a
// visit to every node on it, alternating sides.
func (s *Searcher) backup(path []int32, v float64) {
	for i := len(path) - 1; i >= 0; i-- {
		nd := &s.nodes[path[i]]
		nd.n++
		nd.w += v
		v = -v
	}
}

// undo takes the moves of slot sl's path back on its state.
func (s *Searcher) undo(sl *slot) {
	for i := len(sl.path) - 1; i > 0; i-- {
		sl.state.Undo(s.nodes[sl.path[i]].action)
	}
}

// grow returns b resized to n entries, reusing its storage when it can.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}
