package gradient

import (
	"context"
	"errors"
	"fmt"
	"math"

	"argmax"
	"argmax/task"
)

// DefaultLRGrid is the grid of learning rates TuneLR tries when given none:
// 1e-3 to 10 in steps of about ×2.
var DefaultLRGrid = []float64{1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10}

// TuneLR returns the learning rate of grid (nil means DefaultLRGrid) whose
// iterations, iters of cfg's method on each context of xs from its start
// (starts[i]; nil starts mean t.Init), leave the least mean objective, and
// that mean. A rate under which some
// context's objective turns NaN or infinite is skipped; an error says so
// when every rate is. It is the direct optimizer's best setting, chosen on
// the contexts it is given (a training split, not the ones it is scored
// on).
func TuneLR(ctx context.Context, t task.Task, xs, starts [][]float64, cfg Config, iters int, grid []float64) (lr, mean float64, err error) {
	if len(xs) == 0 {
		return 0, 0, errors.New("gradient: TuneLR: no contexts")
	}
	if starts != nil && len(starts) != len(xs) {
		return 0, 0, fmt.Errorf("gradient: TuneLR: %d starts for %d contexts", len(starts), len(xs))
	}
	if iters < 1 {
		return 0, 0, fmt.Errorf("gradient: TuneLR: iterations %d, want ≥ 1", iters)
	}
	if grid == nil {
		grid = DefaultLRGrid
	}
	cfg.Trace, cfg.Tol = false, 0
	best, bestMean := math.NaN(), math.Inf(1)
	for _, rate := range grid {
		cfg.LR = rate
		var sum float64
		for i, x := range xs {
			var y0 []float64
			if starts != nil {
				y0 = starts[i]
			}
			r, err := Minimize(ctx, t, x, y0, cfg, argmax.Budget{Iterations: int64(iters)})
			if ctx.Err() != nil {
				return 0, 0, ctx.Err()
			}
			if err != nil {
				sum = math.Inf(1)
				break
			}
			sum += r.Objective
		}
		if m := sum / float64(len(xs)); m < bestMean {
			best, bestMean = rate, m
		}
	}
	if math.IsNaN(best) {
		return 0, 0, fmt.Errorf("gradient: TuneLR: every rate of %v diverges on %s", grid, t.Name())
	}
	return best, bestMean, nil
}
