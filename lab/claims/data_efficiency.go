package claims

import (
	"context"
	"fmt"
	"math"
	"strings"

	"argmax"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The data-efficiency claim, in one currency — simulator calls, the moves
// simulated on the game model: search spends them at every decision; an
// amortized learner spends them once, labelling its training data with
// search, and needs many of them to match search.

// DataEfficiency measures MCTS's quality and model steps per decision at
// each budget, and the quality of nets trained on growing amounts of
// search-labelled data with the model steps their labels cost.
var DataEfficiency = lab.Experiment{
	Name: "claims/data-efficiency",
	Doc: "On held-out deep connect-four positions: MCTS's optimal-move share and counted model steps per decision at each simulation budget, and the optimal-move share of supervised nets trained on growing numbers of positions labelled by MCTS, " +
		"with the model steps those labels cost (counted by the search). Every suite decider is scored beside them.",
	Version: 2,
	Params: withTrain([]lab.Param{
		{Name: "sets", Kind: lab.Strings, Doc: "position sets", Quick: []string{"middle-deep"}, Full: []string{"middle-deep", "beginning-deep"}, MinLen: 1},
		{Name: "positions", Kind: lab.Int, Doc: "positions drawn from each set per seed (0: all)", Quick: 200, Full: 0, Range: lab.Between(0, 1e6)},
		{Name: "sims", Kind: lab.Ints, Doc: "simulation budgets of search", Quick: []int{4, 16, 64, 256, 1024}, Full: []int{4, 16, 64, 256, 1024, 4096, 16384}, Range: lab.Between(1, 1<<26), MinLen: 1},
		{Name: "nodes", Kind: lab.Ints, Doc: "node budgets of the deciders that take one (the solver)", Quick: []int{1000, 10000, 100000, 1000000}, Range: lab.Between(1, 1<<40)},
		{Name: "learners", Kind: lab.Strings, Doc: "nets trained on growing search-labelled data (bot specs)", MinLen: 2,
			Quick: []string{"net:labels=search,n=1000,steps=500", "net:labels=search,n=4000,steps=1000", "net:labels=search"},
			Full:  []string{"net:labels=search,n=1000,steps=2000", "net:labels=search,n=4000,steps=6000", "net:labels=search,n=16000,steps=20000", "net:labels=search"}},
	}),
	Seeds: [2]int{3, 5},
	Run:   runDataEfficiency,
}

func runDataEfficiency(ctx context.Context, t *lab.Trial) error {
	ps, _, err := loadSets(t, t.Strings("sets"), t.Int("positions"), 6)
	if err != nil {
		return err
	}
	if err := measureSuite(ctx, t, ps, "eff", t.Ints("sims"), t.Ints("nodes")); err != nil {
		return err
	}
	env, err := envFor(ctx, t)
	if err != nil {
		return err
	}
	if err := prepare(env, t.Strings("learners")...); err != nil {
		return err
	}
	for _, spec := range t.Strings("learners") {
		role, err := bots.RoleOf(spec)
		if err != nil {
			return err
		}
		if _, err := measure(ctx, t, env, bots.SuiteEntry{Spec: spec, Role: role}, ps, "learn", nil, nil); err != nil {
			return err
		}
		d, err := bots.NewIn(env, c4, spec)
		if err != nil {
			return err
		}
		if tr, ok := d.(argmax.Trainable); ok {
			c := tr.TrainingCost()
			t.RecordFor(spec, role, "train.label_steps", 0, float64(c.Steps))
			t.RecordFor(spec, role, "train.label_sims", 0, float64(c.Simulations))
		}
	}
	return nil
}

func init() {
	lab.Register(DataEfficiency)
	register(Claim{Aspect: "data efficiency", Experiments: []string{DataEfficiency.Name}, Summarize: summarizeDataEfficiency})
}

// learnerFrontier is one seed's learners as a frontier of quality against
// the model steps their labels cost.
func learnerFrontier(seed []*store.Trial) []eval.FrontierPoint {
	var pts []eval.FrontierPoint
	for _, d := range lab.Deciders(seed, "learn"+mOptimal) {
		q, c := lab.ValuesOf(seed, d.Decider, "learn"+mOptimal, 0), lab.ValuesOf(seed, d.Decider, "train.label_steps", 0)
		if len(q) > 0 && len(c) > 0 {
			p := eval.FrontierPoint{Quality: stats.Interval{Est: q[0]}}
			p.Mean.Steps = c[0]
			pts = append(pts, p)
		}
	}
	return pts
}

func summarizeDataEfficiency(res *lab.Results) Row {
	row, ts := newRow(res, DataEfficiency.Name, "data efficiency", "Data efficiency", "An amortized learner needs far more simulator calls to label its data than search spends on a decision of the same quality.", dataEfficiencyRule)
	if len(ts) == 0 {
		return row
	}
	sec := row.Section
	budgets := lab.StepsOf(ts, "mcts", "eff"+mOptimal)
	var ds []lab.Figure
	tab := report.Table{Caption: "Simulator calls for equal quality: search per decision, the learner's labels in all (mean over seeds; ≥ where the learner never got there)",
		Header: []string{"search budget", "MCTS optimal", "MCTS model steps / decision", "learner's label steps to match", "D"}}
	for _, b := range budgets {
		var logs []float64
		bound := false
		var need []float64
		for _, seed := range perSeed(ts) {
			q, st := lab.ValuesOf(seed, "mcts", "eff"+mOptimal, b), lab.ValuesOf(seed, "mcts", "eff"+mSteps, b)
			if len(q) == 0 || len(st) == 0 || st[0] <= 0 {
				continue
			}
			c, side := eval.AtQuality(learnerFrontier(seed), q[0], eval.CostSteps)
			if math.IsNaN(c) {
				continue
			}
			if side == eval.Above {
				bound = true
			}
			need = append(need, c)
			logs = append(logs, math.Log(math.Max(c, 1)/st[0]))
		}
		iv := stats.MeanCI(logs, 0.95)
		d := lab.Figure{Name: fmt.Sprintf("D at %d simulations: learner's label steps to match search / search's steps per decision", b), Unit: "×",
			Value: math.Exp(iv.Est), Lo: math.Exp(iv.Lo), Hi: math.Exp(iv.Hi), N: iv.N, Decider: entryName("mcts", "sims", b), Role: argmax.Direct}
		if len(logs) == 1 {
			d.Lo, d.Hi = d.Value, d.Value
		}
		if bound {
			d.Bound, d.Hi = ">=", math.Inf(1)
		}
		ds = append(ds, d)
		steps := meanFig(ts, "mcts", "eff"+mSteps, "", b)
		needTxt := report.Num(roundSig(stats.Mean(need)))
		if bound {
			needTxt = "≥ " + needTxt
		}
		tab.Rows = append(tab.Rows, []string{report.Num(float64(b)), pct(shareFig(ts, "mcts", "eff"+mOptimal, b).Interval()), report.Num(roundSig(steps.Value)), needTxt, d.Text()})
	}
	row.Figures = append(row.Figures, ds...)
	row.Verdict, row.Why = dataEfficiencyVerdict(ds)

	stab, figs := suiteRows(ts, "eff", "Every decider of the suite on the same positions")
	ltab, lfigs := suiteRows(ts, "learn", "The learners: nets trained on growing search-labelled data")
	ltab.Header = append(ltab.Header, "label model steps")
	for i, d := range lab.Deciders(ts, "learn"+mOptimal) {
		if i < len(ltab.Rows) {
			ltab.Rows[i] = append(ltab.Rows[i], report.Num(roundSig(meanFig(ts, d.Decider, "train.label_steps", "", 0).Value)))
		}
	}
	row.Figures = append(row.Figures, figs...)
	row.Figures = append(row.Figures, lfigs...)
	sec.Tables = append(sec.Tables, tab, ltab, stab)

	chart := report.Chart{Title: "Quality against simulator calls", XLabel: "model steps (search: per decision; learner: all its labels)", YLabel: "optimal-move share", LogX: true}
	ms := report.Series{Name: "MCTS, per decision"}
	for _, b := range budgets {
		q := shareFig(ts, "mcts", "eff"+mOptimal, b)
		if x := meanFig(ts, "mcts", "eff"+mSteps, "", b).Value; x > 0 {
			ms.Points = append(ms.Points, report.Point{X: x, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
	}
	ls := report.Series{Name: "learner, total labelling"}
	for _, d := range lab.Deciders(ts, "learn"+mOptimal) {
		q := shareFig(ts, d.Decider, "learn"+mOptimal, 0)
		if x := meanFig(ts, d.Decider, "train.label_steps", "", 0).Value; x > 0 {
			ls.Points = append(ls.Points, report.Point{X: x, Y: q.Value, Lo: q.Lo, Hi: q.Hi})
		}
	}
	chart.Series = append(chart.Series, ms, ls)
	sec.Charts = drawable(sec.Charts, chart)

	var parts []string
	for _, d := range ds {
		parts = append(parts, d.Decider+": D "+d.Text())
	}
	row.Direct = Cell{Figure: fmt.Sprintf("MCTS model steps per decision at %s simulations: %s", joinInts(budgets), joinFigs(ts, budgets))}
	row.Amortized = Cell{Figure: "label steps the learner needs to match: " + strings.Join(parts, "; ")}
	if hyb, q := bestOf(ts, "eff", argmax.Hybrid); hyb != "" {
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: best %.1f%% optimal", hyb, 100*q)}
	}
	sec.Text = "Search labels: each training position is labelled with the move MCTS plays at the learners' label budget (expert iteration's targets); the model steps counted by that search are the learner's data cost. D compares them with what search spends on one decision of the same quality."
	row.Section = sec
	return row
}

// joinInts renders budgets as "4/16/64".
func joinInts(xs []int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = report.Num(float64(x))
	}
	return strings.Join(parts, "/")
}

// joinFigs renders MCTS's model steps per decision at each budget.
func joinFigs(ts []*store.Trial, budgets []int64) string {
	parts := make([]string, len(budgets))
	for i, b := range budgets {
		parts[i] = report.Num(roundSig(meanFig(ts, "mcts", "eff"+mSteps, "", b).Value))
	}
	return strings.Join(parts, "/")
}
