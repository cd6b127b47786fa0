package power

import (
	"fmt"
	"math"
)

// Level is the confidence level of the intervals of Bits and MeanBits.
const Level = 0.95

// Estimate is an optimization power in bits, with its interval.
type Estimate struct {
	// Bits is the power, −log2 of Share. When Bound is set, no reference
	// outcome was as good as the achieved one, and Bits is log2(N+1): a
	// lower bound, the power of beating every one of N+1 outcomes.
	Bits float64
	// Lo and Hi bound the power with confidence Level: the exact
	// Clopper–Pearson interval of Share mapped through −log2 (Lo from the
	// share's upper end, Hi from its lower end). When Bound is set Hi is
	// +Inf: N samples cannot bound the power from above. An exact
	// estimate (ExactBits) has Lo = Hi = Bits.
	Lo, Hi float64
	// Share is the estimated probability that the reference does at least
	// as well as the achieved outcome: AtLeast/N, or the exact probability.
	Share float64
	// AtLeast is the number of the N reference outcomes at least as good
	// as the achieved one (ties count); N is 0 for an exact estimate.
	AtLeast, N int
	// Bound reports that AtLeast is 0 and Bits is a lower bound.
	Bound bool
}

// String formats the estimate as "5.32 bits [4.81, 5.97]", with "≥" before
// a bound.
func (e Estimate) String() string {
	ge := ""
	if e.Bound {
		ge = "≥ "
	}
	return fmt.Sprintf("%s%.3g bits [%.3g, %.3g]", ge, e.Bits, e.Lo, e.Hi)
}

// Bits is the optimization power of an achieved outcome against samples
// of the outcomes of a reference policy on the same task (larger
// outcomes are better): the number of bits by which the agent narrows
// the reference's outcomes down to ones at least as good as its own,
//
//	power = −log2 P_ref(outcome ≥ achieved),
//
// Yudkowsky's measure of optimization power ("Measuring Optimization
// Power", LessWrong, 2008): an outcome that one reference run in 2^k
// matches or beats took k bits of optimization. P_ref is estimated by the
// share of reference outcomes ≥ achieved, ties included, so that the
// best of N equally likely outcomes scores log2 N; when none is as good,
// Bits reports the bound log2(N+1) (Estimate.Bound). The interval is the
// share's exact Clopper–Pearson interval at Level, mapped through −log2.
func Bits(achieved float64, reference []float64) (Estimate, error) {
	if !finite(achieved) {
		return Estimate{}, fmt.Errorf("power: Bits: achieved outcome %v: want a finite number", achieved)
	}
	if len(reference) == 0 {
		return Estimate{}, fmt.Errorf("power: Bits: no reference outcomes: want at least one sample")
	}
	k := 0
	for i, r := range reference {
		if !finite(r) {
			return Estimate{}, fmt.Errorf("power: Bits: reference outcome %d is %v: want a finite number", i, r)
		}
		if r >= achieved {
			k++
		}
	}
	return binomialBits(k, len(reference)), nil
}

// binomialBits is the Estimate of k reference outcomes at least as good
// as the achieved one among n.
func binomialBits(k, n int) Estimate {
	e := Estimate{AtLeast: k, N: n, Share: float64(k) / float64(n)}
	lo, hi := clopperPearson(k, n, Level)
	e.Lo = -math.Log2(hi)
	if k == 0 {
		e.Bound = true
		e.Bits = math.Log2(float64(n + 1))
		e.Hi = math.Inf(1)
		return e
	}
	e.Bits = -math.Log2(e.Share)
	e.Hi = -math.Log2(lo)
	return e
}

// Mean is an optimization power averaged over episodes (levels, tasks),
// each scored against its own reference distribution.
type Mean struct {
	// Bits is the mean of the episodes' Bits; Lo and Hi its Student t
	// interval at Level over the episodes (the spread between episodes,
	// which includes each one's sampling error). With one episode the
	// interval is that episode's own.
	Bits, Lo, Hi float64
	// Bounds counts the episodes whose Bits is a bound (no reference
	// outcome as good): when it is not 0, Bits is itself a lower bound.
	Bounds int
	// Episodes holds each episode's estimate, in the order given.
	Episodes []Estimate
}

// String formats the mean as "5.32 bits [4.81, 5.83] over 20 episodes",
// with "≥" before a bound.
func (m Mean) String() string {
	ge := ""
	if m.Bounds > 0 {
		ge = "≥ "
	}
	return fmt.Sprintf("%s%.3g bits [%.3g, %.3g] over %d episodes", ge, m.Bits, m.Lo, m.Hi, len(m.Episodes))
}

// MeanBits is the mean optimization power over episodes: Bits of
// achieved[i] against reference[i] for each episode i, averaged, with a
// Student t interval over the episodes.
func MeanBits(achieved []float64, reference [][]float64) (Mean, error) {
	if len(achieved) == 0 {
		return Mean{}, fmt.Errorf("power: MeanBits: no episodes")
	}
	if len(reference) != len(achieved) {
		return Mean{}, fmt.Errorf("power: MeanBits: %d achieved outcomes and %d reference samples: want one sample per episode", len(achieved), len(reference))
	}
	m := Mean{Episodes: make([]Estimate, len(achieved))}
	for i, a := range achieved {
		e, err := Bits(a, reference[i])
		if err != nil {
			return Mean{}, fmt.Errorf("power: MeanBits: episode %d: %w", i, err)
		}
		m.Episodes[i] = e
		m.Bits += e.Bits
		if e.Bound {
			m.Bounds++
		}
	}
	n := float64(len(achieved))
	m.Bits /= n
	if len(achieved) == 1 {
		m.Lo, m.Hi = m.Episodes[0].Lo, m.Episodes[0].Hi
		return m, nil
	}
	var ss float64
	for _, e := range m.Episodes {
		ss += (e.Bits - m.Bits) * (e.Bits - m.Bits)
	}
	half := studentT((1+Level)/2, n-1) * math.Sqrt(ss/(n-1)/n)
	m.Lo, m.Hi = m.Bits-half, m.Bits+half
	return m, nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
