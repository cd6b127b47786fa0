// Package alphabeta holds alpha-beta searches: direct optimizers in the
// taxonomy of argmax. They compute the value of the position in front of
// them by search — negamax with alpha-beta pruning — paying the whole cost
// at every decision. The exact solvers return the true argmax, never an
// approximation of it, and are the ground truth against which search with
// a budget (MCTS) and amortized answers (policy networks) are scored; the
// depth-limited search is a cheap direct optimizer whose quality grows
// with its depth.
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
// Budgets. Both exact solvers are game.Deciders that honour an
// argmax.Budget (Nodes, Time) and the context: Decide and Search settle
// the sign of each root move, then their order, by null-window searches
// at the root, and stop as soon as the best move is proven — a strictly
// optimal move with a deterministic tie-break, found with fewer nodes than
// a full Analyze. When the budget runs out first they answer with the
// move whose proven lower bound is best (for connect four, never a move
// that loses at once when another does not: the 2-ply tactical rule comes
// free), report it in Cost.CutShort and, through Search, in a Result with
// a Status (Solved, NodeLimit, TimeLimit, Cancelled) and the bounds proven
// for every move. A node budget is never exceeded and gives a
// deterministic answer; the clock and the context are looked at every
// few thousand nodes, so a time limit or a cancellation stops the search
// within a fraction of a millisecond. An unlimited budget solves exactly.
// AnalyzeWithin and SolveWithin are Analyze and Solve under a budget.
//
// DepthLimited is alpha-beta to a fixed depth (or deepening until the
// budget runs out) over the game.State contract, with a pluggable
// evaluation of horizon positions, wins and losses scored by distance, and
// ties broken by the lowest action or by a seed: the cost–quality frontier
// of look-ahead, and a noisy demonstrator for the amortized learners.
package alphabeta
