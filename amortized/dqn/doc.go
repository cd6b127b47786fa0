// Package dqn is deep Q-learning (Mnih et al. 2015) with the double-DQN
// target (van Hasselt et al. 2016) for environments with a discrete action
// space: in the taxonomy of argmax, an amortized optimizer. Training pays,
// once and up front, for a value function Q(s, a) learned from the env's
// rewards; the resulting Policy then acts by one forward pass of the
// Q-network and an argmax over its outputs, with no search and no
// simulation of the env at decision time. With more training it converges
// to the best description of the experience it collected, not to the
// argmax of the return at each state — the contrast the direct planners
// (direct/cem, direct/mcts) are measured against.
//
// # The algorithm
//
// Train collects experience with an ε-greedy policy (ε decays linearly
// from Config.StartEpsilon to Config.EndEpsilon over the first
// Config.ExplorationFraction of Config.Steps env steps) in an env.Vec of
// Config.Envs copies of the env, and stores every transition in a replay
// buffer (a ring of Config.Buffer transitions, sampled uniformly with
// replacement from a seeded stream). After Config.LearningStarts env
// steps, every Config.TrainEvery env steps it takes Config.GradientSteps
// Adam steps on minibatches of Config.Batch transitions, minimizing the
// Huber (or squared) error between Q(s, a) and the target
//
//	y = r + γ·(1 − terminated)·Q_target(s', argmax_a' Q(s', a'))
//
// (double DQN; plain DQN takes max_a' Q_target(s', a')). The target
// network is a copy of the online one, refreshed every Config.TargetEvery
// env steps by θ' ← τ·θ + (1 − τ)·θ' (τ = 1 copies; τ < 1 is Polyak
// averaging).
//
// Terminated and truncated episodes are told apart: a terminal state has
// no future, so its target is r alone; an episode cut short by a time
// limit is not at a terminal state, so its target bootstraps from the
// final observation (which the env.Vec keeps in FinalObs when it resets
// the env in the same step).
//
// # Stopping, progress, cost
//
// Training stops at the first of: Config.Steps env steps, Config.Time of
// wall time, the mean return of the last Config.Window training episodes
// (or of a greedy evaluation, every Config.EvalEvery env steps) reaching
// Config.TargetReturn when Config.StopAtReturn is set, or the cancellation
// of its context. Hooks.Progress reports the steps, episodes, the moving
// mean return, the loss, ε and the wall time as it goes.
//
// The returned Policy implements env.Policy: Decide is one forward pass,
// and its Cost counts that pass and the FLOPs of its products as the nn
// tape counted them. It implements argmax.Trainable too: TrainingCost
// reports the env steps, gradient steps, forward passes, FLOPs and wall
// time training took. Save and Load keep a policy in a safetensors
// checkpoint.
//
// # Determinism
//
// Every random draw — the initial weights, exploration, replay sampling,
// the env's episode seeds, the evaluation seeds — comes from a PCG stream
// derived from Config.Seed, and nn's kernels sum in a fixed order, so the
// same seed, config and env give the same policy and the same Stats, bit
// for bit, on the same machine, at any number of Vec workers. Only a
// Config.Time limit (or a cancelled context) can cut a run short at a
// point that depends on the clock.
package dqn
