package bestofn

import (
	"context"
	"fmt"

	"argmax/task/prefs"
)

// Sweep is the best-of-n curve of the overoptimization study: the exact
// best-of-n distribution of candidates drawn from π_base (or from Over)
// with the proxy as score, for n = 1..MaxN. It implements prefs.Method.
type Sweep struct {
	MaxN int // largest n, ≥ 1
	// Over is the distribution over responses the candidates are drawn
	// from; nil means π_base. (A hybrid draws them from a trained policy.)
	Over []float64
}

// Name names the sweep.
func (s Sweep) Name() string { return fmt.Sprintf("best-of-n:n=1..%d", s.MaxN) }

// Curve returns one exact point per n (Param = n): the KL of best-of-n to
// π_base and its gold and proxy reward gains (over π_base's, whatever the
// candidates are drawn from).
func (s Sweep) Curve(ctx context.Context, p *prefs.Problem, proxy *prefs.Proxy) ([]prefs.Point, error) {
	if s.MaxN < 1 {
		return nil, fmt.Errorf("bestofn: Sweep.MaxN = %d: want ≥ 1", s.MaxN)
	}
	over := s.Over
	if over == nil {
		over = p.BaseDist()
	}
	e, err := NewExact(over, proxy.Scores())
	if err != nil {
		return nil, err
	}
	pts := make([]prefs.Point, 0, s.MaxN)
	var dist []float64
	for n := 1; n <= s.MaxN; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if dist, err = e.Dist(n, dist); err != nil {
			return nil, err
		}
		pt := p.Evaluate(dist, proxy)
		pt.Param = float64(n)
		pts = append(pts, pt)
	}
	return pts, nil
}
