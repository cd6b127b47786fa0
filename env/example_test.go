package env_test

import (
	"fmt"
	"slices"

	"argmax/env"
)

// A deterministic walk from 0, moved right by one per step, ends when it
// reaches 10; TimeLimit truncates it after 3 steps.
func ExampleTimeLimit() {
	e, err := env.TimeLimit(exact(10), 3)
	if err != nil {
		panic(err)
	}
	e.Reset(1)
	for {
		_, reward, terminated, truncated := e.Step([]float64{1})
		fmt.Println(reward, terminated, truncated)
		if terminated || truncated {
			break
		}
	}
	// Output:
	// 1 false false
	// 2 false false
	// 3 false true
}

// Each action is applied 3 times and the rewards (the positions 1, 2, 3,
// then 4, 5) summed; the episode terminates at 5, in the middle of the
// second repeat.
func ExampleActionRepeat() {
	e := must(env.ActionRepeat(exact(5), 3))
	e.Reset(1)
	fmt.Println(e.Step([]float64{1}))
	fmt.Println(e.Step([]float64{1}))
	// Output:
	// [3 3 1 1] 6 false false
	// [5 5 1 1] 9 true false
}

// The walk observes [x, t, action, 1]; masked to its position and action
// it observes [action, x].
func ExampleMask() {
	e := must(env.Mask(exact(5), []int{2, 0}))
	fmt.Println(e.ObservationSpace())
	e.Reset(1)
	obs, _, _, _ := e.Step([]float64{-1})
	fmt.Println(obs)
	// Output:
	// Box([-1 -Inf], [1 +Inf])
	// [-1 -1]
}

// Observation noise is drawn from a stream seeded by Reset: the same seed
// gives the same noisy episode.
func ExampleObservationNoise() {
	e := must(env.ObservationNoise(exact(5), 0.1))
	fmt.Println(e)
	first := slices.Clone(e.Reset(7))
	fmt.Println(slices.Equal(first, e.Reset(7)), slices.Equal(first, e.Reset(8)))
	// Output:
	// ObservationNoise(walk, std=0.1)
	// true false
}

// A Vec of three time-limited walks: every env ends after two steps, is
// reset in the same step, and its final observation kept apart.
func ExampleVec() {
	v, err := env.NewVec(must(env.TimeLimit(exact(10), 2)), 3, 2)
	if err != nil {
		panic(err)
	}
	defer v.Close()
	v.Reset(1)
	actions := []float64{1, 0, -1} // one row per env
	for range 2 {
		obs, rewards, terminated, truncated := v.Step(actions)
		fmt.Println(obs, rewards, terminated, truncated)
	}
	fmt.Println(v.FinalObs(), v.FinalPerformance())
	// Output:
	// [1 1 1 1 0 1 0 1 -1 1 -1 1] [1 0 -1] [false false false] [false false false]
	// [0 0 0 1 0 0 0 1 0 0 0 1] [2 0 -2] [false false false] [true true true]
	// [2 2 1 1 0 2 0 1 -2 2 -1 1] [2 0 0]
}
