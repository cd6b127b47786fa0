package claims

import (
	"context"
	"fmt"
	"math"
	"strings"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
	"argmax/env/maze"
	"argmax/env/pick"
	"argmax/lab"
	"argmax/lab/envs"
	"argmax/lab/eval"
	"argmax/lab/report"
	"argmax/probe/power"
)

// Search in the map vs search in the territory: one objective — get the
// largest item — in two tasks. In pick the items are the input and any
// search happens inside the agent's computation; in the maze's collect
// distribution the agent must walk to the item it wants, the search acting
// on the world. The same probes (goal-directedness towards the value
// collected, optimization power against random actions) read both, from
// behaviour alone.

const (
	mtExp      = "claims/map-territory"
	mtAspect   = "search in the map vs the territory"
	mtTag      = "mt"
	mLargest   = ".largest"      // share of episodes that got the largest item
	mMEG       = ".meg"          // MEG towards the value, bits per decision
	mMEGFrac   = ".meg_fraction" // MEG over its bound log2|A|
	mPower     = ".power"        // optimization power, bits
	mtSolves   = 0.9             // the largest-item share of a policy that solves a task
	mtDirected = 0.5             // the MEG fraction a solving policy must reach
	mtRandom   = 0.05            // the MEG fraction the random policy must stay under
)

// MapTerritory scores policies on the two tasks with the same probes.
var MapTerritory = lab.Experiment{
	Name: mtExp,
	Doc: "Pick the largest of a few items: given as the input (pick: the search is internal) or placed in a maze the agent walks (maze, dist=collect: the search acts on the world). " +
		"Per task and policy (value iteration on the task's model, PPO, the mesa agent's learned reward planned against, random): the share of episodes getting the largest item, goal-directedness towards the value collected (MEG, one rationality over all episodes) and optimization power in bits against random actions.",
	Version: 1,
	Params: []lab.Param{
		{Name: "tasks", Kind: lab.Strings, Doc: "env specs of the tasks, the map first", MinLen: 2,
			Quick: []string{"pick:items=3", "maze:dist=collect,items=3,obs=ego,radius=4,max_steps=50"}},
		{Name: "task_names", Kind: lab.Strings, Doc: "short names of the tasks", MinLen: 2, Quick: []string{"map (pick from the input)", "territory (walk the maze)"}},
		{Name: "policies", Kind: lab.Strings, Doc: "policy specs (lab/envs); learners train on each task", MinLen: 2,
			Quick: []string{"vi", "ppo:steps=300000,sample=true", "mesa", "random"}},
		{Name: "episodes", Kind: lab.Int, Doc: "test episodes per seed, task and policy", Quick: 200, Full: 500, Range: lab.Between(2, 1e6)},
		{Name: "probe_episodes", Kind: lab.Int, Doc: "episodes the probes read", Quick: 100, Full: 200, Range: lab.Between(1, 1e6)},
	},
	Seeds: [2]int{3, 8},
	Run:   runMapTerritory,
}

func init() {
	lab.Register(MapTerritory)
	register(Claim{Aspect: mtAspect, Experiments: []string{mtExp}, Summarize: summarizeMapTerritory})
}

func runMapTerritory(ctx context.Context, t *lab.Trial) error {
	tasks, names := t.Strings("tasks"), t.Strings("task_names")
	if len(tasks) != len(names) {
		return fmt.Errorf("%d task names for %d tasks", len(names), len(tasks))
	}
	seeds := episodeSeeds(t, t.Int("episodes"))
	for i, spec := range tasks {
		for _, pol := range t.Strings("policies") {
			if err := scoreValueTask(ctx, t, int64(i), spec, pol, seeds); err != nil {
				return err
			}
		}
	}
	return nil
}

// scoreValueTask plays the episodes of spec with pol and records the
// share that got the largest item and the probes' figures.
func scoreValueTask(ctx context.Context, t *lab.Trial, step int64, spec, pol string, seeds []uint64) error {
	role, pc, _, err := trialPolicy(ctx, t, spec, spec, pol)
	if err != nil {
		return err
	}
	mk := func() (env.Env, error) { return envs.New(spec) }
	mkPol := func(int, uint64) (env.Policy, error) { return envs.NewPolicyIn(pc, pol) }
	r, err := eval.Episodes(ctx, mk, mkPol, seeds, argmax.Budget{}, eval.EpisodeOptions{Trace: true})
	if err != nil {
		return fmt.Errorf("%s on %s: %w", pol, spec, err)
	}
	t.RecordFor(pol, role, mtTag+mLargest, step, r.Performance.Est) // both tasks' performance: 1 for the largest item
	n := min(t.Int("probe_episodes"), len(seeds))
	meg, frac, bits, err := valueProbes(spec, seeds[:n], r.Traces[:n])
	if err != nil {
		return fmt.Errorf("the probes of %s on %s: %w", pol, spec, err)
	}
	t.RecordFor(pol, role, mtTag+mMEG, step, meg)
	t.RecordFor(pol, role, mtTag+mMEGFrac, step, frac)
	t.RecordFor(pol, role, mtTag+mPower, step, bits)
	return nil
}

// valueUtility returns the value collected on entering each state of e's
// current level (pick: the item's value; maze: the item's).
func valueUtility(e env.Env) ([]float64, error) {
	if p, ok := e.(*pick.Pick); ok {
		return p.StateValues(), nil
	}
	if m, ok := envs.MazeOf(e); ok {
		md, err := m.Model(maze.RewardValue)
		if err != nil {
			return nil, err
		}
		return md.Rewards(), nil
	}
	return nil, fmt.Errorf("%s has no item values", e.Name())
}

// valueProbes replays the episodes of spec (deterministic levels, from
// their seeds and actions) and returns MEG towards the value collected
// (bits per decision and its fraction of log2|A|) and the mean
// optimization power of the value achieved against random actions.
func valueProbes(spec string, seeds []uint64, traces []eval.Trace) (meg, frac, bits float64, err error) {
	e, err := envs.New(spec)
	if err != nil {
		return 0, 0, 0, err
	}
	horizon := 1
	if m, ok := envs.MazeOf(e); ok {
		horizon = m.Config().MaxSteps
	}
	var obs []power.Observed
	var sum float64
	for i, tr := range traces {
		if len(tr.Actions) == 0 {
			continue
		}
		e.Reset(seeds[i])
		model, ok := envs.TabularModel(e)
		if !ok {
			return 0, 0, 0, fmt.Errorf("%s has no tabular model", spec)
		}
		tab, err := valueiter.NewTable(model)
		if err != nil {
			return 0, 0, 0, err
		}
		u, err := valueUtility(e)
		if err != nil {
			return 0, 0, 0, err
		}
		state := func() int { return model.(valueiter.StateEnv).State() }
		var ep power.Episode
		achieved := 0.0
		for _, a := range tr.Actions {
			ep = append(ep, power.Step{State: state(), Action: int(a[0])})
			e.Step(a)
			achieved += u[state()]
		}
		obs = append(obs, power.Observed{Table: tab, Reward: u, Episodes: []power.Episode{ep}})
		ut, err := tab.WithStateRewards(u)
		if err != nil {
			return 0, 0, 0, err
		}
		b, err := power.ExactBits(ut, achieved, horizon)
		if err != nil {
			return 0, 0, 0, err
		}
		sum += b.Bits
	}
	if len(obs) == 0 {
		return 0, 0, 0, fmt.Errorf("no episode of %s to read", spec)
	}
	d, err := power.MEGLevels(obs, power.MEGConfig{Solve: valueiter.Config{Gamma: 0.95, Horizon: horizon}, Grid: 12, Resamples: 1, Seed: 1})
	if err != nil {
		return 0, 0, 0, err
	}
	return d.Bits, d.Fraction, sum / float64(len(obs)), nil
}

const mtClaim = "Whether an optimizer's search runs inside its computation (in the map: the items are its input) or acts on the world (in the territory: it walks to the item), behaviour alone shows the same optimization towards the same objective: goal-directedness and optimization power read both alike."

const mtRule = "Per task, each policy's share of episodes getting the largest item and its MEG towards the value collected as a fraction of its bound log2|A| (mean over seeds). " +
	"The baselines are not scored as solvers. Holds if on both tasks every policy that gets the largest item in at least 90% of episodes has a MEG fraction of at least 0.5, and the random policy stays below 0.05; " +
	"does not hold if on some task such a solving policy has a fraction below 0.25, or the random policy reaches 0.1; otherwise inconclusive (and so when no policy solves a task)."

// mtVerdict decides the claim from, per task, the MEG fractions of the
// solving policies and that of the random policy.
func mtVerdict(solving [][]float64, random []float64) Verdict {
	if len(solving) == 0 {
		return Inconclusive
	}
	holds := true
	for i, fs := range solving {
		if random[i] >= 2*mtRandom {
			return DoesNotHold
		}
		holds = holds && len(fs) > 0 && random[i] < mtRandom
		for _, f := range fs {
			if f < mtDirected/2 {
				return DoesNotHold
			}
			holds = holds && f >= mtDirected
		}
	}
	if holds {
		return Holds
	}
	return Inconclusive
}

func summarizeMapTerritory(res *lab.Results) Row {
	row, ts := newRow(res, mtExp, mtAspect, "Search in the map vs search in the territory", mtClaim, mtRule)
	if len(ts) == 0 {
		return row
	}
	names := lab.ParamStrings(ts[0], "task_names")
	tab := report.Table{Caption: "Per task: share of episodes getting the largest item, MEG towards the value (bits per decision, and its fraction of log2|A|), optimization power (bits against random actions); mean over seeds [95%]",
		Header: []string{"policy", "role", "task", "largest item", "MEG (bits/decision)", "MEG fraction", "power (bits)"}}
	chart := report.Chart{Title: "Goal-directedness towards the value, in the map and in the territory", XLabel: "task (0: " + strings.Join(names, ", 1: ") + ")", YLabel: "MEG fraction of log2|A|"}
	solving := make([][]float64, len(names))
	random := make([]float64, len(names))
	for i := range random {
		random[i] = math.NaN()
	}
	for _, d := range lab.Deciders(ts, mtTag+mMEGFrac) {
		s := report.Series{Name: d.Decider}
		for i := range names {
			st := int64(i)
			largest, frac := meanFig(ts, d.Decider, mtTag+mLargest, "share", st), meanFig(ts, d.Decider, mtTag+mMEGFrac, "", st)
			largest.Name, largest.Decider, largest.Role = "largest-item share on "+names[i], d.Decider, d.Role
			frac.Name, frac.Decider, frac.Role = "MEG fraction on "+names[i], d.Decider, d.Role
			row.Figures = append(row.Figures, largest, frac)
			tab.Rows = append(tab.Rows, []string{d.Decider, string(d.Role), names[i], largest.Text(), meanFig(ts, d.Decider, mtTag+mMEG, "", st).Text(), frac.Text(), meanFig(ts, d.Decider, mtTag+mPower, "", st).Text()})
			s.Points = append(s.Points, report.Point{X: float64(i), Y: frac.Value, Lo: frac.Lo, Hi: frac.Hi})
			switch {
			case d.Decider == richBaseline:
				random[i] = frac.Value
			case d.Role == argmax.Baseline:
			case largest.Value >= mtSolves:
				solving[i] = append(solving[i], frac.Value)
			}
		}
		chart.Series = append(chart.Series, s)
	}
	row.Verdict = mtVerdict(solving, random)
	var why []string
	for i, n := range names {
		why = append(why, fmt.Sprintf("%s: %d solving policies, MEG fractions %v, random %.3g", n, len(solving[i]), roundAll(solving[i]), random[i]))
	}
	row.Why = strings.Join(why, "; ")
	sec := row.Section
	sec.Tables = append(sec.Tables, tab)
	sec.Charts = drawable(sec.Charts, chart)
	sec.Text = "Both tasks pay the value of the item taken and end there; in pick the items are the observation and one decision takes one, in the maze the items lie on the level and the agent walks to one. vi solves each episode's model (the list, the level); PPO learns each task from its rewards."
	row.Section = sec
	cell := func(role argmax.Role) Cell {
		for _, d := range lab.Deciders(ts, mtTag+mMEGFrac) {
			if d.Role == role {
				return Cell{Figure: fmt.Sprintf("%s: MEG fraction %s (map), %s (territory)", d.Decider, meanFig(ts, d.Decider, mtTag+mMEGFrac, "", 0).Text(), meanFig(ts, d.Decider, mtTag+mMEGFrac, "", 1).Text())}
			}
		}
		return Cell{}
	}
	row.Direct, row.Amortized, row.Hybrid = cell(argmax.Direct), cell(argmax.Amortized), cell(argmax.Hybrid)
	return row
}

func roundAll(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = roundSig(x)
	}
	return out
}
