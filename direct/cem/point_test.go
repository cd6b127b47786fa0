package cem_test

import (
	"fmt"

	"argmax/env"
)

// point is a toy env with a known optimal plan: a point on a line at x
// moves to x+u, u in [-1, 1], and earns −(x+u − goal)² a step, so the
// best first action is goal − x (when it is within the bounds) and the
// best later ones are 0. With levels set, the action is discrete: index k
// applies levels[k].
type point struct {
	x, x0, goal float64
	levels      []float64
	steps, max  int
	ret         float64
	obs         [1]float64
}

func newPoint(x0, goal float64) *point {
	p := &point{x0: x0, goal: goal, max: 50}
	p.Reset(0)
	return p
}

func (p *point) Name() string { return "point" }

func (p *point) ObservationSpace() env.Space { return env.Box([]float64{-100}, []float64{100}) }

func (p *point) ActionSpace() env.Space {
	if p.levels != nil {
		return env.Discrete(len(p.levels))
	}
	return env.Box([]float64{-1}, []float64{1})
}

func (p *point) Reset(uint64) []float64 {
	p.x, p.steps, p.ret = p.x0, 0, 0
	p.obs[0] = p.x
	return p.obs[:]
}

func (p *point) Step(a []float64) ([]float64, float64, bool, bool) {
	if len(a) != 1 {
		panic(fmt.Sprintf("point: action of length %d", len(a)))
	}
	u := max(-1, min(1, a[0]))
	if p.levels != nil {
		u = p.levels[int(a[0])]
	}
	p.x += u
	r := -(p.x - p.goal) * (p.x - p.goal)
	p.ret += r
	p.steps++
	p.obs[0] = p.x
	return p.obs[:], r, false, p.steps >= p.max
}

func (p *point) Clone() env.Env {
	c := *p
	return &c
}

func (p *point) Performance() float64 { return p.ret }
