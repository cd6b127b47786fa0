package ppo

import (
	"math"

	"argmax/nn"
)

// surrogate records PPO's clipped surrogate loss on tp,
//
//	L = −mean_i min(ρ_i·A_i, clip(ρ_i, 1−ε, 1+ε)·A_i),   ρ_i = exp(logp_i − old_i),
//
// and returns it with the log-ratios and the ratios (whose values the
// caller reads for the approximate KL and the clip fraction). newLogp,
// oldLogp and adv have one value per transition.
func surrogate[T nn.Float](tp *nn.Tape[T], newLogp, oldLogp, adv *nn.Tensor[T], eps float64) (loss, logRatio, ratio *nn.Tensor[T]) {
	logRatio = tp.Sub(newLogp, oldLogp)
	ratio = tp.Exp(logRatio)
	unclipped := tp.Mul(ratio, adv)
	clipped := tp.Mul(tp.Clamp(ratio, 1-eps, 1+eps), adv)
	loss = tp.Scale(tp.Mean(tp.Minimum(unclipped, clipped)), -1, 0)
	return loss, logRatio, ratio
}

// valueLoss records the critic's loss on tp: ½·mean (v − R)², or with
// clip set CleanRL's clipped form ½·mean max((v − R)², (v_clip − R)²) with
// v_clip = v_old + clip(v − v_old, −ε, ε).
func valueLoss[T nn.Float](tp *nn.Tape[T], v, oldV, ret *nn.Tensor[T], clip bool, eps float64) *nn.Tensor[T] {
	sq := tp.Square(tp.Sub(v, ret))
	if clip {
		vc := tp.Add(oldV, tp.Clamp(tp.Sub(v, oldV), -eps, eps))
		sqc := tp.Square(tp.Sub(vc, ret))
		// max(a, b) = −min(−a, −b)
		sq = tp.Scale(tp.Minimum(tp.Scale(sq, -1, 0), tp.Scale(sqc, -1, 0)), -1, 0)
	}
	return tp.Scale(tp.Mean(sq), 0.5, 0)
}

// categorical records, for logits [n, k] and the actions taken, the
// log-probabilities log π(a_i|s_i) [n] and the mean entropy of the
// policies (a scalar).
func categorical[T nn.Float](tp *nn.Tape[T], logits *nn.Tensor[T], actions []int) (logp, entropy *nn.Tensor[T]) {
	lsm := tp.LogSoftmax(logits)
	logp = tp.Gather(lsm, actions)
	entropy = tp.Scale(tp.Mean(tp.SumLast(tp.Mul(tp.Exp(lsm), lsm))), -1, 0)
	return logp, entropy
}

// log2PiE is log(2πe), the entropy of a unit Gaussian being ½·log(2πe).
var log2PiE = math.Log(2 * math.Pi * math.E)

// gaussian records, for means [n, d], the state-independent log standard
// deviations [d] and the actions taken [n, d], the log-densities
// log π(a_i|s_i) [n] and the entropy of the policy, Σ_j log σ_j + d·½·log(2πe)
// (a scalar: it does not depend on the state).
func gaussian[T nn.Float](tp *nn.Tape[T], mean, logStd, actions *nn.Tensor[T]) (logp, entropy *nn.Tensor[T]) {
	logp = tp.GaussianLogProb(mean, tp.Scale(logStd, 2, 0), actions)
	entropy = tp.Scale(tp.Sum(logStd), 1, 0.5*float64(logStd.Len())*log2PiE)
	return logp, entropy
}
