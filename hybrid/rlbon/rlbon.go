// Package rlbon is best-of-n over a trained policy, a hybrid of the
// overoptimization study (task/prefs): a KL-penalized policy-gradient
// policy (amortized/klpg) is trained once against the proxy, and at answer
// time best-of-n (direct/bestofn) draws n candidates from it and keeps the
// proxy's favourite — training-time and answer-time optimization of the
// same proxy, stacked. Sweep traces its exact curve (like its parents');
// New returns it as a Decider whose decisions count their samples.
package rlbon

import (
	"context"
	"fmt"

	"argmax"
	"argmax/amortized/klpg"
	"argmax/direct/bestofn"
	"argmax/task/prefs"
)

// Sweep trains the policy with Config and traces best-of-n over it for
// n = 1..MaxN (n = 1 is the policy itself). It implements prefs.Method.
type Sweep struct {
	Config klpg.Config
	MaxN   int // largest n, ≥ 1
}

// Name names the sweep.
func (s Sweep) Name() string {
	return fmt.Sprintf("best-of-n-over-kl-pg:β=%g,n=1..%d", s.Config.Beta, s.MaxN)
}

// Curve returns one exact point per n (Param = n): KL to π_base and the
// gold and proxy gains of best-of-n over the trained policy.
func (s Sweep) Curve(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy) ([]prefs.Point, error) {
	if s.MaxN < 1 {
		return nil, fmt.Errorf("rlbon: Sweep.MaxN = %d: want ≥ 1", s.MaxN)
	}
	q, err := klpg.Train(ctx, p, proxy, s.Config)
	if err != nil {
		return nil, err
	}
	return bestofn.Sweep{MaxN: s.MaxN, Over: q.Dist()}.Curve(ctx, p, proxy)
}

// Decider is the hybrid as an argmax.Decider: best-of-n whose candidates
// come from the trained policy. Its decisions count Cost.Samples as they
// draw; Trained reports the policy's training apart.
type Decider struct {
	*bestofn.Decider[prefs.Prompt, int]
	Trained *klpg.Policy
}

// TrainingCost is the policy's training cost (argmax.Trainable).
func (d *Decider) TrainingCost() argmax.Cost { return d.Trained.TrainingCost() }

// New trains the policy with train against proxy and returns best-of-n over
// it, configured by bon.
func New(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy, train klpg.Config, bon bestofn.Config) (*Decider, error) {
	q, err := klpg.Train(ctx, p, proxy, train)
	if err != nil {
		return nil, err
	}
	d, err := bestofn.New[prefs.Prompt, int](q.Policy(), proxy, bon)
	if err != nil {
		return nil, err
	}
	return &Decider{Decider: d, Trained: q}, nil
}
