package nn

import (
	"fmt"
	"math"
)

// Reshape returns a view of x with a new shape of the same size; one
// dimension may be -1 and is then inferred. The view shares x's data and
// gradient.
func (tp *Tape[T]) Reshape(x *Tensor[T], shape ...int) *Tensor[T] {
	var s [MaxRank]int
	if len(shape) > MaxRank {
		panic(fmt.Sprintf("nn: Reshape to rank %d exceeds MaxRank", len(shape)))
	}
	copy(s[:], shape)
	infer, known := -1, 1
	for i, d := range shape {
		if d == -1 {
			if infer >= 0 {
				panic("nn: Reshape with two -1 dimensions")
			}
			infer = i
		} else {
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || len(x.Data)%known != 0 {
			panic(fmt.Sprintf("nn: cannot reshape %v to %v", x.Shape(), dims(shape)))
		}
		s[infer] = len(x.Data) / known
	}
	if numel(s[:len(shape)]) != len(x.Data) {
		panic(fmt.Sprintf("nn: cannot reshape %v to %v", x.Shape(), dims(shape)))
	}
	t := tp.tensors.get()
	t.setShape(s[:len(shape)])
	t.Data, t.Grad, t.lazy = x.Data, x.Grad, x.lazy
	if t.Grad != nil {
		n := tp.record(opView, t)
		n.in[0] = x
	}
	return t
}

// Flatten reshapes x to [x.Dim(0), rest].
func (tp *Tape[T]) Flatten(x *Tensor[T]) *Tensor[T] {
	return tp.Reshape(x, x.Dim(0), -1)
}

// broadcastInner checks that b's shape equals a's, is a suffix of it, or b
// holds a single value, and returns the length of the repeated block.
func broadcastInner[T Float](what string, a, b *Tensor[T]) int {
	if len(b.Data) == 1 {
		return 1
	}
	as, bs := a.Shape(), b.Shape()
	if len(bs) <= len(as) && sameShape(as[len(as)-len(bs):], bs) {
		return len(b.Data)
	}
	panic(fmt.Sprintf("nn: %s: shape %v does not broadcast to %v", what, bs, as))
}

// Add returns a + b, where b has a's shape, a suffix of it (a bias or a
// positional table repeated over leading axes), or one element.
func (tp *Tape[T]) Add(a, b *Tensor[T]) *Tensor[T] { return tp.addSub(opAdd, a, b) }

// Sub returns a - b with the broadcasting of Add.
func (tp *Tape[T]) Sub(a, b *Tensor[T]) *Tensor[T] { return tp.addSub(opSub, a, b) }

func (tp *Tape[T]) addSub(op opKind, a, b *Tensor[T]) *Tensor[T] {
	inner := broadcastInner("Add/Sub", a, b)
	g := needs(tp, a, b)
	out := tp.newLike(a, g)
	bd := b.Data
	for r := 0; r < len(a.Data); r += inner {
		ar, or := a.Data[r:r+inner], out.Data[r:r+inner]
		if op == opAdd {
			for j := range or {
				or[j] = ar[j] + bd[j]
			}
		} else {
			for j := range or {
				or[j] = ar[j] - bd[j]
			}
		}
	}
	if g {
		n := tp.record(op, out)
		n.in[0], n.in[1], n.i0 = a, b, inner
	}
	return out
}

func backAddSub[T Float](n *node[T]) {
	a, b, dy := n.in[0], n.in[1], n.out.Grad
	if a.Grad != nil {
		addTo(a.Grad, dy)
	}
	if b.Grad != nil {
		inner := n.i0
		var sgn T = 1
		if n.op == opSub {
			sgn = -1
		}
		for r := 0; r < len(dy); r += inner {
			axpy(b.Grad[:inner], sgn, dy[r:r+inner])
		}
	}
}

// Mul returns the elementwise product a ⊙ b with the broadcasting of Add.
func (tp *Tape[T]) Mul(a, b *Tensor[T]) *Tensor[T] {
	inner := broadcastInner("Mul", a, b)
	g := needs(tp, a, b)
	out := tp.newLike(a, g)
	bd := b.Data
	for r := 0; r < len(a.Data); r += inner {
		ar, or := a.Data[r:r+inner], out.Data[r:r+inner]
		for j := range or {
			or[j] = ar[j] * bd[j]
		}
	}
	if g {
		n := tp.record(opMul, out)
		n.in[0], n.in[1], n.i0 = a, b, inner
	}
	return out
}

func backMul[T Float](n *node[T]) {
	a, b, dy := n.in[0], n.in[1], n.out.Grad
	inner := n.i0
	for r := 0; r < len(dy); r += inner {
		d := dy[r : r+inner]
		if a.Grad != nil {
			ag := a.Grad[r : r+inner]
			for j := range d {
				ag[j] += d[j] * b.Data[j]
			}
		}
		if b.Grad != nil {
			ad := a.Data[r : r+inner]
			bg := b.Grad[:inner]
			for j := range d {
				bg[j] += d[j] * ad[j]
			}
		}
	}
}

// Scale returns s·x + c.
func (tp *Tape[T]) Scale(x *Tensor[T], s, c float64) *Tensor[T] {
	g := needs(tp, x)
	out := tp.newLike(x, g)
	ss, cc := T(s), T(c)
	for i, v := range x.Data {
		out.Data[i] = ss*v + cc
	}
	if g {
		n := tp.record(opScale, out)
		n.in[0], n.f0 = x, s
	}
	return out
}

func backScale[T Float](n *node[T]) {
	axpy(n.in[0].Grad, T(n.f0), n.out.Grad)
}

// Activate applies act elementwise.
func (tp *Tape[T]) Activate(x *Tensor[T], act Act) *Tensor[T] {
	g := needs(tp, x)
	out := tp.newLike(x, g)
	var pre []T
	copy(out.Data, x.Data)
	applyAct(act, out.Data, pre)
	if g {
		n := tp.record(opAct, out)
		n.in[0], n.act = x, act
	}
	return out
}

// ReLU returns max(x, 0) elementwise.
func (tp *Tape[T]) ReLU(x *Tensor[T]) *Tensor[T] { return tp.Activate(x, ReLU) }

// GELU returns x·Φ(x) elementwise.
func (tp *Tape[T]) GELU(x *Tensor[T]) *Tensor[T] { return tp.Activate(x, GELU) }

// Tanh returns tanh(x) elementwise.
func (tp *Tape[T]) Tanh(x *Tensor[T]) *Tensor[T] { return tp.Activate(x, Tanh) }

// Sigmoid returns 1/(1+exp(-x)) elementwise.
func (tp *Tape[T]) Sigmoid(x *Tensor[T]) *Tensor[T] { return tp.Activate(x, Sigmoid) }

func backAct[T Float](n *node[T]) {
	x, y := n.in[0], n.out
	if n.act == GELU {
		for i, d := range y.Grad {
			x.Grad[i] += d * geluDT(x.Data[i])
		}
		return
	}
	switch n.act {
	case Identity:
		addTo(x.Grad, y.Grad)
	case ReLU:
		for i, d := range y.Grad {
			x.Grad[i] += reluMask(d, y.Data[i])
		}
	case Tanh:
		for i, d := range y.Grad {
			x.Grad[i] += d * (1 - y.Data[i]*y.Data[i])
		}
	case Sigmoid:
		for i, d := range y.Grad {
			x.Grad[i] += d * y.Data[i] * (1 - y.Data[i])
		}
	}
}

// Exp returns exp(x) elementwise.
func (tp *Tape[T]) Exp(x *Tensor[T]) *Tensor[T] { return tp.pointwise(opExp, x) }

// Log returns the natural logarithm elementwise.
func (tp *Tape[T]) Log(x *Tensor[T]) *Tensor[T] { return tp.pointwise(opLog, x) }

// Square returns x² elementwise.
func (tp *Tape[T]) Square(x *Tensor[T]) *Tensor[T] { return tp.pointwise(opSquare, x) }

func (tp *Tape[T]) pointwise(op opKind, x *Tensor[T]) *Tensor[T] {
	g := needs(tp, x)
	out := tp.newLike(x, g)
	switch op {
	case opExp:
		for i, v := range x.Data {
			out.Data[i] = expT(v)
		}
	case opLog:
		for i, v := range x.Data {
			out.Data[i] = T(math.Log(float64(v)))
		}
	case opSquare:
		for i, v := range x.Data {
			out.Data[i] = v * v
		}
	}
	if g {
		n := tp.record(op, out)
		n.in[0] = x
	}
	return out
}

func backPointwise[T Float](n *node[T]) {
	x, y := n.in[0], n.out
	switch n.op {
	case opExp:
		for i, d := range y.Grad {
			x.Grad[i] += d * y.Data[i]
		}
	case opLog:
		for i, d := range y.Grad {
			x.Grad[i] += d / x.Data[i]
		}
	case opSquare:
		for i, d := range y.Grad {
			x.Grad[i] += 2 * d * x.Data[i]
		}
	}
}

// Clamp limits x to [lo, hi] elementwise; the gradient flows only where x
// is strictly inside.
func (tp *Tape[T]) Clamp(x *Tensor[T], lo, hi float64) *Tensor[T] {
	g := needs(tp, x)
	out := tp.newLike(x, g)
	l, h := T(lo), T(hi)
	for i, v := range x.Data {
		out.Data[i] = min(max(v, l), h)
	}
	if g {
		n := tp.record(opClamp, out)
		n.in[0], n.f0, n.f1 = x, lo, hi
	}
	return out
}

func backClamp[T Float](n *node[T]) {
	x := n.in[0]
	l, h := T(n.f0), T(n.f1)
	for i, d := range n.out.Grad {
		if v := x.Data[i]; v > l && v < h {
			x.Grad[i] += d
		}
	}
}

// Minimum returns the elementwise minimum of two tensors of the same shape;
// the gradient goes to the smaller operand (to a on ties).
func (tp *Tape[T]) Minimum(a, b *Tensor[T]) *Tensor[T] {
	if !sameShape(a.Shape(), b.Shape()) {
		panic(fmt.Sprintf("nn: Minimum of shapes %v and %v", a.Shape(), b.Shape()))
	}
	g := needs(tp, a, b)
	out := tp.newLike(a, g)
	for i := range out.Data {
		out.Data[i] = min(a.Data[i], b.Data[i])
	}
	if g {
		n := tp.record(opMinimum, out)
		n.in[0], n.in[1] = a, b
	}
	return out
}

func backMinimum[T Float](n *node[T]) {
	a, b := n.in[0], n.in[1]
	for i, d := range n.out.Grad {
		if a.Data[i] <= b.Data[i] {
			if a.Grad != nil {
				a.Grad[i] += d
			}
		} else if b.Grad != nil {
			b.Grad[i] += d
		}
	}
}

// Sum returns the sum of all elements as a scalar.
func (tp *Tape[T]) Sum(x *Tensor[T]) *Tensor[T] { return tp.reduce(opSum, x) }

// Mean returns the mean of all elements as a scalar.
func (tp *Tape[T]) Mean(x *Tensor[T]) *Tensor[T] { return tp.reduce(opMean, x) }

func (tp *Tape[T]) reduce(op opKind, x *Tensor[T]) *Tensor[T] {
	g := needs(tp, x)
	out := tp.newOut(g)
	var s float64
	for _, v := range x.Data {
		s += float64(v)
	}
	scale := 1.0
	if op == opMean && len(x.Data) > 0 {
		scale = 1 / float64(len(x.Data))
	}
	out.Data[0] = T(s * scale)
	if g {
		n := tp.record(op, out)
		n.in[0], n.f0 = x, scale
	}
	return out
}

func backSum[T Float](n *node[T]) {
	d := n.out.Grad[0] * T(n.f0)
	for i := range n.in[0].Grad {
		n.in[0].Grad[i] += d
	}
}

// SumLast sums over the last axis: [..., k] -> [...].
func (tp *Tape[T]) SumLast(x *Tensor[T]) *Tensor[T] {
	g := needs(tp, x)
	sh := x.Shape()
	var out *Tensor[T]
	if len(sh) <= 1 {
		out = tp.newOut(g)
	} else {
		out = tp.newOut(g, sh[:len(sh)-1]...)
	}
	k := x.Cols()
	for r := range out.Data {
		var s T
		for _, v := range x.Data[r*k : r*k+k] {
			s += v
		}
		out.Data[r] = s
	}
	if g {
		n := tp.record(opSumLast, out)
		n.in[0], n.i0 = x, k
	}
	return out
}

func backSumLast[T Float](n *node[T]) {
	k := n.i0
	for r, d := range n.out.Grad {
		g := n.in[0].Grad[r*k : r*k+k]
		for j := range g {
			g[j] += d
		}
	}
}

// Gather picks one element per row: out[i] = x[i, idx[i]] for x of shape
// [n, k]; the result has shape [n]. Q(s, a) for DQN, log π(a|s) for PPO.
func (tp *Tape[T]) Gather(x *Tensor[T], idx []int) *Tensor[T] {
	if x.rank != 2 || len(idx) != x.shape[0] {
		panic(fmt.Sprintf("nn: Gather of %d indices from shape %v", len(idx), x.Shape()))
	}
	k := x.shape[1]
	g := needs(tp, x)
	out := tp.newOut(g, len(idx))
	for i, j := range idx {
		if j < 0 || j >= k {
			panic(fmt.Sprintf("nn: Gather index %d out of range [0,%d)", j, k))
		}
		out.Data[i] = x.Data[i*k+j]
	}
	if g {
		n := tp.record(opGather, out)
		n.in[0], n.i0 = x, k
		n.idx = tp.ints.alloc(len(idx))
		copy(n.idx, idx)
	}
	return out
}

func backGather[T Float](n *node[T]) {
	k := n.i0
	for i, j := range n.idx {
		n.in[0].Grad[i*k+j] += n.out.Grad[i]
	}
}

// SliceLast returns x[..., from:to], a copy.
func (tp *Tape[T]) SliceLast(x *Tensor[T], from, to int) *Tensor[T] {
	k := x.Cols()
	if from < 0 || to > k || from >= to {
		panic(fmt.Sprintf("nn: SliceLast [%d:%d] of shape %v", from, to, x.Shape()))
	}
	g := needs(tp, x)
	var sh [MaxRank]int
	copy(sh[:], x.Shape())
	sh[x.rank-1] = to - from
	out := tp.newOut(g, sh[:x.rank]...)
	w := to - from
	for r := 0; r < x.Rows(); r++ {
		copy(out.Data[r*w:r*w+w], x.Data[r*k+from:r*k+to])
	}
	if g {
		n := tp.record(opSliceLast, out)
		n.in[0], n.i0, n.i1 = x, from, k
	}
	return out
}

func backSliceLast[T Float](n *node[T]) {
	from, k, w := n.i0, n.i1, n.out.Cols()
	for r := 0; r < n.out.Rows(); r++ {
		addTo(n.in[0].Grad[r*k+from:r*k+from+w], n.out.Grad[r*w:r*w+w])
	}
}

// ConcatLast joins a and b along the last axis; all other axes must agree.
func (tp *Tape[T]) ConcatLast(a, b *Tensor[T]) *Tensor[T] {
	as, bs := a.Shape(), b.Shape()
	if len(as) != len(bs) || !sameShape(as[:len(as)-1], bs[:len(bs)-1]) {
		panic(fmt.Sprintf("nn: ConcatLast of shapes %v and %v", as, bs))
	}
	g := needs(tp, a, b)
	var sh [MaxRank]int
	copy(sh[:], as)
	ka, kb := a.Cols(), b.Cols()
	sh[len(as)-1] = ka + kb
	out := tp.newOut(g, sh[:len(as)]...)
	k := ka + kb
	for r := 0; r < a.Rows(); r++ {
		copy(out.Data[r*k:], a.Data[r*ka:r*ka+ka])
		copy(out.Data[r*k+ka:], b.Data[r*kb:r*kb+kb])
	}
	if g {
		n := tp.record(opConcatLast, out)
		n.in[0], n.in[1] = a, b
	}
	return out
}

func backConcatLast[T Float](n *node[T]) {
	a, b := n.in[0], n.in[1]
	ka, kb := a.Cols(), b.Cols()
	k := ka + kb
	for r := 0; r < a.Rows(); r++ {
		if a.Grad != nil {
			addTo(a.Grad[r*ka:r*ka+ka], n.out.Grad[r*k:r*k+ka])
		}
		if b.Grad != nil {
			addTo(b.Grad[r*kb:r*kb+kb], n.out.Grad[r*k+ka:r*k+k])
		}
	}
}

// ToNHWC converts images from planes-first [n, c, h, w] (the layout of
// game observations) to channels-last [n, h, w, c] (the layout of
// Conv2D).
func (tp *Tape[T]) ToNHWC(x *Tensor[T]) *Tensor[T] {
	if x.rank != 4 {
		panic(fmt.Sprintf("nn: ToNHWC of shape %v", x.Shape()))
	}
	N, C, H, W := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	g := needs(tp, x)
	out := tp.newOut(g, N, H, W, C)
	nchwToNHWC(out.Data, x.Data, N, C, H*W, false)
	if g {
		n := tp.record(opToNHWC, out)
		n.in[0] = x
	}
	return out
}

// nchwToNHWC moves src [n, c, hw] to dst [n, hw, c]; with back set it moves
// the other way and accumulates.
func nchwToNHWC[T Float](dst, src []T, N, C, HW int, back bool) {
	for n := 0; n < N; n++ {
		o := n * C * HW
		for c := 0; c < C; c++ {
			for p := 0; p < HW; p++ {
				if back {
					dst[o+c*HW+p] += src[o+p*C+c]
				} else {
					dst[o+p*C+c] = src[o+c*HW+p]
				}
			}
		}
	}
}

func backToNHWC[T Float](n *node[T]) {
	x := n.in[0]
	nchwToNHWC(x.Grad, n.out.Grad, x.shape[0], x.shape[1], x.shape[2]*x.shape[3], true)
}
