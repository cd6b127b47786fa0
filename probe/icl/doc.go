// Package icl is a probe of learned optimization (probe/ in the taxonomy):
// does a sequence model trained on in-context regression prompts
// (task/linreg) run an optimizer inside its forward pass, and which one?
//
// After von Oswald et al. 2023 ("Transformers learn in-context by gradient
// descent"): a single linear self-attention layer (LSA) on the token
// layout z_i = (x_i, y_i), query (x_q, 0), trained by Adam on the query's
// squared error, is compared on held-out prompts with reference
// algorithms run on the same prompt — k steps of gradient descent with
// their tuned step sizes, ridge regression (the Bayes posterior mean),
// least squares, and the finite-pool posterior mean dMMSE — by the
// paper's two measures: the prediction distance (mean squared difference
// of the predictions) and the cosine of the sensitivities ∂ŷ/∂x_q, beside
// each one's query loss. Compare returns all the figures and the nearest
// reference by prediction distance: the algorithm the model behaves like.
//
// After Raventós et al. 2023 ("Pretraining task diversity and the
// emergence of non-Bayesian in-context learning"): Diversity trains a
// small transformer with M distinct training tasks for a sweep of M and
// reports its distance to dMMSE (amortized lookup of the training pool)
// and to ridge (a general regression algorithm, optimal for fresh tasks),
// on prompts with fresh w and with w from the pool.
//
// The scratchpad variant applies the same LSA (tied weights) for T
// forward passes, each pass rewriting every token — the query's y-slot
// accumulates the negated prediction, the context y-slots the residuals —
// trained end to end on the final pass's prediction. von Oswald's
// construction makes T passes exactly T steps of gradient descent with
// one step size: optimization across forward passes.
//
// # The LSA layer
//
// With E the (n+1)×(d+1) token matrix (rows z_1..z_n, then the query) and
// S = (1/n)Σ_{i≤n} z_i z_iᵀ the context's second moment (the query is not
// a key: its y-slot carries no label), one pass is the residual update
//
//	E ← E + E·W_KQᵀ·S·W_PVᵀ,    i.e.  z_j ← z_j + W_PV·S·W_KQ·z_j,
//
// with the key-query product W_KQ = W_Kᵀ W_Q and the projection-value
// product W_PV = P·W_V learned as two full (d+1)×(d+1) matrices. The
// prediction is read with the paper's sign: ŷ = −(y-slot of the query's
// output). One GD step of size η from w = 0 is W_KQ = [[I, 0], [0, 0]],
// W_PV = [[0, 0], [0, −η]]. The nn package's attention normalizes (softmax
// or kernelized linear attention with a positive feature map) and has no
// batched matrix product, so the layer and its exact reverse-mode gradient
// (parameters and inputs) are written here, in float64.
package icl
