// Package ppo is Proximal Policy Optimization (Schulman et al. 2017), the
// amortized optimizer of argmax's rich-domain comparison: a policy network
// trained once, from an environment's rewards, that then answers every
// situation with one forward pass and no search.
//
// In the taxonomy of argmax a direct optimizer (a planner such as CEM or
// MCTS that simulates the env) pays for each decision when it is asked;
// PPO pays in advance, in environment steps and gradient steps, and its
// answer costs one pass of a small MLP. With more compute it converges to
// the best policy its net can describe for the training distribution of
// episodes, not to the argmax of each situation.
//
// # The algorithm
//
// Train follows CleanRL's single-file implementations (ppo.py for discrete
// actions, ppo_continuous_action.py for boxes), with the differences noted
// below:
//
//   - separate actor and critic MLPs (tanh, 64×64 by default) initialized
//     orthogonally as CleanRL's layer_init does: gain √2 on hidden layers,
//     0.01 on the policy head, 1 on the value head, zero biases;
//   - a categorical policy over a discrete action space, or a diagonal
//     Gaussian with a state-independent log standard deviation over a box
//     (the sample is sent unclipped; the env clips it to the box, and the
//     log-probability is that of the unclipped sample, as CleanRL does);
//   - rollouts of Rollout steps in each of Envs environments stepped
//     together (env.Vec, auto-reset in the same step);
//   - generalized advantage estimation GAE(λ), with truncated episodes
//     bootstrapped from the value of their final observation (the reward of
//     the truncated step gets γ·V(final obs)), and terminated ones not —
//     CleanRL treats a truncation as a termination;
//   - Epochs passes over the batch in shuffled minibatches: the clipped
//     surrogate, the (optionally clipped) value loss, an entropy bonus,
//     advantages normalized per minibatch, Adam (ε = 1e-5) with a learning
//     rate annealed linearly to zero over the step budget, and the global
//     gradient norm clipped;
//   - optionally (by default for boxes) a running normalization of the
//     observations and a scaling of the rewards by the running standard
//     deviation of the discounted return, both clipped to ±10, as
//     Gymnasium's NormalizeObservation and NormalizeReward wrappers do —
//     except that the statistics are shared by all envs rather than kept
//     per env, and the discounted return restarts with every episode
//     (Gymnasium 0.29 restarts it on termination only, one step late).
//
// Config holds every hyperparameter; its zero fields take CleanRL's
// defaults for the env's action space (DefaultConfig). Stop says when to
// stop: a budget of env steps, a target mean return over the last K
// episodes, a wall-clock limit, the context, or the progress hook.
//
// # Determinism
//
// Every random draw comes from PCG streams seeded by Config.Seed (the
// weights, the env episodes, the sampled actions, the minibatch order) and
// every kernel of nn sums in a fixed order, so the same seed and config give
// the same policy and the same training curve, bit for bit, on the same
// machine at any GOMAXPROCS and any number of env workers — unless a time
// limit cuts training short.
//
// # Answering
//
// The trained Policy is an env.Policy: Decide answers with the mode of the
// policy (the most probable action, or the Gaussian mean clipped to the
// box) by default, or samples from it (Sampling). Each answer is one
// forward pass of the actor, reported in its Cost with the FLOPs the nn
// tape counted; TrainingCost (argmax.Trainable) reports the env steps,
// gradient steps, forward passes, FLOPs and wall time training took. Save
// writes the nets and the observation normalizer to a safetensors
// checkpoint that Load reads back.
package ppo
