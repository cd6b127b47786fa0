// Package prefs is a task family: a synthetic RLHF setup small enough that
// every expectation is exact, for measuring reward-model overoptimization
// (after Gao, Schulman & Hilton 2022, "Scaling Laws for Reward Model
// Overoptimization").
//
// A response is a sequence of L tokens from a vocabulary of V, indexed by
// the base-V number it spells (first token most significant), so the V^L
// responses (at most MaxResponses) are enumerated as 0..V^L−1. The base
// policy π_base is autoregressive: position 0 draws from a seeded softmax,
// every later position from a seeded softmax conditioned on the previous
// token (a non-homogeneous Markov chain), with exact log-probabilities and
// the exact response distribution (Policy.Dist).
//
// The gold reward r_gold(y) is a seeded function of y: a linear part in the
// token counts and the adjacent-bigram counts, plus (unless Config.Linear)
// a concentration penalty −Σ_v c_v²/L, a bonus for the number of distinct
// tokens and a seeded co-occurrence interaction, none of which the proxy's
// features can represent. It is standardized to mean 0 and standard
// deviation 1 under π_base (exactly, by enumeration).
//
// Comparisons (Problem.Compare) are pairs (y, y') drawn independently from
// π_base and labelled by Bradley–Terry on the gold reward, P(y ≻ y') =
// σ(r_gold(y) − r_gold(y')). The proxy reward model (Problem.FitProxy) is a
// Bradley–Terry logistic regression, without intercept, on the features
// φ(y) = (token counts, adjacent-bigram counts) (V + V² of them) with an L2
// penalty, fitted by Newton's method to convergence (gradient below 1e-10 or
// Newton decrement at rounding): deterministic. Its scores are r_proxy(y) = w·φ(y), defined up to a shift.
// Because φ is a sum of per-position terms in (y_{t−1}, y_t), the tilted
// policy π_base·exp(r_proxy/β) is itself a previous-token Markov chain: the
// tabular autoregressive family contains the KL-regularized optimum of any
// proxy (amortized/klpg relies on this).
//
// Distributions over responses are dense slices of length Size; KL and
// Expect are exact sums over them, and Problem.Evaluate turns one into a
// Point (KL to π_base, d = sqrt(KL), and gold and proxy reward gains over
// π_base). FitCurve fits Gao et al.'s functional forms R_bon(d) = d(α − βd)
// and R_RL(d) = d(α − β log d) by two-coefficient linear least squares on the
// points with d ≤ d_fit and reports the error beyond; Overoptimization runs a
// list of Methods (best-of-n in direct/bestofn, the KL-penalized policy and
// its supervised variant in amortized/klpg implement it) and fits each
// curve. This package knows no optimizer: the methods come in through the
// Method interface.
package prefs
