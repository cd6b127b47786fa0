package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

func randVec(r *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.NormFloat64())
	}
	return v
}

// TestKernelsMatchPortable compares each kernel (AVX2 where available)
// with the portable Go loop, on lengths that exercise the vector body and
// the scalar tail.
func TestKernelsMatchPortable(t *testing.T) {
	for _, avx := range []bool{true, false} {
		old := setAVX2(avx)
		testKernels(t)
		setAVX2(old)
	}
}

func testKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 64, 100, 1027} {
		a, b := randVec(r, n), randVec(r, n)
		if n > 0 {
			a[0] = 0 // ReLU and its mask at exactly zero
		}
		type kern struct {
			name      string
			fast, ref func(x, y []float32)
		}
		kerns := []kern{
			{"Add", Add, func(x, y []float32) {
				for i := range x {
					x[i] += y[i]
				}
			}},
			{"BiasReLU", BiasReLU, func(x, y []float32) {
				for i := range x {
					x[i] = float32(math.Max(float64(x[i]+y[i]), 0))
				}
			}},
			{"ReLU", func(x, _ []float32) { ReLU(x) }, func(x, _ []float32) {
				for i := range x {
					x[i] = float32(math.Max(float64(x[i]), 0))
				}
			}},
			{"ReLUMask", ReLUMask, func(x, y []float32) {
				for i := range x {
					if y[i] <= 0 {
						x[i] = 0
					}
				}
			}},
		}
		for _, k := range kerns {
			got, want := append([]float32(nil), a...), append([]float32(nil), a...)
			k.fast(got, b)
			k.ref(want, b)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s n=%d: [%d] = %g, want %g", k.name, n, i, got[i], want[i])
				}
			}
		}
		// Adam against a float64 evaluation of the same update.
		w, g, m, v := randVec(r, n), randVec(r, n), randVec(r, n), randVec(r, n)
		for i := range v {
			v[i] = v[i] * v[i]
		}
		p := &AdamParams{B1: 0.9, B2: 0.999, A1: 0.1, A2: 0.001, Step: 0.01, Eps: 1e-8, Decay: 0.999, L2: 0.01}
		w0, g0, m0, v0 := append([]float32(nil), w...), append([]float32(nil), g...), append([]float32(nil), m...), append([]float32(nil), v...)
		Adam(w, g, m, v, p)
		for i := range w {
			gj := float64(g0[i]) + 0.01*float64(w0[i])
			mj := 0.9*float64(m0[i]) + 0.1*gj
			vj := 0.999*float64(v0[i]) + 0.001*gj*gj
			wj := float64(w0[i])*0.999 - 0.01*mj/(math.Sqrt(vj)+1e-8)
			if math.Abs(float64(w[i])-wj) > 1e-5*(1+math.Abs(wj)) || math.Abs(float64(m[i])-mj) > 1e-5 || g[i] != 0 {
				t.Fatalf("Adam n=%d [%d]: w %g want %g, m %g want %g, g %g", n, i, w[i], wj, m[i], mj, g[i])
			}
		}
	}
}

func BenchmarkAdam(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 84000
	w, g, m, v := randVec(r, n), randVec(r, n), randVec(r, n), make([]float32, n)
	p := &AdamParams{B1: 0.9, B2: 0.999, A1: 0.1, A2: 0.001, Step: 0.01, Eps: 1e-8, Decay: 1}
	for b.Loop() {
		Adam(w, g, m, v, p)
	}
}

func BenchmarkBiasReLU(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	y, bias := randVec(r, 256*256), randVec(r, 256*256)
	for b.Loop() {
		BiasReLU(y, bias)
	}
}

// TestRowKernels compares the row kernels (AVX2 where available) with
// float64 evaluations, for widths the assembly takes and widths it leaves
// to Go, with and without the residual and ReLU.
func TestRowKernels(t *testing.T) {
	for _, avx := range []bool{true, false} {
		old := setAVX2(avx)
		testRowKernels(t)
		setAVX2(old)
	}
}

func testRowKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	near := func(name string, got float32, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-5*(1+math.Abs(want)) {
			t.Fatalf("%s = %g, want %g", name, got, want)
		}
	}
	for _, cols := range []int{1, 3, 8, 16, 24, 64} {
		for _, rows := range []int{1, 2, 5} {
			n := rows * cols
			x, d, res := randVec(r, n), randVec(r, n), randVec(r, n)
			s, b, k, q := randVec(r, cols), randVec(r, cols), randVec(r, cols), randVec(r, cols)
			for _, withRes := range []bool{false, true} {
				for _, relu := range []bool{false, true} {
					y := make([]float32, n)
					var rr []float32
					if withRes {
						rr = res
					}
					AffineRows(y, x, s, b, rr, cols, relu)
					for i := range y {
						j := i % cols
						want := float64(x[i])*float64(s[j]) + float64(b[j])
						if withRes {
							want += float64(res[i])
						}
						if relu {
							want = math.Max(want, 0)
						}
						near("AffineRows", y[i], want)
					}
				}
			}
			s1, s2 := randVec(r, cols), randVec(r, cols)
			w1, w2 := append([]float32(nil), s1...), append([]float32(nil), s2...)
			ShiftedSums(s1, s2, x, k, cols)
			sd, sdx := randVec(r, cols), randVec(r, cols)
			v1, v2 := append([]float32(nil), sd...), append([]float32(nil), sdx...)
			GradSums(sd, sdx, d, x, k, cols)
			for j := 0; j < cols; j++ {
				a1, a2, a3, a4 := float64(w1[j]), float64(w2[j]), float64(v1[j]), float64(v2[j])
				for i := j; i < n; i += cols {
					dv := float64(x[i]) - float64(k[j])
					a1 += dv
					a2 += dv * dv
					a3 += float64(d[i])
					a4 += float64(d[i]) * dv
				}
				near("ShiftedSums s1", s1[j], a1)
				near("ShiftedSums s2", s2[j], a2)
				near("GradSums sd", sd[j], a3)
				near("GradSums sdx", sdx[j], a4)
			}
			for _, add := range []bool{false, true} {
				dx := randVec(r, n)
				dx0 := append([]float32(nil), dx...)
				LinearGrad(dx, d, x, s, q, b, cols, add)
				for i := range dx {
					j := i % cols
					want := float64(d[i])*float64(s[j]) + float64(x[i])*float64(q[j]) + float64(b[j])
					if add {
						want += float64(dx0[i])
					}
					near("LinearGrad", dx[i], want)
				}
			}
		}
	}
}

// TestWindows3 compares Windows3 (AVX2 where available) with its
// definition, for one-pixel rows and channel counts the assembly takes and
// leaves to Go.
func TestWindows3(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, avx := range []bool{true, false} {
		old := setAVX2(avx)
		for _, w := range []int{1, 2, 7} {
			for _, c := range []int{1, 3, 8, 16, 64} {
				row := randVec(r, w*c)
				dst := randVec(r, 3*w*c)
				Windows3(dst, row, w, c)
				for x := 0; x < w; x++ {
					for j := 0; j < 3*c; j++ {
						want := float32(0)
						if i := (x-1)*c + j; i >= 0 && i < w*c {
							want = row[i]
						}
						if got := dst[x*3*c+j]; got != want {
							t.Fatalf("avx %v w %d c %d: dst[%d][%d] = %g, want %g", avx, w, c, x, j, got, want)
						}
					}
				}
			}
		}
		setAVX2(old)
	}
}

// TestSumSquaresScale compares SumSquares and Scale with float64 loops.
func TestSumSquaresScale(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, avx := range []bool{true, false} {
		old := setAVX2(avx)
		for _, n := range []int{0, 1, 7, 8, 9, 100, 1027} {
			x := randVec(r, n)
			var want float64
			for _, v := range x {
				want += float64(v) * float64(v)
			}
			if got := SumSquares(x); math.Abs(got-want) > 1e-12*(1+want) {
				t.Fatalf("SumSquares n=%d: %g, want %g", n, got, want)
			}
			y := append([]float32(nil), x...)
			Scale(y, 0.37)
			for i := range y {
				if y[i] != x[i]*0.37 {
					t.Fatalf("Scale n=%d [%d]: %g, want %g", n, i, y[i], x[i]*0.37)
				}
			}
		}
		setAVX2(old)
	}
}
