// Package valueiter is dynamic programming on tabular MDPs: value
// iteration, policy evaluation (iterative, and exact by a linear solve),
// soft (maximum-entropy) value iteration and the state-visitation forward
// pass of MaxEnt inverse RL — the direct optimizer of the taxonomy at its
// purest: given the model, it computes the argmax outright, with no
// learning, and its answers are the truth the amortized learners of the
// toy-text envs are measured against.
//
// A model is anything implementing MDP — a state count, an action count,
// Gymnasium-style transition lists (probability, next state, reward,
// terminal) per state and action, a start distribution — such as the envs
// of env/toytext or a learned tabular model. NewTable reads it once into a
// checked, flat Table; ValueIteration, SoftValueIteration and Evaluate
// sweep the Table (synchronously: every sweep backs every state up
// against the previous sweep's values) and return a Solution with values,
// Q-values, the number of sweeps, the last residual, whether it converged
// and the counted Cost. EvaluateExact solves (I − γP_π)V = r_π by Gaussian
// elimination, for testing the sweeps against. Visitation is the forward
// pass: expected state visitation frequencies of a stochastic policy over
// a horizon. WithStateRewards and WithFeatureRewards put other rewards
// (one per state, or a feature matrix times a weight vector) on the same
// transitions, so that inverse RL can solve for any reward it tries.
//
// Terminal outcomes bootstrap nothing: Q(s, a) = Σ p·(r + γ·V(s')) over
// the outcomes of (s, a), with the γ·V(s') term dropped after a terminal
// one. Policies are states × actions probabilities, row-major.
//
// Policy adapts a Solution to env.Policy (an argmax.Decider of env
// situations): a table lookup per decision, with the solve's cost reported
// apart as its TrainingCost.
package valueiter
