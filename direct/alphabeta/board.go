package alphabeta

import "argmax/game/connect4"

// The solver's own view of the board: the layout of game/connect4 (column c
// at bits 7c..7c+6, bit 7c+6 a sentinel), with the constants inlined so the
// hot loop needs no calls.
const (
	width  = connect4.Width
	height = connect4.Height
	cells  = connect4.Cells

	bottomMask = connect4.BottomMask
	boardMask  = connect4.BoardMask
)

// colMask returns the cells of column c.
func colMask(c int) uint64 { return (1<<height - 1) << (uint(c) * (height + 1)) }

// winningCells returns the empty cells that would complete four in a row
// for the owner of stones p, given all stones in mask (an unrolled
// equivalent of connect4.WinningCells). In each direction d, with
// A = p & p<<d marking the upper cell of each pair of stones, a cell c
// completes four when c-d, c-2d are a pair (A<<d at c) and c-3d or c+d is a
// stone, or when c+d, c+2d are a pair (A>>2d at c) and c-d or c+3d is.
func winningCells(p, mask uint64) uint64 {
	// vertical: three stones below
	r := (p << 1) & (p << 2) & (p << 3)

	const h, d1, d2 = height + 1, height, height + 2 // horizontal and the diagonals
	a := p & (p << h)
	r |= (a<<h)&(p<<(3*h)|p>>h) | (a>>(2*h))&(p<<h|p>>(3*h))
	a = p & (p << d1)
	r |= (a<<d1)&(p<<(3*d1)|p>>d1) | (a>>(2*d1))&(p<<d1|p>>(3*d1))
	a = p & (p << d2)
	r |= (a<<d2)&(p<<(3*d2)|p>>d2) | (a>>(2*d2))&(p<<d2|p>>(3*d2))

	return r & (boardMask ^ mask)
}

// possible returns the lowest empty cell of every column that is not full.
func possible(mask uint64) uint64 { return (mask + bottomMask) & boardMask }

// canWinNext reports whether the side to move (stones cur) can win at once.
func canWinNext(cur, mask uint64) bool {
	return winningCells(cur, mask)&possible(mask) != 0
}

// nonLosing returns the playable cells after which the opponent cannot win
// at once: only the forced block when the opponent has one immediate win,
// nothing when it has two, and never the cell just below an opponent's
// winning cell. It assumes the side to move cannot win at once.
func nonLosing(cur, mask uint64) uint64 {
	pos := possible(mask)
	opp := winningCells(cur^mask, mask)
	forced := pos & opp
	if forced != 0 {
		if forced&(forced-1) != 0 {
			return 0 // two immediate threats: lost
		}
		pos = forced
	}
	return pos &^ (opp >> 1)
}
