// Package encoder is the amortized side of amortized inference: an MLP
// from a task's context x to a solution ŷ(x), trained once over contexts
// of the task's Train split, that then answers every context with one
// forward pass (Amos, "Tutorial on amortized optimization"; the encoder
// of a variational autoencoder).
//
// Two training losses are available. The objective loss minimizes the
// mean of f(ŷ(x); x) over training contexts: the task's gradient ∂f/∂y
// is pushed back into the net through the surrogate Σ ŷ·stopgrad(∂f/∂y),
// whose gradient with respect to ŷ is ∂f/∂y. It needs no solutions, only
// the objective, so any task.Task can be amortized this way, including
// one whose objective is itself a computation (hybrid/semiamortized
// trains end to end by wrapping a task in K unrolled gradient steps).
// The regression loss fits the exact solutions y*(x) by mean squared
// error, for tasks that implement task.Exact.
//
// Training records a curve (step, training and held-out objective,
// held-out amortization gap) for charts; the trained Encoder is an
// argmax.Decider whose Cost counts its one forward pass and the FLOPs
// the nn tape counted, and an argmax.Trainable whose TrainingCost counts
// the work of training. Nets are float64, like tasks, and the same seed
// and config give the same weights bit for bit.
package encoder
