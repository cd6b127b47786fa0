package env_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"argmax/env"
)

// wrappers lists one configuration of every wrapper, built around inner.
var wrappers = []struct {
	name     string
	discrete bool // whether inner must have a discrete action space
	wrap     func(inner env.Env) (env.Env, error)
}{
	{"ObservationNoise", false, func(e env.Env) (env.Env, error) { return env.ObservationNoise(e, 0.5) }},
	{"Mask", false, func(e env.Env) (env.Env, error) { return env.Mask(e, []int{2, 0}) }},
	{"Flicker", false, func(e env.Env) (env.Env, error) { return env.Flicker(e, 0.3) }},
	{"StickyActions", true, func(e env.Env) (env.Env, error) { return env.StickyActions(e, 0.25) }},
	{"StickyActionsBox", false, func(e env.Env) (env.Env, error) { return env.StickyActions(e, 0.25) }},
	{"NoisyActions", false, func(e env.Env) (env.Env, error) { return env.NoisyActions(e, 0.4) }},
	{"ActionRepeat", false, func(e env.Env) (env.Env, error) { return env.ActionRepeat(e, 3) }},
	{"TimeLimit", false, func(e env.Env) (env.Env, error) { return env.TimeLimit(e, 7) }},
	{"Stack", false, func(e env.Env) (env.Env, error) {
		e = must(env.NoisyActions(e, 0.2))
		e = must(env.StickyActions(e, 0.1))
		e = must(env.ObservationNoise(e, 0.1))
		e = must(env.ObservationNoise(e, 0.1))
		e = must(env.Flicker(e, 0.1))
		return env.TimeLimit(e, 9)
	}},
}

// build wraps a stochastic walk (so that its own stream matters too) as
// wrappers[i] says.
func build(t testing.TB, i int) env.Env {
	t.Helper()
	w := wrappers[i]
	e, err := w.wrap(newWalk(w.discrete, 0.3, 1, 4))
	if err != nil {
		t.Fatalf("%s: %v", w.name, err)
	}
	return e
}

// action returns a deterministic action of e's space for step s.
func action(e env.Env, s int) []float64 {
	if e.ActionSpace().IsDiscrete() {
		return []float64{float64(s * 7 % 3)}
	}
	return []float64{math.Sin(float64(s))}
}

// transition is one recorded step.
type transition struct {
	obs         []float64
	reward      float64
	term, trunc bool
	perf        float64
}

// rollout resets e with seed (unless seed is nil) and records steps steps
// of the deterministic actions from step offset, resetting with seed+s when
// an episode ends.
func rollout(e env.Env, seed *uint64, offset, steps int) (first []float64, out []transition) {
	if seed != nil {
		first = slices.Clone(e.Reset(*seed))
	}
	for s := offset; s < offset+steps; s++ {
		obs, r, term, trunc := e.Step(action(e, s))
		out = append(out, transition{slices.Clone(obs), r, term, trunc, e.Performance()})
		if term || trunc {
			e.Reset(uint64(1000 + s))
		}
	}
	return first, out
}

func TestConstructorErrors(t *testing.T) {
	box := exact(3)
	nan := math.NaN()
	tests := []struct {
		name string
		make func() (env.Env, error)
		want string
	}{
		{"noise nil", func() (env.Env, error) { return env.ObservationNoise(nil, 1) }, "ObservationNoise: the env is nil"},
		{"noise std<0", func() (env.Env, error) { return env.ObservationNoise(box, -1) }, "ObservationNoise: std = -1"},
		{"noise std NaN", func() (env.Env, error) { return env.ObservationNoise(box, nan) }, "ObservationNoise: std = NaN"},
		{"noise std Inf", func() (env.Env, error) { return env.ObservationNoise(box, math.Inf(1)) }, "ObservationNoise: std = +Inf"},
		{"mask nil", func() (env.Env, error) { return env.Mask(nil, []int{0}) }, "Mask: the env is nil"},
		{"mask empty", func() (env.Env, error) { return env.Mask(box, nil) }, "Mask: keep is empty"},
		{"mask range", func() (env.Env, error) { return env.Mask(box, []int{0, 4}) }, "Mask: keep[1] = 4: want an observation dimension in 0..3"},
		{"mask negative", func() (env.Env, error) { return env.Mask(box, []int{-1}) }, "Mask: keep[0] = -1"},
		{"mask repeat", func() (env.Env, error) { return env.Mask(box, []int{1, 2, 1}) }, "Mask: keep[2] = 1 repeats keep[0]"},
		{"flicker p<0", func() (env.Env, error) { return env.Flicker(box, -0.1) }, "Flicker: p = -0.1: want a probability in [0, 1]"},
		{"flicker p>1", func() (env.Env, error) { return env.Flicker(box, 1.5) }, "Flicker: p = 1.5"},
		{"sticky p NaN", func() (env.Env, error) { return env.StickyActions(box, nan) }, "StickyActions: p = NaN"},
		{"sticky nil", func() (env.Env, error) { return env.StickyActions(nil, 0.5) }, "StickyActions: the env is nil"},
		{"noisy discrete", func() (env.Env, error) { return env.NoisyActions(newWalk(true, 0, 0, 3), 0.1) }, "NoisyActions: the action space is Discrete(3): want a box"},
		{"noisy std<0", func() (env.Env, error) { return env.NoisyActions(box, -2) }, "NoisyActions: std = -2"},
		{"repeat k=0", func() (env.Env, error) { return env.ActionRepeat(box, 0) }, "ActionRepeat: k = 0: want at least 1"},
		{"limit 0", func() (env.Env, error) { return env.TimeLimit(box, 0) }, "TimeLimit: steps = 0: want at least 1"},
		{"limit nil", func() (env.Env, error) { return env.TimeLimit(nil, 10) }, "TimeLimit: the env is nil"},
		{"vec nil", func() (env.Env, error) { _, err := env.NewVec(nil, 2, 1); return nil, err }, "NewVec: the env is nil"},
		{"vec n", func() (env.Env, error) { _, err := env.NewVec(box, 0, 1); return nil, err }, "NewVec: n = 0: want at least 1 env"},
		{"vec workers", func() (env.Env, error) { _, err := env.NewVec(box, 4, 0); return nil, err }, "NewVec: workers = 0: want at least 1 worker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.make()
			if err == nil {
				t.Fatalf("no error (got %v)", e)
			}
			if !strings.HasPrefix(err.Error(), "env: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// meanStd returns the sample mean and standard deviation of xs.
func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}

// obsNoise steps the wrapper w around inner and a clone of inner side by
// side, from seed, and returns the differences of their observations: the
// noise w added.
func obsNoise(t *testing.T, w env.Env, inner env.Env, seed uint64, steps int) []float64 {
	t.Helper()
	ref := inner.Clone()
	var noise []float64
	add := func(got, want []float64) {
		for i := range want {
			noise = append(noise, got[i]-want[i])
		}
	}
	add(w.Reset(seed), ref.Reset(seed))
	for s := range steps {
		a := action(ref, s)
		got, r1, te1, tr1 := w.Step(a)
		want, r2, te2, tr2 := ref.Step(a)
		if r1 != r2 || te1 != te2 || tr1 != tr2 {
			t.Fatalf("step %d: reward and flags %v %v %v, want the wrapped env's %v %v %v", s, r1, te1, tr1, r2, te2, tr2)
		}
		add(got, want)
		if te1 || tr1 {
			seed++
			add(w.Reset(seed), ref.Reset(seed))
		}
	}
	return noise
}

func TestObservationNoise(t *testing.T) {
	const std, steps = 0.5, 5000
	inner := newWalk(false, 0.3, 1, 4)
	w := must(env.ObservationNoise(inner, std))
	if got := w.ObservationSpace(); got.Dim() != 4 || !math.IsInf(got.Low[3], -1) || !math.IsInf(got.High[3], 1) {
		t.Errorf("observation space %v, want the unbounded 4-d box", got)
	}
	noise := obsNoise(t, w, inner, 42, steps)
	mean, sd := meanStd(noise)
	se := std / math.Sqrt(float64(len(noise)))
	if math.Abs(mean) > 4*se {
		t.Errorf("noise mean %.4f over %d values, want 0 ± %.4f", mean, len(noise), 4*se)
	}
	if math.Abs(sd-std) > 4*std/math.Sqrt(2*float64(len(noise))) {
		t.Errorf("noise std %.4f, want %v", sd, std)
	}
	// Consecutive values are uncorrelated.
	var c float64
	for i := 1; i < len(noise); i++ {
		c += noise[i] * noise[i-1]
	}
	if c /= float64(len(noise)-1) * std * std; math.Abs(c) > 4/math.Sqrt(float64(len(noise))) {
		t.Errorf("lag-1 autocorrelation %.4f, want 0", c)
	}

	// The noise is the same whatever the wrapped env's own stream does.
	// (Both walks are unbounded, so that episodes end at the same steps.)
	other, random := exact(1e9), newWalk(false, 0.3, 1, 1e9)
	same := obsNoise(t, must(env.ObservationNoise(other, std)), other, 42, 200)
	// (Equal up to the rounding of adding the noise to other values.)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if !slices.EqualFunc(same, obsNoise(t, must(env.ObservationNoise(random, std)), random, 42, 200), near) {
		t.Error("noise depends on the wrapped env")
	}
	// A different seed gives different noise.
	if diff := obsNoise(t, must(env.ObservationNoise(other, std)), other, 43, 200); slices.Equal(diff, same) {
		t.Error("seeds 42 and 43 give the same noise")
	}

	// Two noises stacked are independent: their sum has variance 2 std²,
	// not the 4 std² of one noise twice.
	twice := must(env.ObservationNoise(must(env.ObservationNoise(inner, std)), std))
	_, sd2 := meanStd(obsNoise(t, twice, inner, 42, steps))
	if want := math.Sqrt2 * std; math.Abs(sd2-want) > 0.03*want {
		t.Errorf("std of two stacked noises %.4f, want %.4f", sd2, want)
	}

	// std 0 is the identity.
	if z := obsNoise(t, must(env.ObservationNoise(inner, 0)), inner, 1, 100); slices.ContainsFunc(z, func(x float64) bool { return x != 0 }) {
		t.Error("std 0 changes observations")
	}
}

func TestMask(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		keep      []int
		low, high []float64
	}{
		{[]int{0}, []float64{-inf}, []float64{inf}},
		{[]int{2, 0}, []float64{-1, -inf}, []float64{1, inf}},
		{[]int{3, 2, 1, 0}, []float64{1, -1, 0, -inf}, []float64{1, 1, inf, inf}},
	}
	for _, tt := range tests {
		inner := newWalk(false, 0.3, 1, 4)
		w := must(env.Mask(inner, tt.keep))
		s := w.ObservationSpace()
		if !slices.Equal(s.Low, tt.low) || !slices.Equal(s.High, tt.high) {
			t.Errorf("keep %v: space %v, want Box(%v, %v)", tt.keep, s, tt.low, tt.high)
		}
		ref := inner.Clone()
		check := func(got, full []float64) {
			t.Helper()
			if len(got) != len(tt.keep) {
				t.Fatalf("keep %v: %d values observed", tt.keep, len(got))
			}
			for i, k := range tt.keep {
				if got[i] != full[k] {
					t.Errorf("keep %v: observation %v of %v", tt.keep, got, full)
				}
			}
			if err := s.Check(got); err != nil {
				t.Errorf("keep %v: observation %v not in %v: %v", tt.keep, got, s, err)
			}
		}
		check(w.Reset(5), ref.Reset(5))
		for step := range 5 {
			got, _, _, _ := w.Step(action(w, step))
			full, _, _, _ := ref.Step(action(ref, step))
			check(got, full)
		}
	}
	// A discrete observation space masked to its one dimension is itself.
	d := must(env.Mask(discreteObs{exact(3)}, []int{0}))
	if s := d.ObservationSpace(); !s.IsDiscrete() || s.N != 5 {
		t.Errorf("masked discrete space %v, want Discrete(5)", s)
	}
}

// discreteObs is a walk whose observation space is declared Discrete(5),
// for the space arithmetic of the wrappers.
type discreteObs struct{ *walk }

func (discreteObs) ObservationSpace() env.Space { return env.Discrete(5) }

func TestFlicker(t *testing.T) {
	tests := []struct{ p, tol float64 }{{0, 0}, {0.3, 0.02}, {1, 0}}
	for _, tt := range tests {
		inner := newWalk(false, 0.3, 1, 4)
		w := must(env.Flicker(inner, tt.p))
		ref := inner.Clone()
		blank, n := 0, 0
		frame := func(got, full []float64) {
			n++
			if slices.Equal(got, []float64{0, 0, 0, 0}) {
				blank++
			} else if !slices.Equal(got, full) {
				t.Fatalf("p %v: observation %v, want %v or zero", tt.p, got, full)
			}
		}
		frame(w.Reset(3), ref.Reset(3))
		for s := range 4000 {
			got, _, term, _ := w.Step(action(w, s))
			full, _, _, _ := ref.Step(action(ref, s))
			frame(got, full)
			if term {
				frame(w.Reset(uint64(s)), ref.Reset(uint64(s)))
			}
		}
		if f := float64(blank) / float64(n); math.Abs(f-tt.p) > tt.tol {
			t.Errorf("p %v: %.4f of %d frames blank", tt.p, f, n)
		}
	}
	// The space widens to contain the zero frame: the bias's [1, 1] becomes [0, 1].
	s := must(env.Flicker(exact(3), 0.5)).ObservationSpace()
	if s.Low[3] != 0 || s.High[3] != 1 || s.Low[2] != -1 || s.High[2] != 1 {
		t.Errorf("flicker space %v, want the bias in [0, 1] and the action in [-1, 1]", s)
	}
}

func TestStickyActions(t *testing.T) {
	tests := []struct{ p, tol float64 }{{0, 0}, {0.25, 0.015}, {0.5, 0.015}, {1, 0}}
	for _, tt := range tests {
		w := must(env.StickyActions(newWalk(true, 0, 0, math.Inf(1)), tt.p))
		const steps = 10000
		w.Reset(9)
		// The first action of an episode is always the agent's.
		obs, _, _, _ := w.Step([]float64{2})
		if obs[2] != 1 {
			t.Fatalf("p %v: first action executed %v, want 1 (the agent's)", tt.p, obs[2])
		}
		// The agent always asks for another action than the last executed,
		// so an unchanged action is a sticky one.
		stuck := 0
		for range steps {
			last := obs[2]
			obs, _, _, _ = w.Step([]float64{float64((int(last) + 2) % 3)}) // the index after last's
			if obs[2] == last {
				stuck++
			}
		}
		if f := float64(stuck) / steps; math.Abs(f-tt.p) > tt.tol {
			t.Errorf("p %v: %.4f of steps sticky", tt.p, f)
		}
	}
	// Reset forgets the last action.
	w := must(env.StickyActions(newWalk(true, 0, 0, math.Inf(1)), 1))
	w.Reset(1)
	w.Step([]float64{0})
	w.Reset(2)
	if obs, _, _, _ := w.Step([]float64{2}); obs[2] != 1 {
		t.Errorf("after Reset executed %v, want the agent's 1", obs[2])
	}
}

func TestNoisyActions(t *testing.T) {
	tests := []struct {
		a, std       float64
		mean, sd     float64 // of the executed action
		clippedAtTop float64 // share executed at exactly 1
	}{
		{0, 0, 0, 0, 0},
		{0.5, 0, 0.5, 0, 0},
		{0, 0.2, 0, 0.2, 0.0000003},
		// Clipped at 1 when the noise exceeds 0.1 = 0.2σ: P = 1-Φ(0.2).
		{0.9, 0.5, math.NaN(), math.NaN(), 0.42074},
		{1, 10, math.NaN(), math.NaN(), 0.5},
	}
	for _, tt := range tests {
		w := must(env.NoisyActions(newWalk(false, 0, 0, math.Inf(1)), tt.std))
		w.Reset(11)
		const steps = 20000
		xs := make([]float64, steps)
		top := 0
		for i := range xs {
			obs, _, _, _ := w.Step([]float64{tt.a})
			xs[i] = obs[2]
			if xs[i] < -1 || xs[i] > 1 {
				t.Fatalf("a %v std %v: executed %v outside [-1, 1]", tt.a, tt.std, xs[i])
			}
			if xs[i] == 1 {
				top++
			}
		}
		mean, sd := meanStd(xs)
		if !math.IsNaN(tt.mean) && math.Abs(mean-tt.mean) > 4*tt.sd/math.Sqrt(steps) {
			t.Errorf("a %v std %v: mean %.4f, want %v", tt.a, tt.std, mean, tt.mean)
		}
		if !math.IsNaN(tt.sd) && math.Abs(sd-tt.sd) > 0.03*tt.sd {
			t.Errorf("a %v std %v: std %.4f, want %v", tt.a, tt.std, sd, tt.sd)
		}
		if f := float64(top) / steps; math.Abs(f-tt.clippedAtTop) > 0.015 {
			t.Errorf("a %v std %v: %.4f clipped at 1, want %.4f", tt.a, tt.std, f, tt.clippedAtTop)
		}
	}
}

func TestActionRepeat(t *testing.T) {
	type step struct {
		reward      float64
		term, trunc bool
		t           float64 // inner steps taken, observed
	}
	tests := []struct {
		name  string
		k     int
		inner env.Env
		a     float64
		want  []step
	}{
		{"k=1", 1, exact(3), 1, []step{{1, false, false, 1}, {2, false, false, 2}, {3, true, false, 3}}},
		// x goes 1, 2, 3 then 4, 5: the episode terminates at 5 after two repeats.
		{"k=3 stops at termination", 3, exact(5), 1, []step{{6, false, false, 3}, {9, true, false, 5}}},
		{"k=2 down", 2, exact(4), -1, []step{{-3, false, false, 2}, {-7, true, false, 4}}},
		// The inner TimeLimit truncates after 4 steps: the second repeat group stops at it.
		{"k=3 stops at truncation", 3, must(env.TimeLimit(exact(100), 4)), 1, []step{{6, false, false, 3}, {4, false, true, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := must(env.ActionRepeat(tt.inner, tt.k))
			w.Reset(0)
			for i, want := range tt.want {
				obs, r, term, trunc := w.Step([]float64{tt.a})
				if got := (step{r, term, trunc, obs[1]}); got != want {
					t.Errorf("step %d: got %+v, want %+v", i, got, want)
				}
			}
			if p := w.Performance(); tt.a > 0 && p != tt.want[len(tt.want)-1].t {
				t.Errorf("performance %v, want the inner env's %v", p, tt.want[len(tt.want)-1].t)
			}
		})
	}
}

func TestTimeLimit(t *testing.T) {
	type flags struct{ term, trunc bool }
	tests := []struct {
		name  string
		limit int
		bound float64
		want  []flags
	}{
		{"limit 1", 1, 100, []flags{{false, true}}},
		{"limit 3", 3, 100, []flags{{false, false}, {false, false}, {false, true}}},
		{"terminates first", 3, 2, []flags{{false, false}, {true, false}}},
		{"terminates at the limit", 3, 3, []flags{{false, false}, {false, false}, {true, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := must(env.TimeLimit(exact(tt.bound), tt.limit))
			for episode := range 2 { // Reset restarts the count.
				w.Reset(uint64(episode))
				for i, want := range tt.want {
					_, _, term, trunc := w.Step([]float64{1})
					if got := (flags{term, trunc}); got != want {
						t.Errorf("episode %d step %d: %+v, want %+v", episode, i, got, want)
					}
				}
			}
		})
	}
}

func TestPassThrough(t *testing.T) {
	for i, w := range wrappers {
		e := build(t, i)
		if e.Name() != "walk" {
			t.Errorf("%s: Name %q, want the wrapped env's", w.name, e.Name())
		}
		if _, ok := e.(env.Wrapper); !ok {
			t.Errorf("%s: not a Wrapper", w.name)
		}
		if s, ok := e.(interface{ String() string }); !ok || !strings.Contains(s.String(), "walk") {
			t.Errorf("%s: no String describing the stack", w.name)
		}
		// Performance is the innermost env's.
		rollout(e, new(uint64(4)), 0, 5)
		inner := e
		for u, ok := inner.(env.Wrapper); ok; u, ok = inner.(env.Wrapper) {
			inner = u.Unwrap()
		}
		if e.Performance() != inner.Performance() {
			t.Errorf("%s: Performance %v, the walk's %v", w.name, e.Performance(), inner.Performance())
		}
	}
	stack := build(t, len(wrappers)-1).(interface{ String() string }).String()
	want := "TimeLimit(Flicker(ObservationNoise(ObservationNoise(StickyActions(NoisyActions(walk, std=0.2), p=0.1), std=0.1), std=0.1), p=0.1), 9)"
	if stack != want {
		t.Errorf("String %q, want %q", stack, want)
	}
}

func TestCloneIndependent(t *testing.T) {
	for i, w := range wrappers {
		t.Run(w.name, func(t *testing.T) {
			e := build(t, i)
			rollout(e, new(uint64(17)), 0, 6)
			c := e.Clone()
			// The clone first: stepping it must not move the original.
			_, fromClone := rollout(c, nil, 6, 40)
			_, fromOrig := rollout(e, nil, 6, 40)
			if !slices.EqualFunc(fromClone, fromOrig, equal) {
				t.Error("the clone and the original diverge")
			}
			// Further steps of the clone leave the original's next steps alone.
			d := e.Clone()
			rollout(c, nil, 0, 25)
			_, a := rollout(e, nil, 50, 10)
			_, b := rollout(d, nil, 50, 10)
			if !slices.EqualFunc(a, b, equal) {
				t.Error("stepping a clone changed the original")
			}
		})
	}
}

func equal(a, b transition) bool {
	return slices.Equal(a.obs, b.obs) && a.reward == b.reward && a.term == b.term &&
		a.trunc == b.trunc && a.perf == b.perf
}

func TestReproducible(t *testing.T) {
	for i, w := range wrappers {
		t.Run(w.name, func(t *testing.T) {
			first1, a := rollout(build(t, i), new(uint64(7)), 0, 30)
			e := build(t, i)
			rollout(e, new(uint64(99)), 0, 13) // history does not matter: the seed does
			first2, b := rollout(e, new(uint64(7)), 0, 30)
			if !slices.Equal(first1, first2) || !slices.EqualFunc(a, b, equal) {
				t.Error("seed 7 gives two different episodes")
			}
			_, c := rollout(build(t, i), new(uint64(8)), 0, 30)
			if slices.EqualFunc(a, c, equal) {
				t.Error("seeds 7 and 8 give the same episode")
			}
		})
	}
}

func TestWrapperAllocs(t *testing.T) {
	for i, w := range wrappers {
		e := build(t, i)
		e.Reset(1)
		a := action(e, 1)
		allocs := testing.AllocsPerRun(200, func() {
			if _, _, term, trunc := e.Step(a); term || trunc {
				e.Reset(2)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Step", w.name, allocs)
		}
	}
}

func BenchmarkWrapperStep(b *testing.B) {
	for i, w := range wrappers {
		b.Run(w.name, func(b *testing.B) {
			e := build(b, i)
			e.Reset(1)
			a := action(e, 1)
			for b.Loop() {
				if _, _, term, trunc := e.Step(a); term || trunc {
					e.Reset(2)
				}
			}
		})
	}
}

// Find reaches through the wrappers to the env, or to the first layer of
// the type asked for.
func TestFind(t *testing.T) {
	inner := newWalk(false, 0.3, 1, 4)
	w := must(env.TimeLimit(must(env.ObservationNoise(inner, 0.1)), 10))
	if got, ok := env.Find[*walk](w); !ok || got != inner {
		t.Errorf("Find the walk under two wrappers: %v, %v", got, ok)
	}
	if got, ok := env.Find[env.Wrapper](w); !ok || got != w {
		t.Errorf("Find the first wrapper: %v, %v", got, ok)
	}
	if _, ok := env.Find[env.Renderer](w); ok {
		t.Error("Find a renderer where none is")
	}
	if _, ok := env.Find[*walk](nil); ok {
		t.Error("Find in a nil env")
	}
}
