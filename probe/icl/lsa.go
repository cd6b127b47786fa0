package icl

import (
	"fmt"
	"math"

	"argmax/nn"
	"argmax/task/linreg"
)

// LSA is a single linear self-attention layer applied for Passes forward
// passes with tied weights (the package doc gives the update). Passes = 1
// is von Oswald et al.'s one-layer LSA; Passes = T > 1 is the scratchpad
// variant.
type LSA struct {
	D      int                // token width d+1
	Passes int                // forward passes T ≥ 1
	KQ     *nn.Param[float64] // W_KQ, [D, D]
	PV     *nn.Param[float64] // W_PV, [D, D]

	work lsaWork // reused buffers of Predict and training
}

// NewLSA returns an LSA over inputs of dimension d (tokens of width d+1)
// for passes forward passes, with weights drawn from N(0, std²) by a PCG
// seeded with seed.
func NewLSA(d, passes int, std float64, seed uint64) (*LSA, error) {
	switch {
	case d < 1:
		return nil, fmt.Errorf("icl: NewLSA: d = %d: want ≥ 1", d)
	case passes < 1:
		return nil, fmt.Errorf("icl: NewLSA: passes = %d: want ≥ 1", passes)
	case !(std >= 0) || math.IsInf(std, 0):
		return nil, fmt.Errorf("icl: NewLSA: std = %v: want a finite value ≥ 0", std)
	}
	D := d + 1
	m := &LSA{D: D, Passes: passes, KQ: nn.NewParam[float64]("lsa.kq", D, D), PV: nn.NewParam[float64]("lsa.pv", D, D)}
	rng := nn.NewRand(seed)
	m.KQ.Init(rng, nn.Normal(std))
	m.PV.Init(rng, nn.Normal(std))
	return m, nil
}

// Params returns W_KQ and W_PV.
func (m *LSA) Params() []*nn.Param[float64] { return []*nn.Param[float64]{m.KQ, m.PV} }

// Name is "lsa" or "lsa×T" for T passes.
func (m *LSA) Name() string {
	if m.Passes == 1 {
		return "lsa"
	}
	return fmt.Sprintf("lsa×%d", m.Passes)
}

// SetGD sets the weights to von Oswald's construction of one GD step of
// size eta: with Passes = T the model computes T such steps exactly.
func (m *LSA) SetGD(eta float64) {
	clear(m.KQ.Data)
	clear(m.PV.Data)
	D := m.D
	for i := 0; i < D-1; i++ {
		m.KQ.Data[i*D+i] = 1
	}
	m.PV.Data[D*D-1] = -eta
}

// lsaWork holds one prompt's forward states for the backward pass.
type lsaWork struct {
	e    [][]float64 // Passes+1 token matrices, L×D
	g, h [][]float64 // per pass: G = E·W_KQᵀ and H = G·S, L×D
	s    [][]float64 // per pass: S, D×D
	dE   []float64   // gradient of the current token matrix, L×D
	dEn  []float64
	dH   []float64
	dG   []float64
	dS   []float64
}

func (w *lsaWork) size(passes, L, D int) {
	if len(w.e) == passes+1 && len(w.dE) == L*D && len(w.dS) == D*D {
		return
	}
	mk := func(k, n int) [][]float64 {
		out := make([][]float64, k)
		for i := range out {
			out[i] = make([]float64, n)
		}
		return out
	}
	w.e, w.g, w.h, w.s = mk(passes+1, L*D), mk(passes, L*D), mk(passes, L*D), mk(passes, D*D)
	w.dE, w.dEn, w.dH, w.dG = make([]float64, L*D), make([]float64, L*D), make([]float64, L*D), make([]float64, L*D)
	w.dS = make([]float64, D*D)
}

// forward runs the passes on one prompt's tokens (copied into the
// workspace) and returns the prediction.
func (m *LSA) forward(tokens []float64, L int) float64 {
	D, w := m.D, &m.work
	w.size(m.Passes, L, D)
	n := L - 1
	A, B := m.KQ.Data, m.PV.Data
	copy(w.e[0], tokens)
	for t := 0; t < m.Passes; t++ {
		E, S, G, H := w.e[t], w.s[t], w.g[t], w.h[t]
		clear(S)
		for k := 0; k < n; k++ {
			zk := E[k*D : (k+1)*D]
			for a, za := range zk {
				axpy(S[a*D:(a+1)*D], za/float64(n), zk)
			}
		}
		// The last pass is read at the query only: rows lo..L-1.
		lo := 0
		if t == m.Passes-1 {
			lo = n
		}
		r, o := L-lo, lo*D
		matMulT(G[o:], E[o:], A, r, D) // G = E·Aᵀ
		matMul(H[o:], G[o:], S, r, D)  // H = G·S
		next := w.e[t+1]
		matMulT(next[o:], H[o:], B, r, D) // H·Bᵀ
		for i := o; i < len(next); i++ {
			next[i] += E[i]
		}
	}
	return -w.e[m.Passes][L*D-1]
}

// backward takes dy = ∂loss/∂ŷ after forward, accumulates the parameter
// gradients into KQ.Grad and PV.Grad (when params is set) and returns
// ∂loss/∂tokens in the workspace (valid until the next call).
func (m *LSA) backward(dy float64, L int, params bool) []float64 {
	D, w := m.D, &m.work
	n := L - 1
	A, B := m.KQ.Data, m.PV.Data
	dE := w.dE
	clear(dE)
	dE[L*D-1] = -dy
	for t := m.Passes - 1; t >= 0; t-- {
		E, S, G, H := w.e[t], w.s[t], w.g[t], w.h[t]
		// The last pass ran on rows lo..L-1 only; dE is zero above them.
		lo := 0
		if t == m.Passes-1 {
			lo = n
		}
		r, o := L-lo, lo*D
		// Out = E + H·Bᵀ: dB += dOutᵀ·H, dH = dOut·B.
		if params {
			addMatTMul(m.PV.Grad, dE[o:], H[o:], r, D)
		}
		matMul(w.dH[o:], dE[o:], B, r, D)
		// H = G·S: dG = dH·S (S symmetric), dS = Gᵀ·dH.
		matMul(w.dG[o:], w.dH[o:], S, r, D)
		clear(w.dS)
		addMatTMul(w.dS, G[o:], w.dH[o:], r, D)
		// G = E·Aᵀ: dA += dGᵀ·E, dE += dG·A.
		if params {
			addMatTMul(m.KQ.Grad, w.dG[o:], E[o:], r, D)
		}
		dEn := w.dEn
		copy(dEn, dE)
		for j := lo; j < L; j++ {
			row := dEn[j*D : (j+1)*D]
			for b, g := range w.dG[j*D : (j+1)*D] {
				axpy(row, g, A[b*D:(b+1)*D])
			}
		}
		// S = (1/n)Σ_k z_k z_kᵀ: dz_k += (1/n)(dS + dSᵀ)z_k.
		for k := 0; k < n; k++ {
			zk, row := E[k*D:(k+1)*D], dEn[k*D:(k+1)*D]
			for a := 0; a < D; a++ {
				var s float64
				for b := 0; b < D; b++ {
					s += (w.dS[a*D+b] + w.dS[b*D+a]) * zk[b]
				}
				row[a] += s / float64(n)
			}
		}
		dE, w.dEn = dEn, dE
	}
	w.dE = dE
	return dE
}

// matMul sets c = a·b for a of L×D and b of D×D.
func matMul(c, a, b []float64, L, D int) {
	clear(c[:L*D])
	for i := 0; i < L; i++ {
		ci := c[i*D : (i+1)*D]
		for k, v := range a[i*D : (i+1)*D] {
			axpy(ci, v, b[k*D:(k+1)*D])
		}
	}
}

// matMulT sets c = a·bᵀ for a of L×D and b of D×D.
func matMulT(c, a, b []float64, L, D int) {
	for i := 0; i < L; i++ {
		ai := a[i*D : (i+1)*D]
		for j := 0; j < D; j++ {
			c[i*D+j] = dot(ai, b[j*D:(j+1)*D])
		}
	}
}

// addMatTMul adds aᵀ·b to c (D×D) for a and b of L×D.
func addMatTMul(c, a, b []float64, L, D int) {
	for k := 0; k < L; k++ {
		bk := b[k*D : (k+1)*D]
		for i, v := range a[k*D : (k+1)*D] {
			axpy(c[i*D:(i+1)*D], v, bk)
		}
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(y []float64, a float64, x []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

// Predict returns the model's query predictions on ps. It reuses the
// model's buffers: not safe for concurrent use.
func (m *LSA) Predict(ps []linreg.Prompt) []float64 {
	out := make([]float64, len(ps))
	var tok []float64
	for i := range ps {
		tok = ps[i].Tokens(tok)
		out[i] = m.forward(tok, ps[i].N+1)
	}
	return out
}

// Sensitivity returns ∂ŷ/∂x_q on each prompt by the exact reverse pass.
func (m *LSA) Sensitivity(ps []linreg.Prompt) [][]float64 {
	out := make([][]float64, len(ps))
	var tok []float64
	for i := range ps {
		p := &ps[i]
		tok = p.Tokens(tok)
		L := p.N + 1
		m.forward(tok, L)
		dE := m.backward(1, L, false)
		out[i] = append([]float64(nil), dE[p.N*m.D:p.N*m.D+p.D]...)
	}
	return out
}

// lossGrad returns the batch's mean squared query error against the
// noisy targets and accumulates its parameter gradient.
func (m *LSA) lossGrad(ps []linreg.Prompt) float64 {
	var loss float64
	var tok []float64
	inv := 1 / float64(len(ps))
	for i := range ps {
		p := &ps[i]
		tok = p.Tokens(tok)
		L := p.N + 1
		r := m.forward(tok, L) - p.Yq
		loss += r * r * inv
		m.backward(2*r*inv, L, true)
	}
	return loss
}

// LSAConfig configures TrainLSA.
type LSAConfig struct {
	Config
	Passes  int     // forward passes T (0: 1)
	InitStd float64 // standard deviation of the initial weights (0: 0.1)
}

// TrainLSA trains an LSA by Adam on the query's squared error and returns
// it with the loss curve (the batch loss of every step).
func TrainLSA(cfg LSAConfig) (*LSA, []float64, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	if cfg.Passes < 0 {
		return nil, nil, fmt.Errorf("icl: LSAConfig.Passes = %d: want ≥ 0 (0: 1)", cfg.Passes)
	}
	if !(cfg.InitStd >= 0) {
		return nil, nil, fmt.Errorf("icl: LSAConfig.InitStd = %v: want ≥ 0 (0: 0.1)", cfg.InitStd)
	}
	passes, std := max(cfg.Passes, 1), cfg.InitStd
	if std == 0 {
		std = 0.1
	}
	tk, err := linreg.New(cfg.Task)
	if err != nil {
		return nil, nil, fmt.Errorf("icl: Config.Task: %w", err)
	}
	m, err := NewLSA(tk.Config().D, passes, std, cfg.Seed)
	if err != nil {
		return nil, nil, err
	}
	opt := nn.NewAdam(m.Params(), cfg.schedule())
	curve := make([]float64, cfg.Steps)
	for s := range curve {
		curve[s] = m.lossGrad(cfg.batch(tk, s))
		opt.Step()
	}
	return m, curve, nil
}
