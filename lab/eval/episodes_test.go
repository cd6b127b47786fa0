package eval

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/control"
)

func cartPoleEnv() (env.Env, error) { return control.NewCartPole(control.CartPoleConfig{}) }

func randomPolicy(_ int, seed uint64) (env.Policy, error) { return env.NewRandom(seed), nil }

func TestEpisodesDeterministicAtAnyWorkerCount(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6, 7}
	var first EpisodesResult
	for _, w := range []int{1, 3} {
		ended := make([]float64, len(seeds)) // the env's own performance as each episode ended
		r, err := Episodes(context.Background(), cartPoleEnv, randomPolicy, seeds, argmax.Budget{}, EpisodeOptions{Workers: w, Trace: true,
			Ended: func(i int, e env.Env) { ended[i] = e.Performance() }})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ended, r.Performances) {
			t.Fatalf("workers %d: the envs as their episodes ended had performances %v, the episodes %v", w, ended, r.Performances)
		}
		if len(r.Returns) != len(seeds) || r.Spend.Cost.Decisions != int64(sum(r.Lengths)) || len(r.Times) != sum(r.Lengths) {
			t.Fatalf("workers %d: %d returns, %d decisions, %d times for %d steps", w, len(r.Returns), r.Spend.Cost.Decisions, len(r.Times), sum(r.Lengths))
		}
		for i, tr := range r.Traces {
			if len(tr.Obs) != r.Lengths[i] || len(tr.Actions) != r.Lengths[i] {
				t.Fatalf("trace %d: %d observations, %d actions for %d steps", i, len(tr.Obs), len(tr.Actions), r.Lengths[i])
			}
			// cart-pole pays 1 per step.
			if r.Returns[i] != float64(r.Lengths[i]) {
				t.Fatalf("episode %d: return %v over %d steps", i, r.Returns[i], r.Lengths[i])
			}
		}
		if w == 1 {
			first = r
			continue
		}
		if !slices.Equal(first.Returns, r.Returns) || !slices.Equal(first.Lengths, r.Lengths) {
			t.Fatalf("returns differ between 1 and %d workers: %v vs %v", w, first.Returns, r.Returns)
		}
	}
	if !(first.Return.Lo <= first.Return.Est && first.Return.Est <= first.Return.Hi) || first.Return.N != len(seeds) {
		t.Fatalf("return interval %+v", first.Return)
	}
}

type failing struct{ after int }

func (f *failing) Decide(context.Context, env.Situation, argmax.Budget) ([]float64, argmax.Cost, error) {
	if f.after--; f.after < 0 {
		return nil, argmax.Cost{}, errors.New("boom")
	}
	return []float64{0}, argmax.Cost{}, nil
}

func TestEpisodesErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Episodes(ctx, cartPoleEnv, randomPolicy, nil, argmax.Budget{}, EpisodeOptions{}); err == nil {
		t.Error("no seeds: no error")
	}
	_, err := Episodes(ctx, cartPoleEnv, func(int, uint64) (env.Policy, error) { return &failing{after: 3}, nil }, []uint64{9}, argmax.Budget{}, EpisodeOptions{})
	if err == nil || !strings.Contains(err.Error(), "seed 9") || !strings.Contains(err.Error(), "step 4") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing policy: %v", err)
	}
	bad := errors.New("no env")
	if _, err := Episodes(ctx, func() (env.Env, error) { return nil, bad }, randomPolicy, []uint64{1}, argmax.Budget{}, EpisodeOptions{}); !errors.Is(err, bad) {
		t.Errorf("env factory error: %v", err)
	}
}

func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
