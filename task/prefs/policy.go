package prefs

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Prompt is the context of a decision. This family has a single, empty
// prompt; the type exists so that policies and proxies fit the generic
// Decider contract (argmax.Decider[Prompt, int]).
type Prompt struct{}

// Policy is an autoregressive distribution over responses of L tokens from
// a vocabulary of V: position 0 draws from one categorical distribution,
// position t ≥ 1 from one of V categorical distributions chosen by the
// token at t−1. The 1 + (L−1)·V conditional distributions are its rows
// (Row numbers them), each stored as V log-probabilities. A Policy is
// immutable and safe for concurrent use.
type Policy struct {
	v, l int
	logp []float64 // Rows() × V log-probabilities
}

// NumRows returns the number of conditional distributions of an
// autoregressive policy over v tokens and l positions: 1 + (l−1)·v.
func NumRows(v, l int) int { return 1 + (l-1)*v }

// NewPolicy returns the policy whose row r has the softmax of
// logits[r·v : (r+1)·v] as its distribution; len(logits) must be
// NumRows(v, l)·v and every logit finite.
func NewPolicy(v, l int, logits []float64) (*Policy, error) {
	if v < 2 || l < 1 {
		return nil, fmt.Errorf("prefs: policy with V=%d, L=%d: want V ≥ 2 and L ≥ 1", v, l)
	}
	rows := NumRows(v, l)
	if len(logits) != rows*v {
		return nil, fmt.Errorf("prefs: policy logits: got %d, want %d (%d rows × V=%d)", len(logits), rows*v, rows, v)
	}
	q := &Policy{v: v, l: l, logp: make([]float64, len(logits))}
	for r := range rows {
		row := logits[r*v : (r+1)*v]
		m := math.Inf(-1)
		for i, x := range row {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("prefs: policy logits[%d] = %v: want finite", r*v+i, x)
			}
			m = max(m, x)
		}
		s := 0.0
		for _, x := range row {
			s += math.Exp(x - m)
		}
		lz := m + math.Log(s)
		for i, x := range row {
			q.logp[r*v+i] = x - lz
		}
	}
	return q, nil
}

// V returns the vocabulary size.
func (q *Policy) V() int { return q.v }

// L returns the response length.
func (q *Policy) L() int { return q.l }

// Rows returns the number of conditional distributions, NumRows(V, L).
func (q *Policy) Rows() int { return NumRows(q.v, q.l) }

// Row returns the number of the conditional distribution used at position
// t after token prev (prev is ignored at t = 0).
func (q *Policy) Row(t, prev int) int {
	if t == 0 {
		return 0
	}
	return 1 + (t-1)*q.v + prev
}

// LogProbs returns the V log-probabilities of row r. The slice is the
// policy's own and must not be modified.
func (q *Policy) LogProbs(r int) []float64 { return q.logp[r*q.v : (r+1)*q.v] }

// LogProb returns log π(y), exactly.
func (q *Policy) LogProb(y int) float64 {
	var buf [maxL]int
	tokens := decode(y, q.v, buf[:q.l])
	s, prev := 0.0, 0
	for t, tok := range tokens {
		s += q.logp[q.Row(t, prev)*q.v+tok]
		prev = tok
	}
	return s
}

// Sample draws a response from the policy with rng, writes its tokens into
// tokens when it is not nil (len L) and returns its index. It draws exactly
// L uniforms from rng.
func (q *Policy) Sample(rng *rand.Rand, tokens []int) int {
	y, prev := 0, 0
	for t := range q.l {
		lp := q.LogProbs(q.Row(t, prev))
		u := rng.Float64()
		tok := q.v - 1
		for i, x := range lp {
			u -= math.Exp(x)
			if u < 0 {
				tok = i
				break
			}
		}
		if tokens != nil {
			tokens[t] = tok
		}
		y = y*q.v + tok
		prev = tok
	}
	return y
}

// Generate draws a response for the (empty) prompt: Sample without tokens.
// It makes a Policy a generator for best-of-n (direct/bestofn).
func (q *Policy) Generate(_ Prompt, rng *rand.Rand) int { return q.Sample(rng, nil) }

// Dist writes the exact probability of every response into dst (grown to
// V^L when it is shorter) and returns it, by expanding prefixes position by
// position.
func (q *Policy) Dist(dst []float64) []float64 {
	n := pow(q.v, q.l)
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	// Level t holds the V^(t+1) prefixes' probabilities in dst[:V^(t+1)];
	// expanding in place from the back keeps every parent until it is read.
	lp := q.LogProbs(0)
	for tok := range q.v {
		dst[tok] = math.Exp(lp[tok])
	}
	size := q.v
	for t := 1; t < q.l; t++ {
		for pre := size - 1; pre >= 0; pre-- {
			p := dst[pre]
			lp := q.LogProbs(q.Row(t, pre%q.v))
			for tok := q.v - 1; tok >= 0; tok-- {
				dst[pre*q.v+tok] = p * math.Exp(lp[tok])
			}
		}
		size *= q.v
	}
	return dst
}

// maxL is the longest response MaxResponses allows (V = 2).
const maxL = 20

// decode writes the tokens of response y into dst (len L) and returns it.
func decode(y, v int, dst []int) []int {
	for t := len(dst) - 1; t >= 0; t-- {
		dst[t] = y % v
		y /= v
	}
	return dst
}

// pow returns v^l for small non-negative l.
func pow(v, l int) int {
	n := 1
	for range l {
		n *= v
	}
	return n
}
