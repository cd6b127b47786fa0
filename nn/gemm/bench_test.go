package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// benchKernels are the kernels benchmarked: every available one except the
// generic kernel on large sizes (too slow to be worth the time).
func benchKernels(size int) []string {
	var ks []string
	for _, k := range Kernels() {
		if k == "generic" && size > 256 {
			continue
		}
		ks = append(ks, k)
	}
	return ks
}

func randSlice(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// reportFlops reports, for a benchmark doing flops per op whose timed loop
// started when the process had used cpu0 of CPU time:
//
//	GFLOP/s    wall-clock rate
//	%peak      its share of this core's peak (MeasurePeak, taken once per
//	           process, so in the same run)
//	%peak/cpu  the rate per CPU-second of the process (all threads) as a
//	           share of peak: the kernel's efficiency, which stays meaningful
//	           when other processes share the cores (wall-clock rates then
//	           drop, CPU-time rates do not)
func reportFlops(b *testing.B, flops float64, cpu0 time.Duration) {
	s := b.Elapsed().Seconds()
	if s <= 0 {
		return
	}
	total := flops * float64(b.N)
	g := total / s / 1e9
	peak := cachedPeak()
	b.ReportMetric(g, "GFLOP/s")
	b.ReportMetric(100*g/peak, "%peak")
	if cpu := (processCPU() - cpu0).Seconds(); cpu0 > 0 && cpu > 0 {
		b.ReportMetric(100*total/cpu/1e9/peak, "%peak/cpu")
	}
}

func benchGemm(b *testing.B, kernel string, threads int, tA, tB bool, m, n, k int) {
	if err := SetKernel(kernel); err != nil {
		b.Skip(err)
	}
	defer SetKernel("")
	SetThreads(threads)
	defer SetThreads(0)
	lda, ldb := k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	x, y, z := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
	cachedPeak()
	Sgemm(tA, tB, m, n, k, 1, x, lda, y, ldb, 0, z, n)
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		Sgemm(tA, tB, m, n, k, 1, x, lda, y, ldb, 0, z, n)
	}
	reportFlops(b, 2*float64(m)*float64(n)*float64(k), cpu0)
}

// BenchmarkSquare multiplies n×n matrices (no transposes), single- and
// two-threaded, for every kernel.
func BenchmarkSquare(b *testing.B) {
	for _, size := range []int{64, 128, 256, 512, 1024} {
		for _, kern := range benchKernels(size) {
			for _, th := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/n=%d/t=%d", kern, size, th), func(b *testing.B) {
					benchGemm(b, kern, th, false, false, size, size, size)
				})
			}
		}
	}
}

// BenchmarkTranspose runs 256³ with every transpose combination.
func BenchmarkTranspose(b *testing.B) {
	for _, kern := range benchKernels(0) {
		for tr := 0; tr < 4; tr++ {
			tA, tB := tr&1 != 0, tr&2 != 0
			b.Run(fmt.Sprintf("%s/tA=%v/tB=%v", kern, tA, tB), func(b *testing.B) {
				benchGemm(b, kern, 1, tA, tB, 256, 256, 256)
			})
		}
	}
}

// BenchmarkMLPShapes runs the layer shapes of a 64→256→256→10 MLP at batch
// sizes 1, 32 and 256 (m), with the weights stored k×n (tB=false, X·W) or
// n×k (tB=true, X·Wᵀ), on all cores (small products stay single-threaded).
func BenchmarkMLPShapes(b *testing.B) {
	for _, kern := range benchKernels(0) {
		for _, m := range []int{1, 32, 256} {
			for _, kn := range [][2]int{{64, 256}, {256, 256}, {256, 10}} {
				for _, tB := range []bool{false, true} {
					b.Run(fmt.Sprintf("%s/m=%d/k=%d/n=%d/tB=%v", kern, m, kn[0], kn[1], tB), func(b *testing.B) {
						benchGemm(b, kern, 0, false, tB, m, kn[1], kn[0])
					})
				}
			}
		}
	}
}

// BenchmarkMLPForward times the three products of a 64→256→256→10 MLP
// forward pass (no bias or activation) for one sample and for a batch of 32.
func BenchmarkMLPForward(b *testing.B) {
	dims := []int{64, 256, 256, 10}
	for _, kern := range benchKernels(0) {
		for _, m := range []int{1, 32} {
			for _, tB := range []bool{false, true} {
				b.Run(fmt.Sprintf("%s/batch=%d/tB=%v", kern, m, tB), func(b *testing.B) {
					if err := SetKernel(kern); err != nil {
						b.Skip(err)
					}
					defer SetKernel("")
					var ws, acts [][]float32
					acts = append(acts, randSlice(m*dims[0], 9))
					flops := 0.0
					for l := 0; l+1 < len(dims); l++ {
						ws = append(ws, randSlice(dims[l]*dims[l+1], uint64(l)))
						acts = append(acts, make([]float32, m*dims[l+1]))
						flops += 2 * float64(m*dims[l]*dims[l+1])
					}
					fwd := func() {
						for l := 0; l+1 < len(dims); l++ {
							k, n := dims[l], dims[l+1]
							ldb := n
							if tB {
								ldb = k
							}
							Sgemm(false, tB, m, n, k, 1, acts[l], k, ws[l], ldb, 0, acts[l+1], n)
						}
					}
					cachedPeak()
					fwd()
					b.ReportAllocs()
					cpu0 := processCPU()
					for b.Loop() {
						fwd()
					}
					reportFlops(b, flops, cpu0)
				})
			}
		}
	}
}

// BenchmarkPeak reports MeasurePeak for this core.
func BenchmarkPeak(b *testing.B) {
	var p float64
	for b.Loop() {
		p = MeasurePeak(100e6)
	}
	b.ReportMetric(p, "GFLOP/s")
}
