package nn

import (
	"fmt"
	"math/rand/v2"
)

// MultiHeadAttention is self-attention with a fused query/key/value
// projection and an output projection, over inputs of shape [b, t, dim].
type MultiHeadAttention[T Float] struct {
	QKV, Out *Linear[T]
	Heads    int
	Causal   bool // position i sees only positions ≤ i
	Linear   bool // kernelized linear attention instead of softmax
}

// NewMultiHeadAttention returns attention over vectors of size dim split
// into heads heads (dim must be divisible by heads).
func NewMultiHeadAttention[T Float](rng *rand.Rand, name string, dim, heads int, causal, linear bool) *MultiHeadAttention[T] {
	if heads <= 0 || dim%heads != 0 {
		panic(fmt.Sprintf("nn: attention %s: dim %d not divisible by %d heads", name, dim, heads))
	}
	return &MultiHeadAttention[T]{
		QKV:   NewLinear[T](rng, name+".qkv", dim, 3*dim, Identity),
		Out:   NewLinear[T](rng, name+".out", dim, dim, Identity),
		Heads: heads, Causal: causal, Linear: linear,
	}
}

// Params returns the projections' parameters.
func (m *MultiHeadAttention[T]) Params() []*Param[T] { return Collect[T](m.QKV, m.Out) }

// Forward attends over x of shape [b, t, dim].
func (m *MultiHeadAttention[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	qkv := m.QKV.Forward(tp, x)
	var a *Tensor[T]
	if m.Linear {
		a = tp.LinearAttention(qkv, m.Heads, m.Causal)
	} else {
		a = tp.Attention(qkv, m.Heads, m.Causal)
	}
	return m.Out.Forward(tp, a)
}

// TransformerBlock is a pre-norm transformer layer:
// x + attn(ln1(x)), then + mlp(ln2(x)) with a GELU hidden layer.
type TransformerBlock[T Float] struct {
	LN1  *LayerNorm[T]
	Attn *MultiHeadAttention[T]
	LN2  *LayerNorm[T]
	FC1  *Linear[T]
	FC2  *Linear[T]
}

// NewTransformerBlock returns a block over vectors of size dim with the
// given head count and MLP hidden width.
func NewTransformerBlock[T Float](rng *rand.Rand, name string, dim, heads, hidden int, causal, linear bool) *TransformerBlock[T] {
	return &TransformerBlock[T]{
		LN1:  NewLayerNorm[T](name+".ln1", dim),
		Attn: NewMultiHeadAttention[T](rng, name+".attn", dim, heads, causal, linear),
		LN2:  NewLayerNorm[T](name+".ln2", dim),
		FC1:  NewLinear[T](rng, name+".fc1", dim, hidden, GELU),
		FC2:  NewLinear[T](rng, name+".fc2", hidden, dim, Identity),
	}
}

// Params returns the block's parameters.
func (b *TransformerBlock[T]) Params() []*Param[T] {
	return Collect[T](b.LN1, b.Attn, b.LN2, b.FC1, b.FC2)
}

// Forward applies the block to x of shape [b, t, dim].
func (b *TransformerBlock[T]) Forward(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	x = tp.Add(x, b.Attn.Forward(tp, b.LN1.Forward(tp, x)))
	return tp.Add(x, b.FC2.Forward(tp, b.FC1.Forward(tp, b.LN2.Forward(tp, x))))
}

// TransformerConfig sizes a Transformer.
type TransformerConfig struct {
	Vocab   int  // token ids in [0, Vocab); 0 for models fed embeddings only
	MaxLen  int  // longest sequence (size of the positional table)
	Dim     int  // model width
	Heads   int  // attention heads per block
	Layers  int  // number of blocks
	Hidden  int  // MLP width (0: 4·Dim)
	Out     int  // output width (logits or regression targets)
	Causal  bool // causal attention mask
	LinAttn bool // linear attention in place of softmax attention
}

// Transformer is a small sequence model: token (or given) embeddings plus
// learned positions, pre-norm blocks, a final LayerNorm and a linear head
// applied at every position.
type Transformer[T Float] struct {
	Config TransformerConfig
	Tok    *Embedding[T] // nil when Vocab is 0
	Pos    *Param[T]     // [MaxLen, Dim]
	Blocks []*TransformerBlock[T]
	LN     *LayerNorm[T]
	Head   *Linear[T]
}

// NewTransformer builds the model with parameters named under name.
func NewTransformer[T Float](rng *rand.Rand, name string, cfg TransformerConfig) *Transformer[T] {
	if cfg.Dim <= 0 || cfg.MaxLen <= 0 || cfg.Heads <= 0 || cfg.Out <= 0 || cfg.Layers < 0 {
		panic(fmt.Sprintf("nn: invalid TransformerConfig %+v", cfg))
	}
	if cfg.Hidden <= 0 {
		cfg.Hidden = 4 * cfg.Dim
	}
	m := &Transformer[T]{Config: cfg}
	if cfg.Vocab > 0 {
		m.Tok = NewEmbedding[T](rng, name+".tok", cfg.Vocab, cfg.Dim)
	}
	m.Pos = NewParam[T](name+".pos", cfg.MaxLen, cfg.Dim)
	m.Pos.Init(rng, Normal(0.1))
	for i := 0; i < cfg.Layers; i++ {
		m.Blocks = append(m.Blocks, NewTransformerBlock[T](rng, fmt.Sprintf("%s.block%d", name, i), cfg.Dim, cfg.Heads, cfg.Hidden, cfg.Causal, cfg.LinAttn))
	}
	m.LN = NewLayerNorm[T](name+".ln", cfg.Dim)
	m.Head = NewLinear[T](rng, name+".head", cfg.Dim, cfg.Out, Identity)
	return m
}

// Params returns every parameter of the model.
func (m *Transformer[T]) Params() []*Param[T] {
	var ps []*Param[T]
	if m.Tok != nil {
		ps = append(ps, m.Tok.Params()...)
	}
	ps = append(ps, m.Pos)
	for _, b := range m.Blocks {
		ps = append(ps, b.Params()...)
	}
	return append(ps, Collect[T](m.LN, m.Head)...)
}

// Forward embeds ids, a batch of sequences of the given length stored one
// after another (len(ids) = batch·length), and returns [batch, length, Out].
func (m *Transformer[T]) Forward(tp *Tape[T], ids []int, batch, length int) *Tensor[T] {
	if m.Tok == nil {
		panic("nn: Transformer without a vocabulary takes embeddings (ForwardEmbedded)")
	}
	if len(ids) != batch*length {
		panic(fmt.Sprintf("nn: Transformer got %d ids for %d×%d", len(ids), batch, length))
	}
	x := tp.Reshape(m.Tok.Forward(tp, ids), batch, length, m.Config.Dim)
	return m.ForwardEmbedded(tp, x)
}

// ForwardEmbedded runs the model on vectors x of shape [batch, length, Dim]
// (for inputs that are not tokens, such as (x, y) pairs in in-context
// regression), adding the positional table first.
func (m *Transformer[T]) ForwardEmbedded(tp *Tape[T], x *Tensor[T]) *Tensor[T] {
	if x.rank != 3 || x.shape[2] != m.Config.Dim || x.shape[1] > m.Config.MaxLen {
		panic(fmt.Sprintf("nn: Transformer wants [batch, ≤%d, %d], got %v", m.Config.MaxLen, m.Config.Dim, x.Shape()))
	}
	L, D := x.shape[1], x.shape[2]
	pos := tp.paramRows(m.Pos, L)
	h := tp.Add(x, tp.Reshape(pos, L, D))
	for _, b := range m.Blocks {
		h = b.Forward(tp, h)
	}
	return m.Head.Forward(tp, m.LN.Forward(tp, h))
}

// paramRows returns a leaf aliasing the first rows of a matrix parameter.
func (tp *Tape[T]) paramRows(p *Param[T], rows int) *Tensor[T] {
	cols := len(p.Data) / p.shape[0]
	t := tp.tensors.get()
	t.setShape([]int{rows, cols})
	t.Data = p.Data[:rows*cols]
	if tp.grad && p.Grad != nil {
		t.Grad = p.Grad[:rows*cols]
	}
	return t
}
