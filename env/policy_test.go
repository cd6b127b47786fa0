package env_test

import (
	"context"
	"errors"
	"testing"

	"argmax"
	"argmax/env"
)

// push always pushes right by one, counting one simulation a decision.
type push struct{ resets int }

func (p *push) Decide(_ context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if s.Env == nil || len(s.Obs) != 4 {
		return nil, argmax.Cost{}, errors.New("no situation")
	}
	return []float64{1}, argmax.Cost{Simulations: 1}, nil
}

func (p *push) Reset() { p.resets++ }

func TestRollout(t *testing.T) {
	// The exact walk from 0 pushed right by 1 reaches bound 5 in 5 steps:
	// rewards 1+2+3+4+5, performance 5 steps ending with x > 0.
	p := &push{}
	ep, err := env.Rollout(context.Background(), exact(5), p, 1, argmax.Budget{})
	if err != nil || ep.Return != 15 || ep.Steps != 5 || ep.Performance != 5 || ep.Truncated || ep.Cost.Simulations != 5 || p.resets != 1 {
		t.Errorf("rollout: %+v, %v (resets %d)", ep, err, p.resets)
	}
	limited, _ := env.TimeLimit(exact(5), 3)
	if ep, err := env.Rollout(context.Background(), limited, p, 1, argmax.Budget{}); err != nil || !ep.Truncated || ep.Steps != 3 || ep.Return != 6 {
		t.Errorf("truncated rollout: %+v, %v", ep, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := env.Rollout(ctx, exact(5), p, 1, argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled rollout: %v", err)
	}
}

func TestRandom(t *testing.T) {
	for _, discrete := range []bool{false, true} {
		e := newWalk(discrete, 0, 0, 1e9)
		obs := e.Reset(1)
		r, again := env.NewRandom(7), env.NewRandom(7)
		seen := map[float64]bool{}
		for range 300 {
			a, _, err := r.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{})
			b, _, _ := again.Decide(context.Background(), env.Situation{Obs: obs, Env: e}, argmax.Budget{})
			if err != nil || e.ActionSpace().Check(a) != nil || a[0] != b[0] {
				t.Fatalf("discrete %v: action %v (%v), same seed %v", discrete, a, err, b)
			}
			seen[a[0]] = true
		}
		if discrete && len(seen) != 3 || !discrete && len(seen) < 290 {
			t.Errorf("discrete %v: %d distinct actions in 300", discrete, len(seen))
		}
	}
}
