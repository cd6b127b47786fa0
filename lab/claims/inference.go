package claims

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/lab"
	"argmax/lab/solvers"
	"argmax/lab/stats"
	"argmax/lab/store"
	"argmax/task"
)

// Amortized inference (Amos 2023; Cremer et al. 2018; Kim et al. 2018):
// per task family of lab/solvers — Amos' sphere problem, a Gaussian
// mixture and the linear-Gaussian latent model, each with its exact
// solution — every solver of the list answers the contexts of three
// splits: training, held-out and shifted. The direct solvers (gradient
// steps per instance) pay at every decision, the amortized encoder once in
// training, the semi-amortized hybrids both: the encoder's guess refined
// by a few steps. Gaps are f(ŷ; x) − f(y*; x) against the exact solution.

const (
	infExp    = "claims/amortized-inference"
	infAspect = "amortization gap (inference)"
	infSemi   = "semi-amortized inference"
	infTag    = "inf"
)

// The splits of the inference trials, as metric parts.
var infSplits = []struct {
	split task.Split
	key   string
}{{task.Train, "train"}, {task.HeldOut, "held-out"}, {task.Shifted, "shifted"}}

// Metric parts of the inference trials, after "inf.<family>.": the mean
// gap per split at the solver's default budget, per refinement step k (a
// Refiner's curve) and per iteration budget (held-out); decision times;
// the direct solvers' cost of reaching each amortized solver's objective
// ("reach<j>": j indexes the solver list).
const (
	infGap       = ".gap"            // mean gap f(ŷ) − f(y*), step 0
	infRefine    = ".refine"         // mean gap after k refinement steps (step k)
	infBudgetGap = ".budget.gap"     // held-out mean gap at an iteration budget (step = iterations)
	infBudgetSec = ".budget.seconds" // time per decision at that budget (†)
	infSeconds   = ".seconds"        // held-out time per decision at the default budget (†)
	infIters     = ".iterations"     // held-out iterations per decision
	infTrainSec  = ".train_seconds"  // training wall time (†)
	infReached   = ".reached"        // after reach<j>: share of contexts reached within reach_iters
)

// AmortizedInference runs the amortized-inference study.
var AmortizedInference = lab.Experiment{
	Name: infExp,
	Doc: "Per task family (lab/solvers task specs) and seed, every solver spec is built (the learned ones trained on training contexts) and answers contexts of the training, held-out and shifted splits; recorded: the mean gap to the exact solution per split, for the refiners (semi-amortized hybrids) the gap after each refinement step, on held-out contexts the gap and time at each iteration budget, " +
		"and for every direct solver the iterations and wall time it needs to reach each amortized solver's objective on each held-out context (iterations doubled, then bisected, up to reach_iters).",
	Version: 1,
	Params: []lab.Param{
		{Name: "tasks", Kind: lab.Strings, Doc: "task specs (lab/solvers): each needs an exact solution", MinLen: 1, Quick: []string{"sphere", "mixture:d=8,k=16,sigma=1", "gaussian"}},
		{Name: "solvers", Kind: lab.Strings, Doc: "solver specs (lab/solvers)", MinLen: 2,
			Quick: []string{"gd:iters=2000,tune_iters=200", "adam:iters=2000,tune_iters=200", "encoder:steps=6000,lr=0.003", "encoder:loss=regression,steps=6000,lr=0.003", "semiamortized:steps=6000,lr=0.003",
				"semiamortized:loss=regression,steps=6000,lr=0.003", "semiamortized:variant=end-to-end,steps=6000,lr=0.003", "init"},
			Full: []string{"gd:iters=2000,tune_iters=200", "adam:iters=2000,tune_iters=200", "encoder:steps=20000,lr=0.003,contexts=16384", "encoder:loss=regression,steps=20000,lr=0.003,contexts=16384", "semiamortized:steps=20000,lr=0.003,contexts=16384",
				"semiamortized:loss=regression,steps=20000,lr=0.003,contexts=16384", "semiamortized:variant=end-to-end,steps=20000,lr=0.003,contexts=16384", "init"}},
		{Name: "eval", Kind: lab.Int, Doc: "contexts per split", Quick: 200, Full: 1000, Range: lab.Between(2, 1e6)},
		{Name: "refine", Kind: lab.Int, Doc: "refinement steps of the refiners' curves (the claim reads 1, 5 and 20)", Quick: 20, Range: lab.Between(1, 10000)},
		{Name: "budgets", Kind: lab.Ints, Doc: "iteration budgets per decision of the held-out sweep", Quick: []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 2000}, Range: lab.Between(1, 1e7)},
		{Name: "reach_iters", Kind: lab.Int, Doc: "the most iterations a direct solver gets to reach an amortized objective", Quick: 4096, Range: lab.Between(1, 1e8)},
		{Name: "repeats", Kind: lab.Int, Doc: "timed repeats of each decision (the fastest counts)", Quick: 3, Range: lab.Between(1, 100)},
	},
	Seeds: [2]int{5, 8},
	Run:   runInference,
}

func init() {
	lab.Register(AmortizedInference)
	register(Claim{Aspect: infAspect, Experiments: []string{infExp}, Summarize: summarizeInference})
	register(Claim{Aspect: infSemi, Experiments: []string{infExp}, Summarize: summarizeSemi})
}

// infM names metric m of task family fam: "inf.sphere.held-out.gap".
func infM(fam, m string) string { return infTag + "." + fam + m }

// infReach names the reach metric of amortized solver j.
func infReach(fam string, j int, m string) string { return infM(fam, fmt.Sprintf(".reach%d%s", j, m)) }

// infFamily names a task spec in metrics: its kind and keys without the
// characters metric names do not need ("mixture:d=3" → "mixture-d3").
func infFamily(spec string) string {
	r := strings.NewReplacer(":", "-", ",", "-", "=", "")
	return r.Replace(spec)
}

// infFamilies returns the task specs of stored trials with their metric
// names.
func infFamilies(ts []*store.Trial) (specs, fams []string) {
	specs = lab.ParamStrings(ts[0], "tasks")
	for _, s := range specs {
		fams = append(fams, infFamily(s))
	}
	return specs, fams
}

// infSolver is one built solver of a trial.
type infSolver struct {
	spec string
	role argmax.Role
	s    solvers.Solver
}

func runInference(ctx context.Context, t *lab.Trial) error {
	specs, n, refine, reach, reps := t.Strings("solvers"), t.Int("eval"), t.Int("refine"), t.Int("reach_iters"), t.Int("repeats")
	budgets := t.Ints("budgets")
	if err := t.ParamErr(); err != nil {
		return err
	}
	rng := t.Rand(17)
	ctxSeed, solverSeed := rng.Uint64(), rng.Uint64()
	for _, tspec := range t.Strings("tasks") {
		tk, err := solvers.NewTask(tspec)
		if err != nil {
			return fmt.Errorf("%s: %w", infExp, err)
		}
		if _, ok := tk.(task.Exact); !ok {
			return fmt.Errorf("%s: task %q has no exact solution to measure gaps against", infExp, tspec)
		}
		fam := infFamily(tspec)
		xs := map[string][][]float64{}
		stars := map[string][]float64{}
		for _, sp := range infSplits {
			xs[sp.key] = task.Contexts(tk, sp.split, ctxSeed, n)
			stars[sp.key] = optima(tk, xs[sp.key])
		}
		var built []infSolver
		sc := solvers.Context{Context: ctx, Task: tk, Seed: solverSeed, Log: slog.Default(), Encoders: map[string]*encoder.Encoder{}}
		for _, spec := range specs {
			role, err := solvers.SolverRole(spec)
			if err != nil {
				return fmt.Errorf("%s: %w", infExp, err)
			}
			start := time.Now()
			s, err := solvers.NewSolver(sc, spec)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", infExp, tspec, err)
			}
			// The training time is the solver's own count when it has one:
			// an encoder shared by two solvers is trained once, for both.
			train := time.Since(start)
			if tr, ok := s.(argmax.Trainable); ok {
				train = tr.TrainingCost().Elapsed
			}
			t.TimingFor(spec, role, infM(fam, infTrainSec), 0, train.Seconds())
			sv := infSolver{spec, role, s}
			built = append(built, sv)
			if err := scoreSolver(ctx, t, tk, fam, sv, xs, stars, refine, budgets, reps); err != nil {
				return fmt.Errorf("%s: %s on %s: %w", infExp, spec, tspec, err)
			}
		}
		for j, a := range built {
			if a.role != argmax.Amortized {
				continue
			}
			if err := reachObjective(ctx, t, tk, fam, j, a, built, xs["held-out"], reach, reps); err != nil {
				return fmt.Errorf("%s on %s: %w", infExp, tspec, err)
			}
		}
	}
	return nil
}

// optima returns f(y*(x); x) for each context.
func optima(tk task.Task, xs [][]float64) []float64 {
	out := make([]float64, len(xs))
	y := make([]float64, tk.SolutionDim())
	for i, x := range xs {
		out[i] = tk.(task.Exact).Solve(x, y)
	}
	return out
}

// timedDecide runs one decision reps times and returns its answer, cost
// and fastest wall time.
func timedDecide(ctx context.Context, s solvers.Solver, x []float64, b argmax.Budget, reps int) ([]float64, argmax.Cost, time.Duration, error) {
	var y []float64
	var c argmax.Cost
	best := time.Duration(math.MaxInt64)
	for range reps {
		start := time.Now()
		out, cost, err := s.Decide(ctx, x, b)
		el := time.Since(start)
		if err != nil {
			return nil, c, 0, err
		}
		y, c, best = out, cost, min(best, el)
	}
	return y, c, best, nil
}

// scoreSolver records one solver's gaps on every split, its refinement
// curve when it is a Refiner, and its held-out gap and time per budget.
func scoreSolver(ctx context.Context, t *lab.Trial, tk task.Task, fam string, s infSolver, xs map[string][][]float64, stars map[string][]float64, refine int, budgets []int, reps int) error {
	rec := func(m string, step int64, v float64) { t.RecordFor(s.spec, s.role, infM(fam, m), step, v) }
	for _, sp := range infSplits {
		var gap, iters float64
		var el time.Duration
		for i, x := range xs[sp.key] {
			y, c, d, err := timedDecide(ctx, s.s, x, argmax.Budget{}, reps)
			if err != nil {
				return err
			}
			gap += tk.Objective(x, y, nil) - stars[sp.key][i]
			iters += float64(c.Iterations)
			el += d
		}
		n := float64(len(xs[sp.key]))
		rec("."+sp.key+infGap, 0, gap/n)
		if sp.key == "held-out" {
			rec(infIters, 0, iters/n)
			t.TimingFor(s.spec, s.role, infM(fam, infSeconds), 0, el.Seconds()/n)
		}
		if r, ok := s.s.(solvers.Refiner); ok {
			sum := make([]float64, refine+1)
			for i, x := range xs[sp.key] {
				curve, err := r.Curve(ctx, x, refine)
				if err != nil {
					return err
				}
				for k, f := range curve {
					sum[k] += f - stars[sp.key][i]
				}
			}
			for k := range sum {
				rec("."+sp.key+infRefine, int64(k), sum[k]/n)
			}
		}
	}
	if s.role != argmax.Direct && s.role != argmax.Hybrid {
		return nil
	}
	ho := xs["held-out"]
	for _, k := range budgets {
		var gap float64
		var el time.Duration
		for i, x := range ho {
			y, _, d, err := timedDecide(ctx, s.s, x, argmax.Budget{Iterations: int64(k)}, reps)
			if err != nil {
				return err
			}
			gap += tk.Objective(x, y, nil) - stars["held-out"][i]
			el += d
		}
		rec(infBudgetGap, int64(k), gap/float64(len(ho)))
		t.TimingFor(s.spec, s.role, infM(fam, infBudgetSec), int64(k), el.Seconds()/float64(len(ho)))
	}
	return nil
}

// reachObjective records, for every direct solver, the iterations and
// wall time it needs on each held-out context to bring the objective to
// that of amortized solver a's answer (a's own time per decision is
// recorded by scoreSolver): the least budget found by doubling the
// iterations from 1 and bisecting the last doubling, up to maxIters; a
// context not reached counts at maxIters and its time. Medians over
// contexts are recorded with the share reached.
func reachObjective(ctx context.Context, t *lab.Trial, tk task.Task, fam string, j int, a infSolver, built []infSolver, xs [][]float64, maxIters, reps int) error {
	targets := make([]float64, len(xs))
	for i, x := range xs {
		y, _, err := a.s.Decide(ctx, x, argmax.Budget{})
		if err != nil {
			return err
		}
		targets[i] = tk.Objective(x, y, nil)
	}
	for _, d := range built {
		if d.role != argmax.Direct {
			continue
		}
		iters := make([]float64, len(xs))
		secs := make([]float64, len(xs))
		reached := 0
		for i, x := range xs {
			at := func(k int) (bool, error) {
				y, _, err := d.s.Decide(ctx, x, argmax.Budget{Iterations: int64(k)})
				if err != nil {
					return false, err
				}
				return tk.Objective(x, y, nil) <= targets[i], nil
			}
			k, ok, err := leastBudget(at, maxIters)
			if err != nil {
				return err
			}
			if ok {
				reached++
			}
			_, _, el, err := timedDecide(ctx, d.s, x, argmax.Budget{Iterations: int64(k)}, reps)
			if err != nil {
				return err
			}
			iters[i], secs[i] = float64(k), el.Seconds()
		}
		t.RecordFor(d.spec, d.role, infReach(fam, j, infIters), 0, stats.Quantile(iters, 0.5))
		t.RecordFor(d.spec, d.role, infReach(fam, j, infReached), 0, float64(reached)/float64(len(xs)))
		t.TimingFor(d.spec, d.role, infReach(fam, j, infSeconds), 0, stats.Quantile(secs, 0.5))
	}
	return nil
}

// leastBudget returns the least iteration budget k ≤ maxIters at which ok
// holds, found by doubling k from 1 and bisecting the last doubling
// (exact when ok stays true once it holds), and whether it holds at all;
// when it never does, k is maxIters.
func leastBudget(ok func(k int) (bool, error), maxIters int) (int, bool, error) {
	lo, hi := 0, 1 // ok fails at lo (0 means untested), holds at hi once found
	for {
		if hi > maxIters {
			hi = maxIters
		}
		yes, err := ok(hi)
		if err != nil {
			return 0, false, err
		}
		if yes {
			break
		}
		if hi == maxIters {
			return maxIters, false, nil
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		yes, err := ok(mid)
		if err != nil {
			return 0, false, err
		}
		if yes {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, true, nil
}
