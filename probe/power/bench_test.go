package power_test

import (
	"testing"
	"time"

	"argmax/direct/valueiter"
	"argmax/probe/power"
)

// maze10 is a 10×10 maze with walls (100 states), the door in a pocket
// reached from below, the red object in the bottom-left corner.
var maze10 = []string{
	"S.........",
	".####.###.",
	".#......#.",
	".#.####.#.",
	"...#..#...",
	"##.#.D#.##",
	"...#..#...",
	".#.##.#.#.",
	".#......#.",
	"R...##....",
}

// solveBaseline times one soft value iteration of the maze at β = 1 (the
// unit MEG's cost is made of), in seconds, so that the benchmarks report
// their time as a number of solves — a ratio that travels between
// machines.
func solveBaseline(b *testing.B, tab *valueiter.Table, r []float64) float64 {
	b.Helper()
	u, err := tab.WithStateRewards(r)
	if err != nil {
		b.Fatal(err)
	}
	const reps = 5
	start := time.Now()
	for range reps {
		if _, err := valueiter.SoftValueIteration(u, megCfg.Solve, 1); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start).Seconds() / reps
}

// BenchmarkMEG fits MEG to 200 episodes of a soft-optimal agent on the
// 100-state slippery maze, stationary (γ = 0.95) and with a 60-step
// horizon, and exactly to the agent's policy table; it reports the β
// values solved per fit and the fit's time in units of one soft solve
// timed in the same run (x-solve).
func BenchmarkMEG(b *testing.B) {
	g := newGrid(maze10, 0.1)
	tab := mustTable(g)
	door := g.goal('D')
	pi, err := power.SoftOptimal(tab, door, 50, megCfg.Solve)
	if err != nil {
		b.Fatal(err)
	}
	eps, _ := rollouts(tab, pi, 60, 200, 1)
	base := solveBaseline(b, tab, door)
	horizon := power.MEGConfig{Solve: valueiter.Config{Gamma: megGamma, Horizon: 60}, Seed: 1}
	for _, c := range []struct {
		name string
		fit  func() (*power.Directedness, error)
	}{
		{"episodes", func() (*power.Directedness, error) { return power.MEG(tab, door, eps, megCfg) }},
		{"episodes-horizon60", func() (*power.Directedness, error) { return power.MEG(tab, door, eps, horizon) }},
		{"policy", func() (*power.Directedness, error) { return power.MEGPolicy(tab, door, pi, 60, megCfg) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var d *power.Directedness
			start := time.Now()
			for b.Loop() {
				var err error
				if d, err = c.fit(); err != nil {
					b.Fatal(err)
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(float64(d.Solves), "solves/op")
			b.ReportMetric(per/base, "x-solve")
			b.ReportMetric(d.Bits, "bits/decision")
		})
	}
}

// BenchmarkExactBits computes the exact distribution of the uniform random
// policy's 0/1 return on the 100-state maze within 60 steps.
func BenchmarkExactBits(b *testing.B) {
	tab := mustTable(newGrid(maze10, 0.1))
	for b.Loop() {
		if _, err := power.ExactBits(tab, 1, 60); err != nil {
			b.Fatal(err)
		}
	}
}
