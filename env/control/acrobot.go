package control

import (
	"math"

	"argmax/env"
)

// Gymnasium's Acrobot-v1 constants.
const (
	acrobotDt         = 0.2
	acrobotLength1    = 1.0 // link 1's length [m]; link 2's only matters for rendering
	acrobotMass1      = 1.0 // [kg]
	acrobotMass2      = 1.0
	acrobotCOM1       = 0.5 // position of each link's centre of mass [m]
	acrobotCOM2       = 0.5
	acrobotMOI        = 1.0 // both links' moment of inertia
	acrobotG          = 9.8
	acrobotInit       = 0.1 // the initial state is uniform in ±acrobotInit
	acrobotNumActions = 3
	// AcrobotMaxSteps is Acrobot-v1's time limit.
	AcrobotMaxSteps = 500
)

// Acrobot-v1's velocity bounds, 4·π and 9·π computed in float64 as Python
// does (not as exact constants, which would round 9π differently).
var (
	acrobotMaxVel1 = func() float64 { pi := math.Pi; return 4 * pi }()
	acrobotMaxVel2 = func() float64 { pi := math.Pi; return 9 * pi }()
)

// acrobotTorque is Gymnasium's AVAIL_TORQUE.
var acrobotTorque = [acrobotNumActions]float64{-1, 0, 1}

// AcrobotConfig configures an Acrobot. The zero value is Gymnasium's
// Acrobot-v1 exactly.
type AcrobotConfig struct {
	// MaxSteps is the time limit; 0 means AcrobotMaxSteps.
	MaxSteps int
	// NIPS uses the equations of Sutton's NeurIPS 1995 paper (Gymnasium's
	// book_or_nips = "nips") instead of the book's.
	NIPS bool
	// TorqueNoiseMax adds noise uniform in ±TorqueNoiseMax to the torque,
	// as Gymnasium's torque_noise_max does (0 there).
	TorqueNoiseMax float64
	// TorqueNoise is the standard deviation of Gaussian noise added to the
	// torque.
	TorqueNoise float64
	// StateNoise is the standard deviation of Gaussian noise added to each
	// state variable after integration, before the angles are wrapped and
	// the velocities bounded.
	StateNoise float64
	// LinkMass1 and LinkMass2 are drawn per episode from these ranges;
	// zero ranges keep 1.0.
	LinkMass1, LinkMass2 Range
}

func (c AcrobotConfig) check() (AcrobotConfig, int, error) {
	e := &errs{name: "acrobot"}
	steps := e.maxSteps(c.MaxSteps, AcrobotMaxSteps)
	if !(c.TorqueNoiseMax >= 0) || math.IsInf(c.TorqueNoiseMax, 0) {
		e.add("TorqueNoiseMax=%v: want a finite bound ≥ 0", c.TorqueNoiseMax)
	}
	e.std("TorqueNoise", c.TorqueNoise)
	e.std("StateNoise", c.StateNoise)
	e.positiveRange("LinkMass1", c.LinkMass1)
	e.positiveRange("LinkMass2", c.LinkMass2)
	return c, steps, e.err()
}

// AcrobotParams are an acrobot's hidden parameters.
type AcrobotParams struct {
	LinkMass1, LinkMass2 float64
}

// Acrobot is Gymnasium's Acrobot-v1: two links hanging from a fixed
// joint, with a torque of −1, 0 or 1 on the joint between them; swing the
// free end above the height of one link over the pivot
// (−cos θ1 − cos(θ1 + θ2) > 1), which terminates the episode. The reward is
// −1 per step and 0 on the terminating step; truncation at 500 steps. The
// state is (θ1, θ2, θ̇1, θ̇2) and the observation (cos θ1, sin θ1, cos θ2,
// sin θ2, θ̇1, θ̇2). The book's dynamics are integrated by one fourth-order
// Runge-Kutta step of 0.2 s with the torque appended to the state, as
// Gymnasium's rk4 does; angles are wrapped to [−π, π] and velocities
// bounded to ±4π and ±9π.
//
// Source: Gymnasium, gymnasium/envs/classic_control/acrobot.py
// (AcrobotEnv, rk4, wrap, bound), with the time limit from its
// registration.
type Acrobot struct {
	cfg      AcrobotConfig
	maxSteps int
	params   AcrobotParams
	s        [4]float64
	obs      [6]float64
	rng      *stream
	steps    int
	ret      float64
}

var _ env.Env = (*Acrobot)(nil)

// NewAcrobot returns an acrobot reset with seed 0, or an error naming the
// first wrong field of cfg.
func NewAcrobot(cfg AcrobotConfig) (*Acrobot, error) {
	cfg, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	e := &Acrobot{cfg: cfg, maxSteps: steps, rng: newStream()}
	e.Reset(0)
	return e, nil
}

// Name returns "acrobot".
func (e *Acrobot) Name() string { return "acrobot" }

// ObservationSpace is Box([−1, −1, −1, −1, −4π, −9π], [1, 1, 1, 1, 4π, 9π]).
func (e *Acrobot) ObservationSpace() env.Space {
	return env.Box([]float64{-1, -1, -1, -1, -acrobotMaxVel1, -acrobotMaxVel2},
		[]float64{1, 1, 1, 1, acrobotMaxVel1, acrobotMaxVel2})
}

// ActionSpace is Discrete(3): torque −1, 0, 1.
func (e *Acrobot) ActionSpace() env.Space { return env.Discrete(acrobotNumActions) }

// Reset draws the episode's hidden link masses, then the state uniform in
// [−0.1, 0.1)⁴ rounded to float32 (as Gymnasium's reset does), from seed.
func (e *Acrobot) Reset(seed uint64) []float64 {
	p := paramSource(seed)
	e.params = AcrobotParams{
		LinkMass1: e.cfg.LinkMass1.draw(acrobotMass1, unit(&p)),
		LinkMass2: e.cfg.LinkMass2.draw(acrobotMass2, unit(&p)),
	}
	e.rng.seed(seed)
	for i := range e.s {
		e.s[i] = f32(e.rng.uniform(-acrobotInit, acrobotInit))
	}
	e.begin()
	return e.obs[:]
}

func (e *Acrobot) begin() {
	e.steps, e.ret = 0, 0
	e.observe()
}

func (e *Acrobot) observe() {
	s1, c1 := math.Sincos(e.s[0])
	s2, c2 := math.Sincos(e.s[1])
	e.obs = [6]float64{c1, s1, c2, s2, e.s[2], e.s[3]}
}

// SetState starts an episode from the state (θ1, θ2, θ̇1, θ̇2), keeping
// the hidden parameters and the random stream.
func (e *Acrobot) SetState(state []float64) error {
	if err := checkState("acrobot", state, 4); err != nil {
		return err
	}
	copy(e.s[:], state)
	e.begin()
	return nil
}

// State appends the state (θ1, θ2, θ̇1, θ̇2) to dst.
func (e *Acrobot) State(dst []float64) []float64 { return append(dst, e.s[:]...) }

// Obs returns the observation of the current state (the env's buffer).
func (e *Acrobot) Obs() []float64 { return e.obs[:] }

// Params returns the episode's hidden parameters.
func (e *Acrobot) Params() AcrobotParams { return e.params }

// dsdt is the book's (or the paper's) equations of motion over the state
// augmented with the torque, operation by operation as Gymnasium's _dsdt.
func (e *Acrobot) dsdt(s *[5]float64) [5]float64 {
	m1, m2 := e.params.LinkMass1, e.params.LinkMass2
	const (
		l1  = acrobotLength1
		lc1 = acrobotCOM1
		lc2 = acrobotCOM2
		I1  = acrobotMOI
		I2  = acrobotMOI
		g   = acrobotG
	)
	a := s[4]
	theta1, theta2, dtheta1, dtheta2 := s[0], s[1], s[2], s[3]
	sin2, cos2 := math.Sincos(theta2)
	d1 := m1*(lc1*lc1) + m2*(l1*l1+lc2*lc2+2*l1*lc2*cos2) + I1 + I2
	d2 := m2*(lc2*lc2+l1*lc2*cos2) + I2
	phi2 := m2 * lc2 * g * math.Cos(theta1+theta2-math.Pi/2.0)
	phi1 := -m2*l1*lc2*(dtheta2*dtheta2)*sin2 -
		2*m2*l1*lc2*dtheta2*dtheta1*sin2 +
		(m1*lc1+m2*l1)*g*math.Cos(theta1-math.Pi/2) +
		phi2
	var ddtheta2 float64
	if e.cfg.NIPS {
		ddtheta2 = (a + d2/d1*phi1 - phi2) / (m2*(lc2*lc2) + I2 - (d2*d2)/d1)
	} else {
		ddtheta2 = (a + d2/d1*phi1 - m2*l1*lc2*(dtheta1*dtheta1)*sin2 - phi2) / (m2*(lc2*lc2) + I2 - (d2*d2)/d1)
	}
	ddtheta1 := -(d2*ddtheta2 + phi1) / d1
	return [5]float64{dtheta1, dtheta2, ddtheta1, ddtheta2, 0}
}

// rk4 integrates one Runge-Kutta step of dt from y0, as Gymnasium's rk4
// over the times [0, dt].
func (e *Acrobot) rk4(y0 [5]float64, dt float64) [5]float64 {
	dt2 := dt / 2.0
	var y [5]float64
	k1 := e.dsdt(&y0)
	for i := range y {
		y[i] = y0[i] + dt2*k1[i]
	}
	k2 := e.dsdt(&y)
	for i := range y {
		y[i] = y0[i] + dt2*k2[i]
	}
	k3 := e.dsdt(&y)
	for i := range y {
		y[i] = y0[i] + dt*k3[i]
	}
	k4 := e.dsdt(&y)
	h := dt / 6.0
	for i := range y {
		y[i] = y0[i] + h*(k1[i]+2*k2[i]+2*k3[i]+k4[i])
	}
	return y
}

// wrap maps x into [m, M] by whole turns, as Gymnasium's wrap.
func wrap(x, m, M float64) float64 {
	if math.IsInf(x, 0) {
		return x
	}
	diff := M - m
	for x > M {
		x = x - diff
	}
	for x < m {
		x = x + diff
	}
	return x
}

// Step applies torque −1, 0 or 1 (actions 0, 1, 2) for 0.2 s.
func (e *Acrobot) Step(action []float64) ([]float64, float64, bool, bool) {
	torque := acrobotTorque[discreteAction("acrobot", action, acrobotNumActions)]
	if m := e.cfg.TorqueNoiseMax; m > 0 {
		torque += e.rng.uniform(-m, m)
	}
	torque += e.rng.normal(e.cfg.TorqueNoise)
	ns := e.rk4([5]float64{e.s[0], e.s[1], e.s[2], e.s[3], torque}, acrobotDt)
	if sd := e.cfg.StateNoise; sd > 0 {
		for i := range 4 {
			ns[i] += e.rng.normal(sd)
		}
	}
	e.s[0] = wrap(ns[0], -math.Pi, math.Pi)
	e.s[1] = wrap(ns[1], -math.Pi, math.Pi)
	e.s[2] = clip(ns[2], -acrobotMaxVel1, acrobotMaxVel1)
	e.s[3] = clip(ns[3], -acrobotMaxVel2, acrobotMaxVel2)
	e.observe()
	terminated := -math.Cos(e.s[0])-math.Cos(e.s[1]+e.s[0]) > 1.0
	reward := -1.0
	if terminated {
		reward = 0
	}
	e.steps++
	e.ret += reward
	return e.obs[:], reward, terminated, e.steps >= e.maxSteps
}

// Clone returns an independent copy at the same state and stream position.
func (e *Acrobot) Clone() env.Env {
	c := *e
	c.rng = e.rng.clone()
	return &c
}

// Performance is the episode's return so far.
func (e *Acrobot) Performance() float64 { return e.ret }
