package power_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/direct/valueiter"
	"argmax/probe/power"
)

const (
	megGamma   = 0.95
	megHorizon = 40 // the time limit of the agents' episodes
)

var megCfg = power.MEGConfig{Solve: valueiter.Config{Gamma: megGamma, Tolerance: 1e-7}, Seed: 1}

// utilities of the maze: the door, the red object, and the top-right
// cell, which no episode can reach (it lies behind the door): no decision
// influences it, so MEG for it is 0 (one of the paper's properties).
func utilities(g *grid) (door, red, corner []float64) {
	corner = make([]float64, g.NumStates())
	corner[5] = 1 // top-right, behind the walls
	return g.goal('D'), g.goal('R'), corner
}

// optimalPolicy is the greedy policy of value iteration for state rewards
// r on t.
func optimalPolicy(t *testing.T, tab *valueiter.Table, r []float64) []float64 {
	t.Helper()
	u, err := tab.WithStateRewards(r)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := valueiter.ValueIteration(u, valueiter.Config{Gamma: megGamma})
	if err != nil {
		t.Fatal(err)
	}
	return sol.Policy()
}

// softPolicy is π_β for state rewards r on t, in r's units.
func softPolicy(t *testing.T, tab *valueiter.Table, r []float64, beta float64) []float64 {
	t.Helper()
	p, err := power.SoftOptimal(tab, r, beta, megCfg.Solve)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustMEG(t *testing.T, tab *valueiter.Table, r []float64, eps []power.Episode, cfg power.MEGConfig) *power.Directedness {
	t.Helper()
	d, err := power.MEG(tab, r, eps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// An agent optimal for the door scores high for the door and about 0 for
// utilities it does not pursue; the uniform random agent scores about 0
// for every utility.
func TestMEGOptimalAndRandom(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, red, corner := utilities(g)
	optimal, _ := rollouts(tab, optimalPolicy(t, tab, door), megHorizon, 100, 11)
	random, _ := rollouts(tab, uniformPolicy(tab), megHorizon, 100, 12)
	cases := []struct {
		name     string
		eps      []power.Episode
		r        []float64
		min, max float64 // bounds on Bits
	}{
		{"optimal agent, door", optimal, door, 1.2, 2},
		{"optimal agent, red object", optimal, red, 0, 0.1},
		{"optimal agent, unreachable corner", optimal, corner, 0, 1e-12},
		{"random agent, door", random, door, 0, 0.03},
		{"random agent, red object", random, red, 0, 0.03},
		{"random agent, unreachable corner", random, corner, 0, 1e-12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustMEG(t, tab, c.r, c.eps, megCfg)
			t.Logf("%v; fraction %.3f, %.2f bits/episode, %.0f decisions, %d solves, at bound %v", d, d.Fraction, d.Total, d.Decisions, d.Solves, d.AtBound)
			if d.Bits < c.min || d.Bits > c.max {
				t.Errorf("%.4f bits/decision: want one in [%v, %v]", d.Bits, c.min, c.max)
			}
			if !(d.Lo <= d.Bits && d.Bits <= d.Hi) {
				t.Errorf("interval [%v, %v] does not contain %v", d.Lo, d.Hi, d.Bits)
			}
			if !near(d.Fraction, d.Bits/2, 1e-12) || !near(d.Total*float64(d.Episodes), d.Bits*d.Decisions, 1e-9) {
				t.Errorf("fraction %v and total %v inconsistent with %v bits/decision", d.Fraction, d.Total, d.Bits)
			}
		})
	}
	best, all, err := power.MaxMEG(tab, [][]float64{red, door, corner}, optimal, megCfg)
	if err != nil {
		t.Fatal(err)
	}
	if best != 1 {
		t.Errorf("MaxMEG picked utility %d (%v): want the door, 1", best, all[best])
	}
}

// A soft-optimal agent of known β is recovered: exactly from its policy
// table, within sampling error from its episodes, for any scale of the
// utility (MEG is scale-invariant; the fitted β scales inversely).
func TestMEGRecoversBeta(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, _, _ := utilities(g)
	for _, beta := range []float64{3, 10, 30, 100} {
		pi := softPolicy(t, tab, door, beta)
		exact, err := power.MEGPolicy(tab, door, pi, megHorizon, megCfg)
		if err != nil {
			t.Fatal(err)
		}
		eps, _ := rollouts(tab, pi, megHorizon, 200, uint64(beta))
		sampled := mustMEG(t, tab, door, eps, megCfg)
		scaled := mustMEG(t, tab, scale(door, 4), eps, megCfg)
		t.Logf("β = %v: policy fit β = %.5f (%.4f bits/decision); episodes fit β = %.3f, %v", beta, exact.Beta, exact.Bits, sampled.Beta, sampled)
		if math.Abs(exact.Beta/beta-1) > 1e-3 {
			t.Errorf("β = %v: fitted %v from the policy table: want within 0.1%%", beta, exact.Beta)
		}
		if math.Abs(sampled.Beta/beta-1) > 0.25 {
			t.Errorf("β = %v: fitted %v from 200 episodes: want within 25%%", beta, sampled.Beta)
		}
		if !near(scaled.Bits, sampled.Bits, 1e-12) || !near(scaled.Beta*4, sampled.Beta, 1e-9*sampled.Beta) {
			t.Errorf("utility × 4: %v bits at β = %v, want %v bits at β = %v", scaled.Bits, scaled.Beta, sampled.Bits, sampled.Beta/4)
		}
	}
}

func scale(r []float64, k float64) []float64 {
	out := make([]float64, len(r))
	for i, x := range r {
		out[i] = k * x
	}
	return out
}

// More demonstrations give a narrower interval.
func TestMEGIntervalNarrows(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, _, _ := utilities(g)
	pi := softPolicy(t, tab, door, 10)
	var widths []float64
	for _, n := range []int{25, 250} {
		eps, _ := rollouts(tab, pi, megHorizon, n, 5)
		d := mustMEG(t, tab, door, eps, megCfg)
		widths = append(widths, d.Hi-d.Lo)
		t.Logf("%d episodes: %v, width %.4f", n, d, d.Hi-d.Lo)
	}
	if !(widths[1] < 0.6*widths[0]) {
		t.Errorf("widths %v: want 10× the episodes to narrow the interval by at least 40%%", widths)
	}
	// Same seed, same interval, bit for bit; another seed, another.
	eps, _ := rollouts(tab, pi, megHorizon, 25, 5)
	a, b := mustMEG(t, tab, door, eps, megCfg), mustMEG(t, tab, door, eps, megCfg)
	other := megCfg
	other.Seed = 2
	c := mustMEG(t, tab, door, eps, other)
	if a.Lo != b.Lo || a.Hi != b.Hi || (a.Lo == c.Lo && a.Hi == c.Hi) {
		t.Errorf("seed 1: [%v, %v] and [%v, %v]; seed 2: [%v, %v]", a.Lo, a.Hi, b.Lo, b.Hi, c.Lo, c.Hi)
	}
}

// With a horizon the soft policies are time-dependent: an agent optimal
// for the door scores high for it and about 0 for the corner, and a
// time-dependent soft-optimal agent of known β is recovered from its
// policy tables. At γ = 1 every path that reaches the door in time is
// optimal, so the shortest-path agent is less special, but still scores.
func TestMEGHorizon(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, _, corner := utilities(g)
	eps, _ := rollouts(tab, optimalPolicy(t, tab, door), megHorizon, 100, 21)
	for _, c := range []struct {
		gamma, min float64
	}{{megGamma, 1.2}, {1, 0.5}} {
		cfg := power.MEGConfig{Solve: valueiter.Config{Gamma: c.gamma, Horizon: megHorizon}, Seed: 1}
		dd := mustMEG(t, tab, door, eps, cfg)
		dc := mustMEG(t, tab, corner, eps, cfg)
		t.Logf("γ = %v, horizon %d: door %v; corner %v", c.gamma, megHorizon, dd, dc)
		if dd.Bits < c.min || dc.Bits > 0.05 {
			t.Errorf("γ = %v: door %.3f, corner %.3f bits/decision: want ≥ %v and ≤ 0.05", c.gamma, dd.Bits, dc.Bits, c.min)
		}
		const beta = 20
		pi, err := power.SoftOptimal(tab, door, beta, cfg.Solve)
		if err != nil {
			t.Fatal(err)
		}
		if len(pi) != megHorizon*tab.NumStates()*tab.NumActions() {
			t.Fatalf("SoftOptimal with a horizon: %d values, want %d step tables", len(pi), megHorizon)
		}
		fit, err := power.MEGPolicy(tab, door, pi, 0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("γ = %v: time-dependent soft agent of β = %v: fitted %v", c.gamma, beta, fit)
		if math.Abs(fit.Beta/beta-1) > 1e-3 {
			t.Errorf("γ = %v: fitted β = %v: want %v within 0.1%%", c.gamma, fit.Beta, beta)
		}
	}
}

// MEGChoices on "pick the largest item": a net that always takes the
// largest scores near the bound for size and 0 for smallness; a uniform
// picker scores about 0; a Boltzmann picker of known β is recovered.
func TestMEGChoices(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n = 2000
	items := make([][]float64, n)
	for i := range items {
		items[i] = make([]float64, 2+i%4) // 2 to 5 items
		for j := range items[i] {
			items[i][j] = rng.Float64()
		}
	}
	pick := func(rule func(u []float64) int) []power.Choice {
		c := make([]power.Choice, n)
		for i, u := range items {
			c[i] = power.Choice{Utilities: u, Chosen: rule(u)}
		}
		return c
	}
	largest := pick(func(u []float64) int { return argmax(u) })
	uniform := pick(func(u []float64) int { return rng.IntN(len(u)) })
	const beta = 6.0
	boltzmann := pick(func(u []float64) int {
		p := make([]float64, len(u))
		var z float64
		for j, x := range u {
			p[j] = math.Exp(beta * x)
			z += p[j]
		}
		for j := range p {
			p[j] /= z
		}
		return sample(rng, p)
	})
	neg := func(c []power.Choice) []power.Choice {
		out := make([]power.Choice, len(c))
		for i, x := range c {
			out[i] = power.Choice{Utilities: scale(x.Utilities, -1), Chosen: x.Chosen}
		}
		return out
	}
	cfg := power.MEGConfig{Seed: 1}
	for _, c := range []struct {
		name          string
		choices       []power.Choice
		minF, maxF    float64
		beta, betaTol float64
	}{
		{"largest, size", largest, 0.95, 1, 0, 0},
		{"largest, smallness", neg(largest), 0, 0.001, 0, 0},
		{"uniform, size", uniform, 0, 0.01, 0, 0},
		{"boltzmann β=6, size", boltzmann, 0.1, 0.6, beta, 0.1},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := power.MEGChoices(c.choices, cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%v; fraction %.4f, at bound %v", d, d.Fraction, d.AtBound)
			if d.Fraction < c.minF || d.Fraction > c.maxF {
				t.Errorf("fraction %.4f: want one in [%v, %v]", d.Fraction, c.minF, c.maxF)
			}
			if c.beta > 0 && math.Abs(d.Beta/c.beta-1) > c.betaTol {
				t.Errorf("β fitted %v: want %v within %v%%", d.Beta, c.beta, 100*c.betaTol)
			}
		})
	}
}

func argmax(u []float64) int {
	b := 0
	for i, x := range u {
		if x > u[b] {
			b = i
		}
	}
	return b
}

func TestMEGBadInput(t *testing.T) {
	g := newGrid(maze, 0.1)
	tab := mustTable(g)
	door, _, _ := utilities(g)
	ok := []power.Episode{{{State: 0, Action: 1}}}
	nan := make([]float64, tab.NumStates())
	nan[3] = math.NaN()
	long := make(power.Episode, 5)
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"nil table", func() error { _, err := power.MEG(nil, door, ok, megCfg); return err }, "nil table"},
		{"short rewards", func() error { _, err := power.MEG(tab, door[:5], ok, megCfg); return err }, "5 rewards for 36 states"},
		{"NaN reward", func() error { _, err := power.MEG(tab, nan, ok, megCfg); return err }, "reward of state 3 is NaN"},
		{"no episodes", func() error { _, err := power.MEG(tab, door, nil, megCfg); return err }, "no episodes"},
		{"empty episodes", func() error { _, err := power.MEG(tab, door, []power.Episode{{}, {}}, megCfg); return err }, "no steps"},
		{"state out of range", func() error {
			_, err := power.MEG(tab, door, []power.Episode{{{0, 1}}, {{0, 1}, {36, 0}}}, megCfg)
			return err
		}, "episode 1, step 1: state 36"},
		{"action out of range", func() error { _, err := power.MEG(tab, door, []power.Episode{{{0, 4}}}, megCfg); return err }, "episode 0, step 0: action 4"},
		{"episode beyond the horizon", func() error {
			cfg := power.MEGConfig{Solve: valueiter.Config{Gamma: 1, Horizon: 4}}
			_, err := power.MEG(tab, door, []power.Episode{long}, cfg)
			return err
		}, "5 steps, more than Solve.Horizon = 4"},
		{"γ = 1 without a horizon", func() error {
			_, err := power.MEG(tab, door, ok, power.MEGConfig{Solve: valueiter.Config{Gamma: 1}})
			return err
		}, "Gamma = 1 with no Solve.Horizon"},
		{"bad β range", func() error {
			_, err := power.MEG(tab, door, ok, power.MEGConfig{Solve: megCfg.Solve, MinBeta: 10, MaxBeta: 1})
			return err
		}, "β range [10, 1]"},
		{"bad policy", func() error { _, err := power.MEGPolicy(tab, door, door, 10, megCfg); return err }, "policy of 36 values"},
		{"policy without steps", func() error { _, err := power.MEGPolicy(tab, door, uniformPolicy(tab), 0, megCfg); return err }, "steps 0"},
		{"no utilities", func() error { _, _, err := power.MaxMEG(tab, nil, ok, megCfg); return err }, "no utilities"},
		{"bad utility in a set", func() error { _, _, err := power.MaxMEG(tab, [][]float64{nan, door}, ok, megCfg); return err }, "utility 0: power: MEG: reward of state 3"},
		{"no choices", func() error { _, err := power.MEGChoices(nil, megCfg); return err }, "no choices"},
		{"no options", func() error { _, err := power.MEGChoices([]power.Choice{{}}, megCfg); return err }, "choice 0 has no options"},
		{"chosen out of range", func() error {
			_, err := power.MEGChoices([]power.Choice{{Utilities: []float64{1, 2}, Chosen: 2}}, megCfg)
			return err
		}, "chosen option 2"},
		{"NaN utility", func() error {
			_, err := power.MEGChoices([]power.Choice{{Utilities: []float64{1, math.NaN()}}}, megCfg)
			return err
		}, "choice 0, option 1: utility NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v: want one containing %q", err, c.want)
			}
		})
	}
	// A constant utility explains nothing: 0 bits, no solve.
	d, err := power.MEG(tab, make([]float64, tab.NumStates()), ok, megCfg)
	if err != nil || d.Bits != 0 || d.Solves != 0 {
		t.Errorf("constant utility: %v, %v: want 0 bits and no solve", d, err)
	}
}
