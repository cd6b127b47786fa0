package cli

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/lab/solvers"
	"argmax/lab/stats"
	"argmax/task"
)

var inferCmd = &cobra.Command{
	Use:   "infer --task SPEC --solver SPEC [--solver SPEC ...] [--split held-out] [--contexts N] [--iters N] [--seed N] [--json]",
	Short: "Solve contexts of a task with each solver and print its gap to the exact solution, cost and time",
	Long: `infer builds a task (--task, e.g. "sphere" or "mixture:d=8,k=16") and each
solver (--solver, repeatable: per-instance gradient steps, a trained encoder,
a semi-amortized hybrid, ...), trains the ones that learn on the task's
training contexts, and answers --contexts contexts of --split (train,
held-out or shifted) drawn from --seed. Per solver it prints its role, the
mean gap f(ŷ; x) − f(y*; x) to the exact solution with its 95% interval,
the iterations and forward passes per decision, the median time per
decision and the training time; --json prints one JSON object per solver.
--iters sets an iteration budget per decision (0: each solver's default).
Training progress goes to stderr.

Tasks:
` + solvers.TaskUsage() + `
Solvers:
` + solvers.SolverUsage(),
	Args: cobra.NoArgs,
	RunE: runInfer,
}

func init() {
	f := inferCmd.Flags()
	f.String("task", "", "the task spec (required)")
	f.StringArray("solver", nil, "a solver spec (repeatable, at least one)")
	f.String("split", "held-out", "the contexts answered: train, held-out or shifted")
	f.Int("contexts", 200, "contexts answered per solver")
	f.Int64("iters", 0, "iteration budget per decision (0: the solver's default)")
	f.Uint64("seed", 1, "seed of the contexts and of the solvers' training")
	f.Bool("json", false, "print one JSON object per solver")
	rootCmd.AddCommand(inferCmd)
}

// inferLine is one solver's figures.
type inferLine struct {
	Solver        string  `json:"solver"`
	Role          string  `json:"role"`
	Gap           float64 `json:"gap"`
	GapLo         float64 `json:"gap_lo"`
	GapHi         float64 `json:"gap_hi"`
	Iterations    float64 `json:"iterations"`
	ForwardPasses float64 `json:"forward_passes"`
	Seconds       float64 `json:"seconds_per_decision"`
	TrainSeconds  float64 `json:"train_seconds"`
}

func runInfer(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	tspec, _ := f.GetString("task")
	specs, _ := f.GetStringArray("solver")
	splitName, _ := f.GetString("split")
	n, _ := f.GetInt("contexts")
	iters, _ := f.GetInt64("iters")
	seed, _ := f.GetUint64("seed")
	asJSON, _ := f.GetBool("json")
	if tspec == "" || len(specs) == 0 {
		return fmt.Errorf("infer: --task and at least one --solver are required")
	}
	if n < 1 {
		return fmt.Errorf("infer: --contexts %d: want ≥ 1", n)
	}
	if iters < 0 {
		return fmt.Errorf("infer: --iters %d: want ≥ 0", iters)
	}
	split, err := task.ParseSplit(splitName)
	if err != nil {
		return fmt.Errorf("infer: %w", err)
	}
	tk, err := solvers.NewTask(tspec)
	if err != nil {
		return err
	}
	if _, ok := tk.(task.Exact); !ok {
		return fmt.Errorf("infer: task %q has no exact solution to measure gaps against", tspec)
	}
	xs := task.Contexts(tk, split, seed, n)
	out := cmd.OutOrStdout()
	enc := json.NewEncoder(out)
	if !asJSON {
		fmt.Fprintf(out, "%s, %d %s contexts (seed %d)\n", tk.Name(), n, split, seed)
	}
	for _, spec := range specs {
		role, err := solvers.SolverRole(spec)
		if err != nil {
			return err
		}
		start := time.Now()
		s, err := solvers.NewSolver(solvers.Context{Context: cmd.Context(), Task: tk, Seed: seed, Log: slog.Default()}, spec)
		if err != nil {
			return err
		}
		line := inferLine{Solver: spec, Role: string(role), TrainSeconds: time.Since(start).Seconds()}
		gaps := make([]float64, n)
		secs := make([]float64, n)
		var cost argmax.Cost
		for i, x := range xs {
			y, c, err := argmax.Measure(cmd.Context(), s, x, argmax.Budget{Iterations: iters})
			if err != nil {
				return fmt.Errorf("infer: %s: %w", spec, err)
			}
			gaps[i], _ = task.Gap(tk, x, y)
			secs[i] = c.Elapsed.Seconds()
			cost = cost.Add(c)
		}
		iv := stats.MeanCI(gaps, 0.95)
		line.Gap, line.GapLo, line.GapHi = iv.Est, iv.Lo, iv.Hi
		line.Iterations, line.ForwardPasses = float64(cost.Iterations)/float64(n), float64(cost.ForwardPasses)/float64(n)
		line.Seconds = stats.Quantile(secs, 0.5)
		if asJSON {
			if err := enc.Encode(line); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(out, "%-40s %-9s gap %.4g [%.4g, %.4g]  %g iterations, %g forward passes, %s/decision, trained in %s\n",
			spec, role, line.Gap, line.GapLo, line.GapHi, line.Iterations, line.ForwardPasses,
			time.Duration(line.Seconds*1e9).Round(10*time.Nanosecond), time.Duration(line.TrainSeconds*1e9).Round(time.Millisecond))
	}
	return nil
}
