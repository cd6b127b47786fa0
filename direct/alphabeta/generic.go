package alphabeta

import (
	"context"
	"fmt"
	"math"

	"argmax"
	"argmax/game"
)

// Generic is an exact solver for any small game behind the game.State
// contract (tic-tac-toe; connect four has its own, far faster Solver):
// negamax with alpha-beta pruning and a fixed-size transposition table of
// score bounds keyed by State.Key, which it takes to identify a position
// (true of the games in game/). It searches the whole game tree that the
// pruning leaves, so it suits games of a few million positions at most.
//
// Scores are from the point of view of the side to move: a win scores the
// number of plies of the longest possible game (Game.MaxPlies) left
// unplayed when it ends, plus one — so a sooner win scores higher —, a loss
// the opposite, a draw 0. In tic-tac-toe, a win completed at the fifth ply
// scores 9+1-5 = 5.
//
// Solve and Analyze search without limits; Search and Decide honour an
// argmax.Budget (nodes, time) and a context. A Generic is not safe for
// concurrent use.
type Generic struct {
	g        game.Game
	maxPlies int
	tt       []genericEntry
	moves    [][]game.Action // a buffer of legal moves per ply
	limiter
}

type genericEntry struct {
	key    uint64
	lo, hi int16
	used   bool
}

// genericTableBits is the log2 of the number of table entries (1 MiB).
const genericTableBits = 16

var _ game.Decider = (*Generic)(nil)

// NewGeneric returns an exact solver for the positions of g.
func NewGeneric(g game.Game) *Generic {
	s := &Generic{g: g, maxPlies: g.MaxPlies(), tt: make([]genericEntry, 1<<genericTableBits), limiter: newLimiter()}
	s.moves = make([][]game.Action, s.maxPlies+1)
	for i := range s.moves {
		s.moves[i] = make([]game.Action, 0, g.NumActions())
	}
	return s
}

// Nodes returns the number of positions searched since the solver was made.
func (s *Generic) Nodes() int64 { return s.nodes }

// Reset empties the transposition table.
func (s *Generic) Reset() { clear(s.tt) }

// terminalScore returns the score of a finished game for the side to move.
func (s *Generic) terminalScore(st game.State, o game.Outcome) int {
	return int(o) * (s.maxPlies + 1 - st.Ply())
}

// negamax returns the score of st if it lies in (alpha, beta), else a bound
// beyond the window on the side it lies (fail-soft). st is left unchanged.
func (s *Generic) negamax(st game.State, alpha, beta int) int {
	if s.nodes >= s.check {
		s.poll() // a budgeted search: stop here if a limit is reached
	}
	s.nodes++
	if over, o := st.Terminal(); over {
		return s.terminalScore(st, o)
	}
	ply := st.Ply()
	// The side to move wins at the next ply at best, loses at the one
	// after at worst.
	lo, hi := -(s.maxPlies - ply - 1), s.maxPlies-ply
	key := st.Key()
	e := &s.tt[key&(1<<genericTableBits-1)]
	if e.used && e.key == key {
		lo, hi = int(e.lo), int(e.hi)
	}
	if lo >= beta {
		return lo
	}
	if hi <= alpha || lo == hi {
		return hi
	}
	alpha, beta = max(alpha, lo), min(beta, hi)
	a0 := alpha
	best := math.MinInt
	legal := st.Legal(s.moves[ply][:0])
	for _, a := range legal {
		st.Play(a)
		v := -s.negamax(st, -beta, -alpha)
		st.Undo(a)
		if v >= beta {
			*e = genericEntry{key: key, lo: int16(v), hi: int16(hi), used: true}
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
	*e = genericEntry{key: key, lo: int16(lo), hi: int16(best), used: true}
	return best
}

// Solve returns the exact score of st for the side to move (of a finished
// game, its outcome). st is left unchanged.
func (s *Generic) Solve(st game.State) int {
	return s.negamax(st, math.MinInt/2, math.MaxInt/2)
}

// Analyze returns the exact score of each action for the side to move if
// it plays it, indexed by action (Game.NumActions entries); an illegal
// action scores Full. st is left unchanged.
func (s *Generic) Analyze(st game.State) []int {
	out := make([]int, s.g.NumActions())
	for a := range out {
		out[a] = Full
		if over, _ := st.Terminal(); over || !st.IsLegal(game.Action(a)) {
			continue
		}
		st.Play(game.Action(a))
		out[a] = -s.Solve(st)
		st.Undo(game.Action(a))
	}
	return out
}

// Decide plays a move within b (nodes, time) and ctx: with enough budget
// — an unlimited Budget always — a strictly optimal move, the legal action
// with the best exact score (the fastest win, else a draw, else the
// slowest loss), the lowest numbered among equals; when the budget runs
// out first, the best move the search has justified (see Search), counted
// in Cost.CutShort. The cost reports the nodes searched and the wall time.
// It returns ctx.Err() for a cancelled context and ErrGameOver for a
// finished game. st is left unchanged.
func (s *Generic) Decide(ctx context.Context, st game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	var r Result
	root, err := s.search(ctx, st, b, &r)
	if err != nil {
		return 0, r.Cost, err
	}
	return root[bestRoot(root, false)].a, r.Cost, nil
}

// Search finds the best move of st within b and ctx and says what it
// proved, as Solver.Search does for connect four: the sign of each move
// first, then their exact order, by null-window searches at the root,
// until the best move is proven; when the budget runs out, the move with
// the best proven lower bound (then upper bound, then the lowest action).
// It searches a copy of st, which is left unchanged.
func (s *Generic) Search(ctx context.Context, st game.State, b argmax.Budget) (Result, error) {
	var r Result
	root, err := s.search(ctx, st, b, &r)
	if root != nil {
		rootResult(&r, root, s.g.NumActions())
	}
	return r, err
}

// search runs Search and returns the root moves in action order, with r's
// Status and Cost set.
func (s *Generic) search(ctx context.Context, st game.State, b argmax.Budget, r *Result) ([]rootMove, error) {
	r.Action = -1
	if over, _ := st.Terminal(); over {
		return nil, fmt.Errorf("alphabeta: position %q: %w", st.String(), ErrGameOver)
	}
	start, err := s.begin(ctx, b)
	if err != nil {
		return nil, err
	}
	defer s.disarm()
	n0 := s.nodes
	// A stopped search unwinds with moves still played: search a copy.
	st = st.Clone()
	var root []rootMove
	ply := st.Ply()
	for _, a := range st.Legal(nil) {
		st.Play(a)
		// Bounds before any search: the score of a finished game, else
		// the child's bounds of negamax, negated.
		lo, hi := -(s.maxPlies - ply - 1), s.maxPlies-ply-2
		if over, o := st.Terminal(); over {
			s.nodes++
			lo = -s.terminalScore(st, o)
			hi = lo
		}
		st.Undo(a)
		root = append(root, rootMove{a: a, lo: lo, hi: hi})
	}
	probe := func(i, v int) int {
		st.Play(root[i].a)
		r := -s.negamax(st, -v-1, -v)
		st.Undo(root[i].a)
		return r
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
