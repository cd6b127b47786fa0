package nn

import (
	"fmt"
	"math"
)

// LayerNorm normalises each vector along the last axis to zero mean and
// unit variance, then scales by gamma and shifts by beta (both of the last
// axis' size).
func (tp *Tape[T]) LayerNorm(x, gamma, beta *Tensor[T], eps float64) *Tensor[T] {
	D := x.Cols()
	if len(gamma.Data) != D || len(beta.Data) != D {
		panic(fmt.Sprintf("nn: LayerNorm of %v with gamma %v and beta %v", x.Shape(), gamma.Shape(), beta.Shape()))
	}
	g := needs(tp, x, gamma, beta)
	y := tp.newLike(x, g)
	rows := x.Rows()
	var xhat, rstd []T
	if g {
		xhat = tp.scratch(len(x.Data), false)
		rstd = tp.scratch(rows, false)
	}
	gd, bd := gamma.Data[:D], beta.Data[:D]
	for r := 0; r < rows; r++ {
		xr, yr := x.Data[r*D:r*D+D], y.Data[r*D:r*D+D]
		m := sum4(xr) / T(D)
		rs := T(1 / math.Sqrt(float64(sumSqDev4(xr, m))/float64(D)+eps))
		for j, v := range xr {
			yr[j] = (v-m)*rs*gd[j] + bd[j]
		}
		if g {
			rstd[r] = rs
			xh := xhat[r*D : r*D+D]
			for j, v := range xr {
				xh[j] = (v - m) * rs
			}
		}
	}
	if g {
		n := tp.record(opLayerNorm, y)
		n.in = [3]*Tensor[T]{x, gamma, beta}
		n.s1, n.s2, n.i0 = xhat, rstd, D
	}
	return y
}

func backLayerNorm[T Float](n *node[T]) {
	x, gamma, beta := n.in[0], n.in[1], n.in[2]
	D, xhat, rstd := n.i0, n.s1, n.s2
	dy := n.out.Grad
	for r := range rstd {
		dyr, xh := dy[r*D:r*D+D], xhat[r*D:r*D+D]
		if gamma.Grad != nil {
			for j := range dyr {
				gamma.Grad[j] += dyr[j] * xh[j]
			}
		}
		if beta.Grad != nil {
			addTo(beta.Grad[:D], dyr)
		}
		if x.Grad == nil {
			continue
		}
		var s1, s2 T
		for j := range dyr {
			d := dyr[j] * gamma.Data[j]
			s1 += d
			s2 += d * xh[j]
		}
		s1 /= T(D)
		s2 /= T(D)
		dx := x.Grad[r*D : r*D+D]
		rs := rstd[r]
		for j := range dyr {
			dx[j] += rs * (dyr[j]*gamma.Data[j] - s1 - xh[j]*s2)
		}
	}
}

// BatchNorm normalises each channel (the last axis, so NHWC images and
// [batch, features] matrices alike) over all other axes. On a training
// tape it uses the batch statistics and updates runMean and runVar by an
// exponential average with the given momentum; otherwise it uses the
// running statistics.
func (tp *Tape[T]) BatchNorm(x, gamma, beta *Tensor[T], runMean, runVar []T, momentum, eps float64) *Tensor[T] {
	C := x.Cols()
	if len(gamma.Data) != C || len(beta.Data) != C || len(runMean) != C || len(runVar) != C {
		panic(fmt.Sprintf("nn: BatchNorm of %v with %d-channel parameters", x.Shape(), len(gamma.Data)))
	}
	g := needs(tp, x, gamma, beta)
	y := tp.newLike(x, g)
	M := x.Rows()
	rstd := tp.scratch(C, false)
	mean := tp.scratch(C, true)
	if tp.train {
		acc := tp.scratch(C, true)
		for r := 0; r < M; r++ {
			addTo(acc, x.Data[r*C:r*C+C])
		}
		for c := range mean {
			mean[c] = acc[c] / T(M)
		}
		clear(acc)
		for r := 0; r < M; r++ {
			xr := x.Data[r*C : r*C+C]
			for c, v := range xr {
				d := v - mean[c]
				acc[c] += d * d
			}
		}
		for c := range rstd {
			v := float64(acc[c]) / float64(M)
			rstd[c] = T(1 / math.Sqrt(v+eps))
			unb := v
			if M > 1 {
				unb = v * float64(M) / float64(M-1)
			}
			runMean[c] = T((1-momentum)*float64(runMean[c]) + momentum*float64(mean[c]))
			runVar[c] = T((1-momentum)*float64(runVar[c]) + momentum*unb)
		}
	} else {
		copy(mean, runMean)
		for c := range rstd {
			rstd[c] = T(1 / math.Sqrt(float64(runVar[c])+eps))
		}
	}
	scale, shift := tp.scratch(C, false), tp.scratch(C, false)
	for c := range scale {
		scale[c] = gamma.Data[c] * rstd[c]
		shift[c] = beta.Data[c] - mean[c]*scale[c]
	}
	for r := 0; r < M; r++ {
		xr, yr := x.Data[r*C:r*C+C], y.Data[r*C:r*C+C]
		for c, v := range xr {
			yr[c] = v*scale[c] + shift[c]
		}
	}
	if g {
		n := tp.record(opBatchNorm, y)
		n.in = [3]*Tensor[T]{x, gamma, beta}
		n.s1, n.s2, n.s3 = mean, rstd, tp.scratch(2*C, false)
		n.flag, n.i0 = tp.train, C
	}
	return y
}

func backBatchNorm[T Float](n *node[T]) {
	x, gamma, beta := n.in[0], n.in[1], n.in[2]
	C, mean, rstd := n.i0, n.s1, n.s2
	dy := n.out.Grad
	M := len(dy) / C
	sdy, sdyx := n.s3[:C], n.s3[C:2*C]
	clear(n.s3)
	for r := 0; r < M; r++ {
		dyr, xr := dy[r*C:r*C+C], x.Data[r*C:r*C+C]
		for c := range dyr {
			sdy[c] += dyr[c]
			sdyx[c] += dyr[c] * (xr[c] - mean[c]) * rstd[c]
		}
	}
	if gamma.Grad != nil {
		addTo(gamma.Grad[:C], sdyx)
	}
	if beta.Grad != nil {
		addTo(beta.Grad[:C], sdy)
	}
	if x.Grad == nil {
		return
	}
	for r := 0; r < M; r++ {
		dyr, xr, dx := dy[r*C:r*C+C], x.Data[r*C:r*C+C], x.Grad[r*C:r*C+C]
		for c := range dyr {
			gs := gamma.Data[c] * rstd[c]
			if n.flag {
				xh := (xr[c] - mean[c]) * rstd[c]
				dx[c] += gs * (dyr[c] - sdy[c]/T(M) - xh*sdyx[c]/T(M))
			} else {
				dx[c] += gs * dyr[c]
			}
		}
	}
}

// sum4 sums x with four independent accumulators.
func sum4[T Float](x []T) T {
	var a, b, c, d T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a += x[i]
		b += x[i+1]
		c += x[i+2]
		d += x[i+3]
	}
	for ; i < len(x); i++ {
		a += x[i]
	}
	return (a + b) + (c + d)
}

// sumSqDev4 returns Σ (x_i - m)² with four independent accumulators.
func sumSqDev4[T Float](x []T, m T) T {
	var a, b, c, d T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		u, v, w, z := x[i]-m, x[i+1]-m, x[i+2]-m, x[i+3]-m
		a += u * u
		b += v * v
		c += w * w
		d += z * z
	}
	for ; i < len(x); i++ {
		u := x[i] - m
		a += u * u
	}
	return (a + b) + (c + d)
}
