package claims

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"argmax"
	"argmax/env"
	"argmax/lab"
	"argmax/lab/envs"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// The simple-vs-rich claim: one control task moved by its knobs from
// deterministic and fully observed to stochastic, with hidden parameters
// and partially observed, and the env policies of lab/envs — planners on
// the true simulator (direct), PPO trained on each variant (amortized),
// hybrids — scored at each step of the ladder on the same episodes.

// Metrics of the env claims (decider and role are dimensions; the step is
// the level's index, or the env steps of a learning curve).
const (
	mReturn         = ".return"        // mean return over the trial's episodes
	mPerformance    = ".performance"   // mean hidden performance
	mModelSteps     = ".model_steps"   // simulator steps per decision
	mPasses         = ".passes"        // forward passes per decision
	mTrainSteps     = ".train_steps"   // env steps the learner trained for
	mTrainSeconds   = ".train_seconds" // wall time the learner trained for (†)
	mDecideTime     = ".decide_time"   // median seconds per decision (†)
	mCurve          = "curve."         // + level index: a learner's training curve
	richTag         = "rich"           // the simple-vs-rich measurements
	richTimedTag    = "rich_time"      // the same at equal wall clock per decision
	richExp         = "claims/simple-vs-rich"
	richAspect      = "simple vs rich"
	richAgentAspect = "simple vs rich (learned model)"
	richTimedAspect = "simple vs rich (equal time)"
	richBaseline    = "random"
)

// SimpleVsRich scores env policies on a ladder of variants of one task.
var SimpleVsRich = lab.Experiment{
	Name: richExp,
	Doc: "Pendulum swing-up moved from simple to rich by its knobs (each level adds one: noisy dynamics, hidden mass and length drawn per episode, noisy and flickering observations, the torque split among 4 actuators — a 4-dimensional action): " +
		"the return of planners on the true simulator (CEM, MCTS over discretized torques) and on a learned model (PETS), of PPO trained on each variant, of the hybrids (CEM started from PPO's plan, MCTS guided by PPO's policy and critic) and of the random baseline, on the same held-out episodes of every variant, with each decision's counted cost; " +
		"then every policy again with the same wall clock per decision (the planners search until it is spent).",
	Version: 3,
	Params: []lab.Param{
		{Name: "levels", Kind: lab.Strings, Doc: "env specs of the ladder, simplest first", MinLen: 2,
			Quick: []string{"pendulum", "pendulum:torque_noise=0.5,state_noise=0.02",
				"pendulum:torque_noise=0.5,state_noise=0.02,mass=0.5..1.5,length=0.6..1.4",
				"pendulum:torque_noise=0.5,state_noise=0.02,mass=0.5..1.5,length=0.6..1.4,obs_noise=0.1,flicker=0.2",
				"pendulum:torque_noise=0.5,state_noise=0.02,mass=0.5..1.5,length=0.6..1.4,obs_noise=0.1,flicker=0.2,actuators=4"}},
		{Name: "level_names", Kind: lab.Strings, Doc: "short names of the levels", MinLen: 2,
			Quick: []string{"simple", "+noisy dynamics", "+hidden mass, length", "+noisy, flickering obs", "+4 actuators"}},
		{Name: "policies", Kind: lab.Strings, Doc: "policy specs (lab/envs); learners train on each level", MinLen: 2,
			Quick: []string{"cem:samples=128,iters=4,horizon=25", "mcts", "pets", "ppo:steps=150000", "guidedcem:steps=150000", "guidedmcts:steps=150000", "random"},
			Full: []string{"cem:samples=128,iters=4,horizon=25", "cem:method=mppi,samples=128,iters=4,horizon=25", "cem:samples=512,iters=5,horizon=30",
				"mcts", "mcts:sims=800", "pets", "pets:steps=3000", "ppo:steps=400000", "guidedcem:steps=400000", "guidedcem:steps=400000,samples=256,iters=4,horizon=25", "guidedmcts:steps=400000", "random"}},
		{Name: "episodes", Kind: lab.Int, Doc: "held-out episodes per seed and level", Quick: 8, Full: 20, Range: lab.Between(1, 1e5)},
		{Name: "decision_ms", Kind: lab.Float, Doc: "wall clock per decision, in milliseconds, of the equal-time scoring (every policy within the same time; 0: not scored)", Quick: 1.0, Full: 1.0, Range: lab.Between(0, 1e4)},
	},
	Seeds: [2]int{5, 10},
	Run:   runSimpleVsRich,
}

func init() {
	lab.Register(SimpleVsRich)
	register(Claim{Aspect: richAspect, Experiments: []string{SimpleVsRich.Name}, Summarize: summarizeSimpleVsRich})
	register(Claim{Aspect: richAgentAspect, Experiments: []string{SimpleVsRich.Name}, Summarize: summarizeSimpleVsRichAgent})
	register(Claim{Aspect: richTimedAspect, Experiments: []string{SimpleVsRich.Name}, Summarize: summarizeSimpleVsRichTimed})
}

func runSimpleVsRich(ctx context.Context, t *lab.Trial) error {
	levels, names := t.Strings("levels"), t.Strings("level_names")
	if len(names) != len(levels) {
		return fmt.Errorf("%d level names for %d levels", len(names), len(levels))
	}
	seeds := episodeSeeds(t, t.Int("episodes"))
	timed := argmax.Budget{Time: time.Duration(t.Float("decision_ms") * float64(time.Millisecond))}
	for i, spec := range levels {
		for _, pol := range t.Strings("policies") {
			if err := scoreEnvPolicy(ctx, t, richTag, int64(i), spec, spec, pol, seeds); err != nil {
				return err
			}
			if timed.Time > 0 {
				if err := scoreEnvPolicyAs(ctx, t, pol, richTimedTag, int64(i), spec, spec, pol, seeds, timed); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// episodeSeeds returns a trial's held-out episode seeds: its own stream,
// far from the seeds training uses (which start from 0 in every learner).
func episodeSeeds(t *lab.Trial, n int) []uint64 {
	rng := t.Rand(7)
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = 1<<40 + rng.Uint64()>>24
	}
	return seeds
}

// trialPolicy returns the role of the policy spec pol, the context its
// policies are made in for a trial — acting in envSpec, learners training
// on trainSpec, kept in the trial's cache — and its first policy (which
// trains a learner, once).
func trialPolicy(ctx context.Context, t *lab.Trial, envSpec, trainSpec, pol string) (argmax.Role, envs.Context, env.Policy, error) {
	role, err := envs.PolicyRole(pol)
	if err != nil {
		return role, envs.Context{}, nil, err
	}
	c, err := t.Cache()
	if err != nil {
		return role, envs.Context{}, nil, err
	}
	probe, err := envs.New(envSpec)
	if err != nil {
		return role, envs.Context{}, nil, err
	}
	pc := envs.Context{Context: ctx, Train: trainSpec, Cache: c, Seed: uint64(t.SeedIndex), Env: probe}
	first, err := envs.NewPolicyIn(pc, pol)
	if err != nil {
		return role, pc, nil, fmt.Errorf("%s on %s (trained on %s): %w", pol, envSpec, trainSpec, err)
	}
	return role, pc, first, nil
}

// scoreEnvPolicy plays the trial's episodes of envSpec with the policy
// spec pol (a learner trains on trainSpec) and records its figures under
// tag at step: return, performance, cost per decision, and a learner's
// training steps and curve.
func scoreEnvPolicy(ctx context.Context, t *lab.Trial, tag string, step int64, envSpec, trainSpec, pol string, seeds []uint64) error {
	return scoreEnvPolicyAs(ctx, t, pol, tag, step, envSpec, trainSpec, pol, seeds, argmax.Budget{})
}

// scoreEnvPolicyAs is scoreEnvPolicy recording under the decider name
// (a frontier's template, whose steps are the budgets), every decision
// within b (unlimited: the policy's own configuration).
func scoreEnvPolicyAs(ctx context.Context, t *lab.Trial, name, tag string, step int64, envSpec, trainSpec, pol string, seeds []uint64, b argmax.Budget) error {
	role, pc, first, err := trialPolicy(ctx, t, envSpec, trainSpec, pol)
	if err != nil {
		return err
	}
	mkEnv := func() (env.Env, error) { return envs.New(envSpec) }
	mkPol := func(int, uint64) (env.Policy, error) { return envs.NewPolicyIn(pc, pol) }
	r, err := eval.Episodes(ctx, mkEnv, mkPol, seeds, b, eval.EpisodeOptions{Workers: 1})
	if err != nil {
		return fmt.Errorf("%s on %s: %w", pol, envSpec, err)
	}
	t.RecordFor(name, role, tag+mReturn, step, r.Return.Est)
	t.RecordFor(name, role, tag+mPerformance, step, r.Performance.Est)
	t.RecordFor(name, role, tag+mModelSteps, step, r.Mean.Steps)
	t.RecordFor(name, role, tag+mPasses, step, r.Mean.ForwardPasses)
	t.TimingFor(name, role, tag+mDecideTime, step, r.MedianTime().Seconds())
	if tr, ok := first.(envs.Trained); ok && b == (argmax.Budget{}) {
		t.RecordFor(name, role, tag+mTrainSteps, step, float64(tr.TrainingCost().Steps))
		t.TimingFor(name, role, tag+mTrainSeconds, step, tr.TrainingCost().Elapsed.Seconds())
		for _, p := range tr.Curve() {
			t.RecordFor(name, role, fmt.Sprintf("%s%s%d", tag, mCurve, step), p.Steps, p.MeanReturn)
		}
	}
	return nil
}

const richRule = "At each level L of the ladder, A(L) = (mean return of the best direct planner − mean return of the best amortized policy) / (the simplest level's mean return of the best decider − that of the random policy), per seed on the same held-out episodes, interval over seeds (the best of each side chosen by its mean over seeds at that level). " +
	"Holds if A at the simplest level has a lower bound above 0 (search ahead where the domain is simple) and A at the richest level an upper bound below 0 (the amortized policy ahead where it is rich): a crossover; " +
	"does not hold if A at the richest level has a lower bound of at least 0 (search still as good or ahead in the richest variant) or A at the simplest level an upper bound below 0 (the policy ahead even there); otherwise inconclusive."

// richVerdict decides the simple-vs-rich claim from A at the simplest and
// the richest level.
func richVerdict(simple, rich lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("A(simplest) = %s, A(richest) = %s", simple.Text(), rich.Text())
	switch {
	case math.IsNaN(simple.Value) || math.IsNaN(rich.Value):
		return Inconclusive, why + " (not all measured)"
	case rich.Lo >= 0:
		return DoesNotHold, why + ": search is still as good or better in the richest variant"
	case simple.Hi < 0:
		return DoesNotHold, why + ": the amortized policy is ahead even in the simple domain"
	case simple.Lo > 0 && rich.Hi < 0:
		return Holds, why + ": search ahead in the simple domain, the amortized policy in the rich one"
	}
	return Inconclusive, why
}

// envDeciders returns the deciders recorded under metric, by role.
func envDeciders(ts []*store.Trial, metric string) map[argmax.Role][]string {
	out := map[argmax.Role][]string{}
	for _, d := range lab.Deciders(ts, metric) {
		out[d.Role] = append(out[d.Role], d.Decider)
	}
	return out
}

// bestAt returns the decider of ds with the highest mean of metric at step
// over seeds ("" if none was measured there).
func bestAt(ts []*store.Trial, ds []string, metric string, step int64) string {
	best, bv := "", math.Inf(-1)
	for _, d := range ds {
		if v := stats.Mean(lab.ValuesOf(ts, d, metric, step)); len(lab.ValuesOf(ts, d, metric, step)) > 0 && v > bv {
			best, bv = d, v
		}
	}
	return best
}

// perSeedFig is the figure of f over seeds (f reads one seed's trials;
// seeds where it is NaN are left out), with its interval; NaN when no seed
// has it.
func perSeedFig(ts []*store.Trial, name string, f func(seed []*store.Trial) float64) lab.Figure {
	var xs []float64
	for _, seed := range perSeed(ts) {
		if x := f(seed); !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return lab.Figure{Name: name, Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	return seedsFig(name, "", xs)
}

// gapFig is the per-seed difference of metric at step between deciders a
// and b, divided by scale, as a figure with its interval over seeds.
func gapFig(ts []*store.Trial, a, b, metric string, step int64, scale float64, name string) lab.Figure {
	return perSeedFig(ts, name, func(seed []*store.Trial) float64 {
		if a == "" || b == "" {
			return math.NaN()
		}
		return (seedValue(seed, a, metric, step) - seedValue(seed, b, metric, step)) / scale
	})
}

const richClaim = "Direct optimization (planning on a model) is favourable in simple domains — deterministic, fully observed — and the amortized policy wins as the domain grows rich: stochastic, with hidden parameters, partially observed."

func summarizeSimpleVsRich(res *lab.Results) Row {
	return summarizeRich(res, richView{aspect: richAspect, title: "Simple vs rich domains", rule: richRule, tag: richTag, admit: func(string) bool { return true }, tables: true, curves: true})
}

const richAgentRule = "As the simple-vs-rich rule, with the direct side restricted to planners that know only what the agent knows — they plan from its observations on a model they learned (not on a clone of the true env, which shows them its state and hidden parameters): " +
	"A(L) = (mean return of the best such planner − mean return of the best amortized policy) / (the simplest level's return span), per seed; holds if A(simplest) has a lower bound above 0 and A(richest) an upper bound below 0; " +
	"does not hold if A(richest) has a lower bound of at least 0 or A(simplest) an upper bound below 0; otherwise inconclusive (and not measured without such a planner)."

func summarizeSimpleVsRichAgent(res *lab.Results) Row {
	row := summarizeRich(res, richView{aspect: richAgentAspect, title: "Simple vs rich domains, planning on a learned model", rule: richAgentRule, tag: richTag, admit: unprivileged})
	if row.Direct.Figure == "" && row.Verdict != NotMeasured {
		row.Verdict, row.Why = NotMeasured, "no direct planner in the ladder plans from the agent's observations alone"
	}
	return row
}

// unprivileged reports whether the policy spec names a kind that plans
// from the agent's observations only (not on a clone of the env).
func unprivileged(spec string) bool {
	k, err := envs.LookupPolicy(spec)
	return err == nil && !k.Privileged
}

const richTimedRule = "As the simple-vs-rich rule, with every policy given the same wall clock per decision (the experiment's decision_ms): the planners and hybrids search until it is spent (their configured iteration or simulation counts do not apply), the policies answer in one forward pass, well within it. " +
	"A(L) = (mean return of the best direct planner − mean return of the best amortized policy) / (the simplest level's return span), per seed on the same held-out episodes; holds if A(simplest) has a lower bound above 0 and A(richest) an upper bound below 0; " +
	"does not hold if A(richest) has a lower bound of at least 0 or A(simplest) an upper bound below 0; otherwise inconclusive. The returns depend on this machine's speed (†)."

func summarizeSimpleVsRichTimed(res *lab.Results) Row {
	row := summarizeRich(res, richView{aspect: richTimedAspect, title: "Simple vs rich domains at equal wall clock per decision", rule: richTimedRule, tag: richTimedTag, admit: func(string) bool { return true }, tables: true})
	row.TimingVerdict = true
	if ts := res.Of(richExp); len(ts) > 0 {
		if ms := lab.ParamFloat(ts[0], "decision_ms"); ms > 0 {
			row.Why += fmt.Sprintf(" (every policy within %s per decision)", dur(ms/1000))
		}
	}
	return row
}

// richView is one row's reading of the simple-vs-rich trials.
type richView struct {
	aspect, title, rule string
	tag                 string                 // the measurements read: richTag or richTimedTag
	admit               func(spec string) bool // the direct planners admitted
	tables              bool                   // add the return and cost tables and the chart
	curves              bool                   // add the learning curves
}

// summarizeRich summarizes the simple-vs-rich experiment as v reads it.
func summarizeRich(res *lab.Results, v richView) Row {
	row, ts := newRow(res, richExp, v.aspect, v.title, richClaim, v.rule)
	if len(ts) == 0 {
		return row
	}
	levels := lab.ParamStrings(ts[0], "levels")
	names := lab.ParamStrings(ts[0], "level_names")
	metric := v.tag + mReturn
	by := envDeciders(ts, metric)
	if len(by) == 0 {
		row.Why = "not scored (decision_ms 0)"
		return row
	}
	var admitted []string
	for _, d := range by[argmax.Direct] {
		if v.admit(d) {
			admitted = append(admitted, d)
		}
	}
	if len(admitted) == 0 {
		row.Why = "no admitted direct planner"
		return row
	}
	by[argmax.Direct] = admitted
	last := int64(len(levels) - 1)
	bestSimple := bestAt(ts, append(append(append([]string{}, by[argmax.Direct]...), by[argmax.Amortized]...), by[argmax.Hybrid]...), metric, 0)
	scale := stats.Mean(lab.ValuesOf(ts, bestSimple, metric, 0)) - stats.Mean(lab.ValuesOf(ts, richBaseline, metric, 0))
	if !(scale > 0) {
		scale = 1
	}
	var gaps []lab.Figure
	tab := report.Table{Caption: "Mean return per level (95% interval over seeds; the same held-out episodes for every policy)", Header: []string{"policy", "role"}}
	tab.Header = append(tab.Header, names...)
	chart := report.Chart{Title: "Return as the domain grows rich", XLabel: "richness level (" + strings.Join(names, " → ") + ")", YLabel: "mean return"}
	if v.tag == richTimedTag {
		tab.Caption = "Mean return per level at equal wall clock per decision († ; 95% interval over seeds, the same held-out episodes for every policy)"
		chart.Title = "Return as the domain grows rich, at equal wall clock per decision †"
	}
	for _, d := range lab.Deciders(ts, metric) {
		cells := []string{d.Decider, string(d.Role)}
		s := report.Series{Name: d.Decider}
		for l := range levels {
			f := meanFig(ts, d.Decider, metric, "", int64(l))
			f.Name, f.Decider, f.Role = fmt.Sprintf("return at level %d (%s)", l, names[l]), d.Decider, d.Role
			f.Timing = v.tag == richTimedTag
			row.Figures = append(row.Figures, f)
			cells = append(cells, f.Text())
			s.Points = append(s.Points, report.Point{X: float64(l), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
		}
		tab.Rows = append(tab.Rows, cells)
		chart.Series = append(chart.Series, s)
	}
	gtab := report.Table{Caption: "A(L): best direct minus best amortized, in units of the simple task's range", Header: []string{"level", "best direct", "best amortized", "A"}}
	crossover := ""
	for l := range levels {
		dBest, aBest := bestAt(ts, by[argmax.Direct], metric, int64(l)), bestAt(ts, by[argmax.Amortized], metric, int64(l))
		g := gapFig(ts, dBest, aBest, metric, int64(l), scale, fmt.Sprintf("A at level %d (%s)", l, names[l]))
		g.Decider, g.Timing = dBest, v.tag == richTimedTag
		gaps = append(gaps, g)
		gtab.Rows = append(gtab.Rows, []string{names[l], dBest, aBest, g.Text()})
		if crossover == "" && g.Value < 0 {
			crossover = names[l]
		}
	}
	row.Figures = append(row.Figures, gaps...)
	row.Verdict, row.Why = richVerdict(gaps[0], gaps[last])
	if crossover != "" {
		row.Why += "; A first turns negative at " + crossover
	} else {
		row.Why += "; A stays positive on the whole ladder (no crossover)"
	}

	ctab := report.Table{Caption: "Cost per decision at the simplest level (mean over seeds)", Header: []string{"policy", "simulator steps / decision", "forward passes / decision", "median time / decision †", "training env steps"}}
	for _, d := range lab.Deciders(ts, metric) {
		ctab.Rows = append(ctab.Rows, []string{d.Decider, report.Num(roundSig(meanFig(ts, d.Decider, v.tag+mModelSteps, "", 0).Value)),
			report.Num(roundSig(meanFig(ts, d.Decider, v.tag+mPasses, "", 0).Value)), dur(meanFig(ts, d.Decider, v.tag+mDecideTime, "", 0).Value),
			report.Num(roundSig(meanFig(ts, d.Decider, richTag+mTrainSteps, "", 0).Value))})
	}
	sec := row.Section
	sec.Tables = append(sec.Tables, gtab)
	if v.tables {
		sec.Tables = append(sec.Tables, tab, ctab)
		sec.Charts = drawable(sec.Charts, chart)
	} else {
		sec.Charts = drawable(sec.Charts, gapChart(gaps, names))
	}
	if v.curves {
		sec.Charts = append(sec.Charts, learningCurves(ts, richTag, names)...)
	}
	sec.Text = "The privileged planners (cem, mcts, and the hybrids built on them) simulate clones of the env itself, reseeded so that they face its noise as a distribution rather than foreseeing it; through the clone they see the whole state, hidden parameters included, even where the agent's observation is noisy or blank — the privilege of a perfect model, which the amortized policy, reading observations only, does not have. " +
		"The planners on a learned model (pets) know only what the agent knows: they fit their model to its observations of each level's variant and plan from the observation. " +
		"PPO trains on each level's own variant (its training distribution is the test distribution) and answers with the mean of its policy. " +
		"The last level splits the torque among 4 actuators (their mean is applied): the same task with a 4-dimensional action, where MCTS's discretization has 5⁴ = 625 joint actions."
	if v.tag == richTimedTag {
		sec.Text = "Every policy of the ladder again, each decision within the same wall clock: CEM, PETS and guided CEM run iterations, MCTS and guided MCTS simulations, until it is spent (an iteration or simulation under way finishes, so a decision can run slightly over); PPO and the random policy answer at once. " +
			"The privileges of the planners are those of the row above; the returns depend on this machine's speed and load (†)."
	}
	row.Section = sec

	dBest, aBest := bestAt(ts, by[argmax.Direct], metric, 0), bestAt(ts, by[argmax.Amortized], metric, 0)
	row.Direct = Cell{Figure: fmt.Sprintf("%s: return %s (simple) → %s (richest)", dBest, meanFig(ts, dBest, metric, "", 0).Text(), meanFig(ts, dBest, metric, "", last).Text())}
	row.Amortized = Cell{Figure: fmt.Sprintf("%s: return %s (simple) → %s (richest)", aBest, meanFig(ts, aBest, metric, "", 0).Text(), meanFig(ts, aBest, metric, "", last).Text())}
	if len(by[argmax.Hybrid]) > 0 {
		h := bestAt(ts, by[argmax.Hybrid], metric, 0)
		row.Hybrid = Cell{Figure: fmt.Sprintf("%s: return %s (simple) → %s (richest)", h, meanFig(ts, h, metric, "", 0).Text(), meanFig(ts, h, metric, "", last).Text()),
			Timing: fmt.Sprintf("%s: %s / decision", h, dur(meanFig(ts, h, v.tag+mDecideTime, "", 0).Value))}
	}
	row.Direct.Timing = fmt.Sprintf("%s: %s / decision", dBest, dur(meanFig(ts, dBest, v.tag+mDecideTime, "", 0).Value))
	row.Amortized.Timing = fmt.Sprintf("%s: %s / decision", aBest, dur(meanFig(ts, aBest, v.tag+mDecideTime, "", 0).Value))
	return row
}

// learningCurves draws each learner's training curve at every level: the
// mean return of its last training episodes against env steps, with the
// band over seeds (seeds share the steps of their updates).
func learningCurves(ts []*store.Trial, tag string, names []string) []report.Chart {
	var charts []report.Chart
	for l := range names {
		metric := fmt.Sprintf("%s%s%d", tag, mCurve, l)
		chart := report.Chart{Title: "Learning curves: " + names[l], XLabel: "env steps trained", YLabel: "mean return of the last training episodes"}
		for _, d := range lab.Deciders(ts, metric) {
			if d.Role != argmax.Amortized { // a hybrid's policy is an amortized one's
				continue
			}
			s := report.Series{Name: d.Decider}
			for _, st := range lab.StepsOf(ts, d.Decider, metric) {
				f := meanFig(ts, d.Decider, metric, "", st)
				if f.N < 2 {
					continue
				}
				s.Points = append(s.Points, report.Point{X: float64(st), Y: f.Value, Lo: f.Lo, Hi: f.Hi})
			}
			chart.Series = append(chart.Series, s)
		}
		charts = drawable(charts, chart)
	}
	return charts
}

// gapChart draws A(L) against the level.
func gapChart(gaps []lab.Figure, names []string) report.Chart {
	s := report.Series{Name: "A: best planner − best policy"}
	for l, g := range gaps {
		s.Points = append(s.Points, report.Point{X: float64(l), Y: g.Value, Lo: g.Lo, Hi: g.Hi})
	}
	return report.Chart{Title: "A(L) as the domain grows rich", XLabel: "richness level (" + strings.Join(names, " → ") + ")", YLabel: "A (units of the simple task's return span)", Series: []report.Series{s}}
}
