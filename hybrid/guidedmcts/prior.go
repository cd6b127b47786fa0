package guidedmcts

import (
	"context"
	"errors"
	"fmt"
	"math"

	"argmax"
	"argmax/amortized/ppo"
	"argmax/direct/mcts"
	"argmax/env"
	"argmax/hybrid/guidedcem"
)

// Config sets up a Prior.
type Config struct {
	// Levels is the number of values per dimension of a box action space,
	// as the planner's (mcts.EnvConfig.Levels); 0 means mcts.DefaultLevels.
	// It is ignored for a discrete space.
	Levels int
	// Value makes Prior return the critic's estimate of the discounted
	// return, in reward units (its scale calibrated for a NormReward
	// critic). Without it Prior returns 0 and runs no critic, and the
	// planner must value its leaves otherwise (PriorRollouts).
	Value bool
	// Mix is the weight, in [0, 1], of the uniform distribution mixed into
	// the probabilities, so that every action keeps some prior; 0 means
	// none.
	Mix float64
}

// Prior is a trained PPO policy as an mcts.Prior for an EnvPlanner whose
// discrete actions are those of mcts.EnvModel over the policy's action
// space with Config.Levels levels (see the package documentation). It is
// not safe for concurrent use.
type Prior struct {
	cfg    Config
	policy *ppo.Policy
	critic *guidedcem.PPO
	model  *mcts.EnvModel
	n, d   int

	edges     [][]float64 // per box dimension: the levels+1 cell edges
	mean, std []float64
	mass      []float64 // per dimension, Levels masses
	p32       []float32
}

var _ mcts.Prior = (*Prior)(nil)

// New returns the prior of p (which it clones: p stays usable elsewhere),
// or an error naming what is invalid.
func New(p *ppo.Policy, cfg Config) (*Prior, error) {
	if p == nil {
		return nil, errors.New("guidedmcts: nil ppo policy")
	}
	if !(cfg.Mix >= 0 && cfg.Mix <= 1) {
		return nil, fmt.Errorf("guidedmcts: mix=%v: want a weight in [0, 1]", cfg.Mix)
	}
	if cfg.Levels < 0 || cfg.Levels == 1 {
		return nil, fmt.Errorf("guidedmcts: levels=%d: want ≥ 2 (0 for %d)", cfg.Levels, mcts.DefaultLevels)
	}
	if cfg.Levels == 0 {
		cfg.Levels = mcts.DefaultLevels
	}
	space := p.ActionSpace()
	m, err := mcts.NewEnvModel(space, cfg.Levels, 1)
	if err != nil {
		return nil, fmt.Errorf("guidedmcts: %w", err)
	}
	pol := p.Clone()
	critic, err := guidedcem.NewPPO(pol)
	if err != nil {
		return nil, fmt.Errorf("guidedmcts: %w", err)
	}
	q := &Prior{cfg: cfg, policy: pol, critic: critic, model: m, n: m.NumActions()}
	if space.IsDiscrete() {
		q.p32 = make([]float32, space.N)
		return q, nil
	}
	q.d = space.Dim()
	q.mean, q.std = make([]float64, q.d), p.Std()
	q.mass = make([]float64, q.d*cfg.Levels)
	// The cells of a dimension's levels: between the midpoints to their
	// neighbours, the outer ones unbounded (a draw beyond the box is
	// clipped to its bound, the outer level).
	stride := 1
	for j := range q.d {
		e := make([]float64, cfg.Levels+1)
		e[0], e[cfg.Levels] = math.Inf(-1), math.Inf(1)
		for l := 1; l < cfg.Levels; l++ {
			e[l] = (m.Action((l - 1) * stride)[j] + m.Action(l * stride)[j]) / 2
		}
		q.edges = append(q.edges, e)
		stride *= cfg.Levels
	}
	return q, nil
}

// Config returns the prior's configuration, defaults filled in.
func (q *Prior) Config() Config { return q.cfg }

// Policy returns the prior's clone of the policy.
func (q *Prior) Policy() *ppo.Policy { return q.policy }

// NumActions is the number of discrete actions the prior covers.
func (q *Prior) NumActions() int { return q.n }

// Gamma is the discount the critic was trained with.
func (q *Prior) Gamma() float64 { return q.critic.Gamma() }

// ValueScale returns the factor from the critic's units to reward units:
// 1 for a critic trained on raw rewards, 0 while a NormReward critic's
// scale is unknown.
func (q *Prior) ValueScale() float64 { return q.critic.ValueScale() }

// SetValueScale sets the factor from the critic's units to reward units
// (one recorded with guidedcem.RecordScale, say).
func (q *Prior) SetValueScale(s float64) error {
	if err := q.critic.SetValueScale(s); err != nil {
		return fmt.Errorf("guidedmcts: %w", err)
	}
	return nil
}

// Calibrate fits and sets the value scale from episodes of the policy's
// own sampling in e, one per seed, with n-step returns
// (guidedcem.FitValueScale), and returns the fit with its cost. The env
// should be the one the policy was trained on.
func (q *Prior) Calibrate(ctx context.Context, e env.Env, seeds []uint64, n int) (guidedcem.ValueFit, error) {
	fit, err := q.critic.Calibrate(ctx, e, seeds, n)
	if err != nil {
		return fit, fmt.Errorf("guidedmcts: %w", err)
	}
	return fit, nil
}

// Prior writes the probability of every discrete action at obs into dst
// (NumActions entries, mcts.EnvModel's numbering) and returns the critic's
// value in reward units with Config.Value (0 without), with the forward
// passes and FLOPs of the actor and the critic.
func (q *Prior) Prior(obs []float64, dst []float32) (float64, argmax.Cost, error) {
	if len(dst) != q.n {
		return 0, argmax.Cost{}, fmt.Errorf("guidedmcts: %d priors for the %d discrete actions of %v at %d levels", len(dst), q.n, q.policy.ActionSpace(), q.cfg.Levels)
	}
	c, err := q.probs(obs, dst)
	if err != nil {
		return 0, c, fmt.Errorf("guidedmcts: %w", err)
	}
	if !q.cfg.Value {
		return 0, c, nil
	}
	v, vc, err := q.critic.Value(obs)
	c = c.Add(vc)
	if err != nil {
		return 0, c, fmt.Errorf("guidedmcts: %w", err)
	}
	return v, c, nil
}

// probs writes the action probabilities, mixed with the uniform.
func (q *Prior) probs(obs []float64, dst []float32) (argmax.Cost, error) {
	var c argmax.Cost
	var err error
	if q.d == 0 {
		c, err = q.policy.Distribution(context.Background(), env.Situation{Obs: obs}, argmax.Budget{}, q.p32)
		if err != nil {
			return c, err
		}
		copy(dst, q.p32)
	} else {
		if c, err = q.policy.Mean(obs, q.mean); err != nil {
			return c, err
		}
		q.gaussian(dst)
	}
	var sum float64
	for _, p := range dst {
		sum += float64(p)
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		return c, fmt.Errorf("probabilities summing to %v", sum)
	}
	u, mix := 1/float64(len(dst)), q.cfg.Mix
	for a, p := range dst {
		dst[a] = float32((1-mix)*float64(p)/sum + mix*u)
	}
	return c, nil
}

// gaussian writes the mass of the clipped Gaussian of q.mean and q.std
// at each joint action (dimension 0 varying fastest, as EnvModel numbers
// them).
func (q *Prior) gaussian(dst []float32) {
	L := q.cfg.Levels
	for j := range q.d {
		m, s, e := q.mean[j], q.std[j], q.edges[j]
		row := q.mass[j*L : (j+1)*L]
		if !(s > 0) || math.IsInf(s, 0) || math.IsNaN(m) {
			// A degenerate spread: all the mass on the mean's cell.
			clear(row)
			l := 0
			for l < L-1 && m >= e[l+1] {
				l++
			}
			row[l] = 1
			continue
		}
		for l := range L {
			row[l] = cellMass(e[l], e[l+1], m, s)
		}
	}
	for a := range dst {
		p, k := 1.0, a
		for j := range q.d {
			p *= q.mass[j*L+k%L]
			k /= L
		}
		dst[a] = float32(p)
	}
}

// cellMass is the probability that a normal draw of mean m and standard
// deviation s falls in [lo, hi), from the tail on the side of the cell
// away from the mean (erfc keeps far tails accurate).
func cellMass(lo, hi, m, s float64) float64 {
	z := func(x float64) float64 { return (x - m) / (s * math.Sqrt2) }
	if lo >= m { // upper tail: P(X ≥ lo) − P(X ≥ hi)
		return 0.5 * (math.Erfc(z(lo)) - math.Erfc(z(hi)))
	}
	if hi <= m { // lower tail: P(X < hi) − P(X < lo)
		return 0.5 * (math.Erfc(-z(hi)) - math.Erfc(-z(lo)))
	}
	return 1 - 0.5*math.Erfc(-z(lo)) - 0.5*math.Erfc(z(hi))
}
