package nn

import (
	"fmt"
	"math"

	"argmax/nn/internal/par"
	"argmax/nn/internal/vec"
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
		n.in = [4]*Tensor[T]{x, gamma, beta}
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
	return tp.BatchNormAct(x, gamma, beta, runMean, runVar, momentum, eps, nil, Identity)
}

// bnBlockRows is the number of rows per chunk of a batch norm's passes;
// the statistics keep one partial sum per chunk, added in chunk order, so
// the chunks depend only on the number of rows.
const bnBlockRows = 256

// BatchNormAct returns act(BatchNorm(x) + res) (see BatchNorm) in one pass
// over x: the normalisation of a residual block's last convolution, its
// skip connection and the activation after them. res, of x's shape, may be
// nil. The passes over the batch (statistics, normalisation, and in
// Backward the gradient sums and the input gradient) are cut into chunks
// of rows that run on several goroutines when the tensor is large (see
// gemm.SetThreads); the result does not depend on the number of threads.
func (tp *Tape[T]) BatchNormAct(x, gamma, beta *Tensor[T], runMean, runVar []T, momentum, eps float64, res *Tensor[T], act Act) *Tensor[T] {
	C := x.Cols()
	if len(gamma.Data) != C || len(beta.Data) != C || len(runMean) != C || len(runVar) != C {
		panic(fmt.Sprintf("nn: BatchNorm of %v with %d-channel parameters", x.Shape(), len(gamma.Data)))
	}
	if res != nil && !sameShape(res.Shape(), x.Shape()) {
		panic(fmt.Sprintf("nn: BatchNormAct of %v with a residual of shape %v", x.Shape(), res.Shape()))
	}
	g := needs(tp, x, gamma, beta, res)
	y := tp.newLike(x, g)
	M := x.Rows()
	blocks := (M + bnBlockRows - 1) / bnBlockRows
	threads := threadsFor(blocks, elemWork*M*C)
	mean, rstd := tp.scratch(C, false), tp.scratch(C, false)
	t := &tp.bnT
	defer func() { *t = bnTask[T]{} }()
	if tp.train {
		// Sums shifted by the first row, which lies within the batch's
		// spread, so that the variance does not cancel.
		k := tp.scratch(C, true)
		copy(k, x.Data)
		*t = bnTask[T]{phase: bnStats, x: x.Data, k: k, part: tp.scratch(blocks*2*C, true), C: C}
		par.For(threads, blocks, t)
		for c := range mean {
			var s1, s2 float64
			for b := 0; b < blocks; b++ {
				s1 += float64(t.part[b*2*C+c])
				s2 += float64(t.part[b*2*C+C+c])
			}
			m1 := s1 / float64(M)
			v := max(s2/float64(M)-m1*m1, 0)
			mean[c] = T(float64(k[c]) + m1)
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
	var pre, rd []T
	if g && act.needsPre() {
		pre = tp.scratch(len(y.Data), false)
	}
	if res != nil {
		rd = res.Data
	}
	*t = bnTask[T]{phase: bnApply, x: x.Data, y: y.Data, res: rd, pre: pre, scale: scale, shift: shift, act: act, C: C}
	par.For(threads, blocks, t)
	if g {
		n := tp.record(opBatchNorm, y)
		n.in = [4]*Tensor[T]{x, gamma, beta, res}
		n.s1, n.s2, n.s3 = mean, rstd, pre
		n.flag, n.i0, n.act = tp.train, C, act
	}
	return y
}

// bnTask runs one pass of a batch norm over chunks of bnBlockRows rows.
type bnTask[T Float] struct {
	phase          int
	x, y, res, pre []T
	k, part        []T // statistics: the shift, per-chunk sums
	scale, shift   []T // normalisation
	d, mean        []T // backward: the gradient at the pre-activation
	xGrad, resGrad []T
	dy             []T
	p, q, r        []T  // backward: dx += d·p + x·q + r
	setRes, setX   bool // write resGrad, xGrad instead of adding to them
	act            Act
	C              int
}

const (
	bnStats     = iota // part[b] = Σ (x-k), Σ (x-k)² over chunk b
	bnApply            // y = act(x·scale + shift + res)
	bnGradSums         // d = dy·act'(y); resGrad (+)= d; part[b] = Σ d, Σ d·(x-mean)
	bnInputGrad        // xGrad (+)= d·p + x·q + r
)

func (t *bnTask[T]) Run(b, _ int) {
	C := t.C
	lo := b * bnBlockRows * C
	hi := min(lo+bnBlockRows*C, len(t.x))
	x := t.x[lo:hi]
	switch t.phase {
	case bnStats:
		shiftedSums(t.part[b*2*C:b*2*C+C], t.part[b*2*C+C:b*2*C+2*C], x, t.k, C)
	case bnApply:
		var res, pre []T
		if t.res != nil {
			res = t.res[lo:hi]
		}
		if t.pre != nil {
			pre = t.pre[lo:hi]
		}
		affineAct(t.y[lo:hi], x, t.scale, t.shift, res, C, t.act, pre)
	case bnGradSums:
		d := t.d[lo:hi]
		var pre []T
		if t.pre != nil {
			pre = t.pre[lo:hi]
		}
		actBackward(t.act, d, t.dy[lo:hi], t.y[lo:hi], pre)
		switch {
		case t.setRes:
			copy(t.resGrad[lo:hi], d)
		case t.resGrad != nil:
			addTo(t.resGrad[lo:hi], d)
		}
		sd, sdx := t.part[b*2*C:b*2*C+C], t.part[b*2*C+C:b*2*C+2*C]
		if is32[T]() {
			vec.GradSums(as32(sd), as32(sdx), as32(d), as32(x), as32(t.mean), C)
			return
		}
		for r := 0; r < len(d); r += C {
			xr := x[r : r+C]
			for c, v := range d[r : r+C] {
				sd[c] += v
				sdx[c] += v * (xr[c] - t.mean[c])
			}
		}
	case bnInputGrad:
		d, dx := t.d[lo:hi], t.xGrad[lo:hi]
		if is32[T]() {
			vec.LinearGrad(as32(dx), as32(d), as32(x), as32(t.p), as32(t.q), as32(t.r), C, !t.setX)
			return
		}
		for r := 0; r < len(d); r += C {
			dr, xr, o := d[r:r+C], x[r:r+C], dx[r:r+C]
			for c := range o {
				v := dr[c]*t.p[c] + xr[c]*t.q[c] + t.r[c]
				if !t.setX {
					v += o[c]
				}
				o[c] = v
			}
		}
	}
}

// shiftedSums adds Σ_r (x[r,c]-k[c]) to s1[c] and Σ_r (x[r,c]-k[c])² to
// s2[c] over the rows of x.
func shiftedSums[T Float](s1, s2, x, k []T, C int) {
	if is32[T]() {
		vec.ShiftedSums(as32(s1), as32(s2), as32(x), as32(k), C)
		return
	}
	for r := 0; r+C <= len(x); r += C {
		for c, v := range x[r : r+C] {
			d := v - k[c]
			s1[c] += d
			s2[c] += d * d
		}
	}
}

func backBatchNorm[T Float](tp *Tape[T], n *node[T]) {
	x, gamma, beta, res := n.in[0], n.in[1], n.in[2], n.in[3]
	C, mean, rstd := n.i0, n.s1, n.s2
	dy := n.out.Grad
	M := len(dy) / C
	blocks := (M + bnBlockRows - 1) / bnBlockRows
	threads := threadsFor(blocks, elemWork*M*C)
	t := &tp.bnT
	defer func() { *t = bnTask[T]{} }()
	// The output's gradient is consumed only here, so the gradient at
	// the pre-activation overwrites it.
	*t = bnTask[T]{phase: bnGradSums, x: x.Data, y: n.out.Data, pre: n.s3, d: dy, dy: dy, mean: mean,
		part: tp.scratch(blocks*2*C, true), act: n.act, C: C}
	if res != nil && res.Grad != nil {
		t.resGrad, t.setRes = res.Grad, takeLazy(res)
	}
	par.For(threads, blocks, t)
	sdy, sdyx := tp.scratch(C, false), tp.scratch(C, false)
	for c := 0; c < C; c++ {
		var s1, s2 float64
		for b := 0; b < blocks; b++ {
			s1 += float64(t.part[b*2*C+c])
			s2 += float64(t.part[b*2*C+C+c])
		}
		sdy[c], sdyx[c] = T(s1), T(s2*float64(rstd[c]))
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
	// dx = γ·rstd·(d - Σd/M - x̂·Σd·x̂/M) with x̂ = (x-mean)·rstd, as
	// d·p + x·q + r per channel (training), or γ·rstd·d (running
	// statistics).
	p, q, r := tp.scratch(C, false), tp.scratch(C, true), tp.scratch(C, true)
	for c := 0; c < C; c++ {
		gs := gamma.Data[c] * rstd[c]
		p[c] = gs
		if n.flag {
			q[c] = -gs * rstd[c] * sdyx[c] / T(M)
			r[c] = -gs*sdy[c]/T(M) - q[c]*mean[c]
		}
	}
	*t = bnTask[T]{phase: bnInputGrad, x: x.Data, d: dy, xGrad: x.Grad, p: p, q: q, r: r, setX: takeLazy(x), C: C}
	par.For(threads, blocks, t)
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
