package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmSegments compares SgemmSegments, on every kernel, with a float64
// sum of its segments' products: overlapping and disjoint segments, both
// layouts of A, widths that use every family (full strips, the narrow
// strip, the masked edge) and heights past a panel.
func TestSgemmSegments(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	type shape struct {
		tA                  bool
		m, n, k, segs, segA int
		lda, ldb, ldc       int
		alpha, beta         float32
	}
	var shapes []shape
	for _, tA := range []bool{false, true} {
		for _, mn := range [][2]int{{1, 1}, {3, 7}, {14, 32}, {42, 64}, {42, 48}, {13, 50}, {29, 2}} {
			for _, ks := range [][3]int{{1, 1, 0}, {6, 3, 14}, {12, 2, 5}, {5, 4, 40}} {
				m, n, k, segs, segA := mn[0], mn[1], ks[0], ks[1], ks[2]
				lda := k + 1
				if tA {
					lda = m + 3
				}
				shapes = append(shapes, shape{tA, m, n, k, segs, segA, lda, n + 2, n + 1, 1, 0})
				shapes = append(shapes, shape{tA, m, n, k, segs, segA, lda, n, n, 0.5, 1.5})
			}
		}
	}
	for _, name := range Kernels() {
		withKernel(t, name, func(t *testing.T) {
			for _, sh := range shapes {
				ar, ac := sh.m, sh.k
				if sh.tA {
					ar, ac = sh.k, sh.m
				}
				a := randSlice((sh.segs-1)*sh.segA+(ar-1)*sh.lda+ac, rng.Uint64())
				b := randSlice((sh.segs*sh.k-1)*sh.ldb+sh.n, rng.Uint64())
				c := randSlice((sh.m-1)*sh.ldc+sh.n, rng.Uint64())
				want := make([]float64, len(c))
				for i := 0; i < sh.m; i++ {
					for j := 0; j < sh.n; j++ {
						var acc float64
						for s := 0; s < sh.segs; s++ {
							for p := 0; p < sh.k; p++ {
								off := s*sh.segA + i*sh.lda + p
								if sh.tA {
									off = s*sh.segA + p*sh.lda + i
								}
								av := a[off]
								acc += float64(av) * float64(b[(s*sh.k+p)*sh.ldb+j])
							}
						}
						want[i*sh.ldc+j] = float64(sh.alpha)*acc + float64(sh.beta)*float64(c[i*sh.ldc+j])
					}
				}
				SgemmSegments(sh.tA, sh.m, sh.n, sh.k, sh.segs, sh.segA, sh.alpha, a, sh.lda, b, sh.ldb, sh.beta, c, sh.ldc)
				tol := 1e-5 * float64(sh.k*sh.segs)
				for i := 0; i < sh.m; i++ {
					for j := 0; j < sh.n; j++ {
						got, w := float64(c[i*sh.ldc+j]), want[i*sh.ldc+j]
						if math.Abs(got-w) > tol*(1+math.Abs(w)) {
							t.Fatalf("%+v: C[%d,%d] = %g, want %g", sh, i, j, got, w)
						}
					}
				}
			}
		})
	}
}

// TestSgemmSegmentsArgs checks that out-of-range segments are refused.
func TestSgemmSegmentsArgs(t *testing.T) {
	a, b, c := make([]float32, 20), make([]float32, 12), make([]float32, 4)
	for _, tc := range []struct {
		segs, segA int
		want       string
	}{
		{0, 1, "0 segments"},
		{2, -1, "segments -1 apart"},
		{3, 11, "segment 2 starts at 22"},
		{3, 8, "len(a) = 4, but a 2×2 matrix"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !contains(fmt.Sprint(r), tc.want) {
					t.Errorf("segs %d segA %d: panic %v, want %q", tc.segs, tc.segA, r, tc.want)
				}
			}()
			SgemmSegments(false, 2, 2, 2, tc.segs, tc.segA, 1, a, 4, b, 2, 0, c, 2)
		}()
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
