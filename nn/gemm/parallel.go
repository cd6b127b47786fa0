package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// parallelMinMACs is the smallest product (m·n·k multiply-adds) that is
// split over threads; below it the hand-off costs more than it saves.
var parallelMinMACs = 1 << 19

// workerSpin is how long an idle pool worker keeps polling for the next
// product before it parks. Waking a parked goroutine's thread can take
// ~100µs on a virtual machine, as long as a mid-sized product, so workers
// stay awake across the back-to-back products of a training step.
var workerSpin = 200 * time.Microsecond

// speedup is a moving average (in 1/1024) of the speed-up recent parallel
// products got: the caller's time for its own chunks, scaled to all chunks,
// over the product's wall time. On a machine whose other cores are busy
// with other processes, a worker thread is descheduled now and then, the
// caller waits for its chunk, and the speed-up falls below one. Then
// products below bigMACs are split only while a worker happens to be
// spinning (or every probeEvery-th time), and workers park at once instead
// of spinning, except for one spin every probePeriod, which notices when
// cores free up.
var speedup atomic.Int64

const (
	minSpeedup  = 1178 // 1.15 in 1/1024
	probeEvery  = 16
	probePeriod = 10 * time.Millisecond
)

// bigMACs is the product size from which splitting is always tried: its
// chunks are long enough to absorb a descheduled worker.
var bigMACs = 1 << 25

var (
	probes    atomic.Uint32
	spinning  atomic.Int32 // workers polling for jobs right now
	lastProbe atomic.Int64 // time of the last probing spin, in ns
)

func init() { speedup.Store(2048) }

// parallelPays reports whether a product of macs multiply-adds should be
// split, given the recent speed-ups.
func parallelPays(macs int) bool {
	if macs < parallelMinMACs {
		return false
	}
	return macs >= bigMACs || speedup.Load() >= minSpeedup || spinning.Load() > 0 || probes.Add(1)%probeEvery == 0
}

// shouldSpin reports whether an idle worker should poll for the next job
// rather than park.
func shouldSpin() bool {
	if speedup.Load() >= minSpeedup {
		return true
	}
	now := time.Now().UnixNano()
	last := lastProbe.Load()
	return now-last >= int64(probePeriod) && lastProbe.CompareAndSwap(last, now)
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
// chunks. The calling goroutine and the pool workers it signals claim chunks
// until none is left, so a worker that wakes late (or a core busy with other
// work) only means the others take more chunks.
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
	// claim is gen<<32 | chunks<<16 | next chunk. A call struct is reused
	// by later products of the same caller; a worker holding a stale
	// generation claims nothing and reads no other field.
	claim atomic.Uint64
	gen   uint32
	wg    sync.WaitGroup // one count per chunk
}

// job signals a worker to help with a call of generation gen.
type job struct {
	c   *call
	gen uint32
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

// worker helps with calls, with its own packing buffers, forever. Between
// calls it polls for workerSpin before parking.
func worker(jobs chan job) {
	w := new(buffers)
	for {
		var j job
		select {
		case j = <-jobs:
		default:
			if shouldSpin() {
				j = spinReceive(jobs)
			} else {
				j = <-jobs
			}
		}
		j.c.work(j.gen, w)
	}
}

// spinReceive polls jobs for up to workerSpin (yielding to other goroutines
// in between), then blocks.
func spinReceive(jobs chan job) job {
	spinning.Add(1)
	deadline := time.Now().Add(workerSpin)
	for i := 0; ; i++ {
		select {
		case j := <-jobs:
			spinning.Add(-1)
			return j
		default:
		}
		if i%64 == 63 && time.Now().After(deadline) {
			spinning.Add(-1)
			return <-jobs
		}
		runtime.Gosched()
	}
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
	t = min(t, chunks)
	jobs := ensureWorkers(t - 1)

	w := getBuffers()
	cl := &w.call
	cl.kr, cl.path, cl.tA, cl.tB, cl.m, cl.n, cl.k = kr, p, tA, tB, m, n, k
	cl.alpha, cl.beta = alpha, beta
	cl.a, cl.b, cl.c = a, b, c
	cl.lda, cl.ldb, cl.ldc = lda, ldb, ldc
	cl.splitN, cl.step, cl.chunks = splitN, step, chunks
	cl.gen++
	cl.wg.Add(chunks)
	cl.claim.Store(uint64(cl.gen)<<32 | uint64(chunks)<<16)
	for i := 1; i < t; i++ {
		select {
		case jobs <- job{cl, cl.gen}:
		default: // every worker is busy: the caller does more chunks itself
		}
	}
	t0 := time.Now()
	mine := cl.work(cl.gen, w)
	t1 := time.Now()
	cl.wg.Wait()
	t2 := time.Now()
	est := int64(2048) // the workers did it all
	if mine > 0 && t2.After(t0) {
		est = int64(float64(t1.Sub(t0)) * float64(chunks) / float64(mine) / float64(t2.Sub(t0)) * 1024)
	}
	speedup.Store((7*speedup.Load() + min(est, 4096)) / 8)
	cl.a, cl.b, cl.c = nil, nil, nil
	putBuffers(w)
	return true
}

// work claims and runs chunks of generation gen until none is left, and
// returns how many it ran.
func (cl *call) work(gen uint32, w *buffers) (ran int) {
	for {
		s := cl.claim.Load()
		next, chunks := s&0xffff, s>>16&0xffff
		if uint32(s>>32) != gen || next >= chunks {
			return ran
		}
		if !cl.claim.CompareAndSwap(s, s+1) {
			continue
		}
		cl.run(int(next), w)
		cl.wg.Done()
		ran++
	}
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
	a := cl.a[lo*cl.lda:]
	if cl.tA {
		a = cl.a[lo:]
	}
	serial(cl.kr, w, cl.path, cl.tA, cl.tB, size, cl.n, cl.k, cl.alpha, a, cl.lda, cl.b, cl.ldb, cl.beta, cl.c[lo*cl.ldc:], cl.ldc)
}
