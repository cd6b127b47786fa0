package prefs

import (
	"context"
	"fmt"
	"math"
)

// Point is one policy on a reward-vs-KL curve, every figure exact.
type Point struct {
	Param float64 // the method's knob at this point: n for best-of-n, β or a training step
	KL    float64 // KL(π‖π_base) in nats
	D     float64 // sqrt(KL)
	Gold  float64 // E_π[r_gold] − E_base[r_gold]
	Proxy float64 // E_π[r_proxy] − E_base[r_proxy]
}

// Evaluate returns the exact Point of the distribution dist (one
// probability per response), with Param left 0.
func (p *Problem) Evaluate(dist []float64, proxy *Proxy) Point {
	kl := KL(dist, p.dist)
	return Point{
		KL:    kl,
		D:     math.Sqrt(kl),
		Gold:  Expect(dist, p.gold) - Expect(p.dist, p.gold),
		Proxy: Expect(dist, proxy.scores) - Expect(p.dist, proxy.scores),
	}
}

// Form is a functional form of reward gain against d = sqrt(KL), after Gao
// et al. 2022.
type Form int

const (
	// BoNForm is R(d) = d(α − βd), their form for best-of-n.
	BoNForm Form = iota
	// RLForm is R(d) = d(α − β log d), their form for RL (0 at d = 0).
	RLForm
)

func (f Form) String() string {
	switch f {
	case BoNForm:
		return "d(α−βd)"
	case RLForm:
		return "d(α−β·log d)"
	}
	return fmt.Sprintf("Form(%d)", int(f))
}

// basis returns the two functions of d whose coefficients are α and β.
func (f Form) basis(d float64) (float64, float64) {
	if f == RLForm {
		if d == 0 {
			return 0, 0
		}
		return d, -d * math.Log(d)
	}
	return d, -d * d
}

// Target picks the reward a fit is of.
type Target int

const (
	TargetGold  Target = iota // the gold reward gain
	TargetProxy               // the proxy reward gain
)

func (t Target) of(pt Point) float64 {
	if t == TargetProxy {
		return pt.Proxy
	}
	return pt.Gold
}

// Fit is a least-squares fit of a Form to the points of a curve with
// d ≤ DFit, and its error on the points beyond.
type Fit struct {
	Form        Form
	Alpha, Beta float64
	DFit        float64 // fitted on points with D ≤ DFit
	NFit, NHeld int     // points fitted, points held out (D > DFit)
	FitRMSE     float64 // root-mean-square residual on the fitted points
	HeldRMSE    float64 // root-mean-square error on the held-out points (0 when none)
	HeldMaxErr  float64 // largest absolute error on the held-out points
}

// Predict returns the fitted reward gain at d.
func (f Fit) Predict(d float64) float64 {
	a, b := f.Form.basis(d)
	return f.Alpha*a + f.Beta*b
}

// FitCurve fits form to the target reward of pts with D ≤ dFit by linear
// least squares in (α, β) and measures the error on the points beyond.
// It needs two fitted points with d > 0 whose basis vectors are not
// collinear.
func FitCurve(pts []Point, form Form, target Target, dFit float64) (Fit, error) {
	if form != BoNForm && form != RLForm {
		return Fit{}, fmt.Errorf("prefs: FitCurve: unknown form %d", int(form))
	}
	if math.IsNaN(dFit) || dFit <= 0 {
		return Fit{}, fmt.Errorf("prefs: FitCurve: dFit = %v: want > 0", dFit)
	}
	f := Fit{Form: form, DFit: dFit}
	var saa, sab, sbb, say, sby float64
	for _, pt := range pts {
		if pt.D > dFit {
			continue
		}
		a, b := form.basis(pt.D)
		y := target.of(pt)
		saa += a * a
		sab += a * b
		sbb += b * b
		say += a * y
		sby += b * y
		f.NFit++
	}
	det := saa*sbb - sab*sab
	if f.NFit < 2 || !(math.Abs(det) > 1e-12*max(saa*sbb, 1e-300)) {
		return Fit{}, fmt.Errorf("prefs: FitCurve: %d points with d ≤ %v do not determine α and β", f.NFit, dFit)
	}
	f.Alpha = (say*sbb - sby*sab) / det
	f.Beta = (saa*sby - sab*say) / det
	var fitSS, heldSS float64
	for _, pt := range pts {
		e := f.Predict(pt.D) - target.of(pt)
		if pt.D <= dFit {
			fitSS += e * e
			continue
		}
		f.NHeld++
		heldSS += e * e
		f.HeldMaxErr = max(f.HeldMaxErr, math.Abs(e))
	}
	f.FitRMSE = math.Sqrt(fitSS / float64(f.NFit))
	if f.NHeld > 0 {
		f.HeldRMSE = math.Sqrt(heldSS / float64(f.NHeld))
	}
	return f, nil
}

// Method traces a reward-vs-KL curve on a problem against a proxy: a
// best-of-n sweep over n, a KL-penalized policy over its training or its
// β, a supervised policy over the n of its teacher. Optimizer packages
// implement it; this package knows none of them.
type Method interface {
	// Name names the method and its settings ("best-of-n:n=1..64").
	Name() string
	// Curve returns the method's exact points, in the order of its knob.
	Curve(ctx context.Context, p *Problem, proxy *Proxy) ([]Point, error)
}

// Result is one method's curve and the fits of both forms to its gold and
// proxy rewards.
type Result struct {
	Method    string
	Points    []Point
	GoldBoN   Fit // d(α − βd) fitted to the gold reward gain
	GoldRL    Fit // d(α − β log d) fitted to the gold reward gain
	ProxyBoN  Fit // the same forms fitted to the proxy reward gain
	ProxyRL   Fit
	PeakGold  Point // the point of highest gold reward gain
	FinalGold Point // the last point
}

// Overoptimization runs every method on the problem and proxy and fits
// both forms to each curve on its points with d ≤ dFitShare·max d (dFitShare
// in (0, 1]), holding the rest out to measure extrapolation.
func Overoptimization(ctx context.Context, p *Problem, proxy *Proxy, methods []Method, dFitShare float64) ([]Result, error) {
	if !(dFitShare > 0 && dFitShare <= 1) {
		return nil, fmt.Errorf("prefs: Overoptimization: dFitShare = %v: want in (0, 1]", dFitShare)
	}
	out := make([]Result, 0, len(methods))
	for _, m := range methods {
		pts, err := m.Curve(ctx, p, proxy)
		if err != nil {
			return nil, fmt.Errorf("prefs: method %s: %w", m.Name(), err)
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("prefs: method %s: empty curve", m.Name())
		}
		r := Result{Method: m.Name(), Points: pts, PeakGold: pts[0], FinalGold: pts[len(pts)-1]}
		dMax := 0.0
		for _, pt := range pts {
			dMax = max(dMax, pt.D)
			if pt.Gold > r.PeakGold.Gold {
				r.PeakGold = pt
			}
		}
		dFit := dFitShare * dMax
		for _, f := range []struct {
			dst    *Fit
			form   Form
			target Target
		}{{&r.GoldBoN, BoNForm, TargetGold}, {&r.GoldRL, RLForm, TargetGold}, {&r.ProxyBoN, BoNForm, TargetProxy}, {&r.ProxyRL, RLForm, TargetProxy}} {
			if *f.dst, err = FitCurve(pts, f.form, f.target, dFit); err != nil {
				return nil, fmt.Errorf("prefs: method %s: %w", m.Name(), err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
