package stats_test

import (
	"fmt"

	"argmax/lab/stats"
)

// A share of optimal moves over 200 positions with its Wilson interval, and
// a mean over five seeds with its t interval.
func Example() {
	fmt.Println(stats.Wilson(184, 200, 0.95))
	fmt.Println(stats.MeanCI([]float64{0.91, 0.93, 0.92, 0.95, 0.90}, 0.95))
	// Output:
	// 0.92 [0.874, 0.95]
	// 0.922 [0.898, 0.946]
}
