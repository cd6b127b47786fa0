package valueiter

import "fmt"

// Ending says how Visitation counts an episode after a terminal outcome.
type Ending int

const (
	// Stay keeps an episode that ended in the state it ended in for the
	// rest of the horizon, counted there at every remaining step (as a
	// trajectory padded with its last state): every step's distribution
	// sums to 1, and the visitation frequencies to the horizon.
	Stay Ending = iota
	// Once counts an episode in the state it ended in at the step it got
	// there, and no more: the frequencies sum to the expected number of
	// states an episode visits within the horizon, its final one included.
	Once
)

// String names the ending ("stay", "once").
func (e Ending) String() string {
	switch e {
	case Stay:
		return "stay"
	case Once:
		return "once"
	}
	return fmt.Sprintf("Ending(%d)", int(e))
}

// Visitation is the forward pass of MaxEnt inverse RL: the expected state
// visitation frequencies D(s) = Σ_{t<horizon} P(s_t = s) of a stochastic
// policy over horizon steps from t's start distribution, s_0 counted at
// t = 0, episodes that end counted as end says.
//
// policy holds states × actions probabilities, row-major: one table for
// every step (a stationary policy, as Solution.Policy returns), or
// horizon tables one after the other, table k used at step k (the
// time-dependent policy of a finite-horizon backward pass).
//
// With state rewards on arrival (WithStateRewards), the expected
// undiscounted return of the first n steps is Σ_s r(s)·(D(s) − start(s))
// for D = Visitation(policy, n+1, Once): the frequencies the reward
// gradient of MaxEnt IRL weighs features by.
func Visitation(t *Table, policy []float64, horizon int, end Ending) ([]float64, error) {
	if horizon < 1 {
		return nil, fmt.Errorf("valueiter: Visitation: horizon %d: want at least 1 step", horizon)
	}
	if end != Stay && end != Once {
		return nil, fmt.Errorf("valueiter: Visitation: %v: want Stay or Once", end)
	}
	steps := 1
	if len(policy) == horizon*t.nS*t.nA && horizon > 1 {
		steps = horizon
	}
	if err := t.checkPolicy("Visitation", policy, steps); err != nil {
		if steps == 1 {
			return nil, fmt.Errorf("%w (or %d step tables of them)", err, horizon)
		}
		return nil, err
	}
	nS, nA := t.nS, t.nA
	d := make([]float64, nS)
	live := t.Start()            // episodes still running, by state
	ended := make([]float64, nS) // episodes ended (Stay) or just ended (Once), by state
	nextLive := make([]float64, nS)
	for step := range horizon {
		for s := range nS {
			d[s] += live[s] + ended[s]
		}
		if step == horizon-1 {
			break
		}
		pi := policy
		if steps > 1 {
			pi = policy[step*nS*nA : (step+1)*nS*nA]
		}
		clear(nextLive)
		if end == Once {
			clear(ended)
		}
		for s, m := range live {
			if m == 0 {
				continue
			}
			for a, pa := range pi[s*nA : (s+1)*nA] {
				if pa == 0 {
					continue
				}
				w := m * pa
				for _, o := range t.Transitions(s, a) {
					if o.Terminal {
						ended[o.Next] += w * o.Prob
					} else {
						nextLive[o.Next] += w * o.Prob
					}
				}
			}
		}
		live, nextLive = nextLive, live
	}
	return d, nil
}
