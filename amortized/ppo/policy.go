package ppo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"argmax"
	"argmax/env"
	"argmax/nn"
)

// Policy is a trained PPO actor-critic as an env.Policy. Decide answers
// with one forward pass of the actor over the observation (normalized with
// the statistics frozen at the end of training): the most probable action
// of a discrete space (the first of equal ones), or the Gaussian mean
// clipped to the box — or, after Sampling, a draw from the policy. Its Cost
// counts the forward pass and the FLOPs the nn tape counted. Distribution
// gives the action probabilities of a discrete policy, Value the critic's
// estimate, TrainingCost what training took.
//
// A Policy is not safe for concurrent use: give each goroutine its own
// Clone, which shares the weights.
type Policy struct {
	ag       *agent
	norm     normalizer
	stats    *runningMeanStd // the frozen statistics (nil without normalization)
	space    env.Space       // the action space
	cfg      Config
	training argmax.Cost

	sample bool
	src    *rand.PCG // the sampling stream (nil for the mode)
	rng    *rand.Rand

	tp  *nn.Tape[float32]
	x   []float32
	lsm []float32
	act []float64
}

var (
	_ env.Policy                        = (*Policy)(nil)
	_ argmax.Trainable                  = (*Policy)(nil)
	_ argmax.Distributor[env.Situation] = (*Policy)(nil)
)

// policy returns the trainer's agent as a Policy.
func (t *trainer) policy() *Policy {
	p := &Policy{ag: t.ag, space: t.space, cfg: t.cfg, training: t.trainingCost()}
	if t.obsRMS != nil {
		p.stats = &runningMeanStd{Mean: slices.Clone(t.obsRMS.Mean), Var: slices.Clone(t.obsRMS.Var), Count: t.obsRMS.Count}
		p.norm = p.stats.freeze(t.cfg.ObsClip)
	}
	p.init()
	return p
}

// init allocates the scratch.
func (p *Policy) init() {
	p.tp = nn.NewTape[float32](nn.Eval)
	p.x = make([]float32, p.ag.obsDim)
	p.lsm = make([]float32, p.ag.outDim)
	p.act = make([]float64, p.space.Dim())
}

// Clone returns a policy sharing p's weights (read-only) with its own
// scratch; a sampling policy's clone samples from a copy of its stream.
func (p *Policy) Clone() *Policy {
	q := &Policy{ag: p.ag, norm: p.norm, stats: p.stats, space: p.space, cfg: p.cfg, training: p.training, sample: p.sample}
	if p.src != nil {
		src := *p.src
		q.src = &src
		q.rng = rand.New(q.src)
	}
	q.init()
	return q
}

// Sampling returns a clone of p that draws its actions from the policy
// (the categorical distribution, or the Gaussian clipped to the box) with a
// stream seeded by seed, instead of answering with the mode.
func (p *Policy) Sampling(seed uint64) *Policy {
	q := p.Clone()
	q.sample = true
	q.src = rand.NewPCG(seed, streamActions)
	q.rng = rand.New(q.src)
	return q
}

// Config returns the configuration the policy was trained with (defaults
// filled in).
func (p *Policy) Config() Config {
	c := p.cfg
	c.Hidden = slices.Clone(c.Hidden)
	return c
}

// ActionSpace returns the action space the policy answers in.
func (p *Policy) ActionSpace() env.Space { return p.space }

// ObsDim returns the length of the observations the policy reads.
func (p *Policy) ObsDim() int { return p.ag.obsDim }

// Params returns the nets' parameters: the actor's, the Gaussian's log
// standard deviation (boxes), the critic's. Modifying them changes every
// clone.
func (p *Policy) Params() []*nn.Param[float32] { return p.ag.params() }

// TrainingCost is the cost of training (argmax.Trainable): env steps as
// Steps, gradient steps as Iterations, the forward passes (one per net and
// observation: rollouts, bootstraps and gradient steps) and the FLOPs of
// the nets' products forward and backward, as counted by the nn tapes, and
// the wall time of training.
func (p *Policy) TrainingCost() argmax.Cost { return p.training }

// input normalizes obs into p.x.
func (p *Policy) input(obs []float64) error {
	if len(obs) != p.ag.obsDim {
		return fmt.Errorf("ppo: observation of %d values, the policy reads %d", len(obs), p.ag.obsDim)
	}
	p.norm.apply(p.x, obs)
	return nil
}

// actor runs the actor on p.x and returns its output (logits or mean) and
// the pass's cost.
func (p *Policy) actor() ([]float32, argmax.Cost) {
	p.tp.Reset()
	f0 := p.tp.FLOPs()
	out := p.ag.actor.Forward(p.tp, p.tp.Const(p.x, 1, p.ag.obsDim))
	return out.Data, argmax.Cost{ForwardPasses: 1, FLOPs: p.tp.FLOPs() - f0}
}

// Decide answers the situation's observation with an action (the
// policy's buffer, valid until its next decision): one forward pass of the
// actor, so the budget is not consulted. A cancelled ctx returns its
// error, an observation of the wrong length an error.
func (p *Policy) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	if err := p.input(s.Obs); err != nil {
		return nil, argmax.Cost{}, err
	}
	out, c := p.actor()
	if p.ag.discrete {
		var a int
		if p.sample {
			logSoftmax(p.lsm, out)
			a = sampleCategorical(p.rng, p.lsm)
		} else {
			for k, v := range out {
				if v > out[a] {
					a = k
				}
			}
		}
		p.act[0] = float64(a)
		return p.act, c, nil
	}
	for j, m := range out {
		a := float64(m)
		if p.sample {
			a += math.Exp(float64(p.ag.logStd.Data[j])) * p.rng.NormFloat64()
		}
		p.act[j] = min(max(a, p.space.Low[j]), p.space.High[j])
	}
	return p.act, c, nil
}

// Distribution writes the probabilities the policy gives each action of a
// discrete space into dst (one entry per action), from one forward pass.
// A box policy has no such distribution: it returns an error.
func (p *Policy) Distribution(ctx context.Context, s env.Situation, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return argmax.Cost{}, err
	}
	if !p.ag.discrete {
		return argmax.Cost{}, fmt.Errorf("ppo: a Gaussian policy over %v has no distribution over actions", p.space)
	}
	if len(dst) != p.space.N {
		return argmax.Cost{}, fmt.Errorf("ppo: distribution into %d entries, the policy has %d actions", len(dst), p.space.N)
	}
	if err := p.input(s.Obs); err != nil {
		return argmax.Cost{}, err
	}
	out, c := p.actor()
	logSoftmax(dst, out)
	for k, l := range dst {
		dst[k] = float32(math.Exp(float64(l)))
	}
	return c, nil
}

// Value returns the critic's estimate of the discounted return from obs
// (in the units of the rewards it was trained on: scaled ones when
// Config.NormReward is on), from one forward pass of the critic.
func (p *Policy) Value(obs []float64) (float64, argmax.Cost, error) {
	if err := p.input(obs); err != nil {
		return 0, argmax.Cost{}, err
	}
	p.tp.Reset()
	f0 := p.tp.FLOPs()
	v := p.ag.critic.Forward(p.tp, p.tp.Const(p.x, 1, p.ag.obsDim))
	return float64(v.Data[0]), argmax.Cost{ForwardPasses: 1, FLOPs: p.tp.FLOPs() - f0}, nil
}

// Std returns the standard deviations of a Gaussian policy (nil for a
// discrete one).
func (p *Policy) Std() []float64 {
	if p.ag.logStd == nil {
		return nil
	}
	s := make([]float64, len(p.ag.logStd.Data))
	for j, l := range p.ag.logStd.Data {
		s[j] = math.Exp(float64(l))
	}
	return s
}

// logSoftmax writes the log-softmax of x into dst, in float64.
func logSoftmax(dst, x []float32) {
	mx := x[0]
	for _, v := range x[1:] {
		mx = max(mx, v)
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v - mx))
	}
	lse := float64(mx) + math.Log(s)
	for k, v := range x {
		dst[k] = float32(float64(v) - lse)
	}
}
