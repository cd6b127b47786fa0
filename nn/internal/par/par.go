// Package par runs work cut into chunks on the calling goroutine and a
// pool of persistent worker goroutines, shared by nn (convolutions,
// normalisations and other passes over a batch) and nn/gemm (large matrix
// products), so that the two never compete with two sets of threads.
//
// A caller cuts its work into chunks whose boundaries depend only on the
// shape of the work, never on the number of threads, and writes each
// chunk's results to memory of its own (reductions keep one partial result
// per chunk and combine them in chunk order). Which goroutine runs which
// chunk then changes nothing in the results: they are bit-identical at any
// thread count.
//
// Workers poll for the next call for a short while before they park, so
// the back-to-back calls of a forward or backward pass find them awake:
// waking a parked thread can take as long as a small convolution on a
// virtual machine. The pool watches the speed-up its recent calls got; when
// other processes keep the cores busy (the speed-up falls below one),
// Worthwhile advises against splitting mid-sized work and workers park at
// once, except for an occasional probe that notices when cores free up.
package par

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Task is work cut into chunks.
type Task interface {
	// Run does chunk i. slot identifies the goroutine running it among
	// those working on the same For call: 0 for the caller, and distinct
	// values below the call's thread count for the helpers, so a task can
	// keep scratch memory per slot.
	Run(chunk, slot int)
}

// MaxChunks is the largest number of chunks For accepts.
const MaxChunks = 1<<16 - 1

// workerSpin is how long an idle worker keeps polling for the next call
// before it parks. Waking a parked goroutine's thread can take ~100µs on a
// virtual machine, as long as a mid-sized product, so workers stay awake
// across the back-to-back calls of a forward or backward pass.
var workerSpin = 200 * time.Microsecond

// speedup is a moving average (in 1/1024) of the speed-up recent calls
// got: the caller's time for its own chunks, scaled to all chunks, over the
// call's wall time. On a machine whose other cores are busy with other
// processes, a worker thread is descheduled now and then, the caller waits
// for its chunk, and the speed-up falls below one. Then Worthwhile says no
// except while a worker happens to be spinning (or every probeEvery-th
// time), and workers park at once instead of spinning, except for one spin
// every probePeriod, which notices when cores free up.
var speedup atomic.Int64

const (
	minSpeedup  = 1178 // 1.15 in 1/1024
	probeEvery  = 16
	probePeriod = 10 * time.Millisecond
)

var (
	probes    atomic.Uint32
	spinning  atomic.Int32 // workers polling for calls right now
	lastProbe atomic.Int64 // time of the last probing spin, in ns
)

func init() { speedup.Store(2048) }

// Worthwhile reports whether splitting mid-sized work over threads is
// likely to pay, given the speed-ups of recent calls: yes while they were
// good or a worker is polling for work right now, and otherwise once every
// few calls (to measure again).
func Worthwhile() bool {
	return speedup.Load() >= minSpeedup || spinning.Load() > 0 || probes.Add(1)%probeEvery == 0
}

// shouldSpin reports whether an idle worker should poll for the next call
// rather than park.
func shouldSpin() bool {
	if speedup.Load() >= minSpeedup {
		return true
	}
	now := time.Now().UnixNano()
	last := lastProbe.Load()
	return now-last >= int64(probePeriod) && lastProbe.CompareAndSwap(last, now)
}

// maxRanges bounds the number of goroutines (and so of ranges of chunks)
// a call is split over.
const maxRanges = 64

// call is one For: its task, and the ranges of chunks its goroutines take
// chunks from. Participant s first runs range s from its front, in order,
// then takes chunks from the backs of the other ranges. Participants keep
// their slots from call to call (the caller is 0, and a helper takes the
// next free slot), so a pass over a batch that follows another finds each
// goroutine's rows of the batch in the cache of the core that wrote them.
// Calls are recycled: every word holds the generation of the call, and a
// worker holding a stale generation claims nothing and reads no other
// field.
type call struct {
	task Task
	// slots is gen<<32 | ranges<<16 | slots handed out (the caller holds 0).
	slots atomic.Uint64
	// rng[i] is gen<<32 | lo<<16 | hi: chunks [lo, hi) of range i are left.
	rng [maxRanges]atomic.Uint64
	gen uint32
	// pending counts the chunks not yet run; whoever runs the last one
	// sends on done, which the caller receives (after polling pending for
	// a while: parking on a futex and waking from it cost microseconds,
	// as much as a chunk of a small pass).
	pending atomic.Int64
	done    chan struct{}
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

// worker helps with calls forever; between calls it polls for workerSpin
// before parking.
func worker(jobs chan job) {
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
		j.c.work(j.gen, -1)
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

// waitPolls is how many times a caller whose own chunks are done polls
// for the others' before it blocks.
const waitPolls = 1 << 12

// free keeps recycled calls (a call per concurrent caller).
var free [64]atomic.Pointer[call]

func getCall() *call {
	for i := range free {
		if free[i].Load() != nil {
			if c := free[i].Swap(nil); c != nil {
				return c
			}
		}
	}
	return &call{done: make(chan struct{}, 1)}
}

func putCall(c *call) {
	for i := range free {
		if free[i].CompareAndSwap(nil, c) {
			return
		}
	}
}

// For runs t.Run(i, slot) for every chunk i in [0, n) on the calling
// goroutine and up to threads-1 pool workers, and returns when all have
// run. With threads ≤ 1 or a single chunk everything runs on the caller,
// in order. A worker that is busy elsewhere (another For, or a core taken
// by another process) only means the others run more chunks. n must not
// exceed MaxChunks. For does not allocate in steady state.
func For(threads, n int, t Task) {
	if n <= 0 {
		return
	}
	if threads <= 1 || n == 1 {
		for i := 0; i < n; i++ {
			t.Run(i, 0)
		}
		return
	}
	if n > MaxChunks {
		panic(fmt.Sprintf("par: %d chunks (at most %d)", n, MaxChunks))
	}
	ranges := min(threads, n, maxRanges)
	helpers := ranges - 1
	jobs := ensureWorkers(helpers)
	cl := getCall()
	cl.task = t
	cl.gen++
	g := uint64(cl.gen) << 32
	cl.pending.Store(int64(n))
	for i := 0; i < ranges; i++ {
		cl.rng[i].Store(g | uint64(i*n/ranges)<<16 | uint64((i+1)*n/ranges))
	}
	cl.slots.Store(g | uint64(ranges)<<16 | 1)
	for i := 0; i < helpers; i++ {
		select {
		case jobs <- job{cl, cl.gen}:
		default: // every worker is busy: the caller runs more chunks itself
		}
	}
	t0 := time.Now()
	mine := cl.work(cl.gen, 0)
	t1 := time.Now()
	for i := 0; cl.pending.Load() > 0 && i < waitPolls; i++ {
		if i%16 == 15 {
			runtime.Gosched()
		}
	}
	<-cl.done // sent by whoever ran the last chunk
	t2 := time.Now()
	est := int64(2048) // the workers ran it all
	if mine > 0 && t2.After(t0) {
		est = int64(float64(t1.Sub(t0)) * float64(n) / float64(mine) / float64(t2.Sub(t0)) * 1024)
	}
	speedup.Store((7*speedup.Load() + min(est, 4096)) / 8)
	cl.task = nil
	putCall(cl)
}

// work runs chunks of generation gen, first from the front of range slot,
// then from the backs of the others, until none is left, and returns how
// many it ran. A helper (slot < 0) first takes a slot.
func (cl *call) work(gen uint32, slot int) (ran int) {
	if slot < 0 {
		for {
			s := cl.slots.Load()
			if uint32(s>>32) != gen {
				return 0
			}
			taken, ranges := int(s&0xffff), int(s>>16&0xffff)
			if taken >= ranges {
				return 0 // every slot has a goroutine: nothing for this one
			}
			if cl.slots.CompareAndSwap(s, s+1) {
				slot = taken
				break
			}
		}
	}
	ranges := int(cl.slots.Load() >> 16 & 0xffff)
	for r := 0; r < ranges; r++ {
		i := (slot + r) % ranges
		for {
			s := cl.rng[i].Load()
			lo, hi := s>>16&0xffff, s&0xffff
			if uint32(s>>32) != gen || lo >= hi {
				break
			}
			chunk, next := lo, s+1<<16 // own range: from the front
			if r > 0 {
				chunk, next = hi-1, s-1 // another's: from the back
			}
			if !cl.rng[i].CompareAndSwap(s, next) {
				continue
			}
			cl.task.Run(int(chunk), slot)
			if cl.pending.Add(-1) == 0 {
				cl.done <- struct{}{}
			}
			ran++
		}
	}
	return ran
}
