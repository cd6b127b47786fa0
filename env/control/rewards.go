package control

import "math"

// The task rewards and termination rules below are the envs' own, written
// as functions of a transition (obs, action, next) — the observation the
// step started from, the action taken and the observation it led to — for
// planners that simulate a learned model of the dynamics and need the
// reward of a predicted transition (a model-based agent such as PETS knows
// the task's reward and learns only the dynamics). Their signatures match
// amortized/dynamics' RewardFunc and DoneFunc, so they plug into its
// Config as they are.
//
// Every one is exact for the env's own observations: what an env's Step
// returned for a transition, the function returns for the same vectors
// (up to floating-point rounding of the angle for the pendulum, and the
// float32 edge of the mountain car's goal noted on MountainCarDone). None
// depends on the hidden parameters or the noise: the rewards do not.

// PendulumReward is Pendulum-v1's reward of a step from obs = (cos θ,
// sin θ, θ̇) with the torque action[0]: −(θ² + 0.1 θ̇² + 0.001 u²), where θ
// is the angle normalized to [−π, π] (atan2(sin θ, cos θ), Gymnasium's
// angle_normalize(θ) up to rounding) and u the torque clipped to [−2, 2].
// The reward depends on the state before the step; next is not read.
// With several actuators (PendulumConfig.Actuators), u² is the mean of the
// squares of their clipped commands.
func PendulumReward(obs, action, _ []float64) float64 {
	_, u2 := actuatorTorque(action)
	return pendulumCost(obs, u2)
}

// pendulumCost is the reward from obs with the torque term u2 (u²).
func pendulumCost(obs []float64, u2 float64) float64 {
	th := math.Atan2(obs[1], obs[0])
	thd := obs[2]
	return -(th*th + 0.1*(thd*thd) + 0.001*u2)
}

// RewardFunc returns the reward function of the pendulum c configures:
// PendulumReward, or, when c discretizes the torque (Actions > 0), the same
// reward of the torque an action index stands for.
func (c PendulumConfig) RewardFunc() func(obs, action, next []float64) float64 {
	n := c.Actions
	if n == 0 {
		return PendulumReward
	}
	return func(obs, action, _ []float64) float64 {
		u := level(discreteAction("pendulum", action, n), n, -pendulumMaxTorque, pendulumMaxTorque)
		return pendulumCost(obs, u*u)
	}
}

// MountainCarReward is MountainCarContinuous-v0's reward of a step with the
// force action[0] that led to next = (position, velocity): 100 on reaching
// the goal (MountainCarDone) minus 0.1 a², with a the commanded force (not
// clipped, as in Gymnasium). obs is not read.
func MountainCarReward(obs, action, next []float64) float64 {
	return mountainCarReward(action[0], MountainCarDone(obs, action, next))
}

func mountainCarReward(a float64, done bool) float64 {
	r := 0.0
	if done {
		r = 100
	}
	return r - a*a*0.1
}

// MountainCarDone reports whether the step to next ended
// MountainCarContinuous-v0's episode at the goal: position ≥ 0.45 and
// velocity ≥ 0. The env decides on its state before rounding it to
// float32; next is the rounded observation, so a position within 3·10⁻⁸
// above 0.45, which rounds below it, is the one case the two disagree.
func MountainCarDone(_, _, next []float64) bool { return mountainCarDone(next, 0) }

func mountainCarDone(next []float64, goalVelocity float64) bool {
	return next[0] >= mountainCarGoalPosition && next[1] >= goalVelocity
}

// RewardFunc returns the reward function of the mountain car c
// configures: MountainCarReward with c's goal velocity, of the force an
// action index stands for when c discretizes it.
func (c MountainCarConfig) RewardFunc() func(obs, action, next []float64) float64 {
	n, gv := c.Actions, c.GoalVelocity
	return func(_, action, next []float64) float64 {
		a := action[0]
		if n > 0 {
			a = level(discreteAction("mountaincar-continuous", action, n), n, -1, 1)
		}
		return mountainCarReward(a, mountainCarDone(next, gv))
	}
}

// DoneFunc returns the termination rule of the mountain car c configures:
// MountainCarDone with c's goal velocity.
func (c MountainCarConfig) DoneFunc() func(obs, action, next []float64) bool {
	gv := c.GoalVelocity
	return func(_, _, next []float64) bool { return mountainCarDone(next, gv) }
}

// CartPoleReward is CartPole-v1's reward of a step of a running episode: 1,
// the step that ends it (CartPoleDone) included. A simulated episode stops
// at its end, so later steps (which the env rewards 0) are never asked
// for. It holds for every CartPoleConfig.
func CartPoleReward(_, _, _ []float64) float64 { return 1 }

// CartPoleDone reports whether the step to next = (x, ẋ, θ, θ̇) ended
// CartPole-v1's episode: the cart left ±2.4 or the pole passed ±12°. It
// holds for every CartPoleConfig.
func CartPoleDone(_, _, next []float64) bool { return cartPoleDone(next[0], next[2]) }
