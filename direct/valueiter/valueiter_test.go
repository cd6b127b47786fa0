package valueiter

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/toytext"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

var (
	_ MDP = (*toytext.FrozenLake)(nil)
	_ MDP = (*toytext.CliffWalking)(nil)
)

func lake(cfg toytext.FrozenLakeConfig) *toytext.FrozenLake {
	return must(toytext.NewFrozenLake(cfg))
}

func cliff(cfg toytext.CliffWalkingConfig) *toytext.CliffWalking {
	return must(toytext.NewCliffWalking(cfg))
}

func table(m MDP) *Table { return must(NewTable(m)) }

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

type solveCase struct {
	name  string
	t     *Table
	gamma float64
}

func solveCases() []solveCase {
	return []solveCase{
		{"lake4 slippery γ=0.99", table(lake(toytext.FrozenLakeConfig{})), 0.99},
		{"lake4 slippery γ=1", table(lake(toytext.FrozenLakeConfig{})), 1},
		{"lake4 deterministic γ=0.9", table(lake(toytext.FrozenLakeConfig{Deterministic: true})), 0.9},
		{"lake8 slippery γ=0.99", table(lake(toytext.FrozenLakeConfig{Map: "8x8"})), 0.99},
		{"lake4 success 0.8 γ=0.95", table(lake(toytext.FrozenLakeConfig{SuccessRate: 0.8})), 0.95},
		{"cliff γ=1", table(cliff(toytext.CliffWalkingConfig{})), 1},
		{"cliff γ=0.9", table(cliff(toytext.CliffWalkingConfig{})), 0.9},
		{"cliff slippery γ=0.95", table(cliff(toytext.CliffWalkingConfig{Slippery: true})), 0.95},
	}
}

// Value iteration's values are those of its greedy policy, solved exactly
// by (I − γP)V = r, and satisfy the Bellman optimality equation; iterative
// evaluation of the policy agrees with the linear solve.
func TestValueIterationMatchesExactEvaluation(t *testing.T) {
	for _, c := range solveCases() {
		t.Run(c.name, func(t *testing.T) {
			sol := must(ValueIteration(c.t, Config{Gamma: c.gamma, Tolerance: 1e-12}))
			if !sol.Converged {
				t.Fatalf("not converged after %d sweeps (residual %g)", sol.Sweeps, sol.Residual)
			}
			pi := sol.Policy()
			exact := must(EvaluateExact(c.t, pi, c.gamma))
			if d := maxAbsDiff(sol.V, exact); d > 1e-8 {
				t.Errorf("value iteration and the exact values of its greedy policy differ by %g", d)
			}
			iter := must(Evaluate(c.t, pi, Config{Gamma: c.gamma, Tolerance: 1e-12}))
			if d := maxAbsDiff(iter.V, exact); d > 1e-8 || !iter.Converged {
				t.Errorf("iterative and exact evaluation differ by %g (converged %v)", d, iter.Converged)
			}
			// Bellman optimality: no action beats V by more than the
			// tolerance's error, at the converged values.
			for s := range c.t.NumStates() {
				for a := range c.t.NumActions() {
					if q := c.t.backup(s, a, c.gamma, sol.V); q > sol.V[s]+1e-8 {
						t.Fatalf("state %d action %d: Q = %v > V = %v", s, a, q, sol.V[s])
					}
				}
				if q := sol.QValues(s); sol.V[s] != q[argmaxIndex(q)] {
					t.Fatalf("state %d: V = %v is not max Q %v", s, sol.V[s], q)
				}
			}
			t.Logf("start value %.10f (exact %.12f), %d sweeps, %d backups", sol.StartValue(), dot(c.t.start, exact), sol.Sweeps, sol.Cost.Steps)
		})
	}
}

func dot(a, b []float64) float64 {
	var v float64
	for i := range a {
		v += a[i] * b[i]
	}
	return v
}

// episode plays the solution's policy on e through the env.Policy adapter.
func episode(t *testing.T, e env.Env, sol *Solution, seed uint64) env.Episode {
	t.Helper()
	p := must(NewPolicy(sol, seed))
	ep, err := env.Rollout(context.Background(), e, p, seed, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

// Known optima: the deterministic 4x4 lake is crossed in 6 steps (return
// 1, value γ⁵), the cliff walk along the edge in 13 (return −13).
func TestKnownOptima(t *testing.T) {
	det := lake(toytext.FrozenLakeConfig{Deterministic: true})
	sol := must(ValueIteration(table(det), Config{Gamma: 0.9}))
	if v, want := sol.StartValue(), math.Pow(0.9, 5); math.Abs(v-want) > 1e-12 {
		t.Errorf("deterministic lake: start value %v, want 0.9⁵ = %v", v, want)
	}
	if ep := episode(t, det, sol, 1); ep.Return != 1 || ep.Steps != 6 || ep.Truncated || ep.Performance != 1 {
		t.Errorf("deterministic lake: greedy episode %+v, want return 1 in 6 steps", ep)
	}
	sol = must(ValueIteration(table(det), Config{Gamma: 1}))
	if v := sol.StartValue(); v != 1 {
		t.Errorf("deterministic lake, γ = 1: start value %v, want 1", v)
	}

	cw := cliff(toytext.CliffWalkingConfig{})
	sol = must(ValueIteration(table(cw), Config{Gamma: 1}))
	if v := sol.StartValue(); v != -13 || !sol.Converged {
		t.Errorf("cliff: start value %v (converged %v), want -13", v, sol.Converged)
	}
	if ep := episode(t, cw, sol, 1); ep.Return != -13 || ep.Steps != 13 || ep.Truncated {
		t.Errorf("cliff: greedy episode %+v, want return -13 in 13 steps", ep)
	}
}

// The slippery 4x4 lake's optimal start value, γ = 0.99, computed by value
// iteration, by exact evaluation of its greedy policy, and estimated by
// Monte Carlo rollouts of that policy in the env; and the figures
// Gymnasium's registration quotes, optimum 0.74 within FrozenLake-v1's 100
// steps and 0.91 within FrozenLake8x8-v1's 200, by finite-horizon value
// iteration.
func TestSlipperyLakeValue(t *testing.T) {
	e := lake(toytext.FrozenLakeConfig{MaxSteps: toytext.NoLimit})
	tab := table(e)
	sol := must(ValueIteration(tab, Config{Gamma: 0.99, Tolerance: 1e-13}))
	exact := must(EvaluateExact(tab, sol.Policy(), 0.99))
	v := sol.StartValue()
	if math.Abs(v-exact[0]) > 1e-10 || math.Abs(v-0.5420259) > 1e-6 {
		t.Errorf("start value %.10f, exact %.10f; want both 0.5420259…", v, exact[0])
	}
	// Monte Carlo: the discounted return of the greedy policy.
	p := must(NewPolicy(sol, 0))
	const n = 20000
	var sum, sum2 float64
	for i := range uint64(n) {
		obs := e.Reset(i)
		g, disc := 0.0, 1.0
		for {
			a, _, err := p.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{})
			if err != nil {
				t.Fatal(err)
			}
			var r float64
			var term bool
			obs, r, term, _ = e.Step(a)
			g += disc * r
			disc *= 0.99
			if term || disc < 1e-12 {
				break
			}
		}
		sum += g
		sum2 += g * g
	}
	mean := sum / n
	se := math.Sqrt((sum2/n - mean*mean) / n)
	if math.Abs(mean-v) > 4*se {
		t.Errorf("Monte Carlo %.4f ± %.4f, value iteration %.6f", mean, se, v)
	}
	t.Logf("V*(start) γ=0.99: value iteration %.10f, exact %.10f, Monte Carlo %.4f ± %.4f", v, exact[0], mean, se)

	und := must(ValueIteration(tab, Config{Gamma: 1, Tolerance: 1e-13}))
	if u := und.StartValue(); math.Abs(u-14.0/17) > 1e-9 {
		t.Errorf("γ = 1: success probability %.10f, want 14/17 = %.10f", u, 14.0/17)
	}
	for _, c := range []struct {
		cfg     toytext.FrozenLakeConfig
		horizon int
		quoted  float64
	}{
		{toytext.FrozenLakeConfig{}, toytext.FrozenLakeMaxSteps, 0.74},
		{toytext.FrozenLakeConfig{Map: "8x8"}, toytext.FrozenLake8x8MaxSteps, 0.91},
	} {
		fin := must(ValueIteration(table(lake(c.cfg)), Config{Gamma: 1, Horizon: c.horizon}))
		if f := fin.StartValue(); math.Abs(f-c.quoted) > 0.005 || fin.Sweeps != c.horizon {
			t.Errorf("%q within %d steps: %.4f after %d sweeps, Gymnasium quotes %v", c.cfg.Map, c.horizon, f, fin.Sweeps, c.quoted)
		} else {
			t.Logf("map %q: optimal success within %d steps %.6f (Gymnasium quotes %v)", c.cfg.Map, c.horizon, f, c.quoted)
		}
	}
}

// Soft value iteration falls to hard value iteration as τ → 0, within
// 0 ≤ V_soft − V_hard ≤ τ·log(A)/(1−γ); and its values are those of its
// Boltzmann policy under the entropy-regularized reward, solved exactly.
func TestSoftValueIteration(t *testing.T) {
	for _, c := range solveCases() {
		if c.gamma == 1 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			hard := must(ValueIteration(c.t, Config{Gamma: c.gamma, Tolerance: 1e-12}))
			prev := math.Inf(1)
			for _, tau := range []float64{1, 0.1, 0.01, 1e-3, 1e-4} {
				soft := must(SoftValueIteration(c.t, Config{Gamma: c.gamma, Tolerance: 1e-12}, tau))
				bound := tau * math.Log(4) / (1 - c.gamma)
				var gap float64
				for s := range soft.V {
					d := soft.V[s] - hard.V[s]
					if d < -1e-8 || d > bound+1e-8 {
						t.Fatalf("τ=%g state %d: V_soft − V_hard = %g outside [0, %g]", tau, s, d, bound)
					}
					gap = max(gap, d)
				}
				if gap > prev+1e-12 {
					t.Errorf("τ=%g: gap %g grew from %g", tau, gap, prev)
				}
				prev = gap
				// The soft values are the entropy-regularized values of the
				// soft policy.
				pi := soft.Policy()
				reg := must(NewTable(entropyRegularized{c.t, pi, tau}))
				ex := must(EvaluateExact(reg, pi, c.gamma))
				if d := maxAbsDiff(ex, soft.V); d > 1e-7 {
					t.Fatalf("τ=%g: soft values and the exact regularized values of the soft policy differ by %g", tau, d)
				}
			}
			if prev > 1e-3 {
				t.Errorf("τ=1e-4: soft values still %g from hard ones", prev)
			}
			t.Logf("largest V_soft − V_hard at τ=1e-4: %.3g", prev)
		})
	}
}

// entropyRegularized is an MDP whose rewards of (s, a) include −τ·log π(a|s).
type entropyRegularized struct {
	*Table
	pi  []float64
	tau float64
}

func (m entropyRegularized) Outcome(s, a, i int) (float64, int, float64, bool) {
	p, next, r, term := m.Table.Outcome(s, a, i)
	if q := m.pi[s*m.NumActions()+a]; q > 0 {
		r -= m.tau * math.Log(q)
	}
	return p, next, r, term
}

// Visitation frequencies sum to the horizon (Stay), match Monte Carlo
// rollouts of the policy in the env (both endings), agree for a stationary
// policy and its time-dependent repetition, and weigh arrival rewards into
// the policy's finite-horizon return.
func TestVisitation(t *testing.T) {
	const horizon = 15
	for _, c := range []struct {
		name string
		e    interface {
			env.Env
			MDP
			State() int
		}
	}{
		{"lake4", lake(toytext.FrozenLakeConfig{})},
		{"lake-two-starts", lake(toytext.FrozenLakeConfig{Map: "SFFS/FHFH/FFFH/HFFG"})},
		{"cliff-slippery", cliff(toytext.CliffWalkingConfig{Slippery: true})},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := table(c.e)
			soft := must(SoftValueIteration(tab, Config{Gamma: 0.95}, 0.05))
			pi := soft.Policy()
			nS, nA := tab.NumStates(), tab.NumActions()
			stay := must(Visitation(tab, pi, horizon, Stay))
			once := must(Visitation(tab, pi, horizon, Once))
			var sumStay, sumOnce float64
			for s := range stay {
				sumStay += stay[s]
				sumOnce += once[s]
			}
			if math.Abs(sumStay-horizon) > 1e-9 || sumOnce > horizon+1e-9 {
				t.Fatalf("frequencies sum to %v (stay) and %v (once), want %d and at most %d", sumStay, sumOnce, horizon, horizon)
			}
			rep := make([]float64, 0, horizon*len(pi))
			for range horizon {
				rep = append(rep, pi...)
			}
			if d := maxAbsDiff(must(Visitation(tab, rep, horizon, Stay)), stay); d > 1e-12 {
				t.Errorf("a time-dependent repetition of the policy differs by %g", d)
			}

			// Monte Carlo in the env.
			const n = 20000
			rng := rand.New(rand.NewPCG(3, 4))
			cStay, cOnce := make([]float64, nS), make([]float64, nS)
			sqStay, sqOnce := make([]float64, nS), make([]float64, nS)
			epStay, epOnce := make([]float64, nS), make([]float64, nS)
			for i := range uint64(n) {
				clear(epStay)
				clear(epOnce)
				c.e.Reset(i)
				// Stay counts the final state at every remaining step, Once
				// only at the step the episode got there.
				s, ended, counted := c.e.State(), false, false
				for range horizon {
					epStay[s]++
					if !counted {
						epOnce[s]++
					}
					if ended {
						counted = true
						continue
					}
					a := sample(rng, pi[s*nA:(s+1)*nA])
					_, _, term, _ := c.e.Step([]float64{float64(a)})
					s, ended = c.e.State(), term
				}
				for k := range nS {
					cStay[k] += epStay[k]
					cOnce[k] += epOnce[k]
					sqStay[k] += epStay[k] * epStay[k]
					sqOnce[k] += epOnce[k] * epOnce[k]
				}
			}
			worst := 0.0
			for _, m := range []struct {
				name    string
				d, c, q []float64
			}{{"stay", stay, cStay, sqStay}, {"once", once, cOnce, sqOnce}} {
				for k := range nS {
					mean := m.c[k] / n
					// A state too rare for n episodes to see gets a
					// floor of a few visits.
					se := math.Sqrt(max(m.q[k]/n-mean*mean, 0)/n) + 1.0/n
					worst = max(worst, math.Abs(mean-m.d[k])/se)
					if math.Abs(mean-m.d[k]) > 5*se {
						t.Errorf("%s: state %d: Monte Carlo %.4f ± %.4f, forward pass %.4f", m.name, k, mean, se, m.d[k])
					}
				}
			}
			t.Logf("frequencies sum to %.6f (stay), %.4f (once); Monte Carlo within %.2f standard errors", sumStay, sumOnce, worst)

			// Arrival rewards: the n-step return of the policy is
			// Σ r(s)·(D(s) − start(s)), D over n+1 steps, ending once.
			r := make([]float64, nS)
			for k := range r {
				r[k] = math.Sin(float64(3*k + 1))
			}
			rt := must(tab.WithStateRewards(r))
			d := must(Visitation(rt, pi, horizon+1, Once))
			var viaD float64
			for k := range r {
				viaD += r[k] * (d[k] - tab.StartProb(k))
			}
			ev := must(Evaluate(rt, pi, Config{Gamma: 1, Horizon: horizon}))
			if math.Abs(viaD-ev.StartValue()) > 1e-10 {
				t.Errorf("%d-step return %v by evaluation, %v by visitation", horizon, ev.StartValue(), viaD)
			}
		})
	}
}

func sample(rng *rand.Rand, p []float64) int {
	u := rng.Float64()
	for a, q := range p {
		if u < q {
			return a
		}
		u -= q
	}
	return len(p) - 1
}

// State rewards from features: one-hot features give the rewards
// themselves; FrozenLake's own reward is the state reward 1 on the goal,
// so the values agree wherever an episode acts.
func TestFeatureRewards(t *testing.T) {
	e := lake(toytext.FrozenLakeConfig{})
	tab := table(e)
	nS := tab.NumStates()
	features := make([]float64, nS*nS)
	w := make([]float64, nS)
	for s := range nS {
		features[s*nS+s] = 1
	}
	w[15] = 1
	ft := must(tab.WithFeatureRewards(features, w))
	orig := must(ValueIteration(tab, Config{Gamma: 0.99}))
	feat := must(ValueIteration(ft, Config{Gamma: 0.99}))
	for s := range nS {
		if c := e.Map().At(s/4, s%4); c == 'G' || c == 'H' {
			continue
		}
		if math.Abs(orig.V[s]-feat.V[s]) > 1e-12 {
			t.Errorf("state %d: value %v with the env's rewards, %v with the goal's state reward", s, orig.V[s], feat.V[s])
		}
	}
	// Two features, weights (a, b): r = a·φ₁ + b·φ₂.
	phi := make([]float64, 2*nS)
	for s := range nS {
		phi[2*s], phi[2*s+1] = float64(s), 1
	}
	r := must(LinearRewards(phi, nS, []float64{0.5, -2}))
	if r[3] != 0.5*3-2 {
		t.Errorf("r[3] = %v, want %v", r[3], 0.5*3-2)
	}
	if _, err := LinearRewards(phi, nS, []float64{1, 2, 3}); err == nil {
		t.Error("LinearRewards with 3 weights for 2 features: no error")
	}
	if _, err := tab.WithStateRewards(make([]float64, 3)); err == nil {
		t.Error("WithStateRewards with 3 rewards for 16 states: no error")
	}
}

// The env.Policy adapter: through wrappers, from a one-hot observation
// alone, its distribution, its costs and its errors.
func TestPolicy(t *testing.T) {
	e := lake(toytext.FrozenLakeConfig{Deterministic: true})
	sol := must(ValueIteration(table(e), Config{Gamma: 0.9}))
	wrapped := must(env.TimeLimit(must(env.ObservationNoise(e, 0.1)), 50))
	if ep := episode(t, wrapped, sol, 2); ep.Return != 1 || ep.Steps != 6 {
		t.Errorf("through wrappers: episode %+v, want return 1 in 6 steps", ep)
	}
	p := must(NewPolicy(sol, 0))
	if c := p.TrainingCost(); c.Iterations != int64(sol.Sweeps) || c.Steps != int64(sol.Sweeps)*64 || c.Iterations == 0 {
		t.Errorf("training cost %+v after %d sweeps of 64 transitions", c, sol.Sweeps)
	}
	obs := make([]float64, 16)
	obs[14] = 1
	a, c, err := p.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	if err != nil || a[0] != toytext.Right || c != (argmax.Cost{}) {
		t.Errorf("from a one-hot observation of state 14: %v, %+v, %v; want right, no cost", a, c, err)
	}
	dst := make([]float32, 4)
	if _, err := p.Distribution(context.Background(), env.Situation{Obs: obs}, argmax.Budget{}, dst); err != nil || dst[toytext.Right] != 1 {
		t.Errorf("distribution %v, %v", dst, err)
	}
	if _, _, err := p.Decide(context.Background(), env.Situation{Obs: []float64{0.5}}, argmax.Budget{}); err == nil ||
		!strings.Contains(err.Error(), "no integer state") {
		t.Errorf("a situation without a state: error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := p.Decide(ctx, env.Situation{Obs: obs}, argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
	// A soft policy samples in proportion to its probabilities.
	soft := must(SoftValueIteration(table(lake(toytext.FrozenLakeConfig{})), Config{Gamma: 0.9}, 0.02))
	sp := must(NewPolicy(soft, 7))
	if _, err := sp.Distribution(context.Background(), env.Situation{Obs: obs}, argmax.Budget{}, dst); err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, 4)
	const n = 20000
	for range n {
		a, _, _ := sp.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
		counts[int(a[0])]++
	}
	for a := range 4 {
		q := float64(dst[a])
		if math.Abs(counts[a]/n-q) > 5*math.Sqrt(q*(1-q)/n)+1e-6 {
			t.Errorf("soft policy: action %d drawn %.4f of the time, probability %.4f", a, counts[a]/n, q)
		}
	}
	sp.Reset()
	sp2 := must(NewPolicy(soft, 7))
	a1, _, _ := sp.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	a2, _, _ := sp2.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	if a1[0] != a2[0] {
		t.Errorf("after Reset the policy drew %v, a fresh one %v", a1[0], a2[0])
	}
}

// fakeMDP is a small MDP given by its lists, to test NewTable's checks.
type fakeMDP struct {
	nS, nA int
	p      map[[2]int][]Transition
	start  []float64
}

func (m fakeMDP) NumStates() int           { return m.nS }
func (m fakeMDP) NumActions() int          { return m.nA }
func (m fakeMDP) NumOutcomes(s, a int) int { return len(m.p[[2]int{s, a}]) }
func (m fakeMDP) Outcome(s, a, i int) (float64, int, float64, bool) {
	o := m.p[[2]int{s, a}][i]
	return o.Prob, o.Next, o.Reward, o.Terminal
}
func (m fakeMDP) StartProb(s int) float64 { return m.start[s] }

// chain is a two-state MDP: from 0, the one action reaches 1 with reward 1;
// from 1 it ends with reward 2.
func chain() fakeMDP {
	return fakeMDP{nS: 2, nA: 1, start: []float64{1, 0}, p: map[[2]int][]Transition{
		{0, 0}: {{Prob: 1, Next: 1, Reward: 1}},
		{1, 0}: {{Prob: 1, Next: 1, Reward: 2, Terminal: true}},
	}}
}

func TestNewTableErrors(t *testing.T) {
	edit := func(f func(m *fakeMDP)) fakeMDP {
		m := chain()
		m.p = map[[2]int][]Transition{{0, 0}: append([]Transition(nil), m.p[[2]int{0, 0}]...), {1, 0}: m.p[[2]int{1, 0}]}
		f(&m)
		return m
	}
	for _, c := range []struct {
		name string
		m    MDP
		want string
	}{
		{"nil", nil, "nil MDP"},
		{"no states", fakeMDP{nS: 0, nA: 1}, "0 states"},
		{"no outcomes", edit(func(m *fakeMDP) { m.p[[2]int{1, 0}] = nil }), "state 1, action 0: 0 outcomes"},
		{"probability", edit(func(m *fakeMDP) { m.p[[2]int{0, 0}][0].Prob = 1.5 }), "probability 1.5"},
		{"sum", edit(func(m *fakeMDP) {
			m.p[[2]int{0, 0}] = []Transition{{Prob: 0.5, Next: 1}, {Prob: 0.4, Next: 0}}
		}), "sum to 0.9"},
		{"next", edit(func(m *fakeMDP) { m.p[[2]int{0, 0}][0].Next = 2 }), "next state 2"},
		{"reward", edit(func(m *fakeMDP) { m.p[[2]int{0, 0}][0].Reward = math.Inf(1) }), "reward +Inf"},
		{"start", edit(func(m *fakeMDP) { m.start = []float64{0.5, 0} }), "start probabilities sum to 0.5"},
	} {
		_, err := NewTable(c.m)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	tab := table(chain())
	sol := must(ValueIteration(tab, Config{Gamma: 0.5}))
	if sol.V[0] != 1+0.5*2 || sol.V[1] != 2 {
		t.Errorf("chain values %v, want [2 2]", sol.V)
	}
}

func TestConfigErrors(t *testing.T) {
	tab := table(chain())
	pi := []float64{1, 1}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"gamma", second(ValueIteration(tab, Config{Gamma: 1.5})), "Gamma=1.5"},
		{"tolerance", second(ValueIteration(tab, Config{Gamma: 0.5, Tolerance: -1})), "Tolerance=-1"},
		{"sweeps", second(ValueIteration(tab, Config{Gamma: 0.5, MaxSweeps: -1})), "MaxSweeps=-1"},
		{"horizon", second(ValueIteration(tab, Config{Gamma: 0.5, Horizon: -1})), "Horizon=-1"},
		{"init", second(ValueIteration(tab, Config{Gamma: 0.5, Init: []float64{1}})), "Init has 1 values"},
		{"temperature", second(SoftValueIteration(tab, Config{Gamma: 0.5}, 0)), "temperature 0"},
		{"policy length", second(Evaluate(tab, []float64{1}, Config{Gamma: 0.5})), "policy of 1 values"},
		{"policy sum", second(EvaluateExact(tab, []float64{1, 0.5}, 0.5)), "sum to 0.5"},
		{"horizon visitation", second(Visitation(tab, pi, 0, Stay)), "horizon 0"},
		{"ending", second(Visitation(tab, pi, 3, Ending(7))), "Ending(7)"},
		{"nil solution", second(NewPolicy(nil, 0)), "nil solution"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, c.err, c.want)
		}
	}
	// γ = 1 and a policy that never ends: singular.
	loop := fakeMDP{nS: 1, nA: 1, start: []float64{1}, p: map[[2]int][]Transition{{0, 0}: {{Prob: 1, Next: 0, Reward: -1}}}}
	if _, err := EvaluateExact(table(loop), []float64{1}, 1); err == nil || !strings.Contains(err.Error(), "singular") {
		t.Errorf("a policy that never ends, γ = 1: error %v", err)
	}
	sol := must(ValueIteration(table(loop), Config{Gamma: 1, MaxSweeps: 10}))
	if sol.Converged || sol.Sweeps != 10 || sol.V[0] != -10 {
		t.Errorf("a divergent solve: %+v, want 10 sweeps unconverged at -10", sol)
	}
}

func second[T any](_ T, err error) error { return err }

func TestSolveLinear(t *testing.T) {
	// A system that needs pivoting (a zero on the first diagonal entry).
	a := []float64{0, 2, 1, 1, 1, 1, 2, 1, 3}
	b := []float64{5, 6, 13} // x = (1, 2, 1) · ... solved below
	x := []float64{1, 2, 1}
	for i := range 3 {
		b[i] = a[i*3]*x[0] + a[i*3+1]*x[1] + a[i*3+2]*x[2]
	}
	if err := solveLinear(append([]float64(nil), a...), b, 3); err != nil || maxAbsDiff(b, x) > 1e-14 {
		t.Errorf("solution %v, %v; want %v", b, err, x)
	}
}

// The warm start: solving from the previous solution's values takes fewer
// sweeps to the same values.
func TestWarmStart(t *testing.T) {
	tab := table(lake(toytext.FrozenLakeConfig{Map: "8x8"}))
	cold := must(ValueIteration(tab, Config{Gamma: 0.99}))
	warm := must(ValueIteration(tab, Config{Gamma: 0.99, Init: cold.V}))
	if !warm.Converged || warm.Sweeps >= cold.Sweeps/10 || maxAbsDiff(warm.V, cold.V) > 1e-8 {
		t.Errorf("warm start: %d sweeps (cold %d), values differ by %g", warm.Sweeps, cold.Sweeps, maxAbsDiff(warm.V, cold.V))
	}
}
