// Package nn is the function-approximator engine under every amortized
// optimizer in argmax: float32 tensors, reverse-mode automatic
// differentiation on a tape, the layers the experiments use (Linear,
// Conv2D, residual blocks, LayerNorm, BatchNorm, embeddings, softmax and
// linear multi-head attention, pre-norm transformer blocks), losses (MSE,
// Huber, cross-entropy with integer or soft targets, Gaussian negative
// log-likelihood), optimizers (SGD with momentum, Adam, AdamW) with
// gradient clipping and learning-rate schedules, seeded initializers, and
// checkpoints in the safetensors format (see the safetensors subpackage).
// Matrix products go to the gemm subpackage; the elementwise work around
// them on float32 paths (bias and ReLU, the ReLU gradient mask, GELU and
// its gradient, exp for softmax, the Adam update) runs in AVX2 kernels of
// nn/internal/vec, so a training step spends its time in the products.
//
// # Using it
//
// A model is a struct of layers whose parameters are named Params
// (PyTorch-style dotted names, the keys of checkpoints). A forward pass
// records operations on a Tape:
//
//	net := nn.NewMLP[float32](nn.NewRand(seed), "mlp", []int{64, 256, 10}, nn.ReLU, nn.Identity)
//	opt := nn.NewAdam(net.Params(), nn.ConstLR(1e-3))
//	tp := nn.NewTape[float32](nn.Train)
//	for step := range steps {
//		tp.Reset()
//		loss := tp.CrossEntropy(net.Forward(tp, tp.Const(x, batch, 64)), labels)
//		tp.Backward(loss) // accumulates into Param.Grad
//		opt.Step()        // updates, then zeroes the gradients
//	}
//
// Inference uses the same Forward on a tape in Eval mode, which records
// nothing and makes BatchNorm use its running statistics.
//
// # Counting cost
//
// A tape counts the FLOPs of the matrix products it runs (MatMul, Linear,
// Conv2D as the product of its im2col matrix, attention; forward and
// backward), 2 per
// multiply-add: Tape.FLOPs, read before and after a pass. Deciders built on
// a net report that count in their argmax.Cost rather than declaring a
// constant.
//
// # Why a reused tape with arenas (and not a compiled forward plan)
//
// The nets run inside search loops (MCTS evaluating thousands of small
// batches per second) and in training loops, so a pass must not allocate.
// A Tape owns an arena for values, one for indices and a pool of tensor
// headers; Reset rewinds them, and a pass that repeats the previous pass's
// sequence of operations (the steady state of any loop) gets the same
// memory back and allocates nothing. When a pass needs more (a larger
// batch), the excess is allocated once and the next Reset grows the arena
// to fit. Recorded operations are plain structs in a reused slice, with a
// switch instead of closures for the backward pass, so recording does not
// allocate either.
//
// This keeps one forward implementation for training and inference: a
// separately compiled inference plan would have to be kept in step with the
// training code for every layer, while here the only difference is the
// tape's mode. The cost is a few nanoseconds of bookkeeping per operation,
// negligible beside the matrix products. Tensors handed back by a tape are
// valid until its next Reset; copy what must outlive it. A tape is not
// safe for concurrent use: give each goroutine (each search worker) its
// own, sharing the read-only model.
//
// # Layouts
//
// Tensors are row-major. Linear weights are [in, out] and convolution
// weights [k, k, in, out] (the kernel layouts of TensorFlow and Flax), so
// the forward product x·W needs no transposition: that is measurably
// faster for the small batches of search loops. Convolutions work on
// channels-last images [n, h, w, c], so that the channels of a pixel are
// adjacent (a convolution's kernel row reads one contiguous run of input)
// and BatchNorm and biases act on the last axis for images and vectors
// alike; ToNHWC converts the planes-first observations that game states
// encode. Attention takes [batch, time, dim].
//
// # Convolutions and threads
//
// The 3×3 convolutions with padding 1 of residual towers run on their own
// engine (conv.go): blocks of output rows gather a third of an im2col
// buffer into cache and multiply it as one segmented product
// (gemm.SgemmSegments), with batch-norm scale and shift, residual and
// activation fused into the block's epilogue at inference; their
// gradients are convolutions and products of the same kind. Other kernel
// sizes are one product over an im2col buffer. The passes over a batch —
// these convolutions, BatchNorm and BatchNormAct, and large matrix
// products — are cut into chunks that the calling goroutine and a pool of
// workers share (gemm.SetThreads sets how many, default GOMAXPROCS).
//
// # Precision and gradient checks
//
// Every type and operation is generic over Float (float32 | float64).
// Models train and run in float32; the tests build the same models in
// float64, from the same seeds, and compare every op's and layer's analytic
// gradient with central finite differences, and the float32 results with
// the float64 ones.
//
// # Determinism
//
// Initializers draw from a caller-supplied math/rand/v2 generator (NewRand
// seeds a PCG); every kernel sums in a fixed order. Work split over
// threads is cut into chunks that depend only on the shapes, each output
// written by one goroutine, and partial sums (batch statistics, weight
// gradients) added in chunk order, so the thread count changes nothing.
// The same seed and data give the same weights and the same training
// curve, bit for bit, on the same machine, at any GOMAXPROCS.
package nn
