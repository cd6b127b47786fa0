// Package alphazero is expert iteration in the AlphaZero style: the hybrid
// of argmax's taxonomy in which the two kinds of optimization bootstrap
// each other. A policy/value net (amortized) guides and truncates a PUCT
// search (direct: hybrid/guided over direct/mcts, the net's priors and
// values at the leaves, no rollouts); the search, spending simulations at
// every move of self-play, improves on the net, and its root visit shares
// and the games' outcomes become the net's training targets
// (amortized/supervised.Learner). Train runs the loop in a folder it can
// resume from; SelfPlay plays many games at once whose searches share
// batched forward passes through a Batcher, in a fixed order, so that the
// same seed plays the same games.
package alphazero
