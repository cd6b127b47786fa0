// Package connect4 is connect four on the standard 7-column, 6-row board as a
// bitboard: the simple domain on which the exact solver (direct/alphabeta),
// MCTS (direct/mcts) and learned policies are compared.
//
// A position is two 64-bit masks. Column c occupies bits 7c..7c+6 (row 0 at
// the bottom, bit 7c+6 a sentinel that is always empty), so a move is one
// addition and a four-in-a-row is a few shifts and ands. The notation is the
// standard one: the sequence of 1-based columns played ("4453").
package connect4

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"

	"argmax/game"
)

// Board dimensions.
const (
	Width  = 7
	Height = 6
	// Cells is the number of cells, the longest possible game in plies.
	Cells = Width * Height
)

// Masks of the bitboard layout.
const (
	// BottomMask has the bottom cell of every column.
	BottomMask uint64 = 1 | 1<<7 | 1<<14 | 1<<21 | 1<<28 | 1<<35 | 1<<42
	// BoardMask has every playable cell.
	BoardMask uint64 = BottomMask * (1<<Height - 1)
	// TopMask has the top cell of every column.
	TopMask uint64 = BottomMask << (Height - 1)
)

// ColumnMask returns the cells of column c.
func ColumnMask(c int) uint64 { return (1<<Height - 1) << (uint(c) * (Height + 1)) }

// Game is connect four's rules; its zero value is ready to use.
type Game struct{}

var _ game.Game = Game{}

// Name returns "connect4".
func (Game) Name() string { return "connect4" }

// New returns the empty board.
func (Game) New() game.State { return New() }

// Parse reads a position in the standard notation.
func (Game) Parse(notation string) (game.State, error) {
	s, err := Parse(notation)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// NumActions returns 7, one action per column.
func (Game) NumActions() int { return Width }

// MaxPlies returns 42.
func (Game) MaxPlies() int { return Cells }

// Shape returns the observation shape of State.Encode: 2 planes of 6×7.
func (Game) Shape() (planes, rows, cols int) { return 2, Height, Width }

// State is a connect-four position. The zero value is not valid; use New or
// Parse. A State is a small value: copying it copies the position.
type State struct {
	current uint64 // stones of the player to move
	mask    uint64 // all stones
	moves   int8   // plies played
	won     bool   // the last move made four in a row
	history [Cells]int8
}

var (
	_ game.State           = (*State)(nil)
	_ game.RandomPlayouter = (*State)(nil)
)

// New returns the empty board.
func New() *State { return &State{} }

// Parse reads the standard notation: the 1-based columns played from the
// empty board, e.g. "4453". The empty string is the empty board. The error
// names the offending character and why it is wrong (not a column, column
// full, game already over).
func Parse(notation string) (*State, error) {
	s := New()
	if err := game.ParseMoves(s, notation, Width); err != nil {
		return nil, fmt.Errorf("connect4 position %q: %w", notation, err)
	}
	return s, nil
}

// Player returns 0 when the first player is to move, 1 otherwise.
func (s *State) Player() int { return int(s.moves & 1) }

// Ply returns the number of moves played.
func (s *State) Ply() int { return int(s.moves) }

// Current returns the stones of the player to move.
func (s *State) Current() uint64 { return s.current }

// Mask returns all stones on the board.
func (s *State) Mask() uint64 { return s.mask }

// Opponent returns the stones of the player who moved last.
func (s *State) Opponent() uint64 { return s.current ^ s.mask }

// CanPlay reports whether column c is not full (it ignores whether the game
// is over; see IsLegal).
func (s *State) CanPlay(c int) bool { return s.mask&TopMask&ColumnMask(c) == 0 }

// Possible returns, for every column that is not full, its lowest empty cell.
func (s *State) Possible() uint64 { return (s.mask + BottomMask) & BoardMask }

// IsWinningMove reports whether playing column c (which must be playable)
// makes four in a row for the player to move.
func (s *State) IsWinningMove(c int) bool {
	return WinningCells(s.current, s.mask)&s.Possible()&ColumnMask(c) != 0
}

// Legal appends the columns that can be played to dst[:0]; none once the
// game is over.
func (s *State) Legal(dst []game.Action) []game.Action {
	dst = dst[:0]
	if s.won || s.moves == Cells {
		return dst
	}
	for c := 0; c < Width; c++ {
		if s.CanPlay(c) {
			dst = append(dst, game.Action(c))
		}
	}
	return dst
}

// IsLegal reports whether column a may be played now.
func (s *State) IsLegal(a game.Action) bool {
	return a >= 0 && a < Width && !s.won && s.CanPlay(int(a))
}

// Play drops a stone of the player to move in column a, which must be legal.
func (s *State) Play(a game.Action) {
	move := (s.mask + BottomMask&ColumnMask(int(a))) & ColumnMask(int(a))
	s.playMask(move)
	s.history[s.moves-1] = int8(a)
}

// playMask plays the move given as the one-bit mask of the cell it fills.
func (s *State) playMask(move uint64) {
	s.current ^= s.mask
	s.mask |= move
	s.moves++
	s.won = Aligned(s.current ^ s.mask)
}

// undoMask takes back the last move given as the mask of its cell.
func (s *State) undoMask(move uint64) {
	s.mask ^= move
	s.current ^= s.mask
	s.moves--
	s.won = false
}

// Undo takes back column a, which must be the last move played.
func (s *State) Undo(a game.Action) {
	col := s.mask & ColumnMask(int(a))
	top := uint64(1) << (63 - bits.LeadingZeros64(col))
	s.undoMask(top)
	s.history[s.moves] = 0
}

// Terminal reports whether the game is over: the player to move has lost
// (the last move made four) or the board is full (a draw).
func (s *State) Terminal() (bool, game.Outcome) {
	if s.won {
		return true, game.Loss
	}
	if s.moves == Cells {
		return true, game.Draw
	}
	return false, game.Draw
}

// RawKey returns current+mask, a unique 49-bit code of the position (the
// same for every move order that reaches it).
func (s *State) RawKey() uint64 { return s.current + s.mask }

// Key returns a well-mixed hash of the position, unique per position.
func (s *State) Key() uint64 { return game.Mix64(s.RawKey()) }

// Encode writes 2 planes of 6×7 into dst (len ≥ 84): plane 0 holds the
// stones of the player to move, plane 1 the opponent's; row 0 is the top
// row, as rendered by Board.
func (s *State) Encode(dst []float32) {
	dst = dst[:2*Cells]
	opp := s.current ^ s.mask
	for r := 0; r < Height; r++ {
		row := Height - 1 - r
		for c := 0; c < Width; c++ {
			bit := uint64(1) << (c*(Height+1) + row)
			i := r*Width + c
			dst[i], dst[Cells+i] = 0, 0
			if s.current&bit != 0 {
				dst[i] = 1
			} else if opp&bit != 0 {
				dst[Cells+i] = 1
			}
		}
	}
}

// Clone returns an independent copy.
func (s *State) Clone() game.State { c := *s; return &c }

// String returns the moves played in the standard notation.
func (s *State) String() string {
	var b strings.Builder
	for i := 0; i < int(s.moves); i++ {
		b.WriteByte(byte('1' + s.history[i]))
	}
	return b.String()
}

// Board renders the position: X for the first player, O for the second, the
// top row first, with column numbers beneath.
func (s *State) Board() string {
	first, second := s.current, s.current^s.mask
	if s.moves&1 == 1 {
		first, second = second, first
	}
	var b strings.Builder
	for row := Height - 1; row >= 0; row-- {
		b.WriteString("|")
		for c := 0; c < Width; c++ {
			bit := uint64(1) << (c*(Height+1) + row)
			switch {
			case first&bit != 0:
				b.WriteString(" X")
			case second&bit != 0:
				b.WriteString(" O")
			default:
				b.WriteString(" .")
			}
		}
		b.WriteString(" |\n")
	}
	b.WriteString("  1 2 3 4 5 6 7\n")
	return b.String()
}

// Aligned reports whether stones holds four in a row in any direction.
func Aligned(stones uint64) bool {
	m := stones & (stones >> (Height + 1)) // horizontal
	if m&(m>>(2*(Height+1))) != 0 {
		return true
	}
	m = stones & (stones >> Height) // diagonal \
	if m&(m>>(2*Height)) != 0 {
		return true
	}
	m = stones & (stones >> (Height + 2)) // diagonal /
	if m&(m>>(2*(Height+2))) != 0 {
		return true
	}
	m = stones & (stones >> 1) // vertical
	return m&(m>>2) != 0
}

// WinningCells returns the empty cells (playable now or not) that would
// complete four in a row for the owner of stones, given all stones in mask.
func WinningCells(stones, mask uint64) uint64 {
	// vertical: three stacked stones below the cell
	r := (stones << 1) & (stones << 2) & (stones << 3)
	for _, d := range [3]uint{Height + 1, Height, Height + 2} {
		p := (stones << d) & (stones << (2 * d))
		r |= p & (stones << (3 * d))
		r |= p & (stones >> d)
		p = (stones >> d) & (stones >> (2 * d))
		r |= p & (stones << d)
		r |= p & (stones >> (3 * d))
	}
	return r & (BoardMask ^ mask)
}

// RandomPlayout plays uniformly random moves until the game ends and returns
// the outcome for the player to move now and the number of moves played; s
// is left unchanged. It draws one number from rng and continues with a fast
// generator seeded from it, so the result is a deterministic function of
// rng's state.
func (s *State) RandomPlayout(rng *rand.Rand) (game.Outcome, int) {
	if s.won {
		return game.Loss, 0
	}
	x := game.SplitMix(rng.Uint64())
	cur, mask, moves := s.current, s.mask, int(s.moves)
	for moves < Cells {
		possible := (mask + BottomMask) & BoardMask
		k := x.Below(bits.OnesCount64(possible)) // the k-th playable cell, uniformly
		for ; k > 0; k-- {
			possible &= possible - 1
		}
		move := possible & -possible
		cur |= move
		if Aligned(cur) {
			// The mover wins: a loss for the side to move at the start
			// when the mover is the opponent, i.e. an odd number of plies
			// from s.
			if (moves-int(s.moves))&1 == 0 {
				return game.Win, moves - int(s.moves) + 1
			}
			return game.Loss, moves - int(s.moves) + 1
		}
		cur ^= mask | move // switch sides: the new current is the opponent
		mask |= move
		moves++
	}
	return game.Draw, Cells - int(s.moves)
}
