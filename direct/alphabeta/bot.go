package alphabeta

import (
	"context"
	"errors"
	"fmt"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
)

var _ game.Decider = (*Solver)(nil)

// ErrGameOver is returned by the bots' Move for a position where the game
// has ended.
var ErrGameOver = errors.New("the game is over: there is no move to choose")

// BestMove returns the column with the best score in scores (as returned
// by Analyze) and that score; among equally good columns it returns the one
// nearest the centre, the left one of two at the same distance (order
// 4 3 5 2 6 1 7). It returns -1 and Full when every column is Full.
func BestMove(scores [connect4.Width]int) (col, score int) {
	col, score = -1, Full
	for _, c := range columnOrder {
		if v := scores[c]; v != Full && (col < 0 || v > score) {
			col, score = c, v
		}
	}
	return col, score
}

// Decide plays a move in a connect-four position within b (nodes, time)
// and ctx. With enough budget — an unlimited Budget always — the move is
// strictly optimal: the column with the best exact score (the fastest win,
// else a draw, else the slowest loss), ties broken as in BestMove. When
// the budget runs out first it plays the best move the search has
// justified (see Search) and counts the decision in Cost.CutShort. The
// cost reports the nodes searched and the wall time. It returns ctx.Err()
// for a cancelled context, an error for a state that is not a
// connect-four state and ErrGameOver for a finished game.
func (s *Solver) Decide(ctx context.Context, st game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	c4, ok := st.(*connect4.State)
	if !ok {
		return 0, argmax.Cost{}, fmt.Errorf("alphabeta: the connect-four solver cannot play a %T", st)
	}
	var r Result
	root, err := s.search(ctx, c4, b, &r)
	if err != nil {
		return 0, r.Cost, err
	}
	return root[bestRoot(root, false)].a, r.Cost, nil
}

// Search finds the best move of a connect-four position within b and ctx
// and says what it proved. It first settles the sign (win, draw, loss) of
// the moves, centre first, then their exact order, by null-window searches
// at the root (the best move's score narrowed by bisection, each other
// move tested against it), stopping as soon as the best move is proven.
// Before any search, the moves that lose at once (an unblocked immediate
// threat, or a move under the opponent's winning cell) are known, so even
// a budget that runs out at the first node answers with the 2-ply tactical
// rule. A budget that runs out later answers with the move with the best
// proven lower bound (Result.Action); Status then says which limit was
// reached and Cost.CutShort is 1. The answer for a node budget is a
// deterministic function of the position, the budget and the table's
// contents (Reset empties it). A cancelled context returns the result so
// far with Status Cancelled and ctx.Err().
func (s *Solver) Search(ctx context.Context, st *connect4.State, b argmax.Budget) (Result, error) {
	var r Result
	root, err := s.search(ctx, st, b, &r)
	if root != nil {
		rootResult(&r, root, width)
	}
	return r, err
}

// search runs Search and returns the root moves in centre-first order,
// with r's Status and Cost set.
func (s *Solver) search(ctx context.Context, st *connect4.State, b argmax.Budget, r *Result) ([]rootMove, error) {
	r.Action = -1
	if over, _ := st.Terminal(); over {
		return nil, fmt.Errorf("alphabeta: position %q: %w", st.String(), ErrGameOver)
	}
	start, err := s.begin(ctx, b)
	if err != nil {
		return nil, err
	}
	defer s.disarm()
	cur, mask, moves := st.Current(), st.Mask(), st.Ply()
	s.prepare(moves)
	root := s.initRoot(cur, mask, moves)
	n0 := s.nodes
	probe := func(i, v int) int {
		m := possible(mask) & colMask(int(root[i].a))
		return -s.negamax(cur^mask, mask|m, moves+1, -v-1, -v)
	}
	ok := s.run(func() {
		prove(root, true, probe)
		prove(root, false, probe)
	})
	finish(r, &s.limiter, ok, n0, start)
	if r.Status == Cancelled {
		return root, ctx.Err()
	}
	return root, nil
}

// initRoot returns the playable columns of a position that is not over, in
// centre-first order, with the bounds known before any search: exact for
// an immediate win, for the last cell and for a move after which the
// opponent wins at once; from the number of empty cells otherwise.
func (s *Solver) initRoot(cur, mask uint64, moves int) []rootMove {
	win := winningCells(cur, mask)
	root := s.root[:0]
	for _, c := range columnOrder {
		m := possible(mask) & colMask(c)
		if m == 0 {
			continue
		}
		var lo, hi int
		switch {
		case win&m != 0:
			lo = (cells + 1 - moves) / 2
			hi = lo
		case moves+1 == cells:
			lo, hi = 0, 0
		case canWinNext(cur^mask, mask|m):
			lo = -(cells - moves) / 2
			hi = lo
		default: // the child's bounds (as in solve), negated
			lo, hi = -((cells - 2 - moves) / 2), (cells-moves-1)/2
		}
		root = append(root, rootMove{a: game.Action(c), lo: lo, hi: hi})
	}
	return root
}

// AnalyzeWithin is Analyze within a budget: it narrows the score of each
// column in turn (with weak, its sign), left to right, exactly as Analyze
// does — with an unlimited budget it searches the same nodes and
// Result.Moves holds Analyze's scores (with weak, bounds whose sign is
// Analyze's answer). When the budget runs out, the columns not reached
// keep the bounds known before any search, the column in progress those
// proven so far; Status says which limit was reached. Result.Action is
// chosen as by Search from the bounds. In a finished game it returns
// ErrGameOver.
func (s *Solver) AnalyzeWithin(ctx context.Context, st *connect4.State, weak bool, b argmax.Budget) (Result, error) {
	r := Result{Action: -1}
	if over, _ := st.Terminal(); over {
		return r, fmt.Errorf("alphabeta: position %q: %w", st.String(), ErrGameOver)
	}
	start, err := s.begin(ctx, b)
	if err != nil {
		return r, err
	}
	defer s.disarm()
	cur, mask, moves := st.Current(), st.Mask(), st.Ply()
	s.prepare(moves)
	root := s.initRoot(cur, mask, moves)
	n0 := s.nodes
	busy, opp := -1, cur^mask
	var clo, chi int // the child's bounds of the column in progress (busy)
	ok := s.run(func() {
		for c := 0; c < width; c++ {
			for i := range root {
				if int(root[i].a) != c || root[i].lo == root[i].hi {
					continue
				}
				busy, clo, chi = i, -root[i].hi, -root[i].lo
				s.bisect(opp, mask|possible(mask)&colMask(c), moves+1, weak, &clo, &chi)
				root[i].lo, root[i].hi, busy = -chi, -clo, -1
			}
		}
	})
	if busy >= 0 {
		root[busy].lo, root[busy].hi = -chi, -clo
	}
	finish(&r, &s.limiter, ok, n0, start)
	rootResult(&r, root, width)
	if r.Status == Cancelled {
		return r, ctx.Err()
	}
	return r, nil
}

// SolveWithin is Solve within a budget: it narrows the score of the
// position (with weak, its sign) by the same bisection, and returns the
// bounds proven (Result.Score; exact when Status is Solved, with weak of
// the right sign class). It chooses no move: Result.Action is -1 and
// Result.Moves nil. A finished game scores as in Solve.
func (s *Solver) SolveWithin(ctx context.Context, st *connect4.State, weak bool, b argmax.Budget) (Result, error) {
	r := Result{Action: -1}
	start, err := s.begin(ctx, b)
	if err != nil {
		return r, err
	}
	defer s.disarm()
	cur, mask, moves := st.Current(), st.Mask(), st.Ply()
	n0 := s.nodes
	var lo, hi int
	ok := true
	switch {
	case connect4.Aligned(cur ^ mask):
		lo = -(cells + 2 - moves) / 2
		hi = lo
	case moves == cells:
	case canWinNext(cur, mask):
		lo = (cells + 1 - moves) / 2
		hi = lo
	default:
		s.prepare(moves)
		lo, hi = -(cells-moves)/2, (cells-1-moves)/2
		ok = s.run(func() { s.bisect(cur, mask, moves, weak, &lo, &hi) })
	}
	r.Score = Bounds{lo, hi}
	finish(&r, &s.limiter, ok, n0, start)
	if r.Status == Cancelled {
		return r, ctx.Err()
	}
	return r, nil
}
