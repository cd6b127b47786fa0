package nn

import "fmt"

// MatMul returns op(a)·op(b) for matrices a and b, where op transposes
// when the matching flag is set.
func (tp *Tape[T]) MatMul(a, b *Tensor[T], transA, transB bool) *Tensor[T] {
	if a.rank != 2 || b.rank != 2 {
		panic(fmt.Sprintf("nn: MatMul needs matrices, got %v and %v", a.Shape(), b.Shape()))
	}
	m, k := a.shape[0], a.shape[1]
	if transA {
		m, k = k, m
	}
	k2, n := b.shape[0], b.shape[1]
	if transB {
		k2, n = n, k2
	}
	if k != k2 {
		panic(fmt.Sprintf("nn: MatMul inner dimensions differ: %v·%v (trans %v,%v)", a.Shape(), b.Shape(), transA, transB))
	}
	g := needs(tp, a, b)
	out := tp.newOut(g, m, n)
	tp.mm(transA, transB, m, n, k, 1, a.Data, a.shape[1], b.Data, b.shape[1], 0, out.Data, n)
	if g {
		nd := tp.record(opMatMul, out)
		nd.in[0], nd.in[1] = a, b
		nd.flag = transA
		nd.i0 = 0
		if transB {
			nd.i0 = 1
		}
	}
	return out
}

func backMatMul[T Float](tp *Tape[T], nd *node[T]) {
	a, b, dc := nd.in[0], nd.in[1], nd.out.Grad
	transA, transB := nd.flag, nd.i0 == 1
	m, n := nd.out.shape[0], nd.out.shape[1]
	k := a.shape[1]
	if transA {
		k = a.shape[0]
	}
	lda, ldb := a.shape[1], b.shape[1]
	if a.Grad != nil {
		if !transA {
			tp.mm(false, !transB, m, k, n, 1, dc, n, b.Data, ldb, 1, a.Grad, lda)
		} else {
			tp.mm(transB, true, k, m, n, 1, b.Data, ldb, dc, n, 1, a.Grad, lda)
		}
	}
	if b.Grad != nil {
		if !transB {
			tp.mm(!transA, false, k, n, m, 1, a.Data, lda, dc, n, 1, b.Grad, ldb)
		} else {
			tp.mm(true, transA, n, k, m, 1, dc, n, a.Data, lda, 1, b.Grad, ldb)
		}
	}
}

// Linear returns act(x·w + b) for x of shape [..., in], w of shape
// [in, out] and b of shape [out] (or nil), with the bias and activation in
// one fused pass after the matrix product. The result has shape [..., out].
func (tp *Tape[T]) Linear(x, w, b *Tensor[T], act Act) *Tensor[T] {
	in := x.Cols()
	if w.rank != 2 || w.shape[0] != in {
		panic(fmt.Sprintf("nn: Linear of input %v with weight %v", x.Shape(), w.Shape()))
	}
	out := w.shape[1]
	if b != nil && len(b.Data) != out {
		panic(fmt.Sprintf("nn: Linear bias %v for %d outputs", b.Shape(), out))
	}
	g := needs(tp, x, w, b)
	var sh [MaxRank]int
	copy(sh[:], x.Shape())
	sh[x.rank-1] = out
	y := tp.newOut(g, sh[:x.rank]...)
	rows := x.Rows()
	tp.mm(false, false, rows, out, in, 1, x.Data, in, w.Data, out, 0, y.Data, out)
	pre := tp.biasAct(y, b, out, act, g)
	if g {
		n := tp.record(opLinear, y)
		n.in = [4]*Tensor[T]{x, w, b}
		n.act, n.s2 = act, pre
		n.s1 = x.Data
		n.i0, n.i1, n.i2 = rows, in, out
	}
	return y
}

// linearGrads runs the backward pass of y = act(a·w + b) where a is the
// rows×in matrix in n.s1; it returns dz (the gradient at the pre-activation)
// and accumulates dw and db. The caller handles da.
func linearGrads[T Float](tp *Tape[T], n *node[T]) []T {
	y, w, b := n.out, n.in[1], n.in[2]
	rows, in, out := n.i0, n.i1, n.i2
	// The output's gradient is consumed only here, so dz overwrites it.
	dz := y.Grad
	actBackward(n.act, dz, y.Grad, y.Data, n.s2)
	if w.Grad != nil {
		tp.mm(true, false, in, out, rows, 1, n.s1, in, dz, out, 1, w.Grad, out)
	}
	if b != nil && b.Grad != nil {
		colSum(b.Grad, dz, out)
	}
	return dz
}

func backLinear[T Float](tp *Tape[T], n *node[T]) {
	dz := linearGrads(tp, n)
	x, w := n.in[0], n.in[1]
	if x.Grad != nil {
		tp.mm(false, true, n.i0, n.i1, n.i2, 1, dz, n.i2, w.Data, n.i2, 1, x.Grad, n.i1)
	}
}

// Conv2D returns act(conv(x, w) + b) for x in NHWC layout [n, h, w, c], a
// square kernel w of shape [k, k, c, cout] (HWIO), bias b of shape [cout]
// (or nil), stride 1 and zero padding pad on each side. The result has
// shape [n, h+2·pad-k+1, w+2·pad-k+1, cout]. It runs as one matrix product
// over an im2col buffer whose columns are ordered (ky, kx, channel), so
// gathering a patch copies whole channel runs.
func (tp *Tape[T]) Conv2D(x, w, b *Tensor[T], pad int, act Act) *Tensor[T] {
	if x.rank != 4 || w.rank != 4 || w.shape[0] != w.shape[1] || w.shape[2] != x.shape[3] {
		panic(fmt.Sprintf("nn: Conv2D of input %v (NHWC) with weight %v (HWIO)", x.Shape(), w.Shape()))
	}
	N, H, W, C := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	k, cout := w.shape[0], w.shape[3]
	Ho, Wo := H+2*pad-k+1, W+2*pad-k+1
	if Ho <= 0 || Wo <= 0 || pad < 0 {
		panic(fmt.Sprintf("nn: Conv2D kernel %d with padding %d does not fit input %v", k, pad, x.Shape()))
	}
	if b != nil && len(b.Data) != cout {
		panic(fmt.Sprintf("nn: Conv2D bias %v for %d channels", b.Shape(), cout))
	}
	g := needs(tp, x, w, b)
	y := tp.newOut(g, N, Ho, Wo, cout)
	rows, K := N*Ho*Wo, k*k*C
	cols := x.Data
	var pre []T
	switch {
	case k == 3 && pad == 1:
		// The residual-tower case: no im2col buffer, the bias and
		// activation fused into each block (see conv.go).
		if g && act.needsPre() {
			pre = tp.scratch(len(y.Data), false)
		}
		var bd []T
		if b != nil {
			bd = b.Data
		}
		tp.conv3(x.Data, w.Data, y.Data, N, H, W, C, cout, false, nil, bd, nil, act, pre)
		cols = nil
	case k == 1 && pad == 0:
		tp.mm(false, false, rows, cout, K, 1, cols, K, w.Data, cout, 0, y.Data, cout)
	case g:
		// Training keeps the whole im2col buffer for the backward pass.
		cols = tp.scratch(rows*K, false)
		im2col(cols, x.Data, 0, rows, H, W, C, k, pad, Ho, Wo)
		tp.mm(false, false, rows, cout, K, 1, cols, K, w.Data, cout, 0, y.Data, cout)
	default:
		// Inference gathers and multiplies a block of rows at a time, so
		// the patches are still in cache when the product reads them.
		chunk := max(convChunkFloats/K, 1)
		buf := tp.scratch(min(chunk, rows)*K, false)
		for r0 := 0; r0 < rows; r0 += chunk {
			r1 := min(r0+chunk, rows)
			im2col(buf, x.Data, r0, r1, H, W, C, k, pad, Ho, Wo)
			tp.mm(false, false, r1-r0, cout, K, 1, buf, K, w.Data, cout, 0, y.Data[r0*cout:], cout)
		}
	}
	if cols != nil {
		pre = tp.biasAct(y, b, cout, act, g)
	}
	if g {
		n := tp.record(opConv, y)
		n.in = [4]*Tensor[T]{x, w, b}
		n.act, n.s1, n.s2 = act, cols, pre
		n.i0, n.i1, n.i2 = rows, K, cout
		n.idx = tp.ints.alloc(2)
		n.idx[0], n.idx[1] = k, pad
	}
	return y
}

// convChunkFloats bounds the im2col block of an inference convolution
// (256 KiB of float32), small enough to stay in a core's L2 cache.
const convChunkFloats = 64 << 10

// im2col writes the patches of output rows [r0, r1) (rows enumerate
// (image, y, x) of the output) into cols, one row of k·k·C values each,
// ordered (ky, kx, channel).
func im2col[T Float](cols, x []T, r0, r1, H, W, C, k, pad, Ho, Wo int) {
	K := k * k * C
	for row := r0; row < r1; row++ {
		n, rem := row/(Ho*Wo), row%(Ho*Wo)
		oy, ox := rem/Wo, rem%Wo
		img := x[n*H*W*C : (n+1)*H*W*C]
		dst := cols[(row-r0)*K : (row-r0+1)*K]
		// The k pixels of a kernel row are adjacent in NHWC memory:
		// copy the in-bounds ones as one run, zero the rest.
		x0 := ox - pad
		lo, hi := max(x0, 0), min(x0+k, W)
		for ky := 0; ky < k; ky++ {
			iy := oy + ky - pad
			seg := dst[ky*k*C : (ky+1)*k*C]
			if iy < 0 || iy >= H || lo >= hi {
				clear(seg)
				continue
			}
			clear(seg[:(lo-x0)*C])
			copy(seg[(lo-x0)*C:(hi-x0)*C], img[(iy*W+lo)*C:(iy*W+hi)*C])
			clear(seg[(hi-x0)*C:])
		}
	}
}

func col2imAdd[T Float](dx, cols []T, N, H, W, C, k, pad, Ho, Wo int) {
	K := k * k * C
	row := 0
	for n := 0; n < N; n++ {
		img := dx[n*H*W*C : (n+1)*H*W*C]
		for oy := 0; oy < Ho; oy++ {
			for ox := 0; ox < Wo; ox++ {
				src := cols[row*K : row*K+K]
				row++
				for ky := 0; ky < k; ky++ {
					iy := oy + ky - pad
					if iy < 0 || iy >= H {
						continue
					}
					for kx := 0; kx < k; kx++ {
						ix := ox + kx - pad
						if ix < 0 || ix >= W {
							continue
						}
						addTo(img[(iy*W+ix)*C:(iy*W+ix)*C+C], src[(ky*k+kx)*C:(ky*k+kx)*C+C])
					}
				}
			}
		}
	}
}

func backConv[T Float](tp *Tape[T], n *node[T]) {
	x, w := n.in[0], n.in[1]
	rows, K, cout := n.i0, n.i1, n.i2
	k, pad := n.idx[0], n.idx[1]
	if n.s1 == nil { // the 3×3 engine (see conv.go)
		y, b := n.out, n.in[2]
		dz := y.Grad
		actBackward(n.act, dz, y.Grad, y.Data, n.s2)
		if b != nil && b.Grad != nil {
			colSum(b.Grad, dz, cout)
		}
		tp.conv3Backward(x.Data, w.Data, dz, x.Grad, !takeLazy(x), w.Grad, x.shape[0], x.shape[1], x.shape[2], x.shape[3], cout)
		return
	}
	dz := linearGrads(tp, n)
	if x.Grad == nil {
		return
	}
	if k == 1 && pad == 0 {
		tp.mm(false, true, rows, K, cout, 1, dz, cout, w.Data, cout, 1, x.Grad, K)
		return
	}
	dcols := tp.scratch(rows*K, false)
	tp.mm(false, true, rows, K, cout, 1, dz, cout, w.Data, cout, 0, dcols, K)
	N, H, W, C := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	Ho, Wo := n.out.shape[1], n.out.shape[2]
	col2imAdd(x.Grad, dcols, N, H, W, C, k, pad, Ho, Wo)
}

// biasAct adds the bias b (nil for none) to every row of y, width cols, and
// applies act in place. When the tape records gradients and act needs its
// input for the backward pass, the pre-activation values are kept in tape
// scratch and returned.
func (tp *Tape[T]) biasAct(y, b *Tensor[T], cols int, act Act, g bool) []T {
	var pre []T
	if g && act.needsPre() {
		pre = tp.scratch(len(y.Data), false)
	}
	var bd []T
	if b != nil {
		bd = b.Data
	}
	biasAct(y.Data, bd, cols, act, pre)
	return pre
}
