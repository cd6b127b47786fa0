package claims

import (
	"context"
	"fmt"
	"math"
	"slices"

	"argmax"
	"argmax/game"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The train-time vs test-time claim (after Jones 2021, "Scaling scaling
// laws with board games"): a net trained longer by expert iteration and a
// search given more simulations both buy strength, at an exchange rate —
// how many doublings of search one doubling of training is worth.

// ExchangeRate trains expert-iteration nets for several numbers of
// iterations (the same recipe, so training compute is proportional to
// iterations) and scores each with PUCT at several simulation budgets (1:
// the net alone) on deep positions, the suite's deciders beside them.
var ExchangeRate = lab.Experiment{
	Name: "claims/exchange-rate",
	Doc: "Expert-iteration nets (hybrid/alphazero, the same recipe) trained for each number of iterations, each scored alone (one forward pass) and with PUCT at each simulation budget on held-out deep positions: " +
		"the optimal-move share over a grid of training compute × test-time compute, and the suite's deciders at a reference budget beside it.",
	Version: 1,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets (game/connect4/positions)", Quick: []string{"middle-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 200, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "net", Kind: lab.String, Doc: "the recipe: keys of the alphazero kind other than iterations (size=S,gumbel=BOOL,games=N,train_sims=N)", Quick: "size=small,gumbel=true", Full: "size=medium,gumbel=true"},
		{Name: "iterations", Kind: lab.Ints, Doc: "training lengths, in expert-iteration iterations (doublings are best: the fit is in log2)", Quick: []int{8, 16, 32}, Full: []int{10, 20, 40, 80}, Range: lab.Between(1, 1<<20), MinLen: 2},
		{Name: "sims", Kind: lab.Ints, Doc: "test-time budgets (1: the net alone)", Quick: []int{1, 4, 16, 64}, Full: []int{1, 4, 16, 64, 256}, Range: lab.Between(1, 1<<20), MinLen: 2},
		{Name: "ref_sims", Kind: lab.Int, Doc: "simulation budget of the suite deciders shown beside the grid", Quick: 64, Range: lab.Between(1, 1<<26)},
		{Name: "nodes", Kind: lab.Int, Doc: "node budget of the suite deciders that take one", Quick: 1000000, Range: lab.Between(1, 1<<40)},
	}),
	Seeds: [2]int{3, 5},
	Run:   runExchangeRate,
}

// exchangeKeys are the keys of the net trained for iters iterations.
func exchangeKeys(net string, iters int) string {
	if net == "" {
		return fmt.Sprintf("iterations=%d", iters)
	}
	return fmt.Sprintf("%s,iterations=%d", net, iters)
}

// exchangeSpec is the PUCT decider over that net (the name of its
// figures); exchangeNet is the net alone.
func exchangeSpec(net string, iters int) string { return "alphazero:" + exchangeKeys(net, iters) }
func exchangeNet(net string, iters int) string  { return "aznet:" + exchangeKeys(net, iters) }

func runExchangeRate(ctx context.Context, t *lab.Trial) error {
	ps, env, err := setup(ctx, t)
	if err != nil {
		return err
	}
	net, iters := t.Text("net"), t.Ints("iterations")
	var nets []string
	for _, it := range iters {
		nets = append(nets, exchangeNet(net, it))
	}
	if err := prepare(env, nets...); err != nil {
		return err
	}
	for _, e := range suite() {
		if _, err := measure(ctx, t, env, e, ps, tagSuite, []int{t.Int("ref_sims")}, []int{t.Int("nodes")}); err != nil {
			return err
		}
	}
	var budgets []argmax.Budget
	for _, s := range t.Ints("sims") {
		budgets = append(budgets, argmax.Budget{Simulations: int64(s)})
	}
	for i, it := range iters {
		e := bots.SuiteEntry{Spec: exchangeSpec(net, it), Role: argmax.Hybrid, Axis: "sims"}
		mk := func(b argmax.Budget) (game.Decider, error) {
			if b.Simulations == 1 {
				return bots.NewIn(env, c4, nets[i])
			}
			return bots.NewIn(env, c4, e.Spec)
		}
		pts, err := eval.Frontier(ctx, mk, budgets, ps, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Spec, err)
		}
		for _, p := range pts {
			record(t, e, tagHybrid, p)
		}
		d, err := bots.NewIn(env, c4, nets[i])
		if err != nil {
			return err
		}
		if tr, ok := d.(argmax.Trainable); ok {
			t.RecordFor(e.Spec, e.Role, "train.flops", 0, float64(tr.TrainingCost().FLOPs))
		}
		t.RecordFor(e.Spec, e.Role, "train.iterations", 0, float64(it))
		bots.Close(d)
	}
	return nil
}

// tagSuite names the suite deciders' figures beside the grid.
const tagSuite = "suite"

func init() {
	lab.Register(ExchangeRate)
	register(Claim{Aspect: "train vs test compute", Experiments: []string{ExchangeRate.Name}, Summarize: summarizeExchangeRate})
}

const exchangeRule = "Per seed, a least-squares plane through the grid: optimal share = a + b·log2(training iterations) + c·log2(simulations per decision) (1 simulation: the net alone). " +
	"b is the gain per doubling of training compute, c per doubling of test-time search, and E = b/c the exchange rate: the doublings of search one doubling of training is worth (intervals over seeds). " +
	"Holds if b and c both have lower bounds above 0 (both kinds of compute buy strength, so they trade at the rate E); does not hold if either has an upper bound below 0; otherwise inconclusive."

// plane fits z = a + b·x + c·y by least squares and returns the 95%
// half-widths hb, hc of b and c from the residuals (n − 3 degrees of
// freedom; NaN with three points or fewer); ok is false when the points
// do not span a plane.
func plane(xs, ys, zs []float64) (a, b, c, hb, hc float64, ok bool) {
	n := float64(len(xs))
	var sx, sy, sz, sxx, syy, sxy, sxz, syz float64
	for i := range xs {
		x, y, z := xs[i], ys[i], zs[i]
		sx, sy, sz = sx+x, sy+y, sz+z
		sxx, syy, sxy = sxx+x*x, syy+y*y, sxy+x*y
		sxz, syz = sxz+x*z, syz+y*z
	}
	// Centred normal equations for b and c.
	cxx, cyy, cxy := sxx-sx*sx/n, syy-sy*sy/n, sxy-sx*sy/n
	cxz, cyz := sxz-sx*sz/n, syz-sy*sz/n
	det := cxx*cyy - cxy*cxy
	if n < 3 || math.Abs(det) < 1e-12*math.Max(1, cxx*cyy) {
		return 0, 0, 0, 0, 0, false
	}
	b = (cxz*cyy - cyz*cxy) / det
	c = (cyz*cxx - cxz*cxy) / det
	a = (sz - b*sx - c*sy) / n
	hb, hc = math.NaN(), math.NaN()
	if n > 3 {
		var rss float64
		for i := range xs {
			r := zs[i] - (a + b*xs[i] + c*ys[i])
			rss += r * r
		}
		s2, t := rss/(n-3), stats.TQuantile(0.975, n-3)
		hb, hc = t*math.Sqrt(s2*cyy/det), t*math.Sqrt(s2*cxx/det)
	}
	return a, b, c, hb, hc, true
}

// exchangeFit fits the plane of one seed's grid: the gains per doubling
// and their half-widths from the residuals.
func exchangeFit(seed []*store.Trial, net string, iters []int) (b, c, hb, hc float64) {
	var xs, ys, zs []float64
	for _, it := range iters {
		spec := exchangeSpec(net, it)
		for _, s := range lab.StepsOf(seed, spec, tagHybrid+mOptimal) {
			q := seedValue(seed, spec, tagHybrid+mOptimal, s)
			if math.IsNaN(q) || s < 1 {
				continue
			}
			xs, ys, zs = append(xs, math.Log2(float64(it))), append(ys, math.Log2(float64(s))), append(zs, q)
		}
	}
	_, b, c, hb, hc, ok := plane(xs, ys, zs)
	if !ok {
		return math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	return b, c, hb, hc
}

// widened is the mean over seeds of vals with an interval covering both
// the spread over seeds and the mean within-seed half-width hs (seeds
// that score the same positions with the same net agree exactly, and the
// fit's own error must still show).
func widened(name, unit string, vals, hs []float64) lab.Figure {
	f := seedsFig(name, unit, vals)
	var ok []float64
	for _, h := range hs {
		if !math.IsNaN(h) {
			ok = append(ok, h)
		}
	}
	if len(ok) > 0 && !math.IsNaN(f.Value) {
		h := stats.Mean(ok)
		f.Lo, f.Hi = math.Min(f.Lo, f.Value-h), math.Max(f.Hi, f.Value+h)
		f.N = max(f.N, 2) // an interval, not an exact value
	}
	return f
}

// exchangeVerdict decides the claim from the gains per doubling of
// training (b) and of search (c).
func exchangeVerdict(b, c lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("gain per doubling: training b = %s, search c = %s", b.Text(), c.Text())
	switch {
	case math.IsNaN(b.Value) || math.IsNaN(c.Value):
		return Inconclusive, why + " (not measured)"
	case b.N < 2 || c.N < 2:
		return Inconclusive, why + " (one seed: no interval)"
	case b.Hi < 0 || c.Hi < 0:
		return DoesNotHold, why
	case b.Lo > 0 && c.Lo > 0:
		return Holds, why
	}
	return Inconclusive, why
}

func summarizeExchangeRate(res *lab.Results) Row {
	row, ts := newRow(res, ExchangeRate.Name, "train vs test compute", "Train-time against test-time compute: the exchange rate",
		"Training compute (expert-iteration iterations) and test-time compute (search simulations) both buy strength and trade at a measurable rate (Jones 2021).", exchangeRule)
	if len(ts) == 0 {
		return row
	}
	net, iters := lab.ParamString(ts[0], "net"), lab.ParamInts(ts[0], "iterations")
	slices.Sort(iters)
	var bs, cs, es, hbs, hcs []float64
	for _, seed := range perSeed(ts) {
		b, c, hb, hc := exchangeFit(seed, net, iters)
		bs, cs, es, hbs, hcs = append(bs, b), append(cs, c), append(es, b/c), append(hbs, hb), append(hcs, hc)
	}
	top := exchangeSpec(net, iters[len(iters)-1])
	b := widened("b", "per doubling of training", bs, hbs).For(top, argmax.Amortized)
	c := widened("c", "per doubling of simulations", cs, hcs).For(top, argmax.Direct)
	e := seedsFig("E", "search doublings per training doubling", es).For(top, argmax.Hybrid)
	// E's interval also spans the ratios of b's and c's ends (where c's
	// interval excludes 0).
	if c.Lo > 0 && !math.IsNaN(b.Lo) {
		e.Lo, e.Hi = math.Min(e.Lo, b.Lo/c.Hi), math.Max(e.Hi, b.Hi/c.Lo)
		e.N = max(e.N, 2)
	}
	row.Figures = append(row.Figures, b, c, e)
	row.Verdict, row.Why = exchangeVerdict(b, c)
	row.Why += fmt.Sprintf("; exchange rate E = %s", e.Text())
	row.Amortized = Cell{Figure: fmt.Sprintf("training: %s optimal share per doubling", b.Interval().String())}
	row.Direct = Cell{Figure: fmt.Sprintf("search: %s per doubling of simulations", c.Interval().String())}
	row.Hybrid = Cell{Figure: fmt.Sprintf("one doubling of training ≈ %s doublings of search", e.Interval().String())}

	sims := lab.StepsOf(ts, exchangeSpec(net, iters[0]), tagHybrid+mOptimal)
	tab := report.Table{Caption: "Optimal-move share on the deep positions by training iterations (rows) and simulations per decision (columns; 1: the net alone)", Header: []string{"iterations", "training FLOPs (gradient steps)"}}
	for _, s := range sims {
		tab.Header = append(tab.Header, fmt.Sprintf("%d sims", s))
	}
	chart := report.Chart{Title: "Strength against test-time compute, one line per training length", XLabel: "simulations per decision", YLabel: "optimal-move share on the deep positions", LogX: true}
	for _, it := range iters {
		spec := exchangeSpec(net, it)
		r := []string{fmt.Sprint(it), report.Num(roundSig(meanFig(ts, spec, "train.flops", "", 0).Value))}
		ser := report.Series{Name: fmt.Sprintf("%d iterations", it)}
		for _, s := range sims {
			q := shareFig(ts, spec, tagHybrid+mOptimal, s)
			q.Name = fmt.Sprintf("optimal share after %d iterations at %d sims", it, s)
			row.Figures = append(row.Figures, q.For(spec, argmax.Hybrid))
			r = append(r, pct(q.Interval()))
			ser.Points = append(ser.Points, report.Point{X: float64(s), Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
		tab.Rows = append(tab.Rows, r)
		chart.Series = append(chart.Series, ser)
	}
	st, sf := suiteRows(ts, tagSuite, "The suite's deciders on the same positions, for scale (mean over seeds)")
	row.Section.Tables = append(row.Section.Tables, tab, st)
	row.Figures = append(row.Figures, sf...)
	row.Section.Charts = drawable(row.Section.Charts, chart)
	row.Section.Text = fmt.Sprintf("Every net is trained from scratch by expert iteration with the recipe %q (no solver labels); a run of k iterations plays k times the games of one, so log2(iterations) is log2(training compute) up to a constant, which the slopes do not see.", net)
	return row
}
