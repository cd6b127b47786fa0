package nn

import (
	"fmt"
	"unsafe"
)

// Float is the element type of tensors: float32 for training and inference,
// float64 for gradient checks against finite differences.
type Float interface {
	~float32 | ~float64
}

// MaxRank is the largest number of axes a Tensor may have.
const MaxRank = 4

// Tensor is an n-dimensional array of T in row-major order, with an optional
// gradient buffer of the same length. Tensors made by a Tape live in the tape's
// arena and are valid until the tape's next Reset.
type Tensor[T Float] struct {
	// Data holds the values in row-major order.
	Data []T
	// Grad holds dLoss/dData after Tape.Backward; it is nil when no
	// gradient flows into the tensor (constants, inference tapes). Before
	// Backward, the buffer of an op's output holds no meaningful values
	// (it is zeroed, or overwritten, only when Backward reaches it).
	Grad []T

	shape   [MaxRank]int
	rank    int
	reached bool // set during Backward when a gradient has arrived
	// lazy, for the outputs of ops (and views of them), points to a flag
	// shared by every tensor on the same gradient buffer: while it is set,
	// the buffer has not been written and stands for zeros (see initGrad).
	lazy *bool
}

// Shape returns the tensor's dimensions. The slice aliases the tensor; do not
// modify it.
func (t *Tensor[T]) Shape() []int { return t.shape[:t.rank] }

// Rank returns the number of axes.
func (t *Tensor[T]) Rank() int { return t.rank }

// Dim returns the size of axis i; negative i counts from the end (-1 is the
// last axis).
func (t *Tensor[T]) Dim(i int) int {
	if i < 0 {
		i += t.rank
	}
	if i < 0 || i >= t.rank {
		panic(fmt.Sprintf("nn: axis %d out of range for shape %v", i, t.Shape()))
	}
	return t.shape[i]
}

// Len returns the number of elements.
func (t *Tensor[T]) Len() int { return len(t.Data) }

// Rows returns the product of all dimensions but the last: the number of
// vectors the tensor holds along its last axis.
func (t *Tensor[T]) Rows() int {
	if t.rank == 0 {
		return 1
	}
	return len(t.Data) / max(t.shape[t.rank-1], 1)
}

// Cols returns the size of the last axis (1 for a scalar).
func (t *Tensor[T]) Cols() int {
	if t.rank == 0 {
		return 1
	}
	return t.shape[t.rank-1]
}

// Item returns the single value of a one-element tensor, such as a loss.
func (t *Tensor[T]) Item() float64 {
	if len(t.Data) != 1 {
		panic(fmt.Sprintf("nn: Item on tensor of shape %v", t.Shape()))
	}
	return float64(t.Data[0])
}

// String describes the tensor's shape, not its values.
func (t *Tensor[T]) String() string {
	var z T
	return fmt.Sprintf("Tensor[%s]%v", typeName(z), t.Shape())
}

func (t *Tensor[T]) setShape(shape []int) {
	if len(shape) > MaxRank {
		panic(fmt.Sprintf("nn: rank %d exceeds MaxRank %d", len(shape), MaxRank))
	}
	t.rank = copy(t.shape[:], shape)
}

// numel returns the product of the dimensions, panicking on negative ones.
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("nn: negative dimension in shape %v", dims(shape)))
		}
		n *= d
	}
	return n
}

func typeName[T Float](z T) string {
	if unsafe.Sizeof(z) == 4 {
		return "float32"
	}
	return "float64"
}

func is32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// as32 reinterprets a []T whose element type is float32 underneath.
func as32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// dims copies a shape for an error message, so that formatting it does not
// make the caller's slice escape to the heap.
func dims(s []int) []int { return append([]int(nil), s...) }
