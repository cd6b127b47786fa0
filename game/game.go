// Package game is the contract for turn-based, two-player, zero-sum games with
// perfect information — the simple domains on which direct optimizers (alpha-beta,
// MCTS) and amortized ones (policy/value nets) are compared.
//
// A Game describes the rules and creates States; a State is one position,
// mutated in place by Play and restored by Undo so that search needs no
// allocation; a Decider chooses moves under a Budget. Concrete games live in
// subpackages (tictactoe, connect4).
//
// Outcomes and scores follow the negamax convention: they are always from
// the point of view of the player to move.
package game

import (
	"context"
	"math/rand/v2"

	"argmax"
)

// Action is a move, numbered 0..Game.NumActions()-1 (connect four: the
// 0-based column; tic-tac-toe: the 0-based cell).
type Action int

// Outcome is the result of a finished game for the player to move in the
// final position: Loss, Draw or Win.
type Outcome int8

// The outcomes of a finished game, for the player to move.
const (
	Loss Outcome = -1
	Draw Outcome = 0
	Win  Outcome = 1
)

// String returns "loss", "draw" or "win".
func (o Outcome) String() string {
	switch o {
	case Loss:
		return "loss"
	case Win:
		return "win"
	}
	return "draw"
}

// Game describes a game's rules and creates its positions.
type Game interface {
	// Name is the short name used on the command line ("connect4").
	Name() string
	// New returns the initial position.
	New() State
	// Parse reads a position in the game's text notation (connect four: the
	// 1-based columns played, "4453"). The error names what is wrong.
	Parse(notation string) (State, error)
	// NumActions is the size of the action space (policy head width).
	NumActions() int
	// MaxPlies is the longest possible game in plies.
	MaxPlies() int
	// Planes, Rows and Cols give the shape of State.Encode's observation.
	Shape() (planes, rows, cols int)
}

// State is one position. It is mutated in place: Play then Undo of the same
// action restores it exactly, which lets search run without allocation.
type State interface {
	// Player is the player to move: 0 (first) or 1 (second).
	Player() int
	// Ply is the number of moves played from the initial position.
	Ply() int
	// Legal appends the legal actions to dst[:0] and returns it; it returns
	// an empty slice in a terminal position.
	Legal(dst []Action) []Action
	// IsLegal reports whether a may be played now.
	IsLegal(a Action) bool
	// Play makes a legal move. Playing an illegal move is undefined.
	Play(a Action)
	// Undo takes back a, which must be the last move played.
	Undo(a Action)
	// Terminal reports whether the game is over and, if so, the outcome for
	// the player to move.
	Terminal() (bool, Outcome)
	// Key is a hash of the position (not of the move order) for
	// transposition tables.
	Key() uint64
	// Encode writes the observation planes (Game.Shape) into dst, from the
	// point of view of the player to move: plane 0 holds that player's
	// stones, plane 1 the opponent's.
	Encode(dst []float32)
	// Clone returns an independent copy.
	Clone() State
	// String returns the position in the game's notation; Game.Parse of it
	// gives back an equal position.
	String() string
	// Board renders the position as text for a terminal.
	Board() string
}

// RandomPlayouter is implemented by states that play a uniformly random game
// to its end faster than a loop over Legal and Play. The state is left
// unchanged; the outcome is for the player to move in the current position,
// and plies is the number of moves the playout made (the model steps it
// cost). MCTS uses it for random-rollout evaluation when present.
type RandomPlayouter interface {
	RandomPlayout(rng *rand.Rand) (o Outcome, plies int)
}

// WinFinder is implemented by states that find cheaply the moves with
// which the side to move wins at once. Search uses it to value a leaf
// exactly one ply before the game ends (hybrid/guided's WinCheck).
type WinFinder interface {
	// WinningMoves appends to dst[:0] the legal moves that end the game
	// with a win for the player to move, and returns it.
	WinningMoves(dst []Action) []Action
}

// Decider is a game bot: it chooses a legal action in a non-terminal
// position within a budget (argmax.Decider). It may Play and Undo on the
// state it is given but must leave it as it found it, and must not keep it
// after returning.
type Decider = argmax.Decider[State, Action]

// Policy is a Decider that also weighs every action (argmax.Distributor):
// Distribution writes one probability per action of the game (NumActions
// entries, 0 for illegal ones).
type Policy interface {
	Decider
	argmax.Distributor[State]
}

// DeciderFunc adapts a function to the Decider contract, for rules that
// keep no state (a random move, a tactical rule) and for tests.
type DeciderFunc func(ctx context.Context, s State, b argmax.Budget) (Action, argmax.Cost, error)

// Decide calls f.
func (f DeciderFunc) Decide(ctx context.Context, s State, b argmax.Budget) (Action, argmax.Cost, error) {
	return f(ctx, s, b)
}

// ScoreOutcome returns the outcome a negamax score stands for: a positive
// score is a Win, zero a Draw, a negative score a Loss.
func ScoreOutcome(score int) Outcome {
	switch {
	case score > 0:
		return Win
	case score < 0:
		return Loss
	}
	return Draw
}
