package klpg

import (
	"context"
	"errors"
	"fmt"

	"argmax"
	"argmax/task/prefs"
)

// Trajectory is the KL-penalized policy's curve over training: the exact
// point recorded every Config.Record steps (Param = step), starting at
// π_base (d = 0). It implements prefs.Method.
type Trajectory struct {
	Config Config
}

// Name names the trajectory.
func (m Trajectory) Name() string { return fmt.Sprintf("kl-pg:β=%g,steps", m.Config.Beta) }

// Curve trains and returns the recorded points.
func (m Trajectory) Curve(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy) ([]prefs.Point, error) {
	q, err := Train(ctx, p, proxy, m.Config)
	if err != nil {
		return nil, err
	}
	pts := make([]prefs.Point, len(q.curve))
	for i, r := range q.curve {
		pts[i] = r.Point
	}
	return pts, nil
}

// BetaSweep is the KL-penalized policy's curve over β: one policy trained
// per entry of Betas (with Config's other settings), its final exact point
// (Param = β). It implements prefs.Method.
type BetaSweep struct {
	Config Config
	Betas  []float64
}

// Name names the sweep.
func (m BetaSweep) Name() string { return fmt.Sprintf("kl-pg:β∈%v", m.Betas) }

// Curve trains one policy per β and returns their final points.
func (m BetaSweep) Curve(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy) ([]prefs.Point, error) {
	if len(m.Betas) == 0 {
		return nil, errors.New("klpg: BetaSweep.Betas: empty")
	}
	pts := make([]prefs.Point, 0, len(m.Betas))
	for _, beta := range m.Betas {
		cfg := m.Config
		cfg.Beta = beta
		q, err := Train(ctx, p, proxy, cfg)
		if err != nil {
			return nil, err
		}
		last := q.curve[len(q.curve)-1].Point
		last.Param = beta
		pts = append(pts, last)
	}
	return pts, nil
}

// SFTSweep is the supervised contrast's curve: for each n of Ns, SFT on the
// answers of Teacher(n) (best-of-n with the proxy, typically), its exact
// point (Param = n). It implements prefs.Method.
type SFTSweep struct {
	Ns      []int
	Config  SFTConfig
	Teacher func(n int) (argmax.Decider[prefs.Prompt, int], error)
}

// Name names the sweep.
func (m SFTSweep) Name() string {
	return fmt.Sprintf("sft-on-bon:n∈%v,samples=%d", m.Ns, m.Config.Samples)
}

// Curve fits one policy per n and returns their points.
func (m SFTSweep) Curve(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy) ([]prefs.Point, error) {
	if len(m.Ns) == 0 || m.Teacher == nil {
		return nil, errors.New("klpg: SFTSweep: want Ns and a Teacher")
	}
	pts := make([]prefs.Point, 0, len(m.Ns))
	for _, n := range m.Ns {
		t, err := m.Teacher(n)
		if err != nil {
			return nil, fmt.Errorf("klpg: SFTSweep teacher n=%d: %w", n, err)
		}
		q, err := SFT(ctx, p, t, m.Config)
		if err != nil {
			return nil, err
		}
		pt := p.Evaluate(q.dist, proxy)
		pt.Param = float64(n)
		pts = append(pts, pt)
	}
	return pts, nil
}
