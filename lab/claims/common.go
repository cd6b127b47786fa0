package claims

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/positions"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The machinery every claim shares: the deciders of the suite (lab/bots'
// registry: a kind in the suite enters every claim), the held-out position
// sets with exact scores, measuring a decider through lab/eval with its
// spec and role as the dimensions of its figures, and reading the figures
// back over seeds.

// c4 is the game of the claims.
var c4 = connect4.Game{}

// testSet returns a named position set (game/connect4/positions) as
// scored positions for lab/eval, with the source positions (solver nodes,
// deep flag) in the same order.
func testSet(name string) ([]eval.Position, []positions.Position, error) {
	src, err := positions.Set(name)
	if err != nil {
		return nil, nil, err
	}
	out, err := eval.FromSet(name, src)
	if err != nil {
		return nil, nil, fmt.Errorf("claims: %w", err)
	}
	return out, src, nil
}

// draw returns n positions of ps drawn without replacement by rng (all of
// them, shuffled, when n ≤ 0 or n ≥ len(ps)), and the matching source
// positions.
func draw(ps []eval.Position, src []positions.Position, n int, rng *rand.Rand) ([]eval.Position, []positions.Position) {
	idx := rng.Perm(len(ps))
	if n > 0 && n < len(idx) {
		idx = idx[:n]
	}
	sort.Ints(idx) // keep the file's order: the draw is the only randomness
	a, b := make([]eval.Position, len(idx)), make([]positions.Position, len(idx))
	for i, j := range idx {
		a[i], b[i] = ps[j], src[j]
	}
	return a, b
}

// loadSets draws n positions from each named set with the trial's common
// generator (every point of a sweep, at a seed index, sees the same
// positions) and returns them together.
func loadSets(t *lab.Trial, names []string, n int, stream uint64) ([]eval.Position, []positions.Position, error) {
	var all []eval.Position
	var allSrc []positions.Position
	rng := t.CommonRand(stream)
	for _, name := range names {
		ps, src, err := testSet(name)
		if err != nil {
			return nil, nil, err
		}
		ps, src = draw(ps, src, n, rng)
		all, allSrc = append(all, ps...), append(allSrc, src...)
	}
	if len(all) == 0 {
		return nil, nil, fmt.Errorf("claims: no positions in sets %v", names)
	}
	return all, allSrc, nil
}

// envFor returns the environment the trial's deciders are made in: its
// context and cache, the trial seed as the default of seed keys, and the
// net seed for trained kinds (one of trainSeeds, so trials share nets).
func envFor(ctx context.Context, t *lab.Trial) (bots.Env, error) {
	c, err := t.Cache()
	if err != nil {
		return bots.Env{}, err
	}
	env := bots.Env{Context: ctx, Cache: c, Seed: t.Seed, Scale: string(t.Scale), TrainSeed: 1}
	if _, ok := t.Params["train_steps"]; ok {
		env.TrainSteps, env.TrainPositions = t.Int("train_steps"), t.Int("train_positions")
		env.TrainSeed = 1 + uint64(t.SeedIndex%t.Int("train_seeds"))
	}
	return env, nil
}

// setup returns the positions of a trial's sets and positions parameters
// (stream 1 of its common generator) and its environment.
func setup(ctx context.Context, t *lab.Trial) ([]eval.Position, bots.Env, error) {
	ps, _, err := loadSets(t, t.Strings("sets"), t.Int("positions"), 1)
	if err != nil {
		return nil, bots.Env{}, err
	}
	env, err := envFor(ctx, t)
	return ps, env, err
}

// trainParams are the parameters of every claim that set the default
// training of the suite's learned deciders.
var trainParams = []lab.Param{
	{Name: "train_steps", Kind: lab.Int, Doc: "default training steps of the suite's nets (0: the scale's default)", Quick: 0, Range: lab.Between(0, 1e9)},
	{Name: "train_seeds", Kind: lab.Int, Doc: "distinct training seeds of the suite's nets: seed index i trains with seed 1 + i mod train_seeds (trials and claims with the same seed share nets)", Quick: 1, Full: 3, Range: lab.Between(1, 1000)},
	{Name: "train_positions", Kind: lab.Int, Doc: "default training positions of the suite's learners (0: the scale's default, all of the training set)", Quick: 0, Range: lab.Between(0, 1e9)},
}

// withTrain returns the parameters ps followed by the training parameters.
func withTrain(ps []lab.Param) []lab.Param { return append(ps, trainParams...) }

// suite returns the deciders the claims compare: the registry's suite
// entries for connect four.
func suite() []bots.SuiteEntry { return bots.Suite(c4.Name()) }

// maker returns a constructor of the decider spec describes (in env) for
// a budget: the budget is the caller's, so one spec serves every point of
// a frontier.
func maker(env bots.Env, spec string) func(argmax.Budget) (game.Decider, error) {
	return func(argmax.Budget) (game.Decider, error) { return bots.NewIn(env, c4, spec) }
}

// maxHybridSims caps the simulation budgets of hybrid deciders: PUCT
// guided by a net pays a forward pass per simulation, so the claims sweep
// it up to this budget only.
const maxHybridSims = 256

// prepare makes the suite's deciders and the given ones before a trial
// measures any (bots.Prepare): the nets among them train side by side.
func prepare(env bots.Env, specs ...string) error {
	var all []string
	for _, e := range suite() {
		all = append(all, e.Spec)
	}
	return bots.Prepare(env, c4, append(all, specs...), 0)
}

// budgetsOf returns the budgets swept for a suite entry: one per value of
// its axis, or one unlimited budget for fixed-cost deciders.
func budgetsOf(e bots.SuiteEntry, sims, nodes []int) []argmax.Budget {
	var out []argmax.Budget
	switch e.Axis {
	case "sims":
		for _, s := range sims {
			if e.Role == argmax.Hybrid && s > maxHybridSims {
				continue
			}
			out = append(out, argmax.Budget{Simulations: int64(s)})
		}
	case "nodes":
		for _, n := range nodes {
			out = append(out, argmax.Budget{Nodes: int64(n)})
		}
	}
	if len(out) == 0 {
		out = []argmax.Budget{{}}
	}
	return out
}

// step is the figure step of a budget: its simulations or nodes, 0 for
// an unlimited one.
func step(b argmax.Budget) int64 { return max(b.Simulations, b.Nodes) }

// Metric names, prefixed by a tag that names the position set.
const (
	mOptimal = ".optimal"  // optimal-move share
	mStrict  = ".strict"   // strictly optimal share
	mN       = ".n"        // positions scored
	mSims    = ".sims"     // simulations per decision
	mNodes   = ".nodes"    // search nodes per decision
	mSteps   = ".steps"    // model steps per decision
	mForward = ".forward"  // forward passes per decision
	mFLOPs   = ".flops"    // FLOPs per decision
	mCut     = ".cutshort" // share of decisions cut short by the budget
	mSeconds = ".seconds"  // mean wall time per decision (†)
)

// record stores a frontier point of decider e under tag at the budget's
// step.
func record(t *lab.Trial, e bots.SuiteEntry, tag string, p eval.FrontierPoint) {
	s := step(p.Budget)
	rec := func(m string, v float64) { t.RecordFor(e.Spec, e.Role, tag+m, s, v) }
	rec(mOptimal, p.Quality.Est)
	rec(mStrict, p.Strict.Est)
	rec(mN, float64(p.Accuracy.N))
	rec(mSims, p.Mean.Simulations)
	rec(mNodes, p.Mean.Nodes)
	rec(mSteps, p.Mean.Steps)
	rec(mForward, p.Mean.ForwardPasses)
	rec(mFLOPs, p.Mean.FLOPs)
	rec(mCut, p.Mean.CutShort)
	t.TimingFor(e.Spec, e.Role, tag+mSeconds, s, p.MeanTime.Seconds())
}

// measure runs suite entry e on ps at each of its budgets and records the
// frontier under tag.
func measure(ctx context.Context, t *lab.Trial, env bots.Env, e bots.SuiteEntry, ps []eval.Position, tag string, sims, nodes []int) ([]eval.FrontierPoint, error) {
	pts, err := eval.Frontier(ctx, maker(env, e.Spec), budgetsOf(e, sims, nodes), ps, 1)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", e.Spec, tag, err)
	}
	for _, p := range pts {
		record(t, e, tag, p)
	}
	return pts, nil
}

// measureSuite measures every suite decider on ps under tag.
func measureSuite(ctx context.Context, t *lab.Trial, ps []eval.Position, tag string, sims, nodes []int) error {
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	for _, e := range suite() {
		if _, err := measure(ctx, t, env, e, ps, tag, sims, nodes); err != nil {
			return err
		}
	}
	return nil
}

// Reading figures back.

// shareFig is the mean over seeds of decider's share metric at step, with
// an interval that stays in [0, 1] (stats.ShareCI; positions per seed from
// the tag's count).
func shareFig(ts []*store.Trial, decider, metric string, s int64) lab.Figure {
	vals := lab.ValuesOf(ts, decider, metric, s)
	n := 0
	if ns := lab.ValuesOf(ts, decider, strings.TrimSuffix(strings.TrimSuffix(metric, mOptimal), mStrict)+mN, s); len(ns) > 0 {
		n = int(stats.Mean(ns))
	}
	f := lab.FigureOf(metric, "share", stats.ShareCI(vals, n, 0.95))
	return f
}

// meanFig is the mean over seeds of decider's metric at step with its t
// interval.
func meanFig(ts []*store.Trial, decider, metric, unit string, s int64) lab.Figure {
	return lab.FigureOf(metric, unit, stats.MeanCI(lab.ValuesOf(ts, decider, metric, s), 0.95))
}

// geoFig is the geometric mean over seeds of a positive metric (timings).
func geoFig(ts []*store.Trial, decider, metric, unit string, s int64) lab.Figure {
	var logs []float64
	for _, v := range lab.ValuesOf(ts, decider, metric, s) {
		if v > 0 {
			logs = append(logs, math.Log(v))
		}
	}
	iv := stats.MeanCI(logs, 0.95)
	f := lab.FigureOf(metric, unit, stats.Interval{Est: math.Exp(iv.Est), Lo: math.Exp(iv.Lo), Hi: math.Exp(iv.Hi), N: iv.N})
	f.Timing = true
	return f
}

// entryName names a decider at a budget in tables: "mcts @ 256 sims".
func entryName(spec string, axis string, s int64) string {
	if s == 0 {
		return spec
	}
	unit := map[string]string{"sims": "sims", "nodes": "nodes"}[axis]
	if unit == "" {
		unit = "budget"
	}
	return fmt.Sprintf("%s @ %s %s", spec, report.Num(float64(s)), unit)
}

// axisOf returns the budget axis of a suite decider ("sims", "nodes"; ""
// for others).
func axisOf(spec string) string {
	for _, e := range suite() {
		if e.Spec == spec {
			return e.Axis
		}
	}
	return ""
}

// suiteRows returns, for every decider recorded under tag, one row per
// budget — quality, counted cost, time — and the figures behind them: how
// every suite decider appears in every claim's output.
func suiteRows(ts []*store.Trial, tag, caption string) (report.Table, []lab.Figure) {
	tab := report.Table{Caption: caption, Header: []string{"decider", "role", "optimal moves", "strictly optimal", "simulations", "nodes", "forward passes", "FLOPs", "time/decision †"}}
	var figs []lab.Figure
	for _, d := range lab.Deciders(ts, tag+mOptimal) {
		for _, s := range lab.StepsOf(ts, d.Decider, tag+mOptimal) {
			opt := shareFig(ts, d.Decider, tag+mOptimal, s)
			opt.Name = "optimal share on " + tag + stepSuffix(s)
			figs = append(figs, opt.For(d.Decider, d.Role))
			cost := func(m string) string {
				f := meanFig(ts, d.Decider, tag+m, "", s)
				if f.Value == 0 && f.Hi == 0 {
					return "–"
				}
				return report.Num(roundSig(f.Value))
			}
			tab.Rows = append(tab.Rows, []string{entryName(d.Decider, axisOf(d.Decider), s), string(d.Role), pct(opt.Interval()),
				pct(shareFig(ts, d.Decider, tag+mStrict, s).Interval()), cost(mSims), cost(mNodes), cost(mForward), cost(mFLOPs),
				dur(geoFig(ts, d.Decider, tag+mSeconds, "s", s).Value)})
		}
	}
	return tab, figs
}

func stepSuffix(s int64) string {
	if s == 0 {
		return ""
	}
	return fmt.Sprintf(" at budget %d", s)
}

// pct renders a share interval as "91.2% [88.1, 93.6]".
func pct(iv stats.Interval) string {
	if math.IsNaN(iv.Est) {
		return "–"
	}
	if iv.Lo == iv.Hi {
		return fmt.Sprintf("%.1f%%", 100*iv.Est)
	}
	return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*iv.Est, 100*iv.Lo, 100*iv.Hi)
}

// dur renders seconds as a duration with 3 significant digits.
func dur(sec float64) string {
	switch {
	case math.IsNaN(sec) || sec <= 0:
		return "–"
	case sec < 1e-6:
		return fmt.Sprintf("%.3g ns", sec*1e9)
	case sec < 1e-3:
		return fmt.Sprintf("%.3g µs", sec*1e6)
	case sec < 1:
		return fmt.Sprintf("%.3g ms", sec*1e3)
	}
	return fmt.Sprintf("%.3g s", sec)
}

// roundSig rounds to 3 significant digits, keeping whole numbers below a
// million exact.
func roundSig(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) || (x == math.Trunc(x) && math.Abs(x) < 1e6) {
		return x
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// perSeed groups trials by seed index, in order.
func perSeed(ts []*store.Trial) [][]*store.Trial {
	by := map[int][]*store.Trial{}
	var idx []int
	for _, t := range ts {
		if _, ok := by[t.SeedIndex]; !ok {
			idx = append(idx, t.SeedIndex)
		}
		by[t.SeedIndex] = append(by[t.SeedIndex], t)
	}
	slices.Sort(idx)
	out := make([][]*store.Trial, len(idx))
	for i, k := range idx {
		out[i] = by[k]
	}
	return out
}

// slope returns the least-squares slope of ys against xs (NaN with fewer
// than two distinct xs).
func slope(xs, ys []float64) float64 {
	l, err := stats.FitLine(xs, ys)
	if err != nil {
		return math.NaN()
	}
	return l.Slope
}

// seedsFig is the mean over seeds of a per-seed value with its t interval.
func seedsFig(name, unit string, vals []float64) lab.Figure {
	var ok []float64
	for _, v := range vals {
		if !math.IsNaN(v) {
			ok = append(ok, v)
		}
	}
	return lab.FigureOf(name, unit, stats.MeanCI(ok, 0.95))
}

// newRow starts a claim's row — its aspect, claim and rule, not measured
// until its summary fills it in — and returns the trials of experiment exp.
func newRow(res *lab.Results, exp, aspect, title, claim, rule string) (Row, []*store.Trial) {
	row := Row{Aspect: aspect, Claim: claim, Rule: rule, Verdict: NotMeasured, Why: "no trials", Section: report.Section{Title: title}}
	return row, res.Of(exp)
}

// drawable appends to charts those of cs that have a line to draw (a
// series with two points or more that differ): a chart of nothing — every
// Elo infinite, every error zero on a log axis — is left out.
func drawable(charts []report.Chart, cs ...report.Chart) []report.Chart {
	for _, c := range cs {
		ok := false
		for _, s := range c.Series {
			var pts []report.Point
			for _, p := range s.Points {
				if (!c.LogX || p.X > 0) && (!c.LogY || p.Y > 0) && !math.IsNaN(p.X) && !math.IsNaN(p.Y) {
					pts = append(pts, p)
				}
			}
			for i := 1; i < len(pts); i++ {
				ok = ok || pts[i].X != pts[0].X || pts[i].Y != pts[0].Y
			}
		}
		if ok {
			charts = append(charts, c)
		}
	}
	return charts
}
