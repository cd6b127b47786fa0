package power

import (
	"fmt"
	"math"

	"argmax/direct/valueiter"
)

// Step is one decision of an agent in a tabular MDP: the state it was in
// and the action it took.
type Step struct {
	State, Action int
}

// Episode is an agent's decisions in one episode, in order: Step i was
// taken i steps after the start.
type Episode []Step

// MEG is the maximum entropy goal-directedness of an agent's behaviour
// towards a utility on a tabular MDP (MacDermott, Fox, Belardinelli &
// Everitt, "Measuring Goal-Directedness", NeurIPS 2024, Def. 3.2): how much
// better than the uniform policy the best-fitting soft-optimal policy of
// the utility predicts the agent's actions,
//
//	MEG_U(π) = max over β ≥ 0 of E_π[ Σ_t log π_β(a_t|s_t) − log(1/|A|) ],
//
// where π_β is the Boltzmann policy π_β(a|s) ∝ exp(β·Q^soft_β(s, a)) of
// soft value iteration at temperature 1/β (the paper's Eq. 3 and Def.
// 5.2; β = 0 is the uniform policy), and the expectation is over the
// agent's own trajectories, estimated by its episodes. The utility is
// given as state rewards paid on arrival (as valueiter.Table.WithStateRewards
// pays them; t's own rewards are ignored); the discount and horizon of the
// soft solves are cfg.Solve's.
//
// The paper defines the maximum over the maximum-entropy policies of every
// attainable expected utility (Def. 3.1); these are the π_β of every real
// β (the Boltzmann form of its Eq. 3), and the β below 0, which model an
// agent avoiding U, are the π_β of −U. MEG keeps β ≥ 0 — goal-directedness
// towards U, not away from it — so the paper's MEG_U is the larger of MEG
// for U and for −U (MaxMEG of the two). The maximum over β is found by a
// search of cfg's bounded range rather than by the paper's gradient steps
// on β (its Algorithm 1), which reach the same maximum where the
// likelihood is unimodal. MEG is invariant to the scale of U (one of the
// paper's desiderata, which it proves): rewards are divided by their
// largest |r| before solving. (Its translation invariance concerns
// utilities of outcomes; a constant added to every state's reward is not
// a translation of the return of an episodic task, whose length varies.)
//
// One adaptation to episodic MDPs: the paper's decisions D_1..D_T exist in
// every run, whereas an episode here may end early. The decisions after
// the end are inert, so their maximum-entropy policy is uniform, and the
// entropy of all T decisions is that of the live ones plus log|A| for each
// step after the end. The soft solves therefore take the entropy bonus
// relative to the uniform policy — a charge of γ·τ·log|A| on each
// transition that does not end the episode, that is a KL penalty towards
// uniform — which gives the same π_β wherever episodes run to the horizon.
// With the plain entropy bonus, which stops when the episode ends, π_β
// would avoid terminal states to keep collecting entropy, and an agent
// heading for a terminal goal would look less goal-directed towards it.
//
// The result gives MEG per decision in bits (Bits, with a bootstrap
// interval over the episodes), normalized by its bound log2|A| (Fraction)
// and summed per episode as the paper does (Total).
func MEG(t *valueiter.Table, reward []float64, episodes []Episode, cfg MEGConfig) (*Directedness, error) {
	m, cfg, err := newModel("MEG", t, reward, cfg)
	if err != nil {
		return nil, err
	}
	if len(episodes) == 0 {
		return nil, fmt.Errorf("power: MEG: no episodes")
	}
	nS, nA := t.NumStates(), t.NumActions()
	p := problem{
		decisions: make([]float64, len(episodes)),
		uniform:   make([]float64, len(episodes)),
		scale:     m.scale,
		episodes:  len(episodes),
	}
	var total int
	for e, ep := range episodes {
		if h := cfg.Solve.Horizon; h > 0 && len(ep) > h {
			return nil, fmt.Errorf("power: MEG: episode %d has %d steps, more than Solve.Horizon = %d", e, len(ep), h)
		}
		for i, st := range ep {
			switch {
			case st.State < 0 || st.State >= nS:
				return nil, fmt.Errorf("power: MEG: episode %d, step %d: state %d: want one of 0..%d", e, i, st.State, nS-1)
			case st.Action < 0 || st.Action >= nA:
				return nil, fmt.Errorf("power: MEG: episode %d, step %d: action %d: want one of 0..%d", e, i, st.Action, nA-1)
			}
		}
		p.decisions[e] = float64(len(ep))
		p.uniform[e] = float64(len(ep)) * math.Log2(float64(nA))
		total += len(ep)
	}
	if total == 0 {
		return nil, fmt.Errorf("power: MEG: %d episodes with no steps: want at least one decision", len(episodes))
	}
	h := cfg.Solve.Horizon
	p.gains = func(b float64) ([]float64, error) {
		logp, err := m.logPolicies(b)
		if err != nil {
			return nil, err
		}
		g := make([]float64, len(episodes))
		for e, ep := range episodes {
			for i, st := range ep {
				k := 0
				if h > 0 {
					k = h - 1 - i
				}
				g[e] += logp[k][st.State*nA+st.Action] + math.Log2(float64(nA))
			}
		}
		return g, nil
	}
	return cfg.fit(p)
}

// MEGPolicy is MEG of an agent given by its policy rather than by
// episodes: states × actions probabilities, row-major, one table, or steps
// tables one after the other for a time-dependent policy (table k used at
// step k). The expectation over the agent's trajectories is computed
// exactly, by the forward pass of its state distribution over episodes of
// at most steps steps from t's start distribution (0 steps means
// cfg.Solve.Horizon). The result is exact: Lo
// = Hi = Bits, Decisions is the expected number of decisions per episode
// and Episodes is 1.
func MEGPolicy(t *valueiter.Table, reward, policy []float64, steps int, cfg MEGConfig) (*Directedness, error) {
	m, cfg, err := newModel("MEGPolicy", t, reward, cfg)
	if err != nil {
		return nil, err
	}
	nS, nA := t.NumStates(), t.NumActions()
	h := cfg.Solve.Horizon
	if steps == 0 {
		steps = h
	}
	switch {
	case steps < 1:
		return nil, fmt.Errorf("power: MEGPolicy: steps %d: want an episode length ≥ 1 (or a Solve.Horizon)", steps)
	case h > 0 && steps > h:
		return nil, fmt.Errorf("power: MEGPolicy: steps %d: more than Solve.Horizon = %d", steps, h)
	}
	tables := 1
	if len(policy) == steps*nS*nA && steps > 1 {
		tables = steps
	}
	for k := range tables {
		table := policy
		if tables > 1 {
			table = policy[k*nS*nA : (k+1)*nS*nA]
		}
		if err := checkPolicy("MEGPolicy", table, nS, nA); err != nil {
			if tables > 1 {
				err = fmt.Errorf("step %d: %w", k, err)
			} else if len(policy) != nS*nA {
				err = fmt.Errorf("%w (or %d step tables of them)", err, steps)
			}
			return nil, err
		}
	}
	pi := func(k, s int) []float64 {
		if tables > 1 {
			return policy[(k*nS+s)*nA : (k*nS+s+1)*nA]
		}
		return policy[s*nA : (s+1)*nA]
	}
	// occ[k][s]: probability that the episode is still running in s at
	// step k, where it makes a decision.
	occ := make([][]float64, steps)
	occ[0] = t.Start()
	var decisions float64
	for k := range steps {
		for _, x := range occ[k] {
			decisions += x
		}
		if k == steps-1 {
			break
		}
		next := make([]float64, nS)
		for s, x := range occ[k] {
			if x == 0 {
				continue
			}
			for a, pa := range pi(k, s) {
				if pa == 0 {
					continue
				}
				for _, o := range t.Transitions(s, a) {
					if !o.Terminal {
						next[o.Next] += x * pa * o.Prob
					}
				}
			}
		}
		occ[k+1] = next
	}
	if !(decisions > 0) {
		return nil, fmt.Errorf("power: MEGPolicy: the start distribution makes no decision")
	}
	p := problem{
		decisions: []float64{decisions},
		uniform:   []float64{decisions * math.Log2(float64(nA))},
		scale:     m.scale,
		episodes:  1,
	}
	p.gains = func(b float64) ([]float64, error) {
		logp, err := m.logPolicies(b)
		if err != nil {
			return nil, err
		}
		var g float64
		for k, d := range occ {
			lp := logp[0]
			if h > 0 {
				lp = logp[h-1-k]
			}
			for s, x := range d {
				if x == 0 {
					continue
				}
				for a, pa := range pi(k, s) {
					if pa > 0 {
						g += x * pa * (lp[s*nA+a] + math.Log2(float64(nA)))
					}
				}
			}
		}
		return []float64{g}, nil
	}
	return cfg.fit(p)
}

// MaxMEG is MEG with respect to a set of utilities (the paper's Def. 4.3,
// MEG_{U^Θ}(π) = max over U in the class of MEG_U(π), for a finite class):
// MEG of the episodes for each of rewards, and the index of the utility of
// largest Bits. Give U and −U to get the paper's MEG_U, which also counts
// avoiding U; give several candidate goals (the base objective, a proxy)
// to ask towards which the agent optimizes. Scales of one utility need not
// be listed: MEG does not depend on them.
func MaxMEG(t *valueiter.Table, rewards [][]float64, episodes []Episode, cfg MEGConfig) (best int, all []*Directedness, err error) {
	if len(rewards) == 0 {
		return 0, nil, fmt.Errorf("power: MaxMEG: no utilities")
	}
	all = make([]*Directedness, len(rewards))
	for i, r := range rewards {
		if all[i], err = MEG(t, r, episodes, cfg); err != nil {
			return 0, nil, fmt.Errorf("power: MaxMEG: utility %d: %w", i, err)
		}
		if all[i].Bits > all[best].Bits {
			best = i
		}
	}
	return best, all, nil
}

// Choice is one decision among options of known utility: a context-free
// view of a single decision (a one-step task, a contextual bandit), as of a
// net picking one of several items.
type Choice struct {
	// Utilities holds the utility of each option (at least one).
	Utilities []float64
	// Chosen is the index of the option taken.
	Chosen int
}

// MEGChoices is MEG for single decisions of known utility — the paper's
// causal influence diagram with one decision per context: π_β(i) ∝
// exp(β·u_i) over each choice's options, β ≥ 0 shared by every choice,
// fitted to the choices taken as MEG does; the bootstrap resamples
// choices. The number of options may differ between choices (a choice of
// n options has bound log2 n, which Fraction sums). Beta is in the
// utilities' units; the search range is relative to the largest spread
// max u − min u of one choice's utilities.
func MEGChoices(choices []Choice, cfg MEGConfig) (*Directedness, error) {
	cfg, err := cfg.check("MEGChoices")
	if err != nil {
		return nil, err
	}
	if len(choices) == 0 {
		return nil, fmt.Errorf("power: MEGChoices: no choices")
	}
	p := problem{
		decisions: make([]float64, len(choices)),
		uniform:   make([]float64, len(choices)),
		episodes:  len(choices),
	}
	for i, c := range choices {
		if len(c.Utilities) == 0 {
			return nil, fmt.Errorf("power: MEGChoices: choice %d has no options", i)
		}
		if c.Chosen < 0 || c.Chosen >= len(c.Utilities) {
			return nil, fmt.Errorf("power: MEGChoices: choice %d: chosen option %d: want one of 0..%d", i, c.Chosen, len(c.Utilities)-1)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for j, u := range c.Utilities {
			if !finite(u) {
				return nil, fmt.Errorf("power: MEGChoices: choice %d, option %d: utility %v: want a finite number", i, j, u)
			}
			lo, hi = min(lo, u), max(hi, u)
		}
		p.scale = max(p.scale, hi-lo)
		p.decisions[i] = 1
		p.uniform[i] = math.Log2(float64(len(c.Utilities)))
	}
	p.gains = func(b float64) ([]float64, error) {
		g := make([]float64, len(choices))
		beta := b / p.scale
		for i, c := range choices {
			m := math.Inf(-1)
			for _, u := range c.Utilities {
				m = max(m, u)
			}
			var z float64
			for _, u := range c.Utilities {
				z += math.Exp(beta * (u - m))
			}
			logp := beta*(c.Utilities[c.Chosen]-m) - math.Log(z)
			g[i] = logp/math.Ln2 + p.uniform[i]
		}
		return g, nil
	}
	return cfg.fit(p)
}

// SoftOptimal returns the soft-optimal policy π_β that MEG fits, for
// state rewards reward on t at rationality beta ≥ 0 in the rewards' units
// (β = 0, or a constant utility, gives the uniform policy), solved as
// solve says: states × actions probabilities, row-major — one table when
// solve.Horizon is 0, else Horizon tables one after the other, table k
// used at step k (valueiter.Visitation's convention). It is for
// simulating agents of known rationality, and for inspecting what MEG
// compares an agent with.
func SoftOptimal(t *valueiter.Table, reward []float64, beta float64, solve valueiter.Config) ([]float64, error) {
	m, _, err := newModel("SoftOptimal", t, reward, MEGConfig{Solve: solve})
	if err != nil {
		return nil, err
	}
	if !(beta >= 0) || math.IsInf(beta, 1) {
		return nil, fmt.Errorf("power: SoftOptimal: β = %v: want a finite β ≥ 0", beta)
	}
	nS, nA := t.NumStates(), t.NumActions()
	tables := max(solve.Horizon, 1)
	if beta == 0 || m.scale == 0 {
		p := make([]float64, tables*nS*nA)
		for i := range p {
			p[i] = 1 / float64(nA)
		}
		return p, nil
	}
	logp, err := m.logPolicies(beta * m.scale)
	if err != nil {
		return nil, err
	}
	p := make([]float64, 0, tables*nS*nA)
	for k := range tables {
		for _, l := range logp[len(logp)-1-k] { // step k has Horizon − k steps to go
			p = append(p, math.Exp2(l))
		}
	}
	return p, nil
}

// model is a tabular MDP with a utility's state rewards, normalized to
// largest |r| = 1, ready for the soft solves of any β.
type model struct {
	fn    string
	t     *valueiter.Table
	r     []float64 // normalized state rewards
	scale float64
	cfg   valueiter.Config
}

func newModel(fn string, t *valueiter.Table, reward []float64, cfg MEGConfig) (*model, MEGConfig, error) {
	cfg, err := cfg.check(fn)
	if err != nil {
		return nil, cfg, err
	}
	if t == nil {
		return nil, cfg, fmt.Errorf("power: %s: nil table", fn)
	}
	sc := cfg.Solve
	switch {
	case !(sc.Gamma >= 0 && sc.Gamma <= 1):
		return nil, cfg, fmt.Errorf("power: %s: Solve.Gamma = %v: want a discount in [0, 1]", fn, sc.Gamma)
	case sc.Init != nil:
		return nil, cfg, fmt.Errorf("power: %s: Solve.Init is set: the soft solves of each β start from their own values", fn)
	case sc.Horizon == 0 && sc.Gamma == 1:
		return nil, cfg, fmt.Errorf("power: %s: Solve.Gamma = 1 with no Solve.Horizon: soft values diverge wherever an episode can run on (the entropy bonus accrues forever); want Gamma < 1 or a Horizon", fn)
	}
	if len(reward) != t.NumStates() {
		return nil, cfg, fmt.Errorf("power: %s: %d rewards for %d states: want one reward per state", fn, len(reward), t.NumStates())
	}
	m := &model{fn: fn, t: t, cfg: sc, r: make([]float64, len(reward))}
	for s, r := range reward {
		if !finite(r) {
			return nil, cfg, fmt.Errorf("power: %s: reward of state %d is %v: want a finite reward", fn, s, r)
		}
		m.scale = max(m.scale, math.Abs(r))
	}
	if m.scale > 0 {
		for s, r := range reward {
			m.r[s] = r / m.scale
		}
	}
	return m, cfg, nil
}

// shifted is the MDP the soft solves of temperature τ run on: t's
// transitions paying the normalized state reward of the state entered
// (rewards on arrival, as valueiter.Table.WithStateRewards pays them), less
// c = γ·τ·log|A| on every transition that does not end the episode.
//
// The charge makes soft value iteration's entropy bonus relative to the
// uniform policy — V(s) = τ·log mean_a exp(Q(s, a)/τ), a KL penalty towards
// uniform in place of an entropy bonus — with the same policies where
// every episode runs to the horizon. Where episodes end early it keeps
// MEG's fixed set of decisions (the paper's decisions D_1..D_T all exist in
// every episode): after the end the remaining decisions are inert, so
// their maximum-entropy policy is uniform and their entropy log|A| each
// whatever π_β did before. With the plain bonus, which stops at the end,
// π_β would avoid ending episodes to keep collecting entropy, and an agent
// that heads for a terminal goal would look less goal-directed the lower
// β is. The soft values W of the shifted MDP are V + τ·log|A|, and
// log π_β(a|s) = (Q(s, a) − W(s))/τ.
type shifted struct {
	t *valueiter.Table
	r []float64
	c float64
}

func (m shifted) NumStates() int           { return m.t.NumStates() }
func (m shifted) NumActions() int          { return m.t.NumActions() }
func (m shifted) NumOutcomes(s, a int) int { return m.t.NumOutcomes(s, a) }
func (m shifted) StartProb(s int) float64  { return m.t.StartProb(s) }
func (m shifted) Outcome(s, a, i int) (float64, int, float64, bool) {
	o := m.t.Transitions(s, a)[i]
	r := m.r[o.Next]
	if !o.Terminal {
		r -= m.c
	}
	return o.Prob, o.Next, r, o.Terminal
}

// logPolicies returns log2 π_b(a|s) of the soft-optimal policy at
// normalized rationality b > 0 (temperature τ = 1/b on the normalized
// rewards), states × actions: one table when the solve is stationary,
// else Horizon tables, table k for k+1 steps to go. log π = (Q − W)/τ
// exactly, W being the soft maximum of Q, so it stays finite where π
// underflows.
func (m *model) logPolicies(b float64) ([][]float64, error) {
	tau := 1 / b
	nS, nA := m.t.NumStates(), m.t.NumActions()
	ent := tau * math.Log(float64(nA))
	tab, err := valueiter.NewTable(shifted{t: m.t, r: m.r, c: m.cfg.Gamma * ent})
	if err != nil {
		return nil, fmt.Errorf("power: %s: %w", m.fn, err)
	}
	logp := func(sol *valueiter.Solution) []float64 {
		lp := make([]float64, nS*nA)
		for s := range nS {
			for a, q := range sol.QValues(s) {
				lp[s*nA+a] = (q - sol.V[s]) / tau / math.Ln2
			}
		}
		return lp
	}
	// W = τ·log|A| everywhere is the exact solution for zero rewards (and
	// the value with 0 steps to go): the warm start of every solve.
	init := make([]float64, nS)
	for s := range init {
		init[s] = ent
	}
	if m.cfg.Horizon == 0 {
		cfg := m.cfg
		cfg.Init = init
		sol, err := valueiter.SoftValueIteration(tab, cfg, tau)
		if err != nil {
			return nil, fmt.Errorf("power: %s: %w", m.fn, err)
		}
		if !sol.Converged {
			return nil, fmt.Errorf("power: %s: soft value iteration at β = %g did not converge in %d sweeps (residual %g): raise Solve.MaxSweeps or lower Solve.Gamma", m.fn, b/m.scale, sol.Sweeps, sol.Residual)
		}
		return [][]float64{logp(sol)}, nil
	}
	// Finite horizon: one sweep per step to go, each from the values of
	// the last (the backward pass), so that every step has its policy.
	out := make([][]float64, m.cfg.Horizon)
	step := valueiter.Config{Gamma: m.cfg.Gamma, Tolerance: m.cfg.Tolerance, MaxSweeps: 1, Init: init}
	for k := range out {
		sol, err := valueiter.SoftValueIteration(tab, step, tau)
		if err != nil {
			return nil, fmt.Errorf("power: %s: %w", m.fn, err)
		}
		out[k] = logp(sol)
		step.Init = sol.V
	}
	return out, nil
}
