package ppo

// gae computes generalized advantage estimates (Schulman et al. 2016) and
// the value targets of a rollout of T steps of n envs, stored step-major
// (transition t of env i at t·n+i):
//
//	δ_t = r_t + γ·(1 − d_t)·V_{t+1} − V_t
//	A_t = δ_t + γλ·(1 − d_t)·A_{t+1},   R_t = A_t + V_t
//
// where d_t reports that env i's episode ended at transition t (terminated
// or truncated), V_{t+1} is the value of the next observation in the
// rollout and, after the last step, last[i] — the value of the observation
// the rollout stopped at. A truncated episode's bootstrap γ·V(final obs)
// is expected to be in its reward already (the reset observation that
// follows it belongs to another episode); a terminated one has none.
//
// adv and ret (T·n entries each) are overwritten.
func gae(adv, ret, rewards, values []float64, done []bool, last []float64, n int, gamma, lambda float64) {
	T := len(rewards) / n
	for i := range n {
		var a float64
		next := last[i]
		for t := T - 1; t >= 0; t-- {
			k := t*n + i
			nonTerminal := 1.0
			if done[k] {
				nonTerminal = 0
			}
			delta := rewards[k] + gamma*next*nonTerminal - values[k]
			a = delta + gamma*lambda*nonTerminal*a
			adv[k] = a
			ret[k] = a + values[k]
			next = values[k]
		}
	}
}
