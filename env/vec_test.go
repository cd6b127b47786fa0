package env_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"argmax/env"
)

// vecProto is the env the Vec tests batch: noisy, stochastic, and ending
// often (terminating at ±1.5 or truncated after 6 steps), so that auto-resets
// happen.
func vecProto() env.Env {
	return must(env.TimeLimit(must(env.ObservationNoise(newWalk(false, 0.3, 1, 1.5), 0.1)), 6))
}

// vecActions is the flat action batch of step s.
func vecActions(dst []float64, s int) []float64 {
	for i := range dst {
		dst[i] = math.Sin(float64(3*s + 7*i))
	}
	return dst
}

func TestVecMatchesClones(t *testing.T) {
	const n, steps, seed = 5, 40, 123
	for _, workers := range []int{1, 2, 3, 5, 8} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			proto := vecProto()
			v, err := env.NewVec(proto, n, workers)
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			if v.Len() != n || v.Workers() != min(workers, n) {
				t.Fatalf("Len %d Workers %d", v.Len(), v.Workers())
			}
			// The reference: the clones stepped one by one.
			ref := make([]env.Env, n)
			episode := make([]int, n)
			want := make([]float64, 0, n*4)
			for i := range ref {
				ref[i] = proto.Clone()
				want = append(want, ref[i].Reset(env.EpisodeSeed(seed, i, 0))...)
			}
			if got := v.Reset(seed); !slices.Equal(got, want) {
				t.Fatalf("Reset: %v, want %v", got, want)
			}
			actions := make([]float64, n)
			ends, terms := 0, 0
			for s := range steps {
				obs, rewards, term, trunc := v.Step(vecActions(actions, s))
				for i, e := range ref {
					o, r, te, tr := e.Step(actions[i : i+1])
					if rewards[i] != r || term[i] != te || trunc[i] != tr {
						t.Fatalf("step %d env %d: %v %v %v, want %v %v %v", s, i, rewards[i], term[i], trunc[i], r, te, tr)
					}
					if te {
						terms++
					}
					if te || tr {
						ends++
						if got := v.FinalObs()[4*i : 4*i+4]; !slices.Equal(got, o) {
							t.Fatalf("step %d env %d: final observation %v, want %v", s, i, got, o)
						}
						if got := v.FinalPerformance()[i]; got != e.Performance() {
							t.Fatalf("step %d env %d: final performance %v, want %v", s, i, got, e.Performance())
						}
						episode[i]++
						o = e.Reset(env.EpisodeSeed(seed, i, episode[i]))
					}
					if got := obs[4*i : 4*i+4]; !slices.Equal(got, o) {
						t.Fatalf("step %d env %d: observation %v, want %v", s, i, got, o)
					}
				}
			}
			if terms < 5 || ends < n*(steps/6) {
				t.Errorf("only %d episodes ended, %d terminated", ends, terms)
			}
			// A second Reset with the same seed replays the same start.
			first := slices.Clone(v.Reset(seed))
			for i := range n {
				if got := first[4*i : 4*i+4]; !slices.Equal(got, proto.Clone().Reset(env.EpisodeSeed(seed, i, 0))) {
					t.Errorf("second Reset: env %d starts at %v", i, got)
				}
			}
		})
	}
}

func TestVecClose(t *testing.T) {
	run := func(v *env.Vec) []float64 {
		var out []float64
		v.Reset(5)
		actions := make([]float64, v.Len())
		for s := range 20 {
			obs, r, _, _ := v.Step(vecActions(actions, s))
			out = append(append(out, obs...), r...)
		}
		return out
	}
	v := must2(env.NewVec(vecProto(), 4, 2))
	before := run(v)
	v.Close()
	v.Close() // idempotent
	if v.Workers() != 1 {
		t.Errorf("Workers after Close: %d", v.Workers())
	}
	if after := run(v); !slices.Equal(before, after) {
		t.Error("a closed Vec steps differently")
	}
}

func must2(v *env.Vec, err error) *env.Vec {
	if err != nil {
		panic(err)
	}
	return v
}

// panicky panics at its third step.
type panicky struct{ *walk }

func (p panicky) Step(a []float64) ([]float64, float64, bool, bool) {
	if p.walk.t == 2 {
		panic("boom")
	}
	return p.walk.Step(a)
}

func (p panicky) Clone() env.Env { return panicky{p.walk.Clone().(*walk)} }

func TestVecPanics(t *testing.T) {
	catch := func(f func()) (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		f()
		return ""
	}
	v := must2(env.NewVec(exact(3), 4, 2))
	defer v.Close()
	if got := catch(func() { v.Step(make([]float64, 4)) }); !strings.Contains(got, "Step before Reset") {
		t.Errorf("Step before Reset: panic %q", got)
	}
	v.Reset(1)
	if got := catch(func() { v.Step(make([]float64, 3)) }); !strings.Contains(got, "3 action values, want 4 envs × 1") {
		t.Errorf("short actions: panic %q", got)
	}
	for _, workers := range []int{1, 2} {
		p := must2(env.NewVec(panicky{exact(100)}, 4, workers))
		p.Reset(1)
		a := make([]float64, 4)
		p.Step(a)
		p.Step(a)
		if got := catch(func() { p.Step(a) }); !strings.Contains(got, "boom") {
			t.Errorf("workers %d: an env's panic comes back as %q", workers, got)
		}
		p.Close()
	}
}

func TestEpisodeSeed(t *testing.T) {
	seen := map[uint64]string{}
	for _, seed := range []uint64{0, 1, 2, 1 << 63} {
		for i := range 50 {
			for k := range 50 {
				s := env.EpisodeSeed(seed, i, k)
				key := fmt.Sprint(seed, i, k)
				if prev, ok := seen[s]; ok {
					t.Fatalf("EpisodeSeed(%s) = EpisodeSeed(%s)", key, prev)
				}
				seen[s] = key
			}
		}
	}
}

func TestVecAllocs(t *testing.T) {
	for _, workers := range []int{1, 2} {
		v := must2(env.NewVec(vecProto(), 8, workers))
		v.Reset(1)
		actions := make([]float64, 8)
		s := 0
		allocs := testing.AllocsPerRun(200, func() {
			v.Step(vecActions(actions, s))
			s++
		})
		if allocs != 0 {
			t.Errorf("workers %d: %v allocations per Step", workers, allocs)
		}
		v.Close()
	}
}

// BenchmarkVecStep steps 64 noisy, time-limited walks; "direct" steps 64
// clones in a plain loop, the baseline the Vec's overhead is measured
// against in the same run (ns/op is per batch step; env-steps/s counts the
// env steps).
func BenchmarkVecStep(b *testing.B) {
	const n = 64
	proto := must(env.TimeLimit(must(env.ObservationNoise(newWalk(false, 0.3, 1, 3), 0.1)), 200))
	actions := vecActions(make([]float64, n), 1)
	b.Run("direct", func(b *testing.B) {
		envs := make([]env.Env, n)
		for i := range envs {
			envs[i] = proto.Clone()
			envs[i].Reset(uint64(i))
		}
		for b.Loop() {
			for i, e := range envs {
				if _, _, term, trunc := e.Step(actions[i : i+1]); term || trunc {
					e.Reset(uint64(i))
				}
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "env-steps/s")
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprint("workers=", workers), func(b *testing.B) {
			v := must2(env.NewVec(proto, n, workers))
			defer v.Close()
			v.Reset(1)
			for b.Loop() {
				v.Step(actions)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "env-steps/s")
		})
	}
}
