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
