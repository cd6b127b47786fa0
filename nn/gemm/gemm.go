// Package gemm is the matrix-multiply engine under nn: C = alpha·op(A)·op(B) + beta·C
// on row-major float32 matrices (SGEMM).
//
// Every layer of nn (Linear, Conv2D through im2col, attention) ends in Sgemm,
// so its speed bounds how fast the amortized optimizers of argmax train and
// answer, and how many forward passes a hybrid search affords.
//
// # Design
//
// An assembly micro-kernel keeps a tile of C in vector registers (AVX-512:
// 12×32 in ZMM, AVX2: 6×16 in YMM) and updates it with one broadcast of A and
// one FMA per vector for each step along k. Around it, Sgemm picks one of
// three loop nests from the shape of the product:
//
//   - packed (large products): the GotoBLAS/BLIS nest. op(B) is copied into
//     kc×nc blocks of tile-wide panels (they stay in the last-level cache),
//     op(A) into mc×kc blocks of tile-high panels (they stay in L2); the
//     packing absorbs all four transpose combinations.
//   - direct (few rows, few columns, or an A that fits in L2 — single-sample
//     and small-batch inference inside search loops): no packing; the kernels
//     read A in place and an untransposed B in place, column strip by strip
//     (a transposed B is transposed one strip at a time). One-row products use
//     a 1×128 (1×64) gemv tile.
//   - dot (a transposed B with one or two rows, or long rows): dot products of
//     rows of op(A) with rows of B, both contiguous along k.
//
// Products of at least 512K multiply-adds are cut into chunks of whole tiles
// that the calling goroutine and the persistent pool of worker goroutines of
// nn/internal/par (shared with nn's own parallel passes) claim (SetThreads,
// default GOMAXPROCS). The chunking never changes how an element is
// computed, so results are bit-identical at any thread count. SgemmSegments
// (a product summed over shifted windows of A, the shape of a convolution)
// never splits: its callers split their work themselves.
//
// # Kernels
//
// The kernel set is chosen at run time from the CPU's features: "avx512",
// "avx2" (AVX2+FMA) or "generic" (portable Go: packed, with a 4×4 tile of
// scalar accumulators; the only one on other architectures and with the
// purego build tag). SetKernel, or the environment variable
// ARGMAX_GEMM=avx2|avx512|generic, forces one, so every path is tested and
// benchmarked on one machine. Kernels agree within float32 rounding but not
// bit for bit; each is deterministic.
//
// Sgemm does not allocate in steady state: packing buffers are kept between
// calls (by each worker, and in a free list for callers). MeasurePeak times
// this core's fp32 FMA throughput, so benchmarks can report a share of peak
// that travels between machines (see the benchmarks in gemm's tests).
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
	if parallelPays(m * n * k) {
		// Threads is read only here: runtime.GOMAXPROCS takes a global lock.
		if t := Threads(); t > 1 && parallel(kr, p, t, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
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
	checkMatrix("a", ar, ac, a, lda)
	checkMatrix("b", br, bc, b, ldb)
	checkMatrix("c", m, n, c, ldc)
}

// checkMatrix panics unless x holds a rows×cols matrix with row stride ld.
func checkMatrix(name string, rows, cols int, x []float32, ld int) {
	if rows == 0 || cols == 0 {
		return
	}
	if rows > 1 && ld < cols {
		panic(fmt.Sprintf("gemm: ld%s = %d is less than the %d columns of %s as stored", name, ld, cols, name))
	}
	if need := (rows-1)*ld + cols; len(x) < need {
		panic(fmt.Sprintf("gemm: len(%s) = %d, but a %d×%d matrix with stride %d needs %d", name, len(x), rows, cols, ld, need))
	}
}
