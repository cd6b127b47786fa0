package claims

import (
	"math/rand/v2"
	"slices"
	"sync"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

// scored is a position with the exact score of every action (the
// calibration convention: positive wins, the larger the sooner; illegal
// actions score illegal). Scored positions are shared by trials running in
// parallel: never play on state, play on a Clone.
type scored struct {
	notation string
	state    game.State
	scores   []int
	best     int
}

const illegal = -1000

// optimal reports whether action a keeps the position's game-theoretic
// value (same sign of score as the best move): the headline accuracy of
// DESIGN.md.
func (p *scored) optimal(a game.Action) bool {
	s := p.scores[a]
	return s != illegal && game.ScoreOutcome(s) == game.ScoreOutcome(p.best)
}

// strict reports whether a has the best score (fastest win, slowest loss).
func (p *scored) strict(a game.Action) bool { return p.scores[a] == p.best }

// critical reports whether some legal move is not optimal: positions where
// choosing matters.
func (p *scored) critical() bool {
	for _, s := range p.scores {
		if s != illegal && game.ScoreOutcome(s) != game.ScoreOutcome(p.best) {
			return true
		}
	}
	return false
}

// bestAction returns the strictly optimal action with the lowest index: a
// deterministic optimal demonstrator.
func (p *scored) bestAction() game.Action {
	for a, s := range p.scores {
		if s == p.best {
			return game.Action(a)
		}
	}
	return -1
}

// tttSolution holds the exact score of every move of every non-terminal
// tic-tac-toe position, computed once by a memoized negamax over the whole
// game (5,478 positions). Scores follow the calibration convention: a win
// scores 10 minus the plies of the game, a loss its negative, a draw 0.
type tttSolution struct {
	positions []*scored          // non-terminal positions, in depth-first discovery order
	byKey     map[uint64]*scored // every non-terminal position by key
	value     map[uint64]int     // score of every position (terminal ones included) for the side to move
}

var (
	tttOnce sync.Once
	tttSol  *tttSolution
)

// tictactoeSolution returns the exact solution of tic-tac-toe.
func tictactoeSolution() *tttSolution {
	tttOnce.Do(func() {
		sol := &tttSolution{byKey: map[uint64]*scored{}, value: map[uint64]int{}}
		var solve func(s game.State) int
		solve = func(s game.State) int {
			k := s.Key()
			if v, ok := sol.value[k]; ok {
				return v
			}
			if over, out := s.Terminal(); over {
				v := 0
				if out == game.Loss {
					v = -(10 - s.Ply())
				} else if out == game.Win {
					v = 10 - s.Ply()
				}
				sol.value[k] = v
				return v
			}
			p := &scored{notation: s.String(), state: s.Clone(), scores: make([]int, tictactoe.Cells), best: illegal}
			for i := range p.scores {
				p.scores[i] = illegal
			}
			sol.byKey[k] = p
			sol.positions = append(sol.positions, p)
			var buf [tictactoe.Cells]game.Action
			for _, a := range s.Legal(buf[:0]) {
				s.Play(a)
				v := -solve(s)
				s.Undo(a)
				p.scores[a] = v
				p.best = max(p.best, v)
			}
			sol.value[k] = p.best
			return p.best
		}
		solve(tictactoe.New())
		tttSol = sol
	})
	return tttSol
}

// connect4Positions returns the calibration positions of the given phases
// as scored positions.
func connect4Positions(phases ...calibration.Phase) []*scored {
	var out []*scored
	for _, ph := range phases {
		for _, cp := range calibration.Of(ph) {
			st, err := connect4.Parse(cp.Moves)
			if err != nil {
				panic("claims: calibration position " + cp.Moves + ": " + err.Error())
			}
			p := &scored{notation: cp.Moves, state: st, scores: cp.Scores[:], best: cp.Best()}
			out = append(out, p)
		}
	}
	return out
}

// sample returns n positions drawn without replacement (all of them, in a
// shuffled order, if n >= len(ps) or n <= 0).
func sample(ps []*scored, n int, rng *rand.Rand) []*scored {
	idx := rng.Perm(len(ps))
	if n <= 0 || n > len(ps) {
		n = len(ps)
	}
	out := make([]*scored, n)
	for i := range out {
		out[i] = ps[idx[i]]
	}
	return out
}

// gameByName returns a game and its exact-score lookup for the positions
// used to score moves.
func gameByName(name string) game.Game {
	switch name {
	case "tictactoe":
		return tictactoe.Game{}
	case "connect4":
		return connect4.Game{}
	}
	panic("claims: unknown game " + name)
}

// depthLimited is a suboptimal demonstrator: negamax to a fixed depth with
// unknown positions at the horizon scored as draws, ties broken towards the
// lowest action. At depth 2 it takes immediate wins and blocks immediate
// threats but plans nothing further.
type depthLimited struct{ depth int }

func (d depthLimited) move(s game.State) game.Action {
	var buf [16]game.Action
	best, bestV := game.Action(-1), -1<<30
	for _, a := range s.Legal(buf[:0]) {
		s.Play(a)
		v := -d.search(s, d.depth-1)
		s.Undo(a)
		if v > bestV {
			best, bestV = a, v
		}
	}
	return best
}

func (d depthLimited) search(s game.State, depth int) int {
	if over, out := s.Terminal(); over {
		switch out {
		case game.Win:
			return 100 - s.Ply()
		case game.Loss:
			return -(100 - s.Ply())
		}
		return 0
	}
	if depth <= 0 {
		return 0
	}
	var buf [16]game.Action
	best := -1 << 30
	for _, a := range s.Legal(buf[:0]) {
		s.Play(a)
		best = max(best, -d.search(s, depth-1))
		s.Undo(a)
	}
	return best
}

// example is one labelled position of a demonstration data set.
type example struct {
	key    uint64
	state  game.State
	action game.Action
}

// demonstrations plays n games from the initial position in which, at each
// ply, the player follows the demonstrator except with probability explore,
// when it plays a uniformly random legal move; every visited non-terminal
// position is labelled with the demonstrator's move. Exploration spreads the
// data over positions a pure demonstrator never reaches.
func demonstrations(g game.Game, demo func(game.State) game.Action, n int, explore float64, rng *rand.Rand) []example {
	var out []example
	var buf [16]game.Action
	for i := 0; i < n; i++ {
		s := g.New()
		for {
			if over, _ := s.Terminal(); over {
				break
			}
			label := demo(s)
			out = append(out, example{key: s.Key(), state: s.Clone(), action: label})
			a := label
			if rng.Float64() < explore {
				legal := s.Legal(buf[:0])
				a = legal[rng.IntN(len(legal))]
			}
			s.Play(a)
		}
	}
	return out
}

// tabular is the simplest amortized policy: a table from position key to
// the counts of the labels seen there. It answers with one lookup: the most
// frequent label (ties to the lowest action), or, for a position it never
// saw, a uniformly random legal move. It cannot generalize beyond its data.
type tabular struct {
	actions int
	counts  map[uint64][]float32
}

func newTabular(actions int) *tabular {
	return &tabular{actions: actions, counts: map[uint64][]float32{}}
}

func (t *tabular) fit(data []example) {
	for _, e := range data {
		c := t.counts[e.key]
		if c == nil {
			c = make([]float32, t.actions)
			t.counts[e.key] = c
		}
		c[e.action]++
	}
}

// known reports whether the position was in the data.
func (t *tabular) known(s game.State) bool { _, ok := t.counts[s.Key()]; return ok }

func (t *tabular) move(s game.State, rng *rand.Rand) game.Action {
	if c, ok := t.counts[s.Key()]; ok {
		return game.Action(argmax32(c))
	}
	var buf [16]game.Action
	legal := s.Legal(buf[:0])
	return legal[rng.IntN(len(legal))]
}

// prior writes the policy's distribution over legal (label frequencies
// smoothed by one pseudo-count per move; uniform when unseen).
func (t *tabular) prior(s game.State, legal []game.Action, dst []float32) {
	c := t.counts[s.Key()]
	sum := float32(0)
	for i, a := range legal {
		v := float32(1)
		if c != nil {
			v += c[a]
		}
		dst[i] = v
		sum += v
	}
	for i := range legal {
		dst[i] /= sum
	}
}

func argmax32(xs []float32) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// keysOf returns the distinct keys of the data, sorted.
func keysOf(data []example) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, e := range data {
		if !seen[e.key] {
			seen[e.key] = true
			out = append(out, e.key)
		}
	}
	slices.Sort(out)
	return out
}
