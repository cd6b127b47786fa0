package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

var benchSolverCmd = &cobra.Command{
	Use:   "solver [--phase end,middle,beginning] [--reps N] [--weak]",
	Short: "Speed of the exact connect-four solver on the calibration positions",
	Long: `bench solver analyzes (scores all 7 moves of) every calibration position of each
phase — end (28-36 plies), middle (16-27), beginning (8-14) — checks every score
against the file, and prints per phase: positions per second, milliseconds per
position (median and mean of the wall time of each analysis, and the mean CPU
time of the process, which the load of other programs does not inflate), nodes
per position and nodes per second.

Each phase gets a fresh solver whose transposition table persists across that
phase's positions, as when a file is analyzed; with --reps above 1 the phase is
run again with an emptied table and the timings are pooled.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		phases, _ := cmd.Flags().GetString("phase")
		reps, _ := cmd.Flags().GetInt("reps")
		weak, _ := cmd.Flags().GetBool("weak")
		if reps < 1 {
			return fmt.Errorf("--reps %d: must be at least 1", reps)
		}
		var list []calibration.Phase
		for _, p := range strings.Split(phases, ",") {
			switch ph := calibration.Phase(strings.TrimSpace(p)); ph {
			case calibration.End, calibration.Middle, calibration.Beginning:
				list = append(list, ph)
			default:
				return fmt.Errorf("--phase %q: want a comma-separated list of end, middle, beginning", p)
			}
		}
		printMachine(cmd)
		out := cmd.OutOrStdout()
		fmt.Fprintf(out, "load average: %s\n", loadAverage())
		mode := "exact"
		if weak {
			mode = "weak (win/draw/loss)"
		}
		fmt.Fprintf(out, "solver: %s analysis of all 7 moves, one thread, table kept across a phase's positions, %d repetition(s)\n", mode, reps)
		fmt.Fprintf(out, "%-10s %9s %12s %12s %10s %10s %11s %14s %12s\n",
			"phase", "positions", "positions/s", "ms/pos med", "mean", "max", "cpu-ms mean", "nodes/position", "nodes/s")
		bad := 0
		for _, ph := range list {
			b, err := benchSolverPhase(out, ph, reps, weak)
			if err != nil {
				return err
			}
			bad += b
		}
		if bad > 0 {
			return fmt.Errorf("bench solver: %d analyses differ from the calibration file", bad)
		}
		return nil
	},
}

func init() {
	f := benchSolverCmd.Flags()
	f.String("phase", "end,middle,beginning", "the calibration phases to time, comma-separated")
	f.Int("reps", 1, "runs of each phase (the table emptied before each)")
	f.Bool("weak", false, "time the weak (win/draw/loss) analysis instead of the exact one")
	benchCmd.AddCommand(benchSolverCmd)
}

// benchSolverPhase times the analysis of one phase's positions and prints
// its line; it returns the number of analyses that differ from the file.
func benchSolverPhase(out io.Writer, ph calibration.Phase, reps int, weak bool) (int, error) {
	ps := calibration.Of(ph)
	states := make([]*connect4.State, len(ps))
	for i, p := range ps {
		st, err := connect4.Parse(p.Moves)
		if err != nil {
			return 0, err
		}
		states[i] = st
	}
	s := alphabeta.New()
	var times []time.Duration
	var wall, cpu time.Duration
	var nodes int64
	bad := 0
	for r := 0; r < reps; r++ {
		s.Reset()
		c0, _ := processCPU()
		n0 := s.Nodes()
		for i, st := range states {
			t0 := time.Now()
			got := s.Analyze(st, weak)
			d := time.Since(t0)
			times = append(times, d)
			wall += d
			for c, v := range got {
				want := ps[i].Scores[c]
				if weak && want != calibration.Full {
					want = int(game.ScoreOutcome(want))
				}
				if v != want {
					bad++
					fmt.Fprintf(out, "%s: got %v, want %v\n", ps[i].Moves, got, ps[i].Scores)
					break
				}
			}
		}
		c1, _ := processCPU()
		cpu += c1 - c0
		nodes += s.Nodes() - n0
	}
	slices.Sort(times)
	n := len(times)
	med := times[n/2]
	if n%2 == 0 {
		med = (times[n/2-1] + times[n/2]) / 2
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 }
	fmt.Fprintf(out, "%-10s %9d %12.1f %12.4f %10.4f %10.2f %11.4f %14.0f %12.0f\n",
		ph, len(ps), float64(n)/wall.Seconds(), ms(med), ms(wall)/float64(n), ms(times[n-1]),
		ms(cpu)/float64(n), float64(nodes)/float64(n), float64(nodes)/wall.Seconds())
	return bad, nil
}
