package bestofn

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Exact is the exact best-of-n distribution on a finite space: items
// 0..M−1 with base probabilities and scores. It is immutable and safe for
// concurrent use.
type Exact struct {
	base    []float64 // normalized base probabilities
	classes []class   // score classes, ascending
	classOf []int32   // class of every item with base > 0, −1 otherwise
}

// class is the set of items sharing one score.
type class struct {
	mass  float64 // base mass of the class
	above float64 // base mass of the classes above it: F(s) = 1 − above
}

// NewExact prepares the best-of-n distributions of the space whose item y
// has base probability base[y] (non-negative, summing to 1 within 1e-9)
// and score score[y] (not NaN where base[y] > 0). Items whose scores are
// exactly equal form one class.
func NewExact(base, score []float64) (*Exact, error) {
	if len(base) == 0 || len(base) != len(score) {
		return nil, fmt.Errorf("bestofn: NewExact: %d probabilities and %d scores: want the same non-zero length", len(base), len(score))
	}
	sum := 0.0
	var order []int
	for y, p := range base {
		if !(p >= 0) || math.IsInf(p, 0) {
			return nil, fmt.Errorf("bestofn: NewExact: base[%d] = %v: want a finite probability", y, p)
		}
		if p == 0 {
			continue
		}
		if math.IsNaN(score[y]) {
			return nil, fmt.Errorf("bestofn: NewExact: score[%d] is NaN", y)
		}
		sum += p
		order = append(order, y)
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, fmt.Errorf("bestofn: NewExact: base probabilities sum to %v: want 1", sum)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[a], score[b]) })
	e := &Exact{base: make([]float64, len(base)), classOf: make([]int32, len(base))}
	for y, p := range base {
		e.base[y] = p / sum
		e.classOf[y] = -1
	}
	for i, y := range order {
		if i == 0 || score[y] != score[order[i-1]] {
			e.classes = append(e.classes, class{})
		}
		c := len(e.classes) - 1
		e.classes[c].mass += e.base[y]
		e.classOf[y] = int32(c)
	}
	above := 0.0
	for c := len(e.classes) - 1; c >= 0; c-- {
		e.classes[c].above = above
		above += e.classes[c].mass
	}
	return e, nil
}

// Size returns the number of items.
func (e *Exact) Size() int { return len(e.base) }

// Classes returns the number of distinct scores among items of positive
// base probability.
func (e *Exact) Classes() int { return len(e.classes) }

// Dist writes the best-of-n probability of every item into dst (grown to
// Size when it is shorter) and returns it: item y of class s gets
// (F(s)^n − F(s⁻)^n)·base(y)/mass(s).
func (e *Exact) Dist(n int, dst []float64) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("bestofn: Exact.Dist: n = %d: want ≥ 1", n)
	}
	if cap(dst) < len(e.base) {
		dst = make([]float64, len(e.base))
	}
	dst = dst[:len(e.base)]
	// share[c] is P(best in class c) / mass(c); F^n = exp(n·log1p(−above))
	// keeps its precision as F approaches 1.
	share := make([]float64, len(e.classes))
	nf := float64(n)
	for c, cl := range e.classes {
		hi := math.Exp(nf * math.Log1p(-cl.above))
		lo := math.Exp(nf * math.Log1p(-cl.above-cl.mass))
		if cl.above+cl.mass >= 1 {
			lo = 0
		}
		share[c] = (hi - lo) / cl.mass
	}
	for y, c := range e.classOf {
		if c < 0 {
			dst[y] = 0
			continue
		}
		dst[y] = e.base[y] * share[c]
	}
	return dst, nil
}
