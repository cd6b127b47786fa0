// Package guidedcem is model-predictive control guided by an amortized
// policy: a hybrid optimizer in the taxonomy of argmax, after the
// "policy-initialized" planners of TD-MPC (Hansen et al. 2022), POLO
// (Lowrey et al. 2019) and PPO-initialized CEM.
//
// The amortized part, a policy and a value function trained beforehand
// (amortized/ppo through the PPO adapter), does two things at every
// decision. Its actor proposes: its nominal action is rolled closed-loop
// through the model over the horizon, and that plan, with the actor's
// spread (a Gaussian's standard deviation) or its probabilities (a
// categorical policy), is the distribution the search starts from
// (Rollout, a direct/cem Initializer). Its critic truncates: each sampled
// sequence still running at the horizon H earns γ^H·V(s_H) on top of its
// discounted return, so that a short horizon still sees beyond itself.
// The direct part (direct/cem's CEM or MPPI) then spends a budget of
// sampled sequences refining that plan against the model, and corrects
// the policy where the model says it is wrong.
//
// The amortized answer is the zero-budget case: with Config.Refine = 0
// (and no budget) the planner answers with the actor's own action, one
// forward pass. With more iterations it moves toward the argmax of its
// truncated objective.
//
// Model is the simulator the planner needs — trajectories stepped one
// action at a time, whose observations can be read (the proposal's
// rollout and the terminal value need them; direct/cem's Model returns
// rewards only). EnvModel plays clones of the situation's env, the true
// model.
//
// # Cost
//
// A decision's Cost counts the model's steps (the proposal's H−1 and the
// search's), the forward passes and FLOPs of the actor (H a search) and of
// the critic (one per sequence reaching the horizon), the samples and the
// iterations — the work of both halves, as they report it.
//
// # Value scale
//
// A critic trained on scaled rewards (ppo with NormReward, its default for
// boxes) estimates returns in scaled units; the PPO adapter converts it
// with a scale fitted by FitValueScale on the policy's own rollouts (see
// PPO).
package guidedcem
