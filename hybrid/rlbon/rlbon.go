// Package rlbon is best-of-n over a trained policy, a hybrid of the
// overoptimization study (task/prefs): a KL-penalized policy-gradient
// policy (amortized/klpg) is trained once against the proxy, and at answer
// time best-of-n (direct/bestofn) draws n candidates from it and keeps the
// proxy's favourite — training-time and answer-time optimization of the
// same proxy, stacked. Its curve is exact, like its parents'.
package rlbon

import (
	"context"
	"fmt"

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
