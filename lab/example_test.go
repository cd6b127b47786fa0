package lab_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"argmax/lab"
	"argmax/lab/store"
)

// Run a spec of the built-in Monte-Carlo experiment and check that the 95%
// interval over seeds covers the true value of π.
func Example() {
	spec, err := lab.ParseSpec([]byte(`
name: pi
seed: 42
experiments:
  - name: mc-pi
    seeds: 8
    grid: {samples: [1000, 100000]}
`), "pi.yaml", lab.Default)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "lab-example")
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	sum, err := (&lab.Runner{Store: st, Workers: 2}).RunSpec(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := lab.LoadResults(context.Background(), st, spec.Plan())
	for _, n := range []int{1000, 100000} {
		iv := lab.CI(lab.Where(res.Trials, "samples", n), "pi", 0)
		fmt.Printf("samples=%d: %d seeds, interval covers π: %v\n", n, iv.N, iv.Contains(math.Pi))
	}
	fmt.Println("trials run:", sum.Ran)
	// Output:
	// samples=1000: 8 seeds, interval covers π: true
	// samples=100000: 8 seeds, interval covers π: true
	// trials run: 16
}

// A spec with a mistake is rejected before anything runs, with the field
// and the reason.
func ExampleParseSpec() {
	_, err := lab.ParseSpec([]byte("experiments:\n  - name: mc-pi\n    params: {samples: lots}\n"), "bad.yaml", lab.Default)
	fmt.Println(err)
	// Output:
	// bad.yaml:3:23: experiments[0].params.samples: want an integer, got "lots"
}
