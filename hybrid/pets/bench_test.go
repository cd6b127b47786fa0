package pets_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"argmax"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/pets"
)

// PendulumConfig is the configuration of BenchmarkPETSPendulum:
// pets.DefaultConfig with the known Pendulum-v1 reward — 200 random steps
// (one episode), then 16 iterations of 50 planned steps, refitting after
// each (1000 env steps in all, the last of 5 episodes fully planned); CEM
// over 100 sequences × 4 iterations of horizon 20; Mean propagation
// through an ensemble of 5 members of 64×64 trained by β-NLL (30 epochs a
// fit, learning rate 3e-3).
func PendulumConfig(seed uint64) pets.Config {
	c := pets.DefaultConfig()
	c.Seed = seed
	c.Ensemble.Reward = control.PendulumReward
	return c
}

// seeds reads PETS_SEEDS ("1,2,3" or a count "10" for seeds 1..10); the
// default is def.
func seeds(tb testing.TB, def []uint64) []uint64 {
	s := os.Getenv("PETS_SEEDS")
	if s == "" {
		return def
	}
	if n, err := strconv.Atoi(s); err == nil && !strings.Contains(s, ",") {
		out := make([]uint64, n)
		for i := range out {
			out[i] = uint64(i + 1)
		}
		return out
	}
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			tb.Fatalf("PETS_SEEDS=%q: %v", s, err)
		}
		out = append(out, v)
	}
	return out
}

// BenchmarkPETSPendulum runs PETS on Pendulum-v1 (PendulumConfig) for each
// seed of PETS_SEEDS (default 1,2,3) and reports the mean return of the
// last, fully planned, episode after 1000 env steps, and beside it the
// return of the same planner on the true simulator (direct/cem's
// Simulator) from the same initial state — the ceiling the learned model
// is measured against:
//
//	PETS_SEEDS=10 go test -run '^$' -bench PETS -benchtime 1x ./hybrid/pets
//
// Measured (GOMAXPROCS=1: 20 s of CPU a seed, 29–31 s of wall time on a
// shared 2-core machine; 6.4 million planner model steps a seed): final
// returns over seeds 1..10 of −1, −119, −247, −118, −128, −129, −127,
// −120, −121, −119 — mean −122.8, 9 of 10 at ≥ −200 — each within 4 of
// the true-model planner's from the same start (−1, −120, −246, −117,
// −127, −125, −125, −120, −121, −119). Seed 3's episode starts at
// θ = 2.63, θ̇ = −0.37, from where no controller reaches −200: the
// optimum of a dynamic program over (θ, θ̇) is −228, and about a third
// of Pendulum-v1's initial states are like it (mean optimum −141), so
// the count of seeds at ≥ −200 is bounded by their starts (7 of 10 for
// the starts of a 4th episode, 9 of 10 for a 5th). Seeds 11..20 gave 7
// of 10, the 7 whose starts allow it.
//
// The configuration before (200 random steps and 3 planned episodes,
// refitting after each; CEM 200 × 3 of horizon 25; TS1 with 5 particles)
// gave a mean of −458 over seeds 1..10 after 800 env steps, 4 of 10 at
// ≥ −200 where the starts allowed 7 (this one reaches those 7 at 800
// steps); run one episode longer, to 1000 steps, it reaches 8 of 10, at
// 53 s of CPU a seed. The model fitted to one random episode and one
// planned one is wrong in the regions the planner has not visited (near
// the top, and near the bottom under the torques it has not tried); the
// planner drives into those errors (pushing against gravity at θ ≈ 2.8,
// where the model says the pendulum rises), and with a refit only every
// 200 steps it does so for a whole episode. Refitting every 50 steps
// corrects such a region within the episode that finds it. CEM of
// 100 × 4 of horizon 20 costs half of 200 × 3 of horizon 25 and plans as
// well on the true simulator (mean regret to the dynamic program's
// optimum 13.6 against 18.4, over 100 starts); Mean propagation took the
// swing-ups from knife-edge starts that the true model takes and TS1, at
// the same cost, turned back from (−120 against −245 on seed 2's).
func BenchmarkPETSPendulum(b *testing.B) {
	ss := seeds(b, []uint64{1, 2, 3})
	for b.Loop() {
		var sum, sq float64
		var line, refs strings.Builder
		var hits int
		var steps int64
		for _, seed := range ss {
			e, _ := control.NewPendulum(control.PendulumConfig{})
			_, st, err := pets.Run(context.Background(), e, PendulumConfig(seed), pets.Hooks{})
			if err != nil {
				b.Fatal(err)
			}
			last := st.Episodes[len(st.Episodes)-1]
			sum += last.Return
			sq += last.Return * last.Return
			if last.Return >= -200 {
				hits++
			}
			steps = st.EnvSteps
			ref := truePlanner(b, PendulumConfig(seed), last.Seed)
			fmt.Fprintf(&line, " %.0f", last.Return)
			fmt.Fprintf(&refs, " %.0f", ref)
			var curve strings.Builder
			for _, ep := range st.Episodes {
				fmt.Fprintf(&curve, " %d:%.0f", ep.EnvSteps, ep.Return)
			}
			b.Logf("seed %d: curve (env steps:return)%s; true-model planner from the last start %.0f; %v, %d planner model steps",
				seed, curve.String(), ref, st.Elapsed.Round(1e7), st.Planning.Steps)
		}
		n := float64(len(ss))
		mean := sum / n
		sd := math.Sqrt(max(0, sq/n-mean*mean))
		b.Logf("final-episode returns after %d env steps:%s; mean %.1f ± %.1f (sd), %d of %d ≥ −200; the true-model planner from the same starts:%s",
			steps, line.String(), mean, sd, hits, len(ss), refs.String())
		b.ReportMetric(mean, "return")
	}
}

// truePlanner returns the return of cfg's planner on the true simulator
// over one episode of Pendulum-v1 reset with seed.
func truePlanner(tb testing.TB, cfg pets.Config, seed uint64) float64 {
	pc := cfg.Planner
	pc.Seed = seed
	p, err := cem.New(cem.Simulator{}, pc)
	if err != nil {
		tb.Fatal(err)
	}
	e, _ := control.NewPendulum(control.PendulumConfig{})
	ep, err := env.Rollout(context.Background(), e, p, seed, argmax.Budget{})
	if err != nil {
		tb.Fatal(err)
	}
	return ep.Return
}
