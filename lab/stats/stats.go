// Package stats holds the statistics the lab reports with: means with 95%
// confidence intervals over seeds (Student t or bootstrap), Wilson intervals
// for proportions, intervals for shares averaged over seeds that stay in
// [0, 1] (ShareCI), and least-squares curve fits (lines, power laws, and
// general curves by Levenberg–Marquardt) for scaling figures.
package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Interval is an estimate with a confidence interval.
type Interval struct {
	Est, Lo, Hi float64
	N           int // sample size (seeds, or trials of a proportion)
}

// Contains reports whether x lies in [Lo, Hi].
func (iv Interval) Contains(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Below reports whether the whole interval lies below the whole of o.
func (iv Interval) Below(o Interval) bool { return iv.Hi < o.Lo }

// Width returns Hi - Lo.
func (iv Interval) Width() float64 { return iv.Hi - iv.Lo }

// String renders "est [lo, hi]" with 3 significant digits.
func (iv Interval) String() string {
	return fmt.Sprintf("%.3g [%.3g, %.3g]", iv.Est, iv.Lo, iv.Hi)
}

// Mean returns the arithmetic mean (NaN for no values).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// StdDev returns the sample standard deviation (n-1 denominator; 0 for
// fewer than two values).
func StdDev(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := Mean(xs)
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)-1))
}

// Quantile returns the q-quantile of xs (linear interpolation between order
// statistics); xs is not modified.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	f := pos - float64(i)
	return s[i]*(1-f) + s[i+1]*f
}

// MeanCI returns the mean of xs with its two-sided confidence interval at
// level (0.95 for 95%) from Student's t distribution with n-1 degrees of
// freedom. With one value the interval is the point itself (unknown width
// is not invented); with none every field is NaN.
func MeanCI(xs []float64, level float64) Interval {
	n := len(xs)
	if n == 0 {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	m := Mean(xs)
	if n == 1 {
		return Interval{Est: m, Lo: m, Hi: m, N: 1}
	}
	h := TQuantile(0.5+level/2, float64(n-1)) * StdDev(xs) / math.Sqrt(float64(n))
	return Interval{Est: m, Lo: m - h, Hi: m + h, N: n}
}

// Bootstrap returns stat(xs) with a percentile-bootstrap confidence interval
// at level from b resamples drawn with rng.
func Bootstrap(xs []float64, stat func([]float64) float64, b int, level float64, rng *rand.Rand) Interval {
	n := len(xs)
	if n == 0 {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	est := stat(xs)
	reps := make([]float64, b)
	buf := make([]float64, n)
	for i := range reps {
		for j := range buf {
			buf[j] = xs[rng.IntN(n)]
		}
		reps[i] = stat(buf)
	}
	a := (1 - level) / 2
	return Interval{Est: est, Lo: Quantile(reps, a), Hi: Quantile(reps, 1-a), N: n}
}

// Wilson returns the proportion k/n with its Wilson score interval at
// level: well-behaved near 0 and 1 and for small n, unlike the normal
// approximation.
func Wilson(k, n int, level float64) Interval {
	if n <= 0 {
		return Interval{Est: math.NaN(), Lo: 0, Hi: 1}
	}
	z := NormalQuantile(0.5 + level/2)
	p := float64(k) / float64(n)
	nf := float64(n)
	den := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / den
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return Interval{Est: p, Lo: math.Max(0, c-h), Hi: math.Min(1, c+h), N: n}
}

// NormalQuantile returns the p-quantile of the standard normal distribution.
func NormalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// TCDF returns P(T <= t) for Student's t with df degrees of freedom.
func TCDF(t, df float64) float64 {
	x := df / (df + t*t)
	tail := 0.5 * RegIncBeta(df/2, 0.5, x)
	if t > 0 {
		return 1 - tail
	}
	return tail
}

// TQuantile returns the p-quantile of Student's t with df degrees of
// freedom (p in (0,1)), by bisection on TCDF.
func TQuantile(p, df float64) float64 {
	if p <= 0 || p >= 1 || df <= 0 || math.IsNaN(p) {
		return math.NaN()
	}
	if p == 0.5 {
		return 0
	}
	if p < 0.5 {
		return -TQuantile(1-p, df)
	}
	lo, hi := 0.0, 1.0
	for TCDF(hi, df) < p {
		hi *= 2
		if hi > 1e12 {
			return math.Inf(1)
		}
	}
	for i := 0; i < 200 && hi-lo > 1e-12*hi; i++ {
		mid := (lo + hi) / 2
		if TCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// RegIncBeta returns the regularized incomplete beta function I_x(a, b),
// evaluated by its continued fraction (modified Lentz method).
func RegIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x > (a+1)/(a+b+2) {
		return 1 - front*betaCF(b, a, 1-x)/b
	}
	return front * betaCF(a, b, x) / a
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	f := d
	for m := 1; m < 1000; m++ {
		mf := float64(m)
		// even step
		num := mf * (b - mf) * x / ((a + 2*mf - 1) * (a + 2*mf))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		f *= d * c
		// odd step
		num = -(a + mf) * (a + b + mf) * x / ((a + 2*mf) * (a + 2*mf + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := d * c
		f *= delta
		if math.Abs(delta-1) < 1e-15 {
			break
		}
	}
	return f
}

// ErrFit is returned when a fit is impossible (too few points, degenerate x).
var ErrFit = errors.New("stats: not enough distinct points to fit")
