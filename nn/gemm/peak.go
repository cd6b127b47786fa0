package gemm

import (
	"runtime"
	"sync"
	"time"
)

// MeasurePeak times a loop of independent fp32 fused multiply-adds on the
// widest vectors this CPU has (ZMM with AVX-512, YMM with AVX2+FMA, scalar Go
// otherwise) on the calling goroutine for about d, and returns the best rate
// seen in GFLOP/s (one FMA lane = 2 flops). It is this core's practical fp32
// peak: benchmarks divide their GFLOP/s by it to get a share of peak that can
// be compared between machines. The loop runs in slices of about 100µs and
// the best slice counts, so the figure holds on a machine whose cores are
// shared with other processes (most slices then run undisturbed). d ≤ 0
// means 200ms.
func MeasurePeak(d time.Duration) float64 {
	if d <= 0 {
		d = 200 * time.Millisecond
	}
	const slice = 100 * time.Microsecond
	loop, flopsPerIter := peakLoop()
	// Calibrate the iteration count so one timed run takes about a slice.
	n := 64
	for {
		t0 := time.Now()
		loop(n)
		el := time.Since(t0)
		if el >= slice || n >= 1<<30 {
			break
		}
		if el < slice/16 {
			n *= 8
		} else {
			n = int(float64(n)*float64(slice)/float64(el)) + 1
		}
	}
	best := 0.0
	end := time.Now().Add(d)
	for time.Now().Before(end) || best == 0 {
		t0 := time.Now()
		loop(n)
		if s := time.Since(t0).Seconds(); s > 0 {
			best = max(best, float64(n)*flopsPerIter/s/1e9)
		}
	}
	return best
}

var (
	peakOnce  sync.Once
	peakCache float64
)

// cachedPeak measures the peak once per process (for benchmarks and reports).
func cachedPeak() float64 {
	peakOnce.Do(func() { peakCache = MeasurePeak(300 * time.Millisecond) })
	return peakCache
}

// peakGo is the portable peak loop: 8 independent scalar multiply-add chains
// (16 flops per iteration).
func peakGo(n int) {
	x, y := float32(0.999999), float32(1e-7)
	a0, a1, a2, a3 := float32(1), float32(2), float32(3), float32(4)
	a4, a5, a6, a7 := float32(5), float32(6), float32(7), float32(8)
	for i := 0; i < n; i++ {
		a0 = a0*x + y
		a1 = a1*x + y
		a2 = a2*x + y
		a3 = a3*x + y
		a4 = a4*x + y
		a5 = a5*x + y
		a6 = a6*x + y
		a7 = a7*x + y
	}
	runtime.KeepAlive(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7) // the chains must be computed
}
