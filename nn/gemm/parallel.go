package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelMinMACs is the smallest product (m·n·k multiply-adds) that is
// split over threads; below it the hand-off costs more than it saves.
var parallelMinMACs = 1 << 22

var threads atomic.Int64 // 0 means runtime.GOMAXPROCS(0)

// SetThreads sets how many goroutines (the caller plus pool workers) a large
// product is split over. n ≤ 0 restores the default, runtime.GOMAXPROCS(0).
// Small products always run on the calling goroutine.
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

// call is one parallel Sgemm: its arguments and how they are split.
type call struct {
	kr            *kernel
	path          path
	tA, tB        bool
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
	splitN        bool // parts are column strips (else row strips)
	step          int  // columns or rows per part
	parts         int  // the last part runs to the end of its dimension
	wg            sync.WaitGroup
}

// job is one part of a call, run by a pool worker.
type job struct {
	c    *call
	part int
}

var pool struct {
	mu      sync.Mutex
	jobs    chan job
	workers int
}

// ensureWorkers starts pool workers until there are at least n.
func ensureWorkers(n int) chan job {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if pool.jobs == nil {
		pool.jobs = make(chan job, 256)
	}
	for pool.workers < n {
		go worker(pool.jobs)
		pool.workers++
	}
	return pool.jobs
}

// worker runs parts of calls with its own packing buffers, forever.
func worker(jobs chan job) {
	w := new(buffers)
	for j := range jobs {
		j.c.run(j.part, w)
		j.c.wg.Done()
	}
}

// parallel splits the product into up to t parts along the larger of m and n
// (in whole register tiles) and runs them concurrently. It reports false when
// the product is too narrow to split. Every element is computed exactly as
// the serial product computes it: the path is the whole product's, a single
// row keeps its gemv strips whole, and no part of a multi-row product is left
// with one row (one-row products use other kernels).
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
	parts := min(t, units)
	if parts < 2 {
		return false
	}
	step := (units + parts - 1) / parts * unit
	parts = (dim + step - 1) / step
	if !splitN && dim-(parts-1)*step == 1 {
		parts-- // the last part takes the lone row
	}
	if parts < 2 {
		return false
	}
	jobs := ensureWorkers(t - 1)

	w := getBuffers()
	cl := &w.call
	cl.kr, cl.path, cl.tA, cl.tB, cl.m, cl.n, cl.k = kr, p, tA, tB, m, n, k
	cl.alpha, cl.beta = alpha, beta
	cl.a, cl.b, cl.c = a, b, c
	cl.lda, cl.ldb, cl.ldc = lda, ldb, ldc
	cl.splitN, cl.step, cl.parts = splitN, step, parts
	cl.wg.Add(parts - 1)
	for i := 1; i < parts; i++ {
		jobs <- job{cl, i}
	}
	cl.run(0, w)
	cl.wg.Wait()
	cl.a, cl.b, cl.c = nil, nil, nil
	putBuffers(w)
	return true
}

// run computes part p of the call on the current goroutine.
func (cl *call) run(p int, w *buffers) {
	lo, size := p*cl.step, cl.step
	if p == cl.parts-1 {
		size = cl.m - lo
		if cl.splitN {
			size = cl.n - lo
		}
	}
	if cl.splitN {
		nb := size
		b := cl.b[lo:]
		if cl.tB {
			b = cl.b[lo*cl.ldb:]
		}
		serial(cl.kr, w, cl.path, cl.tA, cl.tB, cl.m, nb, cl.k, cl.alpha, cl.a, cl.lda, b, cl.ldb, cl.beta, cl.c[lo:], cl.ldc)
		return
	}
	mb := size
	a := cl.a[lo*cl.lda:]
	if cl.tA {
		a = cl.a[lo:]
	}
	serial(cl.kr, w, cl.path, cl.tA, cl.tB, mb, cl.n, cl.k, cl.alpha, a, cl.lda, cl.b, cl.ldb, cl.beta, cl.c[lo*cl.ldc:], cl.ldc)
}
