package mcts

import (
	"context"
	"testing"
	"time"

	"argmax"
	"argmax/env"
	"argmax/env/control"
	"argmax/game"
	"argmax/game/connect4"
)

// benchModel runs b.N simulations of s from st in searches of at most per
// simulations each, reporting the rate as sims/s.
func benchModel[S any](b *testing.B, s *ModelSearcher[S], st S, per int64) {
	if _, err := s.Search(context.Background(), st, argmax.Budget{Simulations: per}); err != nil { // grow the arena
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sims int64
	for left := int64(b.N); left > 0; {
		r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: min(per, left)})
		if err != nil {
			b.Fatal(err)
		}
		sims += r.Cost.Simulations
		left -= min(per, left)
	}
	b.ReportMetric(float64(sims)/b.Elapsed().Seconds(), "sims/s")
}

// BenchmarkModelConnect4 is BenchmarkConnect4 for the generic search over
// GameModel: simulations per second from the empty board in searches of
// 10,000, one random rollout per leaf, with the fast playouts
// (GameRollouts) and with StateRollouts stepping the model; one op is one
// simulation.
func BenchmarkModelConnect4(b *testing.B) {
	b.Run("playouts", func(b *testing.B) {
		benchModel(b, gameSearcher(b, connect4.Game{}, ModelConfig{}, true), game.State(connect4.New()), 10000)
	})
	b.Run("step-rollouts", func(b *testing.B) {
		benchModel(b, gameSearcher(b, connect4.Game{}, ModelConfig{}, false), game.State(connect4.New()), 10000)
	})
	b.Run("puct-batch8", func(b *testing.B) {
		benchModel(b, gameSearcher(b, connect4.Game{}, ModelConfig{Selection: PUCT, Batch: 8}, true), game.State(connect4.New()), 10000)
	})
}

// BenchmarkModelVsSearcher times the generic search (GameModel, fast
// playouts) and Searcher (UCT, one rollout, no solver, one thread) in
// the same run, alternately, on searches of 10,000 simulations from the
// empty connect four board, and reports the ratio of their times per
// simulation (generic/fast): the figure that travels between machines.
// One op is one simulation of each.
func BenchmarkModelVsSearcher(b *testing.B) {
	fast := mustNew(b, Config{})
	generic := gameSearcher(b, connect4.Game{}, ModelConfig{}, true)
	st := connect4.New()
	ctx := context.Background()
	const per = 10000
	var tf, tg time.Duration
	for left := int64(b.N); left > 0; left -= min(per, left) {
		n := argmax.Budget{Simulations: min(per, left)}
		t0 := time.Now()
		if _, err := fast.Search(ctx, st, n); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := generic.Search(ctx, game.State(st), n); err != nil {
			b.Fatal(err)
		}
		tf, tg = tf+t1.Sub(t0), tg+time.Since(t1)
	}
	b.ReportMetric(float64(tf.Nanoseconds())/float64(b.N), "fast-ns/sim")
	b.ReportMetric(float64(tg.Nanoseconds())/float64(b.N), "generic-ns/sim")
	b.ReportMetric(tg.Seconds()/tf.Seconds(), "ratio")
}

// BenchmarkEnvPlannerCartPole measures one decision of the EnvPlanner on
// CartPole-v1 (200 simulations, a 40-step horizon) from a fresh
// episode's state; one op is one decision.
func BenchmarkEnvPlannerCartPole(b *testing.B) {
	e, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewEnvPlanner(EnvConfig{ModelConfig: ModelConfig{Seed: 1, Horizon: 40}})
	if err != nil {
		b.Fatal(err)
	}
	s := env.Situation{Obs: e.Reset(1), Env: e}
	b.ReportAllocs()
	var steps int64
	for b.Loop() {
		_, c, err := p.Decide(context.Background(), s, argmax.Budget{Simulations: 200})
		if err != nil {
			b.Fatal(err)
		}
		steps += c.Steps
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "env-steps/s")
}
