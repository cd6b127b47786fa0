// Package alphabeta holds exact game solvers: direct optimizers in the
// taxonomy of argmax. They compute the game-theoretic value of the position
// in front of them by search — negamax with alpha-beta pruning, a
// transposition table and move ordering — paying the whole cost at every
// decision and returning the true argmax, never an approximation of it.
// They are the ground truth against which search with a budget (MCTS) and
// amortized answers (policy networks) are scored.
//
// Solver is the connect-four solver. Its search keeps its own bitboard (two
// 64-bit masks and a move count, copied down the recursion) and allocates
// nothing; it prunes the moves that lose at once (an immediate win of the
// opponent must be blocked; two lose), orders the others by the threats
// they create, centre first among equals, keeps a lower and an upper bound
// of the score of every position it searched in a fixed, cache-sized
// transposition table that persists across calls, cuts off from the table
// before searching a child (enhanced transposition cutoffs), and finds the
// exact score by bisection with null-window searches. Analyze scores all 7
// moves, sharing the table between the 7 searches.
//
// Its scores follow the convention of the calibration file
// (game/connect4/calibration): positive when the side to move wins, the
// larger the sooner (22 minus the number of the winner's stones at the end
// of the game), 0 for a draw, negative for a loss, and Full (-1000) for a
// column that cannot be played. A weak search gives only the sign (win,
// draw or loss), faster.
//
// Generic is an exact solver for any small game behind the game.State
// contract (tic-tac-toe), with the same "a sooner win scores higher"
// convention.
//
// Both are game.Deciders that play a strictly optimal move, with a
// deterministic tie-break.
package alphabeta
