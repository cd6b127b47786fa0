package claims

import (
	"math"
	"math/rand/v2"

	"argmax/game"
	"argmax/lab"
	"argmax/nn"
)

// mlpPolicy is the amortized policy with a function approximator: a
// multilayer perceptron (argmax/nn) from the position's observation planes
// to one logit per action, trained by cross-entropy on the labels. It
// answers with one forward pass, the best legal logit; unlike the table it
// generalizes to positions it never saw.
type mlpPolicy struct {
	net     *nn.MLP[float32]
	in, out int
	tp      *nn.Tape[float32]
	x       []float32
	flops   int64 // multiply-adds ×2 of one forward pass
}

// mlpConfig sets up training.
type mlpConfig struct {
	hidden []int   // hidden layer widths
	steps  int     // Adam steps
	batch  int     // examples per step
	lr     float64 // peak learning rate (cosine schedule)
}

// trainMLP fits a policy to the labelled examples. With no data it returns
// the untrained (randomly initialized) net.
func trainMLP(g game.Game, data []example, cfg mlpConfig, seed uint64) *mlpPolicy {
	planes, rows, cols := g.Shape()
	in, out := planes*rows*cols, g.NumActions()
	sizes := append(append([]int{in}, cfg.hidden...), out)
	rng := nn.NewRand(seed)
	p := &mlpPolicy{net: nn.NewMLP[float32](rng, "policy", sizes, nn.ReLU, nn.Identity), in: in, out: out,
		tp: nn.NewTape[float32](nn.Eval), x: make([]float32, in)}
	for i := 1; i < len(sizes); i++ {
		p.flops += 2 * int64(sizes[i-1]) * int64(sizes[i])
	}
	if len(data) == 0 || cfg.steps == 0 {
		return p
	}
	xs := make([]float32, len(data)*in)
	for i, e := range data {
		e.state.Encode(xs[i*in : (i+1)*in])
	}
	opt := nn.NewAdam(p.net.Params(), nn.CosineLR(cfg.lr, cfg.steps/20, cfg.steps, cfg.lr/50))
	tp := nn.NewTape[float32](nn.Train)
	bs := min(cfg.batch, len(data))
	xb := make([]float32, bs*in)
	yb := make([]int, bs)
	order := rand.New(rand.NewPCG(seed, 77))
	perm := order.Perm(len(data))
	pos := 0
	for step := 0; step < cfg.steps; step++ {
		for j := 0; j < bs; j++ {
			if pos == len(perm) {
				order.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
				pos = 0
			}
			k := perm[pos]
			pos++
			copy(xb[j*in:(j+1)*in], xs[k*in:(k+1)*in])
			yb[j] = int(data[k].action)
		}
		tp.Reset()
		loss := tp.CrossEntropy(p.net.Forward(tp, tp.Const(xb, bs, in)), yb)
		tp.Backward(loss)
		opt.Step()
	}
	return p
}

// logits runs one forward pass on s and returns the logits (valid until
// the next call).
func (p *mlpPolicy) logits(s game.State) []float32 {
	s.Encode(p.x)
	p.tp.Reset()
	return p.net.Forward(p.tp, p.tp.Const(p.x, 1, p.in)).Data
}

// move returns the legal action with the largest logit.
func (p *mlpPolicy) move(s game.State) game.Action {
	z := p.logits(s)
	best, bv := game.Action(-1), float32(math.Inf(-1))
	for a := 0; a < p.out; a++ {
		if z[a] > bv && s.IsLegal(game.Action(a)) {
			best, bv = game.Action(a), z[a]
		}
	}
	return best
}

// prior writes the softmax of the legal actions' logits into dst.
func (p *mlpPolicy) prior(s game.State, legal []game.Action, dst []float32) {
	z := p.logits(s)
	m := float32(math.Inf(-1))
	for _, a := range legal {
		m = max(m, z[a])
	}
	var sum float32
	for i, a := range legal {
		dst[i] = float32(math.Exp(float64(z[a] - m)))
		sum += dst[i]
	}
	for i := range legal {
		dst[i] /= sum
	}
}

// clone returns a policy sharing the weights with its own scratch (for
// concurrent search threads).
func (p *mlpPolicy) clone() *mlpPolicy {
	q := *p
	q.tp = nn.NewTape[float32](nn.Eval)
	q.x = make([]float32, p.in)
	return &q
}

// policy is what the learners share: a move, and priors for search.
type policy interface {
	move(s game.State, rng *rand.Rand) game.Action
	prior(s game.State, legal []game.Action, dst []float32)
}

type mlpAsPolicy struct{ *mlpPolicy }

func (m mlpAsPolicy) move(s game.State, _ *rand.Rand) game.Action { return m.mlpPolicy.move(s) }

// tttMLP is the training setup of the tic-tac-toe policy net: steps grow
// with the data (about 4 epochs) between 200 and 2000.
func tttMLP(examples int) mlpConfig {
	steps := min(2000, max(200, 4*examples/128))
	return mlpConfig{hidden: []int{128, 128}, steps: steps, batch: 128, lr: 3e-3}
}

// learnerParam is the parameter that picks the amortized learner.
var learnerParam = lab.Param{Name: "learner", Kind: lab.String, Doc: "amortized learner: mlp (a policy net, argmax/nn) or table (a lookup table of labels)",
	Quick: "mlp", Choices: []string{"mlp", "table"}}

// fitLearner fits the named learner to tic-tac-toe data.
func fitLearner(kind string, data []example, seed uint64) policy {
	if kind == "table" {
		tab := newTabular(9)
		tab.fit(data)
		return tab
	}
	return mlpAsPolicy{trainMLP(gameByName("tictactoe"), data, tttMLP(len(data)), seed)}
}

// clonePolicy returns a policy safe to use beside p in another goroutine.
func clonePolicy(p policy) policy {
	if m, ok := p.(mlpAsPolicy); ok {
		return mlpAsPolicy{m.clone()}
	}
	return p
}
