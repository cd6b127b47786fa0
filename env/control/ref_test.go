package control

// Independent reference transcriptions of Gymnasium's classic control
// environments, written line by line from the Python sources
// (gymnasium/envs/classic_control/{cartpole,pendulum,continuous_mountain_car,acrobot}.py)
// with Go's math standing in for Python's math and NumPy. They share no
// code with the package: the tests replay the same actions through both.

import "math"

// refCartPole is CartPoleEnv.
type refCartPole struct {
	gravity, masscart, masspole, total_mass, length, polemass_length float64
	force_mag, tau                                                   float64
	kinematics_integrator                                            string
	theta_threshold_radians, x_threshold                             float64
	state                                                            [4]float64
	steps_beyond_terminated                                          *int
}

func newRefCartPole(masscart, masspole, length float64) *refCartPole {
	r := &refCartPole{}
	r.gravity = 9.8
	r.masscart = masscart
	r.masspole = masspole
	r.total_mass = r.masspole + r.masscart
	r.length = length
	r.polemass_length = r.masspole * r.length
	r.force_mag = 10.0
	r.tau = 0.02
	r.kinematics_integrator = "euler"
	pi := math.Pi
	r.theta_threshold_radians = 12 * 2 * pi / 360
	r.x_threshold = 2.4
	return r
}

// step takes force directly when continuous (force_mag * clip(a)),
// otherwise the discrete action.
func (r *refCartPole) step(action int, continuous bool, a float64) ([4]float64, float64, bool) {
	x, x_dot, theta, theta_dot := r.state[0], r.state[1], r.state[2], r.state[3]
	var force float64
	if continuous {
		force = r.force_mag * math.Min(math.Max(a, -1), 1)
	} else if action == 1 {
		force = r.force_mag
	} else {
		force = -r.force_mag
	}
	costheta := math.Cos(theta)
	sintheta := math.Sin(theta)
	temp := (force + r.polemass_length*math.Pow(theta_dot, 2)*sintheta) / r.total_mass
	thetaacc := (r.gravity*sintheta - costheta*temp) / (r.length * (4.0/3.0 - r.masspole*math.Pow(costheta, 2)/r.total_mass))
	xacc := temp - r.polemass_length*thetaacc*costheta/r.total_mass
	if r.kinematics_integrator == "euler" {
		x = x + r.tau*x_dot
		x_dot = x_dot + r.tau*xacc
		theta = theta + r.tau*theta_dot
		theta_dot = theta_dot + r.tau*thetaacc
	} else {
		x_dot = x_dot + r.tau*xacc
		x = x + r.tau*x_dot
		theta_dot = theta_dot + r.tau*thetaacc
		theta = theta + r.tau*theta_dot
	}
	r.state = [4]float64{x, x_dot, theta, theta_dot}
	terminated := x < -r.x_threshold || x > r.x_threshold || theta < -r.theta_threshold_radians || theta > r.theta_threshold_radians
	var reward float64
	if !terminated {
		reward = 1.0
	} else if r.steps_beyond_terminated == nil {
		zero := 0
		r.steps_beyond_terminated = &zero
		reward = 1.0
	} else {
		*r.steps_beyond_terminated++
		reward = 0.0
	}
	return r.state, reward, terminated
}

// refPendulum is PendulumEnv.
type refPendulum struct {
	max_speed, max_torque, dt, g, m, l float64
	state                              [2]float64
}

func newRefPendulum(g, m, l float64) *refPendulum {
	return &refPendulum{max_speed: 8, max_torque: 2.0, dt: 0.05, g: g, m: m, l: l}
}

func refAngleNormalize(x float64) float64 {
	// Python's % takes the sign of the divisor.
	y := 2 * math.Pi
	r := math.Mod(x+math.Pi, y)
	if r < 0 {
		r += y
	}
	return r - math.Pi
}

func (r *refPendulum) step(u float64) ([]float64, float64) {
	th, thdot := r.state[0], r.state[1]
	g, m, l, dt := r.g, r.m, r.l, r.dt
	u = math.Min(math.Max(u, -r.max_torque), r.max_torque)
	costs := math.Pow(refAngleNormalize(th), 2) + 0.1*math.Pow(thdot, 2) + 0.001*math.Pow(u, 2)
	newthdot := thdot + (3*g/(2*l)*math.Sin(th)+3.0/(m*math.Pow(l, 2))*u)*dt
	newthdot = math.Min(math.Max(newthdot, -r.max_speed), r.max_speed)
	newth := th + newthdot*dt
	r.state = [2]float64{newth, newthdot}
	return r.obs(), -costs
}

func (r *refPendulum) obs() []float64 {
	return []float64{math.Cos(r.state[0]), math.Sin(r.state[0]), r.state[1]}
}

// refMountainCar is Continuous_MountainCarEnv, its state a float32 array.
type refMountainCar struct {
	min_action, max_action, min_position, max_position, max_speed float64
	goal_position, goal_velocity, power                           float64
	state                                                         [2]float32
	first                                                         [2]float64 // the float64 state of reset
	reset                                                         bool
}

func newRefMountainCar(goalVelocity, power float64) *refMountainCar {
	return &refMountainCar{min_action: -1.0, max_action: 1.0, min_position: -1.2, max_position: 0.6,
		max_speed: 0.07, goal_position: 0.45, goal_velocity: goalVelocity, power: power}
}

func (r *refMountainCar) step(action float64) ([]float64, float64, bool) {
	var position, velocity float64
	if r.reset { // reset stores np.array([uniform, 0]): float64
		position, velocity = r.first[0], r.first[1]
		r.reset = false
	} else {
		position, velocity = float64(r.state[0]), float64(r.state[1])
	}
	force := math.Min(math.Max(action, r.min_action), r.max_action)
	velocity += force*r.power - 0.0025*math.Cos(3*position)
	if velocity > r.max_speed {
		velocity = r.max_speed
	}
	if velocity < -r.max_speed {
		velocity = -r.max_speed
	}
	position += velocity
	if position > r.max_position {
		position = r.max_position
	}
	if position < r.min_position {
		position = r.min_position
	}
	if position == r.min_position && velocity < 0 {
		velocity = 0
	}
	terminated := position >= r.goal_position && velocity >= r.goal_velocity
	reward := 0.0
	if terminated {
		reward = 100.0
	}
	reward -= math.Pow(action, 2) * 0.1
	r.state = [2]float32{float32(position), float32(velocity)}
	return []float64{float64(r.state[0]), float64(r.state[1])}, reward, terminated
}

// refAcrobot is AcrobotEnv with its module's rk4, wrap and bound.
type refAcrobot struct {
	dt                                                             float64
	LINK_LENGTH_1, LINK_LENGTH_2, LINK_MASS_1, LINK_MASS_2         float64
	LINK_COM_POS_1, LINK_COM_POS_2, LINK_MOI, MAX_VEL_1, MAX_VEL_2 float64
	AVAIL_TORQUE                                                   []float64
	book_or_nips                                                   string
	state                                                          []float64
}

func newRefAcrobot(m1, m2 float64) *refAcrobot {
	pi := math.Pi
	return &refAcrobot{dt: 0.2, LINK_LENGTH_1: 1.0, LINK_LENGTH_2: 1.0, LINK_MASS_1: m1, LINK_MASS_2: m2,
		LINK_COM_POS_1: 0.5, LINK_COM_POS_2: 0.5, LINK_MOI: 1.0, MAX_VEL_1: 4 * pi, MAX_VEL_2: 9 * pi,
		AVAIL_TORQUE: []float64{-1.0, 0.0, +1}, book_or_nips: "book"}
}

func (r *refAcrobot) step(a int) ([]float64, float64, bool) {
	s := r.state
	torque := r.AVAIL_TORQUE[a]
	s_augmented := append(append([]float64(nil), s...), torque)
	ns := refRK4(r._dsdt, s_augmented, []float64{0, r.dt})
	ns[0] = refWrap(ns[0], -math.Pi, math.Pi)
	ns[1] = refWrap(ns[1], -math.Pi, math.Pi)
	ns[2] = refBound(ns[2], -r.MAX_VEL_1, r.MAX_VEL_1)
	ns[3] = refBound(ns[3], -r.MAX_VEL_2, r.MAX_VEL_2)
	r.state = ns
	terminated := r._terminal()
	reward := -1.0
	if terminated {
		reward = 0.0
	}
	return r._get_ob(), reward, terminated
}

func (r *refAcrobot) _get_ob() []float64 {
	s := r.state
	return []float64{math.Cos(s[0]), math.Sin(s[0]), math.Cos(s[1]), math.Sin(s[1]), s[2], s[3]}
}

func (r *refAcrobot) _terminal() bool {
	s := r.state
	return -math.Cos(s[0])-math.Cos(s[1]+s[0]) > 1.0
}

func (r *refAcrobot) _dsdt(s_augmented []float64) []float64 {
	m1 := r.LINK_MASS_1
	m2 := r.LINK_MASS_2
	l1 := r.LINK_LENGTH_1
	lc1 := r.LINK_COM_POS_1
	lc2 := r.LINK_COM_POS_2
	I1 := r.LINK_MOI
	I2 := r.LINK_MOI
	g := 9.8
	a := s_augmented[len(s_augmented)-1]
	s := s_augmented[:len(s_augmented)-1]
	theta1 := s[0]
	theta2 := s[1]
	dtheta1 := s[2]
	dtheta2 := s[3]
	pi := math.Pi
	cos, sin := math.Cos, math.Sin
	d1 := m1*math.Pow(lc1, 2) + m2*(math.Pow(l1, 2)+math.Pow(lc2, 2)+2*l1*lc2*cos(theta2)) + I1 + I2
	d2 := m2*(math.Pow(lc2, 2)+l1*lc2*cos(theta2)) + I2
	phi2 := m2 * lc2 * g * cos(theta1+theta2-pi/2.0)
	phi1 := -m2*l1*lc2*math.Pow(dtheta2, 2)*sin(theta2) - 2*m2*l1*lc2*dtheta2*dtheta1*sin(theta2) + (m1*lc1+m2*l1)*g*cos(theta1-pi/2) + phi2
	var ddtheta2 float64
	if r.book_or_nips == "nips" {
		ddtheta2 = (a + d2/d1*phi1 - phi2) / (m2*math.Pow(lc2, 2) + I2 - math.Pow(d2, 2)/d1)
	} else {
		ddtheta2 = (a + d2/d1*phi1 - m2*l1*lc2*math.Pow(dtheta1, 2)*sin(theta2) - phi2) / (m2*math.Pow(lc2, 2) + I2 - math.Pow(d2, 2)/d1)
	}
	ddtheta1 := -(d2*ddtheta2 + phi1) / d1
	return []float64{dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0}
}

func refWrap(x, m, M float64) float64 {
	diff := M - m
	for x > M {
		x = x - diff
	}
	for x < m {
		x = x + diff
	}
	return x
}

func refBound(x, m, M float64) float64 { return math.Min(math.Max(x, m), M) }

// refRK4 is rk4(derivs, y0, t) over numpy arrays, written out per element.
func refRK4(derivs func([]float64) []float64, y0 []float64, t []float64) []float64 {
	Ny := len(y0)
	yout := make([][]float64, len(t))
	for i := range yout {
		yout[i] = make([]float64, Ny)
	}
	copy(yout[0], y0)
	axpy := func(y []float64, h float64, k []float64) []float64 { // y + h*k
		out := make([]float64, len(y))
		for j := range y {
			out[j] = y[j] + h*k[j]
		}
		return out
	}
	for i := 0; i < len(t)-1; i++ {
		this := t[i]
		dt := t[i+1] - this
		dt2 := dt / 2.0
		y0 := yout[i]
		k1 := derivs(y0)
		k2 := derivs(axpy(y0, dt2, k1))
		k3 := derivs(axpy(y0, dt2, k2))
		k4 := derivs(axpy(y0, dt, k3))
		for j := range Ny {
			yout[i+1][j] = y0[j] + dt/6.0*(k1[j]+2*k2[j]+2*k3[j]+k4[j])
		}
	}
	return yout[len(t)-1][:4]
}
