package nn

import (
	"fmt"
	"math"
)

// Embedding looks up rows of table [v, d] for each id and returns them as
// [len(ids), d]. The gradient scatters back into the table.
func (tp *Tape[T]) Embedding(table *Tensor[T], ids []int) *Tensor[T] {
	if table.rank != 2 {
		panic(fmt.Sprintf("nn: Embedding table of shape %v", table.Shape()))
	}
	V, D := table.shape[0], table.shape[1]
	g := needs(tp, table)
	out := tp.newOut(g, len(ids), D)
	for i, id := range ids {
		if id < 0 || id >= V {
			panic(fmt.Sprintf("nn: Embedding id %d out of range [0,%d)", id, V))
		}
		copy(out.Data[i*D:i*D+D], table.Data[id*D:id*D+D])
	}
	if g {
		n := tp.record(opEmbedding, out)
		n.in[0], n.i0 = table, D
		n.idx = tp.ints.alloc(len(ids))
		copy(n.idx, ids)
	}
	return out
}

func backEmbedding[T Float](n *node[T]) {
	D := n.i0
	for i, id := range n.idx {
		addTo(n.in[0].Grad[id*D:id*D+D], n.out.Grad[i*D:i*D+D])
	}
}

// attnDims checks qkv of shape [b, t, 3d] and returns b, t, d and the head
// size.
func attnDims[T Float](what string, qkv *Tensor[T], heads int) (B, L, D, dh int) {
	if qkv.rank != 3 || qkv.shape[2]%3 != 0 || heads <= 0 || (qkv.shape[2]/3)%heads != 0 {
		panic(fmt.Sprintf("nn: %s of qkv %v with %d heads: want [batch, time, 3·dim] with dim divisible by heads", what, qkv.Shape(), heads))
	}
	B, L, D = qkv.shape[0], qkv.shape[1], qkv.shape[2]/3
	return B, L, D, D / heads
}

// Attention is scaled dot-product self-attention over qkv of shape [b, t,
// 3·d] holding the queries, keys and values side by side (as a Linear of
// width 3·d produces them), split into heads of size d/heads. With causal
// set, position i attends only to positions ≤ i. The result, heads
// concatenated, has shape [b, t, d]. Each head's products run through the
// matrix kernel with strides, without copying Q, K or V out.
func (tp *Tape[T]) Attention(qkv *Tensor[T], heads int, causal bool) *Tensor[T] {
	B, L, D, dh := attnDims("Attention", qkv, heads)
	g := needs(tp, qkv)
	out := tp.newOut(g, B, L, D)
	P := tp.scratch(B*heads*L*L, false)
	scale := T(1 / math.Sqrt(float64(dh)))
	for b := 0; b < B; b++ {
		base := b * L * 3 * D
		for h := 0; h < heads; h++ {
			p := P[(b*heads+h)*L*L : (b*heads+h+1)*L*L]
			q, k, v := qkv.Data[base+h*dh:], qkv.Data[base+D+h*dh:], qkv.Data[base+2*D+h*dh:]
			tp.mm(false, true, L, L, dh, scale, q, 3*D, k, 3*D, 0, p, L)
			for i := 0; i < L; i++ {
				row := p[i*L : i*L+L]
				lim := L
				if causal {
					lim = i + 1
					clear(row[lim:])
				}
				softmaxInPlace(row[:lim])
			}
			tp.mm(false, false, L, dh, L, 1, p, L, v, 3*D, 0, out.Data[b*L*D+h*dh:], D)
		}
	}
	if g {
		n := tp.record(opAttention, out)
		n.in[0], n.s1, n.i0 = qkv, P, heads
	}
	return out
}

func softmaxInPlace[T Float](row []T) {
	mx := row[0]
	for _, v := range row[1:] {
		mx = max(mx, v)
	}
	for j, v := range row {
		row[j] = v - mx
	}
	expRow(row)
	var s T
	for _, e := range row {
		s += e
	}
	inv := 1 / s
	for j := range row {
		row[j] *= inv
	}
}

func backAttention[T Float](tp *Tape[T], n *node[T]) {
	qkv, heads, P := n.in[0], n.i0, n.s1
	B, L, D, dh := attnDims("Attention", qkv, heads)
	scale := T(1 / math.Sqrt(float64(dh)))
	dP := tp.scratch(L*L, false)
	dO := n.out.Grad
	for b := 0; b < B; b++ {
		base := b * L * 3 * D
		for h := 0; h < heads; h++ {
			p := P[(b*heads+h)*L*L : (b*heads+h+1)*L*L]
			q, k, v := qkv.Data[base+h*dh:], qkv.Data[base+D+h*dh:], qkv.Data[base+2*D+h*dh:]
			dq, dk, dv := qkv.Grad[base+h*dh:], qkv.Grad[base+D+h*dh:], qkv.Grad[base+2*D+h*dh:]
			do := dO[b*L*D+h*dh:]
			tp.mm(false, true, L, L, dh, 1, do, D, v, 3*D, 0, dP, L)
			tp.mm(true, false, L, dh, L, 1, p, L, do, D, 1, dv, 3*D)
			for i := 0; i < L; i++ {
				pr, dr := p[i*L:i*L+L], dP[i*L:i*L+L]
				var dot T
				for j := range pr {
					dot += pr[j] * dr[j]
				}
				for j := range pr {
					dr[j] = pr[j] * (dr[j] - dot)
				}
			}
			tp.mm(false, false, L, dh, L, scale, dP, L, k, 3*D, 1, dq, 3*D)
			tp.mm(true, false, L, dh, L, scale, dP, L, q, 3*D, 1, dk, 3*D)
		}
	}
}

// LinearAttention is kernelized self-attention with feature map
// φ(x) = elu(x)+1 in place of the softmax: out_i = Σ_j φ(q_i)·φ(k_j) v_j /
// Σ_j φ(q_i)·φ(k_j), over qkv laid out as for Attention. Without a causal
// mask it costs O(t·d²/heads) through the key-value summary φ(K)ᵀV; with
// one it uses the masked t×t form, which is exact and cheaper for the short
// sequences used here.
func (tp *Tape[T]) LinearAttention(qkv *Tensor[T], heads int, causal bool) *Tensor[T] {
	B, L, D, dh := attnDims("LinearAttention", qkv, heads)
	g := needs(tp, qkv)
	out := tp.newOut(g, B, L, D)
	fq, fk := tp.scratch(B*L*D, false), tp.scratch(B*L*D, false)
	for r := 0; r < B*L; r++ {
		src := qkv.Data[r*3*D : r*3*D+2*D]
		for j := 0; j < D; j++ {
			fq[r*D+j] = eluPlus1(src[j])
			fk[r*D+j] = eluPlus1(src[D+j])
		}
	}
	per := dh * dh
	if causal {
		per = L * L
	}
	saved := tp.scratch(B*heads*(per+L), false)
	z := tp.scratch(dh, false)
	for b := 0; b < B; b++ {
		for h := 0; h < heads; h++ {
			bh := b*heads + h
			S := saved[bh*per : (bh+1)*per]
			den := saved[B*heads*per+bh*L : B*heads*per+(bh+1)*L]
			q, k := fq[b*L*D+h*dh:], fk[b*L*D+h*dh:]
			v := qkv.Data[b*L*3*D+2*D+h*dh:]
			o := out.Data[b*L*D+h*dh:]
			if causal {
				tp.mm(false, true, L, L, dh, 1, q, D, k, D, 0, S, L)
				for i := 0; i < L; i++ {
					row := S[i*L : i*L+L]
					clear(row[i+1:])
					var s T
					for _, a := range row[:i+1] {
						s += a
					}
					den[i] = s
				}
				tp.mm(false, false, L, dh, L, 1, S, L, v, 3*D, 0, o, D)
			} else {
				tp.mm(true, false, dh, dh, L, 1, k, D, v, 3*D, 0, S, dh)
				clear(z)
				for j := 0; j < L; j++ {
					addTo(z, k[j*D:j*D+dh])
				}
				for i := 0; i < L; i++ {
					var s T
					for c, qc := range q[i*D : i*D+dh] {
						s += qc * z[c]
					}
					den[i] = s
				}
				tp.mm(false, false, L, dh, dh, 1, q, D, S, dh, 0, o, D)
			}
			for i := 0; i < L; i++ {
				inv := 1 / den[i]
				oi := o[i*D : i*D+dh]
				for c := range oi {
					oi[c] *= inv
				}
			}
		}
	}
	if g {
		n := tp.record(opLinAttention, out)
		n.in[0], n.i0, n.flag = qkv, heads, causal
		n.s1, n.s2, n.s3 = fq, fk, saved
	}
	return out
}

func eluPlus1[T Float](x T) T {
	if x > 0 {
		return x + 1
	}
	return expT(x)
}

func backLinAttention[T Float](tp *Tape[T], n *node[T]) {
	qkv, heads, causal := n.in[0], n.i0, n.flag
	B, L, D, dh := attnDims("LinearAttention", qkv, heads)
	fq, fk, saved := n.s1, n.s2, n.s3
	per := dh * dh
	if causal {
		per = L * L
	}
	dfq, dfk := tp.scratch(B*L*D, false), tp.scratch(B*L*D, false)
	dnum := tp.scratch(L*dh, false)
	dden := tp.scratch(L, false)
	dS := tp.scratch(per, false)
	dO, out := n.out.Grad, n.out.Data
	for b := 0; b < B; b++ {
		for h := 0; h < heads; h++ {
			bh := b*heads + h
			S := saved[bh*per : (bh+1)*per]
			den := saved[B*heads*per+bh*L : B*heads*per+(bh+1)*L]
			off := b*L*D + h*dh
			q, k := fq[off:], fk[off:]
			dq, dk := dfq[off:], dfk[off:]
			v, dv := qkv.Data[b*L*3*D+2*D+h*dh:], qkv.Grad[b*L*3*D+2*D+h*dh:]
			for i := 0; i < L; i++ {
				do, o := dO[off+i*D:off+i*D+dh], out[off+i*D:off+i*D+dh]
				inv := 1 / den[i]
				var s T
				for c := range do {
					dnum[i*dh+c] = do[c] * inv
					s += do[c] * o[c]
				}
				dden[i] = -s * inv
			}
			if causal {
				tp.mm(false, true, L, L, dh, 1, dnum, dh, v, 3*D, 0, dS, L)
				for i := 0; i < L; i++ {
					row := dS[i*L : i*L+L]
					for j := 0; j <= i; j++ {
						row[j] += dden[i]
					}
					clear(row[i+1:])
				}
				tp.mm(true, false, L, dh, L, 1, S, L, dnum, dh, 1, dv, 3*D)
				tp.mm(false, false, L, dh, L, 1, dS, L, k, D, 0, dq, D)
				tp.mm(true, false, L, dh, L, 1, dS, L, q, D, 0, dk, D)
				continue
			}
			// dφQ = dnum·Sᵀ + dden ⊗ z, with z = Σ_j φ(k_j)
			tp.mm(false, true, L, dh, dh, 1, dnum, dh, S, dh, 0, dq, D)
			for c := 0; c < dh; c++ {
				var zc, dzc T
				for j := 0; j < L; j++ {
					zc += k[j*D+c]
					dzc += dden[j] * q[j*D+c]
				}
				for i := 0; i < L; i++ {
					dq[i*D+c] += dden[i] * zc
				}
				// dφK_j gets dz from the normaliser of every query.
				for j := 0; j < L; j++ {
					dk[j*D+c] = dzc
				}
			}
			// dS = φ(Q)ᵀ·dnum; dφK += V·dSᵀ; dV += φ(K)·dS
			tp.mm(true, false, dh, dh, L, 1, q, D, dnum, dh, 0, dS, dh)
			tp.mm(false, true, L, dh, dh, 1, v, 3*D, dS, dh, 1, dk, D)
			tp.mm(false, false, L, dh, dh, 1, k, D, dS, dh, 1, dv, 3*D)
		}
	}
	for r := 0; r < B*L; r++ {
		x := qkv.Data[r*3*D : r*3*D+2*D]
		gx := qkv.Grad[r*3*D : r*3*D+2*D]
		for j := 0; j < D; j++ {
			gx[j] += dfq[r*D+j] * eluGrad(x[j], fq[r*D+j])
			gx[D+j] += dfk[r*D+j] * eluGrad(x[D+j], fk[r*D+j])
		}
	}
}

// eluGrad is the derivative of elu(x)+1 given x and its value f.
func eluGrad[T Float](x, f T) T {
	if x > 0 {
		return 1
	}
	return f
}
