package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// problem is one Sgemm call with its operands stored with padded strides and
// a sentinel-filled margin around C.
type problem struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta float32
	a, b, c0    []float32
	lda, ldb    int
	ldc         int
	want        []float64 // reference C (m×n, dense)
	bound       []float64 // error scale per element: |alpha|·Σ|a||b| + |beta·c|
}

const sentinel = float32(-12345.5)

func newProblem(rng *rand.Rand, tA, tB bool, m, n, k int, alpha, beta float32, pad int) *problem {
	p := &problem{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	p.lda, p.ldb, p.ldc = ac+pad, bc+pad, n+pad
	fill := func(rows, cols, ld int) []float32 {
		x := make([]float32, rows*ld)
		for i := range x {
			x[i] = sentinel
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				x[i*ld+j] = float32(rng.NormFloat64())
			}
		}
		return x
	}
	p.a = fill(ar, ac, p.lda)
	p.b = fill(br, bc, p.ldb)
	p.c0 = fill(m, n, p.ldc)
	if beta == 0 {
		// C must not be read when beta is 0: poison it.
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				p.c0[i*p.ldc+j] = float32(math.NaN())
			}
		}
	}
	p.want = make([]float64, m*n)
	p.bound = make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, sa float64
			for q := 0; q < k; q++ {
				x, y := float64(p.aAt(i, q)), float64(p.bAt(q, j))
				s += x * y
				sa += math.Abs(x * y)
			}
			w := float64(alpha) * s
			bd := math.Abs(float64(alpha)) * sa
			if beta != 0 {
				cv := float64(p.c0[i*p.ldc+j])
				w += float64(beta) * cv
				bd += math.Abs(float64(beta) * cv)
			}
			p.want[i*n+j] = w
			p.bound[i*n+j] = bd
		}
	}
	return p
}

func (p *problem) aAt(i, q int) float32 {
	if p.tA {
		return p.a[q*p.lda+i]
	}
	return p.a[i*p.lda+q]
}

func (p *problem) bAt(q, j int) float32 {
	if p.tB {
		return p.b[j*p.ldb+q]
	}
	return p.b[q*p.ldb+j]
}

func (p *problem) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%g beta=%g lda=%d ldb=%d ldc=%d",
		p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.beta, p.lda, p.ldb, p.ldc)
}

// run calls f (an Sgemm-like function) on a fresh copy of C and returns it.
func (p *problem) run(f func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) []float32 {
	c := slices.Clone(p.c0)
	f(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
	return c
}

// check compares C with the float64 reference and verifies that nothing
// outside the m×n block changed.
func (p *problem) check(t *testing.T, what string, c []float32) {
	t.Helper()
	// float32 accumulation of k products: error ≲ k·eps·Σ|a||b|; allow 2x.
	tol := 2 * float64(p.k+2) * 6e-8
	bad := 0
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.n; j++ {
			got := float64(c[i*p.ldc+j])
			want := p.want[i*p.n+j]
			if math.IsNaN(got) || math.Abs(got-want) > tol*p.bound[i*p.n+j]+1e-30 {
				if bad < 3 {
					t.Errorf("%s %v: C[%d,%d] = %g, want %g (bound %g)", what, p, i, j, got, want, tol*p.bound[i*p.n+j])
				}
				bad++
			}
		}
		for j := p.n; j < p.ldc && i*p.ldc+j < len(c); j++ {
			if c[i*p.ldc+j] != sentinel {
				t.Errorf("%s %v: wrote C[%d,%d] outside the matrix (ldc padding)", what, p, i, j)
				return
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s %v: %d wrong elements", what, p, bad)
	}
}

// shapes covers tiny, prime, tile-edge and multi-block sizes.
var shapes = [][3]int{
	{1, 1, 1}, {1, 5, 3}, {2, 3, 4}, {3, 17, 9}, {5, 33, 7}, {6, 16, 1},
	{7, 31, 13}, {8, 8, 8}, {11, 1, 19}, {1, 256, 64}, {1, 10, 256}, {1, 129, 5},
	{2, 200, 33}, {4, 7, 300}, {9, 65, 40}, {32, 256, 64}, {32, 10, 256},
	{13, 129, 67}, {31, 47, 101}, {33, 65, 17}, {37, 97, 257}, {64, 64, 64},
	{97, 113, 61}, {127, 1, 131}, {1, 300, 300}, {150, 151, 149},
	{257, 263, 31}, {300, 17, 300}, {199, 211, 293},
}

type params struct {
	alpha, beta float32
	pad         int
}

var paramSets = []params{{1, 0, 0}, {1, 1, 3}, {-0.5, 2, 1}, {2, 0, 5}, {0.75, -1, 0}}

// problems builds the test table: every shape × the 4 transpose combinations
// with rotating alpha, beta and stride padding.
func problems(seed uint64) []*problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	var ps []*problem
	for si, s := range shapes {
		for tr := 0; tr < 4; tr++ {
			pp := paramSets[(si+tr)%len(paramSets)]
			ps = append(ps, newProblem(rng, tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], pp.alpha, pp.beta, pp.pad))
		}
	}
	return ps
}

var testProblems = problems(42)

// withKernel runs f with kernel name selected and restores the default.
func withKernel(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if err := SetKernel(name); err != nil {
		t.Fatal(err)
	}
	defer SetKernel("")
	f(t)
}

func TestSgemmKernels(t *testing.T) {
	for _, name := range Kernels() {
		t.Run(name, func(t *testing.T) {
			withKernel(t, name, func(t *testing.T) {
				defer setThresholds(0)
				for ti := range thresholds {
					setThresholds(ti)
					for _, threads := range []int{1, 2} {
						SetThreads(threads)
						for _, p := range testProblems {
							p.check(t, fmt.Sprintf("%s threads=%d", thresholds[ti].name, threads), p.run(Sgemm))
						}
					}
				}
				SetThreads(0)
			})
		})
	}
}

// TestPaths forces each loop nest of every kernel, with small cache blocks so
// the packed path crosses several kc, mc and nc blocks.
func TestPaths(t *testing.T) {
	for _, name := range Kernels() {
		kr := *byName[name]
		kr.kc, kr.mc, kr.nc = 48, 2*kr.tile.mr, 3*kr.tile.nr
		paths := []path{pathPacked}
		if kr.direct {
			paths = append(paths, pathDirect, pathDot)
		}
		for _, pa := range paths {
			t.Run(fmt.Sprintf("%s/%d", name, pa), func(t *testing.T) {
				w := new(buffers)
				for _, p := range testProblems {
					if pa == pathDot && !p.tB {
						continue
					}
					c := p.run(func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
						serial(&kr, w, pa, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					})
					p.check(t, "", c)
				}
			})
		}
	}
}

// TestKernelsAgree checks that all kernels give the same C within float32
// rounding (each is also checked against float64 above).
func TestKernelsAgree(t *testing.T) {
	ks := Kernels()
	for _, p := range testProblems[:40] {
		var first []float32
		for _, name := range ks {
			SetKernel(name)
			c := p.run(Sgemm)
			if first == nil {
				first = c
				continue
			}
			for i := 0; i < p.m; i++ {
				for j := 0; j < p.n; j++ {
					x, y := float64(first[i*p.ldc+j]), float64(c[i*p.ldc+j])
					if math.Abs(x-y) > 4*float64(p.k+2)*6e-8*p.bound[i*p.n+j]+1e-30 {
						t.Fatalf("%v: %s and %s differ at C[%d,%d]: %g vs %g", p, ks[0], name, i, j, x, y)
					}
				}
			}
		}
	}
	SetKernel("")
}

// thresholds are path-selection settings: the defaults, everything packed,
// and everything read in place.
var thresholds = []struct {
	name                             string
	directM, directN, directAK, dotM int
}{
	{"default", directMaxM, directMaxN, directMaxAK, dotMaxM},
	{"packed", 0, 0, 0, 0},
	{"direct", 1 << 30, 1 << 30, 1 << 30, 0},
}

func setThresholds(i int) {
	th := thresholds[i]
	directMaxM, directMaxN, directMaxAK, dotMaxM = th.directM, th.directN, th.directAK, th.dotM
}

// forceParallel makes every product with threads > 1 split (whatever the
// recent speed-ups on a busy machine) and returns the function restoring the
// settings.
func forceParallel() func() {
	minMACs, big := parallelMinMACs, bigMACs
	parallelMinMACs, bigMACs = 1, 1
	return func() {
		parallelMinMACs, bigMACs = minMACs, big
		SetThreads(0)
		setThresholds(0)
	}
}

// TestParallelEqualsSerial checks that splitting a product over threads gives
// bit-identical results, for even and uneven splits, on every path.
func TestParallelEqualsSerial(t *testing.T) {
	defer forceParallel()()
	for ti, th := range thresholds {
		setThresholds(ti)
		for _, name := range Kernels() {
			withKernel(t, name, func(t *testing.T) {
				for _, p := range testProblems {
					SetThreads(1)
					want := p.run(Sgemm)
					for _, n := range []int{2, 3, 5} {
						SetThreads(n)
						got := p.run(Sgemm)
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(math.IsNaN(float64(got[i])) && math.IsNaN(float64(want[i]))) {
								t.Fatalf("%s %s %v threads=%d: element %d = %g, serial %g", th.name, name, p, n, i, got[i], want[i])
							}
						}
					}
				}
			})
		}
	}
}

// TestLargeParallel checks a product big enough to be split by default.
func TestLargeParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	p := newProblem(rng, false, true, 300, 290, 280, 1, 0, 2)
	defer forceParallel()()
	SetThreads(2)
	p.check(t, "large", p.run(Sgemm))
}

// TestParallelTallTransposedA splits a tall product of a transposed A by
// rows, where a row offset times lda runs past the end of A (a linear
// layer's weight gradient, Xᵀ·dY, with many inputs and a small batch).
func TestParallelTallTransposedA(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	p := newProblem(rng, true, false, 810, 64, 128, 1, 0, 0)
	defer forceParallel()()
	SetThreads(2)
	p.check(t, "tall transposed A", p.run(Sgemm))
}

func TestSpecialCases(t *testing.T) {
	// k == 0: C = beta·C.
	c := []float32{1, 2, 3, 4}
	Sgemm(false, false, 2, 2, 0, 1, nil, 1, nil, 2, 2, c, 2)
	if !slices.Equal(c, []float32{2, 4, 6, 8}) {
		t.Errorf("k=0, beta=2: C = %v", c)
	}
	// alpha == 0, beta == 0: C = 0 without reading A, B or C.
	nan := float32(math.NaN())
	c = []float32{nan, nan, nan, nan}
	Sgemm(false, false, 2, 2, 2, 0, []float32{nan, nan, nan, nan}, 2, []float32{nan, nan, nan, nan}, 2, 0, c, 2)
	if !slices.Equal(c, []float32{0, 0, 0, 0}) {
		t.Errorf("alpha=0, beta=0: C = %v", c)
	}
	// m == 0 and n == 0 are no-ops with empty slices.
	Sgemm(true, true, 0, 0, 5, 1, nil, 0, nil, 0, 0, nil, 0)
	// A 1×k row with lda smaller than k is fine (the stride is unused).
	c = []float32{0}
	Sgemm(false, false, 1, 1, 3, 1, []float32{1, 2, 3}, 1, []float32{1, 1, 1}, 1, 0, c, 1)
	if c[0] != 6 {
		t.Errorf("1×3·3×1 = %v, want 6", c[0])
	}
}

func TestBadArguments(t *testing.T) {
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"short a", func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		}, "len(a) = 3"},
		{"short b", func() {
			Sgemm(false, true, 2, 3, 2, 1, make([]float32, 4), 2, make([]float32, 5), 2, 0, make([]float32, 6), 3)
		}, "len(b) = 5"},
		{"short c", func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, make([]float32, 3), 2)
		}, "len(c) = 3"},
		{"small lda", func() {
			Sgemm(false, false, 2, 2, 3, 1, make([]float32, 9), 2, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		}, "lda = 2"},
		{"small ldc", func() {
			Sgemm(false, false, 2, 3, 1, 1, make([]float32, 2), 1, make([]float32, 3), 3, 0, make([]float32, 9), 2)
		}, "ldc = 2"},
		{"negative", func() { Sgemm(false, false, -1, 2, 2, 1, nil, 2, nil, 2, 0, nil, 2) }, "negative dimension"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("panic = %v, want one containing %q", r, tc.want)
				}
			}()
			tc.f()
		})
	}
}

func TestSetKernel(t *testing.T) {
	defer SetKernel("")
	if err := SetKernel("nonsense"); err == nil || !strings.Contains(err.Error(), "available") {
		t.Errorf("SetKernel(nonsense) = %v", err)
	}
	for _, name := range Kernels() {
		if err := SetKernel(strings.ToUpper(name)); err != nil || Kernel() != name {
			t.Errorf("SetKernel(%s): err %v, Kernel() = %s", name, err, Kernel())
		}
	}
	SetKernel("auto")
	if Kernel() != Kernels()[0] {
		t.Errorf("auto gives %s, want %s", Kernel(), Kernels()[0])
	}
	if !slices.Contains(Kernels(), "generic") {
		t.Errorf("generic missing from %v", Kernels())
	}
}

func TestThreads(t *testing.T) {
	defer SetThreads(0)
	SetThreads(3)
	if Threads() != 3 {
		t.Errorf("Threads() = %d after SetThreads(3)", Threads())
	}
	SetThreads(0)
	if Threads() < 1 {
		t.Errorf("default Threads() = %d", Threads())
	}
}

// TestZeroAllocs checks that calls in steady state allocate nothing, on
// every path, serial and parallel.
func TestZeroAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("slow-ish")
	}
	defer forceParallel()()
	shapes := []struct {
		tA, tB  bool
		m, n, k int
		threads int
	}{
		{false, false, 1, 256, 256, 1},   // gemv, direct
		{false, true, 1, 256, 256, 1},    // dot
		{false, false, 32, 256, 256, 1},  // direct
		{true, true, 64, 64, 64, 1},      // packed
		{false, false, 256, 256, 256, 2}, // parallel
		{true, false, 200, 100, 300, 2},
	}
	for _, name := range Kernels() {
		withKernel(t, name, func(t *testing.T) {
			for _, s := range shapes {
				SetThreads(s.threads)
				a := make([]float32, s.m*s.k)
				b := make([]float32, s.k*s.n)
				c := make([]float32, s.m*s.n)
				lda, ldb := s.k, s.n
				if s.tA {
					lda = s.m
				}
				if s.tB {
					ldb = s.k
				}
				f := func() { Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0.5, c, s.n) }
				f()
				if n := testing.AllocsPerRun(20, f); n != 0 {
					t.Errorf("%s %+v: %v allocations per call", name, s, n)
				}
			}
		})
	}
}

func TestMeasurePeak(t *testing.T) {
	p := MeasurePeak(20e6)
	if p <= 0 || math.IsInf(p, 0) || math.IsNaN(p) {
		t.Fatalf("MeasurePeak = %v", p)
	}
	t.Logf("peak %.1f GFLOP/s (kernel %s)", p, Kernel())
}

// atPageEnd returns a copy of x whose last element ends a 4 KiB page, so
// that masked accesses past it would reach the next page: the kernels must
// then take their safe (copying) paths and still give the right result.
func atPageEnd(x []float32) []float32 {
	buf := make([]float32, len(x)+2048)
	base := uintptr(unsafe.Pointer(&buf[0]))
	end := (base + uintptr(4*len(x)) + 4095) &^ 4095
	off := int(end-base)/4 - len(x)
	y := buf[off : off+len(x) : off+len(x)]
	copy(y, x)
	return y
}

func TestPageEnd(t *testing.T) {
	defer setThresholds(0)
	for ti := range thresholds {
		setThresholds(ti)
		for _, name := range Kernels() {
			withKernel(t, name, func(t *testing.T) {
				for _, p := range testProblems {
					q := *p
					q.a, q.b, q.c0 = atPageEnd(p.a), atPageEnd(p.b), atPageEnd(p.c0)
					c := atPageEnd(q.c0)
					Sgemm(q.tA, q.tB, q.m, q.n, q.k, q.alpha, q.a, q.lda, q.b, q.ldb, q.beta, c, q.ldc)
					q.check(t, "page end "+thresholds[ti].name, c)
				}
			})
		}
	}
}
