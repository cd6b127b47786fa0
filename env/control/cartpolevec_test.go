package control

import (
	"math/rand/v2"
	"slices"
	"testing"

	"argmax/env"
)

// TestCartPoleVecMatchesCartPole replays every lane of a CartPoleVec
// through a CartPole reset with the lane's episode seeds: the two agree
// bit for bit, auto-resets, final observations and flags included.
func TestCartPoleVecMatchesCartPole(t *testing.T) {
	cases := map[string]CartPoleConfig{
		"gymnasium":   {MaxSteps: 40},
		"rich":        {MaxSteps: 40, ForceNoise: 2, StateNoise: 0.001, MassPole: Range{0.05, 0.3}, Length: Range{0.3, 0.8}},
		"semi":        {MaxSteps: 40, SemiImplicit: true},
		"continuous":  {MaxSteps: 40, Continuous: true},
		"discretized": {MaxSteps: 40, Continuous: true, Actions: 5},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			const n = 16
			const base = 77
			v := must(NewCartPoleVec(n, base, cfg))
			lanes := make([]*CartPole, n)
			episodes := make([]int, n)
			for i := range lanes {
				lanes[i] = must(NewCartPole(cfg))
				if v.Seed(i) != env.EpisodeSeed(base, i, 0) {
					t.Fatalf("lane %d: seed %d, want env.EpisodeSeed(%d, %d, 0)", i, v.Seed(i), base, i)
				}
				o := lanes[i].Reset(v.Seed(i))
				if !slices.Equal(o, v.Obs()[4*i:4*i+4]) {
					t.Fatalf("lane %d: initial %v, CartPole %v", i, v.Obs()[4*i:4*i+4], o)
				}
			}
			rng := rand.New(rand.NewPCG(3, 4))
			ints := make([]int32, n)
			floats := make([]float64, n)
			ended := 0
			for step := 0; step < 200; step++ {
				var obs, rew []float64
				var term, trunc []bool
				switch {
				case !cfg.Continuous:
					for i := range ints {
						ints[i] = int32(rng.IntN(2))
					}
					obs, rew, term, trunc = v.Step(ints)
				case cfg.Actions > 0:
					for i := range ints {
						ints[i] = int32(rng.IntN(cfg.Actions))
					}
					obs, rew, term, trunc = v.Step(ints)
				default:
					for i := range floats {
						floats[i] = -1.5 + 3*rng.Float64()
					}
					obs, rew, term, trunc = v.StepContinuous(floats)
				}
				for i, e := range lanes {
					a := float64(ints[i])
					if cfg.Continuous && cfg.Actions == 0 {
						a = floats[i]
					}
					o, r, te, tr := e.Step([]float64{a})
					if r != rew[i] || te != term[i] || tr != trunc[i] {
						t.Fatalf("step %d lane %d: reward %v term %v trunc %v, CartPole %v %v %v", step, i, rew[i], term[i], trunc[i], r, te, tr)
					}
					got := obs[4*i : 4*i+4]
					if te || tr {
						ended++
						if final := v.FinalObs()[4*i : 4*i+4]; !slices.Equal(final, o) {
							t.Fatalf("step %d lane %d: final %v, CartPole %v", step, i, final, o)
						}
						episodes[i]++
						if want := env.EpisodeSeed(base, i, episodes[i]); v.Seed(i) != want {
							t.Fatalf("lane %d episode %d: seed %d, want %d", i, episodes[i], v.Seed(i), want)
						}
						o = e.Reset(v.Seed(i))
					}
					if !slices.Equal(got, o) {
						t.Fatalf("step %d lane %d: %v, CartPole %v", step, i, got, o)
					}
					if v.Params(i) != e.Params() {
						t.Fatalf("step %d lane %d: params %+v, CartPole %+v", step, i, v.Params(i), e.Params())
					}
				}
			}
			if ended == 0 || v.Episodes() != ended {
				t.Errorf("%d episodes ended, Episodes() = %d", ended, v.Episodes())
			}
			// Reset replays from the start.
			first := slices.Clone(v.Reset(base))
			for i, e := range lanes {
				if !slices.Equal(first[4*i:4*i+4], e.Reset(env.EpisodeSeed(base, i, 0))) {
					t.Fatalf("after Reset, lane %d differs from its first episode", i)
				}
			}
		})
	}
}

func TestCartPoleVecStepAllocatesNothing(t *testing.T) {
	for name, cfg := range map[string]CartPoleConfig{"gymnasium": {}, "rich": {ForceNoise: 1, Length: Range{0.3, 0.7}}} {
		v := must(NewCartPoleVec(256, 1, cfg))
		actions := make([]int32, 256)
		for i := range actions {
			actions[i] = int32(i % 2)
		}
		if allocs := testing.AllocsPerRun(200, func() { v.Step(actions) }); allocs != 0 {
			t.Errorf("%s: %v allocations per step, want 0", name, allocs)
		}
	}
	c := must(NewCartPoleVec(256, 1, CartPoleConfig{Continuous: true}))
	forces := make([]float64, 256)
	if allocs := testing.AllocsPerRun(200, func() { c.StepContinuous(forces) }); allocs != 0 {
		t.Errorf("continuous: %v allocations per step, want 0", allocs)
	}
}

func TestCartPoleVecBadActionsPanic(t *testing.T) {
	cases := map[string]func(){
		"action 2":       func() { must(NewCartPoleVec(2, 1, CartPoleConfig{})).Step([]int32{0, 2}) },
		"too few":        func() { must(NewCartPoleVec(2, 1, CartPoleConfig{})).Step([]int32{0}) },
		"discretized 3":  func() { must(NewCartPoleVec(2, 1, CartPoleConfig{Continuous: true, Actions: 3})).Step([]int32{3, 0}) },
		"continuous int": func() { must(NewCartPoleVec(2, 1, CartPoleConfig{Continuous: true})).Step([]int32{0, 1}) },
		"discrete float": func() { must(NewCartPoleVec(2, 1, CartPoleConfig{})).StepContinuous([]float64{0, 1}) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
