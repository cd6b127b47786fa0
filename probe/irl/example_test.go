package irl_test

import (
	"fmt"

	"argmax/direct/valueiter"
	"argmax/probe/irl"
)

// corridor is a row of cells, actions left (0) and right (1); the two end
// cells hold objects and end the episode on entry.
type corridor struct{ n int }

func (c corridor) NumStates() int           { return c.n }
func (c corridor) NumActions() int          { return 2 }
func (c corridor) NumOutcomes(_, _ int) int { return 1 }
func (c corridor) Outcome(s, a, _ int) (float64, int, float64, bool) {
	next := min(max(s-1+2*a, 0), c.n-1)
	return 1, next, 0, next == 0 || next == c.n-1
}

// StartProb starts uniformly on the inner cells (the fit itself starts
// from the demonstrations' first states).
func (c corridor) StartProb(s int) float64 {
	if s == 0 || s == c.n-1 {
		return 0
	}
	return 1 / float64(c.n-2)
}

// A door-seeking agent, seen walking a corridor with the door at one end
// and a red key at the other (on two levels, mirrored): its behavioral
// objective prefers the door to red. Seen only where the door is itself
// red, the same agent could as well be seeking red, and the probe says
// that the difference is not determined.
func Example() {
	const n, horizon = 7, 10
	tab, err := valueiter.NewTable(corridor{n})
	if err != nil {
		panic(err)
	}
	// Features per cell: is_door, is_red, step (1 everywhere).
	level := func(left, right [2]float64) irl.Env {
		phi := make([]float64, 3*n)
		for s := range n {
			phi[3*s+2] = 1
		}
		copy(phi[0:2], left[:])
		copy(phi[3*(n-1):], right[:])
		return irl.Env{Table: tab, Features: phi}
	}
	door, red, redDoor, nothing := [2]float64{1, 0}, [2]float64{0, 1}, [2]float64{1, 1}, [2]float64{0, 0}
	// The agent walks straight to the door: left when it is at cell 0.
	demos := func(doorLeft ...bool) []irl.Demo {
		var ds []irl.Demo
		for i, left := range doorLeft {
			for start := 1; start < n-1; start++ {
				d := irl.Demo{Env: i, States: []int{start}, Terminated: true}
				for s := start; s != 0 && s != n-1; {
					a := 1
					if left {
						a = 0
					}
					s += 2*a - 1
					d.Actions, d.States = append(d.Actions, a), append(d.States, s)
				}
				ds = append(ds, d)
			}
		}
		return ds
	}
	cfg := irl.Config{Contrasts: []irl.Contrast{irl.Difference("is_door", "is_red")}, Bootstrap: 20, Seed: 1}
	features := []string{"is_door", "is_red", "step"}

	apart := &irl.Problem{Features: features, Horizon: horizon,
		Envs:  []irl.Env{level(door, red), level(red, door)},
		Demos: demos(true, false)}
	res, err := irl.Fit(apart, cfg)
	if err != nil {
		panic(err)
	}
	c, _ := res.Contrast("is_door-is_red")
	fmt.Printf("door and red apart: door-red %.1f, identifiable %v, interval above 0 %v\n", c.Value, c.Identifiable, c.Lo > 0)

	together := &irl.Problem{Features: features, Horizon: horizon,
		Envs:  []irl.Env{level(redDoor, nothing), level(nothing, redDoor)},
		Demos: demos(true, false)}
	res, err = irl.Fit(together, cfg)
	if err != nil {
		panic(err)
	}
	c, _ = res.Contrast("is_door-is_red")
	fmt.Printf("every door red: door-red %.1f, identifiable %v, interval [%v, %v]\n", c.Value, c.Identifiable, c.Lo, c.Hi)
	fmt.Print(res)
	// Output:
	// door and red apart: door-red 3.5, identifiable true, interval above 0 true
	// every door red: door-red 0.0, identifiable false, interval [-Inf, +Inf]
	// MaxEnt IRL: 10 demos on 2 levels, horizon 10, λ=1: log-likelihood -0.6073 per demo, 10 iterations, |grad| 4.7e-09 (converged)
	// weight              value         SE  95% interval             identifiable
	// is_door            1.7433       +Inf  [-Inf, +Inf]             NOT identifiable (50% in the null space)
	// is_red             1.7433       +Inf  [-Inf, +Inf]             NOT identifiable (50% in the null space)
	// step              -1.1061     0.2191  [-1.342, -1.013]         yes
	// contrast
	// is_door-is_red     0.0000       +Inf  [-Inf, +Inf]             NOT identifiable (100% in the null space)
	// undetermined direction (relative information 0.0e+00 ≤ 1e-06): +0.707·is_door -0.707·is_red
}
