// Package irl is the behavioral-objective probe: maximum-causal-entropy
// inverse reinforcement learning (Ziebart et al. 2008, 2010) over tabular
// MDPs. Probes read trained artefacts to tell optimizers apart; this one
// reads an agent's behaviour — demonstrations on a set of levels — and
// recovers the reward, linear in named state features, that the
// behaviour appears to optimize: the agent's behavioral objective, as
// opposed to the base objective it was trained on. A door-seeking and a
// red-seeking maze agent recover different weights on is_door and
// is_red; on training layouts where every door is red they cannot be told
// apart, and the probe says so.
//
// A Problem holds feature names, environments (a valueiter.Table each,
// with a feature matrix over the shared names) and Demos (state and
// action sequences, and whether each ended on a terminal outcome or at
// the time limit). The convention is Ziebart's finite-horizon maximum
// causal entropy: rewards r = Φw paid on arrival in a state, no discount,
// episodes of at most Horizon actions that stop early on a terminal
// outcome, and the demonstrator modelled by the time-indexed soft-optimal
// policy of temperature 1 (the backward pass, valueiter.SoftValueIteration
// one sweep per step). The forward pass (valueiter.Visitation with the
// same policy tables, from the demonstrations' own start states) gives
// the expected feature counts, so that the gradient of the objective is
// exactly the demonstrations' feature counts minus the expected ones.
//
// Fit maximizes the mean log-likelihood of the demonstrated actions (in
// the form of the maximum causal entropy dual, which equals it on
// deterministic transitions and whose gradient is exact on any) under a
// Gaussian prior of precision L2 (default 1; its pull fades as 1/N) by
// L-BFGS to a gradient tolerance. The Result holds the weights, the
// log-likelihood, the iterations and the gradient norm; the Fisher
// information at the optimum (the Hessian of the negative mean
// log-likelihood, computed exactly by a backward and a forward pass — on
// deterministic transitions the covariance of the feature counts under
// the fitted policy), its
// eigen-decomposition (Jacobi) and the directions of weight space whose
// information is below IdentTol (relative to the largest eigenvalue,
// default 1e-6): the combinations the data cannot determine. Every weight
// and every named Contrast (such as Difference("is_door", "is_red")) is
// reported with its asymptotic standard error, a percentile bootstrap
// interval over the demonstrations (B resamples, seeded PCG streams, the
// same at any worker count) and a flag: a functional with a share in the
// undetermined directions is not identifiable and its interval is
// (−Inf, +Inf), whatever the prior-pinned resamples say.
//
// Two kinds of undetermined direction are common. Features that coincide
// on every state (door ⇔ red) leave their difference undetermined. And
// when every episode surely ends on a terminal object before the time
// limit, adding the same reward to every terminal changes no choice, so
// only differences between terminal objects are determined — the door
// weight alone is flagged, the door − red contrast is not.
package irl
