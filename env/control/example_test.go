package control_test

import (
	"fmt"
	"math"

	"argmax/env/control"
)

// A cart-pole balanced by a hand-written linear policy for a whole
// CartPole-v1 episode.
func Example() {
	e, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		panic(err)
	}
	obs := e.Reset(1)
	action := []float64{0}
	for {
		action[0] = 0 // push left
		if obs[2]+0.3*obs[3]+0.01*obs[0]+0.1*obs[1] > 0 {
			action[0] = 1 // push right
		}
		_, _, terminated, truncated := e.Step(action)
		if terminated || truncated {
			break
		}
	}
	fmt.Println("return:", e.Performance())
	// Output: return: 500
}

// A richer pendulum — noisy torque, a mass hidden from the observation —
// with its torque box discretized into 5 actions (torques −2, −1, 0, 1, 2),
// swung up by a direct optimizer: each step tries the 5 actions on clones
// of the env, each followed by 19 steps of a rollout rule, and plays the
// best.
func ExampleNewPendulum() {
	e, err := control.NewPendulum(control.PendulumConfig{
		Actions:     5,
		TorqueNoise: 0.05,
		Mass:        control.Range{Min: 0.8, Max: 1.2},
	})
	if err != nil {
		panic(err)
	}
	e.Reset(3)
	// The rollout rule: hold the pendulum up near the top (PD control),
	// pump energy in elsewhere; it returns the nearest of the 5 actions.
	rule := func(obs []float64) float64 {
		theta := math.Atan2(obs[1], obs[0])
		u := 2 * math.Copysign(1, obs[2])
		if math.Abs(theta) < 0.6 {
			u = max(-2, min(2, -10*theta-2*obs[2]))
		}
		return math.Round(u + 2)
	}
	score := func(a int) float64 {
		c, obs, total := e.Clone(), e.Obs(), 0.0
		act := []float64{float64(a)}
		for k := range 20 {
			if k > 0 {
				act[0] = rule(obs)
			}
			var r float64
			obs, r, _, _ = c.Step(act)
			total += r
		}
		return total
	}
	var truncated bool
	for !truncated {
		best, bestScore := 0, math.Inf(-1)
		for a := range 5 {
			if s := score(a); s > bestScore {
				best, bestScore = a, s
			}
		}
		_, _, _, truncated = e.Step([]float64{float64(best)})
	}
	fmt.Printf("upright after %d s: %v\n", 200/20, e.Obs()[0] > 0.99)
	// Output: upright after 10 s: true
}

// Many cart-poles stepped at once, each lane resetting itself.
func ExampleCartPoleVec() {
	v, err := control.NewCartPoleVec(1024, 7, control.CartPoleConfig{})
	if err != nil {
		panic(err)
	}
	actions := make([]int32, v.Len())
	for step := range 100 {
		for i := range actions {
			actions[i] = int32((i + step) % 2) // alternate pushes
		}
		v.Step(actions)
	}
	fmt.Println("episodes ended in 100 steps:", v.Episodes())
	// Output: episodes ended in 100 steps: 2291
}
