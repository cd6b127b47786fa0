package power_test

import (
	"math"
	"testing"

	"argmax/direct/valueiter"
	"argmax/probe/power"
)

// bandit is a one-state MDP whose action i ends the episode with reward
// i+1: the uniform policy's return is uniform on 1..n.
type bandit int

func (b bandit) NumStates() int           { return 1 }
func (b bandit) NumActions() int          { return int(b) }
func (b bandit) NumOutcomes(_, _ int) int { return 1 }
func (b bandit) Outcome(_, a, _ int) (float64, int, float64, bool) {
	return 1, 0, float64(a + 1), true
}
func (b bandit) StartProb(int) float64 { return 1 }

func TestExactBitsBandit(t *testing.T) {
	tab := mustTable(bandit(16))
	for _, c := range []struct{ achieved, bits float64 }{{16, 4}, {15, 3}, {13, 2}, {9, 1}, {1, 0}, {0.5, 0}} {
		e, err := power.ExactBits(tab, c.achieved, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !near(e.Bits, c.bits, 1e-12) || e.Lo != e.Bits || e.Hi != e.Bits || e.Bound {
			t.Errorf("achieved %v: %+v, want exactly %v bits", c.achieved, e, c.bits)
		}
	}
}

// ExactBits on the 6×6 maze (reach the door within the time limit)
// agrees with a Monte Carlo estimate of the uniform random policy, and
// with Bits of the simulated returns.
func TestExactBitsMonteCarlo(t *testing.T) {
	for _, c := range []struct {
		name    string
		slip    float64
		horizon int
	}{
		{"deterministic, 20 steps", 0, 20},
		{"slippery 0.2, 30 steps", 0.2, 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			tab := mustTable(newGrid(maze, c.slip))
			d, err := power.Returns(tab, nil, c.horizon)
			if err != nil {
				t.Fatal(err)
			}
			var sum float64
			for _, p := range d.Probs {
				sum += p
			}
			if !near(sum, 1, 1e-12) || len(d.Values) != 2 {
				t.Fatalf("returns %v with probabilities %v (sum %v): want a 0/1 distribution", d.Values, d.Probs, sum)
			}
			exact, err := power.ExactBits(tab, 1, c.horizon)
			if err != nil {
				t.Fatal(err)
			}
			const n = 20000
			_, rets := rollouts(tab, uniformPolicy(tab), c.horizon, n, 3)
			var hits float64
			for _, r := range rets {
				hits += r
			}
			pHat := hits / n
			se := math.Sqrt(exact.Share * (1 - exact.Share) / n)
			mc, err := power.Bits(1, rets)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("P(door within %d) exact %.5f (%.3f bits), Monte Carlo %.5f ± %.5f (%v)", c.horizon, exact.Share, exact.Bits, pHat, se, mc)
			if math.Abs(pHat-exact.Share) > 4*se {
				t.Errorf("Monte Carlo %v vs exact %v: more than 4 standard errors apart", pHat, exact.Share)
			}
			if !(mc.Lo <= exact.Bits && exact.Bits <= mc.Hi) {
				t.Errorf("exact %v bits outside the Monte Carlo interval [%v, %v]", exact.Bits, mc.Lo, mc.Hi)
			}
		})
	}
}

// With a step cost the return takes many values; the mean of the exact
// distribution is the uniform policy's finite-horizon value, which
// valueiter.Evaluate computes independently.
func TestReturnsStepCost(t *testing.T) {
	g := newGrid(maze, 0.1)
	base := mustTable(g)
	r := make([]float64, base.NumStates())
	for s := range r {
		r[s] = -1
	}
	r[9] = 0 // a floor cell, so that returns are not a plain step count
	r[17] = 10
	tab, err := base.WithStateRewards(r)
	if err != nil {
		t.Fatal(err)
	}
	const h = 25
	d, err := power.Returns(tab, nil, h)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := valueiter.Evaluate(tab, uniformPolicy(tab), valueiter.Config{Gamma: 1, Horizon: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d distinct returns, mean %.9f, Evaluate %.9f", len(d.Values), d.Mean(), sol.StartValue())
	if !near(d.Mean(), sol.StartValue(), 1e-9) {
		t.Errorf("mean return %v, Evaluate %v", d.Mean(), sol.StartValue())
	}
	if d.AtLeast(d.Values[0]) < 1-1e-12 || d.AtLeast(d.Values[len(d.Values)-1]+1) != 0 {
		t.Errorf("AtLeast of the smallest value %v, of beyond the largest %v", d.AtLeast(d.Values[0]), d.AtLeast(d.Values[len(d.Values)-1]+1))
	}
}
