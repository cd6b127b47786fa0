// Package gemm is the matrix-multiply engine under nn: C = alpha·op(A)·op(B) + beta·C
// on row-major float32 matrices (SGEMM).
//
// Every layer of nn (Linear, Conv2D through im2col, attention) ends in Sgemm,
// so its speed bounds how fast the amortized optimizers of argmax train and
// answer. The engine follows the GotoBLAS/BLIS design: op(B) is packed in
// kc×nc blocks that stay in the last-level cache, op(A) in mc×kc blocks that
// stay in L2, and an assembly micro-kernel keeps a tile of C in vector
// registers while it streams both panels (all four transpose combinations are
// absorbed by the packing). Products with few rows — single-sample and small
// batch inference inside search loops — skip packing: the micro-kernels read
// an untransposed B in place, and a transposed B is consumed as dot products.
// Large products are split over a persistent pool of worker goroutines.
//
// Kernels are chosen at run time from the CPU's features: "avx512" (ZMM
// tiles), "avx2" (YMM tiles with FMA) and "generic" (portable Go, used on
// other architectures and with the purego build tag). SetKernel or the
// environment variable ARGMAX_GEMM=avx2|avx512|generic forces one, so every
// path can be tested and benchmarked on one machine. All paths agree within
// float32 rounding; they are not bit-identical to each other, but each path
// is deterministic: the same call on the same kernel and thread count gives the
// same bits.
//
// Sgemm does not allocate in steady state: packing buffers are reused across
// calls (per worker goroutine, and through a sync.Pool for callers).
// MeasurePeak times this core's fp32 FMA throughput so benchmarks can report
// a share of peak that travels between machines.
package gemm

import (
	"fmt"
	"sync/atomic"
)

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(X) is X or its transpose. op(A) is m×k, op(B) is k×n, C is m×n; lda, ldb
// and ldc are the row strides of A, B and C as stored (A is stored k×m when
// transA is true, B is stored n×k when transB is true). When beta is 0, C is
// not read (it may hold NaNs). Sgemm panics with a message naming the
// argument when a stride is smaller than the stored row or a slice is too
// short. It is safe for concurrent use; C must not overlap A or B.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkArgs(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	kr := current.Load()
	p := choosePath(kr, transB, m, n, k)
	if t := Threads(); t > 1 && m*n*k >= parallelMinMACs {
		if parallel(kr, p, t, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
			return
		}
	}
	w := getBuffers()
	serial(kr, w, p, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	putBuffers(w)
}

// freeBuffers keeps the packing buffers of calling goroutines between calls
// (pool workers own theirs). Unlike a sync.Pool it is not emptied by the
// garbage collector, so a large product does not reallocate its buffers
// after a collection; it holds as many buffers as there were concurrent
// calls, up to its size.
var freeBuffers [64]atomic.Pointer[buffers]

// getBuffers takes free buffers, or new ones when there are none.
func getBuffers() *buffers {
	for i := range freeBuffers {
		if freeBuffers[i].Load() != nil {
			if w := freeBuffers[i].Swap(nil); w != nil {
				return w
			}
		}
	}
	return new(buffers)
}

// putBuffers returns buffers for later calls.
func putBuffers(w *buffers) {
	for i := range freeBuffers {
		if freeBuffers[i].CompareAndSwap(nil, w) {
			return
		}
	}
}

// scaleC sets C = beta·C (C = 0 when beta is 0, without reading C).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// checkArgs panics unless every index Sgemm may touch is inside a, b and c.
// The assembly kernels do not bounds-check, so this is what keeps them safe.
func checkArgs(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("A", ar, ac, a, lda)
	checkMatrix("B", br, bc, b, ldb)
	checkMatrix("C", m, n, c, ldc)
}

func checkMatrix(name string, rows, cols int, x []float32, ld int) {
	if rows == 0 || cols == 0 {
		return
	}
	if rows > 1 && ld < cols {
		panic(fmt.Sprintf("gemm: ld%s = %d is less than the %d columns of %s as stored", lowerName(name), ld, cols, name))
	}
	if need := (rows-1)*ld + cols; len(x) < need {
		panic(fmt.Sprintf("gemm: len(%s) = %d, but a %d×%d matrix with stride %d needs %d", lowerName(name), len(x), rows, cols, ld, need))
	}
}

func lowerName(name string) string {
	switch name {
	case "A":
		return "a"
	case "B":
		return "b"
	}
	return "c"
}
