package nn

import "fmt"

// Mode selects how a Tape behaves.
type Mode uint8

const (
	// Train records operations for Backward and puts layers in training
	// behaviour (BatchNorm uses and updates batch statistics).
	Train Mode = iota
	// Eval records nothing and puts layers in inference behaviour
	// (BatchNorm uses running statistics). This is the fast, allocation-free
	// inference path.
	Eval
	// EvalGrad records operations for Backward but keeps layers in
	// inference behaviour: gradients of a frozen net with respect to its
	// inputs or parameters, as probes and semi-amortized refinement need.
	EvalGrad
)

// String names the mode.
func (m Mode) String() string {
	switch m {
	case Train:
		return "train"
	case Eval:
		return "eval"
	case EvalGrad:
		return "evalgrad"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// Tape records the operations of one forward pass so that Backward can run
// them in reverse, and owns the memory of every tensor they produce.
//
// A tape is reused across passes: Reset rewinds its arenas, and a pass that
// makes the same sequence of operations as the previous one allocates
// nothing. Tensors made by the tape (including the outputs handed back to
// the caller) are valid until the next Reset. A Tape is not safe for
// concurrent use; give each goroutine its own.
type Tape[T Float] struct {
	mode  Mode
	grad  bool
	train bool

	vals    arena[T]
	ints    arena[int]
	flags   arena[bool] // the lazy flags of gradient buffers
	tensors tensorPool[T]
	nodes   []node[T]
	done    bool  // Backward has run since the last Reset
	flops   int64 // FLOPs of the products run on this tape (see FLOPs)

	// The parallel passes' tasks, reused by every op (one runs at a time).
	conv3T  conv3Task[T]
	conv3WT conv3WeightTask[T]
	sumT    sumTask[T]
	flipT   flipTask[T]
	resT    resBlock3Task[T]
	bnT     bnTask[T]
}

// NewTape returns an empty tape in the given mode.
func NewTape[T Float](mode Mode) *Tape[T] {
	tp := &Tape[T]{}
	tp.SetMode(mode)
	return tp
}

// SetMode changes the tape's mode and resets it.
func (tp *Tape[T]) SetMode(mode Mode) {
	tp.mode = mode
	tp.grad = mode == Train || mode == EvalGrad
	tp.train = mode == Train
	tp.Reset()
}

// Mode returns the tape's mode.
func (tp *Tape[T]) Mode() Mode { return tp.mode }

// Training reports whether layers should use training behaviour.
func (tp *Tape[T]) Training() bool { return tp.train }

// Recording reports whether the tape records operations for Backward.
func (tp *Tape[T]) Recording() bool { return tp.grad }

// FLOPs returns the floating-point operations of the matrix products the
// tape has run — those of MatMul, Linear, Conv2D (as the product of its
// im2col matrix, however it is computed) and attention, in the forward
// pass and in Backward — since it was made or since ResetFLOPs: 2 per
// multiply-add, so an m×k by k×n product counts 2·m·n·k. The elementwise work around the products (bias, activation,
// normalisation, softmax, optimizer updates) is not counted; beside the
// products of a conv or linear net it is a few percent. Reset and SetMode
// do not clear the count, so a caller reads it before and after a pass and
// takes the difference.
func (tp *Tape[T]) FLOPs() int64 { return tp.flops }

// ResetFLOPs sets the FLOPs count to zero.
func (tp *Tape[T]) ResetFLOPs() { tp.flops = 0 }

// mm is the package's matrix product (see mm) counted in the tape's FLOPs.
func (tp *Tape[T]) mm(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	tp.flops += 2 * int64(m) * int64(n) * int64(k)
	mm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Reset forgets all recorded operations and recycles the memory of every
// tensor the tape made. After the first few passes have sized the arenas,
// Reset and a repeated pass allocate nothing.
func (tp *Tape[T]) Reset() {
	tp.vals.reset()
	tp.ints.reset()
	tp.flags.reset()
	tp.tensors.reset()
	clear(tp.nodes) // drop references so recycled buffers are not pinned twice
	tp.nodes = tp.nodes[:0]
	tp.done = false
}

// Const wraps data as a tensor of the given shape that receives no
// gradient. The data is not copied and must stay unchanged until Backward.
func (tp *Tape[T]) Const(data []T, shape ...int) *Tensor[T] {
	return tp.wrap(data, false, shape)
}

// Var wraps data as a leaf tensor that receives a gradient when the tape
// records (its Grad is filled by Backward). The data is not copied.
func (tp *Tape[T]) Var(data []T, shape ...int) *Tensor[T] {
	return tp.wrap(data, true, shape)
}

func (tp *Tape[T]) wrap(data []T, grad bool, shape []int) *Tensor[T] {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	if n := numel(shape); n != len(data) {
		panic(fmt.Sprintf("nn: %d values do not fill shape %v", len(data), dims(shape)))
	}
	t := tp.tensors.get()
	t.setShape(shape)
	t.Data = data
	if grad && tp.grad {
		t.Grad = tp.vals.allocZero(len(data))
	}
	return t
}

// Param returns a leaf tensor aliasing the parameter's values; on a
// recording tape its gradient accumulates directly into p.Grad.
func (tp *Tape[T]) Param(p *Param[T]) *Tensor[T] {
	t := tp.tensors.get()
	t.setShape(p.shape)
	t.Data = p.Data
	if tp.grad && p.Grad != nil {
		t.Grad = p.Grad
	}
	return t
}

// Zeros returns a new tensor of zeros that receives no gradient; callers may
// fill it and use it as a constant input.
func (tp *Tape[T]) Zeros(shape ...int) *Tensor[T] {
	t := tp.tensors.get()
	t.setShape(shape)
	t.Data = tp.vals.allocZero(numel(shape))
	return t
}

// newOut makes an op's output tensor: uninitialised data, and when grad is
// true and the tape records, a gradient buffer that is not zeroed but
// marked lazy: Backward zeroes it just before the first op that adds into
// it, unless that op writes the whole gradient (see initGrad and
// takeLazy), which saves a pass over memory per tensor.
func (tp *Tape[T]) newOut(grad bool, shape ...int) *Tensor[T] {
	t := tp.tensors.get()
	t.setShape(shape)
	n := numel(shape)
	t.Data = tp.vals.alloc(n)
	if grad && tp.grad {
		t.Grad = tp.vals.alloc(n)
		t.lazy = &tp.flags.alloc(1)[0]
		*t.lazy = true
	}
	return t
}

// initGrad zeroes t's gradient buffer if it is still lazy.
func initGrad[T Float](t *Tensor[T]) {
	if t.lazy != nil && *t.lazy {
		clear(t.Grad)
		*t.lazy = false
	}
}

// takeLazy reports whether t's gradient buffer is still lazy (unwritten,
// standing for zeros) and marks it written: the caller must then write
// the whole gradient instead of adding to it.
func takeLazy[T Float](t *Tensor[T]) bool {
	if t.lazy != nil && *t.lazy {
		*t.lazy = false
		return true
	}
	return false
}

// newLike makes an output of x's shape.
func (tp *Tape[T]) newLike(x *Tensor[T], grad bool) *Tensor[T] {
	return tp.newOut(grad, x.Shape()...)
}

// scratch returns n values of arena memory, zeroed when zero is true.
func (tp *Tape[T]) scratch(n int, zero bool) []T {
	if zero {
		return tp.vals.allocZero(n)
	}
	return tp.vals.alloc(n)
}

// record appends a node and returns it for the op to fill.
func (tp *Tape[T]) record(op opKind, out *Tensor[T]) *node[T] {
	tp.nodes = append(tp.nodes, node[T]{op: op, out: out})
	return &tp.nodes[len(tp.nodes)-1]
}

// needs reports whether an op on these inputs must be recorded.
func needs[T Float](tp *Tape[T], ins ...*Tensor[T]) bool {
	if !tp.grad {
		return false
	}
	for _, t := range ins {
		if t != nil && t.Grad != nil {
			return true
		}
	}
	return false
}

// Backward computes the gradient of the scalar loss with respect to every
// tensor on the tape that receives one, accumulating into parameter
// gradients (Param.Grad). It runs at most once per Reset.
func (tp *Tape[T]) Backward(loss *Tensor[T]) {
	if !tp.grad {
		panic("nn: Backward on a tape in Eval mode")
	}
	if tp.done {
		panic("nn: Backward called twice without Reset")
	}
	if len(loss.Data) != 1 {
		panic(fmt.Sprintf("nn: Backward needs a scalar loss, got shape %v", loss.Shape()))
	}
	tp.done = true
	if loss.Grad == nil {
		return // nothing the loss depends on receives a gradient
	}
	initGrad(loss)
	loss.Grad[0] += 1
	loss.reached = true
	for i := len(tp.nodes) - 1; i >= 0; i-- {
		n := &tp.nodes[i]
		if !n.out.reached {
			continue
		}
		for k, in := range n.in {
			if in != nil && !n.writesGrad(k) {
				initGrad(in)
			}
		}
		n.backward(tp)
		for _, in := range n.in {
			if in != nil && in.Grad != nil {
				in.reached = true
			}
		}
	}
	// Gradients that no op reached are zero.
	for i := range tp.nodes {
		initGrad(tp.nodes[i].out)
	}
}

// arena hands out slices of one slab in order. When a pass asks for more
// than the slab holds, the excess is allocated separately and the next
// reset replaces the slab by one large enough for the whole pass, so a
// repeated pass allocates nothing.
type arena[E any] struct {
	slab  []E
	off   int
	need  int
	extra int
}

const arenaAlign = 16 // elements; keeps slices 64-byte aligned for float32

func (a *arena[E]) alloc(n int) []E {
	r := (n + arenaAlign - 1) &^ (arenaAlign - 1)
	a.need += r
	if a.off+r <= len(a.slab) {
		s := a.slab[a.off : a.off+n : a.off+n]
		a.off += r
		return s
	}
	a.extra += r
	return make([]E, n, r)
}

func (a *arena[E]) allocZero(n int) []E {
	s := a.alloc(n)
	clear(s)
	return s
}

func (a *arena[E]) reset() {
	if a.extra > 0 {
		a.slab = make([]E, a.need+a.need/8)
	}
	a.off, a.need, a.extra = 0, 0, 0
}

const poolChunk = 128

// tensorPool recycles Tensor headers in fixed chunks so pointers stay valid.
type tensorPool[T Float] struct {
	chunks []*[poolChunk]Tensor[T]
	n      int
}

func (p *tensorPool[T]) get() *Tensor[T] {
	c := p.n / poolChunk
	if c == len(p.chunks) {
		p.chunks = append(p.chunks, new([poolChunk]Tensor[T]))
	}
	t := &p.chunks[c][p.n%poolChunk]
	p.n++
	*t = Tensor[T]{}
	return t
}

func (p *tensorPool[T]) reset() { p.n = 0 }
