package vec

import (
	"math"
	"testing"
)

func geluRef(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) }

func geluGradRef(x float64) float64 {
	return 0.5*(1+math.Erf(x/math.Sqrt2)) + x*math.Exp(-0.5*x*x)/math.Sqrt(2*math.Pi)
}

// TestTranscendental bounds the errors of exp and GELU (vector and scalar
// paths) against float64 over their working ranges.
func TestTranscendental(t *testing.T) {
	for _, avx := range []bool{true, false} {
		old := setAVX2(avx)
		var xs []float32
		for x := -80.0; x <= 80; x += 0.0137 {
			xs = append(xs, float32(x))
		}
		e := append([]float32(nil), xs...)
		Exp(e)
		var worst float64
		for i, x := range xs {
			want := math.Exp(float64(x))
			worst = math.Max(worst, math.Abs(float64(e[i])-want)/want)
		}
		if worst > 3e-7 {
			t.Errorf("avx2=%v: exp relative error %.2g", avx, worst)
		}
		xs = xs[:0]
		for x := -12.0; x <= 12; x += 0.00137 {
			xs = append(xs, float32(x))
		}
		xs = append(xs, 0, float32(math.Copysign(0, -1)))
		g := append([]float32(nil), xs...)
		GELU(g)
		ones := make([]float32, len(xs))
		for i := range ones {
			ones[i] = 1
		}
		d := make([]float32, len(xs))
		GELUGrad(d, ones, xs)
		var wg, wd float64
		for i, x := range xs {
			wg = math.Max(wg, math.Abs(float64(g[i])-geluRef(float64(x)))/(1+math.Abs(float64(x))))
			wd = math.Max(wd, math.Abs(float64(d[i])-geluGradRef(float64(x))))
		}
		if wg > 3e-7 || wd > 5e-7 {
			t.Errorf("avx2=%v: gelu error %.2g, gelu' error %.2g", avx, wg, wd)
		}
		t.Logf("avx2=%v: exp %.2g, gelu %.2g, gelu' %.2g", avx, worst, wg, wd)
		setAVX2(old)
	}
	if Exp32(-100) > 1e-37 || Exp32(0) != 1 {
		t.Errorf("Exp32 limits: %g %g", Exp32(-100), Exp32(0))
	}
}

func BenchmarkGELU(b *testing.B) {
	x := make([]float32, 512*256)
	for i := range x {
		x[i] = float32(i%200)/20 - 5
	}
	y := make([]float32, len(x))
	for b.Loop() {
		copy(y, x)
		GELU(y)
	}
}
