// Package power measures how much, and towards what, an agent optimizes:
// a probe of the taxonomy, which reads trained artefacts — an agent's
// outcomes, its episodes, its policy table — to tell optimizers apart,
// from the outside, by their behaviour.
//
// How much: optimization power in bits, after Yudkowsky ("Measuring
// Optimization Power", 2008). An agent that achieves an outcome matched or
// beaten by one run of a reference policy (uniformly random actions, say)
// in 2^k has narrowed the reference's outcomes by k bits. Bits estimates
// it from samples of the reference's outcomes, with an exact
// (Clopper–Pearson) interval and an explicit lower bound when no sample is
// as good; MeanBits averages it over episodes or levels, each against its
// own reference; ExactBits computes it without sampling on a tabular MDP,
// from the exact return distribution of the uniform random policy within a
// time limit (Returns, a dynamic programme over state and return so far).
//
// Towards what: maximum entropy goal-directedness (MEG; MacDermott, Fox,
// Belardinelli & Everitt, "Measuring Goal-Directedness", NeurIPS 2024).
// A utility explains an agent's behaviour to the degree that some
// soft-optimal (maximum-entropy) policy for it predicts the agent's
// actions better than the uniform policy does; MEG is that gain in
// log-likelihood, maximized over the rationality β of the soft-optimal
// policies. MEG fits β to an agent's episodes on a tabular MDP, for a
// utility given as state rewards, by soft value iteration
// (direct/valueiter) and a bounded search over β, with a bootstrap
// interval over the episodes; MEGPolicy does it exactly for a policy table;
// MaxMEG maximizes over a set of utilities (which goal — the base
// objective or a proxy — explains the agent best); MEGChoices scores single
// decisions of known utility (a net picking one of several items).
// Results are in bits per decision, normalized by their bound log2|A|, and
// summed per episode as the paper defines them.
//
// The two measures answer different questions: power asks how improbable
// the agent's result is for a non-optimizer, given one objective; MEG asks
// how well an objective predicts the agent's choices, and so can compare
// objectives, as between a base objective and a proxy that training could
// not tell apart.
package power
