// Package vec holds the float32 elementwise kernels on nn's hot paths
// outside the matrix products (bias and ReLU after a product, the ReLU
// gradient mask, accumulation, the Adam update, and the per-channel row
// passes of batch normalisation and of a convolution's epilogue and input
// gathering, in rows.go), with AVX2 versions on amd64 chosen at run time
// and portable Go versions elsewhere that give the same results within
// float rounding (the AVX2 versions use fused multiply-adds).
package vec

import "math"

// AdamParams are the per-step scalars of the Adam update (see Adam).
type AdamParams struct {
	B1, B2 float32 // moment decay rates β1, β2
	A1, A2 float32 // 1-β1, 1-β2
	Step   float32 // learning rate with bias correction folded in
	Eps    float32 // ε scaled by the bias correction of the second moment
	Decay  float32 // multiplicative weight decay (AdamW), 1 for none
	L2     float32 // L2 penalty added to the gradient (Adam), 0 for none
}

// Add sets dst[i] += x[i] for i < len(dst); len(x) ≥ len(dst).
func Add(dst, x []float32) {
	x = x[:len(dst)]
	if k := len(dst) &^ 7; useAVX2 && k > 0 {
		addAVX2(&dst[0], &x[0], k)
		dst, x = dst[k:], x[k:]
	}
	for i, v := range x {
		dst[i] += v
	}
}

// BiasReLU sets y[i] = max(y[i]+b[i], 0) for i < len(y); len(b) ≥ len(y).
func BiasReLU(y, b []float32) {
	b = b[:len(y)]
	if k := len(y) &^ 7; useAVX2 && k > 0 {
		biasReLUAVX2(&y[0], &b[0], k)
		y, b = y[k:], b[k:]
	}
	for i := range y {
		y[i] = relu(y[i] + b[i])
	}
}

// ReLU sets y[i] = max(y[i], 0).
func ReLU(y []float32) {
	if k := len(y) &^ 7; useAVX2 && k > 0 {
		reluAVX2(&y[0], k)
		y = y[k:]
	}
	for i := range y {
		y[i] = relu(y[i])
	}
}

// ReLUMask zeroes d[i] where y[i] is not positive: the gradient through a
// ReLU whose output is y. len(y) ≥ len(d).
func ReLUMask(d, y []float32) {
	y = y[:len(d)]
	if k := len(d) &^ 7; useAVX2 && k > 0 {
		reluMaskAVX2(&d[0], &y[0], k)
		d, y = d[k:], y[k:]
	}
	for i := range d {
		if !(y[i] > 0) {
			d[i] = 0
		}
	}
}

// Adam applies one Adam/AdamW update to the weights w from the gradients g
// and moments m and v (all of one length), then zeroes g:
//
//	g' = g + L2·w;  m = B1·m + A1·g';  v = B2·v + A2·g'²
//	w = Decay·w - Step·m/(√v + Eps)
func Adam(w, g, m, v []float32, p *AdamParams) {
	n := len(w)
	g, m, v = g[:n], m[:n], v[:n]
	if k := n &^ 7; useAVX2 && k > 0 {
		adamAVX2(&w[0], &g[0], &m[0], &v[0], k, p)
		w, g, m, v = w[k:], g[k:], m[k:], v[k:]
	}
	for j := range w {
		gj := g[j] + p.L2*w[j]
		mj := p.B1*m[j] + p.A1*gj
		vj := p.B2*v[j] + p.A2*gj*gj
		m[j], v[j] = mj, vj
		w[j] = w[j]*p.Decay - p.Step*mj/(float32(math.Sqrt(float64(vj)))+p.Eps)
		g[j] = 0
	}
}

// SumSquares returns Σ x[i]² in float64 (products and sums exact to
// float64 rounding).
func SumSquares(x []float32) float64 {
	var s float64
	if k := len(x) &^ 7; useAVX2 && k > 0 {
		s = sumSquaresAVX2(&x[0], k)
		x = x[k:]
	}
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// Scale sets x[i] *= f.
func Scale(x []float32, f float32) {
	if k := len(x) &^ 7; useAVX2 && k > 0 {
		scaleAVX2(&x[0], k, f)
		x = x[k:]
	}
	for i := range x {
		x[i] *= f
	}
}

func relu(v float32) float32 {
	u := math.Float32bits(v)
	return math.Float32frombits(u &^ uint32(int32(u)>>31))
}
