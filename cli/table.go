package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab"
	"argmax/lab/claims"
	"argmax/lab/store"
)

var tableFlags labFlags

var tableCmd = &cobra.Command{
	Use:   "table",
	Short: "Run the claim suite, print the comparison table, write argmax-report/index.html",
	Long: `table runs the built-in claim suite — problem solving, runtime cost,
scaling with compute, convergence, data efficiency — on held-out connect-four
positions (the deep sets, where a 2-ply tactical rule can lose the value),
with every decider of the suite (lab/bots: random, the tactical rule, MCTS,
the exact solver, supervised nets, a table, PUCT guided by a net) in every
claim. It stores every trial in a SQLite database, prints the comparison
table (aspect × direct × amortized × hybrid, each cell a measured figure with
its 95% interval over seeds, and a verdict computed from the data by the rule
shown beside it), and writes a self-contained HTML report with charts, the
cost–quality frontier among them. --json prints the structured figures.
Trained nets are kept in <out>/cache and reused by later runs.

--scale quick takes minutes on a 2-core machine; --scale full is research
scale; --spec FILE runs your own spec of the claim experiments (other
positions, budgets, nets or seeds; lab/claims/suite holds the built-in ones).
The same seed prints the same figures (timings, marked †, excepted).
Interrupted runs resume: finished trials are kept in the database.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, args []string) error {
		scale := lab.Quick
		if tableFlags.scale != "" {
			s, err := lab.ParseScale(tableFlags.scale)
			if err != nil {
				return fmt.Errorf("--scale: %w", err)
			}
			scale = s
		}
		spec, err := claims.Suite(scale)
		if tableSpec != "" {
			if tableFlags.scale != "" {
				return fmt.Errorf("--spec %s: the spec sets its scale; drop --scale", tableSpec)
			}
			spec, err = lab.ReadSpec(tableSpec, lab.Default)
		}
		if err != nil {
			return err
		}
		if err := tableFlags.apply(spec); err != nil {
			return err
		}
		st, err := tableFlags.openStore()
		if err != nil {
			return err
		}
		defer st.Close()
		start := time.Now()
		sum, res, runErr := runSpec(cmd, &tableFlags, st, spec)
		if res == nil {
			return runErr
		}
		rows := claims.Rows(spec, res)
		w := cmd.OutOrStdout()
		if tableJSON {
			if err := claims.WriteJSON(w, rows); err != nil {
				return err
			}
			return runErr
		}
		fmt.Fprintf(w, "argmax claim suite — scale %s, seed %d, %d trials\n\n", spec.Scale, spec.Seed, sum.Planned)
		claims.WriteTable(w, rows)
		elapsed := time.Since(start).Round(time.Second)
		cur := store.Current()
		meta := [][2]string{
			{"scale", string(spec.Scale)},
			{"seed", fmt.Sprint(spec.Seed)},
			{"trials", fmt.Sprintf("%d (%d run now, %d reused from %s)", sum.Planned, sum.Ran, sum.Skipped, st.Path())},
			{"build", cur.Build()},
			{"machine †", cur.Machine()},
			{"wall time †", elapsed.String()},
		}
		if sum.Skipped > 0 {
			runs, err := st.Runs(cmd.Context())
			if err != nil {
				return err
			}
			if other := otherProvenance(runs, cur); other != "" {
				meta = append(meta, [2]string{"earlier runs in the database", other})
			}
		}
		out := filepath.Join(tableFlags.out, "index.html")
		if err := claims.Report(spec, rows, meta).WriteFile(out); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%d trials (%d run now, %d done before) in %s on %s\nresults: %s\nreport:  %s\n",
			sum.Planned, sum.Ran, sum.Skipped, elapsed, cur.CPU, st.Path(), out)
		return runErr
	},
}

// otherProvenance lists the builds and machines of runs that differ from
// cur (the trials reused from them were made there), at most three, "" for
// none.
func otherProvenance(runs []store.Run, cur store.Provenance) string {
	seen := map[store.Provenance]bool{cur: true}
	var list []string
	for _, r := range runs {
		p := r.Provenance
		if seen[p] {
			continue
		}
		seen[p] = true
		if p == (store.Provenance{}) {
			list = append(list, "runs with no recorded provenance (an older argmax)")
		} else {
			list = append(list, p.String())
		}
	}
	if len(list) > 3 {
		list = append(list[:3], fmt.Sprintf("and %d more", len(list)-3))
	}
	return strings.Join(list, " | ")
}

var (
	tableJSON bool
	tableSpec string
)

func init() {
	tableFlags.add(tableCmd, "argmax-report")
	tableCmd.Flags().BoolVar(&tableJSON, "json", false, "print the claims' structured figures (value, interval, unit, decider, role) as JSON instead of the table, and write no report")
	tableCmd.Flags().StringVar(&tableSpec, "spec", "", "run this YAML spec of claim experiments (e.g. the suite with other parameters; see lab/claims/suite) instead of the built-in suite")
	rootCmd.AddCommand(tableCmd)
}
