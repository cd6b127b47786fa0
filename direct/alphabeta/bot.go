package alphabeta

import (
	"context"
	"errors"
	"fmt"
	"time"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
)

var _ game.Decider = (*Solver)(nil)

// ErrGameOver is returned by the bots' Move for a position where the game
// has ended.
var ErrGameOver = errors.New("the game is over: there is no move to choose")

// BestMove returns the column with the best score in scores (as returned
// by Analyze) and that score; among equally good columns it returns the one
// nearest the centre, the left one of two at the same distance (order
// 4 3 5 2 6 1 7). It returns -1 and Full when every column is Full.
func BestMove(scores [connect4.Width]int) (col, score int) {
	col, score = -1, Full
	for _, c := range columnOrder {
		if v := scores[c]; v != Full && (col < 0 || v > score) {
			col, score = c, v
		}
	}
	return col, score
}

// Move plays a strictly optimal move in a connect-four position: the column
// with the best exact score (the fastest win, else a draw, else the slowest
// loss), ties broken as in BestMove. The solver is exact, so it ignores the
// budget: the cost (nodes searched, wall time) is whatever the position
// takes. It returns an error for a state that is not a connect-four state
// and ErrGameOver for a finished game.
func (s *Solver) Decide(ctx context.Context, st game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	c4, ok := st.(*connect4.State)
	if !ok {
		return 0, argmax.Cost{}, fmt.Errorf("alphabeta: the connect-four solver cannot play a %T", st)
	}
	if over, _ := c4.Terminal(); over {
		return 0, argmax.Cost{}, fmt.Errorf("alphabeta: position %q: %w", c4.String(), ErrGameOver)
	}
	t0, n0 := time.Now(), s.nodes
	col, _ := BestMove(s.Analyze(c4, false))
	return game.Action(col), argmax.Cost{Nodes: s.nodes - n0, Elapsed: time.Since(t0)}, nil
}
