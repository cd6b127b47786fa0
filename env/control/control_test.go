package control

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"argmax/env"
)

// classic is what every env of the package offers beyond env.Env.
type classic interface {
	env.Env
	SetState([]float64) error
	State([]float64) []float64
	Obs() []float64
}

// refStep steps a reference once, choosing the action itself (from a fixed
// sequence or from its own state), and returns that action with the
// reference's observation, reward and termination.
type refStep func(i int) (action, obs []float64, reward float64, terminated bool)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// replayCase replays 200 steps (or until the reference terminates, when
// stopAtEnd) through an env and its reference.
type replayCase struct {
	name string
	// setup returns the env at its start state and the reference there.
	setup     func(t *testing.T) (classic, refStep)
	maxSteps  int
	stopAtEnd bool
	// wantEnd requires the reference to terminate within the replay.
	wantEnd bool
}

func replayCases() []replayCase {
	pd := func(s [4]float64) bool { return s[2]+0.3*s[3]+0.01*s[0]+0.1*s[1] > 0 }
	cartPole := func(cfg CartPoleConfig, seed uint64, start []float64, policy func(i int, s [4]float64) (int, float64)) func(t *testing.T) (classic, refStep) {
		return func(t *testing.T) (classic, refStep) {
			e := must(NewCartPole(cfg))
			e.Reset(seed)
			if start != nil {
				if err := e.SetState(start); err != nil {
					t.Fatal(err)
				}
			}
			p := e.Params()
			r := newRefCartPole(p.MassCart, p.MassPole, p.Length)
			if cfg.SemiImplicit {
				r.kinematics_integrator = "semi-implicit euler"
			}
			copy(r.state[:], e.State(nil))
			return e, func(i int) ([]float64, []float64, float64, bool) {
				a, f := policy(i, r.state)
				s, rew, term := r.step(a, cfg.Continuous, f)
				if cfg.Continuous {
					return []float64{f}, s[:], rew, term
				}
				return []float64{float64(a)}, s[:], rew, term
			}
		}
	}
	balance := func(_ int, s [4]float64) (int, float64) {
		if pd(s) {
			return 1, 0
		}
		return 0, 0
	}
	pendulum := func(cfg PendulumConfig, seed uint64, start []float64, policy func(rng *rand.Rand) float64) func(t *testing.T) (classic, refStep) {
		return func(t *testing.T) (classic, refStep) {
			e := must(NewPendulum(cfg))
			e.Reset(seed)
			if start != nil {
				if err := e.SetState(start); err != nil {
					t.Fatal(err)
				}
			}
			p := e.Params()
			r := newRefPendulum(p.G, p.Mass, p.Length)
			copy(r.state[:], e.State(nil))
			rng := rand.New(rand.NewPCG(11, 12))
			return e, func(int) ([]float64, []float64, float64, bool) {
				u := policy(rng)
				obs, rew := r.step(u)
				return []float64{u}, obs, rew, false
			}
		}
	}
	randomTorque := func(rng *rand.Rand) float64 { return -3 + 6*rng.Float64() }
	mountainCar := func(cfg MountainCarConfig, seed uint64, start []float64, policy func(v float64, rng *rand.Rand) float64) func(t *testing.T) (classic, refStep) {
		return func(t *testing.T) (classic, refStep) {
			e := must(NewMountainCar(cfg))
			e.Reset(seed)
			if start != nil {
				if err := e.SetState(start); err != nil {
					t.Fatal(err)
				}
			}
			r := newRefMountainCar(cfg.GoalVelocity, e.Params().Power)
			copy(r.first[:], e.State(nil))
			r.reset = true
			rng := rand.New(rand.NewPCG(13, 14))
			vel := r.first[1]
			return e, func(int) ([]float64, []float64, float64, bool) {
				a := policy(vel, rng)
				obs, rew, term := r.step(a)
				vel = obs[1]
				return []float64{a}, obs, rew, term
			}
		}
	}
	pump := func(v float64, _ *rand.Rand) float64 { return 1.2 * sign(v) }
	randomForce := func(_ float64, rng *rand.Rand) float64 { return -1.5 + 3*rng.Float64() }
	acrobot := func(cfg AcrobotConfig, seed uint64, start []float64, policy func(s []float64, rng *rand.Rand) int) func(t *testing.T) (classic, refStep) {
		return func(t *testing.T) (classic, refStep) {
			e := must(NewAcrobot(cfg))
			e.Reset(seed)
			if start != nil {
				if err := e.SetState(start); err != nil {
					t.Fatal(err)
				}
			}
			p := e.Params()
			r := newRefAcrobot(p.LinkMass1, p.LinkMass2)
			if cfg.NIPS {
				r.book_or_nips = "nips"
			}
			r.state = e.State(nil)
			rng := rand.New(rand.NewPCG(15, 16))
			return e, func(int) ([]float64, []float64, float64, bool) {
				a := policy(r.state, rng)
				obs, rew, term := r.step(a)
				return []float64{float64(a)}, obs, rew, term
			}
		}
	}
	randomAcrobot := func(_ []float64, rng *rand.Rand) int { return rng.IntN(3) }
	pumpTorque := func(s []float64, _ *rand.Rand) int { // torque along θ̇2 pumps energy in
		if s[3] > 0 {
			return 2
		}
		return 0
	}
	return []replayCase{
		{name: "cartpole/balanced", setup: cartPole(CartPoleConfig{}, 1, []float64{0.01, -0.02, 0.03, 0.01}, balance), maxSteps: 500},
		{name: "cartpole/falls", setup: cartPole(CartPoleConfig{}, 1, []float64{0, 0, 0.15, 0.5}, func(int, [4]float64) (int, float64) { return 0, 0 }), maxSteps: 500, wantEnd: true},
		{name: "cartpole/semi-implicit", setup: cartPole(CartPoleConfig{SemiImplicit: true}, 1, []float64{0.01, 0.02, -0.03, 0.04}, balance), maxSteps: 500},
		{name: "cartpole/params+limit", setup: cartPole(CartPoleConfig{MaxSteps: 100, MassCart: Range{0.5, 2}, MassPole: Range{0.05, 0.5}, Length: Range{0.25, 1}}, 7, nil, balance), maxSteps: 100},
		{name: "cartpole-continuous", setup: cartPole(CartPoleConfig{Continuous: true}, 2, []float64{0, 0.1, 0.05, -0.1}, func(_ int, s [4]float64) (int, float64) {
			return 0, 1.5 * math.Tanh(10*(s[2]+0.3*s[3]+0.01*s[0]+0.1*s[1]))
		}), maxSteps: 500},
		{name: "pendulum/random", setup: pendulum(PendulumConfig{}, 1, []float64{2.5, -0.5}, randomTorque), maxSteps: 200},
		{name: "pendulum/max speed", setup: pendulum(PendulumConfig{}, 1, []float64{0.5, 7.5}, func(*rand.Rand) float64 { return 2.5 }), maxSteps: 200},
		{name: "pendulum/params", setup: pendulum(PendulumConfig{G: 9.81, Mass: Range{0.5, 1.5}, Length: Range{0.5, 1.5}, MaxSteps: 150}, 3, nil, randomTorque), maxSteps: 150},
		{name: "mountaincar/pump", setup: mountainCar(MountainCarConfig{}, 5, nil, pump), maxSteps: 999, stopAtEnd: true, wantEnd: true},
		{name: "mountaincar/wall", setup: mountainCar(MountainCarConfig{}, 5, []float64{-1.1, -0.06}, randomForce), maxSteps: 999, stopAtEnd: true},
		{name: "mountaincar/params", setup: mountainCar(MountainCarConfig{Power: Range{0.001, 0.002}, GoalVelocity: 0.01, MaxSteps: 150}, 9, nil, pump), maxSteps: 150, stopAtEnd: true},
		{name: "acrobot/random", setup: acrobot(AcrobotConfig{MaxSteps: 200}, 1, []float64{0.05, -0.03, 0.02, 0.01}, randomAcrobot), maxSteps: 200, stopAtEnd: true},
		{name: "acrobot/pump", setup: acrobot(AcrobotConfig{}, 4, nil, pumpTorque), maxSteps: 500, stopAtEnd: true, wantEnd: true},
		{name: "acrobot/params", setup: acrobot(AcrobotConfig{LinkMass1: Range{0.5, 1.5}, LinkMass2: Range{0.5, 1.5}}, 8, nil, pumpTorque), maxSteps: 500, stopAtEnd: true},
		{name: "acrobot/fast spin", setup: acrobot(AcrobotConfig{}, 1, []float64{0, 3, 0, 28.2}, randomAcrobot), maxSteps: 500},
		{name: "acrobot/nips", setup: acrobot(AcrobotConfig{NIPS: true}, 6, nil, randomAcrobot), maxSteps: 500, stopAtEnd: true},
	}
}

// TestReplayMatchesGymnasium replays fixed action sequences through every
// classic env and an independent transcription of Gymnasium's Python.
func TestReplayMatchesGymnasium(t *testing.T) {
	for _, c := range replayCases() {
		t.Run(c.name, func(t *testing.T) {
			e, ref := c.setup(t)
			ended := false
			ret := 0.0
			for i := 1; i <= 200; i++ {
				action, want, wantR, wantTerm := ref(i)
				obs, r, term, trunc := e.Step(action)
				if len(obs) != len(want) {
					t.Fatalf("step %d: %d observation values, want %d", i, len(obs), len(want))
				}
				for j := range want {
					if !near(obs[j], want[j]) {
						t.Fatalf("step %d (action %v): observation %v, reference %v", i, action, obs, want)
					}
				}
				if !near(r, wantR) {
					t.Fatalf("step %d: reward %v, reference %v", i, r, wantR)
				}
				if term != wantTerm {
					t.Fatalf("step %d: terminated=%v, reference %v (observation %v)", i, term, wantTerm, obs)
				}
				if wantTrunc := i >= c.maxSteps; trunc != wantTrunc {
					t.Fatalf("step %d: truncated=%v, want %v", i, trunc, wantTrunc)
				}
				ret += r
				if !near(e.Performance(), ret) {
					t.Fatalf("step %d: performance %v, return %v", i, e.Performance(), ret)
				}
				if wantTerm {
					ended = true
					if c.stopAtEnd {
						break
					}
				}
			}
			if c.wantEnd && !ended {
				t.Errorf("the reference never terminated: the case does not test termination")
			}
		})
	}
}

func TestCartPoleTruncatesAt500(t *testing.T) {
	e := must(NewCartPole(CartPoleConfig{}))
	obs := e.Reset(3)
	for i := 1; i <= 500; i++ {
		a := 0.0
		if obs[2]+0.3*obs[3]+0.01*obs[0]+0.1*obs[1] > 0 {
			a = 1
		}
		var term, trunc bool
		var r float64
		obs, r, term, trunc = e.Step([]float64{a})
		if term {
			t.Fatalf("the balancing controller failed at step %d", i)
		}
		if r != 1 || trunc != (i == 500) {
			t.Fatalf("step %d: reward %v truncated %v", i, r, trunc)
		}
	}
	if e.Performance() != 500 {
		t.Errorf("performance %v, want 500", e.Performance())
	}
}

func TestCartPoleRewardAfterTermination(t *testing.T) {
	e := must(NewCartPole(CartPoleConfig{}))
	if err := e.SetState([]float64{2.39, 1, 0, 0}); err != nil {
		t.Fatal(err)
	}
	_, r, term, _ := e.Step([]float64{1})
	if !term || r != 1 {
		t.Fatalf("stepping out of the track: terminated=%v reward %v, want true 1", term, r)
	}
	if _, r, _, _ = e.Step([]float64{1}); r != 0 {
		t.Errorf("reward after termination %v, want 0 (as Gymnasium)", r)
	}
}

// TestMountainCarStateIsFloat32 checks that the state is rounded to
// float32 after every step, as Gymnasium stores it, and equals the
// reference's exactly.
func TestMountainCarStateIsFloat32(t *testing.T) {
	e := must(NewMountainCar(MountainCarConfig{}))
	e.Reset(1)
	r := newRefMountainCar(0, 0.0015)
	copy(r.first[:], e.State(nil))
	r.reset = true
	for i := range 100 {
		a := math.Sin(float64(i))
		obs, _, _, _ := e.Step([]float64{a})
		want, _, _ := r.step(a)
		for j, v := range obs {
			if v != float64(float32(v)) || v != want[j] {
				t.Fatalf("step %d: state %v, want the float32 values %v", i, obs, want)
			}
		}
	}
}

func TestResetDistributions(t *testing.T) {
	for seed := range uint64(200) {
		cp := must(NewCartPole(CartPoleConfig{}))
		for _, v := range cp.Reset(seed) {
			if v < -0.05 || v >= 0.05 {
				t.Fatalf("cartpole seed %d: initial %v", seed, cp.State(nil))
			}
		}
		p := must(NewPendulum(PendulumConfig{}))
		p.Reset(seed)
		if s := p.State(nil); s[0] < -math.Pi || s[0] >= math.Pi || s[1] < -1 || s[1] >= 1 {
			t.Fatalf("pendulum seed %d: initial %v", seed, s)
		}
		m := must(NewMountainCar(MountainCarConfig{}))
		m.Reset(seed)
		if s := m.State(nil); s[0] < -0.6 || s[0] >= -0.4 || s[1] != 0 {
			t.Fatalf("mountain car seed %d: initial %v", seed, s)
		}
		a := must(NewAcrobot(AcrobotConfig{}))
		a.Reset(seed)
		for _, v := range a.State(nil) {
			if v < -0.1 || v > 0.1 || v != float64(float32(v)) {
				t.Fatalf("acrobot seed %d: initial %v, want float32 values in ±0.1", seed, a.State(nil))
			}
		}
	}
}

// variants are configurations of every env, plain and rich.
func variants() map[string]func() classic {
	return map[string]func() classic{
		"cartpole": func() classic { return must(NewCartPole(CartPoleConfig{})) },
		"cartpole/rich": func() classic {
			return must(NewCartPole(CartPoleConfig{ForceNoise: 1, StateNoise: 0.001, Length: Range{0.3, 0.7}}))
		},
		"cartpole-continuous":  func() classic { return must(NewCartPole(CartPoleConfig{Continuous: true})) },
		"cartpole-discretized": func() classic { return must(NewCartPole(CartPoleConfig{Continuous: true, Actions: 5})) },
		"pendulum":             func() classic { return must(NewPendulum(PendulumConfig{})) },
		"pendulum/rich": func() classic {
			return must(NewPendulum(PendulumConfig{TorqueNoise: 0.2, StateNoise: 0.01, Mass: Range{0.8, 1.2}}))
		},
		"pendulum/discretized": func() classic { return must(NewPendulum(PendulumConfig{Actions: 9})) },
		"mountaincar":          func() classic { return must(NewMountainCar(MountainCarConfig{})) },
		"mountaincar/rich": func() classic {
			return must(NewMountainCar(MountainCarConfig{ForceNoise: 0.1, StateNoise: 0.001, Power: Range{0.001, 0.002}}))
		},
		"mountaincar/discrete": func() classic { return must(NewMountainCar(MountainCarConfig{Actions: 3})) },
		"acrobot":              func() classic { return must(NewAcrobot(AcrobotConfig{})) },
		"acrobot/rich": func() classic {
			return must(NewAcrobot(AcrobotConfig{TorqueNoiseMax: 0.1, TorqueNoise: 0.1, StateNoise: 0.01, LinkMass2: Range{0.5, 1.5}}))
		},
		"pointmass": func() classic { return must(NewPointMass(PointMassConfig{})) },
		"pointmass/rich": func() classic {
			return must(NewPointMass(PointMassConfig{ForceNoise: 0.3, Mass: Range{0.5, 2}, CollisionPenalty: 1}))
		},
		"pointmass/discretized": func() classic {
			return must(NewPointMass(PointMassConfig{Actions: 3}))
		},
	}
}

// randomAction fills dst with a random action of s.
func randomAction(rng *rand.Rand, s env.Space, dst []float64) []float64 {
	dst = dst[:0]
	if s.IsDiscrete() {
		return append(dst, float64(rng.IntN(s.N)))
	}
	for i := range s.Low {
		dst = append(dst, s.Low[i]+(s.High[i]-s.Low[i])*rng.Float64())
	}
	return dst
}

type transition struct {
	obs         []float64
	reward      float64
	term, trunc bool
}

// rollout runs n random steps (the actions from actionSeed) and records
// them.
func rollout(e env.Env, actionSeed uint64, n int) []transition {
	rng := rand.New(rand.NewPCG(actionSeed, 1))
	space := e.ActionSpace()
	var a []float64
	var out []transition
	for range n {
		a = randomAction(rng, space, a)
		obs, r, term, trunc := e.Step(a)
		out = append(out, transition{slices.Clone(obs), r, term, trunc})
	}
	return out
}

func sameRollout(a, b []transition) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i].obs, b[i].obs) || a[i].reward != b[i].reward || a[i].term != b[i].term || a[i].trunc != b[i].trunc {
			return false
		}
	}
	return true
}

func TestDeterminismPerSeed(t *testing.T) {
	for name, mk := range variants() {
		t.Run(name, func(t *testing.T) {
			a, b := mk(), mk()
			o1 := slices.Clone(a.Reset(42))
			o2 := slices.Clone(b.Reset(42))
			if !slices.Equal(o1, o2) {
				t.Fatalf("Reset(42) gave %v and %v", o1, o2)
			}
			if !sameRollout(rollout(a, 5, 60), rollout(b, 5, 60)) {
				t.Fatal("the same seed and actions gave different episodes")
			}
			if o3 := b.Reset(43); slices.Equal(o1, o3) {
				t.Errorf("seeds 42 and 43 gave the same initial observation %v", o3)
			}
			// Resetting again replays the episode: nothing but the seed
			// carries over.
			a.Reset(42)
			first := rollout(a, 5, 60)
			a.Reset(42)
			if !sameRollout(first, rollout(a, 5, 60)) {
				t.Fatal("a second Reset(42) gave a different episode")
			}
		})
	}
}

func TestCloneIndependence(t *testing.T) {
	for name, mk := range variants() {
		t.Run(name, func(t *testing.T) {
			e := mk()
			e.Reset(9)
			rollout(e, 1, 10)
			c := e.Clone()
			perf := e.Performance()
			if c.Performance() != perf {
				t.Fatalf("clone's performance %v, original's %v", c.Performance(), perf)
			}
			// The clone has the same state and stream: the same actions give
			// the same steps, noise included.
			want := rollout(c.Clone(), 2, 30)
			// Stepping the clone elsewhere leaves the original alone.
			rollout(c, 3, 30)
			if e.Performance() != perf {
				t.Fatal("stepping the clone changed the original's performance")
			}
			if got := rollout(e, 2, 30); !sameRollout(got, want) {
				t.Fatal("after the clone was stepped, the original does not continue as a clone of it did")
			}
		})
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	for name, mk := range variants() {
		t.Run(name, func(t *testing.T) {
			e := mk()
			rng := rand.New(rand.NewPCG(1, 2))
			space := e.ActionSpace()
			a := randomAction(rng, space, nil)
			steps := 0
			allocs := testing.AllocsPerRun(500, func() {
				a = randomAction(rng, space, a)
				_, _, term, trunc := e.Step(a)
				if steps++; term || trunc {
					e.Reset(uint64(steps))
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per step, want 0", allocs)
			}
		})
	}
}

func TestObservationIsOwnBuffer(t *testing.T) {
	for name, mk := range variants() {
		t.Run(name, func(t *testing.T) {
			e := mk()
			o := e.Reset(1)
			a := randomAction(rand.New(rand.NewPCG(1, 1)), e.ActionSpace(), nil)
			o2, _, _, _ := e.Step(a)
			if &o[0] != &o2[0] || &o2[0] != &e.Obs()[0] {
				t.Error("Reset, Step and Obs return different buffers")
			}
			if err := e.ObservationSpace().Check(o2); err != nil {
				t.Errorf("observation %v: %v", o2, err)
			}
		})
	}
}

func TestSetStateRoundTrip(t *testing.T) {
	for name, mk := range variants() {
		t.Run(name, func(t *testing.T) {
			e := mk()
			e.Reset(2)
			rollout(e, 4, 5)
			s := e.State(nil)
			obs := slices.Clone(e.Obs())
			f := mk()
			f.Reset(2) // the same hidden parameters
			if err := f.SetState(s); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.State(nil), s) || !slices.Equal(f.Obs(), obs) {
				t.Errorf("SetState(%v): state %v obs %v, want obs %v", s, f.State(nil), f.Obs(), obs)
			}
			if f.Performance() != 0 {
				t.Errorf("SetState left performance %v, want a new episode", f.Performance())
			}
			if err := f.SetState(s[:len(s)-1]); err == nil {
				t.Error("SetState with a short state: no error")
			}
			bad := slices.Clone(s)
			bad[0] = math.NaN()
			if err := f.SetState(bad); err == nil {
				t.Error("SetState with NaN: no error")
			}
		})
	}
}

// TestHiddenParameters checks that parameters drawn from ranges vary per
// seed within their range, repeat per seed, change the dynamics, and leave
// the observation (its space and every initial observation) as it is
// without them.
func TestHiddenParameters(t *testing.T) {
	type ranged struct {
		plain, rich func() classic
		params      func(classic) []float64
		ranges      []Range
	}
	cases := map[string]ranged{
		"cartpole": {
			plain: func() classic { return must(NewCartPole(CartPoleConfig{})) },
			rich: func() classic {
				return must(NewCartPole(CartPoleConfig{MassCart: Range{0.5, 2}, MassPole: Range{0.05, 0.5}, Length: Range{0.25, 1}}))
			},
			params: func(e classic) []float64 {
				p := e.(*CartPole).Params()
				return []float64{p.MassCart, p.MassPole, p.Length}
			},
			ranges: []Range{{0.5, 2}, {0.05, 0.5}, {0.25, 1}},
		},
		"pendulum": {
			plain: func() classic { return must(NewPendulum(PendulumConfig{})) },
			rich: func() classic {
				return must(NewPendulum(PendulumConfig{Mass: Range{0.5, 1.5}, Length: Range{0.5, 1.5}}))
			},
			params: func(e classic) []float64 { p := e.(*Pendulum).Params(); return []float64{p.Mass, p.Length} },
			ranges: []Range{{0.5, 1.5}, {0.5, 1.5}},
		},
		"mountaincar": {
			plain:  func() classic { return must(NewMountainCar(MountainCarConfig{})) },
			rich:   func() classic { return must(NewMountainCar(MountainCarConfig{Power: Range{0.001, 0.002}})) },
			params: func(e classic) []float64 { return []float64{e.(*MountainCar).Params().Power} },
			ranges: []Range{{0.001, 0.002}},
		},
		"acrobot": {
			plain: func() classic { return must(NewAcrobot(AcrobotConfig{})) },
			rich: func() classic {
				return must(NewAcrobot(AcrobotConfig{LinkMass1: Range{0.5, 1.5}, LinkMass2: Range{0.5, 1.5}}))
			},
			params: func(e classic) []float64 { p := e.(*Acrobot).Params(); return []float64{p.LinkMass1, p.LinkMass2} },
			ranges: []Range{{0.5, 1.5}, {0.5, 1.5}},
		},
		"pointmass": {
			plain:  func() classic { return must(NewPointMass(PointMassConfig{})) },
			rich:   func() classic { return must(NewPointMass(PointMassConfig{Mass: Range{0.5, 2}})) },
			params: func(e classic) []float64 { return []float64{e.(*PointMass).Params().Mass} },
			ranges: []Range{{0.5, 2}},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			plain, rich := c.plain(), c.rich()
			if ps, rs := plain.ObservationSpace(), rich.ObservationSpace(); ps.String() != rs.String() {
				t.Fatalf("observation space %v with hidden parameters, %v without", rs, ps)
			}
			distinct := map[float64]bool{}
			dynamicsDiffer := false
			for seed := range uint64(50) {
				po, ro := plain.Reset(seed), rich.Reset(seed)
				if !slices.Equal(po, ro) {
					t.Fatalf("seed %d: initial observation %v with hidden parameters, %v without", seed, ro, po)
				}
				p := c.params(rich)
				for i, v := range p {
					if v < c.ranges[i].Min || v > c.ranges[i].Max {
						t.Fatalf("seed %d: parameter %d is %v, outside %v", seed, i, v, c.ranges[i])
					}
				}
				distinct[p[0]] = true
				rich.Reset(seed)
				if !slices.Equal(p, c.params(rich)) {
					t.Fatalf("seed %d: parameters %v then %v", seed, p, c.params(rich))
				}
				if !sameRollout(rollout(plain, seed, 5), rollout(rich, seed, 5)) {
					dynamicsDiffer = true
				}
			}
			if len(distinct) < 45 {
				t.Errorf("only %d distinct values of the first parameter over 50 seeds", len(distinct))
			}
			if !dynamicsDiffer {
				t.Error("the hidden parameters never changed the dynamics")
			}
		})
	}
}

func TestNoiseMakesDynamicsStochastic(t *testing.T) {
	cases := map[string][2]func() classic{
		"cartpole force": {func() classic { return must(NewCartPole(CartPoleConfig{})) }, func() classic { return must(NewCartPole(CartPoleConfig{ForceNoise: 1})) }},
		"cartpole state": {func() classic { return must(NewCartPole(CartPoleConfig{})) }, func() classic { return must(NewCartPole(CartPoleConfig{StateNoise: 0.01})) }},
		"pendulum":       {func() classic { return must(NewPendulum(PendulumConfig{})) }, func() classic { return must(NewPendulum(PendulumConfig{TorqueNoise: 0.5})) }},
		"mountaincar":    {func() classic { return must(NewMountainCar(MountainCarConfig{})) }, func() classic { return must(NewMountainCar(MountainCarConfig{ForceNoise: 0.5})) }},
		"acrobot":        {func() classic { return must(NewAcrobot(AcrobotConfig{})) }, func() classic { return must(NewAcrobot(AcrobotConfig{TorqueNoiseMax: 0.5})) }},
		"pointmass":      {func() classic { return must(NewPointMass(PointMassConfig{})) }, func() classic { return must(NewPointMass(PointMassConfig{ForceNoise: 0.5})) }},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			plain, noisy := c[0](), c[1]()
			plain.Reset(1)
			noisy.Reset(1)
			if !slices.Equal(plain.Obs(), noisy.Obs()) {
				t.Fatal("noise changed the initial state")
			}
			p, n := rollout(plain, 1, 5), rollout(noisy, 1, 5)
			if sameRollout(p, n) {
				t.Fatal("noise left the dynamics unchanged")
			}
			// The same state and actions under two seeds' noise differ.
			s := plain.State(nil)
			noisy.Reset(2)
			noisy.SetState(s)
			a := rollout(noisy, 7, 5)
			noisy.Reset(3)
			noisy.SetState(s)
			if sameRollout(a, rollout(noisy, 7, 5)) {
				t.Error("two seeds' noise gave the same steps")
			}
		})
	}
}

func TestDiscretization(t *testing.T) {
	// Action k of a discretized env is the k-th of the evenly spaced
	// values of the continuous env's box.
	cases := []struct {
		name       string
		disc, cont classic
		levels     [][]float64
	}{
		{"pendulum", must(NewPendulum(PendulumConfig{Actions: 5})), must(NewPendulum(PendulumConfig{})), [][]float64{{-2}, {-1}, {0}, {1}, {2}}},
		{"mountaincar", must(NewMountainCar(MountainCarConfig{Actions: 3})), must(NewMountainCar(MountainCarConfig{})), [][]float64{{-1}, {0}, {1}}},
		{"cartpole", must(NewCartPole(CartPoleConfig{Continuous: true, Actions: 3})), must(NewCartPole(CartPoleConfig{Continuous: true})), [][]float64{{-1}, {0}, {1}}},
		{"pointmass", must(NewPointMass(PointMassConfig{Actions: 2})), must(NewPointMass(PointMassConfig{})), [][]float64{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if s := c.disc.ActionSpace(); !s.IsDiscrete() || s.N != len(c.levels) {
				t.Fatalf("action space %v, want Discrete(%d)", s, len(c.levels))
			}
			for k, lv := range c.levels {
				c.disc.Reset(uint64(k))
				c.cont.Reset(uint64(k))
				for range 3 {
					do, dr, _, _ := c.disc.Step([]float64{float64(k)})
					co, cr, _, _ := c.cont.Step(lv)
					if !slices.Equal(do, co) || dr != cr {
						t.Fatalf("action %d: %v %v, continuous %v: %v %v", k, do, dr, lv, co, cr)
					}
				}
			}
		})
	}
}

func TestInvalidActionsPanic(t *testing.T) {
	cases := map[string]struct {
		e classic
		a []float64
	}{
		"cartpole 2":           {must(NewCartPole(CartPoleConfig{})), []float64{2}},
		"cartpole 0.5":         {must(NewCartPole(CartPoleConfig{})), []float64{0.5}},
		"acrobot -1":           {must(NewAcrobot(AcrobotConfig{})), []float64{-1}},
		"pendulum NaN":         {must(NewPendulum(PendulumConfig{})), []float64{math.NaN()}},
		"pendulum two values":  {must(NewPendulum(PendulumConfig{})), []float64{1, 1}},
		"pointmass one value":  {must(NewPointMass(PointMassConfig{})), []float64{1}},
		"discretized 5 of 5":   {must(NewMountainCar(MountainCarConfig{Actions: 5})), []float64{5}},
		"cartpole no action":   {must(NewCartPole(CartPoleConfig{})), nil},
		"continuous too short": {must(NewCartPole(CartPoleConfig{Continuous: true})), []float64{}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Step(%v) did not panic", c.a)
				}
			}()
			c.e.Step(c.a)
		})
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"cartpole actions", second(NewCartPole(CartPoleConfig{Actions: 3})), "Actions=3"},
		{"cartpole one action", second(NewCartPole(CartPoleConfig{Continuous: true, Actions: 1})), "Actions=1"},
		{"cartpole steps", second(NewCartPole(CartPoleConfig{MaxSteps: -1})), "MaxSteps=-1"},
		{"cartpole noise", second(NewCartPole(CartPoleConfig{ForceNoise: -1})), "ForceNoise=-1"},
		{"cartpole state noise", second(NewCartPole(CartPoleConfig{StateNoise: math.NaN()})), "StateNoise=NaN"},
		{"cartpole range order", second(NewCartPole(CartPoleConfig{Length: Range{1, 0.5}})), "Length range [1, 0.5]"},
		{"cartpole range sign", second(NewCartPole(CartPoleConfig{MassPole: Range{-1, 1}})), "MassPole range"},
		{"cartpole range inf", second(NewCartPole(CartPoleConfig{MassCart: Range{1, math.Inf(1)}})), "MassCart range"},
		{"pendulum G", second(NewPendulum(PendulumConfig{G: -9.8})), "G=-9.8"},
		{"pendulum mass", second(NewPendulum(PendulumConfig{Mass: Range{0, 1}})), "Mass range [0, 1]"},
		{"pendulum actions", second(NewPendulum(PendulumConfig{Actions: -2})), "Actions=-2"},
		{"pendulum actuators", second(NewPendulum(PendulumConfig{Actuators: -1})), "Actuators=-1"},
		{"pendulum discrete actuators", second(NewPendulum(PendulumConfig{Actuators: 3, Actions: 5})), "Actuators=3 with Actions=5"},
		{"mountaincar power", second(NewMountainCar(MountainCarConfig{Power: Range{0.002, 0.001}})), "Power range"},
		{"mountaincar goal velocity", second(NewMountainCar(MountainCarConfig{GoalVelocity: math.Inf(1)})), "GoalVelocity"},
		{"acrobot noise", second(NewAcrobot(AcrobotConfig{TorqueNoiseMax: -0.1})), "TorqueNoiseMax"},
		{"acrobot mass", second(NewAcrobot(AcrobotConfig{LinkMass2: Range{2, 1}})), "LinkMass2 range"},
		{"pointmass size", second(NewPointMass(PointMassConfig{Size: -1})), "Size=-1"},
		{"pointmass goal radius", second(NewPointMass(PointMassConfig{Layout: &PointMassLayout{Start: [2]float64{-0.5, 0}, GoalRadius: 0}})), "Layout.GoalRadius"},
		{"pointmass start outside", second(NewPointMass(PointMassConfig{Layout: &PointMassLayout{Start: [2]float64{2, 0}, GoalRadius: 0.1}})), "Layout.Start"},
		{"pointmass obstacle on start", second(NewPointMass(PointMassConfig{Layout: &PointMassLayout{Start: [2]float64{0.5, 0}, GoalRadius: 0.1, Obstacles: []Circle{{0.4, 0, 0.2}}}})), "Layout.Obstacles[0]"},
		{"pointmass obstacle radius", second(NewPointMass(PointMassConfig{Layout: &PointMassLayout{Start: [2]float64{0.5, 0}, GoalRadius: 0.1, Obstacles: []Circle{{-0.4, 0, -1}}}})), "Layout.Obstacles[0]"},
		{"vec n", second(NewCartPoleVec(0, 1, CartPoleConfig{})), "n=0"},
		{"vec config", second(NewCartPoleVec(4, 1, CartPoleConfig{MassCart: Range{2, 1}})), "MassCart range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatalf("no error, want one naming %q", c.want)
			}
			if !strings.Contains(c.err.Error(), c.want) {
				t.Errorf("error %q does not name %q", c.err, c.want)
			}
		})
	}
	// Zero configs are valid, and so are fixed ranges.
	if _, err := NewCartPole(CartPoleConfig{Length: Range{1, 1}}); err != nil {
		t.Errorf("fixed range: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestSpacesAndNames(t *testing.T) {
	cases := []struct {
		e           env.Env
		name        string
		obs, action string
	}{
		{must(NewCartPole(CartPoleConfig{})), "cartpole", "Box([-4.8 -Inf -0.41887902047863906 -Inf], [4.8 +Inf 0.41887902047863906 +Inf])", "Discrete(2)"},
		{must(NewCartPole(CartPoleConfig{Continuous: true})), "cartpole-continuous", "", "Box([-1], [1])"},
		{must(NewPendulum(PendulumConfig{})), "pendulum", "Box([-1 -1 -8], [1 1 8])", "Box([-2], [2])"},
		{must(NewMountainCar(MountainCarConfig{})), "mountaincar-continuous", "Box([-1.2 -0.07], [0.6 0.07])", "Box([-1], [1])"},
		{must(NewAcrobot(AcrobotConfig{})), "acrobot", "Box([-1 -1 -1 -1 -12.566370614359172 -28.274333882308138], [1 1 1 1 12.566370614359172 28.274333882308138])", "Discrete(3)"},
		{must(NewPointMass(PointMassConfig{})), "pointmass", "", "Box([-1 -1], [1 1])"},
		{must(NewPointMass(PointMassConfig{Actions: 3})), "pointmass", "", "Discrete(9)"},
	}
	for _, c := range cases {
		if got := c.e.Name(); got != c.name {
			t.Errorf("name %q, want %q", got, c.name)
		}
		if got := c.e.ObservationSpace().String(); c.obs != "" && got != c.obs {
			t.Errorf("%s: observation space %s, want %s", c.name, got, c.obs)
		}
		if got := c.e.ActionSpace().String(); got != c.action {
			t.Errorf("%s: action space %s, want %s", c.name, got, c.action)
		}
	}
}

func TestSincosMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 100000 {
		x := (rng.Float64() - 0.5) * 4
		if i%10 == 0 {
			x *= 1e-6
		}
		s, c := sincos(x)
		ws, wc := math.Sincos(x)
		if s != ws || c != wc {
			t.Fatalf("sincos(%v) = %v, %v; math.Sincos %v, %v", x, s, c, ws, wc)
		}
	}
}

func TestAngleNormalize(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{0, 0}, {math.Pi, -math.Pi}, {-math.Pi, -math.Pi}, {3 * math.Pi / 2, -math.Pi / 2}, {-3 * math.Pi / 2, math.Pi / 2}, {7, 7 - 2*math.Pi},
	} {
		if got := angleNormalize(c.x); !near(got, c.want) {
			t.Errorf("angleNormalize(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestPointMass(t *testing.T) {
	t.Run("reaches the goal around the obstacle", func(t *testing.T) {
		e := must(NewPointMass(PointMassConfig{}))
		obs := e.Reset(1)
		l := e.Layout()
		// Go right along the bottom, then up: around the central obstacle.
		term := false
		var steps int
		for steps = 1; steps <= 200 && !term; steps++ {
			tx, ty := l.Goal[0], -0.7
			if obs[0] > 0.6 {
				ty = l.Goal[1]
			}
			a := []float64{clip(3*(tx-obs[0])-obs[2], -1, 1), clip(3*(ty-obs[1])-obs[3], -1, 1)}
			obs, _, term, _ = e.Step(a)
		}
		if !term {
			t.Fatalf("the waypoint controller did not reach the goal: at %v", obs[:2])
		}
		if e.Collisions() != 0 {
			t.Errorf("%d collisions going around the obstacle", e.Collisions())
		}
		if e.Performance() >= 0 {
			t.Errorf("performance %v: want the negative sum of distances", e.Performance())
		}
	})
	t.Run("an obstacle stops the mass", func(t *testing.T) {
		e := must(NewPointMass(PointMassConfig{CollisionPenalty: 2}))
		if err := e.SetState([]float64{-0.4, 0, 1, 0}); err != nil {
			t.Fatal(err)
		}
		var hit bool
		for range 20 {
			before := e.State(nil)
			obs, r, _, _ := e.Step([]float64{1, 0})
			if e.Collisions() > 0 {
				hit = true
				if obs[0] != before[0] || obs[1] != before[1] || obs[2] != 0 || obs[3] != 0 {
					t.Fatalf("collision from %v: state %v, want the same position at rest", before, obs[:4])
				}
				if d := math.Hypot(obs[0]-0.7, obs[1]-0.7); !near(r, -d-2) {
					t.Fatalf("collision reward %v, want %v", r, -d-2)
				}
				break
			}
			if math.Hypot(obs[0], obs[1]) < 0.35 {
				t.Fatalf("the mass entered the obstacle: %v", obs[:2])
			}
		}
		if !hit {
			t.Fatal("pushing at the obstacle never hit it")
		}
	})
	t.Run("a reward source pays outside the intended goal", func(t *testing.T) {
		l := DefaultPointMassLayout()
		l.Sources = []RewardSource{{Circle: Circle{X: 0.6, Y: -0.6, R: 0.25}, Reward: 3}}
		e := must(NewPointMass(PointMassConfig{Layout: &l}))
		for i, c := range []struct {
			at     []float64
			inside bool
		}{{[]float64{0.6, -0.6, 0, 0}, true}, {[]float64{-0.6, 0.6, 0, 0}, false}} {
			if err := e.SetState(c.at); err != nil {
				t.Fatal(err)
			}
			obs, r, _, _ := e.Step([]float64{0, 0})
			d := math.Hypot(obs[0]-0.7, obs[1]-0.7)
			want := -d
			if c.inside {
				want += 3
			}
			if !near(r, want) || !near(e.Performance(), -d) {
				t.Errorf("case %d: reward %v, performance %v; want %v and %v", i, r, e.Performance(), want, -d)
			}
		}
		bad := DefaultPointMassLayout()
		bad.Sources = []RewardSource{{Circle: Circle{X: 0, Y: 0, R: -1}, Reward: 1}}
		if _, err := NewPointMass(PointMassConfig{Layout: &bad}); err == nil || !strings.Contains(err.Error(), "Layout.Sources[0]") {
			t.Errorf("a source of negative radius: %v", err)
		}
	})
	t.Run("walls stop the mass", func(t *testing.T) {
		e := must(NewPointMass(PointMassConfig{}))
		if err := e.SetState([]float64{-0.95, 0.9, -1, 0}); err != nil {
			t.Fatal(err)
		}
		obs, _, _, _ := e.Step([]float64{-1, 0})
		if obs[0] != -1 || obs[2] != 0 {
			t.Errorf("after hitting the left wall: %v, want x = -1 at vx = 0", obs[:4])
		}
	})
	t.Run("SetState refuses obstacles and walls", func(t *testing.T) {
		e := must(NewPointMass(PointMassConfig{}))
		if err := e.SetState([]float64{0, 0.1, 0, 0}); err == nil || !strings.Contains(err.Error(), "obstacle") {
			t.Errorf("inside the obstacle: %v", err)
		}
		if err := e.SetState([]float64{1.5, 0, 0, 0}); err == nil || !strings.Contains(err.Error(), "arena") {
			t.Errorf("outside the arena: %v", err)
		}
	})
	t.Run("dynamics", func(t *testing.T) {
		e := must(NewPointMass(PointMassConfig{Layout: &PointMassLayout{Start: [2]float64{0, 0}, Goal: [2]float64{0.9, 0.9}, GoalRadius: 0.05}}))
		if err := e.SetState([]float64{0, 0, 0.5, 0}); err != nil {
			t.Fatal(err)
		}
		obs, r, _, _ := e.Step([]float64{1, -0.5})
		vx, vy := 0.5+0.1*(1-0.5), 0+0.1*(-0.5-0)
		want := []float64{0.1 * vx, 0.1 * vy, vx, vy, 0.9, 0.9}
		for i := range want {
			if !near(obs[i], want[i]) {
				t.Fatalf("observation %v, want %v", obs, want)
			}
		}
		if d := math.Hypot(want[0]-0.9, want[1]-0.9); !near(r, -d) {
			t.Errorf("reward %v, want %v", r, -d)
		}
	})
}

// Several actuators commanding the same torque move the pendulum exactly
// as Pendulum-v1's single torque does, reward included; commands that
// differ apply their clipped mean and pay the mean of their squares.
func TestPendulumActuators(t *testing.T) {
	one := must(NewPendulum(PendulumConfig{}))
	three := must(NewPendulum(PendulumConfig{Actuators: 3}))
	if got := three.ActionSpace(); got.Dim() != 3 {
		t.Fatalf("action space %v: want 3 dimensions", got)
	}
	one.Reset(5)
	three.Reset(5)
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 200 {
		u := 5*rng.Float64() - 2.5
		o1, r1, _, tr1 := one.Step([]float64{u})
		o3, r3, _, tr3 := three.Step([]float64{u, u, u})
		if !slices.Equal(o1, o3) || r1 != r3 || tr1 != tr3 {
			t.Fatalf("step %d, torque %v: one actuator gives %v %v, three %v %v", step, u, o1, r1, o3, r3)
		}
	}
	// Commands 3 (clipped to 2), −1, 0.5: torque 0.5, squares' mean 1.75,
	// the same step as one actuator's 0.5 except for the torque cost.
	one.Reset(9)
	three.Reset(9)
	o1, r1, _, _ := one.Step([]float64{0.5})
	o3, r3, _, _ := three.Step([]float64{3, -1, 0.5})
	if !slices.Equal(o1, o3) {
		t.Errorf("observation %v, want the single actuator's %v", o3, o1)
	}
	if want := r1 - 0.001*(1.75-0.25); math.Abs(r3-want) > 1e-12 {
		t.Errorf("reward %v, want %v", r3, want)
	}
}
