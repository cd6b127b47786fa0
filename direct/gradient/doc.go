// Package gradient is the direct side of amortized inference: it minimizes
// a task's objective f(y; x) for one context x on the fly, by plain
// gradient descent or Adam, paying its cost at every decision.
//
// Minimize runs the iteration under an argmax.Budget (iterations, wall
// time) and an optional tolerance on the gradient norm, and returns the
// solution with, on request, the trace of the objective and the elapsed
// time after every iteration: Trace.Reach reads from it how long the
// direct optimizer needs to reach a given objective (that of an amortized
// answer, say). Solver wraps Minimize as an argmax.Decider from contexts
// to solutions that starts from the task's Init or from a warm start the
// caller supplies (as hybrid/semiamortized does with an encoder's guess).
package gradient
