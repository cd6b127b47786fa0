package control

import (
	"fmt"
	"math"

	"argmax/env"
)

// PointMass defaults.
const (
	pointMassSize     = 1.0
	pointMassDt       = 0.1
	pointMassDamping  = 1.0
	pointMassMaxForce = 1.0
	pointMassMass     = 1.0
	// PointMassMaxSteps is the point mass's default time limit.
	PointMassMaxSteps = 200
)

// Circle is a circular obstacle of centre (X, Y) and radius R.
type Circle struct {
	X, Y, R float64
}

// PointMassLayout is a point-mass task's geometry inside the arena.
type PointMassLayout struct {
	// Start is the centre of the initial positions: each coordinate is
	// drawn uniform in Start ± StartSpread, at rest.
	Start       [2]float64
	StartSpread float64
	// Goal is the centre of the goal disc of radius GoalRadius (> 0);
	// reaching it terminates the episode.
	Goal       [2]float64
	GoalRadius float64
	// Obstacles stop the mass: a step whose path would enter one leaves
	// the mass where it was, at rest.
	Obstacles []Circle
	// Sources are extra rewards: a step that ends inside one earns its
	// Reward on top of the task's. They are not part of the intended goal
	// (Performance leaves them out) nor of the observation — a reward
	// source the agent can only find by acting or by simulating the env.
	Sources []RewardSource
}

// RewardSource is a disc where every step earns Reward.
type RewardSource struct {
	Circle
	Reward float64
}

// DefaultPointMassLayout is the default task: start near (−0.7, −0.7),
// goal of radius 0.1 at (0.7, 0.7), and an obstacle of radius 0.35 at the
// centre, across the straight path.
func DefaultPointMassLayout() PointMassLayout {
	return PointMassLayout{
		Start:       [2]float64{-0.7, -0.7},
		StartSpread: 0.05,
		Goal:        [2]float64{0.7, 0.7},
		GoalRadius:  0.1,
		Obstacles:   []Circle{{0, 0, 0.35}},
	}
}

// PointMassConfig configures a PointMass. The zero value is the default
// task of DefaultPointMassLayout in an arena [−1, 1]², with the defaults
// documented on each field.
type PointMassConfig struct {
	// Layout is the start, goal and obstacles; nil means
	// DefaultPointMassLayout. Its Obstacles are copied.
	Layout *PointMassLayout
	// Actions discretizes each axis of the force box [−1, 1]² into this
	// many evenly spaced values, Actions² actions in all: action k pushes
	// with (level(k mod Actions), level(k div Actions)). 0: the box.
	Actions int
	// MaxSteps is the time limit; 0 means PointMassMaxSteps.
	MaxSteps int
	// Size is the half-width of the square arena [−Size, Size]²; 0 means
	// 1. Its walls stop the mass along the axis it hits.
	Size float64
	// Dt is the time step; 0 means 0.1.
	Dt float64
	// Damping is the linear drag coefficient (per second); 0 means 1.
	Damping float64
	// MaxForce scales the action into a force; 0 means 1.
	MaxForce float64
	// CollisionPenalty is subtracted from the reward of a step that hits
	// an obstacle (0: the stop is the only cost).
	CollisionPenalty float64
	// GoalBonus is added to the reward of the step that reaches the goal.
	GoalBonus float64
	// ForceNoise is the standard deviation of Gaussian noise added to
	// each axis of the force.
	ForceNoise float64
	// Mass is drawn per episode from this range; the zero range keeps 1.
	Mass Range
}

func (c PointMassConfig) check() (PointMassConfig, PointMassLayout, int, error) {
	e := &errs{name: "pointmass"}
	e.actions(c.Actions)
	steps := e.maxSteps(c.MaxSteps, PointMassMaxSteps)
	def := func(field string, v *float64, d float64) {
		e.nonNegative(field, *v)
		if *v == 0 {
			*v = d
		}
	}
	def("Size", &c.Size, pointMassSize)
	def("Dt", &c.Dt, pointMassDt)
	def("Damping", &c.Damping, pointMassDamping)
	def("MaxForce", &c.MaxForce, pointMassMaxForce)
	if !finite(c.CollisionPenalty) {
		e.add("CollisionPenalty=%v: want a finite number", c.CollisionPenalty)
	}
	if !finite(c.GoalBonus) {
		e.add("GoalBonus=%v: want a finite number", c.GoalBonus)
	}
	e.std("ForceNoise", c.ForceNoise)
	e.positiveRange("Mass", c.Mass)

	l := DefaultPointMassLayout()
	if c.Layout != nil {
		l = *c.Layout
		l.Obstacles = append([]Circle(nil), l.Obstacles...)
		l.Sources = append([]RewardSource(nil), l.Sources...)
	}
	inside := func(p [2]float64) bool {
		return finite(p[0]) && finite(p[1]) && math.Abs(p[0]) <= c.Size && math.Abs(p[1]) <= c.Size
	}
	if !inside(l.Start) {
		e.add("Layout.Start=%v: want a point of the arena [−%v, %v]²", l.Start, c.Size, c.Size)
	}
	if !(l.StartSpread >= 0) || math.IsInf(l.StartSpread, 0) {
		e.add("Layout.StartSpread=%v: want a finite value ≥ 0", l.StartSpread)
	}
	if !inside(l.Goal) {
		e.add("Layout.Goal=%v: want a point of the arena [−%v, %v]²", l.Goal, c.Size, c.Size)
	}
	if !(l.GoalRadius > 0) || math.IsInf(l.GoalRadius, 0) {
		e.add("Layout.GoalRadius=%v: want a finite radius > 0", l.GoalRadius)
	}
	for i, o := range l.Obstacles {
		if !finite(o.X) || !finite(o.Y) || !(o.R > 0) || math.IsInf(o.R, 0) {
			e.add("Layout.Obstacles[%d]=%+v: want a finite centre and a finite radius > 0", i, o)
			continue
		}
		// The start square must be clear of the obstacle (its corner
		// farthest from the start centre is within spread·√2).
		if math.Hypot(l.Start[0]-o.X, l.Start[1]-o.Y) <= o.R+l.StartSpread*math.Sqrt2 {
			e.add("Layout.Obstacles[%d]=%+v: overlaps the start region %v ± %v", i, o, l.Start, l.StartSpread)
		}
		if math.Hypot(l.Goal[0]-o.X, l.Goal[1]-o.Y) <= o.R {
			e.add("Layout.Obstacles[%d]=%+v: covers the goal centre %v", i, o, l.Goal)
		}
	}
	for i, r := range l.Sources {
		if !inside([2]float64{r.X, r.Y}) || !(r.R > 0) || math.IsInf(r.R, 0) || !finite(r.Reward) {
			e.add("Layout.Sources[%d]=%+v: want a centre in the arena, a finite radius > 0 and a finite reward", i, r)
		}
	}
	return c, l, steps, e.err()
}

// PointMassParams are a point mass's hidden parameters.
type PointMassParams struct {
	Mass float64
}

// PointMass is a 2-D navigation task: a point mass with damped
// double-integrator dynamics, pushed by a force in [−1, 1]², must reach a
// goal disc around circular obstacles in a walled square arena. Each step
// integrates semi-implicit Euler,
//
//	v ← v + Dt·(MaxForce·a/m − Damping·v),  p ← p + Dt·v,
//
// stops the mass along an axis at a wall, and, if the path from p to its
// new value enters an obstacle, leaves p unchanged and v zero. The reward
// is minus the distance to the goal centre after the step (less
// CollisionPenalty on a collision, plus GoalBonus on reaching the goal);
// reaching the goal terminates; a step that ends inside a reward source
// earns its reward too. The state is (x, y, vx, vy); the observation
// (x, y, vx, vy, goal x, goal y). Performance is the return without the
// sources' rewards: the intended goal.
//
// This task is argmax's own design, not a Gymnasium environment.
type PointMass struct {
	cfg      PointMassConfig
	layout   PointMassLayout
	maxSteps int
	params   PointMassParams
	s        [4]float64
	obs      [6]float64
	rng      *stream
	steps    int
	ret      float64
	hits     int
}

var _ env.Env = (*PointMass)(nil)

// NewPointMass returns a point mass reset with seed 0, or an error naming
// the first wrong field of cfg.
func NewPointMass(cfg PointMassConfig) (*PointMass, error) {
	cfg, layout, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	cfg.Layout = &layout
	e := &PointMass{cfg: cfg, layout: layout, maxSteps: steps, rng: newStream()}
	e.Reset(0)
	return e, nil
}

// Name returns "pointmass".
func (e *PointMass) Name() string { return "pointmass" }

// ObservationSpace bounds positions and the goal to the arena; velocities
// are unbounded.
func (e *PointMass) ObservationSpace() env.Space {
	s, inf := e.cfg.Size, math.Inf(1)
	return env.Box([]float64{-s, -s, -inf, -inf, -s, -s}, []float64{s, s, inf, inf, s, s})
}

// ActionSpace is Box([−1, −1], [1, 1]), or Discrete(Actions²) when
// discretized.
func (e *PointMass) ActionSpace() env.Space {
	n := e.cfg.Actions
	return actionSpace(n*n, []float64{-1, -1}, []float64{1, 1})
}

// Layout returns the task's geometry (a copy).
func (e *PointMass) Layout() PointMassLayout {
	l := e.layout
	l.Obstacles = append([]Circle(nil), l.Obstacles...)
	l.Sources = append([]RewardSource(nil), l.Sources...)
	return l
}

// Reset draws the episode's hidden mass, then the start position uniform
// in Start ± StartSpread at rest, from seed.
func (e *PointMass) Reset(seed uint64) []float64 {
	p := paramSource(seed)
	e.params = PointMassParams{Mass: e.cfg.Mass.draw(pointMassMass, unit(&p))}
	e.rng.seed(seed)
	l := &e.layout
	e.s[0] = e.rng.uniform(l.Start[0]-l.StartSpread, l.Start[0]+l.StartSpread)
	e.s[1] = e.rng.uniform(l.Start[1]-l.StartSpread, l.Start[1]+l.StartSpread)
	e.s[0] = clip(e.s[0], -e.cfg.Size, e.cfg.Size)
	e.s[1] = clip(e.s[1], -e.cfg.Size, e.cfg.Size)
	e.s[2], e.s[3] = 0, 0
	e.begin()
	return e.obs[:]
}

func (e *PointMass) begin() {
	e.steps, e.ret, e.hits = 0, 0, 0
	e.observe()
}

func (e *PointMass) observe() {
	e.obs = [6]float64{e.s[0], e.s[1], e.s[2], e.s[3], e.layout.Goal[0], e.layout.Goal[1]}
}

// SetState starts an episode from the state (x, y, vx, vy), keeping the
// hidden parameters and the random stream. The position must be in the
// arena and outside every obstacle.
func (e *PointMass) SetState(state []float64) error {
	if err := checkState("pointmass", state, 4); err != nil {
		return err
	}
	if s := e.cfg.Size; math.Abs(state[0]) > s || math.Abs(state[1]) > s {
		return fmt.Errorf("control: pointmass: position (%v, %v) is outside the arena [−%v, %v]²", state[0], state[1], s, s)
	}
	for i, o := range e.layout.Obstacles {
		if math.Hypot(state[0]-o.X, state[1]-o.Y) < o.R {
			return fmt.Errorf("control: pointmass: position (%v, %v) is inside obstacle %d %+v", state[0], state[1], i, o)
		}
	}
	copy(e.s[:], state)
	e.begin()
	return nil
}

// State appends the state (x, y, vx, vy) to dst.
func (e *PointMass) State(dst []float64) []float64 { return append(dst, e.s[:]...) }

// Obs returns the observation of the current state (the env's buffer).
func (e *PointMass) Obs() []float64 { return e.obs[:] }

// Params returns the episode's hidden parameters.
func (e *PointMass) Params() PointMassParams { return e.params }

// Collisions returns the number of steps of the episode that hit an
// obstacle.
func (e *PointMass) Collisions() int { return e.hits }

// hit reports whether the segment from p to q comes within an obstacle.
func (e *PointMass) hit(px, py, qx, qy float64) bool {
	dx, dy := qx-px, qy-py
	dd := dx*dx + dy*dy
	for _, o := range e.layout.Obstacles {
		t := 0.0
		if dd > 0 {
			t = clip(((o.X-px)*dx+(o.Y-py)*dy)/dd, 0, 1)
		}
		cx, cy := px+t*dx-o.X, py+t*dy-o.Y
		if cx*cx+cy*cy < o.R*o.R {
			return true
		}
	}
	return false
}

// Step pushes the mass for Dt.
func (e *PointMass) Step(action []float64) ([]float64, float64, bool, bool) {
	var ax, ay float64
	if n := e.cfg.Actions; n > 0 {
		k := discreteAction("pointmass", action, n*n)
		ax, ay = level(k%n, n, -1, 1), level(k/n, n, -1, 1)
	} else {
		boxAction("pointmass", action, 2)
		ax, ay = clip(action[0], -1, 1), clip(action[1], -1, 1)
	}
	c := &e.cfg
	fx := c.MaxForce*ax + e.rng.normal(c.ForceNoise)
	fy := c.MaxForce*ay + e.rng.normal(c.ForceNoise)
	x, y, vx, vy := e.s[0], e.s[1], e.s[2], e.s[3]
	m := e.params.Mass
	vx += c.Dt * (fx/m - c.Damping*vx)
	vy += c.Dt * (fy/m - c.Damping*vy)
	nx, ny := x+c.Dt*vx, y+c.Dt*vy
	if nx < -c.Size || nx > c.Size {
		nx, vx = clip(nx, -c.Size, c.Size), 0
	}
	if ny < -c.Size || ny > c.Size {
		ny, vy = clip(ny, -c.Size, c.Size), 0
	}
	collided := e.hit(x, y, nx, ny)
	if collided {
		nx, ny, vx, vy = x, y, 0, 0
		e.hits++
	}
	e.s = [4]float64{nx, ny, vx, vy}
	e.observe()
	d := math.Hypot(nx-e.layout.Goal[0], ny-e.layout.Goal[1])
	reward := -d
	if collided {
		reward -= c.CollisionPenalty
	}
	terminated := d <= e.layout.GoalRadius
	if terminated {
		reward += c.GoalBonus
	}
	e.steps++
	e.ret += reward
	for _, r := range e.layout.Sources {
		if dx, dy := nx-r.X, ny-r.Y; dx*dx+dy*dy <= r.R*r.R {
			reward += r.Reward
		}
	}
	return e.obs[:], reward, terminated, e.steps >= e.maxSteps
}

// Clone returns an independent copy at the same state and stream position
// (the layout, which never changes, is shared).
func (e *PointMass) Clone() env.Env {
	c := *e
	c.rng = e.rng.clone()
	return &c
}

// Performance is the episode's return so far, without the reward
// sources' rewards.
func (e *PointMass) Performance() float64 { return e.ret }
