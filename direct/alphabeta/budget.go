package alphabeta

import (
	"context"
	"fmt"
	"math"
	"time"

	"argmax"
	"argmax/game"
)

// Status says how a budgeted search ended.
type Status int

// The ways a budgeted search ends.
const (
	// Solved: the search finished. For the exact solvers the chosen move
	// is proven strictly optimal; for DepthLimited the whole game tree
	// below the root was searched, so its score is exact.
	Solved Status = iota
	// DepthLimit: DepthLimited searched to its configured depth; its
	// answer is the best at that depth, not proven for the game.
	DepthLimit
	// NodeLimit: Budget.Nodes ran out first.
	NodeLimit
	// TimeLimit: Budget.Time ran out first.
	TimeLimit
	// Cancelled: the context was cancelled; the call returns ctx.Err().
	Cancelled
)

// String names the status.
func (s Status) String() string {
	switch s {
	case Solved:
		return "solved"
	case DepthLimit:
		return "depth limit"
	case NodeLimit:
		return "node limit"
	case TimeLimit:
		return "time limit"
	case Cancelled:
		return "cancelled"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// CutShort reports whether the budget (or the context) stopped the search
// before it was done: NodeLimit, TimeLimit or Cancelled.
func (s Status) CutShort() bool { return s >= NodeLimit }

// Bounds is what a search proved about a score: Lo ≤ score ≤ Hi. An
// illegal move has Lo = Hi = Full.
type Bounds struct{ Lo, Hi int }

// Exact reports whether the score is known exactly.
func (b Bounds) Exact() bool { return b.Lo == b.Hi }

// Result is the answer of a budgeted exact search (Solver.Search,
// Solver.AnalyzeWithin, Generic.Search).
type Result struct {
	// Action is the move chosen: when Status is Solved, a strictly optimal
	// move (tie-break as in Decide); when the budget ran out, the move
	// with the best proven lower bound (then the best upper bound, then
	// the tie-break order), which for connect four is never a move that
	// loses at once when another does not.
	Action game.Action
	// Score bounds the score of the position for the side to move.
	Score Bounds
	// Moves bounds the score of each action (NumActions entries; Full for
	// illegal ones), as far as the search proved them.
	Moves []Bounds
	// Status says how the search ended.
	Status Status
	// Cost is the work done: Nodes searched, wall time (Elapsed), and
	// CutShort = 1 when the budget ran out before the search was done.
	Cost argmax.Cost
}

// pollEvery is the number of nodes between two looks at the clock and the
// context: about 0.2 ms of connect-four search.
const pollEvery = 1 << 12

// stopSignal is the panic value with which a search that has reached its
// budget unwinds: the hot loop then needs no test on the way back up.
// Unwinding skips every transposition-table store after the stop, so the
// table keeps only bounds of finished searches.
type stopSignal struct{}

// limiter counts a search's nodes and stops it at its budget. The hot
// loop of a search calls poll only when nodes reaches check, one compare
// per node; without limits check is MaxInt64 and poll never runs.
type limiter struct {
	nodes    int64 // nodes searched since the searcher was made
	check    int64 // node count at which poll runs next
	limit    int64 // node count at which the search stops
	deadline time.Time
	done     <-chan struct{}
	status   Status
}

func newLimiter() limiter {
	return limiter{check: math.MaxInt64, limit: math.MaxInt64}
}

// arm sets the limits of b (from now) and of ctx for the next search.
func (l *limiter) arm(ctx context.Context, b argmax.Budget, start time.Time) {
	l.limit, l.deadline, l.done, l.status = math.MaxInt64, time.Time{}, ctx.Done(), Solved
	if b.Nodes > 0 {
		l.limit = l.nodes + b.Nodes
	}
	if b.Time > 0 {
		l.deadline = start.Add(b.Time)
	}
	l.check = l.limit
	if l.done != nil || !l.deadline.IsZero() {
		l.check = min(l.limit, l.nodes+pollEvery)
	}
}

// disarm removes every limit.
func (l *limiter) disarm() {
	l.check, l.limit, l.deadline, l.done = math.MaxInt64, math.MaxInt64, time.Time{}, nil
}

// poll stops the search (by panicking with stopSignal) if a limit is
// reached, and sets when to look again.
func (l *limiter) poll() {
	if l.nodes >= l.limit {
		l.stop(NodeLimit)
	}
	if l.done != nil {
		select {
		case <-l.done:
			l.stop(Cancelled)
		default:
		}
	}
	if !l.deadline.IsZero() && !time.Now().Before(l.deadline) {
		l.stop(TimeLimit)
	}
	if l.done == nil && l.deadline.IsZero() {
		l.check = l.limit
		return
	}
	l.check = min(l.limit, l.nodes+pollEvery)
}

func (l *limiter) stop(s Status) {
	l.status = s
	panic(stopSignal{})
}

// run calls f and reports whether it finished; false means a limit stopped
// it (l.status says which).
func (l *limiter) run(f func()) (finished bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopSignal); !ok {
				panic(r)
			}
			finished = false
		}
	}()
	f()
	return true
}

// begin checks the budget and the context before a budgeted search, arms
// the limiter and returns the start time.
func (l *limiter) begin(ctx context.Context, b argmax.Budget) (time.Time, error) {
	start := time.Now()
	if err := b.Check(); err != nil {
		return start, fmt.Errorf("alphabeta: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return start, err
	}
	l.arm(ctx, b, start)
	return start, nil
}

// rootMove is one move at the root of a budgeted exact search, with the
// bounds proven on its score for the side to move.
type rootMove struct {
	a      game.Action
	lo, hi int
}

// clampSign maps a score to its sign class when weak (-1, 0, 1).
func clampSign(x int, weak bool) int {
	if weak {
		return max(-1, min(1, x))
	}
	return x
}

// bestRoot returns the index of the move with the best lower bound, then
// the best upper bound, then the first in order (with weak, comparing sign
// classes); -1 if there is no move.
func bestRoot(moves []rootMove, weak bool) int {
	b, blo, bhi := -1, 0, 0
	for i := range moves {
		lo, hi := clampSign(moves[i].lo, weak), clampSign(moves[i].hi, weak)
		if b < 0 || lo > blo || (lo == blo && hi > bhi) {
			b, blo, bhi = i, lo, hi
		}
	}
	return b
}

// midpoint returns the trial value v (lo ≤ v < hi) of a bisection step on
// the interval [lo, hi] of a score: the probe asks whether score > v. It
// mirrors the rule of Solver.solve on the negated (child) score: the
// middle, rounded towards zero, since trials far from the score are cheap
// and trials near zero are dear.
func midpoint(lo, hi int) int {
	clo, chi := -hi, -lo
	med := clo + (chi-clo)/2
	if med < 0 && chi-clo > 1 {
		med = clo + (chi-clo+1)/2
	}
	return -med - 1
}

// prove narrows the bounds of moves (listed in tie-break order) by probes
// until the best move is proven: its lower bound is at least every other
// move's upper bound (strictly above those of the moves before it in
// order). With weak only the sign class matters. probe(i, v) runs a
// null-window search of move i around v and returns a fail-soft value r:
// score ≥ r > v, or score ≤ r ≤ v.
func prove(moves []rootMove, weak bool, probe func(i, v int) int) {
	for {
		b := bestRoot(moves, weak)
		if b < 0 {
			return
		}
		lo, hi := clampSign(moves[b].lo, weak), clampSign(moves[b].hi, weak)
		c := -1
		for i := range moves {
			if h := clampSign(moves[i].hi, weak); i != b && (h > lo || (i < b && h == lo)) {
				c = i
				break
			}
		}
		if c < 0 {
			return
		}
		// Pin the best move down first, then test the challengers against
		// it with null windows (a scout at the root).
		i, v := b, 0
		switch {
		case lo < hi:
			v = midpoint(lo, hi)
		case c < b:
			i, v = c, lo-1
		default:
			i, v = c, lo
		}
		if r := probe(i, v); r > v {
			moves[i].lo = max(moves[i].lo, r)
		} else {
			moves[i].hi = min(moves[i].hi, r)
		}
	}
}

// rootResult fills r's Action, Score and Moves from the root moves.
func rootResult(r *Result, moves []rootMove, numActions int) {
	r.Moves = make([]Bounds, numActions)
	for i := range r.Moves {
		r.Moves[i] = Bounds{Full, Full}
	}
	r.Action, r.Score = -1, Bounds{Full, Full}
	if b := bestRoot(moves, false); b >= 0 {
		r.Action = moves[b].a
	}
	for i, m := range moves {
		r.Moves[m.a] = Bounds{m.lo, m.hi}
		if i == 0 {
			r.Score = Bounds{m.lo, m.hi}
		}
		r.Score = Bounds{max(r.Score.Lo, m.lo), max(r.Score.Hi, m.hi)}
	}
}

// finish sets r's Status and the counted part of its Cost.
func finish(r *Result, l *limiter, finished bool, n0 int64, start time.Time) {
	r.Status = Solved
	if !finished {
		r.Status = l.status
		r.Cost.CutShort = 1
	}
	r.Cost.Nodes = l.nodes - n0
	r.Cost.Elapsed = time.Since(start)
}
