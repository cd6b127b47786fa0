package claims

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"argmax"
	"argmax/amortized/klpg"
	"argmax/direct/bestofn"
	"argmax/hybrid/rlbon"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/store"
	"argmax/task/prefs"
)

// Reward-model overoptimization (after Gao, Schulman & Hilton 2022): a
// proxy reward model is fitted to N comparisons labelled by a hidden gold
// reward (task/prefs), then optimized against in two ways — best-of-n at
// answer time (direct/bestofn, a direct optimizer) and a policy trained
// once by KL-penalized policy gradient (amortized/klpg, an amortized
// optimizer), with supervised fine-tuning on best-of-n answers beside it.
// Every figure is exact: the responses are enumerated, so KL and the
// expected gold and proxy rewards are sums, not estimates. Each method
// traces gold and proxy gain against d = sqrt(KL to the base policy), and
// both of Gao et al.'s functional forms are fitted to its gold curve.

const (
	ooExp    = "claims/overoptimization"
	ooAspect = "overoptimization"
	ooTag    = "oo"
)

// The metrics of a method at N comparisons, named by ooMetric: the gold
// and proxy gain on the grid d = k·d_step (step k), and at step 0 the
// peak and final points and the gold fits of both forms.
const (
	ooGold      = "gold"       // gold gain at d = step·d_step
	ooProxy     = "proxy"      // proxy gain at d = step·d_step
	ooPeakGold  = "peak_gold"  // highest gold gain on the curve
	ooPeakD     = "peak_d"     // its d
	ooFinalGold = "final_gold" // gold gain at the curve's last point
	ooFinalProx = "final_proxy"
	ooFinalD    = "final_d"
	ooMaxD      = "max_d"   // the curve's largest d
	ooFirstD    = "first_d" // the d of the curve's first point (0 for best-of-1 and for the untrained policy)
	ooSeconds   = "seconds" // wall time of the method's curve (†)
)

// ooForms names the two functional forms in metric names.
var ooForms = []struct {
	key  string
	form prefs.Form
	desc string
}{{"bon", prefs.BoNForm, "BoN form d(α−βd)"}, {"rl", prefs.RLForm, "RL form d(α−β·log d)"}}

// ooMetric names metric m of the curve at n comparisons: "oo.N100.gold",
// "oo.N100.bon.held_rmse".
func ooMetric(n int, m string) string { return fmt.Sprintf("%s.N%d.%s", ooTag, n, m) }

// Overoptimization runs the reward-model overoptimization study.
var Overoptimization = lab.Experiment{
	Name: ooExp,
	Doc: "Reward-model overoptimization on an enumerable RLHF problem (task/prefs): per seed a base policy and a hidden gold reward, a Bradley–Terry proxy fitted to N comparisons for each N, then best-of-n against the proxy (exact, n = 1..max_n: direct), a KL-penalized policy-gradient policy over its training (amortized), best-of-n over that trained policy for n = 1..hybrid_n (hybrid) and SFT on best-of-n answers over the teacher's n (amortized, supervised). " +
		"Recorded per method and N: the exact gold and proxy gain interpolated onto the grid d = 0, d_step, … (d = sqrt(KL to the base policy)), the peak and final gold, and for both of Gao et al.'s forms the α, β and held-out RMSE of a fit to the gold gain on d ≤ fit_share·d_max.",
	Version: 1,
	Params: []lab.Param{
		{Name: "v", Kind: lab.Int, Doc: "vocabulary size of a response token", Quick: 4, Range: lab.Between(2, prefs.MaxV)},
		{Name: "l", Kind: lab.Int, Doc: "response length (V^L responses, at most 2^20)", Quick: 6, Range: lab.Between(1, 20)},
		{Name: "proxy", Kind: lab.String, Doc: "the proxy's features: bigram (token and adjacent-pair counts) or unigram (token counts only, blind to repetition)", Quick: "bigram"},
		{Name: "comparisons", Kind: lab.Ints, Doc: "numbers N of labelled comparisons the proxy is fitted to", MinLen: 1, Quick: []int{100, 3000}, Full: []int{100, 1000, 10000}, Range: lab.Between(1, 1e7)},
		{Name: "max_n", Kind: lab.Int, Doc: "largest n of the best-of-n sweep", Quick: 1000, Range: lab.Between(2, 1e6)},
		{Name: "klpg_beta", Kind: lab.Float, Doc: "KL coefficient β of the policy-gradient policy", Quick: 0.05, Range: lab.Between(0, 100)},
		{Name: "klpg_steps", Kind: lab.Int, Doc: "policy-gradient steps", Quick: 300, Range: lab.Between(1, 1e7)},
		{Name: "klpg_lr", Kind: lab.Float, Doc: "Adam's initial learning rate (decayed linearly to 0)", Quick: 0.02, Range: lab.Between(1e-9, 10)},
		{Name: "klpg_record", Kind: lab.Int, Doc: "record the policy's exact point every this many steps", Quick: 3, Range: lab.Between(1, 1e7)},
		{Name: "hybrid_n", Kind: lab.Int, Doc: "largest n of best-of-n over the trained KL-PG policy (the hybrid)", Quick: 64, Range: lab.Between(1, 1e6)},
		{Name: "sft_ns", Kind: lab.Ints, Doc: "teacher n of SFT on best-of-n answers", MinLen: 2, Quick: []int{2, 4, 8, 16, 32, 64, 128, 256, 512}, Range: lab.Between(1, 1e6)},
		{Name: "sft_samples", Kind: lab.Int, Doc: "teacher answers SFT fits per n", Quick: 2000, Range: lab.Between(1, 1e8)},
		{Name: "d_step", Kind: lab.Float, Doc: "spacing of the d grid the curves are recorded on", Quick: 0.1, Range: lab.Between(1e-3, 10)},
		{Name: "fit_share", Kind: lab.Float, Doc: "the forms are fitted on d ≤ fit_share·d_max and tested on the rest", Quick: 0.6, Range: lab.Between(0.05, 0.95)},
	},
	Seeds: [2]int{5, 8},
	Run:   runOveropt,
}

func init() {
	lab.Register(Overoptimization)
	register(Claim{Aspect: ooAspect, Experiments: []string{ooExp}, Summarize: summarizeOveropt})
}

// ooMethod is one optimizer of the study with the decider name and role
// its figures are recorded under.
type ooMethod struct {
	name   string
	role   argmax.Role
	method prefs.Method
}

// ooMethods returns the study's methods for a trial (seeds derived from
// the trial seed): best-of-n, KL-PG over training, best-of-n over the
// trained KL-PG policy, SFT on best-of-n.
func ooMethods(t *lab.Trial, p *prefs.Problem, proxy *prefs.Proxy, seeds [3]uint64) []ooMethod {
	kc := klpg.Config{Beta: t.Float("klpg_beta"), Steps: t.Int("klpg_steps"), LR: t.Float("klpg_lr"), Record: t.Int("klpg_record"), Seed: seeds[0]}
	ns := t.Ints("sft_ns")
	sc := klpg.SFTConfig{Samples: t.Int("sft_samples"), Seed: seeds[1]}
	return []ooMethod{
		{ooBoNName(t.Int("max_n")), argmax.Direct, bestofn.Sweep{MaxN: t.Int("max_n")}},
		{ooKLName(kc), argmax.Amortized, klpg.Trajectory{Config: kc}},
		{ooHybridName(kc, t.Int("hybrid_n")), argmax.Hybrid, rlbon.Sweep{Config: kc, MaxN: t.Int("hybrid_n")}},
		{ooSFTName(ns, sc.Samples), argmax.Amortized, klpg.SFTSweep{Ns: ns, Config: sc, Teacher: func(n int) (argmax.Decider[prefs.Prompt, int], error) {
			return bestofn.New[prefs.Prompt, int](p.Base(), proxy, bestofn.Config{N: n, Seed: seeds[2] ^ uint64(n)})
		}}},
	}
}

func ooBoNName(maxN int) string { return fmt.Sprintf("best-of-n:n=1..%d", maxN) }

func ooKLName(c klpg.Config) string {
	return fmt.Sprintf("kl-pg:beta=%g,steps=%d,lr=%g", c.Beta, c.Steps, c.LR)
}

func ooHybridName(c klpg.Config, maxN int) string {
	return fmt.Sprintf("best-of-n-over-kl-pg:beta=%g,steps=%d,n=1..%d", c.Beta, c.Steps, maxN)
}

func ooSFTName(ns []int, samples int) string {
	return fmt.Sprintf("sft-on-best-of-n:n=%d..%d,samples=%d", ns[0], ns[len(ns)-1], samples)
}

func runOveropt(ctx context.Context, t *lab.Trial) error {
	p, err := prefs.New(prefs.Config{V: t.Int("v"), L: t.Int("l"), Seed: t.Seed})
	if err != nil {
		return fmt.Errorf("%s: %w", ooExp, err)
	}
	rng := t.Rand(11)
	var seeds [3]uint64
	for i := range seeds {
		seeds[i] = rng.Uint64()
	}
	share, step := t.Float("fit_share"), t.Float("d_step")
	if err := t.ParamErr(); err != nil {
		return err
	}
	var pc prefs.ProxyConfig
	switch f := t.Text("proxy"); f {
	case "bigram":
	case "unigram":
		pc.Unigrams = true
	default:
		return fmt.Errorf("%s: proxy %q: want bigram or unigram", ooExp, f)
	}
	for _, n := range t.Ints("comparisons") {
		comps, err := p.Compare(n, rng.Uint64())
		if err != nil {
			return err
		}
		proxy, err := p.FitProxy(comps, pc)
		if err != nil {
			return err
		}
		for _, m := range ooMethods(t, p, proxy, seeds) {
			start := time.Now()
			pts, err := m.method.Curve(ctx, p, proxy)
			if err != nil {
				return fmt.Errorf("%s at N = %d: %w", m.name, n, err)
			}
			if len(pts) == 0 {
				return fmt.Errorf("%s at N = %d: empty curve", m.name, n)
			}
			t.TimingFor(m.name, m.role, ooMetric(n, ooSeconds), 0, time.Since(start).Seconds())
			recordCurve(t, m.name, m.role, n, pts, share, step)
		}
	}
	return nil
}

// recordCurve records one method's curve at n comparisons: the curve on
// the d grid, its peak and final points, and the fits of both forms to
// its gold gain on d ≤ share·d_max (prefs.FitCurve, as
// prefs.Overoptimization fits them). A form that the points with
// d ≤ share·d_max do not determine (a curve of few points) is not
// recorded, and its figures stay unmeasured.
func recordCurve(t *lab.Trial, name string, role argmax.Role, n int, pts []prefs.Point, share, step float64) {
	rec := func(m string, s int64, v float64) { t.RecordFor(name, role, ooMetric(n, m), s, v) }
	gold, proxy := ooGrid(pts, step)
	for k := range gold {
		rec(ooGold, int64(k), gold[k])
		rec(ooProxy, int64(k), proxy[k])
	}
	peak, maxD := pts[0], 0.0
	for _, pt := range pts {
		maxD = max(maxD, pt.D)
		if pt.Gold > peak.Gold {
			peak = pt
		}
	}
	final := pts[len(pts)-1]
	rec(ooMaxD, 0, maxD)
	rec(ooFirstD, 0, pts[0].D)
	rec(ooPeakGold, 0, peak.Gold)
	rec(ooPeakD, 0, peak.D)
	rec(ooFinalGold, 0, final.Gold)
	rec(ooFinalProx, 0, final.Proxy)
	rec(ooFinalD, 0, final.D)
	if !(maxD > 0) {
		return
	}
	for _, f := range ooForms {
		fit, err := prefs.FitCurve(pts, f.form, prefs.TargetGold, share*maxD)
		if err != nil {
			continue
		}
		rec(f.key+".alpha", 0, fit.Alpha)
		rec(f.key+".beta", 0, fit.Beta)
		rec(f.key+".fit_rmse", 0, fit.FitRMSE)
		if fit.NHeld > 0 {
			rec(f.key+".held_rmse", 0, fit.HeldRMSE)
		}
	}
}

// ooGrid interpolates a curve (in the order of its knob) onto the grid
// d = k·step, k = 0, 1, … up to its largest d: the value at grid d is
// read, linearly, on the first segment of the curve that reaches it. The
// curve starts from the base policy (d = 0, no gain) when its first point
// lies beyond: every policy at d = 0 is the base policy.
func ooGrid(pts []prefs.Point, step float64) (gold, proxy []float64) {
	if len(pts) == 0 || !(step > 0) {
		return nil, nil
	}
	if pts[0].D > 0 {
		pts = append([]prefs.Point{{}}, pts...)
	}
	k := 0
	at := func() float64 { return float64(k) * step }
	if pts[0].D >= at() {
		gold, proxy = append(gold, pts[0].Gold), append(proxy, pts[0].Proxy)
		k++
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		for b.D > a.D && at() <= b.D && at() >= a.D {
			w := (at() - a.D) / (b.D - a.D)
			gold = append(gold, a.Gold+w*(b.Gold-a.Gold))
			proxy = append(proxy, a.Proxy+w*(b.Proxy-a.Proxy))
			k++
		}
	}
	return gold, proxy
}

const ooClaim = "Optimizing a learned reward model overoptimizes it: the gold reward first rises then falls as the optimizer moves away from the base policy (d = sqrt(KL)), for best-of-n at answer time (direct) and for a KL-penalized policy trained once (amortized), worst with few comparisons; and the two follow different functional forms (Gao et al. 2022): best-of-n d(α − βd), RL d(α − β·log d)."

const ooRule = "At the smallest N, per seed: O = peak gold − final gold for best-of-n and for KL-PG; F_bon = held-out RMSE of the RL form − of the BoN form, for best-of-n; F_rl = held-out RMSE of the BoN form − of the RL form, for KL-PG (both forms fitted to the gold gain on d ≤ 0.6·d_max, tested on the rest of the curve); intervals over seeds. " +
	"Holds if O has a lower bound above 0 for both methods and F_bon and F_rl lower bounds above 0; does not hold if some O has an upper bound ≤ 0, or F_bon or F_rl has an upper bound below 0; otherwise inconclusive (and when a figure is unmeasured)."

// ooVerdict decides the overoptimization claim from O (peak − final
// gold) of best-of-n and of KL-PG and the form advantages F_bon, F_rl.
func ooVerdict(oBoN, oRL, fBoN, fRL lab.Figure) Verdict {
	all := []lab.Figure{oBoN, oRL, fBoN, fRL}
	for _, f := range all {
		if math.IsNaN(f.Value) || math.IsNaN(f.Lo) || math.IsNaN(f.Hi) {
			return Inconclusive
		}
	}
	if oBoN.Hi <= 0 || oRL.Hi <= 0 || fBoN.Hi < 0 || fRL.Hi < 0 {
		return DoesNotHold
	}
	holds := true
	for _, f := range all {
		holds = holds && f.Lo > 0
	}
	if holds {
		return Holds
	}
	return Inconclusive
}

// ooSeedFig is the figure over seeds of a per-seed difference of two of
// decider's metrics.
func ooSeedFig(ts []*store.Trial, name, decider, a, b string) lab.Figure {
	return perSeedFig(ts, name, func(seed []*store.Trial) float64 {
		return seedValue(seed, decider, a, 0) - seedValue(seed, decider, b, 0)
	})
}

// ooBetter names the form with the lower mean held-out RMSE.
func ooBetter(ts []*store.Trial, decider string, n int) string {
	bon := meanFig(ts, decider, ooMetric(n, "bon.held_rmse"), "", 0).Value
	rl := meanFig(ts, decider, ooMetric(n, "rl.held_rmse"), "", 0).Value
	switch {
	case math.IsNaN(bon) || math.IsNaN(rl):
		return "–"
	case bon < rl:
		return "BoN form"
	case rl < bon:
		return "RL form"
	}
	return "neither"
}

func summarizeOveropt(res *lab.Results) Row {
	row, ts := newRow(res, ooExp, ooAspect, "Reward-model overoptimization: best-of-n vs KL-regularized RL", ooClaim, ooRule)
	if len(ts) == 0 {
		return row
	}
	ns := slices.Clone(lab.ParamInts(ts[0], "comparisons"))
	slices.Sort(ns)
	if len(ns) == 0 {
		row.Why = "no comparison counts"
		return row
	}
	small, large := ns[0], ns[len(ns)-1]
	by := envDeciders(ts, ooMetric(small, ooPeakGold))
	bon, rl := firstWith(by[argmax.Direct], "best-of-n"), firstWith(by[argmax.Amortized], "kl-pg")
	sft := firstWith(by[argmax.Amortized], "sft-on-best-of-n")
	if bon == "" || rl == "" {
		row.Why = "needs best-of-n and the KL-PG policy"
		return row
	}
	o := func(d string) lab.Figure {
		f := ooSeedFig(ts, fmt.Sprintf("O = peak gold − final gold at N = %d", small), d, ooMetric(small, ooPeakGold), ooMetric(small, ooFinalGold))
		f.Decider, f.Role = d, roleIn(by, d)
		return f
	}
	oBoN, oRL := o(bon), o(rl)
	fBoN := ooSeedFig(ts, fmt.Sprintf("F_bon = held-out RMSE RL form − BoN form at N = %d", small), bon, ooMetric(small, "rl.held_rmse"), ooMetric(small, "bon.held_rmse")).For(bon, argmax.Direct)
	fRL := ooSeedFig(ts, fmt.Sprintf("F_rl = held-out RMSE BoN form − RL form at N = %d", small), rl, ooMetric(small, "bon.held_rmse"), ooMetric(small, "rl.held_rmse")).For(rl, argmax.Amortized)
	row.Figures = append(row.Figures, oBoN, oRL, fBoN, fRL)
	row.Verdict = ooVerdict(oBoN, oRL, fBoN, fRL)
	row.Why = fmt.Sprintf("at N = %d: best-of-n O = %s, F_bon = %s (better fit: %s); KL-PG O = %s, F_rl = %s (better fit: %s)",
		small, oBoN.Text(), fBoN.Text(), ooBetter(ts, bon, small), oRL.Text(), fRL.Text(), ooBetter(ts, rl, small))

	cell := func(d string, n int) string {
		m := func(k string) string { return meanFig(ts, d, ooMetric(n, k), "", 0).Text() }
		txt := fmt.Sprintf("%s at N = %d: gold peak %s at d %s, final %s", strings.SplitN(d, ":", 2)[0], n, m(ooPeakGold), m(ooPeakD), m(ooFinalGold))
		if math.IsNaN(meanFig(ts, d, ooMetric(n, "bon.held_rmse"), "", 0).Value) && math.IsNaN(meanFig(ts, d, ooMetric(n, "rl.held_rmse"), "", 0).Value) {
			return txt + " (its curve starts at the trained policy's d: no fit)"
		}
		return txt + fmt.Sprintf("; held-out RMSE BoN form %s, RL form %s", m("bon.held_rmse"), m("rl.held_rmse"))
	}
	row.Direct = Cell{Figure: cell(bon, small)}
	row.Amortized = Cell{Figure: cell(rl, small)}
	if sft != "" {
		row.Amortized.Figure += "; " + cell(sft, small)
	}
	if h := firstWith(by[argmax.Hybrid], "best-of-n-over-kl-pg"); h != "" {
		row.Hybrid = Cell{Figure: cell(h, small)}
	}

	deciders := lab.Deciders(ts, ooMetric(small, ooPeakGold))
	sec := row.Section
	curve := report.Table{Caption: "Gold gain over the base policy: peak (and its d) and at the curve's end, proxy gain at the end, mean over seeds [95%]", Header: []string{"N", "method", "role", "peak gold", "d at peak", "final gold", "final proxy", "final d"}}
	fits := report.Table{Caption: fmt.Sprintf("Fits of both forms to the gold gain on d ≤ %g·d_max, mean over seeds [95%%]: α, β, RMSE on the fitted points and on the held-out rest", lab.ParamFloat(ts[0], "fit_share")),
		Header: []string{"N", "method", "form", "α", "β", "fit RMSE", "held-out RMSE"}}
	for _, n := range ns {
		for _, d := range deciders {
			m := func(k string) lab.Figure {
				f := meanFig(ts, d.Decider, ooMetric(n, k), "", 0)
				f.Name, f.Decider, f.Role = fmt.Sprintf("%s at N = %d", k, n), d.Decider, d.Role
				return f
			}
			pg, fg := m(ooPeakGold), m(ooFinalGold)
			row.Figures = append(row.Figures, pg, fg)
			curve.Rows = append(curve.Rows, []string{fmt.Sprint(n), d.Decider, string(d.Role), pg.Text(), m(ooPeakD).Text(), fg.Text(), m(ooFinalProx).Text(), m(ooFinalD).Text()})
			for _, f := range ooForms {
				held := m(f.key + ".held_rmse")
				row.Figures = append(row.Figures, held)
				fits.Rows = append(fits.Rows, []string{fmt.Sprint(n), d.Decider, f.desc, m(f.key + ".alpha").Text(), m(f.key + ".beta").Text(), m(f.key + ".fit_rmse").Text(), held.Text()})
			}
		}
	}
	sec.Tables = append(sec.Tables, curve, fits)
	step := lab.ParamFloat(ts[0], "d_step")
	for _, n := range ooUniq(small, large) {
		gp := report.Chart{Title: fmt.Sprintf("Gold and proxy gain against d at N = %d comparisons", n), XLabel: "d = sqrt(KL to the base policy)", YLabel: "reward gain over the base policy (gold in units of its base std)",
			Caption: "Mean over seeds with 95% bands; each seed's exact curve interpolated onto a grid of d (a point averages the seeds whose curve reaches it)."}
		fc := report.Chart{Title: fmt.Sprintf("Gold gain and the fitted forms at N = %d", n), XLabel: "d = sqrt(KL to the base policy)", YLabel: "gold gain",
			Caption: fmt.Sprintf("Dashed: each form with α, β averaged over seeds, fitted on d ≤ %g·d_max.", lab.ParamFloat(ts[0], "fit_share"))}
		for _, d := range deciders {
			short := strings.SplitN(d.Decider, ":", 2)[0]
			gold := ooSeries(ts, d.Decider, ooMetric(n, ooGold), step, short+" gold")
			gp.Series = append(gp.Series, gold, ooSeries(ts, d.Decider, ooMetric(n, ooProxy), step, short+" proxy"))
			if d.Decider == sft {
				continue
			}
			fc.Series = append(fc.Series, gold)
			maxD := meanFig(ts, d.Decider, ooMetric(n, ooMaxD), "", 0).Value
			for _, f := range ooForms {
				fit := prefs.Fit{Form: f.form, Alpha: meanFig(ts, d.Decider, ooMetric(n, f.key+".alpha"), "", 0).Value, Beta: meanFig(ts, d.Decider, ooMetric(n, f.key+".beta"), "", 0).Value}
				s := report.Series{Name: short + " " + f.desc, Fit: true}
				for x := 0.0; x <= maxD+1e-9; x += step / 2 {
					s.Points = append(s.Points, report.P(x, fit.Predict(x)))
				}
				fc.Series = append(fc.Series, s)
			}
		}
		sec.Charts = drawable(sec.Charts, gp, fc)
	}
	sec.Text = fmt.Sprintf("Problem: responses of %d tokens from a vocabulary of %d, a seeded autoregressive base policy and a seeded gold reward (standardized under the base policy) with terms the proxy's token and bigram features cannot represent; a new problem per seed. ",
		int(lab.ParamFloat(ts[0], "l")), int(lab.ParamFloat(ts[0], "v"))) +
		"The proxy is a Bradley–Terry fit to N comparisons of base-policy samples labelled by the gold reward. Best-of-n is computed exactly for n = 1.." + fmt.Sprint(int(lab.ParamFloat(ts[0], "max_n"))) +
		"; the KL-PG policy (REINFORCE with a KL penalty to the base policy, tabular autoregressive, from the base policy) is read off every few training steps; the hybrid draws best-of-n's candidates from the trained KL-PG policy instead of π_base (n = 1 is the policy itself); SFT fits the same tabular family to best-of-n answers for each teacher n. Every reward and KL is an exact sum over the enumerated responses."
	row.Section = sec
	return row
}

// ooUniq returns its arguments without repeats, in order.
func ooUniq(xs ...int) []int {
	var out []int
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ooSeries is the series of decider's metric on the d grid (step k at
// d = k·step), mean over seeds with its 95% band.
func ooSeries(ts []*store.Trial, decider, metric string, step float64, name string) report.Series {
	s := report.Series{Name: name}
	for _, k := range lab.StepsOf(ts, decider, metric) {
		f := meanFig(ts, decider, metric, "", k)
		if math.IsNaN(f.Value) {
			continue
		}
		s.Points = append(s.Points, report.Point{X: float64(k) * step, Y: f.Value, Lo: f.Lo, Hi: f.Hi})
	}
	return s
}
