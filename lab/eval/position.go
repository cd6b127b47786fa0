package eval

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/connect4/positions"
	"argmax/game/tictactoe"
)

// Illegal is the score of an action that cannot be played.
const Illegal = math.MinInt32

// Position is a position with the exact score of every action, the truth
// decisions are scored against. Scores follow the negamax convention (the
// side to move's view: positive wins, larger sooner; zero draws; negative
// loses), one entry per action of the game, Illegal for actions that
// cannot be played. A Position is shared read-only: the harness never
// plays on State, it gives deciders a clone.
type Position struct {
	State  game.State
	Scores []int
}

// String returns the position in its game's notation.
func (p Position) String() string { return p.State.String() }

// Legal reports whether a is a legal action with a score.
func (p Position) Legal(a game.Action) bool {
	return a >= 0 && int(a) < len(p.Scores) && p.Scores[a] != Illegal
}

// Best returns the best score over the legal actions (Illegal if there is
// none).
func (p Position) Best() int {
	best := Illegal
	for _, s := range p.Scores {
		if s != Illegal && s > best {
			best = s
		}
	}
	return best
}

// Optimal reports whether a keeps the position's game-theoretic value: it
// is legal and its score has the sign (win, draw, loss) of the best score.
func (p Position) Optimal(a game.Action) bool {
	return p.Legal(a) && game.ScoreOutcome(p.Scores[a]) == game.ScoreOutcome(p.Best())
}

// Strict reports whether a is strictly optimal: legal with the best score
// (the fastest win, the slowest loss).
func (p Position) Strict(a game.Action) bool {
	return p.Legal(a) && p.Scores[a] == p.Best()
}

// Critical reports whether some legal action loses the value: a position
// where the choice matters.
func (p Position) Critical() bool {
	for a := range p.Scores {
		if p.Legal(game.Action(a)) && !p.Optimal(game.Action(a)) {
			return true
		}
	}
	return false
}

// Check returns an error naming p if it has no state, no legal action, or
// scores that disagree with its state about which actions are legal. The
// harness checks every position before a run; adapters from other
// position files can check theirs when they read them.
func (p Position) Check() error {
	if p.State == nil {
		return fmt.Errorf("position with no state")
	}
	n := 0
	for a := range p.Scores {
		if p.Legal(game.Action(a)) != p.State.IsLegal(game.Action(a)) {
			return fmt.Errorf("position %q: action %d is legal %v, but has score %d", p.State.String(), a, p.State.IsLegal(game.Action(a)), p.Scores[a])
		}
		if p.Legal(game.Action(a)) {
			n++
		}
	}
	if n == 0 {
		return fmt.Errorf("position %q: no legal action", p.State.String())
	}
	return nil
}

// FromCalibration converts connect-four reference positions
// (game/connect4/calibration) to Positions, in order; calibration.Full
// becomes Illegal. The error names a position that does not parse or
// whose scores contradict its legal moves.
func FromCalibration(cps []calibration.Position) ([]Position, error) {
	out := make([]Position, 0, len(cps))
	for _, cp := range cps {
		st, err := connect4.Parse(cp.Moves)
		if err != nil {
			return nil, fmt.Errorf("calibration position %q: %w", cp.Moves, err)
		}
		p := Position{State: st, Scores: make([]int, len(cp.Scores))}
		for a, s := range cp.Scores {
			if s == calibration.Full {
				s = Illegal
			}
			p.Scores[a] = s
		}
		if err := p.Check(); err != nil {
			return nil, fmt.Errorf("calibration: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// FromSet converts positions of a game/connect4/positions set to
// Positions, in order; a full column becomes Illegal.
func FromSet(name string, src []positions.Position) ([]Position, error) {
	out := make([]Position, len(src))
	for i, sp := range src {
		st, err := sp.State()
		if err != nil {
			return nil, fmt.Errorf("set %s: %w", name, err)
		}
		p := Position{State: st, Scores: make([]int, len(sp.Scores))}
		for a, s := range sp.Scores {
			if s == positions.Full {
				s = Illegal
			}
			p.Scores[a] = s
		}
		if err := p.Check(); err != nil {
			return nil, fmt.Errorf("set %s: %w", name, err)
		}
		out[i] = p
	}
	return out, nil
}

// SetNames lists the position sets Set knows: the connect-four sets of
// game/connect4/positions, the calibration file by phase
// (calibration-beginning, calibration-middle, calibration-end,
// calibration) and every tic-tac-toe position (tictactoe).
func SetNames() []string {
	names := append([]string(nil), positions.Names()...)
	return append(names, "calibration-beginning", "calibration-middle", "calibration-end", "calibration", "tictactoe")
}

// Set returns the positions of a named set (SetNames) and its game's name.
func Set(name string) ([]Position, string, error) {
	switch name {
	case "tictactoe":
		return TicTacToe(), "tictactoe", nil
	case "calibration":
		return Calibration(), "connect4", nil
	}
	if ph, ok := strings.CutPrefix(name, "calibration-"); ok {
		for _, p := range []calibration.Phase{calibration.Beginning, calibration.Middle, calibration.End} {
			if string(p) == ph {
				return Calibration(p), "connect4", nil
			}
		}
	}
	if !slices.Contains(positions.Names(), name) {
		return nil, "", fmt.Errorf("position set %q: unknown (known: %s)", name, strings.Join(SetNames(), ", "))
	}
	src, err := positions.Set(name)
	if err != nil {
		return nil, "", err
	}
	ps, err := FromSet(name, src)
	return ps, "connect4", err
}

// Calibration returns the connect-four calibration file's positions of the
// given phases (every position when none is given), in file order.
func Calibration(phases ...calibration.Phase) []Position {
	var cps []calibration.Position
	for _, cp := range calibration.All() {
		if len(phases) == 0 || slices.Contains(phases, cp.Phase()) {
			cps = append(cps, cp)
		}
	}
	ps, err := FromCalibration(cps)
	if err != nil {
		panic("eval: embedded calibration file: " + err.Error())
	}
	return ps
}

var ticTacToe = sync.OnceValue(func() []Position {
	solver := alphabeta.NewGeneric(tictactoe.Game{})
	seen := map[uint64]bool{}
	var out []Position
	var walk func(s game.State)
	walk = func(s game.State) {
		if seen[s.Key()] {
			return
		}
		seen[s.Key()] = true
		if over, _ := s.Terminal(); over {
			return
		}
		scores := solver.Analyze(s)
		for a, v := range scores {
			if v == alphabeta.Full {
				scores[a] = Illegal
			}
		}
		out = append(out, Position{State: s.Clone(), Scores: scores})
		for _, a := range s.Legal(nil) {
			s.Play(a)
			walk(s)
			s.Undo(a)
		}
	}
	walk(tictactoe.New())
	return out
})

// TicTacToe returns every non-terminal tic-tac-toe position reachable from
// the empty board (4,520, each once whatever the move order reaching it)
// with the exact score of each cell from alphabeta.Generic (a win scores
// 10 minus the ply it is completed at, a loss the opposite; see
// alphabeta.Generic). The order is deterministic: depth first from the
// empty board, cells in increasing order. Each call returns fresh copies.
func TicTacToe() []Position {
	src := ticTacToe()
	out := make([]Position, len(src))
	for i, p := range src {
		out[i] = Position{State: p.State.Clone(), Scores: slices.Clone(p.Scores)}
	}
	return out
}

// Split divides ps into disjoint training and held-out parts by position
// key, so that a position reached by two move orders never lands on both
// sides: the distinct keys are sorted, shuffled with seed, and the first
// round(heldOut × keys) of them are held out. Both parts keep the order of
// ps. heldOut must lie in [0, 1].
func Split(ps []Position, heldOut float64, seed uint64) (train, held []Position, err error) {
	if !(heldOut >= 0 && heldOut <= 1) {
		return nil, nil, fmt.Errorf("eval.Split: held-out share %v: want a value in [0, 1]", heldOut)
	}
	var keys []uint64
	seen := map[uint64]bool{}
	for _, p := range ps {
		if k := p.State.Key(); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, cmp.Compare[uint64])
	rng := rand.New(rand.NewPCG(seed, 0x5eed5))
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	out := map[uint64]bool{}
	for _, k := range keys[:int(math.Round(heldOut*float64(len(keys))))] {
		out[k] = true
	}
	for _, p := range ps {
		if out[p.State.Key()] {
			held = append(held, p)
		} else {
			train = append(train, p)
		}
	}
	return train, held, nil
}

// UniformShare returns the exact expected optimal and strictly optimal
// shares of a uniformly random legal move on ps: the mean over positions
// of the fraction of legal moves that are optimal (strictly optimal). It
// is the random baseline beside every accuracy.
func UniformShare(ps []Position) (optimal, strict float64) {
	if len(ps) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, p := range ps {
		var legal, opt, str int
		for a := range p.Scores {
			if p.Legal(game.Action(a)) {
				legal++
				if p.Optimal(game.Action(a)) {
					opt++
				}
				if p.Strict(game.Action(a)) {
					str++
				}
			}
		}
		if legal > 0 {
			optimal += float64(opt) / float64(legal)
			strict += float64(str) / float64(legal)
		}
	}
	n := float64(len(ps))
	return optimal / n, strict / n
}
