package env

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Wrapper is an Env built on another one, which Unwrap returns. Every
// wrapper of this package implements it.
//
// The wrappers change what the agent observes or how its actions act; none
// changes the goal, so Performance always passes through to the wrapped env.
// Name passes through too; String describes the whole stack
// ("TimeLimit(ObservationNoise(cartpole, std=0.1), 500)").
//
// A stochastic wrapper draws from its own random stream, reseeded at every
// Reset from the Reset seed mixed with a constant of its kind and its depth
// in the stack: the same seed gives the same episode, the stream is
// independent of the wrapped env's, and two wrappers of one kind stacked on
// each other draw independently. Clone copies the stream, so a clone draws
// what the original would.
type Wrapper interface {
	Env
	// Unwrap returns the wrapped env.
	Unwrap() Env
}

// Find returns the first env of e's wrapper stack — e itself, or an env it
// wraps — that is a T (a concrete env type, or an interface such as
// Renderer), and whether there is one.
func Find[T any](e Env) (T, bool) {
	for e != nil {
		if t, ok := e.(T); ok {
			return t, true
		}
		w, ok := e.(Wrapper)
		if !ok {
			break
		}
		e = w.Unwrap()
	}
	var zero T
	return zero, false
}

// base holds the wrapped env and passes through what a wrapper leaves alone.
type base struct{ inner Env }

func (b *base) Name() string            { return b.inner.Name() }
func (b *base) ObservationSpace() Space { return b.inner.ObservationSpace() }
func (b *base) ActionSpace() Space      { return b.inner.ActionSpace() }
func (b *base) Performance() float64    { return b.inner.Performance() }
func (b *base) Unwrap() Env             { return b.inner }

// describe names an env for a wrapper's String: its own String if it has
// one, its Name otherwise.
func describe(e Env) string {
	if s, ok := e.(fmt.Stringer); ok {
		return s.String()
	}
	return e.Name()
}

// Stream kinds: one constant per stochastic wrapper, mixed into its seed.
const (
	kindObservationNoise uint64 = 0x6f62736e6f697365 // "obsnoise"
	kindFlicker          uint64 = 0x666c69636b657221 // "flicker!"
	kindStickyActions    uint64 = 0x737469636b792121 // "sticky!!"
	kindNoisyActions     uint64 = 0x6e6f697379616374 // "noisyact"
	kindReseed           uint64 = 0x7265736565646564 // "reseeded"
)

// mix64 is the splitmix64 finalizer, a bijective 64-bit mixer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// golden is 2^64 divided by the golden ratio, splitmix64's increment.
const golden = 0x9e3779b97f4a7c15

// stream is a wrapper's own random stream.
type stream struct {
	pcg  rand.PCG
	rng  *rand.Rand // draws from pcg
	salt uint64     // mixes the wrapper's kind and depth into Reset seeds
}

// init binds the stream for a wrapper of the given kind around inner.
func (s *stream) init(kind uint64, inner Env) {
	depth := uint64(0)
	for w, ok := inner.(Wrapper); ok; w, ok = w.Unwrap().(Wrapper) {
		depth++
	}
	s.salt = mix64(kind ^ mix64(depth*golden+golden))
	s.rebind()
	s.reseed(0)
}

// reseed starts the stream of the episode that Reset(seed) starts.
func (s *stream) reseed(seed uint64) {
	s.pcg.Seed(mix64(seed^s.salt), mix64(seed+s.salt+golden))
}

// Reseed restarts the stream from seed, leaving the wrapper's state alone
// (see Reseeder). The salt keeps it apart from the streams Reset starts.
func (s *stream) Reseed(seed uint64) {
	s.pcg.Seed(mix64(seed^s.salt^kindReseed), mix64(seed+s.salt))
}

// rebind points rng at this stream's own pcg (after the stream was copied).
func (s *stream) rebind() { s.rng = rand.New(&s.pcg) }

func errNil(ctor string) error { return fmt.Errorf("env: %s: the env is nil", ctor) }

// checkProb returns an error unless p is a probability.
func checkProb(ctor string, p float64) error {
	if !(p >= 0 && p <= 1) {
		return fmt.Errorf("env: %s: p = %v: want a probability in [0, 1]", ctor, p)
	}
	return nil
}

// checkStd returns an error unless std is a finite standard deviation.
func checkStd(ctor string, std float64) error {
	if !(std >= 0) || math.IsInf(std, 1) {
		return fmt.Errorf("env: %s: std = %v: want a finite standard deviation >= 0", ctor, std)
	}
	return nil
}

// ObservationNoise returns e with independent Gaussian noise of standard
// deviation std added to every value of every observation, the first one
// included. Since noise is unbounded, the observation space becomes the
// unbounded box of the same dimension (a discrete observation becomes a
// one-dimensional box).
func ObservationNoise(e Env, std float64) (Env, error) {
	const ctor = "ObservationNoise"
	if e == nil {
		return nil, errNil(ctor)
	}
	if err := checkStd(ctor, std); err != nil {
		return nil, err
	}
	d := e.ObservationSpace().Dim()
	low, high := make([]float64, d), make([]float64, d)
	for i := range d {
		low[i], high[i] = math.Inf(-1), math.Inf(1)
	}
	w := &obsNoise{base: base{e}, std: std, space: Box(low, high), obs: make([]float64, d)}
	w.stream.init(kindObservationNoise, e)
	return w, nil
}

type obsNoise struct {
	base
	stream
	std   float64
	space Space
	obs   []float64
}

func (w *obsNoise) String() string {
	return fmt.Sprintf("ObservationNoise(%s, std=%g)", describe(w.inner), w.std)
}

func (w *obsNoise) ObservationSpace() Space { return w.space }

func (w *obsNoise) Reset(seed uint64) []float64 {
	w.reseed(seed)
	return w.noisy(w.inner.Reset(seed))
}

func (w *obsNoise) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, r, term, trunc := w.inner.Step(action)
	return w.noisy(obs), r, term, trunc
}

func (w *obsNoise) noisy(obs []float64) []float64 {
	for i, v := range obs {
		w.obs[i] = v + w.std*w.rng.NormFloat64()
	}
	return w.obs
}

func (w *obsNoise) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	c.obs = slices.Clone(w.obs)
	c.rebind()
	return &c
}

// Mask returns e observed only through the dimensions keep lists, in that
// order: observation i of the wrapper is observation keep[i] of e, and the
// observation space is e's box restricted to those dimensions. keep must be
// non-empty, without repeats, and within e's observation dimensions.
func Mask(e Env, keep []int) (Env, error) {
	const ctor = "Mask"
	if e == nil {
		return nil, errNil(ctor)
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("env: %s: keep is empty: want at least one observation dimension", ctor)
	}
	s := e.ObservationSpace()
	d := s.Dim()
	for i, k := range keep {
		if k < 0 || k >= d {
			return nil, fmt.Errorf("env: %s: keep[%d] = %d: want an observation dimension in 0..%d", ctor, i, k, d-1)
		}
		if j := slices.Index(keep[:i], k); j >= 0 {
			return nil, fmt.Errorf("env: %s: keep[%d] = %d repeats keep[%d]", ctor, i, k, j)
		}
	}
	w := &mask{base: base{e}, keep: slices.Clone(keep), space: s, obs: make([]float64, len(keep))}
	if !s.IsDiscrete() {
		low, high := make([]float64, len(keep)), make([]float64, len(keep))
		for i, k := range keep {
			low[i], high[i] = s.Low[k], s.High[k]
		}
		w.space = Box(low, high)
	}
	return w, nil
}

type mask struct {
	base
	keep  []int
	space Space
	obs   []float64
}

func (w *mask) String() string { return fmt.Sprintf("Mask(%s, %v)", describe(w.inner), w.keep) }

func (w *mask) ObservationSpace() Space { return w.space }

func (w *mask) Reset(seed uint64) []float64 { return w.masked(w.inner.Reset(seed)) }

func (w *mask) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, r, term, trunc := w.inner.Step(action)
	return w.masked(obs), r, term, trunc
}

func (w *mask) masked(obs []float64) []float64 {
	for i, k := range w.keep {
		w.obs[i] = obs[k]
	}
	return w.obs
}

func (w *mask) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	c.obs = slices.Clone(w.obs)
	return &c // keep is never written: shared
}

// Flicker returns e whose every observation, the first one included, is
// zeroed whole with probability p (the flickering frames of Hausknecht and
// Stone's partially observable Atari): a memoryless agent then cannot tell
// a blank frame from a state. The observation space is e's, widened where
// needed so that it contains the zero vector.
func Flicker(e Env, p float64) (Env, error) {
	const ctor = "Flicker"
	if e == nil {
		return nil, errNil(ctor)
	}
	if err := checkProb(ctor, p); err != nil {
		return nil, err
	}
	s := e.ObservationSpace()
	w := &flicker{base: base{e}, p: p, space: s, obs: make([]float64, s.Dim())}
	if !s.IsDiscrete() {
		low, high := slices.Clone(s.Low), slices.Clone(s.High)
		for i := range low {
			low[i], high[i] = min(low[i], 0), max(high[i], 0)
		}
		w.space = Box(low, high)
	}
	w.stream.init(kindFlicker, e)
	return w, nil
}

type flicker struct {
	base
	stream
	p     float64
	space Space
	obs   []float64 // stays zero: returned for a blank frame
}

func (w *flicker) String() string { return fmt.Sprintf("Flicker(%s, p=%g)", describe(w.inner), w.p) }

func (w *flicker) ObservationSpace() Space { return w.space }

func (w *flicker) Reset(seed uint64) []float64 {
	w.reseed(seed)
	return w.frame(w.inner.Reset(seed))
}

func (w *flicker) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, r, term, trunc := w.inner.Step(action)
	return w.frame(obs), r, term, trunc
}

func (w *flicker) frame(obs []float64) []float64 {
	if w.rng.Float64() < w.p {
		clear(w.obs) // in case a caller wrote into the blank frame
		return w.obs
	}
	return obs
}

func (w *flicker) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	c.obs = make([]float64, len(w.obs))
	c.rebind()
	return &c
}

// StickyActions returns e where, at every step but the first of an
// episode, the previously executed action is executed again with
// probability p instead of the agent's (ALE's sticky actions, Machado et
// al. 2018, as Gymnasium's StickyAction wrapper). Any action space works.
func StickyActions(e Env, p float64) (Env, error) {
	const ctor = "StickyActions"
	if e == nil {
		return nil, errNil(ctor)
	}
	if err := checkProb(ctor, p); err != nil {
		return nil, err
	}
	w := &sticky{base: base{e}, p: p, last: make([]float64, e.ActionSpace().Dim())}
	w.stream.init(kindStickyActions, e)
	return w, nil
}

type sticky struct {
	base
	stream
	p    float64
	last []float64 // the action executed last
	has  bool      // whether last holds an action of this episode
}

func (w *sticky) String() string {
	return fmt.Sprintf("StickyActions(%s, p=%g)", describe(w.inner), w.p)
}

func (w *sticky) Reset(seed uint64) []float64 {
	w.reseed(seed)
	w.has = false
	return w.inner.Reset(seed)
}

func (w *sticky) Step(action []float64) ([]float64, float64, bool, bool) {
	if len(action) != len(w.last) {
		panic(fmt.Sprintf("env: StickyActions: action of %d values, want %d", len(action), len(w.last)))
	}
	if !w.has || w.rng.Float64() >= w.p {
		copy(w.last, action)
	}
	w.has = true
	return w.inner.Step(w.last)
}

func (w *sticky) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	c.last = slices.Clone(w.last)
	c.rebind()
	return &c
}

// NoisyActions returns e, whose action space must be a box, where
// independent Gaussian noise of standard deviation std is added to every
// value of every action, and the result clipped to the box, before e
// executes it. std is in the action's own units, the same for every
// dimension.
func NoisyActions(e Env, std float64) (Env, error) {
	const ctor = "NoisyActions"
	if e == nil {
		return nil, errNil(ctor)
	}
	if err := checkStd(ctor, std); err != nil {
		return nil, err
	}
	s := e.ActionSpace()
	if s.IsDiscrete() {
		return nil, fmt.Errorf("env: %s: the action space is %v: want a box", ctor, s)
	}
	w := &noisyActions{base: base{e}, std: std, low: s.Low, high: s.High, act: make([]float64, s.Dim())}
	w.stream.init(kindNoisyActions, e)
	return w, nil
}

type noisyActions struct {
	base
	stream
	std       float64
	low, high []float64
	act       []float64
}

func (w *noisyActions) String() string {
	return fmt.Sprintf("NoisyActions(%s, std=%g)", describe(w.inner), w.std)
}

func (w *noisyActions) Reset(seed uint64) []float64 {
	w.reseed(seed)
	return w.inner.Reset(seed)
}

func (w *noisyActions) Step(action []float64) ([]float64, float64, bool, bool) {
	if len(action) != len(w.act) {
		panic(fmt.Sprintf("env: NoisyActions: action of %d values, want %d", len(action), len(w.act)))
	}
	for i, v := range action {
		w.act[i] = max(w.low[i], min(w.high[i], v+w.std*w.rng.NormFloat64()))
	}
	return w.inner.Step(w.act)
}

func (w *noisyActions) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	c.act = slices.Clone(w.act)
	c.rebind()
	return &c // low and high are never written: shared
}

// ActionRepeat returns e where each action is applied k times in a row
// (frame skipping): Step returns the last observation, the sum of the
// rewards, and stops early, with fewer repeats, when the episode
// terminates or is truncated.
func ActionRepeat(e Env, k int) (Env, error) {
	if e == nil {
		return nil, errNil("ActionRepeat")
	}
	if k < 1 {
		return nil, fmt.Errorf("env: ActionRepeat: k = %d: want at least 1 repeat", k)
	}
	return &actionRepeat{base: base{e}, k: k}, nil
}

type actionRepeat struct {
	base
	k int
}

func (w *actionRepeat) String() string {
	return fmt.Sprintf("ActionRepeat(%s, %d)", describe(w.inner), w.k)
}

func (w *actionRepeat) Reset(seed uint64) []float64 { return w.inner.Reset(seed) }

func (w *actionRepeat) Step(action []float64) (obs []float64, reward float64, term, trunc bool) {
	for range w.k {
		var r float64
		obs, r, term, trunc = w.inner.Step(action)
		reward += r
		if term || trunc {
			break
		}
	}
	return obs, reward, term, trunc
}

func (w *actionRepeat) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	return &c
}

// TimeLimit returns e whose episodes are truncated after steps steps: the
// Step that completes them reports truncated (as well as terminated, if e
// also terminated then, as Gymnasium's TimeLimit).
func TimeLimit(e Env, steps int) (Env, error) {
	if e == nil {
		return nil, errNil("TimeLimit")
	}
	if steps < 1 {
		return nil, fmt.Errorf("env: TimeLimit: steps = %d: want at least 1 step", steps)
	}
	return &timeLimit{base: base{e}, limit: steps}, nil
}

type timeLimit struct {
	base
	limit, elapsed int
}

func (w *timeLimit) String() string {
	return fmt.Sprintf("TimeLimit(%s, %d)", describe(w.inner), w.limit)
}

func (w *timeLimit) Reset(seed uint64) []float64 {
	w.elapsed = 0
	return w.inner.Reset(seed)
}

func (w *timeLimit) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, r, term, trunc := w.inner.Step(action)
	w.elapsed++
	return obs, r, term, trunc || w.elapsed >= w.limit
}

func (w *timeLimit) Clone() Env {
	c := *w
	c.inner = w.inner.Clone()
	return &c
}
