package ppo

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/env"
)

// benchSeeds are the seeds of the solve benchmarks: PPO_SEEDS
// ("1,2,3" by default).
func benchSeeds(b *testing.B) []uint64 {
	s := os.Getenv("PPO_SEEDS")
	if s == "" {
		s = "1,2,3"
	}
	var seeds []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			b.Fatalf("PPO_SEEDS=%q: %v", s, err)
		}
		seeds = append(seeds, v)
	}
	return seeds
}

// solve trains on e with cfg once per seed until the target and reports
// the mean wall time and env steps of the solves, the share solved, and
// the greedy policy's mean return over 20 evaluation episodes.
func solve(b *testing.B, e env.Env, cfg Config) {
	seeds := benchSeeds(b)
	for b.Loop() {
		var secs, steps, greedy float64
		solved := 0
		for _, seed := range seeds {
			c := cfg
			c.Seed = seed
			p, st, err := Train(context.Background(), e, c, Hooks{})
			if err != nil {
				b.Fatal(err)
			}
			var total float64
			for i := range 20 {
				ep, err := env.Rollout(context.Background(), e, p, 1_000_000+uint64(i), argmax.Budget{})
				if err != nil {
					b.Fatal(err)
				}
				total += ep.Return
			}
			b.Logf("seed %d: reached %v after %d env steps, %.2fs (%d updates, %d gradient steps); stopped by %s, training mean %.1f, greedy mean %.1f",
				seed, st.Reached, st.ReachedSteps, st.ReachedTime.Seconds(), st.Updates, st.GradientSteps, st.Reason, st.MeanReturn, total/20)
			greedy += total / 20
			if st.Reached {
				solved++
				secs += st.ReachedTime.Seconds()
				steps += float64(st.ReachedSteps)
			}
		}
		if solved > 0 {
			b.ReportMetric(secs/float64(solved), "s/solve")
			b.ReportMetric(steps/float64(solved), "steps/solve")
		}
		b.ReportMetric(float64(solved)/float64(len(seeds)), "solved")
		b.ReportMetric(greedy/float64(len(seeds)), "greedy-return")
	}
}

// BenchmarkSolveCartPole trains on CartPole-v1 with CleanRL's ppo.py
// defaults until the mean return of the last 20 training episodes reaches
// 475, once per seed (PPO_SEEDS). Compare with
//
//	OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/peers/cleanrl_ppo.py --seeds 1,2,3
//
// run with
//
//	GOMAXPROCS=2 go test -run '^$' -bench SolveCartPole -benchtime 1x ./amortized/ppo/
func BenchmarkSolveCartPole(b *testing.B) {
	cfg := Config{Stop: Stop{Steps: 500_000, Target: Target{Return: 475, Episodes: 20}}}
	solve(b, cartPole(b), cfg)
}

// pendulumConfig is the configuration of BenchmarkSolvePendulum.
var pendulumConfig = Config{
	Stop: Stop{Steps: 1_000_000, Target: Target{Return: -200, Episodes: 20}, Time: 10 * time.Minute},
}

// BenchmarkSolvePendulum trains on Pendulum-v1 until the mean return of
// the last 20 training episodes reaches −200 (pendulumConfig).
func BenchmarkSolvePendulum(b *testing.B) {
	solve(b, pendulum(b), pendulumConfig)
}

// BenchmarkUpdate times one PPO update of CleanRL's discrete defaults
// (512 transitions, 16 gradient steps on minibatches of 128) on cart-pole,
// rollout included.
func BenchmarkUpdate(b *testing.B) {
	tr, err := newTrainer(cartPole(b), Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.vec.Close()
	tr.observe(tr.vec.Reset(1), nil)
	for b.Loop() {
		if _, err := tr.collect(context.Background()); err != nil {
			b.Fatal(err)
		}
		tr.update()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/512, "µs/env-step")
}
