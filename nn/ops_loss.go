package nn

import (
	"fmt"
	"math"
)

// logSoftmaxRow writes log softmax(x) into dst and returns nothing; it is
// computed in float64 for the log-sum-exp.
func logSoftmaxRow[T Float](dst, x []T) {
	mx := x[0]
	for _, v := range x[1:] {
		mx = max(mx, v)
	}
	var s float64
	for _, v := range x {
		s += float64(expT(v - mx))
	}
	lse := mx + T(math.Log(s))
	for j, v := range x {
		dst[j] = v - lse
	}
}

// Softmax normalises the last axis to probabilities.
func (tp *Tape[T]) Softmax(x *Tensor[T]) *Tensor[T] {
	g := needs(tp, x)
	y := tp.newLike(x, g)
	k := x.Cols()
	for r := 0; r < len(x.Data); r += k {
		xr, yr := x.Data[r:r+k], y.Data[r:r+k]
		mx := xr[0]
		for _, v := range xr[1:] {
			mx = max(mx, v)
		}
		for j, v := range xr {
			yr[j] = v - mx
		}
		expRow(yr)
		var s T
		for _, e := range yr {
			s += e
		}
		inv := 1 / s
		for j := range yr {
			yr[j] *= inv
		}
	}
	if g {
		n := tp.record(opSoftmax, y)
		n.in[0], n.i0 = x, k
	}
	return y
}

func backSoftmax[T Float](n *node[T]) {
	k, y, x := n.i0, n.out, n.in[0]
	for r := 0; r < len(y.Data); r += k {
		yr, dy, dx := y.Data[r:r+k], y.Grad[r:r+k], x.Grad[r:r+k]
		var dot T
		for j := range yr {
			dot += dy[j] * yr[j]
		}
		for j := range yr {
			dx[j] += yr[j] * (dy[j] - dot)
		}
	}
}

// LogSoftmax returns the log of the softmax over the last axis, computed
// stably.
func (tp *Tape[T]) LogSoftmax(x *Tensor[T]) *Tensor[T] {
	g := needs(tp, x)
	y := tp.newLike(x, g)
	k := x.Cols()
	for r := 0; r < len(x.Data); r += k {
		logSoftmaxRow(y.Data[r:r+k], x.Data[r:r+k])
	}
	if g {
		n := tp.record(opLogSoftmax, y)
		n.in[0], n.i0 = x, k
	}
	return y
}

func backLogSoftmax[T Float](n *node[T]) {
	k, y, x := n.i0, n.out, n.in[0]
	for r := 0; r < len(y.Data); r += k {
		yr, dy, dx := y.Data[r:r+k], y.Grad[r:r+k], x.Grad[r:r+k]
		var s T
		for _, d := range dy {
			s += d
		}
		for j := range yr {
			dx[j] += dy[j] - expT(yr[j])*s
		}
	}
}

// CrossEntropy returns the mean over rows of -log softmax(logits)[label]
// for logits of shape [n, k] and n integer labels in [0, k).
func (tp *Tape[T]) CrossEntropy(logits *Tensor[T], labels []int) *Tensor[T] {
	N, K := logits.Rows(), logits.Cols()
	if len(labels) != N {
		panic(fmt.Sprintf("nn: CrossEntropy of %d labels for logits %v", len(labels), logits.Shape()))
	}
	g := needs(tp, logits)
	out := tp.newOut(g)
	logp := tp.scratch(N*K, false)
	var s float64
	for i, l := range labels {
		if l < 0 || l >= K {
			panic(fmt.Sprintf("nn: CrossEntropy label %d out of range [0,%d)", l, K))
		}
		logSoftmaxRow(logp[i*K:i*K+K], logits.Data[i*K:i*K+K])
		s -= float64(logp[i*K+l])
	}
	out.Data[0] = T(s / float64(max(N, 1)))
	if g {
		n := tp.record(opCrossEntropy, out)
		n.in[0], n.s1, n.i0 = logits, logp, K
		n.idx = tp.ints.alloc(N)
		copy(n.idx, labels)
	}
	return out
}

// SoftCrossEntropy returns the mean over rows of -Σ_j target[i,j]·log
// softmax(logits)[i,j], for soft targets such as search visit
// distributions. Targets that receive gradients get them too.
func (tp *Tape[T]) SoftCrossEntropy(logits, target *Tensor[T]) *Tensor[T] {
	if !sameShape(logits.Shape(), target.Shape()) {
		panic(fmt.Sprintf("nn: SoftCrossEntropy of logits %v and targets %v", logits.Shape(), target.Shape()))
	}
	N, K := logits.Rows(), logits.Cols()
	g := needs(tp, logits, target)
	out := tp.newOut(g)
	logp := tp.scratch(N*K, false)
	var s float64
	for r := 0; r < N*K; r += K {
		logSoftmaxRow(logp[r:r+K], logits.Data[r:r+K])
		for j := r; j < r+K; j++ {
			s -= float64(target.Data[j] * logp[j])
		}
	}
	out.Data[0] = T(s / float64(max(N, 1)))
	if g {
		n := tp.record(opSoftCrossEntropy, out)
		n.in[0], n.in[1], n.s1, n.i0 = logits, target, logp, K
	}
	return out
}

func backCrossEntropy[T Float](n *node[T]) {
	x, K, logp := n.in[0], n.i0, n.s1
	N := len(logp) / K
	g := n.out.Grad[0] / T(max(N, 1))
	for i := 0; i < N; i++ {
		lp := logp[i*K : i*K+K]
		if n.op == opCrossEntropy {
			if x.Grad != nil {
				dx := x.Grad[i*K : i*K+K]
				for j, v := range lp {
					dx[j] += g * expT(v)
				}
				dx[n.idx[i]] -= g
			}
			continue
		}
		t := n.in[1]
		tr := t.Data[i*K : i*K+K]
		if x.Grad != nil {
			var ts T
			for _, v := range tr {
				ts += v
			}
			dx := x.Grad[i*K : i*K+K]
			for j, v := range lp {
				dx[j] += g * (expT(v)*ts - tr[j])
			}
		}
		if t.Grad != nil {
			dt := t.Grad[i*K : i*K+K]
			for j, v := range lp {
				dt[j] -= g * v
			}
		}
	}
}

// MSE returns the mean over all elements of (pred - target)².
func (tp *Tape[T]) MSE(pred, target *Tensor[T]) *Tensor[T] {
	if len(pred.Data) != len(target.Data) {
		panic(fmt.Sprintf("nn: MSE of shapes %v and %v", pred.Shape(), target.Shape()))
	}
	g := needs(tp, pred, target)
	out := tp.newOut(g)
	var s float64
	for i, p := range pred.Data {
		d := float64(p - target.Data[i])
		s += d * d
	}
	out.Data[0] = T(s / float64(max(len(pred.Data), 1)))
	if g {
		n := tp.record(opMSE, out)
		n.in[0], n.in[1] = pred, target
	}
	return out
}

func backMSE[T Float](n *node[T]) {
	p, t := n.in[0], n.in[1]
	g := 2 * n.out.Grad[0] / T(max(len(p.Data), 1))
	for i, pv := range p.Data {
		d := g * (pv - t.Data[i])
		if p.Grad != nil {
			p.Grad[i] += d
		}
		if t.Grad != nil {
			t.Grad[i] -= d
		}
	}
}

// Huber returns the mean over all elements of the Huber loss of pred -
// target with threshold delta: quadratic within delta, linear beyond (the
// DQN loss).
func (tp *Tape[T]) Huber(pred, target *Tensor[T], delta float64) *Tensor[T] {
	if len(pred.Data) != len(target.Data) {
		panic(fmt.Sprintf("nn: Huber of shapes %v and %v", pred.Shape(), target.Shape()))
	}
	g := needs(tp, pred, target)
	out := tp.newOut(g)
	var s float64
	for i, p := range pred.Data {
		d := math.Abs(float64(p - target.Data[i]))
		if d <= delta {
			s += 0.5 * d * d
		} else {
			s += delta * (d - 0.5*delta)
		}
	}
	out.Data[0] = T(s / float64(max(len(pred.Data), 1)))
	if g {
		n := tp.record(opHuber, out)
		n.in[0], n.in[1], n.f0 = pred, target, delta
	}
	return out
}

func backHuber[T Float](n *node[T]) {
	p, t := n.in[0], n.in[1]
	g := n.out.Grad[0] / T(max(len(p.Data), 1))
	dl := T(n.f0)
	for i, pv := range p.Data {
		d := g * min(max(pv-t.Data[i], -dl), dl)
		if p.Grad != nil {
			p.Grad[i] += d
		}
		if t.Grad != nil {
			t.Grad[i] -= d
		}
	}
}

const log2Pi = 1.8378770664093453

// GaussianNLL returns the mean over all elements of the negative log
// density of target under N(mean, exp(logVar)):
// ½·(logVar + (target-mean)²·exp(-logVar) + log 2π). logVar has mean's
// shape, a suffix of it (a state-independent variance), or one element.
func (tp *Tape[T]) GaussianNLL(mean, logVar, target *Tensor[T]) *Tensor[T] {
	return tp.gaussian(mean, logVar, target, false)
}

// GaussianLogProb returns, for each row, the log density of x under the
// diagonal Gaussian N(mean, exp(logVar)) summed over the last axis: shape
// [rows]. logVar broadcasts as in GaussianNLL. PPO's log π(a|s).
func (tp *Tape[T]) GaussianLogProb(mean, logVar, x *Tensor[T]) *Tensor[T] {
	return tp.gaussian(mean, logVar, x, true)
}

func (tp *Tape[T]) gaussian(mean, logVar, x *Tensor[T], perRow bool) *Tensor[T] {
	if len(mean.Data) != len(x.Data) {
		panic(fmt.Sprintf("nn: Gaussian of mean %v and values %v", mean.Shape(), x.Shape()))
	}
	inner := broadcastInner("Gaussian log-variance", mean, logVar)
	g := needs(tp, mean, logVar, x)
	var out *Tensor[T]
	rows, k := mean.Rows(), mean.Cols()
	if perRow {
		out = tp.newOut(g, rows)
	} else {
		out = tp.newOut(g)
	}
	var total float64
	for r := 0; r < rows; r++ {
		var s float64
		for j := r * k; j < r*k+k; j++ {
			lv := float64(logVar.Data[j%inner])
			d := float64(x.Data[j] - mean.Data[j])
			s += 0.5 * (lv + d*d*math.Exp(-lv) + log2Pi)
		}
		if perRow {
			out.Data[r] = T(-s)
		}
		total += s
	}
	if !perRow {
		out.Data[0] = T(total / float64(max(len(mean.Data), 1)))
	}
	if g {
		n := tp.record(opGaussianNLL, out)
		n.in = [4]*Tensor[T]{mean, logVar, x}
		n.flag, n.i0, n.i1 = perRow, inner, k
	}
	return out
}

func backGaussianNLL[T Float](n *node[T]) {
	mean, logVar, x := n.in[0], n.in[1], n.in[2]
	inner, k := n.i0, n.i1
	for j := range mean.Data {
		var g T
		if n.flag {
			g = -n.out.Grad[j/k]
		} else {
			g = n.out.Grad[0] / T(len(mean.Data))
		}
		lv := logVar.Data[j%inner]
		iv := T(math.Exp(-float64(lv)))
		d := x.Data[j] - mean.Data[j]
		if mean.Grad != nil {
			mean.Grad[j] -= g * d * iv
		}
		if x.Grad != nil {
			x.Grad[j] += g * d * iv
		}
		if logVar.Grad != nil {
			logVar.Grad[j%inner] += g * 0.5 * (1 - d*d*iv)
		}
	}
}
