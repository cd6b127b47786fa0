// Package dynamics is a learned model of an environment: an ensemble of
// neural nets fitted to observed transitions, after PETS (probabilistic
// ensembles with trajectory sampling; Chua et al. 2018).
//
// In the taxonomy of argmax this is an amortized optimizer of a particular
// kind: it does not learn answers (actions) but a map of the territory —
// the function (observation, action) → (next observation, reward) —
// paid for once by fitting it to data, then queried by one forward pass per
// simulated step. A planner that searches this map at every decision (the
// cross-entropy method of direct/cem) makes a model-based agent; the two
// packages do not import each other: Model's one method, Evaluate, speaks
// only the types of env and argmax, so it satisfies direct/cem's Model
// interface structurally and the wiring happens above both (hybrid/, lab/).
//
// # The ensemble
//
// Each member is an MLP from the normalized observation and action (a
// discrete action one-hot) to the normalized change of observation, and to
// the reward unless the task supplies a known reward function
// (Config.Reward — Pendulum's reward is a function of its observation and
// action). With Gaussian heads (the default) a member also outputs a log
// variance per output, bounded smoothly to [MinLogVar, MaxLogVar], and is
// trained by Gaussian negative log-likelihood — or by β-NLL (Seitzer et al.
// 2022; DefaultConfig), which weights each term by the predicted variance
// to the power β so that the mean keeps fitting where the variance is
// large; with Deterministic heads, by squared error. Inputs and outputs are standardized with the statistics
// of the data of the last Fit. Each member trains on its own bootstrap
// resample of the data (drawn anew at each Fit), with Adam (AdamW with
// WeightDecay), so that the members agree where the data is dense and
// disagree where it is not: the ensemble carries epistemic uncertainty, the
// Gaussian heads aleatoric noise.
//
// # Trajectory sampling
//
// Model simulates action sequences for a planner: every sequence is played
// by Particles particles, each following one member (TS1: chosen once per
// particle; TSInf: chosen again at every step), its next observation
// sampled from that member's Gaussian; Mean propagates the average of the
// members' mean predictions instead. The particles of one step are batched
// per member, one forward pass per member and step, and the Cost counts the
// particle steps, the forward passes (rows) and the nets' FLOPs.
//
// # Checkpoints
//
// Save writes an ensemble to a safetensors file (nn's checkpoints): the
// members' weights, and in the metadata its configuration, spaces,
// standardization and training cost; Load rebuilds the same model from
// the file, given the task's reward and termination functions again
// (functions are not data). Clone copies an ensemble, so that concurrent
// users each simulate with their own.
//
// # Randomness
//
// Initial weights, bootstrap resamples and minibatch order come from
// Config.Seed (and the number of Fits so far); trajectory sampling from
// the seed a planner passes to Evaluate. The same seeds and data give the
// same model and the same predictions, at any thread count of nn.
package dynamics
