package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ResBlock is the residual block of AlphaZero-style nets:
// relu(x + bn2(conv2(relu(bn1(conv1(x)))))), with 3×3 convolutions that keep
// the board size and channel count.
type ResBlock[T Float] struct {
	Conv1, Conv2 *Conv2D[T]
	BN1, BN2     *BatchNorm[T]
}

// NewResBlock returns a residual block over c channels.
func NewResBlock[T Float](rng *rand.Rand, name string, c int) *ResBlock[T] {
	return &ResBlock[T]{
		Conv1: NewConv2D[T](rng, name+".conv1", c, c, 3, 1, false, Identity),
		BN1:   NewBatchNorm[T](name+".bn1", c),
		Conv2: NewConv2D[T](rng, name+".conv2", c, c, 3, 1, false, Identity),
		BN2:   NewBatchNorm[T](name+".bn2", c),
	}
}

// Params returns the parameters of both convolutions and norms.
func (r *ResBlock[T]) Params() []*Param[T] {
	return Collect[T](r.Conv1, r.BN1, r.Conv2, r.BN2)
}

// Forward applies the block to x of shape [n, h, w, c]. On an Eval tape
// the two convolutions run image by image in one pass (the intermediate
// image stays in cache), with the same results as one after the other.
func (r *ResBlock[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	if !tp.grad && !tp.train && r.fusable(x) {
		N, H, W, C := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
		s1, b1 := bnAffine(tp, r.Conv1, r.BN1)
		s2, b2 := bnAffine(tp, r.Conv2, r.BN2)
		y := tp.newOut(false, N, H, W, C)
		tp.resBlock3(x.Data, r.Conv1.W.Data, r.Conv2.W.Data, y.Data, s1, b1, s2, b2, N, H, W, C)
		return y
	}
	h := ConvBN(tp, r.Conv1, r.BN1, x, ReLU)
	return ConvBNAdd(tp, r.Conv2, r.BN2, h, x, ReLU)
}

// fusable reports whether the block's convolutions are the 3×3, padding-1,
// channel-preserving ones of NewResBlock and x fits them.
func (r *ResBlock[T]) fusable(x *Tensor[T]) bool {
	if x.rank != 4 {
		return false
	}
	C := x.shape[3]
	for _, c := range []*Conv2D[T]{r.Conv1, r.Conv2} {
		if s := c.W.shape; s[0] != 3 || s[1] != 3 || s[2] != C || s[3] != C || c.Pad != 1 || c.Act != Identity {
			return false
		}
	}
	return len(r.BN1.Gamma.Data) == C && len(r.BN2.Gamma.Data) == C
}

// bnAffine returns the per-channel scale and shift that apply bn (running
// statistics) to the output of conv, its bias included.
func bnAffine[T Float](tp *Tape[T], conv *Conv2D[T], bn *BatchNorm[T]) (scale, shift []T) {
	cout := len(bn.Gamma.Data)
	scale, shift = tp.scratch(cout, false), tp.scratch(cout, false)
	for c := range scale {
		scale[c] = bn.Gamma.Data[c] * T(1/math.Sqrt(float64(bn.Var.Data[c])+bn.Eps))
		var cb T
		if conv.B != nil {
			cb = conv.B.Data[c]
		}
		shift[c] = bn.Beta.Data[c] + (cb-bn.Mean.Data[c])*scale[c]
	}
	return scale, shift
}

// ConvBN returns act(bn(conv(x))); see ConvBNAdd.
func ConvBN[T Float](tp *Tape[T], conv *Conv2D[T], bn *BatchNorm[T], x *Tensor[T], act Act) *Tensor[T] {
	return ConvBNAdd(tp, conv, bn, x, nil, act)
}

// ConvBNAdd returns act(bn(conv(x)) + res), res (of the output's shape)
// nil for none. On an Eval tape the normalisation (running statistics) is
// applied as a per-channel scale and shift in the convolution's epilogue,
// with the residual and the activation, so the whole step is one pass; on
// other tapes the convolution is followed by one BatchNormAct.
func ConvBNAdd[T Float](tp *Tape[T], conv *Conv2D[T], bn *BatchNorm[T], x, res *Tensor[T], act Act) *Tensor[T] {
	cout := conv.W.shape[3]
	if len(bn.Gamma.Data) != cout {
		panic(fmt.Sprintf("nn: ConvBN of %d-channel convolution %s with %d-channel norm %s", cout, conv.W.Name, len(bn.Gamma.Data), bn.Gamma.Name))
	}
	if tp.grad || tp.train || conv.Act != Identity {
		return tp.BatchNormAct(conv.Forward(tp, x), tp.Param(bn.Gamma), tp.Param(bn.Beta), bn.Mean.Data, bn.Var.Data, bn.Momentum, bn.Eps, res, act)
	}
	scale, shift := bnAffine(tp, conv, bn)
	var rd []T
	if res != nil {
		rd = res.Data
	}
	k, pad := conv.W.shape[0], conv.Pad
	if x.rank == 4 && k == 3 && pad == 1 && x.shape[3] == conv.W.shape[2] {
		N, H, W, C := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
		y := tp.newOut(false, N, H, W, cout)
		if res != nil && !sameShape(res.Shape(), y.Shape()) {
			panic(fmt.Sprintf("nn: ConvBNAdd output %v with a residual of shape %v", y.Shape(), res.Shape()))
		}
		tp.conv3(x.Data, conv.W.Data, y.Data, N, H, W, C, cout, false, scale, shift, rd, act, nil)
		return y
	}
	// Other kernels (the heads' 1×1 convolutions): fold the scale into the
	// weights.
	w := tp.newOut(false, conv.W.shape...)
	for r := 0; r < len(w.Data); r += cout {
		wr, src := w.Data[r:r+cout], conv.W.Data[r:r+cout]
		for c := range wr {
			wr[c] = src[c] * scale[c]
		}
	}
	b := tp.Const(shift, cout)
	if res == nil {
		return tp.Conv2D(x, w, b, pad, act)
	}
	y := tp.Conv2D(x, w, b, pad, Identity)
	if !sameShape(res.Shape(), y.Shape()) {
		panic(fmt.Sprintf("nn: ConvBNAdd output %v with a residual of shape %v", y.Shape(), res.Shape()))
	}
	epilogue(y.Data, nil, nil, rd, cout, act, nil)
	return y
}

// PolicyValueConfig sizes a PolicyValueNet.
type PolicyValueConfig struct {
	Planes, Height, Width int // input observation [planes, height, width]
	Blocks, Channels      int // residual tower
	Policy                int // number of policy logits (moves)
	ValueHidden           int // width of the value head's hidden layer
}

// Connect4Config is the connect-four net of the acceptance tests: 2 input
// planes of 6×7, 5 residual blocks of 64 channels, 7 policy logits.
var Connect4Config = PolicyValueConfig{Planes: 2, Height: 6, Width: 7, Blocks: 5, Channels: 64, Policy: 7, ValueHidden: 64}

// PolicyValueNet is an AlphaZero-style residual tower with a policy head
// (move logits) and a value head (tanh, in [-1, 1]) for board games.
type PolicyValueNet[T Float] struct {
	Config PolicyValueConfig
	Stem   *Conv2D[T]
	StemBN *BatchNorm[T]
	Blocks []*ResBlock[T]
	PConv  *Conv2D[T]
	PBN    *BatchNorm[T]
	PFC    *Linear[T]
	VConv  *Conv2D[T]
	VBN    *BatchNorm[T]
	VFC1   *Linear[T]
	VFC2   *Linear[T]
}

// NewPolicyValueNet builds the net with parameters named under name.
func NewPolicyValueNet[T Float](rng *rand.Rand, name string, cfg PolicyValueConfig) *PolicyValueNet[T] {
	if cfg.Planes <= 0 || cfg.Height <= 0 || cfg.Width <= 0 || cfg.Channels <= 0 || cfg.Policy <= 0 || cfg.Blocks < 0 {
		panic(fmt.Sprintf("nn: invalid PolicyValueConfig %+v", cfg))
	}
	if cfg.ValueHidden <= 0 {
		cfg.ValueHidden = 64
	}
	hw := cfg.Height * cfg.Width
	n := &PolicyValueNet[T]{
		Config: cfg,
		Stem:   NewConv2D[T](rng, name+".stem", cfg.Planes, cfg.Channels, 3, 1, false, Identity),
		StemBN: NewBatchNorm[T](name+".stem_bn", cfg.Channels),
		PConv:  NewConv2D[T](rng, name+".policy.conv", cfg.Channels, 2, 1, 0, false, Identity),
		PBN:    NewBatchNorm[T](name+".policy.bn", 2),
		PFC:    NewLinear[T](rng, name+".policy.fc", 2*hw, cfg.Policy, Identity),
		VConv:  NewConv2D[T](rng, name+".value.conv", cfg.Channels, 1, 1, 0, false, Identity),
		VBN:    NewBatchNorm[T](name+".value.bn", 1),
		VFC1:   NewLinear[T](rng, name+".value.fc1", hw, cfg.ValueHidden, ReLU),
		VFC2:   NewLinear[T](rng, name+".value.fc2", cfg.ValueHidden, 1, Tanh),
	}
	for i := 0; i < cfg.Blocks; i++ {
		n.Blocks = append(n.Blocks, NewResBlock[T](rng, fmt.Sprintf("%s.block%d", name, i), cfg.Channels))
	}
	return n
}

// Params returns every parameter and buffer of the net.
func (n *PolicyValueNet[T]) Params() []*Param[T] {
	ps := Collect[T](n.Stem, n.StemBN)
	for _, b := range n.Blocks {
		ps = append(ps, b.Params()...)
	}
	return append(ps, Collect[T](n.PConv, n.PBN, n.PFC, n.VConv, n.VBN, n.VFC1, n.VFC2)...)
}

// Forward evaluates observations x of shape [n, planes, height, width]
// (planes first, as game.State.Encode writes them) and returns the policy
// logits [n, policy] and the values [n, 1].
func (n *PolicyValueNet[T]) Forward(tp *Tape[T], x *Tensor[T]) (policy, value *Tensor[T]) {
	c := n.Config
	if x.rank != 4 || x.shape[1] != c.Planes || x.shape[2] != c.Height || x.shape[3] != c.Width {
		panic(fmt.Sprintf("nn: PolicyValueNet wants [n, %d, %d, %d], got %v", c.Planes, c.Height, c.Width, x.Shape()))
	}
	h := ConvBN(tp, n.Stem, n.StemBN, tp.ToNHWC(x), ReLU)
	for _, b := range n.Blocks {
		h = b.Forward(tp, h)
	}
	N := x.shape[0]
	p := ConvBN(tp, n.PConv, n.PBN, h, ReLU)
	policy = n.PFC.Forward(tp, tp.Reshape(p, N, -1))
	v := ConvBN(tp, n.VConv, n.VBN, h, ReLU)
	value = n.VFC2.Forward(tp, n.VFC1.Forward(tp, tp.Reshape(v, N, -1)))
	return policy, value
}
