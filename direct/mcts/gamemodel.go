package mcts

import (
	"math/rand/v2"

	"argmax"
	"argmax/game"
)

// GameModel is the Model of a two-player zero-sum game: Step plays the
// move, the discount is always −1 (the next state's value is the
// opponent's) and the reward is 0 until the move that ends the game,
// which earns its mover +1 for a win, 0 for a draw, −1 for a loss. A
// ModelSearcher over it searches the game as Searcher does, without the
// solver, reuse and threads of that fast path. Step plays on the state
// it is given (the search gives it clones). It is a LegalModel.
type GameModel struct {
	g     game.Game
	moves []game.Action
}

var (
	_ Model[game.State]      = (*GameModel)(nil)
	_ LegalModel[game.State] = (*GameModel)(nil)
)

// NewGameModel returns the model of g's positions.
func NewGameModel(g game.Game) *GameModel { return &GameModel{g: g} }

// NumActions is the game's number of actions.
func (m *GameModel) NumActions() int { return m.g.NumActions() }

// Legal appends the legal moves of s to dst[:0].
func (m *GameModel) Legal(s game.State, dst []int) []int {
	m.moves = s.Legal(m.moves[:0])
	dst = dst[:0]
	for _, a := range m.moves {
		dst = append(dst, int(a))
	}
	return dst
}

// Step plays a on s and returns s: reward −outcome for the player to move
// after a (so +1 when a wins) if the game is over, else 0; discount −1.
func (m *GameModel) Step(s game.State, a int) (reward, discount float64, next game.State, terminal bool) {
	s.Play(game.Action(a))
	if over, o := s.Terminal(); over {
		return -float64(o), -1, s, true
	}
	return 0, -1, s, false
}

// Clone returns a copy of s.
func (m *GameModel) Clone(s game.State) game.State { return s.Clone() }

// GameRollouts is a StateEvaluator for game states: the mean outcome of N
// uniformly random playouts to the end of the game (0 means 1), through
// game.RandomPlayouter when the state implements it (as Rollouts does for
// Searcher), with uniform priors. Playing to the end is what
// StateRollouts over a GameModel does too, step by step and slower.
type GameRollouts struct {
	N int

	generic Rollouts // the scratch of the playout loop over Legal, Play and Undo
}

var _ StateEvaluator[game.State] = (*GameRollouts)(nil)

// Evaluate writes the mean playout outcome of each state for its player
// to move, and uniform priors; its cost is the playouts (Samples) and
// their moves (Steps).
func (r *GameRollouts) Evaluate(states []game.State, rng *rand.Rand, values []float64, priors []float32) (argmax.Cost, error) {
	n := max(r.N, 1)
	var c argmax.Cost
	for j := range priors { // uniform: the search normalizes over the legal moves
		priors[j] = 1
	}
	for i, s := range states {
		sum := 0
		rp, fast := s.(game.RandomPlayouter)
		for range n {
			var o game.Outcome
			var plies int
			if fast {
				o, plies = rp.RandomPlayout(rng)
			} else {
				o, plies = r.generic.playout(s, rng) // Play then Undo: s is left as it was
			}
			sum += int(o)
			c.Steps += int64(plies)
		}
		values[i] = float64(sum) / float64(n)
		c.Samples += int64(n)
	}
	return c, nil
}
