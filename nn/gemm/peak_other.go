//go:build !amd64 || purego

package gemm

// peakLoop returns the portable peak loop and its flops per iteration.
func peakLoop() (func(n int), float64) { return peakGo, 16 }
