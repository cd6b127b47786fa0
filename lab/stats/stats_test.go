package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTQuantile(t *testing.T) {
	// Reference values of the 97.5% quantile from published t tables.
	for _, c := range []struct{ df, want float64 }{
		{1, 12.706}, {2, 4.303}, {4, 2.776}, {9, 2.262}, {29, 2.045}, {1e6, 1.960},
	} {
		if got := TQuantile(0.975, c.df); math.Abs(got-c.want) > 1e-3 {
			t.Errorf("TQuantile(0.975, %v) = %.4f, want %.3f", c.df, got, c.want)
		}
	}
	if got := TQuantile(0.025, 4); math.Abs(got+2.776) > 1e-3 {
		t.Errorf("lower quantile = %v", got)
	}
}

func TestMeanCICoverage(t *testing.T) {
	// 95% t intervals over 5 normal draws must cover the true mean about 95%
	// of the time.
	rng := rand.New(rand.NewPCG(1, 2))
	cover := 0
	const reps = 4000
	for r := 0; r < reps; r++ {
		xs := make([]float64, 5)
		for i := range xs {
			xs[i] = 3 + 2*rng.NormFloat64()
		}
		if MeanCI(xs, 0.95).Contains(3) {
			cover++
		}
	}
	if got := float64(cover) / reps; math.Abs(got-0.95) > 0.015 {
		t.Errorf("coverage %.3f, want 0.95±0.015", got)
	}
}

func TestWilson(t *testing.T) {
	// Known value: 8 successes of 10 at 95% -> [0.490, 0.943].
	iv := Wilson(8, 10, 0.95)
	if math.Abs(iv.Lo-0.4902) > 1e-3 || math.Abs(iv.Hi-0.9433) > 1e-3 {
		t.Errorf("Wilson(8,10) = %v", iv)
	}
	if iv := Wilson(0, 20, 0.95); iv.Lo != 0 || iv.Hi < 0.1 || iv.Hi > 0.2 {
		t.Errorf("Wilson(0,20) = %v", iv)
	}
}

func TestBootstrapCoversMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = rng.ExpFloat64() // mean 1
	}
	iv := Bootstrap(xs, Mean, 2000, 0.95, rng)
	if !iv.Contains(1) || iv.Width() > 0.4 {
		t.Errorf("bootstrap interval %v should cover 1 and be narrow", iv)
	}
}

func TestFits(t *testing.T) {
	x := []float64{16, 64, 256, 1024, 4096}
	y := make([]float64, len(x))
	for i := range x {
		y[i] = 2 * math.Pow(x[i], -0.5)
	}
	pl, err := FitPowerLaw(x, y)
	if err != nil || math.Abs(pl.A-2) > 1e-9 || math.Abs(pl.B+0.5) > 1e-9 {
		t.Fatalf("power law = %+v, %v", pl, err)
	}
	l, _ := FitLine([]float64{0, 1, 2, 3}, []float64{1, 3, 5, 7})
	if l.Slope != 2 || l.Intercept != 1 || l.R2 != 1 {
		t.Errorf("line = %+v", l)
	}
	// A logistic in log2(x) recovered by Levenberg–Marquardt.
	logistic := func(x float64, p []float64) float64 { return 1 / (1 + math.Exp(-p[0]*(x-p[1]))) }
	var lx, ly []float64
	for v := 0.0; v <= 12; v++ {
		lx = append(lx, v)
		ly = append(ly, logistic(v, []float64{0.8, 5}))
	}
	p, rss, err := FitCurve(logistic, lx, ly, []float64{0.3, 3})
	if err != nil || math.Abs(p[0]-0.8) > 1e-4 || math.Abs(p[1]-5) > 1e-4 || rss > 1e-9 {
		t.Errorf("FitCurve = %v rss %g err %v", p, rss, err)
	}
	if _, err := FitLine([]float64{1, 1}, []float64{2, 3}); err == nil {
		t.Error("degenerate x should not fit")
	}
}

// TestShareCI checks that share intervals stay in [0, 1] where the plain t
// interval leaves it, keep a width when every seed scores 1, and cover the
// true share about as often as asked (or more: the union is conservative).
func TestShareCI(t *testing.T) {
	for _, tc := range []struct {
		name    string
		shares  []float64
		perSeed int
		lo, hi  float64 // expected bounds, ±0.002
	}{
		{"near 1", []float64{1, 1, 0.9, 1, 0.98}, 0, 0.8033, 0.9975},
		{"all ones, 100 each", []float64{1, 1, 1, 1, 1}, 100, 0.9924, 1},
		{"all zeros, no count", []float64{0, 0, 0}, 0, 0, 0},
		{"one seed, 200 positions", []float64{0.92}, 200, 0.8740, 0.9502},
		{"middling", []float64{0.5, 0.6, 0.55, 0.45}, 0, 0.4227, 0.6253},
	} {
		iv := ShareCI(tc.shares, tc.perSeed, 0.95)
		if iv.Lo < 0 || iv.Hi > 1 || math.Abs(iv.Lo-tc.lo) > 0.002 || math.Abs(iv.Hi-tc.hi) > 0.002 || iv.Est < iv.Lo || iv.Est > iv.Hi || iv.N != len(tc.shares) {
			t.Errorf("%s: %v, want [%.4f, %.4f]", tc.name, iv, tc.lo, tc.hi)
		}
		if tc.name == "near 1" {
			if plain := MeanCI(tc.shares, 0.95); plain.Hi <= 1 {
				t.Errorf("near 1: the t interval %v stays in [0, 1]; pick shares where it does not", plain)
			}
		}
	}
	if iv := ShareCI(nil, 10, 0.95); !math.IsNaN(iv.Est) {
		t.Errorf("no shares: %v", iv)
	}

	// Coverage: 5 seeds of 100 positions at p = 0.97, and at p = 0.6.
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range []float64{0.97, 0.6} {
		cover := 0
		const reps = 2000
		for r := 0; r < reps; r++ {
			shares := make([]float64, 5)
			for i := range shares {
				k := 0
				for j := 0; j < 100; j++ {
					if rng.Float64() < p {
						k++
					}
				}
				shares[i] = float64(k) / 100
			}
			if ShareCI(shares, 100, 0.95).Contains(p) {
				cover++
			}
		}
		if got := float64(cover) / reps; got < 0.93 {
			t.Errorf("p=%v: coverage %.3f, want >= 0.93", p, got)
		}
	}
}
