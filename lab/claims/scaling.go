package claims

import (
	"context"
	"fmt"
	"math"

	"argmax"
	"argmax/game"
	"argmax/game/connect4/calibration"
	"argmax/lab"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The scaling claim: a direct optimizer turns test-time compute into
// quality — more simulations per move, better moves and more wins, along a
// smooth curve; an amortized policy has no such knob.

// Scaling measures MCTS's move quality and win rate at a simulation budget.
var Scaling = lab.Experiment{
	Name: "claims/scaling",
	Doc: "Connect four, MCTS (plain UCT, random rollouts) at a simulation budget: share of optimal moves on calibration positions from the opening and middle game (exact solver scores), " +
		"and score (win 1, draw ½) in games against a fixed MCTS reference, playing both colours from calibration openings.",
	Version: 1,
	Params: []lab.Param{
		{Name: "sims", Kind: lab.Int, Doc: "simulations per move", Quick: 256, Range: lab.Between(1, 1<<24)},
		{Name: "positions", Kind: lab.Int, Doc: "positions scored per trial", Quick: 60, Full: 360, Range: lab.Between(1, 360)},
		{Name: "openings", Kind: lab.Int, Doc: "openings per trial (two games each, one per colour)", Quick: 10, Full: 60, Range: lab.Between(0, 60)},
		{Name: "reference_sims", Kind: lab.Int, Doc: "simulations per move of the reference opponent", Quick: 256, Range: lab.Between(1, 1<<24)},
	},
	Run: func(ctx context.Context, t *lab.Trial) error {
		sims := t.Int("sims")
		ps := sample(connect4Positions(calibration.Beginning, calibration.Middle), t.Int("positions"), t.CommonRand(1))
		s, err := newMCTS(t.Rand(1), false)
		if err != nil {
			return err
		}
		acc, err := mctsAccuracy(ctx, s, ps, sims)
		if err != nil {
			return err
		}
		acc.record(t, "")
		openings := sample(connect4Positions(calibration.Beginning), t.Int("openings"), t.CommonRand(2))
		ref, err := newMCTS(t.Rand(2), false)
		if err != nil {
			return err
		}
		player := s
		var wins, draws, games int
		pb, rb := argmax.Budget{Simulations: int64(sims)}, argmax.Budget{Simulations: int64(t.Int("reference_sims"))}
		for _, o := range openings {
			for colour := 0; colour < 2; colour++ {
				var out game.Outcome
				if colour == 0 {
					out, err = playGame(ctx, o.state, player, ref, pb, rb)
				} else {
					out, err = playGame(ctx, o.state, ref, player, rb, pb)
					out = -out
				}
				if err != nil {
					return err
				}
				games++
				switch out {
				case game.Win:
					wins++
				case game.Draw:
					draws++
				}
			}
		}
		if games > 0 {
			t.Record("score", (float64(wins)+0.5*float64(draws))/float64(games))
			t.Record("wins", float64(wins))
			t.Record("draws", float64(draws))
			t.Record("games", float64(games))
		}
		return nil
	},
}

func init() {
	lab.Register(Scaling)
	register(Claim{Aspect: "scaling with compute", Experiments: []string{Scaling.Name, "claims/runtime-cost"}, Summarize: summarizeScaling})
}

// perSeedSlopes fits metric against log2(param) separately for each seed
// index and returns the slopes.
func perSeedSlopes(trials []*store.Trial, param, metric string, transform func(float64) (float64, bool)) []float64 {
	bySeed := map[int][]*store.Trial{}
	for _, t := range trials {
		bySeed[t.SeedIndex] = append(bySeed[t.SeedIndex], t)
	}
	var slopes []float64
	for i := 0; i < len(trials); i++ {
		ts, ok := bySeed[i]
		if !ok {
			continue
		}
		var xs, ys []float64
		for _, t := range ts {
			v, ok := t.Value(metric, 0)
			if !ok {
				continue
			}
			y, ok := transform(v)
			if !ok {
				continue
			}
			xs = append(xs, math.Log2(lab.ParamFloat(t, param)))
			ys = append(ys, y)
		}
		if l, err := stats.FitLine(xs, ys); err == nil {
			slopes = append(slopes, l.Slope)
		}
	}
	return slopes
}

func identity(v float64) (float64, bool) { return v, true }

func summarizeScaling(res *lab.Results) Row {
	row := Row{
		Aspect: "scaling with compute",
		Claim:  "A direct optimizer converts test-time compute into quality: MCTS's share of optimal moves and its score against a fixed opponent rise steadily with its simulation budget (16 … 16k).",
		Rule: "Fit, per seed, the score against the reference as a line in log2(simulations); holds if the slope's 95% interval (t over seeds) lies above 0 and the optimal-move share at the largest budget lies above the smallest budget's interval; " +
			"does not hold if the slope's interval lies at or below 0; otherwise inconclusive.",
		Amortized: NotMeasuredCell,
		Hybrid:    NotMeasuredCell,
		Verdict:   NotMeasured,
		Why:       "no trials",
	}
	sec := report.Section{Title: "Scaling with compute"}
	ts := res.Of(Scaling.Name)
	if len(ts) == 0 {
		row.Section = sec
		return row
	}
	xs, groups := byParam(ts, "sims")
	first, last := groups[0], groups[len(groups)-1]
	optLo, optHi := lab.CI(first, "optimal_share", 0), lab.CI(last, "optimal_share", 0)
	scLo, scHi := lab.CI(first, "score", 0), lab.CI(last, "score", 0)
	slope := stats.MeanCI(perSeedSlopes(ts, "sims", "score", identity), 0.95)

	// Error-rate power law on the means, for the chart's fitted curve.
	var fx, fy []float64
	for i, x := range xs {
		if iv := lab.CI(groups[i], "optimal_share", 0); iv.Est < 1 {
			fx = append(fx, x)
			fy = append(fy, 1-iv.Est)
		}
	}
	pl, plErr := stats.FitPowerLaw(fx, fy)
	expo := stats.MeanCI(perSeedSlopes(ts, "sims", "optimal_share", func(v float64) (float64, bool) {
		if v >= 1 {
			return 0, false
		}
		return math.Log2(1 - v), true
	}), 0.95)

	row.Verdict = Inconclusive
	switch {
	case slope.Hi <= 0:
		row.Verdict = DoesNotHold
	case slope.Lo > 0 && optHi.Est > optLo.Hi:
		row.Verdict = Holds
	}
	row.Direct = Cell{Figure: fmt.Sprintf("MCTS %s → %s sims: optimal moves %s → %s; score vs MCTS@%s %s → %s (+%.3f [%.3f, %.3f] per doubling)",
		report.Num(xs[0]), report.Num(xs[len(xs)-1]), pct(optLo), pct(optHi), lab.ParamString(first[0], "reference_sims"), fmtShare(scLo), fmtShare(scHi), slope.Est, slope.Lo, slope.Hi)}
	if plErr == nil {
		row.Direct.Figure += fmt.Sprintf("; error ≈ %.2f·N^%.2f", pl.A, pl.B)
	}
	row.Direct.Timing = timingLine(ts, "sims", "seconds_per_move", "MCTS s/move")
	row.Why = fmt.Sprintf("score slope %+.3f [%.3f, %.3f] per doubling of simulations; optimal share %.1f%% → %.1f%%", slope.Est, slope.Lo, slope.Hi, 100*optLo.Est, 100*optHi.Est)

	c1 := report.Chart{Title: "Connect four: MCTS move quality vs simulations", XLabel: "simulations per move", YLabel: "share of moves (%)", LogX: true, YRange: [2]float64{0, 100}}
	c1.Series = append(c1.Series, curve("optimal moves", ts, "sims", "optimal_share", 100), curve("strictly optimal moves", ts, "sims", "strict_share", 100), curve("optimal, critical positions only", ts, "sims", "critical_share", 100))
	if plErr == nil {
		fit := report.Series{Name: fmt.Sprintf("fit: 1 − %.2f·N^%.2f", pl.A, pl.B), Fit: true}
		for x := xs[0]; x <= xs[len(xs)-1]*1.0001; x *= math.Sqrt2 {
			fit.Points = append(fit.Points, report.P(x, 100*(1-pl.At(x))))
		}
		c1.Series = append(c1.Series, fit)
	}
	c2 := report.Chart{Title: "Connect four: score against the MCTS reference vs simulations", XLabel: "simulations per move", YLabel: "score (win 1, draw ½)", LogX: true, YRange: [2]float64{0, 1}}
	c2.Series = append(c2.Series, curve("score", ts, "sims", "score", 1))
	var sx, sy []float64
	for i, x := range xs {
		if iv := lab.CI(groups[i], "score", 0); !math.IsNaN(iv.Est) {
			sx = append(sx, math.Log2(x))
			sy = append(sy, iv.Est)
		}
	}
	logistic := func(x float64, p []float64) float64 { return 1 / (1 + math.Exp(-p[0]*(x-p[1]))) }
	if p, _, err := stats.FitCurve(logistic, sx, sy, []float64{0.5, 8}); err == nil && p[0] > 0 && p[1] >= sx[0]-2 && p[1] <= sx[len(sx)-1]+2 {
		fit := report.Series{Name: fmt.Sprintf("fit: logistic, even at N≈%s", report.Num(math.Round(math.Exp2(p[1])))), Fit: true}
		for x := xs[0]; x <= xs[len(xs)-1]*1.0001; x *= math.Sqrt2 {
			fit.Points = append(fit.Points, report.P(x, logistic(math.Log2(x), p)))
		}
		c2.Series = append(c2.Series, fit)
		row.Direct.Figure += fmt.Sprintf("; even with the reference at N≈%s", report.Num(math.Round(math.Exp2(p[1]))))
	}
	// The amortized policy has no test-time compute knob: its quality is a
	// flat line, measured on held-out middle-game positions by the
	// runtime-cost experiment (the same calibration file).
	if rc := res.Of("claims/runtime-cost"); len(lab.Values(rc, "net_optimal_share", 0)) > 0 {
		net := lab.CI(rc, "net_optimal_share", 0)
		row.Amortized = Cell{Figure: fmt.Sprintf("policy net: %s optimal moves on unseen middle-game positions, at 1 forward pass whatever the budget (no test-time compute knob)", pct(net))}
		c1.Series = append(c1.Series, report.Series{Name: "policy net (1 forward pass)", Fit: true,
			Points: []report.Point{report.P(xs[0], 100*net.Est), report.P(xs[len(xs)-1], 100*net.Est)}})
	}
	if rc := res.Of("claims/runtime-cost"); len(lab.Steps(rc, "hybrid_optimal_share")) > 0 {
		var figs []string
		for _, b := range lab.Steps(rc, "hybrid_optimal_share") {
			figs = append(figs, fmt.Sprintf("%s sims %s (UCT %s)", report.Num(float64(b)), pct(lab.CI(rc, "hybrid_optimal_share", b)), pct(lab.CI(rc, "mcts_optimal_share", b))))
		}
		row.Hybrid = Cell{Figure: "PUCT + policy-net prior on the same held-out positions: " + joinSemi(figs)}
	}
	sec.Charts = append(sec.Charts, c1, c2)
	sec.Tables = append(sec.Tables, metricTable("MCTS by budget", "sims", ts, "optimal_share", "strict_share", "critical_share", "score", "sims_per_move"))
	sec.Text = "Positions: a sample of the calibration file's opening and middle-game positions per seed (the same sample at every budget). Games: from calibration openings, one game with each colour, against MCTS with a fixed budget. "
	if !math.IsNaN(expo.Est) && !math.IsNaN(expo.Lo) {
		sec.Text += fmt.Sprintf("Fitted error exponent per seed (log2 error vs log2 N): %.2f [%.2f, %.2f]. ", expo.Est, expo.Lo, expo.Hi)
	}
	row.Section = sec
	return row
}

func fmtShare(iv stats.Interval) string {
	if math.IsNaN(iv.Est) {
		return "–"
	}
	return fmt.Sprintf("%.2f [%.2f, %.2f]", iv.Est, iv.Lo, iv.Hi)
}
