package power_test

import (
	"fmt"

	"argmax/direct/valueiter"
	"argmax/probe/power"
)

// corridor is a row of seven cells, the start in the middle: action 0
// steps left, 1 right; the left end holds a red object, the right end the
// door (reward 1), and reaching either ends the episode.
type corridor struct{}

func (corridor) NumStates() int           { return 7 }
func (corridor) NumActions() int          { return 2 }
func (corridor) NumOutcomes(_, _ int) int { return 1 }
func (corridor) StartProb(s int) float64 {
	if s == 3 {
		return 1
	}
	return 0
}
func (corridor) Outcome(s, a, _ int) (float64, int, float64, bool) {
	if s == 0 || s == 6 { // the ends: never occupied by a running episode
		return 1, s, 0, false
	}
	next := s - 1 + 2*a
	reward := 0.0
	if next == 6 {
		reward = 1
	}
	return 1, next, reward, next == 0 || next == 6
}

// How much and towards what an agent that walks straight to the door
// optimizes: the power of reaching it within 10 steps, against the uniform
// random policy (exactly, and from samples of it), and its goal-directedness
// towards the door and towards the red object.
func Example() {
	tab, err := valueiter.NewTable(corridor{})
	if err != nil {
		panic(err)
	}
	exact, err := power.ExactBits(tab, 1, 10)
	if err != nil {
		panic(err)
	}
	fmt.Printf("reaching the door: %.3f bits (random actions reach it with probability %.3f)\n", exact.Bits, exact.Share)

	// 16 random episodes, of which 8 reached the door.
	random := []float64{1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0}
	sampled, err := power.Bits(1, random)
	if err != nil {
		panic(err)
	}
	fmt.Println("from 16 random episodes:", sampled)

	walk := power.Episode{{State: 3, Action: 1}, {State: 4, Action: 1}, {State: 5, Action: 1}}
	episodes := []power.Episode{walk, walk, walk, walk}
	door := []float64{0, 0, 0, 0, 0, 0, 1}
	red := []float64{1, 0, 0, 0, 0, 0, 0}
	cfg := power.MEGConfig{Solve: valueiter.Config{Gamma: 0.9}, Seed: 1}
	best, all, err := power.MaxMEG(tab, [][]float64{door, red}, episodes, cfg)
	if err != nil {
		panic(err)
	}
	for i, name := range []string{"door", "red object"} {
		fmt.Printf("MEG towards the %s: %.2f bits/decision (%.0f%% of the bound), %.2f bits/episode\n", name, all[i].Bits, 100*all[i].Fraction, all[i].Total)
	}
	fmt.Println("best explained by utility", best)
	// Output:
	// reaching the door: 1.549 bits (random actions reach it with probability 0.342)
	// from 16 random episodes: 1 bits [0.408, 2.02]
	// MEG towards the door: 1.00 bits/decision (100% of the bound), 3.00 bits/episode
	// MEG towards the red object: 0.00 bits/decision (0% of the bound), 0.00 bits/episode
	// best explained by utility 0
}

// "Pick the largest item": how much a picker's choices are explained by
// item size, from choices among items of known size.
func ExampleMEGChoices() {
	choices := []power.Choice{
		{Utilities: []float64{0.2, 0.9, 0.4}, Chosen: 1},
		{Utilities: []float64{0.7, 0.1}, Chosen: 0},
		{Utilities: []float64{0.3, 0.5, 0.6, 0.2}, Chosen: 2},
		{Utilities: []float64{0.8, 0.75}, Chosen: 1},
	}
	d, err := power.MEGChoices(choices, power.MEGConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.2f bits/decision, %.0f%% of the bound, β = %.1f\n", d.Bits, 100*d.Fraction, d.Beta)
	// Output:
	// 0.92 bits/decision, 66% of the bound, β = 12.1
}
