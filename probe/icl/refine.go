package icl

import "argmax/task/linreg"

// RefinedLoss is the query loss on ev of a semi-amortized hybrid: the
// model's answer refined by one gradient step on each prompt's own
// examples. The model's implied weights ŵ0 = ∂ŷ/∂x_q (exact for a model
// linear in x_q, such as the LSA; a linearization otherwise) take one step
// of the prompt's least-squares loss, and the prediction moves with them:
// ŷ' = ŷ − η·g(ŵ0)ᵀx_q with g(w) = (1/n)Σ(wᵀx_i − y_i)x_i. The step size η
// is the one with the least query loss on the tuning prompts (exact: ŷ' is
// linear in η).
func RefinedLoss(m Model, tuning, ev []linreg.Prompt) float64 {
	y0, a := refineStep(m, tuning)
	var num, den float64
	for i := range tuning {
		num += a[i] * (y0[i] - tuning[i].Yq)
		den += a[i] * a[i]
	}
	eta := 0.0
	if den > 0 {
		eta = num / den
	}
	y0, a = refineStep(m, ev)
	var loss float64
	for i := range ev {
		e := y0[i] - eta*a[i] - ev[i].Target()
		loss += e * e
	}
	return loss / float64(len(ev))
}

// refineStep returns the model's predictions ŷ and, per prompt, the
// change g(ŵ0)ᵀx_q a unit step makes.
func refineStep(m Model, ps []linreg.Prompt) (y0, a []float64) {
	y0, ws := m.Predict(ps), m.Sensitivity(ps)
	a = make([]float64, len(ps))
	for i := range ps {
		p := &ps[i]
		g := make([]float64, p.D)
		for j := 0; j < p.N; j++ {
			x := p.X[j*p.D : (j+1)*p.D]
			r := -p.Y[j]
			for k := range x {
				r += ws[i][k] * x[k]
			}
			for k := range x {
				g[k] += r * x[k] / float64(p.N)
			}
		}
		for k := range g {
			a[i] += g[k] * p.Xq[k]
		}
	}
	return y0, a
}
