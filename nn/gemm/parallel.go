package gemm

import (
	"runtime"
	"sync/atomic"

	"argmax/nn/internal/par"
)

// parallelMinMACs is the smallest product (m·n·k multiply-adds) that is
// split over threads; below it the hand-off costs more than it saves.
var parallelMinMACs = 1 << 19

// bigMACs is the product size from which splitting is always tried: its
// chunks are long enough to absorb a descheduled worker. Between the two,
// products are split while recent splits paid (see par.Worthwhile).
var bigMACs = 1 << 25

// parallelPays reports whether a product of macs multiply-adds should be
// split, given the recent speed-ups.
func parallelPays(macs int) bool {
	if macs < parallelMinMACs {
		return false
	}
	return macs >= bigMACs || par.Worthwhile()
}

var threads atomic.Int64 // 0 means runtime.GOMAXPROCS(0)

// SetThreads sets how many goroutines (the caller plus pool workers) a large
// product is split over. n ≤ 0 restores the default, runtime.GOMAXPROCS(0).
// Small products always run on the calling goroutine. The result does not
// depend on the thread count: every element is computed the same way.
func SetThreads(n int) {
	if n < 0 {
		n = 0
	}
	threads.Store(int64(n))
}

// Threads returns the number of goroutines a large product is split over.
func Threads() int {
	if n := threads.Load(); n > 0 {
		return int(n)
	}
	return runtime.GOMAXPROCS(0)
}

// call is one parallel Sgemm: its arguments and how they are split into
// chunks, run by the goroutines of par.For (see Run).
type call struct {
	kr            *kernel
	path          path
	tA, tB        bool
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
	splitN        bool // chunks are column strips (else row strips)
	step          int  // columns or rows per chunk
	chunks        int  // the last chunk runs to the end of its dimension
	own           *buffers
}

// parallel splits the product into chunks along the larger of m and n (in
// whole register tiles) and runs them on up to t goroutines. It reports false
// when the product is too narrow to split. Every element is computed exactly
// as the serial product computes it: the path is the whole product's, a
// single row keeps its gemv strips whole, and no chunk of a multi-row product
// is left with one row (one-row products use other kernels).
func parallel(kr *kernel, p path, t int, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	f := &kr.tile
	splitN := n >= m
	dim, unit := m, f.mr
	if splitN {
		dim, unit = n, f.nr
		if p == pathDirect && m == 1 && !tB && kr.gemv != nil {
			unit = kr.gemv.nr
		}
	}
	units := (dim + unit - 1) / unit
	if units < 2 {
		return false
	}
	t = min(t, units)
	// A few chunks per goroutine balance the load; each chunk of the packed
	// path packs its own copy of the shared operand, so that path gets fewer.
	per := 4
	if p == pathPacked || tB {
		per = 2
	}
	chunks := min(units, per*t, 1<<15)
	step := (units + chunks - 1) / chunks * unit
	chunks = (dim + step - 1) / step
	if !splitN && dim-(chunks-1)*step == 1 {
		chunks-- // the last chunk takes the lone row
	}
	if chunks < 2 {
		return false
	}
	w := getBuffers()
	cl := &w.call
	cl.kr, cl.path, cl.tA, cl.tB, cl.m, cl.n, cl.k = kr, p, tA, tB, m, n, k
	cl.alpha, cl.beta = alpha, beta
	cl.a, cl.b, cl.c = a, b, c
	cl.lda, cl.ldb, cl.ldc = lda, ldb, ldc
	cl.splitN, cl.step, cl.chunks = splitN, step, chunks
	cl.own = w
	par.For(t, chunks, cl)
	cl.a, cl.b, cl.c, cl.own = nil, nil, nil, nil
	putBuffers(w)
	return true
}

// Run computes chunk i, with the caller's buffers on slot 0 and free
// buffers on the others.
func (cl *call) Run(i, slot int) {
	if slot == 0 {
		cl.run(i, cl.own)
		return
	}
	w := getBuffers()
	cl.run(i, w)
	putBuffers(w)
}

// run computes chunk i of the call on the current goroutine.
func (cl *call) run(i int, w *buffers) {
	lo, size := i*cl.step, cl.step
	if i == cl.chunks-1 {
		size = cl.m - lo
		if cl.splitN {
			size = cl.n - lo
		}
	}
	if cl.splitN {
		b := cl.b[lo:]
		if cl.tB {
			b = cl.b[lo*cl.ldb:]
		}
		serial(cl.kr, w, cl.path, cl.tA, cl.tB, cl.m, size, cl.k, cl.alpha, cl.a, cl.lda, b, cl.ldb, cl.beta, cl.c[lo:], cl.ldc)
		return
	}
	var a []float32
	if cl.tA {
		a = cl.a[lo:] // rows of op(A) are columns of A
	} else {
		a = cl.a[lo*cl.lda:]
	}
	serial(cl.kr, w, cl.path, cl.tA, cl.tB, size, cl.n, cl.k, cl.alpha, a, cl.lda, cl.b, cl.ldb, cl.beta, cl.c[lo*cl.ldc:], cl.ldc)
}
