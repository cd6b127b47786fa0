package connect4

import "argmax/game"

// TacticalMoves appends to dst[:0] the legal moves that the 2-ply tactical
// rule allows, and returns it:
//
//  1. if the side to move can complete four at once, exactly the winning
//     moves;
//  2. else, if the opponent could complete four at once on playable cells,
//     the moves that play on such a cell (the blocks; with two threats in
//     different columns the position is lost and every block is allowed);
//  3. else the legal moves that do not play directly under a cell where the
//     opponent would complete four (which would let the opponent win on
//     the next move), or every legal move if each of them does.
//
// It works on the bitboard threat masks (WinningCells), without playing
// any move. In a finished game it returns an empty slice. The rule is the
// baseline of the deep position sets (game/connect4/positions): a position
// is deep when some move it allows loses the game-theoretic value.
func (s *State) TacticalMoves(dst []game.Action) []game.Action {
	dst = dst[:0]
	if s.won || s.moves == Cells {
		return dst
	}
	return appendColumns(dst, s.TacticalMask())
}

// WinningMoves appends to dst[:0] the moves that complete four for the
// side to move, and returns it (game.WinFinder); empty in a finished game.
func (s *State) WinningMoves(dst []game.Action) []game.Action {
	dst = dst[:0]
	if s.won || s.moves == Cells {
		return dst
	}
	return appendColumns(dst, WinningCells(s.current, s.mask)&s.Possible())
}

// TacticalMask returns the cells (one per allowed column: its lowest empty
// cell) of the moves TacticalMoves allows; 0 in a finished game.
func (s *State) TacticalMask() uint64 {
	if s.won || s.moves == Cells {
		return 0
	}
	possible := s.Possible()
	if win := WinningCells(s.current, s.mask) & possible; win != 0 {
		return win
	}
	threats := WinningCells(s.Opponent(), s.mask)
	if block := threats & possible; block != 0 {
		return block
	}
	if safe := possible &^ (threats >> 1); safe != 0 {
		return safe
	}
	return possible
}

// appendColumns appends the column of each cell of cells, left to right.
func appendColumns(dst []game.Action, cells uint64) []game.Action {
	for c := 0; c < Width; c++ {
		if cells&ColumnMask(c) != 0 {
			dst = append(dst, game.Action(c))
		}
	}
	return dst
}
