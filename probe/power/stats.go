package power

import (
	"math"
	"slices"
)

// betaInc is the regularized incomplete beta function I_x(a, b), by the
// continued fraction of Abramowitz & Stegun 26.5.8 evaluated with the
// modified Lentz method, on the side of x where it converges fast.
func betaInc(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - betaInc(1-x, b, a)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	// x^a (1−x)^b / (a·B(a, b)), with 1/B(a, b) = Γ(a+b)/(Γ(a)Γ(b)).
	front := math.Exp(a*math.Log(x)+b*math.Log1p(-x)+lab-la-lb) / a
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 400; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		f *= c * d
		if math.Abs(1-c*d) < 1e-15 {
			break
		}
	}
	return front * (f - 1)
}

// betaQuantile is the p-quantile of the Beta(a, b) distribution: the x
// with I_x(a, b) = p, by bisection (the CDF is monotone).
func betaQuantile(p, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if betaInc(mid, a, b) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// clopperPearson is the exact (Clopper–Pearson) two-sided interval of
// level conf for a binomial share of k successes in n trials.
func clopperPearson(k, n int, conf float64) (lo, hi float64) {
	alpha := 1 - conf
	lo, hi = 0, 1
	if k > 0 {
		lo = betaQuantile(alpha/2, float64(k), float64(n-k+1))
	}
	if k < n {
		hi = betaQuantile(1-alpha/2, float64(k+1), float64(n-k))
	}
	return lo, hi
}

// studentT is the p-quantile (p > 0.5) of Student's t distribution with nu
// degrees of freedom: P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2)/2, inverted by
// bisection.
func studentT(p, nu float64) float64 {
	tail := 1 - p
	upper := func(t float64) float64 { return betaInc(nu/(nu+t*t), nu/2, 0.5) / 2 }
	lo, hi := 0.0, 1.0
	for upper(hi) > tail {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if upper(mid) > tail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// percentiles returns the (1−conf)/2 and (1+conf)/2 quantiles of v
// (sorted in place), linearly interpolated between order statistics.
func percentiles(v []float64, conf float64) (lo, hi float64) {
	slices.Sort(v)
	q := func(p float64) float64 {
		x := p * float64(len(v)-1)
		i := int(math.Floor(x))
		if i >= len(v)-1 {
			return v[len(v)-1]
		}
		f := x - float64(i)
		return v[i]*(1-f) + v[i+1]*f
	}
	return q((1 - conf) / 2), q((1 + conf) / 2)
}
