// Package control holds the classic control tasks — cart-pole, pendulum,
// continuous mountain car, acrobot — and a 2-D point-mass navigation task:
// the continuous, stochastic side of the simple-vs-rich comparison.
//
// Each task moves from simple to rich by configuration. The zero value of
// its Config is Gymnasium's environment exactly (same constants, equations,
// integrator, termination and time limit), which a planner can simulate
// perfectly and a policy can learn in minutes. Knobs then make it richer:
//
//   - stochastic dynamics: Gaussian noise with a configured standard
//     deviation on the actuator (force or torque) or on the state update;
//   - hidden parameters drawn per episode from a Range (pole length and
//     masses, pendulum mass and length, mountain-car power, acrobot link
//     masses): they change the dynamics, never appear in the observation,
//     and are readable by tests and oracles through Params;
//   - action discretization: Actions = n turns a continuous box into n
//     evenly spaced actions (n per axis for the point mass), so that a
//     discrete planner such as MCTS can act on a continuous task;
//   - action dimension: the pendulum's Actuators = k splits its torque
//     among k actuators (the applied torque is their mean), the same task
//     with a k-dimensional action, where a discretized planner faces n^k
//     joint actions.
//
// Every env implements env.Env. Its observation and action vectors are its
// own buffers, valid until its next Reset or Step; Step allocates nothing.
// SetState starts an episode from an exact physical state, State reads it,
// Params reads the hidden parameters. Performance is the episode's return.
//
// Randomness comes from math/rand/v2 PCG streams seeded from Reset's seed
// alone: the same seed and Config give the same episode, bit for bit, and
// Clone copies the stream. The initial state and the hidden parameters come
// from separate streams, so drawing parameters from a range does not change
// a seed's initial state. Gymnasium seeds NumPy's PCG64 generator through
// SeedSequence; those draws are not reproduced, so a seed here does not give
// Gymnasium's initial state for the same seed — use SetState to start both
// from the same state.
//
// Gymnasium returns float32 observations; these envs return the float64
// state they integrate, so an observation here equals Gymnasium's up to
// float32 rounding. Where Gymnasium rounds its state to float32 as part of
// the dynamics (MountainCarContinuous stores its state as float32 after
// every step; Acrobot draws its initial state in float32), so do these envs.
//
// CartPoleVec steps many cart-poles at once as a struct of arrays with
// auto-reset, for amortized learners that need many environment steps.
package control
