package ppo

import "math"

// rmsEpsilon is the prior count of a runningMeanStd and normEps the
// variance floor of a normalization, both Gymnasium's.
const (
	rmsEpsilon = 1e-4
	normEps    = 1e-8
)

// runningMeanStd tracks the mean and (population) variance of vectors seen
// in batches, merged by Chan et al.'s parallel formula, as Gymnasium's
// RunningMeanStd: it starts from mean 0 and variance 1 with a prior count
// of 1e-4.
type runningMeanStd struct {
	Mean  []float64 `json:"mean"`
	Var   []float64 `json:"var"`
	Count float64   `json:"count"`

	bm, bv []float64 // scratch for a batch's moments
}

// newRunningMeanStd returns the statistics of dim-vectors before any data.
func newRunningMeanStd(dim int) *runningMeanStd {
	r := &runningMeanStd{Mean: make([]float64, dim), Var: make([]float64, dim), Count: rmsEpsilon,
		bm: make([]float64, dim), bv: make([]float64, dim)}
	for i := range r.Var {
		r.Var[i] = 1
	}
	return r
}

// update merges the rows of x (a batch of len(x)/dim vectors) into the
// statistics.
func (r *runningMeanStd) update(x []float64) {
	dim := len(r.Mean)
	n := len(x) / dim
	if n == 0 {
		return
	}
	if len(r.bm) != dim {
		r.bm, r.bv = make([]float64, dim), make([]float64, dim)
	}
	bm, bv := r.bm, r.bv
	clear(bm)
	clear(bv)
	for k := range n {
		for j, v := range x[k*dim : k*dim+dim] {
			bm[j] += v
		}
	}
	for j := range bm {
		bm[j] /= float64(n)
	}
	for k := range n {
		for j, v := range x[k*dim : k*dim+dim] {
			d := v - bm[j]
			bv[j] += d * d
		}
	}
	nb := float64(n)
	tot := r.Count + nb
	for j := range bm {
		bv[j] /= nb
		delta := bm[j] - r.Mean[j]
		m2 := r.Var[j]*r.Count + bv[j]*nb + delta*delta*r.Count*nb/tot
		r.Mean[j] += delta * nb / tot
		r.Var[j] = m2 / tot
	}
	r.Count = tot
}

// normalizer is a frozen observation normalization: (x − mean)/√(var + ε)
// clipped to ±clip.
type normalizer struct {
	mean, inv []float64
	clip      float64
}

// freeze returns the normalization of r's current statistics.
func (r *runningMeanStd) freeze(clip float64) normalizer {
	n := normalizer{mean: append([]float64(nil), r.Mean...), inv: make([]float64, len(r.Var)), clip: clip}
	for j, v := range r.Var {
		n.inv[j] = 1 / math.Sqrt(v+normEps)
	}
	return n
}

// refreeze updates n, made by freeze, to r's current statistics without
// allocating.
func (r *runningMeanStd) refreeze(n *normalizer) {
	copy(n.mean, r.Mean)
	for j, v := range r.Var {
		n.inv[j] = 1 / math.Sqrt(v+normEps)
	}
}

// apply writes the normalized rows of x into dst (float32, the nets'
// input).
func (n normalizer) apply(dst []float32, x []float64) {
	if n.mean == nil {
		for i, v := range x {
			dst[i] = float32(v)
		}
		return
	}
	dim := len(n.mean)
	for i, v := range x {
		j := i % dim
		dst[i] = float32(min(max((v-n.mean[j])*n.inv[j], -n.clip), n.clip))
	}
}

// rewardScaler divides rewards by the running standard deviation of the
// discounted return of each env, as Gymnasium's NormalizeReward does, and
// clips them. Unlike Gymnasium 0.29's wrapper (which resets the return on
// termination only, one step late) the return restarts with every
// episode, truncated ones included.
type rewardScaler struct {
	gamma, clip float64
	ret         []float64 // discounted return of each env's episode so far
	rms         *runningMeanStd
}

func newRewardScaler(n int, gamma, clip float64) *rewardScaler {
	return &rewardScaler{gamma: gamma, clip: clip, ret: make([]float64, n), rms: newRunningMeanStd(1)}
}

// scale updates the returns with the rewards of one vector step, the
// statistics with the returns, and writes the scaled rewards to dst.
// done[i] restarts env i's return after its reward is counted.
func (s *rewardScaler) scale(dst, rewards []float64, done []bool) {
	for i, r := range rewards {
		s.ret[i] = s.ret[i]*s.gamma + r
	}
	s.rms.update(s.ret)
	inv := 1 / math.Sqrt(s.rms.Var[0]+normEps)
	for i, r := range rewards {
		dst[i] = min(max(r*inv, -s.clip), s.clip)
		if done[i] {
			s.ret[i] = 0
		}
	}
}
