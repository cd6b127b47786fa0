package nn

import (
	"time"

	"argmax/nn/gemm"
	"argmax/nn/internal/par"
	"argmax/nn/internal/vec"
)

// The 3×3 convolutions of residual towers (stride 1, zero padding 1, NHWC
// images, HWIO weights) take most of a policy/value net's time, at batch
// sizes from one position (search) to a few hundred (training). They run
// here rather than as one im2col product:
//
//   - No im2col buffer. For output pixel p of an image row, the three taps
//     of kernel row ky read the input pixels p-1, p, p+1 of image row
//     y+ky-1, which are adjacent in NHWC memory. Each image first gathers,
//     for each of its pixels, the 3·C values [x(p-1) | x(p) | x(p+1)]
//     (zero beyond the image's left and right edges; rows of zeros above
//     and below it): a third of an im2col buffer. Kernel row ky is then the
//     gathered rows shifted by ky image rows, read in place (row stride
//     3·C), and the convolution is one product with three segments of
//     k = 3·C (gemm.SgemmSegments), summed in the micro-kernels' registers.
//   - Work is cut into images that goroutines take from par.For (a 6×7
//     image is about as little work as pays for a hand-off between cores;
//     a single image runs on the calling goroutine). Each image is
//     self-contained: it gathers its input into its goroutine's scratch,
//     so it stays in cache from gathering to the product's output, and its
//     products run on that goroutine with no hand-off per product.
//   - The epilogue (batch-norm scale and shift, residual, bias,
//     activation) runs on an image's output while it is still in cache. At
//     inference a residual block runs both its convolutions image by image
//     (resBlock3Task), the intermediate image never leaving the cache.
//   - The backward pass is convolutions too: the input gradient is the
//     convolution of the output gradient with the kernel flipped in both
//     directions and with its channel axes swapped (flipTask), and the
//     weight gradient of kernel row ky is the product of the gathered
//     rows shifted by ky image rows (transposed) with the output gradient,
//     with images as the segments. Each group of images keeps a partial
//     sum; the partials are added in group order.
//
// Determinism: images and groups depend only on the shapes, every output
// element is computed by one goroutine in a fixed order, and partial sums
// are combined in a fixed order, so results are bit-identical at any
// thread count (GOMAXPROCS or gemm.SetThreads).

// A weight gradient keeps one partial sum per group of at least
// convGroupImages images (enough work per partial that adding the partials
// up costs a few percent of the product), and at most convMaxGroups
// partials (enough to share the work among a few cores).
const (
	convGroupImages = 16
	convMaxGroups   = 8
)

// parallelMinWork is the work, in multiply-adds of a product, from which a
// pass is cut over threads when recent splits paid; parallelBigWork is the
// work from which it is always cut. A pass over memory counts elemWork per
// element (an element update costs about as much as that many
// multiply-adds in cache). Variables so tests can force every pass to be
// split.
var (
	parallelMinWork = 1 << 18
	parallelBigWork = 1 << 23
)

const elemWork = 16

// threadsFor returns how many goroutines a pass of work units cut into n
// chunks should use.
func threadsFor(n, work int) int {
	if n < 2 || work < parallelMinWork {
		return 1
	}
	if work < parallelBigWork && !par.Worthwhile() {
		return 1
	}
	return min(gemm.Threads(), n)
}

// mmSegments is gemm.SgemmSegments with alpha 1: C = Σ_s op(A_s)·B_s +
// beta·C over segs segments, A_s = a[s·segA:] (op(A_s) m×k), B_s rows s·k
// to (s+1)·k of b; float64 sums the segments' products in turn.
func mmSegments[T Float](transA bool, m, n, k, segs, segA int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if is32[T]() {
		var t0 time.Time
		timing := gemmTiming.Load()
		if timing {
			t0 = time.Now()
		}
		gemm.SgemmSegments(transA, m, n, k, segs, segA, 1, as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
		if timing {
			gemmNanos.Add(int64(time.Since(t0)))
			gemmCalls.Add(1)
			gemmFlops.Add(int64(2 * m * n * k * segs))
		}
		return
	}
	for s := 0; s < segs; s++ {
		if s > 0 {
			beta = 1
		}
		refGemm(transA, false, m, n, k, 1, a[s*segA:], lda, b[s*k*ldb:], ldb, beta, c, ldc)
	}
}

// gather3 writes, for each row of img ([H, W, C]), the rows
// [x(p-1) | x(p) | x(p+1)] of its pixels p (3·C values; zero past the
// left and right edges) into image rows 1..H of an image buffer of
// conv3BufLen(H, W, C) values. Rows 0 and H+1 of the buffer, the zero
// padding above and below, are left alone: newImageBufs clears them once
// per pass.
func gather3[T Float](dst, img []T, H, W, C int) {
	K3 := 3 * C
	for yy := 0; yy < H; yy++ {
		d := dst[(yy+1)*W*K3 : (yy+2)*W*K3]
		row := img[yy*W*C : (yy+1)*W*C]
		if is32[T]() {
			vec.Windows3(as32(d), as32(row), W, C)
			continue
		}
		if W == 1 {
			clear(d[:C])
			copy(d[C:2*C], row)
			clear(d[2*C:])
			continue
		}
		clear(d[:C])
		copy(d[C:K3], row[:2*C])
		for x := 1; x < W-1; x++ {
			copy(d[x*K3:(x+1)*K3], row[(x-1)*C:(x+2)*C])
		}
		last := d[(W-1)*K3 : W*K3]
		copy(last[:2*C], row[(W-2)*C:])
		clear(last[2*C:])
	}
}

// conv3BufLen is the gather buffer of an image of H rows: H+2 rows of W
// pixels of 3·C values.
func conv3BufLen(H, W, C int) int { return (H + 2) * W * 3 * C }

// newImageBufs returns n image buffers of the tape's scratch memory, each
// of conv3BufLen(H, W, C) values followed by extra more, with the zero
// rows above and below each image cleared.
func newImageBufs[T Float](tp *Tape[T], n, H, W, C, extra int) []T {
	img := conv3BufLen(H, W, C)
	buf := tp.scratch(n*(img+extra), false)
	row := W * 3 * C
	for i := 0; i < n; i++ {
		b := buf[i*(img+extra) : i*(img+extra)+img]
		clear(b[:row])
		clear(b[img-row:])
	}
	return buf
}

// conv3Task is one 3×3 convolution y (+)= conv(x, w), then the epilogue
// y = act(y·scale + shift + res) on each image (scale, shift, res nil for
// none; pre, when set, receives the values before act).
type conv3Task[T Float] struct {
	x, w, y           []T
	N, H, W, C, cout  int
	accumulate        bool // y += conv (else y = conv)
	scale, shift, res []T
	act               Act
	pre               []T
	buf               []T // per-slot gather buffers
	bufLen            int
}

// run runs the convolution over all images on up to the threads that pay.
func (t *conv3Task[T]) run(tp *Tape[T]) {
	threads := threadsFor(t.N, t.N*t.H*t.W*9*t.C*t.cout)
	t.bufLen = conv3BufLen(t.H, t.W, t.C)
	t.buf = newImageBufs(tp, threads, t.H, t.W, t.C, 0)
	par.For(threads, t.N, t)
	*t = conv3Task[T]{}
}

// Run computes image n.
func (t *conv3Task[T]) Run(n, slot int) {
	H, W, C, cout := t.H, t.W, t.C, t.cout
	buf := t.buf[slot*t.bufLen : (slot+1)*t.bufLen]
	gather3(buf, t.x[n*H*W*C:(n+1)*H*W*C], H, W, C)
	r0, r1 := n*H*W, (n+1)*H*W
	out := t.y[r0*cout : r1*cout]
	// The three kernel rows are segments of one product: the gathered
	// rows shifted by one image row each, against the kernel rows' weights.
	K3 := 3 * C
	beta := T(0)
	if t.accumulate {
		beta = 1
	}
	mmSegments(false, r1-r0, cout, K3, 3, W*K3, buf, K3, t.w, cout, beta, out, cout)
	var res, pre []T
	if t.res != nil {
		res = t.res[r0*cout : r1*cout]
	}
	if t.pre != nil {
		pre = t.pre[r0*cout : r1*cout]
	}
	epilogue(out, t.scale, t.shift, res, cout, t.act, pre)
}

// epilogue sets each row of y (width cols) to act(y·scale + shift + res):
// scale, shift and res may each be nil (no scaling, no shift, no
// residual); pre, when non-nil, receives the values before act.
func epilogue[T Float](y, scale, shift, res []T, cols int, act Act, pre []T) {
	affineAct(y, y, scale, shift, res, cols, act, pre)
}

// affineAct sets each row of y (width cols) to act(x·scale + shift + res)
// (see epilogue); y may be x.
func affineAct[T Float](y, x, scale, shift, res []T, cols int, act Act, pre []T) {
	if len(y) == 0 {
		return
	}
	fused := act == ReLU && pre == nil // ReLU applied in the same pass
	switch {
	case scale == nil && res == nil && &y[0] == &x[0]:
		biasAct(y, shift, cols, act, pre)
		return
	case is32[T]() && scale != nil && shift != nil:
		var r32 []float32
		if res != nil {
			r32 = as32(res)
		}
		vec.AffineRows(as32(y), as32(x), as32(scale), as32(shift), r32, cols, fused)
	default:
		for r := 0; r+cols <= len(y); r += cols {
			yr, xr := y[r:r+cols], x[r:r+cols]
			for j, v := range xr {
				if scale != nil {
					v *= scale[j]
				}
				if shift != nil {
					v += shift[j]
				}
				if res != nil {
					v += res[r+j]
				}
				if fused {
					v = relu(v)
				}
				yr[j] = v
			}
		}
	}
	if !fused {
		applyAct(act, y, pre)
	}
}

// flipTask writes the kernel of the input gradient of a 3×3 convolution
// with weights w [3, 3, C, cout]: wf[2-ky][2-kx][co][ci] = w[ky][kx][ci][co],
// shape [3, 3, cout, C], one tap per chunk.
type flipTask[T Float] struct {
	wf, w   []T
	C, cout int
}

// Run transposes tap t in 8×8 blocks (rows of both matrices stay in cache).
func (f *flipTask[T]) Run(t, _ int) {
	C, cout := f.C, f.cout
	src := f.w[t*C*cout : (t+1)*C*cout]
	dst := f.wf[(8-t)*C*cout : (9-t)*C*cout]
	const bs = 8
	for c0 := 0; c0 < C; c0 += bs {
		for o0 := 0; o0 < cout; o0 += bs {
			for ci := c0; ci < min(c0+bs, C); ci++ {
				row := src[ci*cout : (ci+1)*cout]
				for co := o0; co < min(o0+bs, cout); co++ {
					dst[co*C+ci] = row[co]
				}
			}
		}
	}
}

// conv3WeightTask accumulates the weight gradient of a 3×3 convolution,
// dw[ky][kx][ci][co] = Σ x[n, y+ky-1, x+kx-1, ci]·dz[n, y, x, co], one
// partial sum per group of images.
type conv3WeightTask[T Float] struct {
	x, dz, partial   []T
	N, H, W, C, cout int
	groups           int
	buf              []T
	bufLen           int
}

// convWeightImages is the number of images gathered at once for a weight
// gradient: the segments of one product (see conv3WeightTask.Run).
const convWeightImages = 4

// Run sums group g's images, in order, into partial g. Kernel row ky of
// the gradient is the product of the gathered rows shifted by ky image
// rows (transposed) with the output gradient; a few images are gathered
// side by side and summed as the segments of one product.
func (t *conv3WeightTask[T]) Run(g, slot int) {
	H, W, C, cout := t.H, t.W, t.C, t.cout
	K3, hw := 3*C, H*W
	img := conv3BufLen(H, W, C)
	buf := t.buf[slot*t.bufLen : (slot+1)*t.bufLen]
	part := t.partial[g*9*C*cout : (g+1)*9*C*cout]
	n0, n1 := g*t.N/t.groups, (g+1)*t.N/t.groups
	for s0 := n0; s0 < n1; s0 += convWeightImages {
		segs := min(convWeightImages, n1-s0)
		for s := 0; s < segs; s++ {
			n := s0 + s
			gather3(buf[s*img:(s+1)*img], t.x[n*hw*C:(n+1)*hw*C], H, W, C)
		}
		beta := T(1)
		if s0 == n0 {
			beta = 0
		}
		dz := t.dz[s0*hw*cout : (s0+segs)*hw*cout]
		for ky := 0; ky < 3; ky++ {
			mmSegments(true, K3, cout, hw, segs, img, buf[ky*W*K3:], K3, dz, cout, beta, part[ky*K3*cout:], cout)
		}
	}
}

// sumTask adds partial sums: dst[i] += Σ_g src[g·len(dst)+i] in order of g,
// over chunks of dst.
type sumTask[T Float] struct {
	dst, src []T
	parts    int
	chunk    int
}

func (t *sumTask[T]) Run(c, _ int) {
	n := len(t.dst)
	lo, hi := c*t.chunk, min((c+1)*t.chunk, n)
	d := t.dst[lo:hi]
	for g := 0; g < t.parts; g++ {
		addTo(d, t.src[g*n+lo:g*n+hi])
	}
}

// conv3 runs a 3×3 convolution with padding 1 of x [N, H, W, C] by w
// [3, 3, C, cout] into y [N, H, W, cout] with the given epilogue (see
// conv3Task), counting its FLOPs.
func (tp *Tape[T]) conv3(x, w, y []T, N, H, W, C, cout int, accumulate bool, scale, shift, res []T, act Act, pre []T) {
	tp.flops += 2 * int64(N*H*W) * int64(9*C) * int64(cout)
	t := &tp.conv3T
	*t = conv3Task[T]{x: x, w: w, y: y, N: N, H: H, W: W, C: C, cout: cout, accumulate: accumulate,
		scale: scale, shift: shift, res: res, act: act, pre: pre}
	t.run(tp)
}

// conv3Backward computes the gradients of a 3×3 convolution with padding
// 1 of x by w, given dz, the gradient at its output: dx into xGrad (added
// when addX is set, else written) and dw added into wGrad (either may be
// nil).
func (tp *Tape[T]) conv3Backward(x, w, dz, xGrad []T, addX bool, wGrad []T, N, H, W, C, cout int) {
	if xGrad != nil {
		wf := tp.scratch(9*C*cout, false)
		f := &tp.flipT
		*f = flipTask[T]{wf: wf, w: w, C: C, cout: cout}
		// Split over threads when the convolution it serves is.
		par.For(threadsFor(9, N*H*W*C*cout), 9, f)
		*f = flipTask[T]{}
		tp.conv3(dz, wf, xGrad, N, H, W, cout, C, addX, nil, nil, nil, Identity, nil)
	}
	if wGrad == nil {
		return
	}
	tp.flops += 2 * int64(N*H*W) * int64(9*C) * int64(cout)
	groups := min((N+convGroupImages-1)/convGroupImages, convMaxGroups)
	threads := threadsFor(groups, N*H*W*9*C*cout)
	t := &tp.conv3WT
	*t = conv3WeightTask[T]{x: x, dz: dz, N: N, H: H, W: W, C: C, cout: cout, groups: groups}
	t.partial = tp.scratch(groups*9*C*cout, false)
	t.bufLen = convWeightImages * conv3BufLen(H, W, C)
	t.buf = newImageBufs(tp, threads*convWeightImages, H, W, C, 0)
	par.For(threads, groups, t)
	s := &tp.sumT
	n := len(wGrad)
	chunks := min(threads*4, (n+1023)/1024)
	*s = sumTask[T]{dst: wGrad, src: t.partial, parts: groups, chunk: (n + chunks - 1) / chunks}
	par.For(threadsFor(chunks, elemWork*n*groups), chunks, s)
	*t, *s = conv3WeightTask[T]{}, sumTask[T]{}
}

// resBlock3Task runs a residual block at inference image by image:
// y = relu(conv2(h)·s2 + b2 + x) with h = relu(conv1(x)·s1 + b1), both 3×3
// convolutions of C channels with padding 1. The intermediate image h
// stays in the goroutine's cache between the two convolutions, which is
// why the block is one pass rather than two; every element is computed
// exactly as the two separate convolutions compute it.
type resBlock3Task[T Float] struct {
	x, w1, w2, y   []T
	s1, b1, s2, b2 []T
	H, W, C        int
	buf            []T // per slot: a gather buffer, then an image
	bufLen         int
}

func (t *resBlock3Task[T]) Run(n, slot int) {
	H, W, C := t.H, t.W, t.C
	hw, K3 := H*W, 3*C
	g := conv3BufLen(H, W, C)
	buf := t.buf[slot*t.bufLen : slot*t.bufLen+g]
	h := t.buf[slot*t.bufLen+g : (slot+1)*t.bufLen]
	x, y := t.x[n*hw*C:(n+1)*hw*C], t.y[n*hw*C:(n+1)*hw*C]
	gather3(buf, x, H, W, C)
	mmSegments(false, hw, C, K3, 3, W*K3, buf, K3, t.w1, C, 0, h, C)
	epilogue(h, t.s1, t.b1, nil, C, ReLU, nil)
	gather3(buf, h, H, W, C)
	mmSegments(false, hw, C, K3, 3, W*K3, buf, K3, t.w2, C, 0, y, C)
	epilogue(y, t.s2, t.b2, x, C, ReLU, nil)
}

// resBlock3 runs resBlock3Task over the n images of x [N, H, W, C] into y,
// counting the FLOPs of both convolutions.
func (tp *Tape[T]) resBlock3(x, w1, w2, y, s1, b1, s2, b2 []T, N, H, W, C int) {
	tp.flops += 2 * 2 * int64(N*H*W) * int64(9*C) * int64(C)
	threads := threadsFor(N, 2*N*H*W*9*C*C)
	t := &tp.resT
	*t = resBlock3Task[T]{x: x, w1: w1, w2: w2, y: y, s1: s1, b1: b1, s2: s2, b2: b2, H: H, W: W, C: C}
	t.bufLen = conv3BufLen(H, W, C) + H*W*C
	t.buf = newImageBufs(tp, threads, H, W, C, H*W*C)
	par.For(threads, N, t)
	*t = resBlock3Task[T]{}
}
