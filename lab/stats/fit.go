package stats

import (
	"fmt"
	"math"
)

// Line is a least-squares straight line y = Intercept + Slope*x.
type Line struct {
	Intercept, Slope float64
	SlopeSE          float64 // standard error of the slope
	R2               float64 // coefficient of determination
	N                int
}

// At returns the line's value at x.
func (l Line) At(x float64) float64 { return l.Intercept + l.Slope*x }

// SlopeCI returns the slope with its confidence interval at level (t with
// n-2 degrees of freedom).
func (l Line) SlopeCI(level float64) Interval {
	if l.N < 3 {
		return Interval{Est: l.Slope, Lo: math.Inf(-1), Hi: math.Inf(1), N: l.N}
	}
	h := TQuantile(0.5+level/2, float64(l.N-2)) * l.SlopeSE
	return Interval{Est: l.Slope, Lo: l.Slope - h, Hi: l.Slope + h, N: l.N}
}

// FitLine fits y = a + b*x by ordinary least squares.
func FitLine(x, y []float64) (Line, error) {
	n := len(x)
	if n != len(y) {
		return Line{}, fmt.Errorf("stats: %d x values but %d y values", n, len(y))
	}
	if n < 2 {
		return Line{}, ErrFit
	}
	mx, my := Mean(x), Mean(y)
	sxx, sxy, syy := 0.0, 0.0, 0.0
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	if sxx == 0 {
		return Line{}, ErrFit
	}
	b := sxy / sxx
	a := my - b*mx
	rss := 0.0
	for i := range x {
		r := y[i] - (a + b*x[i])
		rss += r * r
	}
	l := Line{Intercept: a, Slope: b, N: n, R2: 1}
	if syy > 0 {
		l.R2 = 1 - rss/syy
	}
	if n > 2 {
		l.SlopeSE = math.Sqrt(rss / float64(n-2) / sxx)
	}
	return l, nil
}

// PowerLaw is y = A * x^B, fitted as a line in log-log coordinates.
type PowerLaw struct {
	A, B float64
	Log  Line // the fit of log y on log x
}

// At returns A*x^B.
func (p PowerLaw) At(x float64) float64 { return p.A * math.Pow(x, p.B) }

// FitPowerLaw fits y = A*x^B by least squares on (log x, log y). Points
// with x <= 0 or y <= 0 have no logarithm and are skipped.
func FitPowerLaw(x, y []float64) (PowerLaw, error) {
	var lx, ly []float64
	for i := range x {
		if i < len(y) && x[i] > 0 && y[i] > 0 {
			lx = append(lx, math.Log(x[i]))
			ly = append(ly, math.Log(y[i]))
		}
	}
	l, err := FitLine(lx, ly)
	if err != nil {
		return PowerLaw{}, err
	}
	return PowerLaw{A: math.Exp(l.Intercept), B: l.Slope, Log: l}, nil
}

// Curve is a model y = F(x; p) with parameters p.
type Curve func(x float64, p []float64) float64

// FitCurve fits the parameters of f to the points by nonlinear least
// squares (Levenberg–Marquardt with a numerical Jacobian), starting from
// p0. It returns the parameters and the residual sum of squares.
func FitCurve(f Curve, x, y, p0 []float64) ([]float64, float64, error) {
	n, k := len(x), len(p0)
	if n != len(y) {
		return nil, 0, fmt.Errorf("stats: %d x values but %d y values", n, len(y))
	}
	if n < k {
		return nil, 0, ErrFit
	}
	p := append([]float64(nil), p0...)
	rss := func(p []float64) float64 {
		s := 0.0
		for i := range x {
			r := y[i] - f(x[i], p)
			s += r * r
		}
		return s
	}
	cur := rss(p)
	if math.IsNaN(cur) || math.IsInf(cur, 0) {
		return nil, 0, fmt.Errorf("stats: the curve is not finite at the starting parameters")
	}
	lambda := 1e-3
	J := make([][]float64, n)
	for i := range J {
		J[i] = make([]float64, k)
	}
	r := make([]float64, n)
	for iter := 0; iter < 500; iter++ {
		for i := range x {
			fx := f(x[i], p)
			r[i] = y[i] - fx
			for j := 0; j < k; j++ {
				h := 1e-6 * math.Max(1, math.Abs(p[j]))
				old := p[j]
				p[j] = old + h
				J[i][j] = (f(x[i], p) - fx) / h
				p[j] = old
			}
		}
		// Normal equations (J'J + lambda*diag(J'J)) delta = J'r.
		A := make([][]float64, k)
		g := make([]float64, k)
		for a := 0; a < k; a++ {
			A[a] = make([]float64, k)
			for b := 0; b < k; b++ {
				for i := 0; i < n; i++ {
					A[a][b] += J[i][a] * J[i][b]
				}
			}
			for i := 0; i < n; i++ {
				g[a] += J[i][a] * r[i]
			}
		}
		improved := false
		for try := 0; try < 20; try++ {
			M := make([][]float64, k)
			for a := range M {
				M[a] = append([]float64(nil), A[a]...)
				M[a][a] += lambda * math.Max(A[a][a], 1e-12)
			}
			delta, ok := solve(M, append([]float64(nil), g...))
			if !ok {
				lambda *= 10
				continue
			}
			q := make([]float64, k)
			for j := range q {
				q[j] = p[j] + delta[j]
			}
			if next := rss(q); next < cur && !math.IsNaN(next) {
				step := cur - next
				p, cur = q, next
				lambda = math.Max(lambda/10, 1e-12)
				improved = true
				if step < 1e-14*math.Max(cur, 1e-300) {
					return p, cur, nil
				}
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return p, cur, nil
}

// solve solves M x = b by Gaussian elimination with partial pivoting.
func solve(M [][]float64, b []float64) ([]float64, bool) {
	k := len(b)
	for c := 0; c < k; c++ {
		piv := c
		for r := c + 1; r < k; r++ {
			if math.Abs(M[r][c]) > math.Abs(M[piv][c]) {
				piv = r
			}
		}
		if math.Abs(M[piv][c]) < 1e-300 {
			return nil, false
		}
		M[c], M[piv] = M[piv], M[c]
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < k; r++ {
			f := M[r][c] / M[c][c]
			for j := c; j < k; j++ {
				M[r][j] -= f * M[c][j]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, k)
	for r := k - 1; r >= 0; r-- {
		s := b[r]
		for j := r + 1; j < k; j++ {
			s -= M[r][j] * x[j]
		}
		x[r] = s / M[r][r]
	}
	return x, true
}
