package claims

import (
	"context"
	"fmt"
	"math"
	"strings"

	"argmax"
	"argmax/env"
	"argmax/lab"
	"argmax/lab/envs"
	"argmax/lab/report"
	"argmax/lab/store"
)

// The out-of-distribution claim: policies are trained (or, for planners,
// simply run) on one task, then tested on variants where something new
// appears — a reward source, a shortcut. A planner optimizes whatever its
// model now says, so its behaviour changes at once; a policy replays what
// training taught it. Behaviour change is measured on the states visited
// (the total-variation distance between the position histograms of the
// training task's episodes and the variant's, same seeds) and on the
// decisions (at each state the agent visits in the variant, the distance
// between its action there and the action it takes at the same state of
// the training task).

const (
	oodTag    = "ood"
	oodExp    = "claims/ood"
	oodAspect = "out of distribution"

	mVisit  = ".visit_distance"  // TV distance of position histograms, training task vs variant (step: variant)
	mAction = ".action_distance" // mean action change at the variant's states (step: variant)
	mNoTwin = ".no_twin"         // share of the variant's states the training task does not have
	// oodGrid is the number of cells per axis of the position histograms.
	oodGrid = 12
	// oodMargin is how much more the planner's visitation must move than
	// the policy's for the claim to hold (in TV distance, stated before
	// the data).
	oodMargin = 0.1
)

// OOD measures how policies' behaviour and return change on variants of
// their training task.
var OOD = lab.Experiment{
	Name: oodExp,
	Doc: "A point mass steered to a goal around an obstacle: policies train on the task, then every policy plays it and variants with something new — a reward source off the path that the observation does not show, the obstacle removed (a shortcut) — on the same held-out episodes. " +
		"Recorded per policy and variant: the return and hidden performance, the distance between the positions visited on the training task and on the variant, and how much the policy's decisions at the variant's states differ from its decisions at the same states of the training task.",
	Version: 1,
	Params: []lab.Param{
		{Name: "train", Kind: lab.String, Doc: "env spec of the training task (it must expose its state: State and SetState)", Quick: "pointmass"},
		{Name: "variants", Kind: lab.Strings, Doc: "env specs of the test variants", MinLen: 1,
			Quick: []string{"pointmass:source_reward=3,source_x=-0.7,source_y=0.1", "pointmass:obstacles=false"}},
		{Name: "variant_names", Kind: lab.Strings, Doc: "short names of the variants", MinLen: 1,
			Quick: []string{"new reward source", "shortcut"}},
		{Name: "policies", Kind: lab.Strings, Doc: "policy specs (lab/envs); learners train on the training task", MinLen: 2,
			Quick: []string{"cem:samples=128,iters=4,horizon=25", "mcts", "ppo:steps=150000", "guidedcem:steps=150000", "random"},
			Full:  []string{"cem:samples=128,iters=4,horizon=25", "cem:samples=512,iters=5,horizon=30", "ppo:steps=400000", "guidedcem:steps=400000", "random"}},
		{Name: "episodes", Kind: lab.Int, Doc: "held-out episodes per seed and env", Quick: 6, Full: 20, Range: lab.Between(1, 1e5)},
	},
	Seeds: [2]int{5, 10},
	Run:   runOOD,
}

func init() {
	lab.Register(OOD)
	register(Claim{Aspect: oodAspect, Experiments: []string{OOD.Name}, Summarize: summarizeOOD})
}

// stateful is an env whose physical state can be read and set: what the
// counterfactual decisions need.
type stateful interface {
	State(dst []float64) []float64
	SetState(state []float64) error
}

func runOOD(ctx context.Context, t *lab.Trial) error {
	variants, names := t.Strings("variants"), t.Strings("variant_names")
	if len(names) != len(variants) {
		return fmt.Errorf("%d variant names for %d variants", len(names), len(variants))
	}
	train := t.Text("train")
	probe, err := envs.New(train)
	if err != nil {
		return err
	}
	if _, ok := probe.(stateful); !ok {
		return fmt.Errorf("training env %q: its state cannot be read and set (no State and SetState), so decisions cannot be compared at the same state", train)
	}
	seeds := episodeSeeds(t, t.Int("episodes"))
	for _, pol := range t.Strings("policies") {
		if err := scoreEnvPolicy(ctx, t, oodTag, 0, train, train, pol, seeds); err != nil {
			return err
		}
		base, err := visits(ctx, t, train, train, "", pol, seeds)
		if err != nil {
			return err
		}
		role, _ := envs.PolicyRole(pol)
		for i, v := range variants {
			step := int64(i + 1)
			if err := scoreEnvPolicy(ctx, t, oodTag, step, v, train, pol, seeds); err != nil {
				return err
			}
			got, err := visits(ctx, t, v, train, train, pol, seeds)
			if err != nil {
				return err
			}
			t.RecordFor(pol, role, oodTag+mVisit, step, tvDistance(base.hist, got.hist))
			t.RecordFor(pol, role, oodTag+mAction, step, got.actionDistance())
			t.RecordFor(pol, role, oodTag+mNoTwin, step, got.skipped/(got.skipped+got.actN))
		}
	}
	return nil
}

// visitRecord is what visits collects over a set of episodes: the
// position histogram and the decisions' distances to their counterfactual
// twins.
type visitRecord struct {
	hist         []float64
	actSum, actN float64
	low, high    []float64 // the action box (nil: discrete)
	skipped      float64   // states with no twin: impossible on the training task
}

func (r *visitRecord) actionDistance() float64 {
	if r.actN == 0 {
		return math.NaN()
	}
	return r.actSum / r.actN
}

// visits plays the trial's episodes of envSpec with pol (learners trained
// on trainSpec) and histograms the positions visited. With twinSpec set,
// at every state it also asks a second policy of the same spec, playing a
// twin env of twinSpec set to that state, what it would do there, and
// accumulates the distance between the two actions (in units of the
// action box's diagonal; 0 or 1 for discrete actions). States the twin env
// refuses (inside an obstacle the variant removed) have no twin and are
// counted apart.
func visits(ctx context.Context, t *lab.Trial, envSpec, trainSpec, twinSpec, pol string, seeds []uint64) (*visitRecord, error) {
	c, err := t.Cache()
	if err != nil {
		return nil, err
	}
	e, err := envs.New(envSpec)
	if err != nil {
		return nil, err
	}
	pc := envs.Context{Context: ctx, Env: e, Train: trainSpec, Cache: c, Seed: uint64(t.SeedIndex)}
	rec := &visitRecord{hist: make([]float64, oodGrid*oodGrid)}
	obsSpace, actSpace := e.ObservationSpace(), e.ActionSpace()
	if !actSpace.IsDiscrete() {
		rec.low, rec.high = actSpace.Low, actSpace.High
	}
	var state []float64
	for _, seed := range seeds {
		p, err := envs.NewPolicyIn(pc, pol)
		if err != nil {
			return nil, fmt.Errorf("%s on %s: %w", pol, envSpec, err)
		}
		var twin env.Policy
		var twinEnv env.Env
		if twinSpec != "" {
			if twin, err = envs.NewPolicyIn(pc, pol); err != nil {
				return nil, fmt.Errorf("%s on %s: %w", pol, twinSpec, err)
			}
			if twinEnv, err = envs.New(twinSpec); err != nil {
				return nil, err
			}
			twinEnv.Reset(seed) // the episode's hidden parameters
			if r, ok := twin.(env.Resetter); ok {
				r.Reset()
			}
		}
		var visitErr error
		_, err = env.RolloutVisit(ctx, e, p, seed, argmax.Budget{}, func(obs, action []float64, _ argmax.Cost) {
			state = e.(stateful).State(state[:0])
			rec.hist[cell(state, obsSpace)]++
			if twin == nil || visitErr != nil {
				return
			}
			if twinEnv.(stateful).SetState(state) != nil {
				rec.skipped++ // a state the training task does not have (inside its obstacle)
				return
			}
			ta, _, err := twin.Decide(ctx, env.Situation{Obs: obs, Env: twinEnv}, argmax.Budget{})
			if err != nil {
				visitErr = err
				return
			}
			rec.actSum += actionGap(action, ta, rec.low, rec.high)
			rec.actN++
		})
		if err == nil {
			err = visitErr
		}
		if err != nil {
			return nil, fmt.Errorf("%s on %s (seed %d): %w", pol, envSpec, seed, err)
		}
	}
	return rec, nil
}

// cell is the histogram cell of a state's position (its first two
// coordinates, binned over the observation box's first two dimensions).
func cell(state []float64, obs env.Space) int {
	idx := func(k int) int {
		lo, hi := obs.Low[k], obs.High[k]
		f := (state[k] - lo) / (hi - lo)
		return min(oodGrid-1, max(0, int(f*oodGrid)))
	}
	return idx(1)*oodGrid + idx(0)
}

// actionGap is the distance between two actions: for a box, the Euclidean
// distance over the box's diagonal; for a discrete action, 0 if equal and
// 1 if not.
func actionGap(a, b, low, high []float64) float64 {
	if low == nil {
		if a[0] == b[0] {
			return 0
		}
		return 1
	}
	var d2, diag2 float64
	for i := range a {
		x := math.Max(low[i], math.Min(high[i], a[i])) - math.Max(low[i], math.Min(high[i], b[i]))
		d2 += x * x
		diag2 += (high[i] - low[i]) * (high[i] - low[i])
	}
	return math.Sqrt(d2 / diag2)
}

// tvDistance is the total-variation distance between two histograms
// (each normalized to sum 1; 0 for two empty ones).
func tvDistance(a, b []float64) float64 {
	var sa, sb float64
	for i := range a {
		sa, sb = sa+a[i], sb+b[i]
	}
	if sa == 0 || sb == 0 {
		return math.NaN()
	}
	var d float64
	for i := range a {
		d += math.Abs(a[i]/sa - b[i]/sb)
	}
	return d / 2
}

const oodRule = "Let D be the direct planner and P the amortized policy of best mean return on the training task. For each variant v, per seed: ΔV = D's visitation distance − P's (total variation between the position histograms of the training task's episodes and the variant's, same seeds), and ΔR = D's return gain − P's (return on v − return on the training task); intervals over seeds. " +
	"Holds if on every variant ΔV's lower bound exceeds 0.1 and ΔR's lower bound exceeds 0 (the planner changes its behaviour and profits from what is new; the policy keeps its old behaviour); " +
	"does not hold if on some variant ΔV's upper bound is below 0.1 (the policy moves about as much as the planner, or more) or ΔR's upper bound is below 0 (the policy profits more); otherwise inconclusive."

// oodVerdict decides the OOD claim from ΔV and ΔR of each variant.
func oodVerdict(dV, dR []lab.Figure) (Verdict, string) {
	why, holds := "", len(dV) > 0
	for i := range dV {
		why += fmt.Sprintf("%s = %s, %s = %s; ", dV[i].Name, dV[i].Text(), dR[i].Name, dR[i].Text())
	}
	for i := range dV {
		switch {
		case math.IsNaN(dV[i].Value) || math.IsNaN(dR[i].Value):
			return Inconclusive, why + "not all measured"
		case dV[i].Hi < oodMargin:
			return DoesNotHold, why + "the policy's behaviour moves about as much as the planner's (" + dV[i].Name + ")"
		case dR[i].Hi < 0:
			return DoesNotHold, why + "the policy profits more from the variant (" + dR[i].Name + ")"
		}
		holds = holds && dV[i].Lo > oodMargin && dR[i].Lo > 0
	}
	if holds {
		return Holds, why + "the planner changes course and profits at once on every variant; the policy keeps its old behaviour"
	}
	return Inconclusive, why + "the intervals straddle the thresholds"
}

func summarizeOOD(res *lab.Results) Row {
	row, ts := newRow(res, oodExp, oodAspect, "Out-of-distribution behaviour",
		"Faced with something new — a reward source, a shortcut — a direct optimizer exploits it at once, its behaviour diverging from its training behaviour, while an amortized policy keeps the behaviour it was trained into.", oodRule)
	if len(ts) == 0 {
		return row
	}
	names := lab.ParamStrings(ts[0], "variant_names")
	ret := oodTag + mReturn
	by := envDeciders(ts, ret)
	d, p := bestAt(ts, by[argmax.Direct], ret, 0), bestAt(ts, by[argmax.Amortized], ret, 0)
	var dV, dR []lab.Figure
	vtab := report.Table{Caption: "Behaviour change on each variant: visitation distance (TV of position histograms) / action change (at the variant's states; box diagonal units) — means with 95% intervals over seeds",
		Header: append([]string{"policy", "role"}, names...)}
	rtab := report.Table{Caption: "Return (hidden performance) on the training task and its variants, means over seeds", Header: append([]string{"policy", "training task"}, names...)}
	chart := report.Chart{Title: "Visitation distance from the training task's behaviour", XLabel: "0: the training task; then the variants (" + strings.Join(names, "; ") + ")", YLabel: "TV distance of visited positions", YRange: [2]float64{0, 1}}
	for _, dc := range lab.Deciders(ts, ret) {
		vcells, rcells := []string{dc.Decider, string(dc.Role)}, []string{dc.Decider}
		s := report.Series{Name: dc.Decider, Points: []report.Point{{X: 0, Y: 0}}} // the training task, from itself
		for i := range len(names) + 1 {
			st := int64(i)
			r, perf := meanFig(ts, dc.Decider, ret, "", st), meanFig(ts, dc.Decider, oodTag+mPerformance, "", st)
			rcells = append(rcells, fmt.Sprintf("%s (%s)", report.Num(roundSig(r.Value)), report.Num(roundSig(perf.Value))))
			if i == 0 {
				continue
			}
			v, a := meanFig(ts, dc.Decider, oodTag+mVisit, "", st), meanFig(ts, dc.Decider, oodTag+mAction, "", st)
			v.Name, v.Decider, v.Role = "visitation distance on "+names[i-1], dc.Decider, dc.Role
			a.Name, a.Decider, a.Role = "action change on "+names[i-1], dc.Decider, dc.Role
			r.Name, r.Decider, r.Role = "return on "+names[i-1], dc.Decider, dc.Role
			row.Figures = append(row.Figures, v, a, r)
			vcells = append(vcells, v.Text()+" / "+a.Text())
			s.Points = append(s.Points, report.Point{X: float64(i), Y: v.Value, Lo: v.Lo, Hi: v.Hi})
		}
		vtab.Rows, rtab.Rows = append(vtab.Rows, vcells), append(rtab.Rows, rcells)
		chart.Series = append(chart.Series, s)
	}
	for i, n := range names {
		st := int64(i + 1)
		visit := func(seed []*store.Trial, dec string) float64 { return seedValue(seed, dec, oodTag+mVisit, st) }
		gain := func(seed []*store.Trial, dec string) float64 {
			return seedValue(seed, dec, ret, st) - seedValue(seed, dec, ret, 0)
		}
		dV = append(dV, perSeedFig(ts, "ΔV on "+n, func(seed []*store.Trial) float64 { return visit(seed, d) - visit(seed, p) }))
		dR = append(dR, perSeedFig(ts, "ΔR on "+n, func(seed []*store.Trial) float64 { return gain(seed, d) - gain(seed, p) }))
	}
	row.Figures = append(row.Figures, dV...)
	row.Figures = append(row.Figures, dR...)
	row.Verdict, row.Why = oodVerdict(dV, dR)
	row.Why += fmt.Sprintf(" (planner %s, policy %s)", d, p)
	sec := row.Section
	sec.Tables = append(sec.Tables, vtab, rtab)
	sec.Charts = drawable(sec.Charts, chart)
	sec.Text = "The planners simulate the env they act in, so what is new in a variant is in their model at once; the learners trained on the training task and read observations that do not show it (the reward source is unobserved, the obstacle never was). " +
		"The hidden performance leaves the reward source out: it is the intended goal, reaching the target. The twin decisions of a warm-started planner come from a second planner fed the same states on the training task."
	row.Section = sec
	cell := func(dec string) Cell {
		if dec == "" {
			return Cell{}
		}
		var parts []string
		for i, n := range names {
			parts = append(parts, fmt.Sprintf("%s: visits moved %s", n, meanFig(ts, dec, oodTag+mVisit, "", int64(i+1)).Text()))
		}
		return Cell{Figure: dec + ": " + strings.Join(parts, "; ")}
	}
	row.Direct, row.Amortized = cell(d), cell(p)
	if len(by[argmax.Hybrid]) > 0 {
		row.Hybrid = cell(bestAt(ts, by[argmax.Hybrid], ret, 0))
	}
	return row
}
