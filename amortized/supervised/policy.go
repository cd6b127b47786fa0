package supervised

import (
	"context"
	"fmt"
	"math"

	"argmax"
	"argmax/game"
	"argmax/nn"
)

// paramPrefix names the net's parameters in checkpoints ("net.stem.weight").
const paramPrefix = "net"

// Policy is a trained policy/value net as a game.Policy: Decide plays the
// legal action with the largest policy logit, Distribution gives the
// softmax of the logits over the legal actions, and Evaluate scores a
// batch of positions for search (priors and values). Every answer is one
// forward pass; its Cost counts the forward passes and the FLOPs of the
// net's products as the net ran them. The net's answers were paid for by
// training (TrainingCost).
//
// A Policy is not safe for concurrent use: give each goroutine its own
// Clone, which shares the weights.
type Policy struct {
	net      *nn.PolicyValueNet[float32]
	enc      Encoding
	cfg      Config
	training argmax.Cost

	tp    *nn.Tape[float32]
	x     []float32
	legal []game.Action
	live  []int
}

var (
	_ game.Policy                    = (*Policy)(nil)
	_ argmax.Trainable               = (*Policy)(nil)
	_ argmax.Distributor[game.State] = (*Policy)(nil)
)

// newPolicy builds an untrained policy for enc with the net of cfg,
// initialized from cfg.Seed.
func newPolicy(enc Encoding, cfg Config) *Policy {
	pc := nn.PolicyValueConfig{
		Planes: enc.InPlanes(), Height: enc.Height, Width: enc.Width,
		Blocks: cfg.Net.Blocks, Channels: cfg.Net.Channels, Policy: enc.Actions, ValueHidden: cfg.Net.ValueHidden,
	}
	cfg.Progress = nil
	return &Policy{
		net: nn.NewPolicyValueNet[float32](nn.NewRand(cfg.Seed), paramPrefix, pc),
		enc: enc, cfg: cfg, tp: nn.NewTape[float32](nn.Eval),
	}
}

// Clone returns a policy that shares p's weights (read-only) but has its
// own scratch memory, for another goroutine (a search thread).
func (p *Policy) Clone() *Policy {
	return &Policy{net: p.net, enc: p.enc, cfg: p.cfg, training: p.training, tp: nn.NewTape[float32](nn.Eval)}
}

// Encoding returns how the policy reads positions.
func (p *Policy) Encoding() Encoding { return p.enc }

// Config returns the configuration the policy was trained with (without
// its Progress callback).
func (p *Policy) Config() Config { return p.cfg }

// Params returns the net's parameters and buffers (for inspection and
// probes; modifying them changes every clone).
func (p *Policy) Params() []*nn.Param[float32] { return p.net.Params() }

// TrainingCost is the cost of training (argmax.Trainable): gradient steps
// as Iterations, training examples seen as Samples, the forward passes and
// FLOPs of training and validation as counted by the net, the training
// wall time, plus Config.LabelCost.
func (p *Policy) TrainingCost() argmax.Cost { return p.training }

// forward runs the net on the first n inputs in p.x and returns the
// logits [n, actions], the values [n] and the FLOPs the pass took. The
// slices are valid until the next pass.
func (p *Policy) forward(n int) (logits, values []float32, flops int64) {
	p.tp.Reset()
	f0 := p.tp.FLOPs()
	x := p.tp.Const(p.x[:n*p.enc.Size()], n, p.enc.InPlanes(), p.enc.Height, p.enc.Width)
	l, v := p.net.Forward(p.tp, x)
	return l.Data, v.Data, p.tp.FLOPs() - f0
}

// input returns scratch for n encoded positions.
func (p *Policy) input(n int) []float32 {
	if need := n * p.enc.Size(); len(p.x) < need {
		p.x = make([]float32, need)
	}
	return p.x
}

// one runs the net on a single non-terminal state and returns its logits
// and the legal actions.
func (p *Policy) one(ctx context.Context, s game.State) ([]float32, []game.Action, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, argmax.Cost{}, err
	}
	p.legal = s.Legal(p.legal)
	if len(p.legal) == 0 {
		return nil, nil, argmax.Cost{}, fmt.Errorf("supervised: position %q: the game is over", s.String())
	}
	p.enc.Encode(s, p.input(1))
	logits, _, flops := p.forward(1)
	return logits, p.legal, argmax.Cost{ForwardPasses: 1, FLOPs: flops}, nil
}

// Decide plays the legal action with the largest policy logit (the first
// of equal ones). One forward pass is the least it can do, so the budget
// is not consulted; a cancelled ctx returns its error.
func (p *Policy) Decide(ctx context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	logits, legal, c, err := p.one(ctx, s)
	if err != nil {
		return 0, c, err
	}
	best := legal[0]
	for _, a := range legal[1:] {
		if logits[a] > logits[best] {
			best = a
		}
	}
	return best, c, nil
}

// Distribution writes the softmax of the policy logits over the legal
// actions into dst (NumActions entries, 0 for illegal actions).
func (p *Policy) Distribution(ctx context.Context, s game.State, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	if len(dst) < p.enc.Actions {
		return argmax.Cost{}, fmt.Errorf("supervised: distribution into %d entries, the game has %d actions", len(dst), p.enc.Actions)
	}
	logits, legal, c, err := p.one(ctx, s)
	if err != nil {
		return c, err
	}
	legalSoftmax(dst[:p.enc.Actions], logits, legal)
	return c, nil
}

// legalSoftmax writes the softmax of logits restricted to legal into dst
// and zero elsewhere.
func legalSoftmax(dst, logits []float32, legal []game.Action) {
	clear(dst)
	mx := float32(math.Inf(-1))
	for _, a := range legal {
		mx = max(mx, logits[a])
	}
	var s float64
	for _, a := range legal {
		e := math.Exp(float64(logits[a] - mx))
		dst[a] = float32(e)
		s += e
	}
	for _, a := range legal {
		dst[a] = float32(float64(dst[a]) / s)
	}
}

// Evaluate scores a batch of positions for search in one forward pass:
// for each state i it writes the softmax of the policy over the legal
// actions into priors[i*A:(i+1)*A] (A the game's number of actions, 0 for
// illegal actions) and the net's value for the side to move, in [-1, 1],
// into values[i]. A finished game gets zero priors and its outcome as
// value, without a pass. The states are left unchanged. It returns the
// counted cost: one forward pass per unfinished state and the FLOPs of the
// pass. It panics when priors or values are too short.
func (p *Policy) Evaluate(states []game.State, priors []float32, values []float32) argmax.Cost {
	A := p.enc.Actions
	if len(priors) < len(states)*A || len(values) < len(states) {
		panic(fmt.Sprintf("supervised: Evaluate of %d states into %d priors and %d values (want %d and %d)",
			len(states), len(priors), len(values), len(states)*A, len(states)))
	}
	p.live = p.live[:0]
	for i, s := range states {
		if over, o := s.Terminal(); over {
			clear(priors[i*A : (i+1)*A])
			values[i] = float32(o)
			continue
		}
		p.live = append(p.live, i)
	}
	if len(p.live) == 0 {
		return argmax.Cost{}
	}
	x, size := p.input(len(p.live)), p.enc.Size()
	for j, i := range p.live {
		p.enc.Encode(states[i], x[j*size:(j+1)*size])
	}
	logits, vals, flops := p.forward(len(p.live))
	for j, i := range p.live {
		p.legal = states[i].Legal(p.legal)
		legalSoftmax(priors[i*A:(i+1)*A], logits[j*A:(j+1)*A], p.legal)
		values[i] = vals[j]
	}
	return argmax.Cost{ForwardPasses: int64(len(p.live)), FLOPs: flops}
}

// Accuracy returns the share of examples in which the policy's move is
// optimal (keeps the game-theoretic value) and strictly optimal (has the
// best score), evaluating them in batches. Examples without a legal
// action are skipped.
func (p *Policy) Accuracy(examples []Example) (optimal, strict float64) {
	const batch = 256
	A := p.enc.Actions
	var nOpt, nStrict, n int
	states := make([]game.State, 0, batch)
	priors := make([]float32, batch*A)
	values := make([]float32, batch)
	for i := 0; i < len(examples); i += batch {
		states = states[:0]
		chunk := examples[i:min(i+batch, len(examples))]
		for _, e := range chunk {
			states = append(states, e.State)
		}
		p.Evaluate(states, priors, values)
		for j, e := range chunk {
			if Best(e.Scores) == Illegal {
				continue
			}
			a := argmaxAction(priors[j*A : (j+1)*A])
			n++
			if Optimal(e.Scores, a) {
				nOpt++
			}
			if StrictlyOptimal(e.Scores, a) {
				nStrict++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(nOpt) / float64(n), float64(nStrict) / float64(n)
}

// argmaxAction returns the index of the largest entry (the first of
// equal ones).
func argmaxAction(v []float32) game.Action {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return game.Action(best)
}
