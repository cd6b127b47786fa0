// Package gumbel is Gumbel root search with sequential halving (Danihelka
// et al. 2022, "Policy improvement by planning with Gumbel", as in
// DeepMind's mctx gumbel_muzero_policy): a hybrid optimizer in the taxonomy
// of argmax. The amortized part, a policy/value net (guided.Net), gives the
// prior logits and the leaf values; the direct part spends a small budget
// of simulations on the few moves the prior and the noise propose and
// corrects the net where its values say the prior is wrong.
//
// It has two uses. As a policy-improvement operator for self-play, it
// turns the net's policy into a better one, π' = softmax(logit + σ(q̂)),
// which improves on the prior even at 2–16 simulations per move (where
// the visit counts of PUCT carry little information): hybrid/alphazero can
// train on Result.Policy and play Result.Action, with no Dirichlet noise
// and no temperature, since the Gumbel noise already makes the move a
// sample. As a test-time search it is a decider (game.Policy) like any
// other, spending its simulations where they change the decision.
//
// The search, per decision:
//
//   - The root is evaluated by the net (one forward pass, not counted as a
//     simulation); the logits are the logs of its priors over the legal
//     moves.
//   - Gumbel noise g(a) is drawn for every action (seeded by Config.Seed
//     and the position's key, so a search is a pure function of its
//     inputs); the m = min(Config.Considered, legal moves, simulations)
//     moves with the highest g(a) + logit(a) are considered: a sample of m
//     moves without replacement from the prior (Gumbel-top-k).
//   - Sequential halving spreads the n simulations over ⌈log2 m⌉ phases,
//     as mctx does: a phase over c moves gives each max(1, ⌊n/(⌈log2 m⌉·c)⌋)
//     visits, then the c/2 (at least 2) with the highest
//     g(a) + logit(a) + σ(q̂(a)) go on, and the last pair shares what is
//     left of the budget. For m = 4 and n = 16: four moves get 2 visits
//     each, then two of them 4 more each.
//   - Below the root, the deterministic selection of Full Gumbel MuZero:
//     argmax_a π'(a) − N(a)/(1 + Σ_b N(b)), which makes the visit shares
//     track the improved policy.
//   - The move played is the one with the highest g(a) + logit(a) + σ(q̂(a))
//     among the most visited; Result.Policy is π' at the root.
//
// Completed Q values and their normalisation follow mctx's
// qtransform_completed_by_mix_value: the Q of a visited move is the mean
// value of its subtree for the player choosing; an unvisited move's is the
// mixed value v_mix = (v̂ + Σ_b N(b)·Σ_{visited} π(a)q(a)/Σ_{visited} π(a)) /
// (1 + Σ_b N(b)), with v̂ the net's value of the node. The completed Q
// values of a node's legal moves are rescaled to [0, 1] by their minimum
// and maximum (denominator at least 1e-8), and σ(q̂) = (c_visit + max_b
// N(b))·c_scale·q̂ with c_visit = 50 and c_scale = 0.1. One deliberate
// difference: mctx normalises over the whole action vector, where illegal
// actions count as unvisited (and so contribute v_mix to the range); here
// only the legal moves count, so the search does not depend on how the
// action space is padded.
//
// Noise at test time: like mctx (and the paper's evaluations), the search
// keeps the Gumbel noise when it plays; Config.NoGumbel turns it off (mctx's
// gumbel_scale = 0, which its documentation suggests for evaluation in
// perfect-information games): the m moves with the highest prior are
// considered and the search is the same for every seed.
//
// Batching: the simulations of a wave — one descent into each considered
// move of the current phase — walk disjoint subtrees, so they are
// independent: their leaves are evaluated together, in net calls of up to
// Config.Batch positions (identical positions reached by transposition
// are evaluated once). The result does not depend on Config.Batch: a
// search is the same, bit for bit, whatever the batch size, which only
// sets how many leaves share a forward pass. Terminal positions are
// scored by State.Terminal with no net call, and values are backed up with
// alternating signs (two-player zero-sum games).
package gumbel
