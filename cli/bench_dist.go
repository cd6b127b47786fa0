package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab"
	"argmax/lab/dist"
	"argmax/lab/store"
)

var benchDistCmd = &cobra.Command{
	Use:   "dist [--trials N] [--workers N]",
	Short: "Dispatch overhead per trial: empty trials in this process and through the embedded NATS server",
	Long: `dist runs a sweep of empty trials (the "empty" experiment) twice, each
into a fresh results database: with the in-process executor, then through an
embedded NATS JetStream server with local workers (what argmax table does by
default). It prints the time per trial of each and their difference, the
overhead of dispatching a trial through JetStream.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		n, _ := f.GetInt("trials")
		workers, _ := f.GetInt("workers")
		if n < 1 || n > lab.MaxSeeds {
			return fmt.Errorf("--trials %d: want 1 to %d", n, lab.MaxSeeds)
		}
		if workers < 0 {
			return fmt.Errorf("--workers %d: want 0 (one per core) or more", workers)
		}
		if workers == 0 {
			workers = runtime.NumCPU()
		}
		src := fmt.Sprintf("name: bench-dist\nseed: 1\nexperiments:\n  - name: empty\n    seeds: %d\n", n)
		spec, err := lab.ParseSpec([]byte(src), "bench-dist", lab.Default)
		if err != nil {
			return err
		}
		tmp, err := os.MkdirTemp("", "argmax-bench-dist-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		run := func(name string, embedded bool) (time.Duration, error) {
			dir := filepath.Join(tmp, name)
			st, err := store.Open(filepath.Join(dir, "results.db"))
			if err != nil {
				return 0, err
			}
			defer st.Close()
			start := time.Now()
			r := lab.Runner{Store: st, Workers: workers, Log: quiet, ArtefactDir: filepath.Join(dir, "artefacts")}
			if embedded {
				l, err := dist.StartLocal(cmd.Context(), dist.LocalConfig{Dir: filepath.Join(dir, "state", "nats"), Slots: workers,
					ArtefactDir: r.ArtefactDir, Log: quiet})
				if err != nil {
					return 0, err
				}
				defer l.Close()
				r.Executor = l.Executor
			}
			sum, err := r.RunSpec(context.WithoutCancel(cmd.Context()), spec)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", name, err)
			}
			if sum.Ran != n {
				return 0, fmt.Errorf("%s: ran %d of %d trials", name, sum.Ran, n)
			}
			if _, done, err := st.Count(cmd.Context()); err != nil || done != n {
				return 0, fmt.Errorf("%s: %d trials stored (%v), want %d", name, done, err, n)
			}
			return time.Since(start), nil
		}
		w := cmd.OutOrStdout()
		printMachine(cmd)
		local, err := run("in-process", false)
		if err != nil {
			return err
		}
		nats, err := run("embedded", true)
		if err != nil {
			return err
		}
		per := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(n) }
		fmt.Fprintf(w, "%d empty trials, %d workers, each stored in SQLite\n", n, workers)
		fmt.Fprintf(w, "in-process executor:       %8.2f s  %.3f ms/trial\n", local.Seconds(), per(local))
		fmt.Fprintf(w, "embedded NATS JetStream:   %8.2f s  %.3f ms/trial (server start included)\n", nats.Seconds(), per(nats))
		fmt.Fprintf(w, "dispatch overhead:         %.3f ms/trial\n", per(nats)-per(local))
		return nil
	},
}

func init() {
	benchDistCmd.Flags().Int("trials", 10000, "empty trials in the sweep")
	benchDistCmd.Flags().Int("workers", 0, "trials at once (0: one per core)")
	benchCmd.AddCommand(benchDistCmd)
}
