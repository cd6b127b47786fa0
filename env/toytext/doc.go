// Package toytext holds Gymnasium's tabular "toy text" environments —
// FrozenLake-v1 and CliffWalking-v0 — the small, exactly solvable end of the
// env suite: every transition probability is known, so a direct optimizer
// (value iteration, in direct/valueiter) computes the true optimum against
// which amortized learners (tabular Q-learning, DQN, PPO on the one-hot
// observation) are measured, and inverse RL recovers rewards on transitions
// it can enumerate.
//
// Each env is built from its transition table, Gymnasium's P[s][a]: a list of
// (probability, next state, reward, terminated) outcomes per state and
// action, built as Gymnasium builds it (same outcome order, the same
// duplicate entries where a slip runs into a wall). Step draws one outcome
// of the current (state, action) list with probability as the table says.
// The table is exposed through NumStates, NumActions, NumOutcomes, Outcome
// and StartProb, the tabular-model contract valueiter.MDP, which these envs
// implement without importing any optimizer.
//
// Observations are float64 vectors as env requires. By default an
// observation is the one-hot vector of the state (a Box of NumStates values
// in [0, 1]), the encoding neural agents learn from; with IndexObservation
// it is Gymnasium's integer state as a one-value Discrete(NumStates)
// observation. Either way State returns the integer state (row·ncol + col,
// as Gymnasium numbers it) and SetState starts an episode from one.
//
// Performance is the episode's return: in both envs the reward is the
// designer's goal (reaching the frisbee; reaching the goal in few steps
// without falling), so nothing is hidden.
//
// Randomness comes from a math/rand/v2 PCG stream seeded from Reset's seed
// alone: the start state (when a map has several) and every slip are drawn
// from it, the same seed and actions give the same episode bit for bit, and
// Clone copies the stream. Gymnasium's NumPy draws are not reproduced, so a
// seed here does not give Gymnasium's slips for the same seed; the
// distribution of every step is the same (see the tests, which compare
// empirical frequencies with the table).
package toytext
