package stats

import "math"

// ShareCI returns the mean of shares — proportions in [0, 1], one per seed,
// such as each seed's share of optimal moves — with a confidence interval
// at level that stays inside [0, 1]. It is the one to use for "a share,
// averaged over seeds".
//
// The interval is the union of two: a Student t interval over seeds taken
// on the logit scale (the delta method: logit(m) ± t·s/(√n·m(1−m)), mapped
// back), which carries the seed-to-seed spread and is asymmetric near 0
// and 1; and, when perSeed > 0 gives the number of items each share was
// counted over (positions per seed), the Wilson interval of the pooled
// count, which keeps a width when every seed scores 0 or 1 and the spread
// over seeds is nil. The union is conservative: it covers at least as
// often as either part. With no share every field is NaN.
func ShareCI(shares []float64, perSeed int, level float64) Interval {
	n := len(shares)
	if n == 0 {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	m := Mean(shares)
	m = math.Min(1, math.Max(0, m))
	iv := Interval{Est: m, Lo: m, Hi: m, N: n}
	if sd := StdDev(shares); n > 1 && sd > 0 && m > 0 && m < 1 {
		h := TQuantile(0.5+level/2, float64(n-1)) * sd / math.Sqrt(float64(n)) / (m * (1 - m))
		z := math.Log(m / (1 - m))
		iv.Lo, iv.Hi = expit(z-h), expit(z+h)
	}
	if perSeed > 0 {
		total := n * perSeed
		k := int(math.Round(m * float64(total)))
		w := Wilson(k, total, level)
		iv.Lo, iv.Hi = math.Min(iv.Lo, w.Lo), math.Max(iv.Hi, w.Hi)
	}
	return iv
}

// expit is the inverse of the logit: 1/(1+e^-z).
func expit(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
