package power

import (
	"fmt"
	"math"
	"slices"

	"argmax/direct/valueiter"
)

// MaxReturnValues caps the distinct returns per state that Returns tracks:
// its dynamic programme is exact only when returns take few values.
const MaxReturnValues = 1 << 12

// returnQuantum is the grid returns are merged on, so that sums reached in
// different orders (0.1 + 0.2 and 0.2 + 0.1) count as one value.
const returnQuantum = 1e-9

// Distribution is a finite distribution of returns: Values ascending, each
// with its probability.
type Distribution struct {
	Values, Probs []float64
}

// AtLeast is the probability of a return ≥ x (values within 1e-9 of x
// count as equal to it, ties of floating-point sums).
func (d *Distribution) AtLeast(x float64) float64 {
	tol := returnQuantum * max(1, math.Abs(x))
	i, _ := slices.BinarySearchFunc(d.Values, x-tol, func(v, t float64) int {
		switch {
		case v < t:
			return -1
		case v > t:
			return 1
		}
		return 0
	})
	var p float64
	for _, q := range d.Probs[i:] {
		p += q
	}
	return min(p, 1)
}

// Mean is the expected return.
func (d *Distribution) Mean() float64 {
	var m float64
	for i, v := range d.Values {
		m += v * d.Probs[i]
	}
	return m
}

// Returns is the exact distribution of the undiscounted return of policy
// (states × actions probabilities, row-major; nil for the uniform random
// policy) on t over episodes of at most horizon steps from t's start
// distribution: an episode ends at its first terminal outcome or, still
// running, after horizon steps (a time limit), and its return is the sum
// of the rewards it collected. It is a dynamic programme over (state,
// return so far), exact when the returns take few values — 0/1 outcome
// tasks (reward on reaching a goal), a step cost, a handful of reward
// levels — and an error naming the state once some state carries more than
// MaxReturnValues distinct returns. Cost: horizon × transitions × values.
func Returns(t *valueiter.Table, policy []float64, horizon int) (*Distribution, error) {
	if t == nil {
		return nil, fmt.Errorf("power: Returns: nil table")
	}
	if horizon < 1 {
		return nil, fmt.Errorf("power: Returns: horizon %d: want at least 1 step", horizon)
	}
	nS, nA := t.NumStates(), t.NumActions()
	if policy == nil {
		policy = make([]float64, nS*nA)
		for i := range policy {
			policy[i] = 1 / float64(nA)
		}
	} else if err := checkPolicy("Returns", policy, nS, nA); err != nil {
		return nil, err
	}
	key := func(g float64) float64 { return math.Round(g/returnQuantum) * returnQuantum }
	live := make([]map[float64]float64, nS)
	for s := range nS {
		if p := t.StartProb(s); p > 0 {
			live[s] = map[float64]float64{0: p}
		}
	}
	final := map[float64]float64{}
	for range horizon {
		next := make([]map[float64]float64, nS)
		for s, m := range live {
			if len(m) == 0 {
				continue
			}
			gs := sortedKeys(m)
			for a, pa := range policy[s*nA : (s+1)*nA] {
				if pa == 0 {
					continue
				}
				for _, o := range t.Transitions(s, a) {
					w := pa * o.Prob
					if w == 0 {
						continue
					}
					for _, g := range gs {
						g2 := key(g + o.Reward)
						if o.Terminal {
							final[g2] += m[g] * w
							continue
						}
						if next[o.Next] == nil {
							next[o.Next] = map[float64]float64{}
						}
						next[o.Next][g2] += m[g] * w
					}
				}
			}
		}
		for s, m := range next {
			if len(m) > MaxReturnValues {
				return nil, fmt.Errorf("power: Returns: state %d carries %d distinct returns, more than MaxReturnValues = %d: the return takes too many values for an exact distribution", s, len(m), MaxReturnValues)
			}
		}
		live = next
	}
	for _, m := range live {
		for _, g := range sortedKeys(m) {
			final[g] += m[g]
		}
	}
	d := &Distribution{Values: sortedKeys(final)}
	d.Probs = make([]float64, len(d.Values))
	for i, v := range d.Values {
		d.Probs[i] = final[v]
	}
	return d, nil
}

// ExactBits is the optimization power of an achieved return on a tabular
// task, against the exact return distribution of the uniform random
// policy over episodes of at most horizon steps (Returns with a nil
// policy): −log2 P_uniform(return ≥ achieved), with no sampling error (Lo
// = Hi = Bits, N = 0). For a task whose return is 1 on reaching a goal and
// 0 otherwise, and an agent that reached it, it is −log2 of the
// probability that random actions reach the goal within the time limit.
// A return the uniform policy cannot reach within the horizon (probability
// 0) is an error.
func ExactBits(t *valueiter.Table, achieved float64, horizon int) (Estimate, error) {
	if !finite(achieved) {
		return Estimate{}, fmt.Errorf("power: ExactBits: achieved return %v: want a finite number", achieved)
	}
	d, err := Returns(t, nil, horizon)
	if err != nil {
		return Estimate{}, fmt.Errorf("power: ExactBits: %w", err)
	}
	p := d.AtLeast(achieved)
	if !(p > 0) {
		return Estimate{}, fmt.Errorf("power: ExactBits: achieved return %v is beyond every return the uniform policy reaches within %d steps (best %v)", achieved, horizon, d.Values[len(d.Values)-1])
	}
	b := -math.Log2(p)
	return Estimate{Bits: b, Lo: b, Hi: b, Share: p}, nil
}

func sortedKeys(m map[float64]float64) []float64 {
	k := make([]float64, 0, len(m))
	for g := range m {
		k = append(k, g)
	}
	slices.Sort(k)
	return k
}

// checkPolicy returns an error unless policy holds a row of nA
// probabilities summing to 1 for each of nS states.
func checkPolicy(fn string, policy []float64, nS, nA int) error {
	if len(policy) != nS*nA {
		return fmt.Errorf("power: %s: policy of %d values: want %d states × %d actions", fn, len(policy), nS, nA)
	}
	for s := range nS {
		var sum float64
		for a, p := range policy[s*nA : (s+1)*nA] {
			if !(p >= 0 && p <= 1) {
				return fmt.Errorf("power: %s: policy of state %d, action %d: probability %v: want one in [0, 1]", fn, s, a, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("power: %s: policy of state %d: probabilities sum to %v, want 1", fn, s, sum)
		}
	}
	return nil
}
