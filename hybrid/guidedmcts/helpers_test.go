package guidedmcts_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"argmax/amortized/ppo"
	"argmax/env"
	"argmax/env/control"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func pendulum() env.Env { return must(control.NewPendulum(control.PendulumConfig{})) }
func cartpole() env.Env { return must(control.NewCartPole(control.CartPoleConfig{})) }

// plane is a deterministic env over the box [-1, 1]²: one observation, no
// reward, episodes of 8 steps — something for a 2-D Gaussian policy.
type plane struct{ t int }

func (p *plane) Name() string                { return "plane" }
func (p *plane) ObservationSpace() env.Space { return env.Box([]float64{-1}, []float64{1}) }
func (p *plane) ActionSpace() env.Space      { return env.Box([]float64{-1, -1}, []float64{1, 1}) }
func (p *plane) Performance() float64        { return 0 }
func (p *plane) Reset(uint64) []float64      { p.t = 0; return []float64{0} }
func (p *plane) Clone() env.Env              { c := *p; return &c }
func (p *plane) Step([]float64) ([]float64, float64, bool, bool) {
	p.t++
	return []float64{0}, 0, false, p.t >= 8
}

// tiny trains a small PPO policy on e for one short batch: weights to
// overwrite, in a policy of the real type.
func tiny(t testing.TB, e env.Env) *ppo.Policy {
	t.Helper()
	cfg := ppo.Config{Envs: 1, Rollout: 32, Minibatches: 1, Epochs: 1, Hidden: []int{8}, Seed: 1, Stop: ppo.Stop{Steps: 32}}
	p, _, err := ppo.Train(context.Background(), e, cfg, ppo.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// param returns the parameter of p named name.
func param(t testing.TB, p *ppo.Policy, name string) []float32 {
	t.Helper()
	for _, q := range p.Params() {
		if q.Name == name {
			return q.Data
		}
	}
	t.Fatalf("no parameter %s", name)
	return nil
}

// setActor makes p's actor answer out (logits or the Gaussian mean)
// whatever the observation, with standard deviations std (a box policy).
func setActor(t testing.TB, p *ppo.Policy, out, std []float64) {
	t.Helper()
	clear(param(t, p, "actor.1.weight"))
	b := param(t, p, "actor.1.bias")
	for i := range b {
		b[i] = float32(out[i])
	}
	if std != nil {
		ls := param(t, p, "actor.log_std")
		for i := range ls {
			ls[i] = float32(math.Log(std[i]))
		}
	}
}

// setCritic makes p's critic answer v everywhere.
func setCritic(t testing.TB, p *ppo.Policy, v float64) {
	t.Helper()
	clear(param(t, p, "critic.1.weight"))
	param(t, p, "critic.1.bias")[0] = float32(v)
}

// loadPendulum loads the testdata policy (PPO on Pendulum-v1, 76,000 steps,
// NormReward) and the σ of its reward scaler, recorded in training.
func loadPendulum(t testing.TB) (*ppo.Policy, float64) {
	t.Helper()
	p, err := ppo.Load(filepath.Join("..", "guidedcem", "testdata", "pendulum.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("..", "guidedcem", "testdata", "pendulum.scale"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}

// phi is the standard normal distribution function.
func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
