package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab"
	_ "argmax/lab/claims" // registers the claim experiments, so specs can name them
)

var runFlags labFlags

var runCmd = &cobra.Command{
	Use:   "run spec.yaml",
	Short: "Run the experiments of a YAML spec, store the results, write a report",
	Long: `run reads a spec (which experiments, parameters, grid sweeps, seeds,
scale), checks all of it before anything runs, runs its trials in parallel,
stores each finished trial in the results database and writes an HTML report.
Running the same spec again skips the trials already done, so an interrupted
run (Ctrl-C, a crash) resumes where it stopped.

A spec:

  name: pi
  seed: 1
  scale: quick
  experiments:
    - name: mc-pi
      seeds: 5
      grid: {samples: [1000, 100000]}

Experiments: ` + "`argmax run --list`" + ` names them with their parameters.`,
	Args: func(cmd *cobra.Command, args []string) error {
		if list, _ := cmd.Flags().GetBool("list"); list {
			return nil
		}
		if len(args) != 1 {
			return fmt.Errorf("run: want one spec file, got %d arguments", len(args))
		}
		return nil
	},
	RunE: func(cmd *cobra.Command, args []string) error {
		if list, _ := cmd.Flags().GetBool("list"); list {
			listExperiments(cmd)
			return nil
		}
		spec, err := lab.ReadSpec(args[0], lab.Default)
		if err != nil {
			return err
		}
		if err := runFlags.apply(spec); err != nil {
			return err
		}
		st, err := runFlags.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		start := time.Now()
		sum, res, runErr := runSpec(cmd, &runFlags, st, spec)
		if res == nil {
			return runErr
		}
		rep := lab.SpecReport(spec, res)
		out := filepath.Join(runFlags.out, "index.html")
		if err := rep.WriteFile(out); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%d trials (%d run now, %d done before, %d failed) in %s\nresults: %s\nreport:  %s\n",
			sum.Planned, sum.Ran, sum.Skipped, sum.Failed, time.Since(start).Round(time.Millisecond), st.Path(), out)
		return runErr
	},
}

func listExperiments(cmd *cobra.Command) {
	w := cmd.OutOrStdout()
	for _, name := range lab.Default.Names() {
		e, _ := lab.Default.Lookup(name)
		fmt.Fprintf(w, "%s\n  %s\n", e.Name, e.Doc)
		for _, p := range e.Params {
			def := fmt.Sprint(p.Default(lab.Quick))
			if p.Full != nil {
				def += fmt.Sprintf(" (full: %v)", p.Full)
			}
			fmt.Fprintf(w, "  - %s (%s, default %s): %s\n", p.Name, p.Kind, def, p.Doc)
		}
	}
}

func init() {
	runFlags.add(runCmd, "argmax-run")
	runCmd.Flags().Bool("list", false, "list the registered experiments and their parameters")
	rootCmd.AddCommand(runCmd)
}
