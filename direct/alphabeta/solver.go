package alphabeta

import (
	"math/bits"

	"argmax/game"
	"argmax/game/connect4"
)

// Full is the score of a column that cannot be played.
const Full = -1000

// Solver is an exact connect-four solver: negamax with alpha-beta pruning
// over a bitboard, a transposition table of score bounds that persists
// across calls (positions met again are not searched again), enhanced
// transposition cutoffs, pruning of the moves that lose at once, ordering
// of the others by the threats they create (centre first among equals), and
// a null-window search that narrows the score by bisection. The search
// allocates nothing. Analyze and Solve search without limits; Search,
// AnalyzeWithin, SolveWithin and Decide honour an argmax.Budget (nodes,
// time) and a context. A Solver is not safe for concurrent use; make one
// per goroutine.
type Solver struct {
	tt *table
	limiter
	root [width]rootMove // scratch of the budgeted searches
}

// New returns a solver with an empty transposition table. The table takes
// 2 MiB — small on purpose: a table that stays in the processor's caches
// makes the search faster than a large one that saves a few nodes but
// misses the caches on almost every probe — and grows, up to 128 MiB, only
// for searches from fewer than 8 plies.
func New() *Solver { return &Solver{tt: newTable(tableBitsFor(cells)), limiter: newLimiter()} }

// Nodes returns the number of positions searched since the solver was made.
func (s *Solver) Nodes() int64 { return s.nodes }

// Reset empties the transposition table, so that what follows is searched
// as by a new solver.
func (s *Solver) Reset() { s.tt.clear() }

// columnOrder lists the columns from the centre out: the default order of
// the search and the tie-break between equally good moves.
var columnOrder = [width]int{3, 2, 4, 1, 5, 0, 6}

// orderMasks holds the cells of the columns in columnOrder.
var orderMasks = func() (m [width]uint64) {
	for i, c := range columnOrder {
		m[i] = colMask(c)
	}
	return m
}()

// negamax returns the score of the position (cur, mask, moves) if it lies in
// (alpha, beta), an upper bound ≤ alpha if the score is ≤ alpha, a lower
// bound ≥ beta if it is ≥ beta (fail-soft: the bounds are as tight as the
// search found). The side to move must not be able to win at once.
func (s *Solver) negamax(cur, mask uint64, moves int, alpha, beta int) int {
	if s.nodes >= s.check {
		s.poll() // a budgeted search: stop here if a limit is reached
	}
	s.nodes++
	next := nonLosing(cur, mask)
	if next == 0 {
		return -(cells - moves) / 2 // the opponent wins at its next move
	}
	if moves >= cells-2 {
		return 0 // neither side can complete four in the last two cells
	}
	// Bounds on the score: from the number of empty cells (the side to
	// move cannot win at once, the opponent cannot win at its next move),
	// tightened by the table.
	lo := -(cells - 2 - moves) / 2
	hi := (cells - 1 - moves) / 2
	key := cur + mask
	if d := s.tt.get(key); d != 0 {
		lo = int(d&boundMask) - scoreBias
		hi = int(d>>boundBits&boundMask) - scoreBias
	}
	if lo >= beta {
		return lo
	}
	if hi <= alpha || lo == hi {
		return hi
	}
	alpha, beta = max(alpha, lo), min(beta, hi)
	a0 := alpha
	opp := cur ^ mask

	if next&(next-1) == 0 {
		// A single move (a forced block, or the only one that does not
		// lose at once): no ordering, and the window passes through.
		v := -s.negamax(opp, mask|next, moves+1, -beta, -alpha)
		switch {
		case v >= beta:
			s.tt.put(key, v, hi, moves)
		case v > alpha:
			s.tt.put(key, v, v, moves)
		default:
			s.tt.put(key, lo, v, moves)
		}
		return v
	}

	// Order the moves by the number of cells where the mover threatens to
	// complete four after it, centre first among equals (insertion sort,
	// best last). While at it, look the children up in the table: a child
	// whose score is known to be low enough cuts at once (enhanced
	// transposition cutoff).
	var mv [width]uint64
	var sc [width]int
	n := 0
	for i := width - 1; i >= 0; i-- {
		m := next & orderMasks[i]
		if m == 0 {
			continue
		}
		if d := s.tt.get(opp + (mask | m)); d != 0 {
			if v := scoreBias - int(d>>boundBits&boundMask); v >= beta {
				s.tt.put(key, v, hi, moves)
				return v
			}
		}
		v := bits.OnesCount64(winningCells(cur|m, mask|m))
		j := n
		for ; j > 0 && sc[j-1] > v; j-- {
			mv[j], sc[j] = mv[j-1], sc[j-1]
		}
		mv[j], sc[j] = m, v
		n++
	}
	best := -cells
	for i := n - 1; i >= 0; i-- {
		v := -s.negamax(opp, mask|mv[i], moves+1, -beta, -alpha)
		if v >= beta {
			s.tt.put(key, v, hi, moves)
			return v
		}
		if v > best {
			best = v
			alpha = max(alpha, v)
		}
	}
	if best > a0 {
		lo = best // inside the window: exact
	}
	s.tt.put(key, lo, best, moves)
	return best
}

// solve returns the exact score of a position that is not over (with weak,
// its sign).
func (s *Solver) solve(cur, mask uint64, moves int, weak bool) int {
	if canWinNext(cur, mask) {
		if weak {
			return 1
		}
		return (cells + 1 - moves) / 2
	}
	lo, hi := -(cells-moves)/2, (cells-1-moves)/2
	s.bisect(cur, mask, moves, weak, &lo, &hi)
	if weak {
		return int(game.ScoreOutcome(lo))
	}
	return lo
}

// bisect narrows the bounds lo ≤ score ≤ hi of a position that is not over,
// whose side to move cannot win at once, until they meet (with weak, until
// they have the same sign class): a bisection on the score by null-window
// searches, each of which tells whether the score is above a trial value;
// the table keeps what each search proved for the next. Each bound is
// written as soon as it is proven, so a search that its budget stops
// leaves what it proved.
func (s *Solver) bisect(cur, mask uint64, moves int, weak bool, lo, hi *int) {
	for {
		l, h := clampSign(*lo, weak), clampSign(*hi, weak)
		if l >= h {
			return
		}
		// The middle, rounded towards zero: trials far from the score are
		// cheap, trials near zero (long games) are dear.
		med := l + (h-l)/2
		if med < 0 && h-l > 1 {
			med = l + (h-l+1)/2
		}
		if r := s.negamax(cur, mask, moves, med, med+1); r <= med {
			*hi = min(*hi, r)
		} else {
			*lo = max(*lo, r)
		}
	}
}

// prepare sizes the table for a search from a position with the given
// number of plies.
func (s *Solver) prepare(moves int) { s.tt.setBits(tableBitsFor(moves)) }

// tableBitsFor returns the log2 of the number of table entries a search
// from a position with the given number of plies uses. Measured on the
// calibration positions (8 to 36 plies), 2^18 entries (2 MiB) is fastest
// for all of them: a larger table saves a few nodes but misses the caches
// on almost every probe; a smaller one loses too many entries. Searches
// from fewer than 8 plies are far larger and get one more bit per ply.
func tableBitsFor(moves int) int {
	return min(18+max(0, 8-moves), maxTableBits)
}

// Solve returns the exact score of st for the side to move; with weak,
// only its sign (1 win, 0 draw, -1 loss), which is faster to find. A
// finished game scores as its outcome: minus the winner's score for a won
// game (-1 with weak), 0 for a full board.
func (s *Solver) Solve(st *connect4.State, weak bool) int {
	cur, mask, moves := st.Current(), st.Mask(), st.Ply()
	if connect4.Aligned(cur ^ mask) {
		if weak {
			return -1
		}
		return -(cells + 2 - moves) / 2
	}
	if moves == cells {
		return 0
	}
	s.prepare(moves)
	return s.solve(cur, mask, moves, weak)
}

// Analyze returns the score of each of the 7 columns: the exact score for
// the side to move if it plays there (with weak, its sign), Full for a
// column that is full. In a finished game every column is Full. The seven
// searches share the transposition table.
func (s *Solver) Analyze(st *connect4.State, weak bool) [connect4.Width]int {
	var out [connect4.Width]int
	cur, mask, moves := st.Current(), st.Mask(), st.Ply()
	s.prepare(moves)
	over := moves == cells || connect4.Aligned(cur^mask)
	win := winningCells(cur, mask)
	for c := 0; c < width; c++ {
		m := possible(mask) & colMask(c)
		switch {
		case over || m == 0:
			out[c] = Full
		case win&m != 0:
			out[c] = (cells + 1 - moves) / 2
			if weak {
				out[c] = 1
			}
		case moves+1 == cells:
			out[c] = 0
		default:
			out[c] = -s.solve(cur^mask, mask|m, moves+1, weak)
		}
	}
	return out
}
