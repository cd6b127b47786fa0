package nn

// opKind identifies the operation a node records.
type opKind uint8

const (
	opView opKind = iota
	opAdd
	opSub
	opMul
	opScale
	opAct
	opExp
	opLog
	opSquare
	opClamp
	opMinimum
	opSum
	opMean
	opSumLast
	opGather
	opSliceLast
	opConcatLast
	opMatMul
	opLinear
	opConv
	opSoftmax
	opLogSoftmax
	opLayerNorm
	opBatchNorm
	opEmbedding
	opAttention
	opLinAttention
	opMSE
	opCrossEntropy
	opSoftCrossEntropy
	opGaussianNLL
	opHuber
	opToNHWC
)

// node is one recorded operation: its inputs, output and whatever the
// backward pass needs (saved buffers, indices, scalars). Nodes are plain
// values in a reused slice, so recording allocates nothing.
type node[T Float] struct {
	op         opKind
	act        Act
	flag       bool
	out        *Tensor[T]
	in         [4]*Tensor[T]
	s1, s2, s3 []T
	idx        []int
	i0, i1, i2 int
	f0, f1     float64
}

// writesGrad reports whether the op's backward pass writes input k's whole
// gradient when that gradient is still lazy (see takeLazy), so Backward
// need not zero it first: the 3×3 convolution's input and the batch norm's
// input and residual.
func (n *node[T]) writesGrad(k int) bool {
	switch n.op {
	case opConv:
		return k == 0 && n.s1 == nil
	case opBatchNorm:
		return k == 0 || k == 3
	}
	return false
}

func (n *node[T]) backward(tp *Tape[T]) {
	switch n.op {
	case opView:
		// shares memory with its input: nothing to do
	case opAdd, opSub:
		backAddSub(n)
	case opMul:
		backMul(n)
	case opScale:
		backScale(n)
	case opAct:
		backAct(n)
	case opExp, opLog, opSquare:
		backPointwise(n)
	case opClamp:
		backClamp(n)
	case opMinimum:
		backMinimum(n)
	case opSum, opMean:
		backSum(n)
	case opSumLast:
		backSumLast(n)
	case opGather:
		backGather(n)
	case opSliceLast:
		backSliceLast(n)
	case opConcatLast:
		backConcatLast(n)
	case opMatMul:
		backMatMul(tp, n)
	case opLinear:
		backLinear(tp, n)
	case opConv:
		backConv(tp, n)
	case opSoftmax:
		backSoftmax(n)
	case opLogSoftmax:
		backLogSoftmax(n)
	case opLayerNorm:
		backLayerNorm(n)
	case opBatchNorm:
		backBatchNorm(tp, n)
	case opEmbedding:
		backEmbedding(n)
	case opAttention:
		backAttention(tp, n)
	case opLinAttention:
		backLinAttention(tp, n)
	case opMSE:
		backMSE(n)
	case opCrossEntropy, opSoftCrossEntropy:
		backCrossEntropy(n)
	case opGaussianNLL:
		backGaussianNLL(n)
	case opHuber:
		backHuber(n)
	case opToNHWC:
		backToNHWC(n)
	default:
		panic("nn: unknown op in backward")
	}
}
