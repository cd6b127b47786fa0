package gemm_test

import (
	"fmt"
	"time"

	"argmax/nn/gemm"
)

// Multiply a 2×3 matrix by a 3×2 matrix, then accumulate a product of
// transposed operands into the same C.
func Example() {
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float32, 4)
	// C = 1·A·B + 0·C (C is not read when beta is 0).
	gemm.Sgemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)

	// C = 0.5·Bᵀ·Aᵀ + 1·C = 0.5·(A·B)ᵀ + C, reading the same storage
	// transposed: the first operand is b (stored 3×2, used as its 2×3
	// transpose), the second is a (stored 2×3, used as its 3×2 transpose).
	gemm.Sgemm(true, true, 2, 2, 3, 0.5, b, 2, a, 3, 1, c, 2)
	fmt.Println(c)
	// Output:
	// [58 64 139 154]
	// [87 133.5 171 231]
}

// Report which kernel runs and how close a product gets to this core's peak.
func ExampleMeasurePeak() {
	peak := gemm.MeasurePeak(20 * time.Millisecond) // GFLOP/s of FMAs on one core
	fmt.Println(peak > 0, gemm.Kernel() != "")
	// Output: true true
}
