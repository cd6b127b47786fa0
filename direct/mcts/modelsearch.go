package mcts

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/game"
)

// Defaults applied by NewModelSearcher to zero fields of a ModelConfig.
const (
	// DefaultModelUCTC is the UCT exploration constant of a
	// ModelSearcher, for action values normalized to [0, 1].
	DefaultModelUCTC = 1.0
	// DefaultModelPUCTC is the PUCT exploration constant of a
	// ModelSearcher (MuZero's c₁).
	DefaultModelPUCTC = 1.25
	// DefaultModelMaxNodes bounds the tree of a ModelSearcher: past it,
	// leaves are evaluated without being expanded.
	DefaultModelMaxNodes = 1 << 20
	// DefaultModelSimulations is the budget of a ModelSearcher when
	// neither ModelConfig.Budget nor the caller's budget sets a limit.
	DefaultModelSimulations = 200
)

// ModelConfig sets up a ModelSearcher. The zero value is UCT over
// min-max normalized action values with one random rollout of
// DefaultDepth steps per leaf. Zero numeric fields take the defaults
// documented on them.
type ModelConfig struct {
	// Selection is UCT (the default) or PUCT.
	Selection Selection
	// C is the exploration constant, applied to action values normalized
	// to [0, 1]; 0 means DefaultModelUCTC or DefaultModelPUCTC.
	C float64
	// QMin and QMax, when QMin < QMax, are fixed bounds of the action
	// values (−1 and 1 for a game's outcomes) that normalize them to
	// [0, 1]. Both zero: the bounds are the smallest and largest action
	// value seen so far in the search (MuZero's min-max normalization),
	// which suits rewards of any scale.
	QMin, QMax float64
	// Depth and Rollouts configure the default evaluator (StateRollouts)
	// used when NewModelSearcher is given none: the steps of a rollout (0
	// means DefaultDepth) and the rollouts per leaf (0 means 1).
	Depth, Rollouts int
	// Horizon, when positive, makes the search finite-horizon: a node
	// Horizon steps below the root is a leaf worth 0 (after the reward of
	// the step into it), and a StateRollouts evaluator rolls out from a
	// leaf d steps below the root for Horizon−d steps instead of Depth, so
	// that every simulation's return covers the same steps. Without it,
	// rollouts of a fixed Depth give deeper leaves longer returns, which
	// biases the search towards its most visited (with positive rewards)
	// or least visited (with negative ones) branches.
	Horizon int
	// Batch is the number of leaves gathered per call of the evaluator;
	// 0 means 1. While a leaf waits in a batch its path counts as visited
	// in the exploration terms only (WU-UCT's unobserved visits), so the
	// other descents of the batch spread out without a value penalty.
	Batch int
	// NoiseAlpha and NoiseFraction mix Dirichlet(NoiseAlpha) noise into
	// the root priors, P ← (1−NoiseFraction)·P + NoiseFraction·η; only
	// PUCT uses priors. Both zero: no noise.
	NoiseAlpha, NoiseFraction float64
	// Seed seeds the search's generator (rollouts, noise): the i-th
	// search after New, Reset or Reseed draws from Seed and i alone.
	Seed uint64
	// MaxNodes bounds the tree size; 0 means DefaultModelMaxNodes.
	MaxNodes int
	// Budget is used when the caller's budget sets no simulation, node
	// or time limit; if it sets none either, DefaultModelSimulations
	// simulations.
	Budget argmax.Budget
}

// withDefaults checks c and fills its zero fields.
func (c ModelConfig) withDefaults() (ModelConfig, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch c.Selection {
	case UCT:
		if c.C == 0 {
			c.C = DefaultModelUCTC
		}
	case PUCT:
		if c.C == 0 {
			c.C = DefaultModelPUCTC
		}
	default:
		bad("selection %d: want UCT or PUCT", int(c.Selection))
	}
	if c.C < 0 || !finite(c.C) {
		bad("exploration constant C=%v: want a finite number ≥ 0", c.C)
	}
	if !finite(c.QMin) || !finite(c.QMax) || (c.QMin != 0 || c.QMax != 0) && !(c.QMin < c.QMax) {
		bad("value bounds [%v, %v]: want finite QMin < QMax, or both 0 for min-max normalization", c.QMin, c.QMax)
	}
	if c.Depth < 0 {
		bad("depth=%d: want ≥ 1", c.Depth)
	} else if c.Depth == 0 {
		c.Depth = DefaultDepth
	}
	if c.Horizon < 0 {
		bad("horizon=%d: want ≥ 1, or 0 for none", c.Horizon)
	}
	if c.Rollouts < 0 {
		bad("rollouts=%d: want ≥ 1", c.Rollouts)
	} else if c.Rollouts == 0 {
		c.Rollouts = 1
	}
	if c.Batch < 0 {
		bad("batch=%d: want ≥ 1", c.Batch)
	} else if c.Batch == 0 {
		c.Batch = 1
	}
	if c.NoiseAlpha < 0 || !finite(c.NoiseAlpha) {
		bad("noise alpha=%v: want a finite number > 0", c.NoiseAlpha)
	}
	if c.NoiseFraction < 0 || c.NoiseFraction > 1 || math.IsNaN(c.NoiseFraction) {
		bad("noise fraction=%v: want a value in [0, 1]", c.NoiseFraction)
	}
	if (c.NoiseAlpha > 0) != (c.NoiseFraction > 0) {
		bad("noise alpha=%v, fraction=%v: set both or neither", c.NoiseAlpha, c.NoiseFraction)
	}
	if c.MaxNodes < 0 {
		bad("max nodes=%d: want ≥ 1", c.MaxNodes)
	} else if c.MaxNodes == 0 {
		c.MaxNodes = DefaultModelMaxNodes
	}
	if err := c.Budget.Check(); err != nil {
		bad("%v", err)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("mcts model config: %w", errors.Join(errs...))
	}
	return c, nil
}

// ModelChild holds the root statistics of one action.
type ModelChild struct {
	// Action is the action's number, in 0..NumActions()-1.
	Action int
	// Visits is the number of simulations through the action.
	Visits int64
	// Q is the mean return of those simulations, r + γ·V(next), for the
	// agent (or player) to move at the root; 0 when unvisited.
	Q float64
	// Reward and Discount are the model's for the transition (0 until it
	// was first simulated).
	Reward, Discount float64
	// Prior is the action's prior as searched (after noise).
	Prior float64
}

// ModelResult is the answer of one search of a ModelSearcher.
type ModelResult struct {
	// Action is the chosen action: the most visited at the root, ties
	// going to the higher Q and then to the lower action.
	Action int
	// Value is the mean return of the simulations from the root, the
	// root's evaluation included.
	Value float64
	// Children are the root's actions in increasing order (the legal ones
	// for a LegalModel).
	Children []ModelChild
	// Status says why the search stopped.
	Status Status
	// Cost is the work done: simulations, nodes created, model steps in
	// the tree and in the evaluator (Steps), the evaluator's own counts
	// (rollouts, forward passes, FLOPs), a MeteredModel's counts, wall
	// time.
	Cost argmax.Cost
}

// Node flags.
const (
	mStepped    uint8 = 1 << iota // the state has been computed by the model
	mTerminal                     // the state is terminal
	mEvaluating                   // the node waits in the current batch
)

// mnode is one node of a ModelSearcher's tree: the state reached by an
// action and the statistics of the returns from it. Children are the
// contiguous nodes first..first+nchild-1; the root is node 0, so first ==
// 0 means "no children".
type mnode[S any] struct {
	state    S
	reward   float64 // of the transition into the node
	discount float64 // of the transition into the node
	w        float64 // sum of the returns from the node, for its player to move
	n        int32   // completed visits
	pending  int32   // descents in flight through the node
	first    int32
	nchild   int32
	action   int32
	depth    int32 // steps below the root
	prior    float32
	flags    uint8
}

// q returns the mean action value of the move into c (n > 0).
func (c *mnode[S]) q() float64 { return c.reward + c.discount*c.w/float64(c.n) }

// ModelSearcher is Monte Carlo tree search over a Model: MuZero's search
// with the model's rewards and discounts, over states it keeps in its
// tree. It is the generic counterpart of Searcher — slower, since every
// new node clones a state, and single-threaded — and plans in single-agent
// environments (EnvModel, EnvPlanner) as in games (GameModel). A
// ModelSearcher is not safe for concurrent use.
//
// A simulation descends from the root by UCT or PUCT over action values
// normalized to [0, 1] (ModelConfig.QMin, QMax), unvisited actions taking
// the value of their parent; at the first action not yet simulated it
// steps the model once and has the evaluator estimate the new state
// (terminal states are worth 0); and it backs the return up the path,
// G ← r + γ·G at every edge.
type ModelSearcher[S any] struct {
	m     Model[S]
	lm    LegalModel[S]
	meter MeteredModel
	ev    StateEvaluator[S]
	cfg   ModelConfig

	pcg      rand.PCG
	rng      *rand.Rand
	searches uint64

	nodes []mnode[S]
	mm    minMax

	paths  [][]int32 // one per batch slot
	leaves []int32   // the nodes of the batch
	states []S
	values []float64
	priors []float32
	legal  []int
	noise  []float64

	// per search
	na                  int
	simLimit, nodeLimit int64
	sims, created       int64
	steps               int64
	evalCost            argmax.Cost
	status              Status
}

// NewModelSearcher returns a searcher over m that evaluates leaves with
// ev (nil means StateRollouts with cfg's Depth and Rollouts), or an error
// naming every invalid field of cfg.
func NewModelSearcher[S any](m Model[S], ev StateEvaluator[S], cfg ModelConfig) (*ModelSearcher[S], error) {
	if m == nil {
		return nil, errors.New("mcts: nil model")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if ev == nil {
		ev = &StateRollouts[S]{Model: m, N: cfg.Rollouts, Depth: cfg.Depth}
	}
	s := &ModelSearcher[S]{m: m, ev: ev, cfg: cfg}
	s.lm, _ = m.(LegalModel[S])
	s.meter, _ = m.(MeteredModel)
	s.rng = rand.New(&s.pcg)
	s.paths = make([][]int32, cfg.Batch)
	for i := range s.paths {
		s.paths[i] = make([]int32, 0, 64)
	}
	return s, nil
}

// Config returns the configuration in use, defaults filled in.
func (s *ModelSearcher[S]) Config() ModelConfig { return s.cfg }

// Reset restarts the sequence of search seeds: the next search draws as
// the first one after New did.
func (s *ModelSearcher[S]) Reset() { s.searches = 0 }

// Reseed sets the seed of later searches and restarts their sequence.
func (s *ModelSearcher[S]) Reseed(seed uint64) { s.cfg.Seed, s.searches = seed, 0 }

// Search runs simulations from root within b (or, if b sets no
// simulation, node or time limit, within Config.Budget, or
// DefaultModelSimulations simulations) and returns the chosen action and
// the root statistics. root is not modified (the search clones it). The
// root's own evaluation is not counted as a simulation. A cancelled ctx
// stops the search within a few simulations and returns ctx.Err().
func (s *ModelSearcher[S]) Search(ctx context.Context, root S, b argmax.Budget) (*ModelResult, error) {
	start := time.Now()
	if err := b.Check(); err != nil {
		return nil, fmt.Errorf("mcts: %w", err)
	}
	limited := func(b argmax.Budget) bool { return b.Simulations > 0 || b.Nodes > 0 || b.Time > 0 }
	if !limited(b) {
		b = s.cfg.Budget
		if !limited(b) {
			b = argmax.Budget{Simulations: DefaultModelSimulations}
		}
	}
	s.na = s.m.NumActions()
	if s.na < 1 {
		return nil, fmt.Errorf("mcts: model with %d actions", s.na)
	}
	if s.lm != nil {
		if s.legal = s.lm.Legal(root, s.legal[:0]); len(s.legal) == 0 {
			return nil, errors.New("mcts: the root has no legal action (is the episode or game over?)")
		}
	}
	var work0 argmax.Cost
	if s.meter != nil {
		work0 = s.meter.Work()
	}
	s.pcg.Seed(game.Mix64(s.cfg.Seed^0x4d75536561726368), game.Mix64(s.searches+0x9e3779b97f4a7c15))
	s.searches++
	s.simLimit, s.nodeLimit = math.MaxInt64, math.MaxInt64
	if b.Simulations > 0 {
		s.simLimit = b.Simulations
	}
	if b.Nodes > 0 {
		s.nodeLimit = b.Nodes
	}
	s.sims, s.created, s.steps, s.evalCost, s.status = 0, 0, 0, argmax.Cost{}, SimulationLimit
	s.mm.reset(s.cfg.QMin, s.cfg.QMax)
	clear(s.nodes) // drop the states of the previous tree (past it, the arena is zero)
	s.nodes = append(s.nodes[:0], mnode[S]{state: s.m.Clone(root), discount: 1, flags: mStepped})

	// The root: evaluated and expanded before the first simulation.
	s.paths[0] = append(s.paths[0][:0], 0)
	s.nodes[0].pending = 1
	s.nodes[0].flags |= mEvaluating
	s.leaves = append(s.leaves[:0], 0)
	if err := s.evaluate(1); err != nil {
		return nil, err
	}
	if s.nodes[0].nchild == 0 {
		return nil, fmt.Errorf("mcts: the root was not expanded (max nodes %d is too small for its %d actions)", s.cfg.MaxNodes, len(s.legal))
	}
	if s.cfg.NoiseFraction > 0 {
		s.addNoise()
	}

	var deadline time.Time
	if b.Time > 0 {
		deadline = start.Add(b.Time)
	}
	cancelled := ctx.Done()
	for polls := 0; ; polls++ {
		if s.sims >= s.simLimit {
			s.status = SimulationLimit
			break
		}
		if s.created >= s.nodeLimit {
			s.status = NodeLimit
			break
		}
		if polls&15 == 0 {
			select {
			case <-cancelled:
				return nil, ctx.Err()
			default:
			}
		}
		if !deadline.IsZero() && (polls&7 == 0 || s.cfg.Batch > 1) && !time.Now().Before(deadline) {
			s.status = TimeLimit
			break
		}
		if err := s.step(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := s.result()
	if s.meter != nil {
		w := s.meter.Work()
		d := argmax.Cost{
			ForwardPasses: w.ForwardPasses - work0.ForwardPasses,
			FLOPs:         w.FLOPs - work0.FLOPs,
			Iterations:    w.Iterations - work0.Iterations,
			Samples:       w.Samples - work0.Samples,
		}
		r.Cost = r.Cost.Add(d)
	}
	r.Cost.Elapsed = time.Since(start)
	return r, nil
}

// step runs up to Batch descents, evaluates the leaves they reached in one
// call, expands them and backs their values up.
func (s *ModelSearcher[S]) step() error {
	s.leaves = s.leaves[:0]
	for range s.cfg.Batch {
		np := len(s.leaves)
		if s.sims+int64(np) >= s.simLimit || s.created >= s.nodeLimit {
			break
		}
		x, r := s.descend(np)
		if r == collision {
			s.revert(s.paths[np])
			break
		}
		if r == done { // a terminal state: worth 0
			s.backup(s.paths[np], 0)
			s.sims++
			continue
		}
		s.leaves = append(s.leaves, x)
	}
	if len(s.leaves) == 0 {
		return nil
	}
	np := len(s.leaves)
	if err := s.evaluate(np); err != nil {
		return err
	}
	s.sims += int64(np)
	return nil
}

// descend walks from the root with path slot i to the first node not yet
// evaluated, stepping the model into it if needed, and marks the path as
// in flight. It returns the node and pending, done (a terminal node) or
// collision (a node already waiting in the batch).
func (s *ModelSearcher[S]) descend(i int) (int32, int) {
	path := s.paths[i][:0]
	x := int32(0)
	for {
		n := &s.nodes[x]
		n.pending++
		path = append(path, x)
		if n.flags&mTerminal != 0 {
			s.paths[i] = path
			return x, done
		}
		if n.nchild == 0 {
			s.paths[i] = path
			if n.flags&mEvaluating != 0 {
				return x, collision
			}
			if n.flags&mStepped == 0 {
				parent := &s.nodes[path[len(path)-2]]
				r, d, next, term := s.m.Step(s.m.Clone(parent.state), int(n.action))
				s.steps++
				n.state, n.reward, n.discount = next, r, d
				n.flags |= mStepped
				if term || s.cfg.Horizon > 0 && int(n.depth) >= s.cfg.Horizon {
					n.flags |= mTerminal
					return x, done
				}
			}
			n.flags |= mEvaluating
			return x, pending
		}
		x = s.selectChild(n)
	}
}

// selectChild returns the child of n to descend into.
func (s *ModelSearcher[S]) selectChild(n *mnode[S]) int32 {
	ch := s.nodes[n.first : n.first+n.nchild]
	parentQ := s.mm.normalize(n.w / float64(max(n.n, 1)))
	total := float64(n.n + n.pending)
	c := s.cfg.C
	best, bestScore := 0, math.Inf(-1)
	if s.cfg.Selection == UCT {
		cl := c * math.Sqrt(math.Log(max(total, 1)))
		for i := range ch {
			k := ch[i].n + ch[i].pending
			if k == 0 {
				return n.first + int32(i)
			}
			q := parentQ
			if ch[i].n > 0 {
				q = s.mm.normalize(ch[i].q())
			}
			if sc := q + cl/math.Sqrt(float64(k)); sc > bestScore {
				best, bestScore = i, sc
			}
		}
		return n.first + int32(best)
	}
	cs := c * math.Sqrt(total)
	for i := range ch {
		q := parentQ
		if ch[i].n > 0 {
			q = s.mm.normalize(ch[i].q())
		}
		if sc := q + cs*float64(ch[i].prior)/float64(1+ch[i].n+ch[i].pending); sc > bestScore {
			best, bestScore = i, sc
		}
	}
	return n.first + int32(best)
}

// evaluate has the evaluator estimate the first np nodes of s.leaves
// (whose paths are s.paths[:np]), expands them and backs their values up.
func (s *ModelSearcher[S]) evaluate(np int) error {
	s.states = s.states[:0]
	for _, x := range s.leaves[:np] {
		s.states = append(s.states, s.nodes[x].state)
	}
	s.values = grow(&s.values, np)
	var priors []float32
	if s.cfg.Selection == PUCT {
		priors = grow(&s.priors, np*s.na)
		clear(priors)
	}
	ro, _ := s.ev.(*StateRollouts[S])
	if ro != nil && s.cfg.Horizon > 0 {
		ro.depths = ro.depths[:0]
		for _, x := range s.leaves[:np] {
			ro.depths = append(ro.depths, max(s.cfg.Horizon-int(s.nodes[x].depth), 0))
		}
	}
	c, err := s.ev.Evaluate(s.states, s.rng, s.values, priors)
	clear(s.states)
	if ro != nil {
		ro.depths = ro.depths[:0]
	}
	s.evalCost = s.evalCost.Add(c)
	if err != nil {
		return fmt.Errorf("mcts: evaluator: %w", err)
	}
	for i, x := range s.leaves[:np] {
		v := s.values[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("mcts: evaluator: value %v: want a finite number", v)
		}
		var row []float32
		if priors != nil {
			row = priors[i*s.na : (i+1)*s.na]
		}
		if err := s.expand(x, row); err != nil {
			return err
		}
		s.backup(s.paths[i], v)
	}
	return nil
}

// expand gives node x its children, one per legal action, with the
// priors of row (nil: uniform), if the tree has room for them.
func (s *ModelSearcher[S]) expand(x int32, row []float32) error {
	n := &s.nodes[x]
	n.flags &^= mEvaluating
	if s.lm != nil {
		s.legal = s.lm.Legal(n.state, s.legal[:0])
		if len(s.legal) == 0 {
			return errors.New("mcts: model: a state that is not terminal has no legal action")
		}
		for _, a := range s.legal {
			if a < 0 || a >= s.na {
				return fmt.Errorf("mcts: model: legal action %d: want one of 0..%d", a, s.na-1)
			}
		}
	} else {
		s.legal = s.legal[:0]
		for a := range s.na {
			s.legal = append(s.legal, a)
		}
	}
	k := len(s.legal)
	if len(s.nodes)+k > s.cfg.MaxNodes {
		return nil
	}
	var sum float64
	for _, a := range s.legal {
		if row == nil {
			break
		}
		p := float64(row[a])
		if !(p >= 0) || math.IsInf(p, 0) {
			return fmt.Errorf("mcts: evaluator: prior %v for action %d: want a finite number ≥ 0", p, a)
		}
		sum += p
	}
	first := int32(len(s.nodes))
	for _, a := range s.legal {
		p := 1 / float32(k)
		if sum > 0 {
			p = float32(float64(row[a]) / sum)
		}
		s.nodes = append(s.nodes, mnode[S]{action: int32(a), prior: p, depth: n.depth + 1})
	}
	n = &s.nodes[x] // the arena may have moved
	n.first, n.nchild = first, int32(k)
	s.created += int64(k)
	return nil
}

// backup adds the return of the path to every node on it, G ← r + γ·G
// from the leaf (whose value is v) up, widens the range of action values
// and takes the in-flight marks back.
func (s *ModelSearcher[S]) backup(path []int32, v float64) {
	g := v
	for i := len(path) - 1; i >= 0; i-- {
		n := &s.nodes[path[i]]
		n.pending--
		n.n++
		n.w += g
		if i > 0 {
			s.mm.update(n.q())
			g = n.reward + n.discount*g
		}
	}
}

// revert takes back a descent that collided.
func (s *ModelSearcher[S]) revert(path []int32) {
	for _, x := range path {
		s.nodes[x].pending--
	}
}

// addNoise mixes Dirichlet noise into the root priors.
func (s *ModelSearcher[S]) addNoise() {
	root := &s.nodes[0]
	ch := s.nodes[root.first : root.first+root.nchild]
	s.noise = dirichlet(s.rng, s.cfg.NoiseAlpha, len(ch), s.noise[:0])
	f := s.cfg.NoiseFraction
	for i := range ch {
		ch[i].prior = float32((1-f)*float64(ch[i].prior) + f*s.noise[i])
	}
}

// result reads the root statistics and chooses the action.
func (s *ModelSearcher[S]) result() *ModelResult {
	root := &s.nodes[0]
	r := &ModelResult{Status: s.status, Value: root.w / float64(max(root.n, 1))}
	ch := s.nodes[root.first : root.first+root.nchild]
	r.Children = make([]ModelChild, len(ch))
	best := 0
	for i := range ch {
		c := &ch[i]
		rc := &r.Children[i]
		rc.Action, rc.Visits, rc.Prior = int(c.action), int64(c.n), float64(c.prior)
		if c.flags&mStepped != 0 {
			rc.Reward, rc.Discount = c.reward, c.discount
		}
		if c.n > 0 {
			rc.Q = c.q()
		}
		if b := &r.Children[best]; rc.Visits > b.Visits || rc.Visits == b.Visits && rc.Q > b.Q {
			best = i
		}
	}
	r.Action = r.Children[best].Action
	r.Cost = s.evalCost
	r.Cost.Simulations += s.sims
	r.Cost.Nodes += s.created
	r.Cost.Steps += s.steps
	return r
}

// grow returns (*buf)[:n], growing the buffer when needed.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n, 2*n)
	}
	*buf = (*buf)[:n]
	return *buf
}
