// Package tictactoe is tic-tac-toe as a bitboard: the smallest simple domain,
// small enough to solve completely, on which search and learned policies can
// be checked against the exact game value of every position.
//
// Cells are numbered 0..8 row by row from the top left; the notation is the
// sequence of 1-based cells played ("5193").
package tictactoe

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"

	"argmax/game"
)

// Cells is the number of cells, the longest possible game in plies.
const Cells = 9

const full = 1<<Cells - 1

// lines are the eight winning lines as 9-bit masks.
var lines = [8]uint16{
	0007, 0070, 0700, // rows
	0111, 0222, 0444, // columns
	0421, 0124, // diagonals
}

// Game is tic-tac-toe's rules; its zero value is ready to use.
type Game struct{}

var _ game.Game = Game{}

// Name returns "tictactoe".
func (Game) Name() string { return "tictactoe" }

// New returns the empty board.
func (Game) New() game.State { return New() }

// Parse reads a position in the 1-based cell notation.
func (Game) Parse(notation string) (game.State, error) {
	s, err := Parse(notation)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// NumActions returns 9, one action per cell.
func (Game) NumActions() int { return Cells }

// MaxPlies returns 9.
func (Game) MaxPlies() int { return Cells }

// Shape returns the observation shape of State.Encode: 2 planes of 3×3.
func (Game) Shape() (planes, rows, cols int) { return 2, 3, 3 }

// State is a tic-tac-toe position; copying it copies the position.
type State struct {
	stones  [2]uint16 // stones of the first and second player
	moves   int8
	won     bool // the last move completed a line
	history [Cells]int8
}

var (
	_ game.State           = (*State)(nil)
	_ game.RandomPlayouter = (*State)(nil)
)

// New returns the empty board.
func New() *State { return &State{} }

// Parse reads the 1-based cells played from the empty board, e.g. "5193".
// The error names the offending character and why it is wrong.
func Parse(notation string) (*State, error) {
	s := New()
	if err := game.ParseMoves(s, notation, Cells); err != nil {
		return nil, fmt.Errorf("tictactoe position %q: %w", notation, err)
	}
	return s, nil
}

// Player returns 0 when X (the first player) is to move, 1 for O.
func (s *State) Player() int { return int(s.moves & 1) }

// Ply returns the number of moves played.
func (s *State) Ply() int { return int(s.moves) }

func (s *State) empty() uint16 { return full &^ (s.stones[0] | s.stones[1]) }

// Legal appends the empty cells to dst[:0]; none once the game is over.
func (s *State) Legal(dst []game.Action) []game.Action {
	dst = dst[:0]
	if s.won {
		return dst
	}
	for e := s.empty(); e != 0; e &= e - 1 {
		dst = append(dst, game.Action(bits.TrailingZeros16(e)))
	}
	return dst
}

// IsLegal reports whether cell a may be played now.
func (s *State) IsLegal(a game.Action) bool {
	return a >= 0 && a < Cells && !s.won && s.empty()&(1<<a) != 0
}

// Play marks cell a for the player to move; a must be legal.
func (s *State) Play(a game.Action) {
	p := s.moves & 1
	s.stones[p] |= 1 << a
	s.won = completes(s.stones[p])
	s.history[s.moves] = int8(a)
	s.moves++
}

// Undo takes back cell a, which must be the last move played.
func (s *State) Undo(a game.Action) {
	s.moves--
	s.stones[s.moves&1] &^= 1 << a
	s.won = false
}

func completes(stones uint16) bool {
	for _, l := range lines {
		if stones&l == l {
			return true
		}
	}
	return false
}

// Terminal reports whether the game is over and the outcome for the player
// to move: a loss when the last move completed a line, a draw on a full
// board.
func (s *State) Terminal() (bool, game.Outcome) {
	if s.won {
		return true, game.Loss
	}
	if s.moves == Cells {
		return true, game.Draw
	}
	return false, game.Draw
}

// Key returns a hash of the position, unique per position.
func (s *State) Key() uint64 {
	return game.Mix64(uint64(s.stones[0]) | uint64(s.stones[1])<<Cells)
}

// Encode writes 2 planes of 3×3 into dst (len ≥ 18): plane 0 holds the
// stones of the player to move, plane 1 the opponent's.
func (s *State) Encode(dst []float32) {
	dst = dst[:2*Cells]
	me, opp := s.stones[s.moves&1], s.stones[1-s.moves&1]
	for i := 0; i < Cells; i++ {
		dst[i] = float32(me >> i & 1)
		dst[Cells+i] = float32(opp >> i & 1)
	}
}

// Clone returns an independent copy.
func (s *State) Clone() game.State { c := *s; return &c }

// String returns the cells played, 1-based, in order.
func (s *State) String() string {
	var b strings.Builder
	for i := 0; i < int(s.moves); i++ {
		b.WriteByte(byte('1' + s.history[i]))
	}
	return b.String()
}

// Board renders the position with X, O and the numbers of the empty cells.
func (s *State) Board() string {
	var b strings.Builder
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			i := r*3 + c
			switch {
			case s.stones[0]&(1<<i) != 0:
				b.WriteString(" X")
			case s.stones[1]&(1<<i) != 0:
				b.WriteString(" O")
			default:
				fmt.Fprintf(&b, " %d", i+1)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// RandomPlayout plays uniformly random moves to the end and returns the
// outcome for the player to move now and the number of moves played; s is
// left unchanged. It draws one number from rng and continues with a fast
// generator seeded from it.
func (s *State) RandomPlayout(rng *rand.Rand) (game.Outcome, int) {
	if s.won {
		return game.Loss, 0
	}
	x := game.SplitMix(rng.Uint64())
	st := s.stones
	p := s.moves & 1
	for m := s.moves; m < Cells; m++ {
		e := full &^ (st[0] | st[1])
		k := x.Below(bits.OnesCount16(e)) // the k-th empty cell, uniformly
		for ; k > 0; k-- {
			e &= e - 1
		}
		st[p] |= e & -e
		if completes(st[p]) {
			if (m-s.moves)&1 == 0 {
				return game.Win, int(m-s.moves) + 1
			}
			return game.Loss, int(m-s.moves) + 1
		}
		p ^= 1
	}
	return game.Draw, int(Cells - s.moves)
}
