// Package guidedmcts is Monte Carlo tree search over an environment guided
// by an amortized policy: a hybrid optimizer in the taxonomy of argmax, the
// single-agent form of AlphaZero's PUCT (Silver et al. 2017), with a PPO
// actor-critic trained beforehand instead of a network trained by the
// search.
//
// The direct half is direct/mcts's EnvPlanner: MCTS on clones of the env
// (the true simulator), a box action space discretized into Levels evenly
// spaced values per dimension. The amortized half is a trained *ppo.Policy
// (amortized/ppo), which Prior turns into an mcts.Prior:
//
//   - its actor gives PUCT a probability for every discrete action: for a
//     discrete space the policy's own probabilities; for a box, the
//     probability that the policy's Gaussian, clipped to the box as the
//     policy clips its draws, falls nearest each level (the mass of the
//     level's cell between the midpoints to its neighbours, the outer cells
//     reaching to ±∞), the product over the dimensions for a joint action;
//   - its critic, with Config.Value, values the leaves in place of rollouts,
//     converted to reward units (see below); without it, the planner keeps
//     its random rollouts for the values (mcts.EnvConfig.PriorRollouts) and
//     the policy only steers the search.
//
// NewPlanner wires a Prior into an EnvPlanner with the settings this needs
// (PUCT; the critic's discount; no horizon that would cut the critic off).
//
// # The scale of the critic
//
// PPO's critic estimates the γ-discounted return of the policy that
// collected its experience (γ = Config.Gamma, 0.99 by default), the
// infinite-horizon one: ppo bootstraps a truncated episode's last reward
// with the critic. With Config.NormReward (ppo's default for boxes, off for
// discrete spaces) it was trained on rewards divided by σ, the running
// standard deviation of the discounted return that ppo's reward scaler
// keeps during training, and so estimates returns divided by σ — and σ is
// not kept in the Policy or its checkpoint. Prior recovers it as
// hybrid/guidedcem does: Calibrate fits the factor from episodes of the
// policy in an env (guidedcem.FitValueScale: n-step returns against
// differences of the critic's values, by least squares). With NormReward off
// the critic is in reward units already and the scale is 1. A planner using
// the value should search with the critic's discount (NewPlanner's
// default), so that the tree's returns and the leaves' values add up.
//
// # Measured
//
// On Pendulum-v1 (100 episodes, 5 PPO seeds of 150,000 steps, 200
// simulations) the critic's leaves beat random rollouts to a 15-step
// horizon by 6.5 ± 3.1 in mean return, with a tenth of the env steps; the
// prior without the critic (rollouts for the values) does slightly worse
// than the unguided search, the policy being weaker than the search it
// guides. On CartPole-v1 the critic of a 100,000-step policy barely
// varies (it explains none of the variance of the returns) and misguides
// the search: judge a critic by its calibration's fit (ValueFit.R2)
// before trusting it.
//
// # Cost
//
// Every call of Prior is one forward pass of the actor, and one of the
// critic with Config.Value, with the FLOPs the nn tape counted; the
// planner adds them to the decision's Cost beside its env steps and
// rollouts. The policy's training and the calibration are paid once
// (ppo.Policy.TrainingCost, guidedcem.ValueFit.Cost).
package guidedmcts
