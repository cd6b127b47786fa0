// Package alphabeta holds exact game solvers: direct optimizers in the
// taxonomy of argmax. They compute the game-theoretic value of the position
// in front of them by search — negamax with alpha-beta pruning, a
// transposition table and move ordering — paying the whole cost at every
// decision and, given the time, returning the true argmax, never an
// approximation of it.
//
// Solver is a specialised connect-four solver: a bitboard search with a
// fixed-size transposition table of bounds, threat-based move ordering,
// pruning of moves that lose at once, and a null-window search that narrows
// the score by bisection. Its scores follow the convention of the
// calibration file (game/connect4/calibration): positive when the side to
// move wins, the larger the sooner (22 minus the number of the winner's
// stones at the end of the game), 0 for a draw, negative for a loss, and
// Full (-1000) for a column that cannot be played.
//
// Generic is an exact solver for any small game behind the game.State
// contract (tic-tac-toe), with the same "a sooner win scores higher"
// convention.
//
// Both are game.Bots that play a strictly optimal move.
package alphabeta
