package dqn

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/env"
	"argmax/env/control"
)

// cpuModel returns the CPU's model name from /proc/cpuinfo ("" if
// unknown).
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// greedyReturn is the mean return of the greedy policy over n episodes of
// CartPole-v1 from seeds never used in training (1,000,000 + k).
func greedyReturn(tb testing.TB, p *Policy, n int) float64 {
	cp, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	var sum float64
	for k := range n {
		ep, err := env.Rollout(context.Background(), cp, p, uint64(1_000_000+k), argmax.Budget{})
		if err != nil {
			tb.Fatal(err)
		}
		sum += ep.Return
	}
	return sum / float64(n)
}

// BenchmarkCartPole trains on CartPole-v1 with DefaultConfig (or, with
// DQN_CONFIG=cleanrl, CleanRLConfig stopped at a moving mean of 475;
// DQN_CONFIG_JSON then overrides fields, as in {"steps": 100000}) from
// DQN_SEEDS seeds (default 3) from DQN_FIRST_SEED (default 1), and reports per seed the stopping
// rule, env and gradient steps, wall time, and the greedy policy's mean
// return over 20 fresh episodes. CartPole-v1 counts as solved at a mean
// of 475. Run it alone:
//
//	GOMAXPROCS=1 go test ./amortized/dqn -run '^$' -bench CartPole -benchtime 1x -v
func BenchmarkCartPole(b *testing.B) {
	seeds, first := 3, 1
	for _, v := range []struct {
		name string
		dst  *int
	}{{"DQN_SEEDS", &seeds}, {"DQN_FIRST_SEED", &first}} {
		if s := os.Getenv(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				b.Fatalf("%s=%q: want a positive number", v.name, s)
			}
			*v.dst = n
		}
	}
	cfg := DefaultConfig()
	if os.Getenv("DQN_CONFIG") == "cleanrl" {
		cfg = CleanRLConfig()
		cfg.StopAtReturn = true
	}
	if js := os.Getenv("DQN_CONFIG_JSON"); js != "" {
		if err := json.Unmarshal([]byte(js), &cfg); err != nil {
			b.Fatalf("DQN_CONFIG_JSON: %v", err)
		}
	}
	b.Logf("CPU: %s; config %+v", cpuModel(), cfg)
	for range b.N {
		var solved, steps, grads int
		var wall time.Duration
		for seed := first; seed < first+seeds; seed++ {
			cp, err := control.NewCartPole(control.CartPoleConfig{})
			if err != nil {
				b.Fatal(err)
			}
			c := cfg
			c.Seed = uint64(seed)
			p, st, err := Train(context.Background(), cp, c, Hooks{Every: 10_000, Progress: func(pr Progress) {
				if os.Getenv("DQN_VERBOSE") != "" {
					b.Logf("seed %d: %v", seed, pr)
				}
			}})
			if err != nil {
				b.Fatal(err)
			}
			g := greedyReturn(b, p, 20)
			if g >= 475 {
				solved++
			}
			steps += st.Steps
			grads += st.GradientSteps
			wall += st.Elapsed
			b.Logf("seed %d: stop %s after %d env steps (+%d evaluation), %d gradient steps, %d episodes, %v; moving mean %.1f, last eval %.1f, best eval %.1f at %d (kept %v); greedy on 20 fresh episodes %.1f",
				seed, st.Stop, st.Steps, st.EvalSteps, st.GradientSteps, st.Episodes, st.Elapsed.Round(time.Millisecond),
				st.MeanReturn, st.EvalReturn, st.BestEvalReturn, st.BestEvalStep, st.KeptBest, g)
		}
		b.ReportMetric(float64(solved)/float64(seeds), "solved/seed")
		b.ReportMetric(float64(steps)/float64(seeds), "env-steps/seed")
		b.ReportMetric(float64(grads)/float64(seeds), "grad-steps/seed")
		b.ReportMetric(wall.Seconds()/float64(seeds), "s/seed")
	}
}

// BenchmarkDecide times one greedy decision of the default CartPole
// Q-network (one forward pass).
func BenchmarkDecide(b *testing.B) {
	p := newPolicy("cartpole", 4, 2, DefaultConfig(), 1)
	s := env.Situation{Obs: []float64{0.01, -0.02, 0.03, 0.04}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := p.Decide(ctx, s, argmax.Budget{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGradStep times one gradient step of DefaultConfig's Q-network
// on a minibatch (sampling, targets, loss, backward pass, Adam).
func BenchmarkGradStep(b *testing.B) {
	cp, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig()
	t, err := newTrainer(cp, cfg, Hooks{})
	if err != nil {
		b.Fatal(err)
	}
	copy(t.obs, t.vec.Reset(1))
	for range 1000 {
		t.collect()
	}
	b.ReportAllocs()
	for b.Loop() {
		t.gradStep()
	}
}
