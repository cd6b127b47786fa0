package klpg

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax"
	"argmax/task/prefs"
)

// Config configures Train. Zero fields other than Beta and Seed take the
// defaults documented on each field.
type Config struct {
	Beta   float64 // KL coefficient β ≥ 0 (0: maximize the proxy alone)
	Steps  int     // policy-gradient steps: 0 means 500
	Batch  int     // samples per step, ≥ 2 (the baseline leaves one out): 0 means 64
	LR     float64 // Adam's initial learning rate, decayed linearly to 0: 0 means 0.1
	Record int     // record the exact point every Record steps (and at the end): 0 means Steps/50, at least 1
	Seed   uint64  // seeds the training samples and the policy's answers
}

func (c Config) withDefaults() (Config, error) {
	if c.Steps == 0 {
		c.Steps = 500
	}
	if c.Batch == 0 {
		c.Batch = 64
	}
	if c.LR == 0 {
		c.LR = 0.1
	}
	if c.Record == 0 {
		c.Record = max(c.Steps/50, 1)
	}
	switch {
	case !(c.Beta >= 0) || math.IsInf(c.Beta, 0):
		return c, fmt.Errorf("klpg: Config.Beta = %v: want finite and ≥ 0", c.Beta)
	case c.Steps < 0:
		return c, fmt.Errorf("klpg: Config.Steps = %d: want ≥ 1", c.Steps)
	case c.Batch < 2:
		return c, fmt.Errorf("klpg: Config.Batch = %d: want ≥ 2", c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return c, fmt.Errorf("klpg: Config.LR = %v: want finite and > 0", c.LR)
	case c.Record < 0:
		return c, fmt.Errorf("klpg: Config.Record = %d: want ≥ 1", c.Record)
	}
	return c, nil
}

// PCG streams, so that training and answering never share random numbers.
const (
	streamTrain  = 0x2545f4914f6cdd1d
	streamDecide = 0x5851f42d4c957f2d
)

// Record is the exact state of training after Step steps.
type Record struct {
	Step int
	J    float64 // E_π[r_proxy] − β·KL(π‖π_base)
	prefs.Point
}

// Policy is a trained policy: it answers argmax.Decider[prefs.Prompt, int]
// decisions by sampling a response, and reports its training apart
// (argmax.Trainable). It is not safe for concurrent use.
type Policy struct {
	pol      *prefs.Policy
	dist     []float64
	curve    []Record
	training argmax.Cost
	tokens   int
	rng      *rand.Rand
}

// Decide samples one response from the policy: Cost.Samples = 1 and
// Cost.Steps = L (the tokens drawn).
func (q *Policy) Decide(ctx context.Context, _ prefs.Prompt, b argmax.Budget) (int, argmax.Cost, error) {
	if err := b.Check(); err != nil {
		return 0, argmax.Cost{}, fmt.Errorf("klpg: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return 0, argmax.Cost{}, err
	}
	return q.pol.Sample(q.rng, nil), argmax.Cost{Samples: 1, Steps: int64(q.tokens)}, nil
}

// TrainingCost returns what training took: Iterations (gradient steps),
// Samples (responses sampled, from the policy or a teacher) and Steps
// (tokens sampled by the policy).
func (q *Policy) TrainingCost() argmax.Cost { return q.training }

// Policy returns the trained distribution.
func (q *Policy) Policy() *prefs.Policy { return q.pol }

// Dist returns the exact probability of every response. The slice is the
// policy's own and must not be modified.
func (q *Policy) Dist() []float64 { return q.dist }

// Curve returns the records of training (nil for SFT): step 0 (π_base),
// every Config.Record steps, and the last step. The slice is the policy's
// own and must not be modified.
func (q *Policy) Curve() []Record { return q.curve }

// Objective returns the exact J(dist) = E[r_proxy] − β·KL(dist‖π_base).
func Objective(p *prefs.Problem, proxy *prefs.Proxy, dist []float64, beta float64) float64 {
	return prefs.Expect(dist, proxy.Scores()) - beta*prefs.KL(dist, p.BaseDist())
}

// Optimal returns the exact maximizer of J, π* ∝ π_base·exp(r_proxy/β), and
// J(π*) = β·log E_base[exp(r_proxy/β)]; β must be > 0.
func Optimal(p *prefs.Problem, proxy *prefs.Proxy, beta float64) ([]float64, float64, error) {
	if !(beta > 0) || math.IsInf(beta, 0) {
		return nil, 0, fmt.Errorf("klpg: Optimal: β = %v: want finite and > 0", beta)
	}
	base, r := p.BaseDist(), proxy.Scores()
	m := math.Inf(-1)
	for y, pb := range base {
		if pb > 0 {
			m = max(m, r[y]/beta)
		}
	}
	dist := make([]float64, len(base))
	z := 0.0
	for y, pb := range base {
		if pb > 0 {
			dist[y] = pb * math.Exp(r[y]/beta-m)
			z += dist[y]
		}
	}
	for y := range dist {
		dist[y] /= z
	}
	return dist, beta * (m + math.Log(z)), nil
}

// trainer holds the state of one training run.
type trainer struct {
	p      *prefs.Problem
	proxy  *prefs.Proxy
	cfg    Config
	logits []float64
	pol    *prefs.Policy
	m, v   []float64 // Adam moments
	grad   []float64
	ys     []int
	toks   [][]int
	rew    []float64
	rng    *rand.Rand
	t      int
}

// Train trains a policy against proxy with the KL penalty cfg.Beta,
// starting from π_base.
func Train(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy, cfg Config) (*Policy, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	base := p.Base()
	v, l := base.V(), base.L()
	tr := &trainer{p: p, proxy: proxy, cfg: cfg, pol: base, rng: rand.New(rand.NewPCG(cfg.Seed, streamTrain))}
	n := base.Rows() * v
	tr.logits = make([]float64, n)
	for r := range base.Rows() {
		copy(tr.logits[r*v:(r+1)*v], base.LogProbs(r))
	}
	tr.m, tr.v, tr.grad = make([]float64, n), make([]float64, n), make([]float64, n)
	tr.ys, tr.rew, tr.toks = make([]int, cfg.Batch), make([]float64, cfg.Batch), make([][]int, cfg.Batch)
	for i := range tr.toks {
		tr.toks[i] = make([]int, l)
	}
	q := &Policy{tokens: l, rng: rand.New(rand.NewPCG(cfg.Seed, streamDecide))}
	var dist []float64
	record := func(step int) {
		dist = tr.pol.Dist(dist)
		pt := p.Evaluate(dist, proxy)
		pt.Param = float64(step)
		q.curve = append(q.curve, Record{Step: step, J: Objective(p, proxy, dist, cfg.Beta), Point: pt})
	}
	record(0)
	for step := 1; step <= cfg.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := tr.step(1 - float64(step-1)/float64(cfg.Steps)); err != nil {
			return nil, err
		}
		if step%cfg.Record == 0 || step == cfg.Steps {
			record(step)
		}
	}
	q.pol, q.dist = tr.pol, tr.pol.Dist(nil)
	b := int64(cfg.Batch)
	q.training = argmax.Cost{Iterations: int64(cfg.Steps), Samples: int64(cfg.Steps) * b, Steps: int64(cfg.Steps) * b * int64(l)}
	return q, nil
}

// Adam's constants.
const (
	adamB1  = 0.9
	adamB2  = 0.999
	adamEps = 1e-8
)

// step takes one REINFORCE step with the learning rate scaled by decay.
func (tr *trainer) step(decay float64) error {
	base, pol := tr.p.Base(), tr.pol
	v := pol.V()
	scores := tr.proxy.Scores()
	sum := 0.0
	for i := range tr.ys {
		y := pol.Sample(tr.rng, tr.toks[i])
		tr.ys[i] = y
		tr.rew[i] = scores[y] - tr.cfg.Beta*(pol.LogProb(y)-base.LogProb(y))
		sum += tr.rew[i]
	}
	// ∇ log π(y) with respect to the logits of row r = (t, y_{t−1}) is
	// onehot(y_t) − π(·|r).
	clear(tr.grad)
	b := float64(len(tr.ys))
	for i, toks := range tr.toks {
		adv := (tr.rew[i] - (sum-tr.rew[i])/(b-1)) / b
		prev := 0
		for t, tok := range toks {
			r := pol.Row(t, prev)
			g := tr.grad[r*v : (r+1)*v]
			for k, lp := range pol.LogProbs(r) {
				g[k] -= adv * math.Exp(lp)
			}
			g[tok] += adv
			prev = tok
		}
	}
	tr.t++
	c1 := 1 - math.Pow(adamB1, float64(tr.t))
	c2 := 1 - math.Pow(adamB2, float64(tr.t))
	lr := tr.cfg.LR * decay
	for j, g := range tr.grad {
		tr.m[j] = adamB1*tr.m[j] + (1-adamB1)*g
		tr.v[j] = adamB2*tr.v[j] + (1-adamB2)*g*g
		tr.logits[j] += lr * (tr.m[j] / c1) / (math.Sqrt(tr.v[j]/c2) + adamEps)
	}
	next, err := prefs.NewPolicy(v, pol.L(), tr.logits)
	if err != nil {
		return fmt.Errorf("klpg: step %d: %w", tr.t, err)
	}
	tr.pol = next
	return nil
}
