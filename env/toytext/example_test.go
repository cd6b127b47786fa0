package toytext_test

import (
	"fmt"

	"argmax/env/toytext"
)

// The deterministic 4x4 lake crossed by its shortest safe path: down,
// down, right, down, right, right.
func Example() {
	e, err := toytext.NewFrozenLake(toytext.FrozenLakeConfig{Deterministic: true})
	if err != nil {
		panic(err)
	}
	e.Reset(1)
	fmt.Println("map:", e.Map())
	for _, a := range []int{toytext.Down, toytext.Down, toytext.Right, toytext.Down, toytext.Right, toytext.Right} {
		_, reward, terminated, _ := e.Step([]float64{float64(a)})
		fmt.Println("state", e.State(), "reward", reward, "terminated", terminated)
	}
	fmt.Println("return:", e.Performance())
	// Output:
	// map: SFFF/FHFH/FFFH/HFFG
	// state 4 reward 0 terminated false
	// state 8 reward 0 terminated false
	// state 9 reward 0 terminated false
	// state 13 reward 0 terminated false
	// state 14 reward 0 terminated false
	// state 15 reward 1 terminated true
	// return: 1
}

// A custom map, and the transition table of a slippery move: from the
// start, "right" goes down, right, or up (blocked by the edge: it stays),
// each with probability 1/3. A map without a goal is an error.
func ExampleNewFrozenLake() {
	e, err := toytext.NewFrozenLake(toytext.FrozenLakeConfig{Map: "SFG/FHF"})
	if err != nil {
		panic(err)
	}
	for i := range e.NumOutcomes(0, toytext.Right) {
		p, next, reward, terminal := e.Outcome(0, toytext.Right, i)
		fmt.Printf("p=%.3f next=%d reward=%v terminal=%v\n", p, next, reward, terminal)
	}
	_, err = toytext.NewFrozenLake(toytext.FrozenLakeConfig{Map: "SFF/FHF"})
	fmt.Println(err)
	// Output:
	// p=0.333 next=3 reward=0 terminal=false
	// p=0.333 next=1 reward=0 terminal=false
	// p=0.333 next=0 reward=0 terminal=false
	// toytext: frozen lake map "SFF/FHF": no goal cell G
}
