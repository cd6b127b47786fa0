package valueiter

import (
	"fmt"
	"math"
	"time"

	"argmax"
)

// Defaults of Config's zero fields.
const (
	DefaultTolerance = 1e-10
	DefaultMaxSweeps = 100_000
)

// Config configures value iteration and iterative policy evaluation.
type Config struct {
	// Gamma is the discount γ in [0, 1], used as given (0 is myopic). With
	// γ = 1 the values converge only where every episode ends (or the
	// rewards do), unless Horizon bounds the sweeps.
	Gamma float64
	// Tolerance stops the sweeps once the largest change of a value in one
	// sweep, the residual ‖V_{k+1} − V_k‖∞, is at most Tolerance (the values
	// are then within Tolerance·γ/(1−γ) of the fixed point); 0 means
	// DefaultTolerance.
	Tolerance float64
	// MaxSweeps caps the sweeps; 0 means DefaultMaxSweeps. A solve that
	// reaches the cap unconverged reports Converged false.
	MaxSweeps int
	// Horizon, when > 0, runs exactly Horizon sweeps from V = 0 with no
	// convergence test: V is then the optimal (or the policy's) expected
	// discounted return over Horizon steps — finite-horizon value
	// iteration, Ziebart's backward pass when soft. Init must be nil.
	Horizon int
	// Init, when not nil, is the starting value of every state (a warm
	// start, one value per state); nil starts from V = 0.
	Init []float64
}

func (c Config) check(t *Table, fn string) (Config, error) {
	switch {
	case !(c.Gamma >= 0 && c.Gamma <= 1):
		return c, fmt.Errorf("valueiter: %s: Gamma=%v: want a discount in [0, 1]", fn, c.Gamma)
	case !(c.Tolerance >= 0) || math.IsInf(c.Tolerance, 1):
		return c, fmt.Errorf("valueiter: %s: Tolerance=%v: want a finite tolerance ≥ 0 (0 for %g)", fn, c.Tolerance, float64(DefaultTolerance))
	case c.MaxSweeps < 0:
		return c, fmt.Errorf("valueiter: %s: MaxSweeps=%d: want ≥ 1 (0 for %d)", fn, c.MaxSweeps, DefaultMaxSweeps)
	case c.Horizon < 0:
		return c, fmt.Errorf("valueiter: %s: Horizon=%d: want ≥ 0 (0 to sweep until convergence)", fn, c.Horizon)
	case c.Horizon > 0 && c.Init != nil:
		return c, fmt.Errorf("valueiter: %s: Horizon=%d with Init: a finite horizon starts from V = 0", fn, c.Horizon)
	case c.Init != nil && len(c.Init) != t.nS:
		return c, fmt.Errorf("valueiter: %s: Init has %d values for %d states", fn, len(c.Init), t.nS)
	}
	for s, v := range c.Init {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return c, fmt.Errorf("valueiter: %s: Init[%d] = %v: want a finite value", fn, s, v)
		}
	}
	if c.Tolerance == 0 {
		c.Tolerance = DefaultTolerance
	}
	if c.MaxSweeps == 0 {
		c.MaxSweeps = DefaultMaxSweeps
	}
	return c, nil
}

// Solution is the outcome of a solve: values, Q-values and how the sweeps
// went.
type Solution struct {
	// Table is the MDP solved.
	Table *Table
	// Gamma is the discount solved with.
	Gamma float64
	// Temperature is τ of a soft solve, 0 for a hard one (value iteration,
	// policy evaluation).
	Temperature float64
	// V holds one value per state: V(s) = max_a Q(s, a) (hard),
	// τ·log Σ_a exp(Q(s, a)/τ) (soft) or Σ_a π(a|s)·Q(s, a) (evaluation).
	V []float64
	// Q holds states × actions values, row-major: Q(s, a) = Σ p·(r + γ·V'(s'))
	// over the outcomes of (s, a), with V'(s') = 0 after a terminal
	// outcome, V' the values before the last sweep (so that V is exactly
	// the maximum, soft maximum or average of Q).
	Q []float64
	// Sweeps is the number of sweeps done, Residual the largest change of
	// a value in the last one, Converged whether it fell to the tolerance.
	Sweeps    int
	Residual  float64
	Converged bool
	// Cost is the solve's counted work: Iterations = sweeps, Steps =
	// transition backups (one per outcome per sweep), Elapsed the wall
	// time.
	Cost argmax.Cost
}

// QValues returns the Q-values of state s, one per action (the Solution's
// own).
func (sol *Solution) QValues(s int) []float64 {
	nA := sol.Table.nA
	return sol.Q[s*nA : (s+1)*nA]
}

// Greedy returns a greedy policy: in each state the action of largest
// Q-value, the first of ties.
func (sol *Solution) Greedy() []int {
	g := make([]int, sol.Table.nS)
	for s := range g {
		g[s] = argmaxIndex(sol.QValues(s))
	}
	return g
}

// Policy returns the Solution's policy as states × actions probabilities,
// row-major: for a soft solve the maximum-entropy policy π(a|s) =
// exp((Q(s, a) − V(s))/τ), otherwise the greedy policy, one-hot (the first
// of ties).
func (sol *Solution) Policy() []float64 {
	nS, nA := sol.Table.nS, sol.Table.nA
	if sol.Temperature == 0 {
		return Deterministic(sol.Greedy(), nA)
	}
	p := make([]float64, nS*nA)
	for s := range nS {
		softmax(p[s*nA:(s+1)*nA], sol.QValues(s), sol.Temperature)
	}
	return p
}

// StartValue is the expected value at the start: Σ_s start(s)·V(s).
func (sol *Solution) StartValue() float64 {
	var v float64
	for s, p := range sol.Table.start {
		v += p * sol.V[s]
	}
	return v
}

// backup returns Q(s, a) against values v.
func (t *Table) backup(s, a int, gamma float64, v []float64) float64 {
	var q float64
	for _, o := range t.Transitions(s, a) {
		if o.Terminal {
			q += o.Prob * o.Reward
		} else {
			q += o.Prob * (o.Reward + gamma*v[o.Next])
		}
	}
	return q
}

// sweepRule turns the Q-values of a state into its value.
type sweepRule func(s int, q []float64) float64

// sweep runs the sweeps of cfg with rule, Jacobi style (every state backed
// up against the values of the previous sweep).
func (t *Table) sweep(cfg Config, rule sweepRule) *Solution {
	start := time.Now()
	nS, nA := t.nS, t.nA
	sol := &Solution{Table: t, Gamma: cfg.Gamma, V: make([]float64, nS), Q: make([]float64, nS*nA)}
	v := make([]float64, nS)
	if cfg.Init != nil {
		copy(v, cfg.Init)
	}
	next := sol.V
	sweeps := cfg.MaxSweeps
	if cfg.Horizon > 0 {
		sweeps = cfg.Horizon
	}
	for sol.Sweeps < sweeps {
		var res float64
		for s := range nS {
			q := sol.Q[s*nA : (s+1)*nA]
			for a := range q {
				q[a] = t.backup(s, a, cfg.Gamma, v)
			}
			next[s] = rule(s, q)
			res = max(res, math.Abs(next[s]-v[s]))
		}
		v, next = next, v
		sol.Sweeps++
		sol.Residual = res
		if res <= cfg.Tolerance {
			sol.Converged = true
			if cfg.Horizon == 0 {
				break
			}
		}
	}
	if cfg.Horizon > 0 {
		sol.Converged = sol.Residual <= cfg.Tolerance
	}
	sol.V = v
	sol.Cost = argmax.Cost{
		Iterations: int64(sol.Sweeps),
		Steps:      int64(sol.Sweeps) * int64(len(t.tr)),
		Elapsed:    time.Since(start),
	}
	return sol
}

// ValueIteration solves t for the optimal values, V(s) = max_a Q(s, a),
// sweeping until the residual falls to cfg's tolerance, its sweep cap or
// its horizon. The greedy policy of the result (Greedy, Policy) is optimal
// once the solve has converged.
func ValueIteration(t *Table, cfg Config) (*Solution, error) {
	cfg, err := cfg.check(t, "ValueIteration")
	if err != nil {
		return nil, err
	}
	return t.sweep(cfg, func(_ int, q []float64) float64 { return q[argmaxIndex(q)] }), nil
}

// SoftValueIteration solves t for the maximum-entropy (soft) values of
// temperature tau > 0, V(s) = τ·log Σ_a exp(Q(s, a)/τ): the values of the
// policy π(a|s) = exp((Q(s, a) − V(s))/τ) (Solution.Policy) under the
// reward plus τ times the policy's entropy at every step. As τ → 0 the
// soft values fall to the hard ones: V_hard ≤ V_soft ≤ V_hard +
// τ·log(A)/(1−γ) (τ·log(A)·Horizon with a horizon). This is the backward
// pass of MaxEnt inverse RL (Ziebart et al., 2008) on the rewards of t,
// which WithStateRewards and WithFeatureRewards set.
func SoftValueIteration(t *Table, cfg Config, tau float64) (*Solution, error) {
	cfg, err := cfg.check(t, "SoftValueIteration")
	if err != nil {
		return nil, err
	}
	if !(tau > 0) || math.IsInf(tau, 1) {
		return nil, fmt.Errorf("valueiter: SoftValueIteration: temperature %v: want a finite τ > 0", tau)
	}
	sol := t.sweep(cfg, func(_ int, q []float64) float64 { return logSumExp(q, tau) })
	sol.Temperature = tau
	return sol, nil
}

// Evaluate computes the values of a stochastic policy (states × actions
// probabilities, row-major; see Deterministic for a deterministic one),
// V(s) = Σ_a π(a|s)·Q(s, a), by sweeps as cfg says. Its Solution's Q are
// the policy's Q-values; its Policy is the greedy improvement of them.
func Evaluate(t *Table, policy []float64, cfg Config) (*Solution, error) {
	cfg, err := cfg.check(t, "Evaluate")
	if err != nil {
		return nil, err
	}
	if err := t.checkPolicy("Evaluate", policy, 1); err != nil {
		return nil, err
	}
	nA := t.nA
	return t.sweep(cfg, func(s int, q []float64) float64 {
		var v float64
		for a, p := range policy[s*nA : (s+1)*nA] {
			v += p * q[a]
		}
		return v
	}), nil
}

// EvaluateExact computes the values of a stochastic policy exactly, by
// solving the linear system (I − γ·P_π)·V = r_π with Gaussian elimination
// (partial pivoting), where P_π(s, s') is the probability of moving from
// s to s' under the policy without the episode ending and r_π(s) the
// expected immediate reward. It costs O(states³) and is meant for testing
// and small tables. It returns an error when the system is singular (γ = 1
// and a policy that never ends from some state).
func EvaluateExact(t *Table, policy []float64, gamma float64) ([]float64, error) {
	if !(gamma >= 0 && gamma <= 1) {
		return nil, fmt.Errorf("valueiter: EvaluateExact: gamma=%v: want a discount in [0, 1]", gamma)
	}
	if err := t.checkPolicy("EvaluateExact", policy, 1); err != nil {
		return nil, err
	}
	n, nA := t.nS, t.nA
	a := make([]float64, n*n)
	b := make([]float64, n)
	for s := range n {
		a[s*n+s] = 1
		for act, pa := range policy[s*nA : (s+1)*nA] {
			if pa == 0 {
				continue
			}
			for _, o := range t.Transitions(s, act) {
				w := pa * o.Prob
				b[s] += w * o.Reward
				if !o.Terminal {
					a[s*n+o.Next] -= gamma * w
				}
			}
		}
	}
	if err := solveLinear(a, b, n); err != nil {
		return nil, fmt.Errorf("valueiter: EvaluateExact: %w", err)
	}
	return b, nil
}

// solveLinear solves a·x = b in place (a is n×n row-major, destroyed; b
// becomes x) by Gaussian elimination with partial pivoting.
func solveLinear(a, b []float64, n int) error {
	var scale float64
	for _, v := range a {
		scale = max(scale, math.Abs(v))
	}
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r*n+col]) > math.Abs(a[p*n+col]) {
				p = r
			}
		}
		if math.Abs(a[p*n+col]) <= 1e-12*scale {
			return fmt.Errorf("singular system at column %d (the policy never ends from some state and γ = 1?)", col)
		}
		if p != col {
			for k := range n {
				a[p*n+k], a[col*n+k] = a[col*n+k], a[p*n+k]
			}
			b[p], b[col] = b[col], b[p]
		}
		piv := a[col*n+col]
		for r := col + 1; r < n; r++ {
			f := a[r*n+col] / piv
			if f == 0 {
				continue
			}
			for k := col; k < n; k++ {
				a[r*n+k] -= f * a[col*n+k]
			}
			b[r] -= f * b[col]
		}
	}
	for r := n - 1; r >= 0; r-- {
		v := b[r]
		for k := r + 1; k < n; k++ {
			v -= a[r*n+k] * b[k]
		}
		b[r] = v / a[r*n+r]
	}
	return nil
}

// argmaxIndex returns the index of the largest value, the first of ties.
func argmaxIndex(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// logSumExp returns τ·log Σ exp(q/τ), computed from the largest q so that
// it neither overflows nor underflows.
func logSumExp(q []float64, tau float64) float64 {
	m := q[argmaxIndex(q)]
	var z float64
	for _, x := range q {
		z += math.Exp((x - m) / tau)
	}
	return m + tau*math.Log(z)
}

// softmax writes exp((q − max q)/τ), normalized, into dst.
func softmax(dst, q []float64, tau float64) {
	m := q[argmaxIndex(q)]
	var z float64
	for a, x := range q {
		dst[a] = math.Exp((x - m) / tau)
		z += dst[a]
	}
	for a := range dst {
		dst[a] /= z
	}
}
