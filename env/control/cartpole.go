package control

import (
	"math"

	"argmax/env"
)

// Gymnasium's CartPole-v1 constants.
const (
	cartPoleGravity    = 9.8
	cartPoleMassCart   = 1.0
	cartPoleMassPole   = 0.1
	cartPoleLength     = 0.5 // half the pole's length
	cartPoleForceMag   = 10.0
	cartPoleTau        = 0.02
	cartPoleXThreshold = 2.4
	cartPoleInit       = 0.05 // the initial state is uniform in ±cartPoleInit
	// CartPoleMaxSteps is CartPole-v1's time limit.
	CartPoleMaxSteps = 500
)

// cartPoleThetaThreshold is 12° as Gymnasium computes it, 12 * 2 * π / 360
// rounded operation by operation.
var cartPoleThetaThreshold = func() float64 { pi := math.Pi; return 12 * 2 * pi / 360 }()

// CartPoleConfig configures a CartPole. The zero value is Gymnasium's
// CartPole-v1 exactly.
type CartPoleConfig struct {
	// Continuous replaces the two pushes by a Box([-1], [1]) action and
	// the force force_mag·clip(a, −1, 1). Gymnasium has no continuous
	// cart-pole; this is the common variant.
	Continuous bool
	// Actions, with Continuous, discretizes the box into this many evenly
	// spaced actions from −1 to 1 (0: the box itself).
	Actions int
	// MaxSteps is the time limit (Gymnasium's TimeLimit wrapper); 0 means
	// CartPoleMaxSteps.
	MaxSteps int
	// SemiImplicit integrates with semi-implicit Euler (Gymnasium's
	// kinematics_integrator other than "euler") instead of Euler.
	SemiImplicit bool
	// ForceNoise is the standard deviation of Gaussian noise (newtons)
	// added to the force at every step.
	ForceNoise float64
	// StateNoise is the standard deviation of Gaussian noise added to each
	// of the four state variables after every integration step.
	StateNoise float64
	// MassCart, MassPole and Length (half the pole's length) are drawn per
	// episode from these ranges; zero ranges keep 1.0, 0.1 and 0.5.
	MassCart, MassPole, Length Range
}

func (c CartPoleConfig) check() (CartPoleConfig, int, error) {
	e := &errs{name: "cartpole"}
	if c.Actions != 0 && !c.Continuous {
		e.add("Actions=%d: discretization needs Continuous (the discrete cart-pole has its 2 pushes)", c.Actions)
	}
	e.actions(c.Actions)
	steps := e.maxSteps(c.MaxSteps, CartPoleMaxSteps)
	e.std("ForceNoise", c.ForceNoise)
	e.std("StateNoise", c.StateNoise)
	e.positiveRange("MassCart", c.MassCart)
	e.positiveRange("MassPole", c.MassPole)
	e.positiveRange("Length", c.Length)
	return c, steps, e.err()
}

// CartPoleParams are a cart-pole's hidden physical parameters.
type CartPoleParams struct {
	MassCart, MassPole float64
	// Length is half the pole's length, as in Gymnasium.
	Length float64
}

// draw returns the parameters of a seed's episode.
func (c *CartPoleConfig) draw(seed uint64) CartPoleParams {
	p := paramSource(seed)
	return CartPoleParams{
		MassCart: c.MassCart.draw(cartPoleMassCart, unit(&p)),
		MassPole: c.MassPole.draw(cartPoleMassPole, unit(&p)),
		Length:   c.Length.draw(cartPoleLength, unit(&p)),
	}
}

// cartPoleModel holds the derived constants of the equations of motion.
type cartPoleModel struct {
	massPole, totalMass, length, poleMassLength float64
}

func newCartPoleModel(p CartPoleParams) cartPoleModel {
	return cartPoleModel{
		massPole:       p.MassPole,
		totalMass:      p.MassPole + p.MassCart,
		length:         p.Length,
		poleMassLength: p.MassPole * p.Length,
	}
}

// accel returns the cart's and the pole's accelerations, operation by
// operation as Gymnasium's step computes them.
func (m *cartPoleModel) accel(force, thetaDot, sin, cos float64) (xAcc, thetaAcc float64) {
	temp := (force + m.poleMassLength*(thetaDot*thetaDot)*sin) / m.totalMass
	thetaAcc = (cartPoleGravity*sin - cos*temp) / (m.length * (4.0/3.0 - m.massPole*(cos*cos)/m.totalMass))
	xAcc = temp - m.poleMassLength*thetaAcc*cos/m.totalMass
	return xAcc, thetaAcc
}

// step advances the state (x, ẋ, θ, θ̇) by one tick under force: Euler
// or semi-implicit Euler as cfg says, then cfg's state noise from r.
func (m *cartPoleModel) step(cfg *CartPoleConfig, r *stream, force, x, xDot, theta, thetaDot float64) (float64, float64, float64, float64) {
	sin, cos := sincos(theta)
	xAcc, thetaAcc := m.accel(force, thetaDot, sin, cos)
	if !cfg.SemiImplicit {
		x = x + cartPoleTau*xDot
		xDot = xDot + cartPoleTau*xAcc
		theta = theta + cartPoleTau*thetaDot
		thetaDot = thetaDot + cartPoleTau*thetaAcc
	} else {
		xDot = xDot + cartPoleTau*xAcc
		x = x + cartPoleTau*xDot
		thetaDot = thetaDot + cartPoleTau*thetaAcc
		theta = theta + cartPoleTau*thetaDot
	}
	if sd := cfg.StateNoise; sd > 0 {
		x += r.normal(sd)
		xDot += r.normal(sd)
		theta += r.normal(sd)
		thetaDot += r.normal(sd)
	}
	return x, xDot, theta, thetaDot
}

// cartPoleDone reports whether the cart left the track or the pole fell.
func cartPoleDone(x, theta float64) bool {
	return x < -cartPoleXThreshold || x > cartPoleXThreshold ||
		theta < -cartPoleThetaThreshold || theta > cartPoleThetaThreshold
}

// CartPole is Gymnasium's CartPole-v1: a pole hinged on a cart that is
// pushed left or right on a frictionless track; reward 1 per step
// (including the step that ends the episode) while the pole stays within
// 12° of upright and the cart within 2.4 of the centre, truncation at 500
// steps. The state is (x, ẋ, θ, θ̇), the observation the same four values.
//
// Source: Gymnasium, gymnasium/envs/classic_control/cartpole.py
// (CartPoleEnv), with the v1 time limit from its registration.
type CartPole struct {
	cfg      CartPoleConfig
	maxSteps int
	params   CartPoleParams
	model    cartPoleModel
	s        [4]float64
	obs      [4]float64
	rng      *stream
	steps    int
	ret      float64
	ended    bool // terminated once: later steps reward 0, as Gymnasium's do
}

var _ env.Env = (*CartPole)(nil)

// NewCartPole returns a cart-pole reset with seed 0, or an error naming
// the first wrong field of cfg.
func NewCartPole(cfg CartPoleConfig) (*CartPole, error) {
	cfg, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	e := &CartPole{cfg: cfg, maxSteps: steps, rng: newStream()}
	e.Reset(0)
	return e, nil
}

// Name returns "cartpole", or "cartpole-continuous" for the continuous
// variant.
func (e *CartPole) Name() string {
	if e.cfg.Continuous {
		return "cartpole-continuous"
	}
	return "cartpole"
}

// ObservationSpace is Gymnasium's: x in ±4.8, θ in ±24°, velocities
// unbounded.
func (e *CartPole) ObservationSpace() env.Space {
	h := []float64{2 * cartPoleXThreshold, math.Inf(1), 2 * cartPoleThetaThreshold, math.Inf(1)}
	return env.Box([]float64{-h[0], -h[1], -h[2], -h[3]}, h)
}

// ActionSpace is Discrete(2) (0 pushes left, 1 right), Box([-1], [1])
// for the continuous variant, or Discrete(Actions) when discretized.
func (e *CartPole) ActionSpace() env.Space {
	if !e.cfg.Continuous {
		return env.Discrete(2)
	}
	return actionSpace(e.cfg.Actions, []float64{-1}, []float64{1})
}

// Reset draws the episode's hidden parameters and its initial state,
// uniform in [−0.05, 0.05)⁴, from seed.
func (e *CartPole) Reset(seed uint64) []float64 {
	e.params = e.cfg.draw(seed)
	e.model = newCartPoleModel(e.params)
	e.rng.seed(seed)
	for i := range e.s {
		e.s[i] = e.rng.uniform(-cartPoleInit, cartPoleInit)
	}
	e.begin()
	return e.obs[:]
}

func (e *CartPole) begin() {
	e.steps, e.ret, e.ended = 0, 0, false
	e.obs = e.s
}

// SetState starts an episode from the state (x, ẋ, θ, θ̇), keeping the
// hidden parameters and the random stream.
func (e *CartPole) SetState(state []float64) error {
	if err := checkState(e.Name(), state, 4); err != nil {
		return err
	}
	copy(e.s[:], state)
	e.begin()
	return nil
}

// State appends the state (x, ẋ, θ, θ̇) to dst.
func (e *CartPole) State(dst []float64) []float64 { return append(dst, e.s[:]...) }

// Obs returns the observation of the current state (the env's buffer).
func (e *CartPole) Obs() []float64 { return e.obs[:] }

// Params returns the episode's hidden parameters.
func (e *CartPole) Params() CartPoleParams { return e.params }

// force returns the force of an action, before noise.
func (e *CartPole) force(action []float64) float64 {
	if !e.cfg.Continuous {
		if discreteAction("cartpole", action, 2) == 1 {
			return cartPoleForceMag
		}
		return -cartPoleForceMag
	}
	if e.cfg.Actions > 0 {
		return cartPoleForceMag * level(discreteAction("cartpole-continuous", action, e.cfg.Actions), e.cfg.Actions, -1, 1)
	}
	boxAction("cartpole-continuous", action, 1)
	return cartPoleForceMag * clip(action[0], -1, 1)
}

// Step pushes the cart, integrates one step of 0.02 s and reports
// termination (|x| > 2.4 or |θ| > 12°) and truncation (MaxSteps).
func (e *CartPole) Step(action []float64) ([]float64, float64, bool, bool) {
	force := e.force(action) + e.rng.normal(e.cfg.ForceNoise)
	x, xDot, theta, thetaDot := e.model.step(&e.cfg, e.rng, force, e.s[0], e.s[1], e.s[2], e.s[3])
	e.s = [4]float64{x, xDot, theta, thetaDot}
	e.obs = e.s
	terminated := cartPoleDone(x, theta)
	reward := 1.0
	if e.ended {
		reward = 0
	}
	e.ended = e.ended || terminated
	e.steps++
	e.ret += reward
	return e.obs[:], reward, terminated, e.steps >= e.maxSteps
}

// Clone returns an independent copy at the same state and stream position.
func (e *CartPole) Clone() env.Env {
	c := *e
	c.rng = e.rng.clone()
	return &c
}

// Performance is the episode's return so far.
func (e *CartPole) Performance() float64 { return e.ret }
