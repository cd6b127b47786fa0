// Package mcts is Monte Carlo tree search over the game.State contract: the
// direct optimizer that spends its budget on simulations at every decision
// and converges, with more of them, to the game-theoretic best move.
//
// A Searcher is configured once (Config, in the manner of gonum's optimize
// settings) and then answers positions: Search returns a Result with the
// chosen move, the root statistics and the Cost; Decide makes the Searcher a
// game.Decider and Distribution (root visit shares) a game.Policy. It offers
//
//   - UCT and PUCT selection. PUCT uses the priors an Evaluator returns.
//   - A pluggable leaf Evaluator that takes a batch of leaves: Rollouts
//     (uniformly random playouts, through game.RandomPlayouter when the state
//     implements it) now, a policy/value network later. With Config.Batch > 1
//     a search thread gathers that many leaves under virtual loss before it
//     calls the evaluator once.
//   - MCTS-solver: terminal positions are proven; a proven win for the
//     player to move at a node, or all of its moves proven, proves the node,
//     up to the root. Draws are proven too, so a solved root stops the search.
//   - Tree reuse between moves (Config.Reuse): the subtree of the position
//     reached is kept, found by position key up to two plies below the last
//     root, and compacted.
//   - Dirichlet noise on the root priors (alpha, fraction; seeded).
//   - The final move by visit count with a deterministic tie-break (higher
//     mean value, then the earlier move in Legal order), or sampled with a
//     temperature.
//   - Root-parallel multi-core search (Config.Threads): each thread grows its
//     own tree from its own seed and the root statistics are summed. It is
//     simpler than tree parallelism, needs no locks or atomics in the hot
//     path, and is deterministic: the same seed, position, budget and
//     thread count give the same result, bit for bit (time budgets
//     excepted).
//   - Budgets by simulations, created nodes or wall time (argmax.Budget),
//     with the work reported as argmax.Cost.
//
// Beside this fast path for games, ModelSearcher is the same search over
// any Model in mctx's shape — a state and one of a fixed number of
// actions give a reward, a discount and the next state — as MuZero runs
// it: PUCT or UCT over action values min-max normalized to [0, 1] (so
// rewards may have any scale), discounted backups G ← r + γ·G, leaves
// valued by a batched StateEvaluator (random rollouts of a fixed depth, or
// to a finite horizon from the root, by default), Dirichlet noise, and
// budgets by simulations, nodes or time. Its models are single-agent
// environments (EnvModel over env.Env clones, boxes discretized into
// evenly spaced actions; EnvPlanner makes it an env.Policy, optionally
// guided by a learned Prior), two-player games (GameModel: discount −1,
// the reward at the end) and, later, learned models, which implement the
// interfaces without importing this package. It keeps a state in every
// node and clones one per new node, so it is slower than Searcher (about
// half its simulations per second on connect four with the same
// playouts) and single-threaded, with no solver or tree reuse.
//
// Performance: nodes live in a preallocated arena of small structs whose
// children are index ranges; a simulation walks down with Play and back with
// Undo on one state, and allocates nothing once the arena has grown to the
// size of the tree. The random number generator of a search is seeded from
// Config.Seed, the position's key and the thread index, so a search is a
// pure function of its inputs (and, with Reuse, of the tree kept from the
// previous search).
package mcts
