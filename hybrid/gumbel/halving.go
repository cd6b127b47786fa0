package gumbel

import (
	"math"
	"math/bits"
)

// phasePlan is one phase of sequential halving: c moves, e visits each.
type phasePlan struct{ c, e int }

// schedule returns the phases of sequential halving of n simulations over
// m considered moves, as mctx's get_sequence_of_considered_visits lays them
// out: ⌈log2 m⌉ phases, the phase over c moves giving each
// max(1, ⌊n/(⌈log2 m⌉·c)⌋) visits, c halving (to no fewer than 2) after
// each, and further phases over 2 moves until the budget is spent (the last
// is cut short by n). A single move gets all n.
func schedule(m, n int) []phasePlan {
	if n <= 0 || m <= 0 {
		return nil
	}
	if m == 1 {
		return []phasePlan{{1, n}}
	}
	logm := bits.Len(uint(m - 1)) // ⌈log2 m⌉ for m ≥ 2
	var plan []phasePlan
	for c, total := m, 0; total < n; c = max(2, c/2) {
		e := max(1, n/(logm*c))
		plan = append(plan, phasePlan{c, e})
		total += c * e
	}
	return plan
}

// Constants of the Q transform and of the logits.
const (
	// rescaleEps is the least denominator of the min-max rescaling of the
	// completed Q values (mctx's epsilon).
	rescaleEps = 1e-8
	// minPrior floors a legal move's prior before its log is taken, so a
	// prior of 0 gives a very negative but finite logit.
	minPrior = 1e-30
	// tinyPrior floors the priors that weigh the visited Q values in the
	// mixed value (mctx: the float32 type's smallest normal number).
	tinyPrior = 0x1p-126
)

// completedQ writes into q, for each child of a node whose net value is
// raw, its completed Q value for the player to move at the node: the mean
// value of a visited child, the mixed value v_mix for an unvisited one. It
// returns v_mix and the children's most and total visits.
func completedQ(raw float64, ch []node, q []float64) (vmix float64, maxN, sumN int32) {
	var sumP, sumPQ float64
	for j := range ch {
		c := &ch[j]
		sumN += c.n
		maxN = max(maxN, c.n)
		if c.n > 0 {
			v := -c.w / float64(c.n) // the child's value is for the player to move there
			q[j] = v
			p := max(float64(c.p), tinyPrior)
			sumP += p
			sumPQ += p * v
		}
	}
	vmix = raw
	if sumN > 0 {
		vmix = (raw + float64(sumN)*sumPQ/sumP) / (float64(sumN) + 1)
	}
	for j := range ch {
		if ch[j].n == 0 {
			q[j] = vmix
		}
	}
	return vmix, maxN, sumN
}

// sigma turns completed Q values into σ(q̂) in place: min-max rescaled to
// [0, 1], then scaled by (cVisit + maxN)·cScale.
func sigma(q []float64, maxN int32, cVisit, cScale float64) {
	if len(q) == 0 {
		return
	}
	lo, hi := q[0], q[0]
	for _, v := range q[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	scale := (cVisit + float64(maxN)) * cScale / max(hi-lo, rescaleEps)
	for j, v := range q {
		q[j] = (v - lo) * scale
	}
}

// softmax writes into dst the softmax of z (dst may be z).
func softmax(dst, z []float64) {
	if len(z) == 0 {
		return
	}
	top := z[0]
	for _, v := range z[1:] {
		top = max(top, v)
	}
	var sum float64
	for j, v := range z {
		e := math.Exp(v - top)
		dst[j] = e
		sum += e
	}
	for j := range dst {
		dst[j] /= sum
	}
}

// gumbelNoise returns a standard Gumbel variate from a uniform one in
// [0, 1) (a 0 is drawn again by the caller's loop).
func gumbelNoise(u float64) float64 { return -math.Log(-math.Log(u)) }
