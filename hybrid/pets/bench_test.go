package pets_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"argmax/amortized/dynamics"
	"argmax/direct/cem"
	"argmax/env/control"
	"argmax/hybrid/pets"
)

// PendulumConfig is the configuration of BenchmarkPETSPendulum: 200
// random steps (one episode), then 3 iterations of one planned episode
// each — 800 env steps in all — with CEM over 200 sequences × 3
// iterations of horizon 25, 5 TS1 particles a sequence, and an ensemble of
// 5 members of 64×64 trained by β-NLL (30 epochs a fit, learning rate
// 3e-3) with the known Pendulum reward.
func PendulumConfig(seed uint64) pets.Config {
	ens := dynamics.DefaultConfig()
	ens.Members, ens.Hidden, ens.Epochs, ens.LearningRate = 5, []int{64, 64}, 30, 3e-3
	ens.Reward = control.PendulumReward
	return pets.Config{
		Seed: seed, InitSteps: 200, StepsPerIteration: 200, Iterations: 3,
		Planner:   cem.Config{Horizon: 25, Samples: 200, Iterations: 3, Smoothing: 0.1},
		Ensemble:  ens,
		Particles: 5,
	}
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
// last, fully planned, episode after 800 env steps:
//
//	PETS_SEEDS=10 go test -run '^$' -bench PETS -benchtime 1x ./hybrid/pets
func BenchmarkPETSPendulum(b *testing.B) {
	ss := seeds(b, []uint64{1, 2, 3})
	for b.Loop() {
		var sum, sq float64
		var line strings.Builder
		for _, seed := range ss {
			e, _ := control.NewPendulum(control.PendulumConfig{})
			_, st, err := pets.Run(context.Background(), e, PendulumConfig(seed), pets.Hooks{})
			if err != nil {
				b.Fatal(err)
			}
			last := st.Episodes[len(st.Episodes)-1]
			sum += last.Return
			sq += last.Return * last.Return
			fmt.Fprintf(&line, " %.0f", last.Return)
			var curve strings.Builder
			for _, ep := range st.Episodes {
				fmt.Fprintf(&curve, " %d:%.0f", ep.EnvSteps, ep.Return)
			}
			b.Logf("seed %d: curve (env steps:return)%s; %v, %d planner model steps", seed, curve.String(), st.Elapsed.Round(1e7), st.Planning.Steps)
		}
		n := float64(len(ss))
		mean := sum / n
		sd := math.Sqrt(max(0, sq/n-mean*mean))
		b.Logf("final-episode returns after %d env steps:%s; mean %.1f ± %.1f (sd)", 800, line.String(), mean, sd)
		b.ReportMetric(mean, "return")
	}
}
