// Package bestofn is best-of-n rejection sampling, a direct optimizer: at
// every decision it draws n candidates from a generator, scores each, and
// answers with the best, paying n samples and n scores per answer; as n
// grows its answers converge to the argmax of the score over the
// generator's support. In RLHF terms (Gao, Schulman & Hilton 2022) it is
// the inference-time alternative to training a policy against a reward
// model.
//
// Decider works with any Generator and Scorer (task/prefs supplies a base
// policy and a proxy reward model) and counts Cost.Samples as it draws,
// stopping at Budget.Samples (the n of the decision when set) or
// Budget.Time; its draws come from its own seeded PCG stream, so the same
// seed and the same sequence of calls give the same answers.
//
// Tie rule: among the n candidates, the answer is the first one drawn
// whose score equals the maximum. Because the candidates are independent
// and identically distributed, the first of the tied maximal candidates is
// distributed like a single draw conditioned on its score class: the
// selection splits each class in proportion to the generator's
// probabilities.
//
// Exact computes the same distribution in closed form on a finite space
// with known probabilities: with F the generator's distribution function of
// the score, the best score falls in class s with probability
// F(s)^n − F(s⁻)^n, split within the class in proportion to the base
// probability (the tie rule above). For distinct scores this gives
// KL(π_bon‖π_base) → log n − (n−1)/n as the space becomes continuous.
// Sweep traces best-of-n's exact gold and proxy rewards against
// d = sqrt(KL) for the overoptimization study of task/prefs.
package bestofn
