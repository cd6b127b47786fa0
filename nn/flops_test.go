package nn

import "testing"

// TestTapeFLOPs checks the tape's count of product FLOPs against the
// closed form 2·m·n·k of each product, forward and backward.
func TestTapeFLOPs(t *testing.T) {
	const n, in, out = 5, 12, 7
	const linear = 2 * n * in * out
	const h, w, c, k, cout = 6, 7, 3, 3, 4
	const conv = 2 * (n * h * w) * (k * k * c) * cout
	tests := []struct {
		name     string
		mode     Mode
		backward bool
		build    func(tp *Tape[float64]) *Tensor[float64]
		want     int64
	}{
		{"linear forward", Eval, false, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.Linear(tp.Const(make([]float64, n*in), n, in), tp.Const(make([]float64, in*out), in, out), nil, ReLU)
		}, linear},
		{"linear forward and backward (dx and dw)", Train, true, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.Linear(tp.Var(make([]float64, n*in), n, in), tp.Var(make([]float64, in*out), in, out), nil, ReLU)
		}, 3 * linear},
		{"linear backward to the weights only", Train, true, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.Linear(tp.Const(make([]float64, n*in), n, in), tp.Var(make([]float64, in*out), in, out), nil, Identity)
		}, 2 * linear},
		{"matmul transposed", Eval, false, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.MatMul(tp.Const(make([]float64, in*n), in, n), tp.Const(make([]float64, out*in), out, in), true, true)
		}, linear},
		{"conv 3x3 forward", Eval, false, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.Conv2D(tp.Const(make([]float64, n*h*w*c), n, h, w, c), tp.Const(make([]float64, k*k*c*cout), k, k, c, cout), nil, 1, Identity)
		}, conv},
		{"conv 3x3 forward and backward", Train, true, func(tp *Tape[float64]) *Tensor[float64] {
			return tp.Conv2D(tp.Var(make([]float64, n*h*w*c), n, h, w, c), tp.Var(make([]float64, k*k*c*cout), k, k, c, cout), nil, 1, Identity)
		}, 3 * conv},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp := NewTape[float64](tc.mode)
			y := tc.build(tp)
			if tc.backward {
				tp.Backward(tp.Sum(y))
			}
			if got := tp.FLOPs(); got != tc.want {
				t.Errorf("FLOPs = %d, want %d", got, tc.want)
			}
			tp.Reset()
			if tp.FLOPs() != tc.want {
				t.Errorf("Reset cleared the count: %d", tp.FLOPs())
			}
			tp.ResetFLOPs()
			if tp.FLOPs() != 0 {
				t.Errorf("ResetFLOPs left %d", tp.FLOPs())
			}
		})
	}
}

// TestPolicyValueNetFLOPs checks an inference pass of the residual net
// against the sum of its layers' products.
func TestPolicyValueNetFLOPs(t *testing.T) {
	cfg := PolicyValueConfig{Planes: 2, Height: 6, Width: 7, Blocks: 2, Channels: 16, Policy: 7, ValueHidden: 32}
	net := NewPolicyValueNet[float32](NewRand(1), "net", cfg)
	const batch = 3
	hw := int64(cfg.Height * cfg.Width)
	c := int64(cfg.Channels)
	per := 2*hw*(9*int64(cfg.Planes)*c+ // stem
		int64(2*cfg.Blocks)*9*c*c+ // tower
		c*2+c*1) + // 1×1 head convolutions
		2*(2*hw*int64(cfg.Policy)+hw*int64(cfg.ValueHidden)+int64(cfg.ValueHidden)) // head linears
	tp := NewTape[float32](Eval)
	net.Forward(tp, tp.Zeros(batch, cfg.Planes, cfg.Height, cfg.Width))
	if got, want := tp.FLOPs(), batch*per; got != want {
		t.Errorf("FLOPs of a batch of %d = %d, want %d", batch, got, want)
	}
}
