package control

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/env"
)

// Range is an interval [Min, Max] from which a hidden parameter is drawn
// uniformly at every Reset. The zero Range keeps the parameter at
// Gymnasium's value; Min = Max fixes it at another value.
type Range struct {
	Min, Max float64
}

// IsZero reports whether r is the zero Range (the parameter keeps its
// default).
func (r Range) IsZero() bool { return r.Min == 0 && r.Max == 0 }

// String renders r as "[Min, Max]".
func (r Range) String() string { return fmt.Sprintf("[%v, %v]", r.Min, r.Max) }

// draw returns a value of r (def for the zero Range) from u in [0, 1).
func (r Range) draw(def, u float64) float64 {
	if r.IsZero() {
		return def
	}
	return r.Min + (r.Max-r.Min)*u
}

// Salts of the two streams seeded from Reset's seed: the state stream
// (initial state, then the noise of every step) and the parameter stream
// (hidden parameters only).
const (
	stateSalt = 0x243f6a8885a308d3
	paramSalt = 0x13198a2e03707344
)

// stream is an env's random stream: a PCG and the Rand over it. Copy it
// with clone, never by value (the Rand points at the PCG).
type stream struct {
	src rand.PCG
	rng *rand.Rand
}

func newStream() *stream {
	s := &stream{}
	s.rng = rand.New(&s.src)
	return s
}

// clone returns an independent stream at the same position.
func (s *stream) clone() *stream {
	c := &stream{src: s.src}
	c.rng = rand.New(&c.src)
	return c
}

func (s *stream) seed(seed uint64) { s.src.Seed(seed, stateSalt) }

// uniform returns a value in [low, high) as NumPy's Generator.uniform
// computes it: low + (high-low)·u with u uniform in [0, 1).
func (s *stream) uniform(low, high float64) float64 { return low + (high-low)*unit(&s.src) }

// normal returns a Gaussian value of standard deviation std (0 draws
// nothing and returns 0).
func (s *stream) normal(std float64) float64 {
	if std == 0 {
		return 0
	}
	return std * s.rng.NormFloat64()
}

// unit returns a float64 uniform in [0, 1) with 53 random bits.
func unit(src *rand.PCG) float64 { return float64(src.Uint64()>>11) * 0x1p-53 }

// paramSource returns the parameter stream of a seed. Every hidden
// parameter of an env takes one draw in a fixed order, whether or not its
// Range is set, so that setting one Range leaves the others' values alone.
func paramSource(seed uint64) rand.PCG {
	var p rand.PCG
	p.Seed(seed, paramSalt)
	return p
}

// errs gathers the errors of a config check.
type errs struct {
	name string
	list []error
}

func (e *errs) add(format string, args ...any) { e.list = append(e.list, fmt.Errorf(format, args...)) }

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return fmt.Errorf("control: %s config: %w", e.name, errors.Join(e.list...))
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// std checks a noise standard deviation.
func (e *errs) std(field string, v float64) {
	if !(v >= 0) || math.IsInf(v, 0) {
		e.add("%s=%v: want a finite standard deviation ≥ 0", field, v)
	}
}

// nonNegative checks a physical constant that must be > 0, where 0 means
// the default: only negative or non-finite values are wrong.
func (e *errs) nonNegative(field string, v float64) {
	if !(v >= 0) || math.IsInf(v, 0) {
		e.add("%s=%v: want a finite value > 0 (0 for the default)", field, v)
	}
}

// positiveRange checks a Range of a parameter that must stay > 0.
func (e *errs) positiveRange(field string, r Range) {
	if r.IsZero() {
		return
	}
	switch {
	case !finite(r.Min) || !finite(r.Max):
		e.add("%s range %v: want finite bounds", field, r)
	case r.Min > r.Max:
		e.add("%s range %v: want Min ≤ Max", field, r)
	case r.Min <= 0:
		e.add("%s range %v: want Min > 0", field, r)
	}
}

// maxSteps checks a time limit and returns it with its default.
func (e *errs) maxSteps(v, def int) int {
	if v < 0 {
		e.add("MaxSteps=%d: want ≥ 1 (0 for the default %d)", v, def)
	}
	if v == 0 {
		return def
	}
	return v
}

// actions checks a discretization count (0: continuous; otherwise ≥ 2).
func (e *errs) actions(v int) {
	if v < 0 || v == 1 {
		e.add("Actions=%d: want 0 (continuous) or ≥ 2 evenly spaced actions", v)
	}
}

// level returns the i-th of n evenly spaced values over [low, high], the
// first low and the last high.
func level(i, n int, low, high float64) float64 {
	if i == n-1 {
		return high
	}
	return low + (high-low)*float64(i)/float64(n-1)
}

// discreteAction reads a discrete action of n values, panicking (as
// Gymnasium's envs assert) when it is not one of 0..n-1.
func discreteAction(name string, action []float64, n int) int {
	if len(action) != 1 {
		panic(fmt.Sprintf("control: %s: action has %d values, want 1", name, len(action)))
	}
	a := action[0]
	if !(a >= 0 && a < float64(n)) || a != math.Trunc(a) {
		panic(fmt.Sprintf("control: %s: action %v: want one of 0..%d", name, a, n-1))
	}
	return int(a)
}

// boxAction reads a one-dimensional box action, panicking on a wrong
// length or NaN. It does not clip: the envs clip as Gymnasium's do.
func boxAction(name string, action []float64, dim int) {
	if len(action) != dim {
		panic(fmt.Sprintf("control: %s: action has %d values, want %d", name, len(action), dim))
	}
	for _, a := range action {
		if math.IsNaN(a) {
			panic(fmt.Sprintf("control: %s: action %v is NaN", name, action))
		}
	}
}

// clip returns x bounded to [lo, hi], as np.clip and Python's
// min(max(x, lo), hi) do.
func clip(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// checkState checks a SetState vector's length and finiteness.
func checkState(name string, state []float64, n int) error {
	if len(state) != n {
		return fmt.Errorf("control: %s: state has %d values, want %d", name, len(state), n)
	}
	for i, v := range state {
		if !finite(v) {
			return fmt.Errorf("control: %s: state value %d is %v: want a finite number", name, i, v)
		}
	}
	return nil
}

// actionSpace returns Box(low, high), or Discrete(n) when n > 0.
func actionSpace(n int, low, high []float64) env.Space {
	if n > 0 {
		return env.Discrete(n)
	}
	return env.Box(low, high)
}

// Go's math.Sincos coefficients (Cephes), so that sincos below returns
// exactly what math.Sincos does.
var (
	sinC = [...]float64{
		1.58962301576546568060e-10,
		-2.50507477628578072866e-8,
		2.75573136213857245213e-6,
		-1.98412698295895385996e-4,
		8.33333333332211858878e-3,
		-1.66666666666666307295e-1,
	}
	cosC = [...]float64{
		-1.13585365213876817300e-11,
		2.08757008419747316778e-9,
		-2.75573141792967388112e-7,
		2.48015872888517045348e-5,
		-1.38888888888730564116e-3,
		4.16666666666665929218e-2,
	}
)

// sincos returns math.Sincos(x), bit for bit, computing the first octant
// (|x| < π/4, where cart-pole angles live) inline and leaving the rest to
// math.Sincos.
func sincos(x float64) (sin, cos float64) {
	if math.Abs(x)*(4/math.Pi) >= 1 || x == 0 {
		return math.Sincos(x)
	}
	zz := x * x
	cos = 1.0 - 0.5*zz + zz*zz*((((((cosC[0]*zz)+cosC[1])*zz+cosC[2])*zz+cosC[3])*zz+cosC[4])*zz+cosC[5])
	sin = x + x*zz*((((((sinC[0]*zz)+sinC[1])*zz+sinC[2])*zz+sinC[3])*zz+sinC[4])*zz+sinC[5])
	return sin, cos
}

// pyMod is Python's float modulo: the result has the sign of y.
func pyMod(x, y float64) float64 {
	m := math.Mod(x, y)
	if m != 0 && (m < 0) != (y < 0) {
		m += y
	}
	return m
}

// angleNormalize maps an angle to [-π, π) as Gymnasium's Pendulum does:
// ((x + π) mod 2π) − π.
func angleNormalize(x float64) float64 { return pyMod(x+math.Pi, 2*math.Pi) - math.Pi }

// f32 rounds x to float32 precision, as NumPy's astype(np.float32) does.
func f32(x float64) float64 { return float64(float32(x)) }
