//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// peakLoop returns the widest FMA throughput loop and its flops per iteration.
func peakLoop() (func(n int), float64) {
	switch {
	case cpu.X86.HasAVX512F:
		return peakFMA512, 24 * 16 * 2
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return peakFMA256, 12 * 8 * 2
	}
	return peakGo, 16
}
