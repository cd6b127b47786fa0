package nn

import (
	"math"
	"testing"
)

// TestInitializers checks the spread of each initializer against its
// formula on a large weight, and that a seed fixes the draw.
func TestInitializers(t *testing.T) {
	const in, out = 400, 300
	cases := []struct {
		name   string
		init   Init
		std    float64 // expected standard deviation
		bound  float64 // |w| ≤ bound when > 0
		mean   float64
		stdTol float64
	}{
		{"he-normal", HeNormal(), math.Sqrt(2.0 / in), 0, 0, 0.02},
		{"he-uniform", HeUniform(), math.Sqrt(2.0 / in), math.Sqrt(6.0 / in), 0, 0.02},
		{"xavier-uniform", XavierUniform(1), math.Sqrt(2.0 / (in + out)), math.Sqrt(6.0 / (in + out)), 0, 0.02},
		{"xavier-normal", XavierNormal(2), 2 * math.Sqrt(2.0/(in+out)), 0, 0, 0.02},
		{"normal", Normal(0.5), 0.5, 0, 0, 0.02},
		{"uniform", Uniform(3), 3 / math.Sqrt(3), 3, 0, 0.02},
		{"constant", Constant(0.25), 0, 0, 0.25, 0},
	}
	for _, c := range cases {
		p := NewParam[float32]("w", in, out)
		p.Init(NewRand(1), c.init)
		var s, ss, mx float64
		for _, v := range p.Data {
			s += float64(v)
			mx = math.Max(mx, math.Abs(float64(v)))
		}
		mean := s / float64(len(p.Data))
		for _, v := range p.Data {
			ss += (float64(v) - mean) * (float64(v) - mean)
		}
		std := math.Sqrt(ss / float64(len(p.Data)))
		if math.Abs(mean-c.mean) > 0.01*math.Max(c.std, 0.1) || math.Abs(std-c.std) > c.stdTol*math.Max(c.std, 1e-9)+1e-12 {
			t.Errorf("%s: mean %.4g std %.4g, want %.4g and %.4g", c.name, mean, std, c.mean, c.std)
		}
		if c.bound > 0 && mx > c.bound {
			t.Errorf("%s: |w| reaches %g beyond %g", c.name, mx, c.bound)
		}
		q := NewParam[float32]("w", in, out)
		q.Init(NewRand(1), c.init)
		for i := range p.Data {
			if p.Data[i] != q.Data[i] {
				t.Fatalf("%s: the same seed drew different weights", c.name)
			}
		}
	}
	if fi, fo := fans([]int{3, 3, 16, 32}); fi != 144 || fo != 288 {
		t.Errorf("conv fans %d %d, want 144 288", fi, fo)
	}
}
