package dqn

import (
	"math"

	"argmax/env"
)

// corridor is a chain of n cells with the goal at the right end: action 1
// moves right, action 0 left (staying put at the left wall); reaching
// the goal pays 1 and terminates; an episode is truncated after limit
// steps. An episode starts in a cell drawn from its seed among the n−1
// non-goal cells; the observation is the one-hot cell. Its optimal
// Q-values are known in closed form: from cell s, d = n−1−s steps from the
// goal, Q*(s, right) = γ^(d−1) and Q*(s, left) = γ·Q*(max(s−1, 0), right).
type corridor struct {
	n, limit int
	s, t     int
	ret      float64
	obs      []float64
}

func newCorridor(n, limit int) *corridor {
	return &corridor{n: n, limit: limit, obs: make([]float64, n)}
}

func (c *corridor) Name() string { return "corridor" }

func (c *corridor) ObservationSpace() env.Space {
	return env.Box(make([]float64, c.n), ones(c.n))
}

func (c *corridor) ActionSpace() env.Space { return env.Discrete(2) }

func (c *corridor) Reset(seed uint64) []float64 {
	c.s, c.t, c.ret = int(seed%uint64(c.n-1)), 0, 0
	return c.observe()
}

func (c *corridor) observe() []float64 {
	clear(c.obs)
	c.obs[c.s] = 1
	return c.obs
}

func (c *corridor) Step(a []float64) ([]float64, float64, bool, bool) {
	if a[0] == 1 {
		c.s++
	} else {
		c.s = max(c.s-1, 0)
	}
	c.t++
	var r float64
	term := c.s == c.n-1
	if term {
		r = 1
	}
	c.ret += r
	return c.observe(), r, term, !term && c.t >= c.limit
}

func (c *corridor) Clone() env.Env {
	d := *c
	d.obs = append([]float64(nil), c.obs...)
	return &d
}

func (c *corridor) Performance() float64 { return c.ret }

// optimalQ returns Q*(s, left) and Q*(s, right) of the corridor.
func (c *corridor) optimalQ(s int, gamma float64) (left, right float64) {
	right = math.Pow(gamma, float64(c.n-2-s))
	left = gamma * math.Pow(gamma, float64(c.n-2-max(s-1, 0)))
	return left, right
}

// treadmill pays 1 at every step, whatever the action (two of them), and
// ends after limit steps: by termination when terminal is set, by
// truncation otherwise. Its observation is the constant 1, or, with
// clock set, the number of steps taken so far. With the constant
// observation the agent cannot see the time: the infinite-horizon value
// of a truncated treadmill is 1/(1−γ) everywhere, while a terminating one
// has the finite-horizon values (1−γ^k)/(1−γ), k steps from the end.
type treadmill struct {
	limit    int
	terminal bool
	clock    bool
	t        int
	obs      [1]float64
}

func (m *treadmill) Name() string { return "treadmill" }

func (m *treadmill) ObservationSpace() env.Space {
	return env.Box([]float64{0}, []float64{float64(max(m.limit, 1))})
}

func (m *treadmill) ActionSpace() env.Space { return env.Discrete(2) }

func (m *treadmill) Reset(uint64) []float64 {
	m.t = 0
	return m.observe()
}

func (m *treadmill) observe() []float64 {
	m.obs[0] = 1
	if m.clock {
		m.obs[0] = float64(m.t)
	}
	return m.obs[:]
}

func (m *treadmill) Step([]float64) ([]float64, float64, bool, bool) {
	m.t++
	end := m.t >= m.limit
	return m.observe(), 1, end && m.terminal, end && !m.terminal
}

func (m *treadmill) Clone() env.Env {
	d := *m
	return &d
}

func (m *treadmill) Performance() float64 { return float64(m.t) }

func ones(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1
	}
	return x
}
