// Package supervised is an amortized optimizer: policy/value nets fitted
// to labelled game positions, which then answer every position with one
// forward pass.
//
// In the taxonomy of argmax a direct optimizer (the exact alpha-beta
// solver, MCTS) pays for each answer when it is asked; an amortized one
// pays in advance, by learning a function from positions to moves over a
// dataset. Here the dataset is positions labelled with the exact score of
// every move (from the solver, a search, or a demonstrator — whatever the
// caller used; this package imports no direct optimizer, the two meet
// only in hybrid/). With more compute the net converges to the best
// description of its labels, not to the argmax of the game: its errors are
// the labels' and the function class's.
//
// # Data and targets
//
// An Example is a state and one score per action (Illegal for actions that
// cannot be played), in the solver's negamax convention. Targets turns the
// scores into a soft policy target that spreads its mass over every
// value-keeping move (uniform over the optimal moves, optionally weighted
// toward the strictly optimal ones: Target.Strict) and a value target (the
// game-theoretic value, or the score scaled). A move is optimal when its
// score has the sign of the best score, strictly optimal when it equals it.
//
// # Training
//
// Train fits an AlphaZero-style residual net (nn.PolicyValueNet; the sizes
// Tiny, Small, Medium and Large, or any Net) by soft cross-entropy on the
// policy (illegal actions masked out) and squared error on the value, with
// AdamW, warm-up and cosine decay, left-right mirror augmentation, and a
// validation split that keeps the best checkpoint (early stopping). It
// stops at a step limit, a time limit, when patience runs out or when its
// context is cancelled, is deterministic for a seed, and reports progress.
//
// # Answering
//
// The trained Policy is a game.Policy: Decide plays the legal move with
// the largest logit, Distribution gives the softmax over the legal moves,
// and Evaluate scores a batch of positions for search (priors and values
// in one forward pass) — the method set hybrid/guided's PUCT uses. Each
// answer's Cost counts forward passes and the FLOPs of the net's products
// as counted by the nn tape; TrainingCost (argmax.Trainable) reports the
// gradient steps, examples, FLOPs and wall time of training plus the
// labelling cost the caller declares. Clone gives search threads their
// own scratch over shared weights.
//
// # Checkpoints
//
// Save writes a safetensors file (atomically) whose metadata holds the
// game, the input encoding (planes, shape, perspective, mirror convention),
// the architecture and the training record; Load rebuilds the policy from
// the file alone. scripts/peers/load_checkpoint.py loads one into a
// PyTorch module.
package supervised
