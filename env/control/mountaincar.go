package control

import (
	"math"

	"argmax/env"
)

// Gymnasium's MountainCarContinuous-v0 constants.
const (
	mountainCarMinPosition  = -1.2
	mountainCarMaxPosition  = 0.6
	mountainCarMaxSpeed     = 0.07
	mountainCarGoalPosition = 0.45
	mountainCarPower        = 0.0015
	// MountainCarMaxSteps is MountainCarContinuous-v0's time limit.
	MountainCarMaxSteps = 999
)

// MountainCarConfig configures a MountainCar. The zero value is
// Gymnasium's MountainCarContinuous-v0 exactly.
type MountainCarConfig struct {
	// Actions discretizes the force box [−1, 1] into this many evenly
	// spaced forces (0: the box itself).
	Actions int
	// MaxSteps is the time limit; 0 means MountainCarMaxSteps.
	MaxSteps int
	// GoalVelocity is the velocity the car must have at the goal
	// (Gymnasium's goal_velocity argument, 0 by default).
	GoalVelocity float64
	// ForceNoise is the standard deviation of Gaussian noise added to the
	// clipped force (the reward's cost is on the commanded action).
	ForceNoise float64
	// StateNoise is the standard deviation of Gaussian noise added to the
	// new velocity and the new position, each before its clip.
	StateNoise float64
	// Power is drawn per episode from this range; the zero range keeps
	// 0.0015.
	Power Range
}

func (c MountainCarConfig) check() (MountainCarConfig, int, error) {
	e := &errs{name: "mountaincar-continuous"}
	e.actions(c.Actions)
	steps := e.maxSteps(c.MaxSteps, MountainCarMaxSteps)
	if !finite(c.GoalVelocity) {
		e.add("GoalVelocity=%v: want a finite velocity", c.GoalVelocity)
	}
	e.std("ForceNoise", c.ForceNoise)
	e.std("StateNoise", c.StateNoise)
	e.positiveRange("Power", c.Power)
	return c, steps, e.err()
}

// MountainCarParams are a mountain car's hidden parameters.
type MountainCarParams struct {
	// Power scales the force into an acceleration.
	Power float64
}

// MountainCar is Gymnasium's MountainCarContinuous-v0: an underpowered car
// in a valley must rock back and forth to reach the flag at position 0.45
// on the right hill. The state and observation are (position, velocity);
// the action is a force in [−1, 1]; the reward is −0.1 a² per step plus 100
// on reaching the goal, which terminates the episode; truncation at 999
// steps. As in Gymnasium the state is stored in float32 after every step.
//
// Source: Gymnasium,
// gymnasium/envs/classic_control/continuous_mountain_car.py
// (Continuous_MountainCarEnv), with the time limit from its registration.
type MountainCar struct {
	cfg      MountainCarConfig
	maxSteps int
	params   MountainCarParams
	pos, vel float64
	obs      [2]float64
	rng      *stream
	steps    int
	ret      float64
}

var _ env.Env = (*MountainCar)(nil)

// NewMountainCar returns a continuous mountain car reset with seed 0, or
// an error naming the first wrong field of cfg.
func NewMountainCar(cfg MountainCarConfig) (*MountainCar, error) {
	cfg, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	e := &MountainCar{cfg: cfg, maxSteps: steps, rng: newStream()}
	e.Reset(0)
	return e, nil
}

// Name returns "mountaincar-continuous".
func (e *MountainCar) Name() string { return "mountaincar-continuous" }

// ObservationSpace is Box([−1.2, −0.07], [0.6, 0.07]).
func (e *MountainCar) ObservationSpace() env.Space {
	return env.Box([]float64{mountainCarMinPosition, -mountainCarMaxSpeed}, []float64{mountainCarMaxPosition, mountainCarMaxSpeed})
}

// ActionSpace is Box([−1], [1]), or Discrete(Actions) when discretized.
func (e *MountainCar) ActionSpace() env.Space {
	return actionSpace(e.cfg.Actions, []float64{-1}, []float64{1})
}

// Reset draws the episode's hidden power, then the position uniform in
// [−0.6, −0.4) at velocity 0, from seed.
func (e *MountainCar) Reset(seed uint64) []float64 {
	p := paramSource(seed)
	e.params = MountainCarParams{Power: e.cfg.Power.draw(mountainCarPower, unit(&p))}
	e.rng.seed(seed)
	e.pos, e.vel = e.rng.uniform(-0.6, -0.4), 0
	e.begin()
	return e.obs[:]
}

func (e *MountainCar) begin() {
	e.steps, e.ret = 0, 0
	e.obs = [2]float64{e.pos, e.vel}
}

// SetState starts an episode from the state (position, velocity), keeping
// the hidden parameters and the random stream.
func (e *MountainCar) SetState(state []float64) error {
	if err := checkState("mountaincar-continuous", state, 2); err != nil {
		return err
	}
	e.pos, e.vel = state[0], state[1]
	e.begin()
	return nil
}

// State appends the state (position, velocity) to dst.
func (e *MountainCar) State(dst []float64) []float64 { return append(dst, e.pos, e.vel) }

// Obs returns the observation of the current state (the env's buffer).
func (e *MountainCar) Obs() []float64 { return e.obs[:] }

// Params returns the episode's hidden parameters.
func (e *MountainCar) Params() MountainCarParams { return e.params }

// Step applies the force (clipped to [−1, 1]) for one step.
func (e *MountainCar) Step(action []float64) ([]float64, float64, bool, bool) {
	var a float64
	if n := e.cfg.Actions; n > 0 {
		a = level(discreteAction("mountaincar-continuous", action, n), n, -1, 1)
	} else {
		boxAction("mountaincar-continuous", action, 1)
		a = action[0]
	}
	position, velocity := e.pos, e.vel
	force := math.Min(math.Max(a, -1), 1) + e.rng.normal(e.cfg.ForceNoise)

	velocity += force*e.params.Power - 0.0025*math.Cos(3*position)
	velocity += e.rng.normal(e.cfg.StateNoise)
	if velocity > mountainCarMaxSpeed {
		velocity = mountainCarMaxSpeed
	}
	if velocity < -mountainCarMaxSpeed {
		velocity = -mountainCarMaxSpeed
	}
	position += velocity
	position += e.rng.normal(e.cfg.StateNoise)
	if position > mountainCarMaxPosition {
		position = mountainCarMaxPosition
	}
	if position < mountainCarMinPosition {
		position = mountainCarMinPosition
	}
	if position == mountainCarMinPosition && velocity < 0 {
		velocity = 0
	}
	terminated := position >= mountainCarGoalPosition && velocity >= e.cfg.GoalVelocity
	reward := 0.0
	if terminated {
		reward = 100.0
	}
	reward -= a * a * 0.1

	e.pos, e.vel = f32(position), f32(velocity)
	e.obs = [2]float64{e.pos, e.vel}
	e.steps++
	e.ret += reward
	return e.obs[:], reward, terminated, e.steps >= e.maxSteps
}

// Clone returns an independent copy at the same state and stream position.
func (e *MountainCar) Clone() env.Env {
	c := *e
	c.rng = e.rng.clone()
	return &c
}

// Performance is the episode's return so far.
func (e *MountainCar) Performance() float64 { return e.ret }
