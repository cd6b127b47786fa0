package positions_test

import (
	"fmt"
	"strings"

	"argmax/game"
	"argmax/game/connect4/positions"
)

// Scoring a decider on a deep set: here the 2-ply tactical rule itself,
// choosing uniformly among its allowed moves, which by construction loses
// the value with positive probability on every deep position.
func ExampleSet() {
	ps, err := positions.Set("middle-deep")
	if err != nil {
		panic(err)
	}
	var share float64
	for _, p := range ps {
		st, _ := p.State()
		moves := st.TacticalMoves(nil)
		ok := 0
		for _, a := range moves {
			if p.Optimal(a) {
				ok++
			}
		}
		share += float64(ok) / float64(len(moves))
	}
	share /= float64(len(ps))
	fmt.Println("every position is deep:", allDeep(ps))
	fmt.Println("the rule keeps the value in under 90% of them:", share < 0.9)
	// Output:
	// every position is deep: true
	// the rule keeps the value in under 90% of them: true
}

func allDeep(ps []positions.Position) bool {
	for _, p := range ps {
		if !p.Deep {
			return false
		}
	}
	return true
}

// A set file is one position per line: the moves, the exact score of each
// column, the solver's node count, the source game and the deep flag.
func ExampleRead() {
	in := `# a hand-made set
2336344717262237226151774766 6 -1000 7 7 7 6 -1000 12 random -
`
	_, ps, err := positions.Read("example.txt", strings.NewReader(in))
	if err != nil {
		panic(err)
	}
	p := ps[0]
	fmt.Println(p.Moves, "best score", p.Best())
	var marks []string
	for a := game.Action(0); a < 7; a++ {
		marks = append(marks, fmt.Sprintf("%d:%v/%v", a+1, p.Optimal(a), p.Strict(a)))
	}
	fmt.Println(strings.Join(marks, " "))
	_, _, err = positions.Read("bad.txt", strings.NewReader("44 1 2 3 4 5 6 x 1 random -\n"))
	fmt.Println(err)
	// Output:
	// 2336344717262237226151774766 best score 7
	// 1:true/false 2:false/false 3:true/true 4:true/true 5:true/true 6:true/false 7:false/false
	// bad.txt:1:16: score of column 7 "x": not an integer
}
