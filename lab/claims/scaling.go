package claims

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"argmax"
	"argmax/game"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The scaling claim, both halves: direct optimization turns test-time
// compute (simulations) into quality; amortized optimization turns
// training compute (labels × steps × width, counted in FLOPs) into
// quality while its answer costs the same.

// Scaling measures quality and Elo against test-time simulations for
// search, and quality against counted training FLOPs for a ladder of
// supervised nets.
var Scaling = lab.Experiment{
	Name: "claims/scaling",
	Doc: "Both halves of scaling with compute on held-out deep connect-four positions. Direct: the optimal-move share and the Elo against a fixed reference of MCTS at each simulation budget. " +
		"Amortized: the optimal-move share of supervised nets trained with growing compute (data, steps and width), against their counted training FLOPs. Every suite decider is scored beside them, and rated in Elo against a ladder of fixed opponents (random anchored at 0, each rung rated against those below it).",
	Version: 3,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets", Quick: []string{"middle-deep"}, Full: []string{"middle-deep", "openings-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 200, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "sims", Kind: lab.Ints, Doc: "simulation budgets", Quick: []int{16, 64, 256, 1024, 4096}, Full: []int{16, 64, 256, 1024, 4096, 16384, 65536}, Range: lab.Between(1, 1<<26), MinLen: 3},
		{Name: "learners", Kind: lab.Strings, Doc: "supervised nets of growing training compute (bot specs; the last ones are the suite's nets, trained once for every claim)", MinLen: 3,
			Quick: []string{"net:size=tiny,n=2000,steps=500", "net:size=tiny,n=8000,steps=1500", "net:size=tiny", "net:size=small"},
			Full:  []string{"net:size=tiny,n=4000,steps=2000", "net:size=tiny,n=16000,steps=6000", "net:size=tiny", "net:size=small", "net:size=medium"}},
		{Name: "nodes", Kind: lab.Ints, Doc: "node budgets of the deciders that take one (the solver)", Quick: []int{1000, 10000, 100000, 1000000}, Range: lab.Between(1, 1<<40)},
		{Name: "games", Kind: lab.Int, Doc: "games per match against each rung of the Elo ladder (0: no ratings)", Quick: 12, Full: 100, Range: lab.Between(0, 1e6)},
		{Name: "ladder", Kind: lab.Strings, Doc: "the fixed opponents of the Elo ladder, weakest first (bot specs); the first is anchored at 0", MinLen: 2,
			Quick: []string{"random", "mcts:sims=8", "mcts:sims=64", "mcts:sims=512"},
			Full:  []string{"random", "mcts:sims=4", "mcts:sims=16", "mcts:sims=64", "mcts:sims=256", "mcts:sims=1024", "mcts:sims=4096"}},
	}),
	Seeds: [2]int{3, 5},
	Run:   runScaling,
}

func runScaling(ctx context.Context, t *lab.Trial) error {
	ps, _, err := loadSets(t, t.Strings("sets"), t.Int("positions"), 2)
	if err != nil {
		return err
	}
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	if err := prepare(env, t.Strings("learners")...); err != nil {
		return err
	}
	sims := t.Ints("sims")
	if err := measureSuite(ctx, t, ps, tagDeep, sims, t.Ints("nodes")); err != nil {
		return err
	}
	for _, spec := range t.Strings("learners") {
		role, err := bots.RoleOf(spec)
		if err != nil {
			return err
		}
		e := bots.SuiteEntry{Spec: spec, Role: role}
		if _, err := measure(ctx, t, env, e, ps, "ladder", nil, nil); err != nil {
			return err
		}
		d, err := bots.NewIn(env, c4, spec)
		if err != nil {
			return err
		}
		if tr, ok := d.(argmax.Trainable); ok {
			t.RecordFor(spec, role, "train.flops", 0, float64(tr.TrainingCost().FLOPs))
		}
	}
	games := t.Int("games")
	if games == 0 {
		return nil
	}
	ladder, err := rateLadder(ctx, t, env, t.Strings("ladder"), games)
	if err != nil {
		return err
	}
	rate := func(e bots.SuiteEntry, b argmax.Budget) error {
		r, err := eval.Rate(ctx, c4, func() (game.Decider, error) { return bots.NewIn(env, c4, e.Spec) }, ladder,
			eval.MatchConfig{Games: games, RandomPlies: 4, Seed: t.Seed, BudgetA: b, NameA: e.Spec})
		if err != nil {
			return err
		}
		recordElo(t, e.Spec, e.Role, step(b), r.Elo)
		return nil
	}
	// MCTS at every budget; every other decider once, at the middle of
	// its budget range (the exact solver at a node budget: without an
	// opening book it takes minutes on early positions).
	for _, e := range suite() {
		bs := budgetsOf(e, sims, t.Ints("nodes"))
		if e.Spec != "mcts" {
			bs = bs[len(bs)/2 : len(bs)/2+1]
		}
		for _, b := range bs {
			if err := rate(e, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// rateLadder rates the rungs of an Elo ladder: the first at 0, each next
// one by its matches against those below it (an unbounded estimate, when
// it won every game, anchored at its interval's finite end). It records
// each rung's rating.
func rateLadder(ctx context.Context, t *lab.Trial, env bots.Env, specs []string, games int) (eval.Ladder, error) {
	var ladder eval.Ladder
	for i, spec := range specs {
		role, err := bots.RoleOf(spec)
		if err != nil {
			return nil, fmt.Errorf("parameter ladder: %w", err)
		}
		rung := eval.Rung{Name: spec, New: func() (game.Decider, error) { return bots.NewIn(env, c4, spec) }}
		if i > 0 {
			r, err := eval.Rate(ctx, c4, rung.New, ladder, eval.MatchConfig{Games: games, RandomPlies: 4, Seed: t.Seed, NameA: spec})
			if err != nil {
				return nil, err
			}
			rung.Elo = r.Elo.Est
			switch {
			case math.IsInf(rung.Elo, 1):
				rung.Elo = r.Elo.Lo
			case math.IsInf(rung.Elo, -1):
				rung.Elo = r.Elo.Hi
			}
			recordElo(t, "ladder:"+spec, role, 0, r.Elo)
		}
		ladder = append(ladder, rung)
	}
	return ladder, nil
}

// recordElo records a rating: its estimate and interval ends where finite.
func recordElo(t *lab.Trial, decider string, role argmax.Role, s int64, iv stats.Interval) {
	for _, m := range []struct {
		name string
		v    float64
	}{{mElo, iv.Est}, {mElo + ".lo", iv.Lo}, {mElo + ".hi", iv.Hi}} {
		if !math.IsInf(m.v, 0) && !math.IsNaN(m.v) {
			t.RecordFor(decider, role, m.name, s, m.v)
		}
	}
	t.RecordFor(decider, role, mElo+".games", s, float64(iv.N))
}

// mElo is the metric of ratings against the ladder.
const mElo = "elo"

// eloFig pools a decider's per-seed ratings at step s: the mean and t
// interval over seeds when every seed's estimate is finite; otherwise a
// bound from the finite ends (every game won: at least the largest lower
// end).
func eloFig(ts []*store.Trial, decider string, s int64) lab.Figure {
	seeds := perSeed(ts)
	var est, lo, hi []float64
	for _, seed := range seeds {
		if len(lab.ValuesOf(seed, decider, mElo+".games", s)) == 0 {
			continue
		}
		e := lab.ValuesOf(seed, decider, mElo, s)
		l := lab.ValuesOf(seed, decider, mElo+".lo", s)
		h := lab.ValuesOf(seed, decider, mElo+".hi", s)
		switch {
		case len(e) > 0:
			est = append(est, e[0])
		case len(l) > 0: // won every game
			lo = append(lo, l[0])
		case len(h) > 0:
			hi = append(hi, h[0])
		}
	}
	f := lab.Figure{Name: "Elo against the ladder" + stepSuffix(s), Unit: "Elo", Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	switch {
	case len(lo) > 0:
		f.Value, f.Lo, f.Hi, f.Bound, f.N = slices.Max(lo), slices.Max(lo), math.Inf(1), ">=", len(lo)
	case len(hi) > 0:
		f.Value, f.Lo, f.Hi, f.Bound, f.N = slices.Min(hi), math.Inf(-1), slices.Min(hi), "<=", len(hi)
	case len(est) > 0:
		iv := stats.MeanCI(est, 0.95)
		f.Value, f.Lo, f.Hi, f.N = iv.Est, iv.Lo, iv.Hi, iv.N
		if len(est) == 1 {
			lo := lab.ValuesOf(ts, decider, mElo+".lo", s)
			hi := lab.ValuesOf(ts, decider, mElo+".hi", s)
			if len(lo) == 1 && len(hi) == 1 {
				f.Lo, f.Hi = lo[0], hi[0] // one seed: its profile interval
			}
		}
	}
	f.Value, f.Lo, f.Hi = wholeElo(f.Value), wholeElo(f.Lo), wholeElo(f.Hi)
	return f
}

// wholeElo rounds a rating to a whole Elo point (and -0 to 0).
func wholeElo(x float64) float64 { return math.Round(x) + 0 }

func init() {
	lab.Register(Scaling)
	register(Claim{Aspect: "scaling with compute", Experiments: []string{Scaling.Name}, Summarize: summarizeScaling})
}

// upperHalfSlope is the slope of ys against xs over the upper half of the
// points (sorted by x): the gain per unit of x at the top of the range.
func upperHalfSlope(xs, ys []float64) float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(xs[a], xs[b]) })
	k := len(idx) / 2
	if len(idx)-k < 2 {
		k = max(0, len(idx)-2)
	}
	var x, y []float64
	for _, i := range idx[k:] {
		x, y = append(x, xs[i]), append(y, ys[i])
	}
	return slope(x, y)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// directCurve returns, for one seed, log2(simulations) and the optimal
// share of MCTS.
func directCurve(seed []*store.Trial) (xs, ys []float64) {
	for _, s := range lab.StepsOf(seed, "mcts", tagDeep+mOptimal) {
		if v := lab.ValuesOf(seed, "mcts", tagDeep+mOptimal, s); len(v) > 0 && s > 0 {
			xs, ys = append(xs, math.Log2(float64(s))), append(ys, v[0])
		}
	}
	return
}

// learnerCurve returns, for one seed, log2(training FLOPs) and the optimal
// share of every net of the ladder.
func learnerCurve(seed []*store.Trial) (xs, ys []float64, names []string) {
	for _, d := range lab.Deciders(seed, "ladder"+mOptimal) {
		f := lab.ValuesOf(seed, d.Decider, "train.flops", 0)
		q := lab.ValuesOf(seed, d.Decider, "ladder"+mOptimal, 0)
		if len(f) > 0 && len(q) > 0 && f[0] > 0 {
			xs, ys, names = append(xs, math.Log2(f[0])), append(ys, q[0]), append(names, d.Decider)
		}
	}
	return
}

// quadratic fits y = a + b·x + c·x² by least squares and returns a, b, c.
func quadratic(xs, ys []float64) (a, b, c float64, ok bool) {
	if len(xs) < 3 {
		return 0, 0, 0, false
	}
	var s [5]float64
	var t [3]float64
	for i, x := range xs {
		p := 1.0
		for k := 0; k < 5; k++ {
			s[k] += p
			if k < 3 {
				t[k] += p * ys[i]
			}
			p *= x
		}
	}
	m := [3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(m)
	if math.Abs(d) < 1e-12 {
		return 0, 0, 0, false
	}
	var sol [3]float64
	for j := 0; j < 3; j++ {
		mj := m
		for i := 0; i < 3; i++ {
			mj[i][j] = t[i]
		}
		sol[j] = det(mj) / d
	}
	return sol[0], sol[1], sol[2], true
}

func summarizeScaling(res *lab.Results) Row {
	row, ts := newRow(res, Scaling.Name, "scaling with compute", "Scaling with compute", "Direct optimization turns test-time compute into quality; amortized optimization turns training compute into quality, at a fixed cost per answer.", scalingRule)
	if len(ts) == 0 {
		return row
	}
	sec := row.Section
	var dg, ag, curv []float64
	for _, seed := range perSeed(ts) {
		xs, ys := directCurve(seed)
		dg = append(dg, upperHalfSlope(xs, ys))
		if _, _, c, ok := quadratic(xs, ys); ok {
			curv = append(curv, c)
		}
		lx, ly, _ := learnerCurve(seed)
		ag = append(ag, upperHalfSlope(lx, ly))
	}
	direct := seedsFig("direct: gain in optimal share per doubling of simulations (upper half)", "share/doubling", dg).For("mcts", argmax.Direct)
	amort := seedsFig("amortized: gain in optimal share per doubling of training FLOPs (upper half)", "share/doubling", ag)
	amort.Role = argmax.Amortized
	c := seedsFig("direct: curvature (quadratic term in log2 simulations)", "share/doubling²", curv).For("mcts", argmax.Direct)
	row.Figures = append(row.Figures, direct, amort, c)
	row.Verdict, row.Why = scalingVerdict(direct, amort)

	tab, figs := suiteRows(ts, tagDeep, "Every decider of the suite on held-out deep positions (mean [95% interval] over seeds)")
	row.Figures = append(row.Figures, figs...)
	ltab, lfigs := suiteRows(ts, "ladder", "The amortized ladder: nets of growing training compute on the same positions")
	ltab.Header = append(ltab.Header, "training FLOPs")
	for i, d := range lab.Deciders(ts, "ladder"+mOptimal) {
		if i < len(ltab.Rows) {
			ltab.Rows[i] = append(ltab.Rows[i], report.Num(roundSig(meanFig(ts, d.Decider, "train.flops", "", 0).Value)))
		}
	}
	row.Figures = append(row.Figures, lfigs...)
	sec.Tables = append(sec.Tables, tab, ltab)

	// Elo against the ladder of fixed opponents.
	etab := report.Table{Caption: "Elo against the ladder of fixed opponents (random = 0; mean [95% interval] over seeds, or a bound where every game went one way)", Header: []string{"decider", "Elo", "games per seed"}}
	eloChart := report.Chart{Title: "Elo of MCTS against the ladder, by simulations", XLabel: "simulations per move", YLabel: "Elo (random = 0)", LogX: true}
	eloSeries := report.Series{Name: "MCTS"}
	for _, d := range lab.Deciders(ts, mElo+".games") {
		for _, s := range lab.StepsOf(ts, d.Decider, mElo+".games") {
			f := eloFig(ts, d.Decider, s).For(d.Decider, d.Role)
			row.Figures = append(row.Figures, f)
			games := stats.Mean(lab.ValuesOf(ts, d.Decider, mElo+".games", s))
			name := entryName(d.Decider, axisOf(d.Decider), s)
			if strings.HasPrefix(d.Decider, "ladder:") {
				name = "rung " + strings.TrimPrefix(d.Decider, "ladder:")
			}
			etab.Rows = append(etab.Rows, []string{name, f.Text(), report.Num(games)})
			if d.Decider == "mcts" && f.Bound == "" && !math.IsNaN(f.Value) {
				eloSeries.Points = append(eloSeries.Points, report.Point{X: float64(s), Y: f.Value, Lo: clampInf(f.Lo, f.Value-1000), Hi: clampInf(f.Hi, f.Value+1000)})
			}
		}
	}
	if len(etab.Rows) > 0 {
		sec.Tables = append(sec.Tables, etab)
		eloChart.Series = append(eloChart.Series, eloSeries)
		sec.Charts = drawable(sec.Charts, eloChart)
	}

	// Quality against compute, both halves, with fitted curves.
	dc := report.Chart{Title: "Direct: optimal share against test-time simulations", XLabel: "simulations per decision", YLabel: "optimal-move share", LogX: true}
	ds := report.Series{Name: "MCTS"}
	for _, s := range lab.StepsOf(ts, "mcts", tagDeep+mOptimal) {
		q := shareFig(ts, "mcts", tagDeep+mOptimal, s)
		ds.Points = append(ds.Points, report.Point{X: float64(s), Y: q.Value, Lo: q.Lo, Hi: q.Hi})
	}
	dc.Series = append(dc.Series, ds)
	var xs, ys []float64
	for _, p := range ds.Points {
		xs, ys = append(xs, math.Log2(p.X)), append(ys, p.Y)
	}
	if a, b, c, ok := quadratic(xs, ys); ok && len(ds.Points) > 0 {
		fit := report.Series{Name: "quadratic fit in log2(sims)", Fit: true}
		for _, p := range ds.Points {
			x := math.Log2(p.X)
			fit.Points = append(fit.Points, report.P(p.X, a+b*x+c*x*x))
		}
		dc.Series = append(dc.Series, fit)
	}
	ac := report.Chart{Title: "Amortized: optimal share against training compute", XLabel: "training FLOPs (counted)", YLabel: "optimal-move share", LogX: true}
	as := report.Series{Name: "supervised nets"}
	for _, d := range lab.Deciders(ts, "ladder"+mOptimal) {
		q := shareFig(ts, d.Decider, "ladder"+mOptimal, 0)
		f := meanFig(ts, d.Decider, "train.flops", "", 0).Value
		if f > 0 {
			as.Points = append(as.Points, report.Point{X: f, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
	}
	slices.SortFunc(as.Points, func(a, b report.Point) int { return cmpFloat(a.X, b.X) })
	ac.Series = append(ac.Series, as)
	sec.Charts = drawable(sec.Charts, dc, ac)

	var dparts []string
	for _, p := range ds.Points {
		dparts = append(dparts, fmt.Sprintf("%s sims %.1f%%", report.Num(p.X), 100*p.Y))
	}
	row.Direct = Cell{Figure: "MCTS optimal on deep positions: " + strings.Join(dparts, "; ") + "; a doubling buys " + direct.Text()}
	var aparts []string
	for _, p := range as.Points {
		aparts = append(aparts, fmt.Sprintf("%s FLOPs %.1f%%", report.Num(roundSig(p.X)), 100*p.Y))
	}
	row.Amortized = Cell{Figure: "nets by training compute: " + strings.Join(aparts, "; ") + "; a doubling buys " + amort.Text()}
	if hyb, q := bestOf(ts, tagDeep, argmax.Hybrid); hyb != "" {
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: best %.1f%% optimal", hyb, 100*q)}
	}
	sec.Text = "What one doubling buys is the slope over the upper half of each range. A positive curvature says the direct curve has not yet bent over; a negative one that it is saturating."
	row.Section = sec
	return row
}

func clampInf(x, bound float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return bound
	}
	return x
}
