package cli

import (
	"bufio"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"argmax/lab/store"
)

var exportCmd = &cobra.Command{
	Use:   "export",
	Short: "Export stored trials as CSV or JSON lines",
	Long: `export writes the trials of a results database (from argmax run or
argmax table) to stdout: CSV with one row per metric value, or JSON lines
with one object per trial (parameters, metrics over steps, artefacts).`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, args []string) error {
		db, _ := cmd.Flags().GetString("db")
		format, _ := cmd.Flags().GetString("format")
		exp, _ := cmd.Flags().GetString("experiment")
		if format != "csv" && format != "jsonl" {
			return fmt.Errorf("--format %q: want csv or jsonl", format)
		}
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("--db: %w", err)
		}
		st, err := store.Open(db)
		if err != nil {
			return err
		}
		defer st.Close()
		w := bufio.NewWriter(cmd.OutOrStdout())
		f := store.Filter{Experiment: exp}
		if format == "csv" {
			err = st.ExportCSV(cmd.Context(), w, f)
		} else {
			err = st.ExportJSONL(cmd.Context(), w, f)
		}
		if err != nil {
			return fmt.Errorf("export %s: %w", db, err)
		}
		return w.Flush()
	},
}

func init() {
	exportCmd.Flags().String("db", "argmax-report/results.db", "results database")
	exportCmd.Flags().String("format", "csv", "csv or jsonl")
	exportCmd.Flags().String("experiment", "", "only this experiment")
	rootCmd.AddCommand(exportCmd)
}
