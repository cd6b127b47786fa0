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
// for the owner of stones p, given all stones in mask (unrolled copy of
// connect4.WinningCells).
func winningCells(p, mask uint64) uint64 {
	// vertical: three stones below
	r := (p << 1) & (p << 2) & (p << 3)

	// horizontal
	t := (p << (height + 1)) & (p << (2 * (height + 1)))
	r |= t & (p << (3 * (height + 1)))
	r |= t & (p >> (height + 1))
	t = (p >> (height + 1)) & (p >> (2 * (height + 1)))
	r |= t & (p << (height + 1))
	r |= t & (p >> (3 * (height + 1)))

	// diagonal 1
	t = (p << height) & (p << (2 * height))
	r |= t & (p << (3 * height))
	r |= t & (p >> height)
	t = (p >> height) & (p >> (2 * height))
	r |= t & (p << height)
	r |= t & (p >> (3 * height))

	// diagonal 2
	t = (p << (height + 2)) & (p << (2 * (height + 2)))
	r |= t & (p << (3 * (height + 2)))
	r |= t & (p >> (height + 2))
	t = (p >> (height + 2)) & (p >> (2 * (height + 2)))
	r |= t & (p << (height + 2))
	r |= t & (p >> (3 * (height + 2)))

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
