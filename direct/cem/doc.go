// Package cem is model-predictive control by sampling: the direct optimizer
// that searches over action sequences at every decision of an environment
// episode, and converges, with more samples and iterations, to the best
// open-loop plan its model allows.
//
// In the taxonomy of argmax a direct optimizer pays for each answer when it
// is asked. A Planner answers each env.Situation by optimizing a sequence
// of Horizon actions against a Model, executes the first action, and keeps
// the rest of the plan, shifted by one step, as the warm start of the next
// decision (receding-horizon control). Two optimizers are offered:
//
//   - the cross-entropy method (Rubinstein; as used by PETS, Chua et al.
//     2018): sample sequences from an independent Gaussian per step and
//     action dimension, keep the Elites with the highest return, refit the
//     mean and standard deviation to them, smoothed toward the previous
//     distribution, and iterate. Each decision starts from the kept mean
//     and the initial standard deviation (PETS's reset of the variance).
//     On a discrete action space the distribution of each step is
//     categorical, refitted to the elites' action frequencies, and each
//     decision starts from the kept probabilities mixed half and half with
//     the uniform distribution.
//   - MPPI, model-predictive path integral control (Williams et al. 2017):
//     sample Gaussian perturbations of the current plan and move the plan
//     to their average weighted by exp(return/λ), at a fixed noise level.
//
// Sampled actions are clipped to the bounds of the action box.
//
// # Models
//
// A Planner takes its Model as an interface defined here, so that any
// simulator plugs in without this package knowing it: Simulator plays the
// sequences on clones of the situation's own env.Env (the true model), and a
// learned dynamics model (amortized/dynamics) satisfies the interface
// structurally, since its one method speaks only the types of env and argmax.
// A Model evaluates a whole population of sequences in one call, the shape a
// learned model needs to run its forward passes in batches; a model that is
// stochastic draws from the seed it is given, so a search is a pure function
// of its inputs.
//
// # Budgets and cost
//
// Budget limits the iterations, the sampled sequences or the wall time of a
// decision; with no limit, Config.Iterations iterations of Config.Samples
// sequences. Cost reports the sequences simulated (Samples), the
// iterations, and what the model counted: model steps, and for a learned
// model its forward passes and FLOPs.
//
// # Randomness
//
// The sampling stream is seeded from Config.Seed when the Planner is made
// and again at every Reset: the same seed, config, model and situations
// give the same decisions, bit for bit, at any number of Simulator workers
// (time budgets excepted).
package cem
