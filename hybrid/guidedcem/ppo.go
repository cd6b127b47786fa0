package guidedcem

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/env"
)

// PPO makes a trained *ppo.Policy the amortized half of guided CEM: its
// actor is the Actor (the Gaussian mean clipped to the box, or the most
// probable action), with its Spread (the Gaussian's standard deviation)
// or its Categorical probabilities, and its critic the Value, converted
// to reward units by a scale.
//
// # The scale of the critic
//
// With Config.NormReward on (ppo's default for boxes) the critic was
// trained on rewards divided by σ, the running standard deviation of the
// discounted return that ppo's reward scaler keeps during training (and
// clipped to ±RewardClip, which a Pendulum reward never reaches): it
// estimates the discounted return divided by σ. σ is not kept in the
// Policy or its checkpoint, so the value in reward units is
// ValueScale·critic, with ValueScale estimated by Calibrate (FitValueScale
// on rollouts of the policy in the env). With NormReward off the critic is
// in reward units already and the scale is 1.
type PPO struct {
	policy *ppo.Policy
	scale  float64
	p32    []float32
}

var (
	_ Actor       = (*PPO)(nil)
	_ Spread      = (*PPO)(nil)
	_ Categorical = (*PPO)(nil)
	_ Value       = (*PPO)(nil)
)

// NewPPO adapts p. A policy trained with NormReward on needs its value
// scale (Calibrate or SetValueScale) before Value answers.
func NewPPO(p *ppo.Policy) (*PPO, error) {
	if p == nil {
		return nil, errors.New("guidedcem: nil ppo policy")
	}
	a := &PPO{policy: p}
	if p.Config().NormReward != ppo.On {
		a.scale = 1
	}
	return a, nil
}

// Policy returns the adapted policy.
func (a *PPO) Policy() *ppo.Policy { return a.policy }

// Gamma is the discount the critic was trained with (the planner's
// default discount).
func (a *PPO) Gamma() float64 { return a.policy.Config().Gamma }

// ValueScale returns the factor from the critic's units to reward units
// (0 while unknown).
func (a *PPO) ValueScale() float64 { return a.scale }

// SetValueScale sets the factor from the critic's units to reward units.
func (a *PPO) SetValueScale(s float64) error {
	if !(s > 0) || math.IsInf(s, 0) {
		return fmt.Errorf("guidedcem: value scale %v: want a finite number > 0", s)
	}
	a.scale = s
	return nil
}

// Calibrate estimates and sets the value scale from episodes of the
// policy's own sampling (the policy the critic evaluates) in e, one per
// seed, with FitValueScale's lookahead of n steps, and returns the fit.
func (a *PPO) Calibrate(ctx context.Context, e env.Env, seeds []uint64, n int) (ValueFit, error) {
	raw := rawCritic{a.policy}
	var fit ValueFit
	for k, seed := range seeds {
		f, err := FitValueScale(ctx, raw, a.policy.Sampling(seed), e, []uint64{seed}, n, a.Gamma())
		if err != nil {
			return fit, err
		}
		fit = fit.merge(f, k == 0)
	}
	fit.finish()
	if err := a.SetValueScale(fit.Scale); err != nil {
		return fit, fmt.Errorf("guidedcem: calibration: %w", err)
	}
	return fit, nil
}

// Act writes the policy's mode (ppo.Policy.Decide) at obs.
func (a *PPO) Act(obs, action []float64) (argmax.Cost, error) {
	out, c, err := a.policy.Decide(context.Background(), env.Situation{Obs: obs}, argmax.Budget{})
	if err != nil {
		return c, err
	}
	if len(out) != len(action) {
		return c, fmt.Errorf("guidedcem: ppo action of %d values into %d", len(out), len(action))
	}
	copy(action, out)
	return c, nil
}

// Std returns the Gaussian's standard deviations (nil for a discrete
// policy).
func (a *PPO) Std() []float64 { return a.policy.Std() }

// Probs writes the probabilities of a discrete policy at obs.
func (a *PPO) Probs(obs, dst []float64) (argmax.Cost, error) {
	a.p32 = grow(&a.p32, len(dst))
	c, err := a.policy.Distribution(context.Background(), env.Situation{Obs: obs}, argmax.Budget{}, a.p32)
	if err != nil {
		return c, err
	}
	var sum float64
	for k, q := range a.p32 {
		dst[k] = float64(q)
		sum += dst[k]
	}
	for k := range dst {
		dst[k] /= sum
	}
	return c, nil
}

// Value returns the critic's estimate at obs in reward units.
func (a *PPO) Value(obs []float64) (float64, argmax.Cost, error) {
	if a.scale == 0 {
		return 0, argmax.Cost{}, errors.New("guidedcem: the ppo critic was trained on scaled rewards: calibrate its value scale first")
	}
	v, c, err := a.policy.Value(obs)
	return a.scale * v, c, err
}

// rawCritic is the critic in its own units.
type rawCritic struct{ p *ppo.Policy }

func (r rawCritic) Value(obs []float64) (float64, argmax.Cost, error) { return r.p.Value(obs) }

// ValueFit is the result of FitValueScale.
type ValueFit struct {
	// Scale is the factor s minimizing Σ (R − s·D)² (see FitValueScale).
	Scale float64
	// R2 is the share of the variance of the n-step returns R that the
	// scaled values explain.
	R2 float64
	// Samples is the number of (state, n-step return) pairs.
	Samples int
	// Cost is the work of the fit: the policy's and the value's forward
	// passes and the env steps.
	Cost argmax.Cost

	sRD, sDD, sR, sRR float64
}

func (f ValueFit) merge(g ValueFit, first bool) ValueFit {
	if first {
		return g
	}
	f.sRD += g.sRD
	f.sDD += g.sDD
	f.sR += g.sR
	f.sRR += g.sRR
	f.Samples += g.Samples
	f.Cost = f.Cost.Add(g.Cost)
	return f
}

func (f *ValueFit) finish() {
	if f.sDD > 0 {
		f.Scale = f.sRD / f.sDD
	}
	// Σ(R − sD)² = ΣR² − 2sΣRD + s²ΣD², with s = ΣRD/ΣD².
	res := f.sRR - f.Scale*f.sRD
	tot := f.sRR - f.sR*f.sR/float64(max(f.Samples, 1))
	switch {
	case tot > 0:
		f.R2 = 1 - res/tot
	case math.Abs(res) <= 1e-12*max(f.sRR, 1):
		f.R2 = 1 // constant returns, fitted exactly
	}
}

// FitValueScale estimates the factor s that turns value's estimates into
// discounted returns in reward units, from episodes of policy in e (one
// per seed): at every step t of an episode of T steps, with k = min(n,
// T−t), it pairs the k-step return R = Σ_{j<k} γ^j r_{t+j} with D =
// v(s_t) − γ^k v(s_{t+k}) (D = v(s_t) when the episode terminated at
// t+k), since s·v(s_t) ≈ R + γ^k·s·v(s_{t+k}) for the true scale, and
// fits R ≈ s·D by least squares. A truncated episode's final observation
// is bootstrapped, as ppo does in training. For a critic in reward units
// s ≈ 1; for ppo's NormReward critic, s ≈ σ of its reward scaler.
func FitValueScale(ctx context.Context, value Value, policy env.Policy, e env.Env, seeds []uint64, n int, gamma float64) (ValueFit, error) {
	if n < 1 {
		return ValueFit{}, fmt.Errorf("guidedcem: lookahead %d: want ≥ 1", n)
	}
	if !(gamma > 0 && gamma <= 1) {
		return ValueFit{}, fmt.Errorf("guidedcem: discount %v: want a value in (0, 1]", gamma)
	}
	var fit ValueFit
	sim := e.Clone()
	for _, seed := range seeds {
		if r, ok := policy.(env.Resetter); ok {
			r.Reset()
		}
		obs := slices.Clone(sim.Reset(seed))
		var vals, rews []float64
		var terminated bool
		for {
			if err := ctx.Err(); err != nil {
				return fit, err
			}
			v, vc, err := value.Value(obs)
			fit.Cost = fit.Cost.Add(vc)
			if err != nil {
				return fit, err
			}
			vals = append(vals, v)
			a, pc, err := policy.Decide(ctx, env.Situation{Obs: obs, Env: sim}, argmax.Budget{})
			fit.Cost = fit.Cost.Add(pc)
			if err != nil {
				return fit, err
			}
			next, r, term, trunc := sim.Step(a)
			fit.Cost.Steps++
			rews = append(rews, r)
			obs = append(obs[:0], next...)
			if term || trunc {
				terminated = term
				break
			}
		}
		T := len(rews)
		if !terminated {
			v, vc, err := value.Value(obs)
			fit.Cost = fit.Cost.Add(vc)
			if err != nil {
				return fit, err
			}
			vals = append(vals, v)
		}
		for t := range T {
			k := min(n, T-t)
			var R, g float64 = 0, 1
			for j := range k {
				R += g * rews[t+j]
				g *= gamma
			}
			D := vals[t]
			if !(terminated && t+k == T) {
				D -= g * vals[t+k]
			}
			fit.sRD += R * D
			fit.sDD += D * D
			fit.sR += R
			fit.sRR += R * R
			fit.Samples++
		}
	}
	fit.finish()
	return fit, nil
}
