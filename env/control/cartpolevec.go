package control

import (
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/env"
)

// CartPoleVec steps n cart-poles at once, as a struct of arrays, for
// learners that consume many environment steps. A lane whose episode ends
// (terminated or truncated) is reset in the same step, as Gymnasium's
// CartPoleVectorEnv does: its observation is then the new episode's first,
// and FinalObs holds the last one of the episode that ended.
//
// Lane i's episode j starts from env.EpisodeSeed(base, i, j) exactly (as env.Vec's lanes) as
// CartPole.Reset does with that seed, and follows the same equations
// operation by operation, so every episode of a lane can be replayed, bit
// for bit, by a CartPole with the same Config.
//
// The slices Step returns are the CartPoleVec's own, valid until its next
// Reset or Step; Step allocates nothing.
type CartPoleVec struct {
	cfg      CartPoleConfig
	maxSteps int32
	n        int
	base     uint64

	x, xDot, theta, thetaDot []float64
	force                    []float64
	steps                    []int32
	episode                  []int
	seeds                    []uint64
	rngs                     []stream

	fixed  bool            // every lane has Gymnasium's parameters (no Range set)
	models []cartPoleModel // per-lane models when !fixed
	params []CartPoleParams
	model  cartPoleModel

	obs, final  []float64
	reward      []float64
	term, trunc []bool
	finished    int
}

// NewCartPoleVec returns n cart-poles reset from seed, or an error naming
// the wrong argument or Config field.
func NewCartPoleVec(n int, seed uint64, cfg CartPoleConfig) (*CartPoleVec, error) {
	if n < 1 {
		return nil, fmt.Errorf("control: cartpole vec: n=%d: want ≥ 1 envs", n)
	}
	cfg, steps, err := cfg.check()
	if err != nil {
		return nil, err
	}
	if steps > math.MaxInt32 {
		return nil, fmt.Errorf("control: cartpole vec: MaxSteps=%d: want ≤ %d", steps, math.MaxInt32)
	}
	v := &CartPoleVec{
		cfg: cfg, maxSteps: int32(steps), n: n,
		x: make([]float64, n), xDot: make([]float64, n), theta: make([]float64, n), thetaDot: make([]float64, n),
		force: make([]float64, n), steps: make([]int32, n), episode: make([]int, n), seeds: make([]uint64, n),
		rngs:   make([]stream, n),
		params: make([]CartPoleParams, n),
		obs:    make([]float64, 4*n), final: make([]float64, 4*n),
		reward: make([]float64, n), term: make([]bool, n), trunc: make([]bool, n),
	}
	for i := range v.rngs {
		v.rngs[i].rng = rand.New(&v.rngs[i].src)
	}
	v.fixed = cfg.MassCart.IsZero() && cfg.MassPole.IsZero() && cfg.Length.IsZero()
	v.model = newCartPoleModel(CartPoleParams{MassCart: cartPoleMassCart, MassPole: cartPoleMassPole, Length: cartPoleLength})
	if !v.fixed {
		v.models = make([]cartPoleModel, n)
	}
	v.Reset(seed)
	return v, nil
}

// Len returns the number of lanes.
func (v *CartPoleVec) Len() int { return v.n }

// Reset starts every lane's first episode from base seed and returns the
// observations, n rows of (x, ẋ, θ, θ̇).
func (v *CartPoleVec) Reset(seed uint64) []float64 {
	v.base, v.finished = seed, 0
	for i := range v.n {
		v.episode[i] = 0
		v.resetLane(i)
		v.obs[4*i], v.obs[4*i+1], v.obs[4*i+2], v.obs[4*i+3] = v.x[i], v.xDot[i], v.theta[i], v.thetaDot[i]
		v.term[i], v.trunc[i], v.reward[i] = false, false, 0
	}
	return v.obs
}

// resetLane starts lane i's current episode as CartPole.Reset does.
func (v *CartPoleVec) resetLane(i int) {
	s := env.EpisodeSeed(v.base, i, v.episode[i])
	v.seeds[i] = s
	if !v.fixed {
		v.params[i] = v.cfg.draw(s)
		v.models[i] = newCartPoleModel(v.params[i])
	} else {
		v.params[i] = CartPoleParams{MassCart: cartPoleMassCart, MassPole: cartPoleMassPole, Length: cartPoleLength}
	}
	r := &v.rngs[i]
	r.seed(s)
	v.x[i] = r.uniform(-cartPoleInit, cartPoleInit)
	v.xDot[i] = r.uniform(-cartPoleInit, cartPoleInit)
	v.theta[i] = r.uniform(-cartPoleInit, cartPoleInit)
	v.thetaDot[i] = r.uniform(-cartPoleInit, cartPoleInit)
	v.steps[i] = 0
}

// Step applies one discrete action per lane — 0 or 1 (push left or right)
// for the discrete cart-pole, 0..Actions−1 for a discretized continuous
// one — and returns the observations (n rows of 4), the rewards (1 each),
// and which lanes terminated or were truncated (and so were reset).
func (v *CartPoleVec) Step(actions []int32) (obs, reward []float64, terminated, truncated []bool) {
	if len(actions) != v.n {
		panic(fmt.Sprintf("control: cartpole vec: %d actions for %d envs", len(actions), v.n))
	}
	force := v.force[:v.n]
	switch {
	case !v.cfg.Continuous:
		for i, a := range actions {
			if uint32(a) > 1 {
				panic(fmt.Sprintf("control: cartpole vec: action %d of env %d: want 0 or 1", a, i))
			}
			force[i] = float64(2*a-1) * cartPoleForceMag
		}
	case v.cfg.Actions > 0:
		n := v.cfg.Actions
		for i, a := range actions {
			if a < 0 || int(a) >= n {
				panic(fmt.Sprintf("control: cartpole vec: action %d of env %d: want one of 0..%d", a, i, n-1))
			}
			force[i] = cartPoleForceMag * level(int(a), n, -1, 1)
		}
	default:
		panic("control: cartpole vec: the continuous cart-pole takes StepContinuous")
	}
	v.integrate()
	return v.obs, v.reward, v.term, v.trunc
}

// StepContinuous applies one force in [−1, 1] per lane (clipped) to the
// continuous cart-pole; otherwise as Step.
func (v *CartPoleVec) StepContinuous(actions []float64) (obs, reward []float64, terminated, truncated []bool) {
	if !v.cfg.Continuous || v.cfg.Actions > 0 {
		panic("control: cartpole vec: StepContinuous needs the continuous cart-pole without Actions; use Step")
	}
	if len(actions) != v.n {
		panic(fmt.Sprintf("control: cartpole vec: %d actions for %d envs", len(actions), v.n))
	}
	force := v.force[:v.n]
	for i, a := range actions {
		if math.IsNaN(a) {
			panic(fmt.Sprintf("control: cartpole vec: action of env %d is NaN", i))
		}
		force[i] = cartPoleForceMag * clip(a, -1, 1)
	}
	v.integrate()
	return v.obs, v.reward, v.term, v.trunc
}

// integrate advances every lane under v.force.
func (v *CartPoleVec) integrate() {
	if v.fixed && !v.cfg.SemiImplicit && v.cfg.ForceNoise == 0 && v.cfg.StateNoise == 0 {
		v.integrateFast()
		return
	}
	n := v.n
	for i := range n {
		m := &v.model
		if !v.fixed {
			m = &v.models[i]
		}
		r := &v.rngs[i]
		force := v.force[i] + r.normal(v.cfg.ForceNoise)
		x, xDot, theta, thetaDot := m.step(&v.cfg, r, force, v.x[i], v.xDot[i], v.theta[i], v.thetaDot[i])
		v.x[i], v.xDot[i], v.theta[i], v.thetaDot[i] = x, xDot, theta, thetaDot
		v.steps[i]++
		v.finish(i, cartPoleDone(x, theta))
	}
}

// finish records lane i's flags and observation after a step, resetting
// it when its episode ended.
func (v *CartPoleVec) finish(i int, term bool) {
	trunc := v.steps[i] >= v.maxSteps
	v.term[i], v.trunc[i], v.reward[i] = term, trunc, 1
	o := v.obs[4*i : 4*i+4 : 4*i+4]
	o[0], o[1], o[2], o[3] = v.x[i], v.xDot[i], v.theta[i], v.thetaDot[i]
	if term || trunc {
		copy(v.final[4*i:4*i+4], o)
		v.episode[i]++
		v.finished++
		v.resetLane(i)
		o[0], o[1], o[2], o[3] = v.x[i], v.xDot[i], v.theta[i], v.thetaDot[i]
	}
}

// integrateFast is integrate for Gymnasium's parameters, Euler and no
// noise: the same operations, with the model's constants in registers and
// the first-octant sine and cosine inline.
func (v *CartPoleVec) integrateFast() {
	n := v.n
	xs, xds, ths, thds := v.x[:n], v.xDot[:n], v.theta[:n], v.thetaDot[:n]
	forces, steps := v.force[:n], v.steps[:n]
	obs := v.obs[:4*n]
	term, trunc, reward := v.term[:n], v.trunc[:n], v.reward[:n]
	m := v.model
	pml, tm, mp, length := m.poleMassLength, m.totalMass, m.massPole, m.length
	thr, maxSteps := cartPoleThetaThreshold, v.maxSteps
	for i := range xs {
		x, xDot, theta, thetaDot := xs[i], xds[i], ths[i], thds[i]
		var sin, cos float64
		if a := math.Abs(theta) * (4 / math.Pi); a >= 1 || theta == 0 {
			sin, cos = math.Sincos(theta)
		} else {
			zz := theta * theta
			cos = 1.0 - 0.5*zz + zz*zz*((((((cosC[0]*zz)+cosC[1])*zz+cosC[2])*zz+cosC[3])*zz+cosC[4])*zz+cosC[5])
			sin = theta + theta*zz*((((((sinC[0]*zz)+sinC[1])*zz+sinC[2])*zz+sinC[3])*zz+sinC[4])*zz+sinC[5])
		}
		temp := (forces[i] + pml*(thetaDot*thetaDot)*sin) / tm
		thetaAcc := (cartPoleGravity*sin - cos*temp) / (length * (4.0/3.0 - mp*(cos*cos)/tm))
		xAcc := temp - pml*thetaAcc*cos/tm
		x = x + cartPoleTau*xDot
		xDot = xDot + cartPoleTau*xAcc
		theta = theta + cartPoleTau*thetaDot
		thetaDot = thetaDot + cartPoleTau*thetaAcc
		xs[i], xds[i], ths[i], thds[i] = x, xDot, theta, thetaDot
		s := steps[i] + 1
		steps[i] = s
		te := x < -cartPoleXThreshold || x > cartPoleXThreshold || theta < -thr || theta > thr
		tr := s >= maxSteps
		term[i], trunc[i], reward[i] = te, tr, 1
		o := obs[4*i : 4*i+4 : 4*i+4]
		o[0], o[1], o[2], o[3] = x, xDot, theta, thetaDot
		if te || tr {
			copy(v.final[4*i:4*i+4], o)
			v.episode[i]++
			v.finished++
			v.resetLane(i)
			o[0], o[1], o[2], o[3] = xs[i], xds[i], ths[i], thds[i]
		}
	}
}

// Obs returns the current observations, n rows of (x, ẋ, θ, θ̇).
func (v *CartPoleVec) Obs() []float64 { return v.obs }

// FinalObs returns, for each lane that ended an episode at the last Step,
// the last observation of that episode (rows of other lanes are stale).
func (v *CartPoleVec) FinalObs() []float64 { return v.final }

// Seed returns the seed of lane i's current episode.
func (v *CartPoleVec) Seed(i int) uint64 { return v.seeds[i] }

// Params returns the hidden parameters of lane i's current episode.
func (v *CartPoleVec) Params(i int) CartPoleParams { return v.params[i] }

// Episodes returns the number of episodes that ended since Reset.
func (v *CartPoleVec) Episodes() int { return v.finished }
