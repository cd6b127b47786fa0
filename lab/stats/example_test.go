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

// A share averaged over seeds stays inside [0, 1], where the t interval
// does not; with the positions per seed it keeps a width when every seed
// scores 1.
func ExampleShareCI() {
	shares := []float64{1, 1, 0.9, 1, 0.98}
	fmt.Println(stats.MeanCI(shares, 0.95))
	fmt.Println(stats.ShareCI(shares, 0, 0.95))
	fmt.Println(stats.ShareCI([]float64{1, 1, 1}, 300, 0.95))
	// Output:
	// 0.976 [0.922, 1.03]
	// 0.976 [0.803, 0.998]
	// 1 [0.996, 1]
}
