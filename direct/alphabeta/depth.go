package alphabeta

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"argmax"
	"argmax/game"
)

// Scores of DepthLimited, for the side to move.
const (
	// WinScore is the score of a win at ply 0; a win completed at ply p
	// scores WinScore - p (a sooner win scores higher), a loss the
	// opposite, a draw 0.
	WinScore = 1 << 30
	// MaxEval bounds the evaluation of a horizon position: an Eval's
	// value is clamped to [-MaxEval, MaxEval], below every win and above
	// every loss.
	MaxEval = 1 << 20
)

// Eval scores a position at the search horizon (not finished) for the
// side to move, in [-MaxEval, MaxEval]: a heuristic, a value net scaled
// up, or nil for 0 ("unknown"). It may Play and Undo on s but must leave
// it as it found it.
type Eval func(s game.State) int

// DepthConfig sets up a DepthLimited search.
type DepthConfig struct {
	// Depth is the search depth in plies (1 looks at the moves' results,
	// 2 also at the opponent's replies). 0 deepens until the position is
	// solved or the budget runs out.
	Depth int
	// Eval scores the positions at the horizon; nil scores them 0.
	Eval Eval
	// RandomTies breaks ties between equally good root moves by a
	// deterministic function of Seed and the position's key, instead of
	// taking the lowest action: a family of demonstrators that differ only
	// in their tie-breaks.
	RandomTies bool
	// Seed seeds the random tie-break.
	Seed uint64
}

// DepthLimited is a depth-limited alpha-beta search for any game behind
// the game.State contract: a cheap direct optimizer whose cost and quality
// grow with its depth (a cost–quality frontier over depth 1..N), and a
// noisy demonstrator (depth 2 takes immediate wins and blocks immediate
// threats but plans nothing further).
//
// It searches by iterative deepening, from depth 1 to Config.Depth: each
// iteration orders the root moves by the scores of the last, and inside
// the tree moves that caused cutoffs before (the history heuristic) come
// first. Finished games score by their distance (WinScore - ply), horizon
// positions by Config.Eval. Every root move's score is compared exactly
// with the best (ties are searched, not pruned), so the chosen move is the
// lowest action among the equally good ones, or a seeded choice among
// them. The value at depth d is the plain depth-d negamax value: there is
// no transposition table, so the answer depends on nothing but the
// position, the configuration and the budget.
//
// A DepthLimited is not safe for concurrent use.
type DepthLimited struct {
	cfg        DepthConfig
	g          game.Game
	numActions int
	buf        [][]game.Action // legal moves per remaining depth
	history    []int64         // cutoffs per action (the history heuristic)
	horizon    bool            // the current iteration reached the horizon
	steps      int64           // moves played
	limiter
}

var _ game.Policy = (*DepthLimited)(nil)

// NewDepthLimited returns a depth-limited search over the positions of g.
func NewDepthLimited(g game.Game, cfg DepthConfig) (*DepthLimited, error) {
	if cfg.Depth < 0 {
		return nil, fmt.Errorf("alphabeta: depth %d: want ≥ 0 (0: deepen until the budget runs out)", cfg.Depth)
	}
	d := &DepthLimited{cfg: cfg, g: g, numActions: g.NumActions(), limiter: newLimiter()}
	d.buf = make([][]game.Action, g.MaxPlies()+1)
	d.history = make([]int64, d.numActions)
	return d, nil
}

// Config returns the configuration.
func (d *DepthLimited) Config() DepthConfig { return d.cfg }

// Nodes returns the number of positions searched since the search was made.
func (d *DepthLimited) Nodes() int64 { return d.nodes }

// DepthResult is the answer of a DepthLimited search.
type DepthResult struct {
	// Action is the chosen move.
	Action game.Action
	// Score is its score at Depth (WinScore - ply for a win found, an
	// Eval value or 0 for an open position).
	Score int
	// Best lists the root moves with the best score, in action order (the
	// tie set Action was chosen from).
	Best []game.Action
	// Depth is the depth of the deepest iteration whose result Action
	// comes from (complete, or with at least its first root move
	// searched).
	Depth int
	// Status is DepthLimit when the configured depth was reached, Solved
	// when an iteration met no horizon (the score is exact), NodeLimit,
	// TimeLimit or Cancelled when the budget or the context stopped the
	// search first.
	Status Status
	// Cost is the work done: Nodes (positions visited), Steps (moves
	// played), wall time, CutShort = 1 when the budget stopped the search
	// before its depth.
	Cost argmax.Cost
}

// Decide searches st and returns the chosen move (see Search); it makes a
// DepthLimited a game.Decider.
func (d *DepthLimited) Decide(ctx context.Context, st game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	r, err := d.Search(ctx, st, b)
	if err != nil {
		return 0, r.Cost, err
	}
	return r.Action, r.Cost, nil
}

// Distribution searches st and writes a uniform distribution over the
// root moves with the best score (Result.Best) into dst (one entry per
// action); it makes a DepthLimited a game.Policy.
func (d *DepthLimited) Distribution(ctx context.Context, st game.State, b argmax.Budget, dst []float32) (argmax.Cost, error) {
	if len(dst) != d.numActions {
		return argmax.Cost{}, fmt.Errorf("alphabeta: distribution over %d actions, want %d", len(dst), d.numActions)
	}
	r, err := d.Search(ctx, st, b)
	if err != nil {
		return r.Cost, err
	}
	clear(dst)
	for _, a := range r.Best {
		dst[a] = 1 / float32(len(r.Best))
	}
	return r.Cost, nil
}

// Search runs the iterative deepening from st within b and ctx (st is
// left unchanged; the search runs on a copy). An unlimited budget with
// Depth 0 solves the position, which only small games allow. When the
// budget runs out, the answer is that of the last iteration, or of the
// one in progress if its first root move (the previous best) was searched;
// an error wrapping argmax.ErrBudget when not even one root move of depth
// 1 was. A cancelled context returns ctx.Err().
func (d *DepthLimited) Search(ctx context.Context, st game.State, b argmax.Budget) (DepthResult, error) {
	r := DepthResult{Action: -1}
	if over, _ := st.Terminal(); over {
		return r, fmt.Errorf("alphabeta: position %q: %w", st.String(), ErrGameOver)
	}
	start, err := d.begin(ctx, b)
	if err != nil {
		return r, err
	}
	defer d.disarm()
	n0, s0 := d.nodes, d.steps
	st = st.Clone()
	clear(d.history)
	maxDepth := d.cfg.Depth
	if left := d.g.MaxPlies() - st.Ply(); maxDepth == 0 || maxDepth > left {
		maxDepth = max(left, 1)
	}
	root := st.Legal(nil)
	scores := make([]int, len(root))
	var (
		best   []game.Action // the tie set of the result
		score  int
		tied   []game.Action
		status = DepthLimit
	)
	ok := d.run(func() {
		for depth := 1; depth <= maxDepth; depth++ {
			d.horizon = false
			bestV := math.MinInt
			tied = tied[:0]
			for i, a := range root {
				st.Play(a)
				d.steps++
				alpha := math.MinInt / 2
				if bestV != math.MinInt {
					alpha = bestV - 1 // ties are searched exactly
				}
				v := -d.negamax(st, depth-1, -math.MaxInt/2, -alpha)
				st.Undo(a)
				scores[i] = v
				switch {
				case v > bestV:
					bestV, tied = v, append(tied[:0], a)
				case v == bestV:
					tied = append(tied, a)
				}
				// The first root move of an iteration (the best of the last)
				// is searched: from now on this iteration's best so far is
				// the answer.
				best, score, r.Depth = append(best[:0], tied...), bestV, depth
			}
			if !d.horizon {
				status = Solved
				return
			}
			// The next iteration searches the best moves first.
			idx := make([]int, len(root))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(x, y int) int { return scores[y] - scores[x] })
			ordered := make([]game.Action, len(root))
			for i, j := range idx {
				ordered[i] = root[j]
			}
			root = ordered
		}
	})
	r.Status = status
	if !ok {
		r.Status = d.status
		r.Cost.CutShort = 1
	}
	r.Cost.Nodes, r.Cost.Steps = d.nodes-n0, d.steps-s0
	r.Cost.Elapsed = time.Since(start)
	if r.Status == Cancelled {
		return r, ctx.Err()
	}
	if len(best) == 0 {
		return r, fmt.Errorf("alphabeta: depth-limited search of %q: %w", st.String(), argmax.ErrBudget)
	}
	slices.Sort(best)
	r.Best, r.Score = best, score
	r.Action = best[0]
	if d.cfg.RandomTies && len(best) > 1 {
		h := game.Mix64(st.Key() ^ game.Mix64(d.cfg.Seed^0x5851f42d4c957f2d))
		hi, _ := bits.Mul64(h, uint64(len(best)))
		r.Action = best[hi]
	}
	return r, nil
}

// negamax returns the depth-limited score of st for the side to move if it
// lies in (alpha, beta), else a bound beyond the window on the side it
// lies (fail-soft). st is left unchanged.
func (d *DepthLimited) negamax(st game.State, depth, alpha, beta int) int {
	if d.nodes >= d.check {
		d.poll()
	}
	d.nodes++
	if over, o := st.Terminal(); over {
		return int(o) * (WinScore - st.Ply())
	}
	if depth <= 0 {
		d.horizon = true
		if d.cfg.Eval == nil {
			return 0
		}
		return max(-MaxEval, min(MaxEval, d.cfg.Eval(st)))
	}
	legal := st.Legal(d.buf[depth][:0])
	d.buf[depth] = legal
	// Order by the history heuristic (insertion sort, stable: the game's
	// order among equals).
	for i := 1; i < len(legal); i++ {
		a, h := legal[i], d.history[legal[i]]
		j := i
		for ; j > 0 && d.history[legal[j-1]] < h; j-- {
			legal[j] = legal[j-1]
		}
		legal[j] = a
	}
	best := math.MinInt
	for _, a := range legal {
		st.Play(a)
		d.steps++
		v := -d.negamax(st, depth-1, -beta, -max(alpha, best))
		st.Undo(a)
		if v > best {
			best = v
			if v >= beta {
				d.history[a] += int64(depth * depth)
				return v
			}
		}
	}
	return best
}
