package claims

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"argmax"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
	"argmax/probe/icl"
	"argmax/task"
	"argmax/task/linreg"
)

// A learned optimizer inside a forward pass (after von Oswald et al.
// 2023): one linear self-attention layer (LSA) trained on in-context
// linear regression prompts (task/linreg) is an amortized solver — one
// forward pass per prompt — and probe/icl compares it on held-out prompts
// with direct references run on the same prompt: k tuned steps of
// gradient descent, ridge, least squares. The claim is that what it
// learned is an optimizer: one tuned GD step. Beside it, the task-
// diversity sweep (Raventós et al. 2023): a small transformer trained
// with M distinct tasks tracks the pool's posterior mean (dMMSE, lookup)
// at small M and ridge (in-context regression) at large M.

const (
	iclExp       = "claims/icl"
	iclAspect    = "learned optimizer (in-context regression)"
	iclDivAspect = "task diversity (in-context regression)"
	iclTag       = "icl"
)

// Deciders and metrics of the ICL trials. The LSA (and the scratchpad
// LSA) record their query loss; each reference records its own query loss
// and, against each model, the prediction distance and cosine, the
// sensitivity cosine and whether it is the model's nearest reference.
const (
	iclLSA      = "lsa"            // one trained LSA layer
	iclPad      = "lsa-passes"     // the scratchpad LSA: the same layer for several passes (name gets "=T")
	iclTF       = "transformer"    // the diversity sweep's model
	iclHybrid   = "lsa+gd"         // the LSA's answer refined by one tuned GD step on the prompt
	iclTFHybrid = "transformer+gd" // the transformer's answer refined the same way
	miLoss      = ".loss"          // query loss, mean (ŷ − wᵀx_q)²
	miZeroLoss  = ".zero_loss"     // the zero predictor's query loss, mean (wᵀx_q)²
	miDist      = ".dist"          // prediction distance of the model to the reference
	miPredCos   = ".pred_cos"      // cosine of the predictions
	miSensCos   = ".sens_cos"      // mean cosine of ∂ŷ/∂x_q
	miNearest   = ".nearest"       // 1 when the reference is the model's nearest
	miFinalLoss = ".train_loss"    // training loss of the last tenth of the steps
	miFresh     = ".fresh"         // diversity figures on prompts with fresh w
	miPool      = ".pool"          // on prompts with w from the training pool
	miToDMMSE   = "_dmmse"         // prediction distance to dMMSE
	miToRidge   = "_ridge"         // to ridge
	iclSeconds  = ".seconds"       // training wall time (†)
)

// ICL runs the in-context regression probes.
var ICL = lab.Experiment{
	Name: iclExp,
	Doc: "In-context linear regression (task/linreg): per seed one linear self-attention layer is trained by Adam on prompts of n pairs (x, wᵀx) and compared on held-out prompts (probe/icl) with tuned GD steps 1..gd_steps, ridge and least squares: query loss, prediction distance and cosine, sensitivity cosine, nearest reference; optionally the same layer applied for several passes (scratchpad). " +
		"Then the task-diversity sweep: a small transformer trained with M distinct training tasks for each M of div_tasks (0 = ∞), its prediction distance to dMMSE and to ridge on prompts with fresh w and with w from the pool.",
	Version: 1,
	Params: []lab.Param{
		{Name: "d", Kind: lab.Int, Doc: "input dimension of the LSA's prompts", Quick: 10, Range: lab.Between(1, 1000)},
		{Name: "n", Kind: lab.Int, Doc: "examples per prompt", Quick: 20, Range: lab.Between(1, 10000)},
		{Name: "noise", Kind: lab.Float, Doc: "label noise σ of the LSA's prompts", Quick: 0.0, Range: lab.Between(0, 100)},
		{Name: "lsa_steps", Kind: lab.Int, Doc: "Adam steps of the LSA", Quick: 600, Full: 1500, Range: lab.Between(1, 1e8)},
		{Name: "lsa_batch", Kind: lab.Int, Doc: "prompts per Adam step", Quick: 128, Full: 256, Range: lab.Between(1, 1e6)},
		{Name: "lsa_lr", Kind: lab.Float, Doc: "peak learning rate (warmup, cosine decay)", Quick: 0.02, Full: 0.01, Range: lab.Between(1e-9, 10)},
		{Name: "gd_steps", Kind: lab.Int, Doc: "the references include k tuned GD steps for k = 1..gd_steps", Quick: 3, Range: lab.Between(1, 100)},
		{Name: "tune", Kind: lab.Int, Doc: "training prompts the GD step sizes are tuned on", Quick: 1000, Range: lab.Between(2, 1e7)},
		{Name: "eval", Kind: lab.Int, Doc: "held-out prompts the models are compared on", Quick: 2000, Range: lab.Between(2, 1e7)},
		{Name: "passes", Kind: lab.Int, Doc: "forward passes of the scratchpad LSA (0: none)", Quick: 0, Full: 2, Range: lab.Between(0, 20)},
		{Name: "pad_steps", Kind: lab.Int, Doc: "Adam steps of the scratchpad LSA", Quick: 800, Full: 1500, Range: lab.Between(1, 1e8)},
		{Name: "pad_batch", Kind: lab.Int, Doc: "prompts per step of the scratchpad LSA", Quick: 64, Full: 128, Range: lab.Between(1, 1e6)},
		{Name: "pad_lr", Kind: lab.Float, Doc: "peak learning rate of the scratchpad LSA", Quick: 0.005, Full: 0.0025, Range: lab.Between(1e-9, 10)},
		{Name: "pad_init_std", Kind: lab.Float, Doc: "standard deviation of the scratchpad LSA's initial weights", Quick: 0.1, Full: 0.05, Range: lab.Between(1e-9, 10)},
		{Name: "div_tasks", Kind: lab.Ints, Doc: "numbers M of distinct training tasks of the diversity sweep (0 = ∞, a fresh w per prompt; empty: no sweep)",
			Quick: []int{1, 64, 0}, Full: []int{1, 2, 4, 8, 16, 32, 64, 256, 1024, 0}, Range: lab.Between(0, 1e9)},
		{Name: "div_d", Kind: lab.Int, Doc: "input dimension of the diversity sweep", Quick: 5, Range: lab.Between(1, 1000)},
		{Name: "div_n", Kind: lab.Int, Doc: "examples per prompt of the diversity sweep", Quick: 10, Range: lab.Between(1, 10000)},
		{Name: "div_noise", Kind: lab.Float, Doc: "label noise σ of the diversity sweep", Quick: 0.5, Range: lab.Between(0, 100)},
		{Name: "div_steps", Kind: lab.Int, Doc: "Adam steps of each transformer", Quick: 1000, Full: 2000, Range: lab.Between(1, 1e8)},
		{Name: "div_batch", Kind: lab.Int, Doc: "prompts per step of each transformer", Quick: 64, Range: lab.Between(1, 1e6)},
		{Name: "div_lr", Kind: lab.Float, Doc: "peak learning rate of each transformer", Quick: 2e-3, Range: lab.Between(1e-9, 10)},
		{Name: "div_dim", Kind: lab.Int, Doc: "transformer width", Quick: 32, Range: lab.Between(1, 4096)},
		{Name: "div_layers", Kind: lab.Int, Doc: "transformer blocks", Quick: 2, Range: lab.Between(1, 64)},
		{Name: "div_eval", Kind: lab.Int, Doc: "evaluation prompts per distribution of the diversity sweep", Quick: 500, Range: lab.Between(2, 1e7)},
	},
	Seeds: [2]int{5, 8},
	Run:   runICL,
}

func init() {
	lab.Register(ICL)
	register(Claim{Aspect: iclAspect, Experiments: []string{iclExp}, Summarize: summarizeICL})
	register(Claim{Aspect: iclDivAspect, Experiments: []string{iclExp}, Summarize: summarizeDiversity})
}

// iclM returns the metric name of a model's figure: "icl.lsa.dist".
func iclM(model, m string) string { return iclTag + "." + model + m }

// padName is the scratchpad model's decider name at T passes.
func padName(passes int) string { return fmt.Sprintf("%s=%d", iclPad, passes) }

func runICL(ctx context.Context, t *lab.Trial) error {
	rng := t.Rand(13)
	seeds := make([]uint64, 6)
	for i := range seeds {
		seeds[i] = rng.Uint64()
	}
	tc := linreg.Config{D: t.Int("d"), N: t.Int("n"), Noise: t.Float("noise")}
	if err := t.ParamErr(); err != nil {
		return err
	}
	tk, err := linreg.New(tc)
	if err != nil {
		return fmt.Errorf("%s: %w", iclExp, err)
	}
	refs, err := icl.References(tk, tk.Prompts(task.Train, seeds[0], 0, t.Int("tune")), t.Int("gd_steps"))
	if err != nil {
		return err
	}
	ev := tk.Prompts(task.HeldOut, seeds[1], 0, t.Int("eval"))
	zero := 0.0
	for i := range ev {
		zero += ev[i].Target() * ev[i].Target()
	}
	t.Record(iclTag+miZeroLoss, zero/float64(len(ev)))
	for _, r := range refs {
		t.RecordFor(r.Name(), argmax.Direct, iclTag+miLoss, 0, icl.QueryLoss(r, ev))
	}
	models := []struct {
		name string
		cfg  icl.LSAConfig
	}{{iclLSA, icl.LSAConfig{Config: icl.Config{Task: tc, Steps: t.Int("lsa_steps"), Batch: t.Int("lsa_batch"), LR: t.Float("lsa_lr"), Seed: seeds[2]}}}}
	if T := t.Int("passes"); T > 0 {
		models = append(models, struct {
			name string
			cfg  icl.LSAConfig
		}{padName(T), icl.LSAConfig{Config: icl.Config{Task: tc, Steps: t.Int("pad_steps"), Batch: t.Int("pad_batch"), LR: t.Float("pad_lr"), Seed: seeds[3]}, Passes: T, InitStd: t.Float("pad_init_std")}})
	}
	for _, mc := range models {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := time.Now()
		m, curve, err := icl.TrainLSA(mc.cfg)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", iclExp, mc.name, err)
		}
		t.TimingFor(mc.name, argmax.Amortized, iclTag+iclSeconds, 0, time.Since(start).Seconds())
		rep := icl.Compare(m, refs, ev)
		t.RecordFor(mc.name, argmax.Amortized, iclTag+miLoss, 0, rep.Loss)
		t.RecordFor(mc.name, argmax.Amortized, iclTag+miFinalLoss, 0, iclTail(curve))
		if mc.name == iclLSA {
			tuning := tk.Prompts(task.Train, seeds[0], 0, t.Int("tune"))
			t.RecordFor(iclHybrid, argmax.Hybrid, iclTag+miLoss, 0, icl.RefinedLoss(m, tuning, ev))
		}
		for _, row := range rep.Rows {
			rec := func(m string, v float64) { t.RecordFor(row.Reference, argmax.Direct, iclM(mc.name, m), 0, v) }
			rec(miDist, row.PredDist)
			rec(miPredCos, row.PredCos)
			rec(miSensCos, row.SensCos)
			rec(miNearest, iclBool(row.Reference == rep.Nearest))
		}
	}
	ms := t.Ints("div_tasks")
	if len(ms) == 0 {
		return nil
	}
	cfg := icl.DiversityConfig{
		Model: icl.TransformerConfig{Config: icl.Config{Task: linreg.Config{D: t.Int("div_d"), N: t.Int("div_n"), Noise: t.Float("div_noise"), PoolSeed: seeds[4]},
			Steps: t.Int("div_steps"), Batch: t.Int("div_batch"), LR: t.Float("div_lr"), Seed: seeds[5]}, Dim: t.Int("div_dim"), Layers: t.Int("div_layers")},
		Tasks: ms, Eval: t.Int("div_eval"), EvalSeed: seeds[1],
	}
	start := time.Now()
	pts, err := icl.Diversity(cfg)
	if err != nil {
		return fmt.Errorf("%s: diversity: %w", iclExp, err)
	}
	t.TimingFor(iclTF, argmax.Amortized, iclTag+".div"+iclSeconds, 0, time.Since(start).Seconds())
	for _, p := range pts {
		rec := func(m string, v float64) {
			if !math.IsNaN(v) {
				t.RecordFor(iclTF, argmax.Amortized, iclTag+".div"+m, int64(p.Tasks), v)
			}
		}
		rec(miFinalLoss, p.FinalLoss)
		rec(miFresh+miToDMMSE, p.FreshDMMSE)
		rec(miFresh+miToRidge, p.FreshRidge)
		rec(miFresh+miLoss, p.FreshLoss)
		rec(miPool+miToDMMSE, p.PoolDMMSE)
		rec(miPool+miToRidge, p.PoolRidge)
		rec(miPool+miLoss, p.PoolLoss)
		t.RecordFor(iclTFHybrid, argmax.Hybrid, iclTag+".div"+miFresh+miLoss, int64(p.Tasks), p.FreshRefined)
		if err := recordDivRefs(t, cfg, p.Tasks); err != nil {
			return err
		}
	}
	return nil
}

// recordDivRefs records the query losses of the direct references of the
// diversity sweep at M = m — ridge and, with a pool, dMMSE — on the same
// evaluation prompts as the transformer's.
func recordDivRefs(t *lab.Trial, cfg icl.DiversityConfig, m int) error {
	tc := cfg.Model.Task
	tc.Tasks = m
	tk, err := linreg.New(tc)
	if err != nil {
		return err
	}
	sigma := tk.Config().Noise
	refs := []icl.Reference{{Label: "ridge", Weights: func(p *linreg.Prompt) []float64 { return linreg.Ridge(p, sigma*sigma) }}}
	if pool := tk.Pool(); pool != nil {
		refs = append(refs, icl.DMMSEReference(pool, sigma))
	}
	fresh := tk.Prompts(task.HeldOut, cfg.EvalSeed, 0, cfg.Eval)
	pool := tk.Prompts(task.Train, cfg.EvalSeed, 0, cfg.Eval)
	for _, r := range refs {
		t.RecordFor(r.Name(), argmax.Direct, iclTag+".div"+miFresh+miLoss, int64(m), icl.QueryLoss(r, fresh))
		t.RecordFor(r.Name(), argmax.Direct, iclTag+".div"+miPool+miLoss, int64(m), icl.QueryLoss(r, pool))
	}
	return nil
}

// iclTail is the mean of the last tenth of a loss curve.
func iclTail(c []float64) float64 {
	if len(c) == 0 {
		return math.NaN()
	}
	return stats.Mean(c[len(c)-max(len(c)/10, 1):])
}

func iclBool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

const iclClaim = "An amortized solver can be a learned optimizer: one linear self-attention layer trained on in-context linear regression answers each prompt in one forward pass, and what that pass computes is one step of gradient descent with the tuned step size — not least squares or ridge, the exact solvers (von Oswald et al. 2023)."

const iclRule = "On held-out prompts, per seed: R = the LSA's query loss / the query loss of one GD step with its step size tuned on training prompts (gd1), C_pred and C_sens = the cosines of the LSA's predictions and of its sensitivities ∂ŷ/∂x_q with gd1's, and whether gd1 is the nearest reference by prediction distance (among GD steps 1..K, ridge, least squares); intervals over seeds. " +
	"Holds if R's interval lies within [0.95, 1.05], C_pred's and C_sens's lower bounds are ≥ 0.99, and gd1 is the nearest reference in every seed; " +
	"does not hold if R's interval lies outside [0.95, 1.05], or C_pred's or C_sens's upper bound is below 0.99, or gd1 is the nearest in fewer than half the seeds; otherwise inconclusive (and when unmeasured)."

// iclVerdict decides the learned-optimizer claim from the loss ratio R,
// the two cosines and the share of seeds whose nearest reference is gd1.
func iclVerdict(r, predCos, sensCos lab.Figure, nearest float64) Verdict {
	for _, f := range []lab.Figure{r, predCos, sensCos} {
		if math.IsNaN(f.Value) || math.IsNaN(f.Lo) || math.IsNaN(f.Hi) {
			return Inconclusive
		}
	}
	if math.IsNaN(nearest) {
		return Inconclusive
	}
	const lo, hi, cos = 0.95, 1.05, 0.99
	switch {
	case r.Hi < lo || r.Lo > hi || predCos.Hi < cos || sensCos.Hi < cos || nearest < 0.5:
		return DoesNotHold
	case r.Lo >= lo && r.Hi <= hi && predCos.Lo >= cos && sensCos.Lo >= cos && nearest == 1:
		return Holds
	}
	return Inconclusive
}

// iclRatioFig is the per-seed ratio of a's metric to b's, over seeds.
func iclRatioFig(ts []*store.Trial, name, a, ma, b, mb string) lab.Figure {
	return perSeedFig(ts, name, func(seed []*store.Trial) float64 {
		return seedValue(seed, a, ma, 0) / seedValue(seed, b, mb, 0)
	})
}

func summarizeICL(res *lab.Results) Row {
	row, ts := newRow(res, iclExp, iclAspect, "A learned optimizer inside a forward pass (in-context regression)", iclClaim, iclRule)
	if len(ts) == 0 {
		return row
	}
	gd1 := icl.GDName(1)
	dist := iclM(iclLSA, miDist)
	if len(lab.ValuesOf(ts, gd1, dist, 0)) == 0 {
		row.Why = "needs the LSA and the gd1 reference"
		return row
	}
	r := iclRatioFig(ts, "R = LSA query loss / gd1 query loss", iclLSA, iclTag+miLoss, gd1, iclTag+miLoss).For(iclLSA, argmax.Amortized)
	pc := meanFig(ts, gd1, iclM(iclLSA, miPredCos), "", 0)
	pc.Name = "prediction cosine LSA vs gd1"
	sc := meanFig(ts, gd1, iclM(iclLSA, miSensCos), "", 0)
	sc.Name = "sensitivity cosine LSA vs gd1"
	near := lab.ValuesOf(ts, gd1, iclM(iclLSA, miNearest), 0)
	share := math.NaN()
	if len(near) > 0 {
		share = stats.Mean(near)
	}
	row.Figures = append(row.Figures, r, pc.For(gd1, argmax.Direct), sc.For(gd1, argmax.Direct),
		lab.Figure{Name: "share of seeds whose nearest reference is gd1", Decider: gd1, Role: argmax.Direct, Value: share, Lo: share, Hi: share, N: len(near), Unit: "share"})
	row.Verdict = iclVerdict(r, pc, sc, share)
	nearest := nearestCounts(ts, iclLSA)
	row.Why = fmt.Sprintf("R = %s; C_pred = %s, C_sens = %s; nearest reference per seed: %s", r.Text(), pc.Text(), sc.Text(), nearest)

	lsaLoss := meanFig(ts, iclLSA, iclTag+miLoss, "", 0)
	zero := lab.CI(ts, iclTag+miZeroLoss, 0)
	row.Amortized = Cell{Figure: fmt.Sprintf("lsa (1 pass): query loss %s, %s × gd1's; cosine with gd1 %s (pred), %s (sens); nearest %s",
		lsaLoss.Text(), r.Text(), pc.Text(), sc.Text(), nearest)}
	row.Direct = Cell{Figure: fmt.Sprintf("gd1 (tuned step): query loss %s; least squares %s; zero predictor %s",
		meanFig(ts, gd1, iclTag+miLoss, "", 0).Text(), meanFig(ts, "ls", iclTag+miLoss, "", 0).Text(), lab.FormatCI(zero))}
	for _, d := range lab.Deciders(ts, iclTag+miLoss) {
		var passes int
		if _, err := fmt.Sscanf(d.Decider, iclPad+"=%d", &passes); err != nil || passes < 1 {
			continue
		}
		gdT := icl.GDName(passes)
		row.Amortized.Figure += fmt.Sprintf("; %s (scratchpad): query loss %s, %s × %s's; nearest %s",
			d.Decider, meanFig(ts, d.Decider, iclTag+miLoss, "", 0).Text(), iclRatioFig(ts, "", d.Decider, iclTag+miLoss, gdT, iclTag+miLoss).Text(), gdT, nearestCounts(ts, d.Decider))
	}
	if f := geoFig(ts, iclLSA, iclTag+iclSeconds, "s", 0); !math.IsNaN(f.Value) {
		row.Amortized.Timing = "training " + dur(f.Value)
	}
	if h := meanFig(ts, iclHybrid, iclTag+miLoss, "", 0); !math.IsNaN(h.Value) {
		gd2 := icl.GDName(2)
		hr := iclRatioFig(ts, "hybrid query loss / gd2's", iclHybrid, iclTag+miLoss, gd2, iclTag+miLoss)
		h.Name = "query loss of the LSA refined by one tuned GD step"
		row.Figures = append(row.Figures, h.For(iclHybrid, argmax.Hybrid))
		row.Hybrid = Cell{Figure: fmt.Sprintf("lsa + 1 tuned GD step from its implied weights: query loss %s, %s × gd2's", h.Text(), hr.Text())}
	}

	sec := row.Section
	var models []lab.DeciderRole
	for _, d := range lab.Deciders(ts, iclTag+miLoss) {
		if d.Role == argmax.Amortized {
			models = append(models, d)
		}
	}
	refs := lab.Deciders(ts, dist)
	for _, m := range models {
		tab := report.Table{Caption: fmt.Sprintf("%s against every reference on held-out prompts, mean over seeds [95%%]: prediction distance (mean squared difference), prediction cosine, sensitivity cosine, the reference's own query loss, and the share of seeds where it is the nearest. The model's query loss: %s; its final training loss %s.",
			m.Decider, meanFig(ts, m.Decider, iclTag+miLoss, "", 0).Text(), meanFig(ts, m.Decider, iclTag+miFinalLoss, "", 0).Text()),
			Header: []string{"reference", "prediction distance", "prediction cosine", "sensitivity cosine", "reference loss", "model loss / reference loss", "nearest"}}
		for _, ref := range refs {
			f := func(k string) lab.Figure { return meanFig(ts, ref.Decider, iclM(m.Decider, k), "", 0) }
			ratio := iclRatioFig(ts, "", m.Decider, iclTag+miLoss, ref.Decider, iclTag+miLoss)
			if ref.Decider == "ridge" || ref.Decider == "ls" {
				if l := meanFig(ts, ref.Decider, iclTag+miLoss, "", 0); l.Hi < 1e-12 {
					ratio = lab.Figure{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()} // exact solvers of noiseless prompts: no ratio
				}
			}
			d := f(miDist)
			d.Name = fmt.Sprintf("prediction distance %s vs %s", m.Decider, ref.Decider)
			row.Figures = append(row.Figures, d.For(ref.Decider, ref.Role))
			tab.Rows = append(tab.Rows, []string{ref.Decider, d.Text(), f(miPredCos).Text(), f(miSensCos).Text(),
				meanFig(ts, ref.Decider, iclTag+miLoss, "", 0).Text(), iclText(ratio), pct(stats.Interval{Est: f(miNearest).Value, Lo: f(miNearest).Value, Hi: f(miNearest).Value})})
		}
		sec.Tables = append(sec.Tables, tab)
	}
	loss := report.Chart{Title: "Query loss on held-out prompts: tuned GD steps against the learned models", XLabel: "GD steps k (the models drawn flat across)", YLabel: "query loss, mean (ŷ − wᵀx_q)²",
		Caption: "Mean over seeds with 95% bands. The direct references: k steps of gradient descent from w = 0, each k with its own tuned step size. Flat lines: the one-pass LSA, the scratchpad model and the hybrid (the LSA refined by one tuned GD step), which do not depend on k."}
	gd := report.Series{Name: "tuned GD, k steps"}
	var ks []float64
	for k := 1; ; k++ {
		f := meanFig(ts, icl.GDName(k), iclTag+miLoss, "", 0)
		if math.IsNaN(f.Value) {
			break
		}
		ks = append(ks, float64(k))
		gd.Points = append(gd.Points, report.Point{X: float64(k), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
	}
	loss.Series = append(loss.Series, gd)
	for _, d := range lab.Deciders(ts, iclTag+miLoss) {
		if d.Role == argmax.Direct {
			continue
		}
		f := meanFig(ts, d.Decider, iclTag+miLoss, "", 0)
		s := report.Series{Name: d.Decider}
		for _, k := range ks {
			s.Points = append(s.Points, report.Point{X: k, Y: f.Value, Lo: f.Lo, Hi: f.Hi})
		}
		loss.Series = append(loss.Series, s)
	}
	sec.Charts = drawable(sec.Charts, loss)
	sec.Text = fmt.Sprintf("Prompts: d = %d, n = %d, σ = %g, w ~ N(0, I) fresh per prompt; the LSA is trained by Adam for %d steps of %d prompts (peak rate %g), a new training seed, tuning sample and held-out set per seed, and compared on %d held-out prompts. ",
		int(lab.ParamFloat(ts[0], "d")), int(lab.ParamFloat(ts[0], "n")), lab.ParamFloat(ts[0], "noise"), int(lab.ParamFloat(ts[0], "lsa_steps")), int(lab.ParamFloat(ts[0], "lsa_batch")), lab.ParamFloat(ts[0], "lsa_lr"), int(lab.ParamFloat(ts[0], "eval"))) +
		"The references are direct: each GD step size is tuned on training prompts to the least query loss, ridge uses λ = σ² (the posterior mean), least squares the normal equations; with σ = 0 and n > d ridge and least squares recover w exactly. " +
		"The scratchpad model, when run, applies the same layer for several passes and is trained end to end: optimization across forward passes, compared with T tuned GD steps."
	row.Section = sec
	return row
}

// iclText renders a figure, or "–" when it is unmeasured.
func iclText(f lab.Figure) string {
	if math.IsNaN(f.Value) {
		return "–"
	}
	return f.Text()
}

// nearestCounts says how many seeds had each reference as the model's
// nearest: "gd1 in 5 of 5".
func nearestCounts(ts []*store.Trial, model string) string {
	seeds := perSeed(ts)
	var parts []string
	for _, ref := range lab.Deciders(ts, iclM(model, miNearest)) {
		k := 0
		for _, seed := range seeds {
			if seedValue(seed, ref.Decider, iclM(model, miNearest), 0) == 1 {
				k++
			}
		}
		if k > 0 {
			parts = append(parts, fmt.Sprintf("%s in %d of %d", ref.Decider, k, len(seeds)))
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, ", ")
}

const iclDivClaim = "With few distinct training tasks a transformer trained on in-context regression amortizes a lookup of its training pool (it tracks dMMSE, the pool's posterior mean); with many it learns a general regression algorithm (it tracks ridge, optimal for fresh tasks) — the transition of Raventós et al. 2023."

const iclDivRule = "On prompts with fresh w, per seed and M: Δ(M) = prediction distance to dMMSE − prediction distance to ridge; intervals over seeds, at the smallest M and at the largest finite M of the sweep (at M = ∞ there is no pool and no dMMSE). " +
	"Holds if Δ at the smallest M has an upper bound below 0 (nearer dMMSE) and Δ at the largest finite M a lower bound above 0 (nearer ridge); does not hold if Δ at the smallest M has a lower bound above 0 or Δ at the largest finite M an upper bound below 0; otherwise inconclusive (and when fewer than two finite M were measured)."

// divVerdict decides the diversity claim from Δ at the smallest and at
// the largest finite M.
func divVerdict(small, large lab.Figure) Verdict {
	for _, f := range []lab.Figure{small, large} {
		if math.IsNaN(f.Value) || math.IsNaN(f.Lo) || math.IsNaN(f.Hi) {
			return Inconclusive
		}
	}
	switch {
	case small.Lo > 0 || large.Hi < 0:
		return DoesNotHold
	case small.Hi < 0 && large.Lo > 0:
		return Holds
	}
	return Inconclusive
}

// divX is the chart abscissa of M: log2 M, and ∞ (M = 0) one step of
// 2 beyond the largest finite M.
func divX(m int64, ms []int64) float64 {
	if m > 0 {
		return math.Log2(float64(m))
	}
	top := 0.0
	for _, x := range ms {
		if x > 0 {
			top = max(top, math.Log2(float64(x)))
		}
	}
	return top + 2
}

func summarizeDiversity(res *lab.Results) Row {
	row, ts := newRow(res, iclExp, iclDivAspect, "Task diversity: from lookup to in-context regression", iclDivClaim, iclDivRule)
	if len(ts) == 0 {
		return row
	}
	fd, fr := iclTag+".div"+miFresh+miToDMMSE, iclTag+".div"+miFresh+miToRidge
	ms := lab.StepsOf(ts, iclTF, fr)
	var finite []int64
	for _, m := range ms {
		if m > 0 {
			finite = append(finite, m)
		}
	}
	if len(finite) < 2 {
		row.Why = "needs the diversity sweep at two finite M or more"
		return row
	}
	delta := func(m int64) lab.Figure {
		f := perSeedFig(ts, fmt.Sprintf("Δ = distance to dMMSE − to ridge at M = %d (fresh w)", m), func(seed []*store.Trial) float64 {
			return seedValue(seed, iclTF, fd, m) - seedValue(seed, iclTF, fr, m)
		})
		return f.For(iclTF, argmax.Amortized)
	}
	lo, hi := finite[0], finite[len(finite)-1]
	dS, dL := delta(lo), delta(hi)
	row.Figures = append(row.Figures, dS, dL)
	row.Verdict = divVerdict(dS, dL)
	at := func(m int64) string {
		return fmt.Sprintf("M = %d: to dMMSE %s, to ridge %s", m, meanFig(ts, iclTF, fd, "", m).Text(), meanFig(ts, iclTF, fr, "", m).Text())
	}
	row.Why = fmt.Sprintf("Δ(M = %d) = %s, Δ(M = %d) = %s", lo, dS.Text(), hi, dL.Text())
	row.Amortized = Cell{Figure: "transformer, fresh w: " + at(lo) + "; " + at(hi)}
	if slices.Contains(ms, 0) {
		row.Amortized.Figure += fmt.Sprintf("; M = ∞: to ridge %s", meanFig(ts, iclTF, fr, "", 0).Text())
	}
	fl := iclTag + ".div" + miFresh + miLoss
	row.Direct = Cell{Figure: fmt.Sprintf("query loss on fresh w: ridge %s (M = %d); dMMSE %s at M = %d, %s at M = %d",
		meanFig(ts, "ridge", fl, "", hi).Text(), hi, meanFig(ts, "dmmse", fl, "", lo).Text(), lo, meanFig(ts, "dmmse", fl, "", hi).Text(), hi)}
	if f := geoFig(ts, iclTF, iclTag+".div"+iclSeconds, "s", 0); !math.IsNaN(f.Value) {
		row.Amortized.Timing = "sweep training " + dur(f.Value)
	}
	for _, m := range []int64{lo, hi} {
		h := meanFig(ts, iclTFHybrid, fl, "", m)
		if math.IsNaN(h.Value) {
			continue
		}
		h.Name = fmt.Sprintf("query loss on fresh w of the transformer refined by one tuned GD step at M = %d", m)
		row.Figures = append(row.Figures, h.For(iclTFHybrid, argmax.Hybrid))
		if row.Hybrid.Figure != "" {
			row.Hybrid.Figure += "; "
		}
		row.Hybrid.Figure += fmt.Sprintf("transformer + 1 tuned GD step from its implied weights ∂ŷ/∂x_q, query loss on fresh w at M = %d: %s (the transformer's %s)", m, h.Text(), meanFig(ts, iclTF, fl, "", m).Text())
	}

	mName := func(m int64) string {
		if m == 0 {
			return "∞"
		}
		return fmt.Sprint(m)
	}
	tab := report.Table{Caption: "The transformer per number M of training tasks, mean over seeds [95%]: final training loss; prediction distance to dMMSE and to ridge and query loss on prompts with fresh w and with w from the training pool",
		Header: []string{"M", "train loss", "fresh: to dMMSE", "fresh: to ridge", "fresh: loss", "fresh: ridge / dMMSE loss", "pool: to dMMSE", "pool: to ridge", "pool: loss", "pool: ridge / dMMSE loss"}}
	order := append(slices.Clone(finite), 0)
	for _, m := range order {
		if !slices.Contains(ms, m) {
			continue
		}
		c := func(k string) string { return iclText(meanFig(ts, iclTF, iclTag+".div"+k, "", m)) }
		refs := func(k string) string {
			return iclText(meanFig(ts, "ridge", iclTag+".div"+k, "", m)) + " / " + iclText(meanFig(ts, "dmmse", iclTag+".div"+k, "", m))
		}
		tab.Rows = append(tab.Rows, []string{mName(m), c(miFinalLoss), c(miFresh + miToDMMSE), c(miFresh + miToRidge), c(miFresh + miLoss), refs(miFresh + miLoss),
			c(miPool + miToDMMSE), c(miPool + miToRidge), c(miPool + miLoss), refs(miPool + miLoss)})
		for _, k := range []string{miFresh + miToDMMSE, miFresh + miToRidge} {
			f := meanFig(ts, iclTF, iclTag+".div"+k, "", m)
			if !math.IsNaN(f.Value) {
				f.Name = strings.TrimPrefix(k, ".") + " at M = " + mName(m)
				row.Figures = append(row.Figures, f.For(iclTF, argmax.Amortized))
			}
		}
	}
	series := func(k, name string) report.Series {
		s := report.Series{Name: name}
		for _, m := range order {
			f := meanFig(ts, iclTF, iclTag+".div"+k, "", m)
			if !math.IsNaN(f.Value) {
				s.Points = append(s.Points, report.Point{X: divX(m, ms), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
			}
		}
		return s
	}
	xl := "log2 M (M = ∞ drawn at log2 of the largest finite M + 2)"
	fresh := report.Chart{Title: "Distance to dMMSE and to ridge against task diversity (fresh w)", XLabel: xl, YLabel: "prediction distance (mean squared difference)",
		Series:  []report.Series{series(miFresh+miToDMMSE, "to dMMSE"), series(miFresh+miToRidge, "to ridge")},
		Caption: "Mean over seeds with 95% bands, on prompts whose w is drawn fresh. At M = ∞ there is no pool: no dMMSE."}
	pool := report.Chart{Title: "Distance to dMMSE and to ridge against task diversity (w from the pool)", XLabel: xl, YLabel: "prediction distance (mean squared difference)",
		Series:  []report.Series{series(miPool+miToDMMSE, "to dMMSE"), series(miPool+miToRidge, "to ridge")},
		Caption: "Mean over seeds with 95% bands, on new prompts whose w is drawn from the training pool."}
	losses := report.Chart{Title: "Query loss on fresh w against task diversity", XLabel: xl, YLabel: "query loss, mean (ŷ − wᵀx_q)²",
		Caption: "Mean over seeds with 95% bands: the transformer (amortized), the transformer refined by one tuned GD step (hybrid), ridge (direct, optimal for fresh w) and dMMSE (direct, optimal for the training pool)."}
	for _, d := range []string{iclTF, iclTFHybrid, "ridge", "dmmse"} {
		s := report.Series{Name: d}
		for _, m := range order {
			if f := meanFig(ts, d, fl, "", m); !math.IsNaN(f.Value) {
				s.Points = append(s.Points, report.Point{X: divX(m, ms), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
			}
		}
		losses.Series = append(losses.Series, s)
	}
	sec := row.Section
	sec.Tables = append(sec.Tables, tab)
	sec.Charts = drawable(sec.Charts, fresh, pool, losses)
	sec.Text = fmt.Sprintf("A transformer (width %d, %d blocks, softmax attention) per M, trained by Adam for %d steps of %d prompts on d = %d, n = %d, σ = %g; the pool of M vectors and the training and evaluation prompts are new per seed; %d evaluation prompts per distribution. ",
		int(lab.ParamFloat(ts[0], "div_dim")), int(lab.ParamFloat(ts[0], "div_layers")), int(lab.ParamFloat(ts[0], "div_steps")), int(lab.ParamFloat(ts[0], "div_batch")),
		int(lab.ParamFloat(ts[0], "div_d")), int(lab.ParamFloat(ts[0], "div_n")), lab.ParamFloat(ts[0], "div_noise"), int(lab.ParamFloat(ts[0], "div_eval"))) +
		"dMMSE is the posterior mean of w over the training pool (the Bayes predictor of the training distribution), ridge with λ = σ² the posterior mean under the N(0, I) prior (the Bayes predictor of fresh w). Both are direct; the transformer amortizes one or the other."
	row.Section = sec
	return row
}
