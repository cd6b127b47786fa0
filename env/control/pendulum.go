package control

import (
	"math"

	"argmax/env"
)

// Gymnasium's Pendulum-v1 constants.
const (
	pendulumMaxSpeed  = 8.0
	pendulumMaxTorque = 2.0
	pendulumDt        = 0.05
	pendulumG         = 10.0
	pendulumMass      = 1.0
	pendulumLength    = 1.0
	// PendulumMaxSteps is Pendulum-v1's time limit.
	PendulumMaxSteps = 200
	// pendulumMaxActuators bounds PendulumConfig.Actuators.
	pendulumMaxActuators = 64
)

// PendulumConfig configures a Pendulum. The zero value is Gymnasium's
// Pendulum-v1 exactly.
type PendulumConfig struct {
	// Actions discretizes the torque box [−2, 2] into this many evenly
	// spaced torques (0: the box itself).
	Actions int
	// MaxSteps is the time limit; 0 means PendulumMaxSteps.
	MaxSteps int
	// G is the acceleration of gravity (Gymnasium's g argument); 0 means
	// 10.0.
	G float64
	// TorqueNoise is the standard deviation of Gaussian noise added to the
	// applied torque (after clipping; the reward's torque cost is on the
	// commanded torque).
	TorqueNoise float64
	// StateNoise is the standard deviation of Gaussian noise added to the
	// new angular velocity (before its clip to ±8) and the new angle.
	StateNoise float64
	// Mass and Length are drawn per episode from these ranges; zero
	// ranges keep 1.0 and 1.0.
	Mass, Length Range
	// Actuators splits the torque among this many actuators (argmax's
	// knob, not Gymnasium's): the action is a box [−2, 2]^Actuators, each
	// value clipped, the applied torque is their mean and the torque cost
	// 0.001 times the mean of their squares. The task is the same at any
	// count; only the action space grows. 0 or 1 is Pendulum-v1's single
	// torque; more cannot be combined with Actions.
	Actuators int
}

func (c PendulumConfig) check() (PendulumConfig, int, error) {
	e := &errs{name: "pendulum"}
	e.actions(c.Actions)
	steps := e.maxSteps(c.MaxSteps, PendulumMaxSteps)
	e.nonNegative("G", c.G)
	if c.G == 0 {
		c.G = pendulumG
	}
	e.std("TorqueNoise", c.TorqueNoise)
	e.std("StateNoise", c.StateNoise)
	e.positiveRange("Mass", c.Mass)
	e.positiveRange("Length", c.Length)
	switch {
	case c.Actuators < 0 || c.Actuators > pendulumMaxActuators:
		e.add("Actuators=%d: want 0 to %d", c.Actuators, pendulumMaxActuators)
	case c.Actuators > 1 && c.Actions > 0:
		e.add("Actuators=%d with Actions=%d: discretize a single actuator only", c.Actuators, c.Actions)
	}
	c.Actuators = max(c.Actuators, 1)
	return c, steps, e.err()
}

// PendulumParams are a pendulum's physical parameters: Mass and Length
// are hidden and drawn per episode, G is the configured gravity.
type PendulumParams struct {
	Mass, Length, G float64
}

// Pendulum is Gymnasium's Pendulum-v1: swing a pendulum up and hold it
// upright with a torque in [−2, 2]. The state is (θ, θ̇) with θ = 0
// upright; the observation is (cos θ, sin θ, θ̇); the reward is
// −(θ² + 0.1 θ̇² + 0.001 u²) with θ normalized to [−π, π); it never
// terminates and is truncated at 200 steps.
//
// Source: Gymnasium, gymnasium/envs/classic_control/pendulum.py
// (PendulumEnv), with the time limit from its registration.
type Pendulum struct {
	cfg      PendulumConfig
	maxSteps int
	params   PendulumParams
	th, thd  float64
	obs      [3]float64
	rng      *stream
	steps    int
	ret      float64
}

var _ env.Env = (*Pendulum)(nil)

// NewPendulum returns a pendulum reset with seed 0, or an error naming
// the first wrong field of cfg.
func NewPendulum(cfg PendulumConfig) (*Pendulum, error) {
	cfg, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	e := &Pendulum{cfg: cfg, maxSteps: steps, rng: newStream()}
	e.Reset(0)
	return e, nil
}

// Name returns "pendulum".
func (e *Pendulum) Name() string { return "pendulum" }

// ObservationSpace is Box([−1, −1, −8], [1, 1, 8]).
func (e *Pendulum) ObservationSpace() env.Space {
	return env.Box([]float64{-1, -1, -pendulumMaxSpeed}, []float64{1, 1, pendulumMaxSpeed})
}

// ActionSpace is Box([−2], [2]) (one bound per actuator), or
// Discrete(Actions) when discretized.
func (e *Pendulum) ActionSpace() env.Space {
	low, high := make([]float64, e.cfg.Actuators), make([]float64, e.cfg.Actuators)
	for i := range low {
		low[i], high[i] = -pendulumMaxTorque, pendulumMaxTorque
	}
	return actionSpace(e.cfg.Actions, low, high)
}

// Reset draws the episode's hidden parameters, then θ uniform in [−π, π)
// and θ̇ uniform in [−1, 1), from seed.
func (e *Pendulum) Reset(seed uint64) []float64 {
	p := paramSource(seed)
	e.params = PendulumParams{
		Mass:   e.cfg.Mass.draw(pendulumMass, unit(&p)),
		Length: e.cfg.Length.draw(pendulumLength, unit(&p)),
		G:      e.cfg.G,
	}
	e.rng.seed(seed)
	e.th = e.rng.uniform(-math.Pi, math.Pi)
	e.thd = e.rng.uniform(-1, 1)
	e.begin()
	return e.obs[:]
}

func (e *Pendulum) begin() {
	e.steps, e.ret = 0, 0
	e.observe()
}

func (e *Pendulum) observe() {
	sin, cos := math.Sincos(e.th)
	e.obs = [3]float64{cos, sin, e.thd}
}

// SetState starts an episode from the state (θ, θ̇), keeping the hidden
// parameters and the random stream.
func (e *Pendulum) SetState(state []float64) error {
	if err := checkState("pendulum", state, 2); err != nil {
		return err
	}
	e.th, e.thd = state[0], state[1]
	e.begin()
	return nil
}

// State appends the state (θ, θ̇) to dst.
func (e *Pendulum) State(dst []float64) []float64 { return append(dst, e.th, e.thd) }

// Obs returns the observation of the current state (the env's buffer).
func (e *Pendulum) Obs() []float64 { return e.obs[:] }

// Params returns the episode's physical parameters.
func (e *Pendulum) Params() PendulumParams { return e.params }

// Step applies the torque (clipped to [−2, 2]; with several actuators,
// the mean of theirs) for 0.05 s.
func (e *Pendulum) Step(action []float64) ([]float64, float64, bool, bool) {
	var u, u2 float64
	if n := e.cfg.Actions; n > 0 {
		u = level(discreteAction("pendulum", action, n), n, -pendulumMaxTorque, pendulumMaxTorque)
		u2 = u * u
	} else {
		boxAction("pendulum", action, e.cfg.Actuators)
		u, u2 = actuatorTorque(action)
	}
	g, m, l := e.params.G, e.params.Mass, e.params.Length
	th, thd := e.th, e.thd
	an := angleNormalize(th)
	costs := an*an + 0.1*(thd*thd) + 0.001*u2
	torque := u + e.rng.normal(e.cfg.TorqueNoise)

	newthd := thd + (3*g/(2*l)*math.Sin(th)+3.0/(m*(l*l))*torque)*pendulumDt
	newthd += e.rng.normal(e.cfg.StateNoise)
	newthd = clip(newthd, -pendulumMaxSpeed, pendulumMaxSpeed)
	newth := th + newthd*pendulumDt + e.rng.normal(e.cfg.StateNoise)

	e.th, e.thd = newth, newthd
	e.observe()
	e.steps++
	e.ret -= costs
	return e.obs[:], -costs, false, e.steps >= e.maxSteps
}

// actuatorTorque returns the applied torque of the actuators' commands —
// their mean, each clipped to [−2, 2] — and the mean of their squares (the
// torque cost's term); for one actuator, u and u².
func actuatorTorque(action []float64) (u, u2 float64) {
	if len(action) == 1 {
		u = clip(action[0], -pendulumMaxTorque, pendulumMaxTorque)
		return u, u * u
	}
	for _, a := range action {
		a = clip(a, -pendulumMaxTorque, pendulumMaxTorque)
		u += a
		u2 += a * a
	}
	n := float64(len(action))
	return u / n, u2 / n
}

// Clone returns an independent copy at the same state and stream position.
func (e *Pendulum) Clone() env.Env {
	c := *e
	c.rng = e.rng.clone()
	return &c
}

// Performance is the episode's return so far.
func (e *Pendulum) Performance() float64 { return e.ret }
