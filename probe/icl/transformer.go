package icl

import (
	"fmt"

	"argmax/nn"
	"argmax/task/linreg"
)

// Transformer is a small sequence model on the token layout: a linear
// embedding of the (d+1)-wide tokens, an nn.Transformer (learned
// positions, pre-norm blocks with softmax or linear attention, final
// LayerNorm) and a scalar head read at the query position.
type Transformer struct {
	D   int // token width d+1
	In  *nn.Linear[float32]
	Net *nn.Transformer[float32]

	tape *nn.Tape[float32]
	buf  []float32
}

// TransformerConfig configures TrainTransformer.
type TransformerConfig struct {
	Config
	Dim    int  // model width (0: 32)
	Heads  int  // attention heads (0: 4)
	Layers int  // blocks (0: 2)
	Hidden int  // MLP width (0: 4·Dim)
	Linear bool // nn's kernelized linear attention instead of softmax
}

func (c TransformerConfig) withDefaults() TransformerConfig {
	if c.Dim == 0 {
		c.Dim = 32
	}
	if c.Heads == 0 {
		c.Heads = 4
	}
	if c.Layers == 0 {
		c.Layers = 2
	}
	if c.Hidden == 0 {
		c.Hidden = 4 * c.Dim
	}
	return c
}

// Validate reports the first bad field of c (after defaults).
func (c TransformerConfig) Validate() error {
	if err := c.Config.Validate(); err != nil {
		return err
	}
	c = c.withDefaults()
	switch {
	case c.Dim < 1:
		return fmt.Errorf("icl: TransformerConfig.Dim = %d: want ≥ 1", c.Dim)
	case c.Heads < 1 || c.Dim%c.Heads != 0:
		return fmt.Errorf("icl: TransformerConfig.Heads = %d: want ≥ 1 dividing Dim = %d", c.Heads, c.Dim)
	case c.Layers < 1:
		return fmt.Errorf("icl: TransformerConfig.Layers = %d: want ≥ 1", c.Layers)
	case c.Hidden < 1:
		return fmt.Errorf("icl: TransformerConfig.Hidden = %d: want ≥ 1", c.Hidden)
	}
	return nil
}

// NewTransformer returns an untrained model for prompts of dimension d
// and n examples, initialized from seed.
func NewTransformer(d, n int, cfg TransformerConfig, seed uint64) (*Transformer, error) {
	cfg = cfg.withDefaults()
	if d < 1 || n < 1 {
		return nil, fmt.Errorf("icl: NewTransformer: d = %d, n = %d: want ≥ 1", d, n)
	}
	rng := nn.NewRand(seed)
	return &Transformer{
		D:  d + 1,
		In: nn.NewLinear[float32](rng, "icl.in", d+1, cfg.Dim, nn.Identity),
		Net: nn.NewTransformer[float32](rng, "icl.tf", nn.TransformerConfig{
			MaxLen: n + 1, Dim: cfg.Dim, Heads: cfg.Heads, Layers: cfg.Layers,
			Hidden: cfg.Hidden, Out: 1, LinAttn: cfg.Linear,
		}),
		tape: nn.NewTape[float32](nn.Train),
	}, nil
}

// Params returns every trainable parameter.
func (m *Transformer) Params() []*nn.Param[float32] {
	return append(m.In.Params(), m.Net.Params()...)
}

// Name is "transformer" or "transformer-linear".
func (m *Transformer) Name() string {
	if m.Net.Config.LinAttn {
		return "transformer-linear"
	}
	return "transformer"
}

// forward records the predictions of ps on the tape, the token batch a
// leaf with a gradient; it returns the predictions [len(ps)] and the
// token tensor.
func (m *Transformer) forward(ps []linreg.Prompt) (pred, tokens *nn.Tensor[float32]) {
	L := ps[0].N + 1
	n := len(ps) * L * m.D
	if cap(m.buf) < n {
		m.buf = make([]float32, n)
	}
	buf := m.buf[:n]
	var tok []float64
	for i := range ps {
		if ps[i].N+1 != L || ps[i].D+1 != m.D {
			panic(fmt.Sprintf("icl: prompt %d is %d×%d, the batch %d×%d", i, ps[i].N, ps[i].D, L-1, m.D-1))
		}
		tok = ps[i].Tokens(tok)
		for j, v := range tok {
			buf[i*L*m.D+j] = float32(v)
		}
	}
	tp := m.tape
	tp.Reset()
	tokens = tp.Var(buf, len(ps), L, m.D)
	out := m.Net.ForwardEmbedded(tp, m.In.Forward(tp, tokens))
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = L - 1
	}
	return tp.Gather(tp.Reshape(out, len(ps), L), idx), tokens
}

// Predict returns the predictions at the query positions.
func (m *Transformer) Predict(ps []linreg.Prompt) []float64 {
	pred, _ := m.forward(ps)
	out := make([]float64, len(ps))
	for i, v := range pred.Data {
		out[i] = float64(v)
	}
	return out
}

// Sensitivity returns ∂ŷ/∂x_q by the tape (each prediction depends on its
// own prompt only, so one reverse pass of Σŷ gives them all). It leaves
// the parameters' gradients at zero.
func (m *Transformer) Sensitivity(ps []linreg.Prompt) [][]float64 {
	pred, tokens := m.forward(ps)
	m.tape.Backward(m.tape.Sum(pred))
	nn.ZeroGrads(m.Params())
	L := ps[0].N + 1
	out := make([][]float64, len(ps))
	for i := range ps {
		g := tokens.Grad[(i*L+L-1)*m.D:]
		out[i] = make([]float64, m.D-1)
		for j := range out[i] {
			out[i][j] = float64(g[j])
		}
	}
	return out
}

// TrainTransformer trains the model by Adam on the query's squared error
// and returns it with the loss curve.
func TrainTransformer(cfg TransformerConfig) (*Transformer, []float64, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	tk, err := linreg.New(cfg.Task)
	if err != nil {
		return nil, nil, fmt.Errorf("icl: Config.Task: %w", err)
	}
	tc := tk.Config()
	m, err := NewTransformer(tc.D, tc.N, cfg, cfg.Seed)
	if err != nil {
		return nil, nil, err
	}
	opt := nn.NewAdam(m.Params(), cfg.schedule())
	curve := make([]float64, cfg.Steps)
	target := make([]float32, cfg.Batch)
	for s := range curve {
		ps := cfg.batch(tk, s)
		for i := range ps {
			target[i] = float32(ps[i].Yq)
		}
		pred, _ := m.forward(ps)
		loss := m.tape.MSE(pred, m.tape.Const(target, cfg.Batch))
		m.tape.Backward(loss)
		nn.ClipGradNorm(m.Params(), 1)
		opt.Step()
		curve[s] = loss.Item()
	}
	return m, curve, nil
}
