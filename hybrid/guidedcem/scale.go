package guidedcem

import (
	"math"
	"sync"

	"argmax/env"
)

// ScaleRecorder recovers the scale of a critic trained with
// amortized/ppo's reward scaling (Config.NormReward) exactly, from the
// rewards training saw. ppo divides each reward by σ = √(Var + 10⁻⁸),
// where Var is the variance of every env's running discounted return
// ret ← γ·ret + r (restarted after each episode), accumulated over all the
// steps of training from a prior of mean 0, variance 1 and weight 10⁻⁴;
// the critic then estimates returns divided by σ (as it was at the end of
// training, which the last updates fitted). Training on RecordScale(e)
// instead of e replays that statistic — order-independent, so at any
// number of envs and workers — and Scale returns σ, the factor from the
// critic's units to reward units (PPO.SetValueScale).
//
// The recorder mirrors ppo's scaler as documented there (normalize.go);
// FitValueScale estimates the same factor after the fact, from rollouts,
// for a policy trained without a recorder.
type ScaleRecorder struct {
	env.Env
	stats *scaleStats
	ret   float64
}

type scaleStats struct {
	mu          sync.Mutex
	gamma       float64
	n, mean, m2 float64
}

// RecordScale wraps e for ppo.Train with discount gamma (the
// Config.Gamma training uses).
func RecordScale(e env.Env, gamma float64) *ScaleRecorder {
	return &ScaleRecorder{Env: e, stats: &scaleStats{gamma: gamma}}
}

// Unwrap returns the wrapped env.
func (r *ScaleRecorder) Unwrap() env.Env { return r.Env }

// Reset starts an episode of the wrapped env (the running return restarts).
func (r *ScaleRecorder) Reset(seed uint64) []float64 {
	r.ret = 0
	return r.Env.Reset(seed)
}

// Step steps the wrapped env and records the running return.
func (r *ScaleRecorder) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, rew, term, trunc := r.Env.Step(action)
	s := r.stats
	r.ret = r.ret*s.gamma + rew
	s.mu.Lock()
	s.n++
	d := r.ret - s.mean
	s.mean += d / s.n
	s.m2 += d * (r.ret - s.mean)
	s.mu.Unlock()
	if term || trunc {
		r.ret = 0
	}
	return obs, rew, term, trunc
}

// Clone returns a recorder of a clone of the wrapped env, with its own
// running return, feeding the same statistic.
func (r *ScaleRecorder) Clone() env.Env {
	return &ScaleRecorder{Env: r.Env.Clone(), stats: r.stats, ret: r.ret}
}

// Steps returns the number of steps recorded.
func (r *ScaleRecorder) Steps() int64 {
	r.stats.mu.Lock()
	defer r.stats.mu.Unlock()
	return int64(r.stats.n)
}

// Scale returns σ = √(Var + 10⁻⁸) of the running returns recorded, merged
// with ppo's prior (mean 0, variance 1, weight 10⁻⁴).
func (r *ScaleRecorder) Scale() float64 {
	s := r.stats
	s.mu.Lock()
	defer s.mu.Unlock()
	const prior, eps = 1e-4, 1e-8
	if s.n == 0 {
		return math.Sqrt(1 + eps)
	}
	tot := prior + s.n
	// Chan et al.'s merge of the prior (mean 0, variance 1) with the data.
	m2 := prior*1 + s.m2 + s.mean*s.mean*prior*s.n/tot
	return math.Sqrt(m2/tot + eps)
}
