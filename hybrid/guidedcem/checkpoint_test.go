package guidedcem_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/env/control"
	"argmax/hybrid/guidedcem"
)

// The checkpoints under testdata are PPO policies trained briefly, with
// amortized/ppo's defaults, to a modest bar — good enough to guide a
// search, not good enough to leave it nothing to do. They are written by
//
//	GUIDEDCEM_CHECKPOINTS=1 go test -run TestWriteCheckpoints ./hybrid/guidedcem
//
// (a few seconds; training is deterministic, so the files come out the
// same on the same machine):
//
//   - pendulum.safetensors: Pendulum-v1, ppo.ContinuousConfig (observation
//     normalization and reward scaling on), seed 1, stopped when the mean
//     return of the last 10 training episodes reached −200; its critic's
//     reward scale σ, replayed by a ScaleRecorder around the training env,
//     is in pendulum.scale;
//   - cartpole.safetensors: CartPole-v1, ppo.DiscreteConfig, seed 1,
//     stopped when the mean of the last 10 reached 400.
var checkpoints = []struct {
	file   string
	env    func() env.Env
	target ppo.Target
}{
	{"pendulum.safetensors", func() env.Env { return must(control.NewPendulum(control.PendulumConfig{})) }, ppo.Target{Return: -200, Episodes: 10}},
	{"cartpole.safetensors", func() env.Env { return must(control.NewCartPole(control.CartPoleConfig{})) }, ppo.Target{Return: 400, Episodes: 10}},
}

func TestWriteCheckpoints(t *testing.T) {
	if os.Getenv("GUIDEDCEM_CHECKPOINTS") == "" {
		t.Skip("set GUIDEDCEM_CHECKPOINTS=1 to retrain the testdata checkpoints")
	}
	for _, c := range checkpoints {
		cfg := ppo.Config{Seed: 1, Stop: ppo.Stop{Steps: 500_000, Target: c.target}}
		e := c.env()
		rec := guidedcem.RecordScale(e, cfg.WithDefaults(e.ActionSpace()).Gamma)
		p, st, err := ppo.Train(context.Background(), rec, cfg, ppo.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s after %d steps, %v: mean return %.1f, reward scale σ = %v", c.file, st.Reason, st.EnvSteps, st.Elapsed, st.MeanReturn, rec.Scale())
		if err := p.Save(filepath.Join("testdata", c.file)); err != nil {
			t.Fatal(err)
		}
		if p.Config().NormReward == ppo.On {
			scale := strconv.FormatFloat(rec.Scale(), 'g', -1, 64) + "\n"
			if err := os.WriteFile(filepath.Join("testdata", strings.TrimSuffix(c.file, ".safetensors")+".scale"), []byte(scale), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
