package semiamortized

import (
	"errors"
	"fmt"
	"math"

	"argmax/task"
)

// Unrolled is the task whose objective at y_0 is f(y_K; x), the base
// task's objective after K steps of gradient descent with step size Eta
// from y_0. Its gradient with respect to y_0 is computed in reverse mode
// through the steps with the base task's Hessian-vector products. It
// shares the base task's contexts, dimensions and Init, and implements
// neither task.Exact nor task.HessianVector.
type Unrolled struct {
	Base task.Task
	K    int     // unrolled steps, ≥ 0
	Eta  float64 // step size, > 0
}

// NewUnrolled returns the unrolled task after checking k and eta.
func NewUnrolled(base task.Task, k int, eta float64) (Unrolled, error) {
	var errs []error
	if k < 0 {
		errs = append(errs, fmt.Errorf("field K=%d: want ≥ 0 steps", k))
	}
	if !(eta > 0) || math.IsInf(eta, 0) {
		errs = append(errs, fmt.Errorf("field Eta=%v: want a finite step size > 0", eta))
	}
	if len(errs) > 0 {
		return Unrolled{}, fmt.Errorf("semiamortized: unrolled %s: %w", base.Name(), errors.Join(errs...))
	}
	return Unrolled{Base: base, K: k, Eta: eta}, nil
}

// Name is "unrolled(K=…,eta=…):" and the base task's name.
func (u Unrolled) Name() string {
	return fmt.Sprintf("unrolled(K=%d,eta=%g):%s", u.K, u.Eta, u.Base.Name())
}

// ContextDim is the base task's.
func (u Unrolled) ContextDim() int { return u.Base.ContextDim() }

// SolutionDim is the base task's.
func (u Unrolled) SolutionDim() int { return u.Base.SolutionDim() }

// Context is the base task's.
func (u Unrolled) Context(s task.Split, seed uint64, i int, dst []float64) {
	u.Base.Context(s, seed, i, dst)
}

// Init is the base task's.
func (u Unrolled) Init(x, dst []float64) { u.Base.Init(x, dst) }

// Objective returns f(y_K; x) for y_0 = y and, when grad is not nil,
// writes ∂f(y_K; x)/∂y_0 into it: K+1 gradient evaluations forward, K
// Hessian-vector products backward.
func (u Unrolled) Objective(x, y, grad []float64) float64 {
	n := len(y)
	ys := make([][]float64, u.K+1) // the iterates y_0 … y_K
	ys[0] = append([]float64(nil), y...)
	g := make([]float64, n)
	var f float64
	for k := range u.K + 1 {
		f = u.Base.Objective(x, ys[k], g)
		if k == u.K {
			break
		}
		ys[k+1] = make([]float64, n)
		for i := range n {
			ys[k+1][i] = ys[k][i] - u.Eta*g[i]
		}
	}
	if grad == nil {
		return f
	}
	// g is v_K = ∇f(y_K); v_k = (I − η H(y_k)) v_{k+1}.
	hv := make([]float64, n)
	for k := u.K - 1; k >= 0; k-- {
		task.HessVec(u.Base, x, ys[k], g, hv)
		for i := range n {
			g[i] -= u.Eta * hv[i]
		}
	}
	copy(grad, g)
	return f
}
