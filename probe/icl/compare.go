package icl

import (
	"fmt"
	"math"
	"strings"

	"argmax/task/linreg"
)

// Model is anything that predicts the query's target from a prompt: a
// trained sequence model or a reference algorithm.
type Model interface {
	// Name identifies the model in reports.
	Name() string
	// Predict returns the prediction ŷ for each prompt.
	Predict(ps []linreg.Prompt) []float64
	// Sensitivity returns ∂ŷ/∂x_q for each prompt (len D each).
	Sensitivity(ps []linreg.Prompt) [][]float64
}

// Reference is an algorithm that estimates weights from a prompt's pairs
// and predicts ŵᵀx_q; its sensitivity ∂ŷ/∂x_q is ŵ.
type Reference struct {
	Label   string
	Weights func(p *linreg.Prompt) []float64
}

// Name returns the label.
func (r Reference) Name() string { return r.Label }

// Predict returns ŵᵀx_q for each prompt.
func (r Reference) Predict(ps []linreg.Prompt) []float64 {
	out := make([]float64, len(ps))
	for i := range ps {
		out[i] = ps[i].Predict(r.Weights(&ps[i]))
	}
	return out
}

// Sensitivity returns ŵ for each prompt.
func (r Reference) Sensitivity(ps []linreg.Prompt) [][]float64 {
	out := make([][]float64, len(ps))
	for i := range ps {
		out[i] = r.Weights(&ps[i])
	}
	return out
}

// GDName is the reference name of k tuned GD steps ("gd1", "gd2", …).
func GDName(k int) string { return fmt.Sprintf("gd%d", k) }

// References returns the reference algorithms for prompts of tk: k steps
// of gradient descent for k = 1..steps, each with the step size tuned on
// the sample tuning (named GDName(k)); "ridge" with λ = σ² (the posterior
// mean for fresh w); "ls", least squares; and, when tk has a pool of
// training tasks, "dmmse", the posterior mean over the pool.
func References(tk *linreg.Task, tuning []linreg.Prompt, steps int) ([]Reference, error) {
	if steps < 0 {
		return nil, fmt.Errorf("icl: References: steps = %d: want ≥ 0", steps)
	}
	var refs []Reference
	for k := 1; k <= steps; k++ {
		eta, err := linreg.TuneGD(tuning, k)
		if err != nil {
			return nil, fmt.Errorf("icl: References: %w", err)
		}
		refs = append(refs, GDReference(k, eta))
	}
	sigma := tk.Config().Noise
	refs = append(refs,
		Reference{"ridge", func(p *linreg.Prompt) []float64 { return linreg.Ridge(p, sigma*sigma) }},
		Reference{"ls", linreg.LeastSquares})
	if pool := tk.Pool(); pool != nil {
		refs = append(refs, DMMSEReference(pool, sigma))
	}
	return refs, nil
}

// GDReference is k steps of gradient descent of size eta, named GDName(k).
func GDReference(k int, eta float64) Reference {
	return Reference{GDName(k), func(p *linreg.Prompt) []float64 { return linreg.GD(p, k, eta) }}
}

// DMMSEReference is the posterior mean over pool at noise sigma, "dmmse".
func DMMSEReference(pool [][]float64, sigma float64) Reference {
	return Reference{"dmmse", func(p *linreg.Prompt) []float64 { return linreg.DMMSE(p, pool, sigma) }}
}

// Row holds the figures of a model against one reference.
type Row struct {
	Reference string
	// PredDist is the mean squared difference of the predictions.
	PredDist float64
	// PredCos is the cosine of the two vectors of predictions over the
	// prompts.
	PredCos float64
	// SensCos is the mean over prompts of the cosine of the
	// sensitivities ∂ŷ/∂x_q.
	SensCos float64
	// Loss is the reference's query loss, mean (ŷ − wᵀx_q)².
	Loss float64
}

// Report is a model's comparison with references on a set of prompts.
type Report struct {
	Model   string
	Prompts int
	Loss    float64 // the model's query loss, mean (ŷ − wᵀx_q)²
	Rows    []Row
	Nearest string // the reference of least prediction distance
}

// Row returns the row of the named reference.
func (r Report) Row(name string) (Row, bool) {
	for _, row := range r.Rows {
		if row.Reference == name {
			return row, true
		}
	}
	return Row{}, false
}

// String formats the report as a table.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %d prompts: query loss %.4g, nearest %s\n", r.Model, r.Prompts, r.Loss, r.Nearest)
	fmt.Fprintf(&b, "%-8s %10s %8s %8s %10s\n", "ref", "pred dist", "pred cos", "sens cos", "ref loss")
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%-8s %10.4g %8.4f %8.4f %10.4g\n", row.Reference, row.PredDist, row.PredCos, row.SensCos, row.Loss)
	}
	return b.String()
}

// Compare measures m against each reference on ps and names the one it
// behaves like: the nearest by prediction distance.
func Compare(m Model, refs []Reference, ps []linreg.Prompt) Report {
	yhat, sens := m.Predict(ps), m.Sensitivity(ps)
	rep := Report{Model: m.Name(), Prompts: len(ps), Loss: queryLoss(ps, yhat)}
	best := math.Inf(1)
	for _, ref := range refs {
		ry, rs := ref.Predict(ps), ref.Sensitivity(ps)
		row := Row{Reference: ref.Name(), Loss: queryLoss(ps, ry), PredCos: cosine(yhat, ry)}
		for i := range ps {
			d := yhat[i] - ry[i]
			row.PredDist += d * d / float64(len(ps))
			row.SensCos += cosine(sens[i], rs[i]) / float64(len(ps))
		}
		rep.Rows = append(rep.Rows, row)
		if row.PredDist < best {
			best, rep.Nearest = row.PredDist, row.Reference
		}
	}
	return rep
}

// PredDist is the mean squared difference of two models' predictions.
func PredDist(a, b Model, ps []linreg.Prompt) float64 {
	ya, yb := a.Predict(ps), b.Predict(ps)
	var s float64
	for i := range ya {
		s += (ya[i] - yb[i]) * (ya[i] - yb[i])
	}
	return s / float64(len(ps))
}

// QueryLoss is m's mean (ŷ − wᵀx_q)² on ps, against the noise-free
// targets.
func QueryLoss(m Model, ps []linreg.Prompt) float64 { return queryLoss(ps, m.Predict(ps)) }

func queryLoss(ps []linreg.Prompt, yhat []float64) float64 {
	var s float64
	for i := range ps {
		r := yhat[i] - ps[i].Target()
		s += r * r
	}
	return s / float64(len(ps))
}

// cosine is a·b/(|a||b|), 1 for two zero vectors and 0 for one.
func cosine(a, b []float64) float64 {
	na, nb := dot(a, a), dot(b, b)
	if na == 0 || nb == 0 {
		if na == nb {
			return 1
		}
		return 0
	}
	return dot(a, b) / math.Sqrt(na*nb)
}
