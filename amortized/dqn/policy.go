package dqn

import (
	"context"
	"fmt"

	"argmax"
	"argmax/env"
	"argmax/nn"
)

// paramPrefix names the Q-network's parameters in checkpoints
// ("q.0.weight", "q.0.bias", ...).
const paramPrefix = "q"

// Policy is a trained Q-network as an env.Policy: Decide takes the action
// of largest Q-value (the greedy policy), computed by one forward pass.
// Its Cost counts that pass and the FLOPs of its products as the net ran
// them; the net's answers were paid for by training (TrainingCost).
//
// A Policy is not safe for concurrent use: give each goroutine its own
// Clone, which shares the weights.
type Policy struct {
	net      *nn.MLP[float32]
	obsDim   int
	actions  int
	envName  string
	cfg      Config
	training argmax.Cost

	tp     *nn.Tape[float32]
	x      []float32
	action [1]float64
}

var (
	_ env.Policy       = (*Policy)(nil)
	_ argmax.Trainable = (*Policy)(nil)
)

// newPolicy returns an untrained policy (weights drawn from seed) for
// observations of obsDim values and n actions.
func newPolicy(envName string, obsDim, actions int, cfg Config, seed uint64) *Policy {
	return &Policy{
		net:    newNet(seed, obsDim, actions, cfg.Hidden),
		obsDim: obsDim, actions: actions, envName: envName, cfg: cfg.clone(),
		tp: nn.NewTape[float32](nn.Eval),
	}
}

// newNet returns the Q-network: an MLP from obsDim inputs through the
// hidden ReLU layers to one linear output per action.
func newNet(seed uint64, obsDim, actions int, hidden []int) *nn.MLP[float32] {
	sizes := append(append([]int{obsDim}, hidden...), actions)
	return nn.NewMLP[float32](nn.NewRand(seed), paramPrefix, sizes, nn.ReLU, nn.Identity)
}

// Clone returns a policy that shares p's weights (read-only) but has its
// own scratch memory, for another goroutine.
func (p *Policy) Clone() *Policy {
	return &Policy{net: p.net, obsDim: p.obsDim, actions: p.actions, envName: p.envName, cfg: p.cfg.clone(),
		training: p.training, tp: nn.NewTape[float32](nn.Eval)}
}

// ObsDim is the length of the observations the policy reads.
func (p *Policy) ObsDim() int { return p.obsDim }

// Actions is the number of discrete actions it chooses from.
func (p *Policy) Actions() int { return p.actions }

// EnvName is the name of the env the policy was trained on.
func (p *Policy) EnvName() string { return p.envName }

// Config returns the configuration the policy was trained with.
func (p *Policy) Config() Config { return p.cfg.clone() }

// Params returns the Q-network's parameters, for inspection and probes
// (modifying them changes every clone).
func (p *Policy) Params() []*nn.Param[float32] { return p.net.Params() }

// TrainingCost is the cost of training (argmax.Trainable): env steps
// (Steps, evaluation episodes included), gradient steps (Iterations),
// transitions sampled from the replay buffer (Samples), the forward passes
// and FLOPs of acting, learning and evaluating as counted by the nets
// (Q-network and target network), and the training wall time (Elapsed).
func (p *Policy) TrainingCost() argmax.Cost { return p.training }

// forward runs the net on the n observations of obs (n rows of ObsDim
// values) and returns the Q-values, n rows of Actions (valid until the
// next pass), and the FLOPs the pass took.
func (p *Policy) forward(obs []float64, n int) ([]float32, int64) {
	need := n * p.obsDim
	if len(p.x) < need {
		p.x = make([]float32, need)
	}
	x := p.x[:need]
	for i, v := range obs[:need] {
		x[i] = float32(v)
	}
	p.tp.Reset()
	f0 := p.tp.FLOPs()
	q := p.net.Forward(p.tp, p.tp.Const(x, n, p.obsDim))
	return q.Data, p.tp.FLOPs() - f0
}

// greedy returns the index of the largest of q (the first of equal ones).
func greedy(q []float32) int {
	best := 0
	for a, v := range q {
		if v > q[best] {
			best = a
		}
	}
	return best
}

// Decide returns the greedy action for s.Obs (a one-element action
// holding its index, in the policy's own buffer, valid until the next
// decision). One forward pass is the least it can do, so the budget is
// not consulted; a cancelled ctx returns its error, and an observation of
// the wrong length an error naming it.
func (p *Policy) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	if len(s.Obs) != p.obsDim {
		return nil, argmax.Cost{}, fmt.Errorf("dqn: observation of %d values, want %d", len(s.Obs), p.obsDim)
	}
	q, flops := p.forward(s.Obs, 1)
	p.action[0] = float64(greedy(q))
	return p.action[:], argmax.Cost{ForwardPasses: 1, FLOPs: flops}, nil
}

// Values appends to dst the Q-values of obs, one per action, and returns
// the extended slice. obs must hold ObsDim values.
func (p *Policy) Values(dst []float64, obs []float64) []float64 {
	if len(obs) != p.obsDim {
		panic(fmt.Sprintf("dqn: Values of an observation of %d values, want %d", len(obs), p.obsDim))
	}
	q, _ := p.forward(obs, 1)
	for _, v := range q {
		dst = append(dst, float64(v))
	}
	return dst
}

// FLOPsPerDecision returns the FLOPs of one decision's forward pass, as
// counted by the net on a pass over a zero observation.
func (p *Policy) FLOPsPerDecision() int64 {
	_, f := p.Clone().forward(make([]float64, p.obsDim), 1)
	return f
}
