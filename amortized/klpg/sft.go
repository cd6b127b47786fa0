package klpg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax"
	"argmax/task/prefs"
)

// SFTConfig configures SFT. Zero fields take the defaults documented on
// each field.
type SFTConfig struct {
	Samples int // teacher answers to fit: 0 means 1000
	// Prior is the weight, in pseudo-samples per row, of the Dirichlet
	// prior at π_base's conditional: 0 means 1. It keeps rows the teacher
	// never visits at π_base.
	Prior float64
	// Budget is passed to every teacher decision.
	Budget argmax.Budget
	// Seed seeds the policy's answers.
	Seed uint64
}

func (c SFTConfig) withDefaults() (SFTConfig, error) {
	if c.Samples == 0 {
		c.Samples = 1000
	}
	if c.Prior == 0 {
		c.Prior = 1
	}
	switch {
	case c.Samples < 0:
		return c, fmt.Errorf("klpg: SFTConfig.Samples = %d: want ≥ 1", c.Samples)
	case !(c.Prior > 0) || math.IsInf(c.Prior, 0):
		return c, fmt.Errorf("klpg: SFTConfig.Prior = %v: want finite and > 0", c.Prior)
	}
	if err := c.Budget.Check(); err != nil {
		return c, fmt.Errorf("klpg: SFTConfig.Budget: %w", err)
	}
	return c, nil
}

// SFT fits the tabular policy to cfg.Samples answers of teacher: row r's
// distribution becomes (counts_r + Prior·π_base(·|r)) / (n_r + Prior), the
// maximizer of the samples' log-likelihood plus the Dirichlet log-prior.
// The teacher's costs are summed into the policy's TrainingCost.
func SFT(ctx context.Context, p *prefs.Problem, teacher argmax.Decider[prefs.Prompt, int], cfg SFTConfig) (*Policy, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if teacher == nil {
		return nil, errors.New("klpg: SFT: nil teacher")
	}
	base := p.Base()
	v, l := base.V(), base.L()
	counts := make([]float64, base.Rows()*v)
	var cost argmax.Cost
	tokens := make([]int, l)
	for i := range cfg.Samples {
		y, c, err := teacher.Decide(ctx, prefs.Prompt{}, cfg.Budget)
		if err != nil {
			return nil, fmt.Errorf("klpg: SFT: teacher answer %d: %w", i, err)
		}
		if y < 0 || y >= p.Size() {
			return nil, fmt.Errorf("klpg: SFT: teacher answer %d = %d: want a response in 0..%d", i, y, p.Size()-1)
		}
		cost = cost.Add(c)
		prev := 0
		for t, tok := range p.Tokens(y, tokens) {
			counts[base.Row(t, prev)*v+tok]++
			prev = tok
		}
	}
	logits := make([]float64, len(counts))
	for r := range base.Rows() {
		lp := base.LogProbs(r)
		for k := range v {
			logits[r*v+k] = math.Log(counts[r*v+k] + cfg.Prior*math.Exp(lp[k]))
		}
	}
	pol, err := prefs.NewPolicy(v, l, logits)
	if err != nil {
		return nil, fmt.Errorf("klpg: SFT: %w", err)
	}
	cost.Decisions = int64(cfg.Samples)
	return &Policy{
		pol:      pol,
		dist:     pol.Dist(nil),
		training: cost,
		tokens:   l,
		rng:      rand.New(rand.NewPCG(cfg.Seed, streamDecide)),
	}, nil
}
