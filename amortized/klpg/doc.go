// Package klpg is the amortized side of reward-model overoptimization
// (after Gao, Schulman & Hilton 2022): a policy trained once against a
// proxy reward model with a KL penalty to the base policy, which then
// answers by sampling itself, with no search and no reward model at answer
// time.
//
// Train maximizes J(π) = E_π[r_proxy] − β·KL(π‖π_base) over the tabular
// autoregressive family of task/prefs (one logit per position,
// previous-token and token), initialized at π_base, by REINFORCE: each step
// samples a batch from π (seeded PCG), gives sample y the reward
// r_proxy(y) − β(log π(y) − log π_base(y)), subtracts a leave-one-out
// baseline (the mean reward of the batch's other samples, which keeps the
// estimate unbiased) and takes an Adam ascent step on the logits, with the
// learning rate decayed linearly to zero. Since the space is enumerable,
// the exact KL, E_π[r_proxy], E_π[r_gold] and J are recorded along training.
//
// Optimal is the check: the maximizer π* ∝ π_base·exp(r_proxy/β) with
// J(π*) = β·log E_base[exp(r_proxy/β)], and J(π*) − J(π) = β·KL(π‖π*) for
// every π. The proxy's features (token and adjacent-bigram counts) are sums
// of terms in (y_{t−1}, y_t), so π* is itself a previous-token Markov chain
// and lies in the trained family: training can reach J(π*) exactly, not
// merely the best of the family.
//
// SFT is the supervised contrast, amortizing best-of-n: it draws samples
// from a teacher decider (best-of-n from direct/bestofn, passed in as an
// argmax.Decider so that this package does not import it) and fits the
// tabular policy to them by maximum likelihood with a Dirichlet prior at
// π_base: the closed-form maximizer that fine-tuning from π_base converges
// to. With many samples it tends to the tabular projection of the
// best-of-n distribution (its per-position, previous-token conditionals).
//
// Trajectory, BetaSweep and SFTSweep implement prefs.Method for the
// overoptimization study of task/prefs.
package klpg
