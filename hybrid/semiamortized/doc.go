// Package semiamortized is the hybrid side of amortized inference: an
// amortized guess refined by a few direct steps (Kim et al. 2018,
// "Semi-Amortized Variational Autoencoders"; Cremer et al. 2018,
// "Inference Suboptimality in Variational Autoencoders"). An encoder
// (amortized/encoder) proposes y_0 = ŷ(x), and K steps of gradient
// descent on f (direct/gradient) refine it:
// y_{k+1} = y_k − η ∇f(y_k; x).
//
// Two variants differ in how the encoder is trained. WarmStart trains it
// alone, on f(ŷ(x); x) or on the exact solutions, and refines only at
// test time. EndToEnd trains it through the K unrolled steps: the loss is
// f(y_K; x) and its gradient reaches y_0 by reverse mode through the
// steps, v_K = ∇f(y_K), v_k = v_{k+1} − η H(y_k) v_{k+1}, with the
// Hessian-vector products of task.HessVec (exact where the task
// implements task.HessianVector, finite differences of the gradient
// otherwise). Unrolled is that objective as a task.Task, so end-to-end
// training is the encoder's own objective loss on it.
//
// Solver is the argmax.Decider: one forward pass plus K iterations, both
// counted in its Cost; the number of test-time steps may differ from the
// training K. Solver.Curve gives the objective after each of 0..K steps,
// from which the share of the amortization gap that k steps close is
// read.
package semiamortized
