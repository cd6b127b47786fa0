package control

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"argmax/env"
)

// The exported reward and termination functions give, for every step of
// episodes of the envs themselves, the reward Step returned and whether it
// terminated: for the Gymnasium configurations and for discretized,
// noisy and randomized ones, under random actions and under a policy that
// reaches the mountain car's goal.
func TestRewardFuncs(t *testing.T) {
	type policy func(rng *rand.Rand, obs []float64) []float64
	uniform := func(lo, hi float64) policy {
		return func(rng *rand.Rand, _ []float64) []float64 { return []float64{lo + (hi-lo)*rng.Float64()} }
	}
	uniformK := func(k int, lo, hi float64) policy {
		return func(rng *rand.Rand, _ []float64) []float64 {
			a := make([]float64, k)
			for i := range a {
				a[i] = lo + (hi-lo)*rng.Float64()
			}
			return a
		}
	}
	index := func(n int) policy {
		return func(rng *rand.Rand, _ []float64) []float64 { return []float64{float64(rng.IntN(n))} }
	}
	// Push with the velocity, past the bounds (the reward's cost is on the
	// commanded force): reaches the goal in about 100 steps.
	pump := func(f float64) policy {
		return func(rng *rand.Rand, obs []float64) []float64 {
			if obs[1] < 0 {
				return []float64{-f}
			}
			return []float64{f}
		}
	}
	pumpIndex := func(n int) policy {
		return func(rng *rand.Rand, obs []float64) []float64 {
			if obs[1] < 0 {
				return []float64{0}
			}
			return []float64{float64(n - 1)}
		}
	}
	type rule = func(obs, action, next []float64) float64
	type done = func(obs, action, next []float64) bool
	never := func(_, _, _ []float64) bool { return false }
	tests := []struct {
		name     string
		env      env.Env
		reward   rule
		done     done
		act      policy
		wantGoal bool // some episode must terminate
	}{
		{"pendulum", must(NewPendulum(PendulumConfig{})), PendulumReward, never, uniform(-3, 3), false},
		{"pendulum/config", must(NewPendulum(PendulumConfig{})), PendulumConfig{}.RewardFunc(), never, uniform(-2, 2), false},
		{"pendulum/rich", must(NewPendulum(PendulumConfig{TorqueNoise: 0.3, StateNoise: 0.05, Mass: Range{0.5, 2}})), PendulumReward, never, uniform(-2.5, 2.5), false},
		{"pendulum/actuators", must(NewPendulum(PendulumConfig{Actuators: 4, TorqueNoise: 0.3})), PendulumConfig{Actuators: 4}.RewardFunc(), never, uniformK(4, -3, 3), false},
		{"pendulum/discrete", must(NewPendulum(PendulumConfig{Actions: 5})), PendulumConfig{Actions: 5}.RewardFunc(), never, index(5), false},
		{"mountaincar", must(NewMountainCar(MountainCarConfig{})), MountainCarReward, MountainCarDone, pump(1.5), true},
		{"mountaincar/random", must(NewMountainCar(MountainCarConfig{})), MountainCarReward, MountainCarDone, uniform(-1, 1), false},
		{"mountaincar/config", must(NewMountainCar(MountainCarConfig{GoalVelocity: 0.01, StateNoise: 1e-3})),
			MountainCarConfig{GoalVelocity: 0.01}.RewardFunc(), MountainCarConfig{GoalVelocity: 0.01}.DoneFunc(), pump(1), true},
		{"mountaincar/discrete", must(NewMountainCar(MountainCarConfig{Actions: 3})),
			MountainCarConfig{Actions: 3}.RewardFunc(), MountainCarConfig{Actions: 3}.DoneFunc(), pumpIndex(3), true},
		{"cartpole", must(NewCartPole(CartPoleConfig{})), CartPoleReward, CartPoleDone, index(2), true},
		{"cartpole/rich", must(NewCartPole(CartPoleConfig{Continuous: true, ForceNoise: 1, Length: Range{0.3, 0.8}})), CartPoleReward, CartPoleDone, uniform(-1, 1), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 7))
			var steps, ends int
			for ep := range uint64(8) {
				obs := slices.Clone(tc.env.Reset(ep))
				for {
					a := tc.act(rng, obs)
					next, r, term, trunc := tc.env.Step(a)
					if got := tc.reward(obs, a, next); math.Abs(got-r) > 1e-12*math.Max(1, math.Abs(r)) {
						t.Fatalf("episode %d step %d: reward %v, the env's %v (obs %v, action %v, next %v)", ep, steps, got, r, obs, a, next)
					}
					if got := tc.done(obs, a, next); got != term {
						t.Fatalf("episode %d step %d: done %v, the env terminated %v (next %v)", ep, steps, got, term, next)
					}
					steps++
					obs = append(obs[:0], next...)
					if term {
						ends++
					}
					if term || trunc {
						break
					}
				}
			}
			if tc.wantGoal && ends == 0 {
				t.Errorf("no episode of %d steps terminated: the rule is untested", steps)
			}
		})
	}
}

// At θ = ±π (the pendulum hanging down) the normalized angle is ±π either
// way: the reward is −π² − …, the same on both sides.
func TestPendulumRewardAtBottom(t *testing.T) {
	for _, th := range []float64{math.Pi, -math.Pi, 3 * math.Pi} {
		sin, cos := math.Sincos(th)
		got := PendulumReward([]float64{cos, sin, 1}, []float64{1}, nil)
		want := -(math.Pi*math.Pi + 0.1 + 0.001)
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("θ = %v: reward %v, want %v", th, got, want)
		}
	}
}
