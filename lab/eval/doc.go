// Package eval is the measuring harness every claim of the lab goes
// through: it scores any game.Decider — direct (search), amortized (a
// learned policy), hybrid or a baseline rule — against known truth and
// against other deciders, and reports every figure with its interval.
//
// Four instruments:
//
//   - Accuracy on scored positions (Position: a state and the exact score
//     of each move). A move is optimal when it keeps the game-theoretic
//     value, strictly optimal when it has the best score. Accuracy and
//     ParallelAccuracy count the decider's choices (Wilson intervals);
//     ExpectedAccuracy scores a Policy by the probability mass it puts on
//     optimal moves, which has less variance for stochastic rules.
//   - Matches between two deciders (Match): both colours, varied openings,
//     per-side budgets, the score with its interval and the Elo difference;
//     ratings against a Ladder of fixed opponents by maximum likelihood
//     (Rate, FitRating).
//   - The cost–quality frontier of a decider over a budget range
//     (Frontier), read at a matched quality (AtQuality) or cost (AtCost),
//     and two frontiers compared (Compare): the cost ratio at equal
//     quality and where one stops being cheaper than the other.
//   - Fair timings (Time): one decider at a time, interleaved, medians.
//
// Costs are the harness's: every decision goes through argmax.Measure, so
// Cost.Decisions and Cost.Elapsed are counted here, while simulations,
// nodes, forward passes and FLOPs are the decider's own counts.
//
// Every interval is at the 95% level (Level). Results are deterministic
// for a given seed and configuration at any worker count, for deciders
// whose answer is a function of the position and the budget (the bots of
// lab/bots are); wall times are not, and are marked † where reported.
// Positions are shared read-only between goroutines: the harness hands
// deciders a clone.
package eval
