package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/lab/bots"
)

var benchMCTSCmd = &cobra.Command{
	Use:   "mcts [--game connect4] [--bot SPEC] [--reps N] [--calibration PHASE]",
	Short: "Simulations per second of an MCTS bot spec from the initial position",
	Long: `bench mcts times decisions of the bot --bot (a bot spec, as in argmax move:
mcts:sims=200000,threads=2, say) from the game's initial position and prints
the median simulations per second over --reps repetitions, and the
simulations per CPU-second of the process (which the load of other programs
on the machine does not change). The spec's budget (sims=N, time=D) is the
budget of each decision. When the spec sets threads above 1 it also times
the same spec with threads=1, interleaving the repetitions so both see the
same machine load, and prints the ratio. A bot that runs no simulations (the
solver) is timed in nodes per second instead.

With --calibration end|middle|beginning|all (connect four only) it instead plays
the bot's move in every position of that part of the calibration file and
prints the share of optimal moves (keeping the win/draw/loss value) and of
strictly optimal ones.

Bot specs:
` + bots.Usage(),
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		gameName, _ := f.GetString("game")
		spec, _ := f.GetString("bot")
		reps, _ := f.GetInt("reps")
		calib, _ := f.GetString("calibration")
		g, err := bots.Game(gameName)
		if err != nil {
			return err
		}
		if reps < 1 {
			return fmt.Errorf("--reps %d: must be at least 1", reps)
		}
		bot, err := bots.New(g, spec)
		if err != nil {
			return err
		}
		defer bots.Close(bot)
		out := cmd.OutOrStdout()
		printMachine(cmd)
		fmt.Fprintf(out, "load average: %s\n", loadAverage())
		if calib != "" {
			if g.Name() != "connect4" {
				return fmt.Errorf("--calibration: the calibration positions are connect four's, not %s's", g.Name())
			}
			return benchCalibration(cmd.Context(), out, bot, spec, calib)
		}
		return benchSpeed(cmd.Context(), out, g, bot, spec, reps)
	},
}

func init() {
	f := benchMCTSCmd.Flags()
	f.String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	f.String("bot", "mcts:sims=200000,seed=1", "the bot spec; its budget is each decision's")
	f.Int("reps", 7, "repetitions; the median is reported")
	f.String("calibration", "", "score moves on calibration positions instead: end, middle, beginning or all")
	benchCmd.AddCommand(benchMCTSCmd)
}

// singleThread returns spec with threads=1, and whether spec sets more
// than one thread (so that there is a ratio to measure).
func singleThread(spec string) (string, bool, error) {
	s, err := bots.ParseSpec(spec)
	if err != nil {
		return "", false, err
	}
	for i, kv := range s.Args {
		if kv.Key == "threads" && kv.Value != "1" {
			s.Args[i].Value = "1"
			return s.String(), true, nil
		}
	}
	return spec, false, nil
}

// benchSpeed prints the median simulations (or nodes) per second of bot
// from the initial position and, when its spec runs threads > 1, of the
// same spec on one thread and the ratio.
func benchSpeed(ctx context.Context, out io.Writer, g game.Game, bot game.Decider, spec string, reps int) error {
	one, threaded, err := singleThread(spec)
	if err != nil {
		return err
	}
	specs := []string{spec}
	deciders := map[string]game.Decider{spec: bot}
	if threaded {
		b1, err := bots.New(g, one)
		if err != nil {
			return err
		}
		defer bots.Close(b1)
		specs = []string{one, spec}
		deciders[one] = b1
	}
	unit := "simulations"
	for _, sp := range specs { // warm up: grow the arenas
		_, c, err := deciders[sp].Decide(ctx, g.New(), argmax.Budget{})
		if err != nil {
			return fmt.Errorf("bot %s: %w", sp, err)
		}
		if c.Simulations == 0 {
			unit = "nodes"
		}
	}
	rates := map[string][]float64{}
	cpu := map[string]time.Duration{}
	total := map[string]int64{}
	var nodes int64
	for r := 0; r < reps; r++ {
		for _, sp := range specs {
			c0, _ := processCPU()
			_, c, err := argmax.Measure(ctx, deciders[sp], g.New(), argmax.Budget{})
			if err != nil {
				return fmt.Errorf("bot %s: %w", sp, err)
			}
			c1, _ := processCPU()
			work := c.Simulations
			if unit == "nodes" {
				work = c.Nodes
			}
			cpu[sp] += c1 - c0
			total[sp] += work
			rates[sp] = append(rates[sp], float64(work)/c.Elapsed.Seconds())
			nodes = c.Nodes
		}
	}
	fmt.Fprintf(out, "%s from the initial position of %s, %d repetitions\n", spec, g.Name(), reps)
	_, cpuKnown := processCPU()
	for _, sp := range specs {
		med, lo, hi := medianRange(rates[sp])
		fmt.Fprintf(out, "%s: %.0f %s/s (median; range %.0f-%.0f)", sp, med, unit, lo, hi)
		if cpuKnown && cpu[sp] > 0 {
			// Per CPU-second of the process: what each thread achieves
			// while it runs, whatever share of the cores the machine's
			// load leaves it.
			fmt.Fprintf(out, "; %.0f %s per CPU-second", float64(total[sp])/cpu[sp].Seconds(), unit)
		}
		fmt.Fprintln(out)
	}
	if threaded {
		m1, _, _ := medianRange(rates[one])
		mt, _, _ := medianRange(rates[spec])
		fmt.Fprintf(out, "ratio %s / threads=1: %.2f\n", spec, mt/m1)
	}
	if unit == "simulations" {
		fmt.Fprintf(out, "tree: %d nodes created by the last search\n", nodes)
	}
	return nil
}

// medianRange returns the median, minimum and maximum of xs.
func medianRange(xs []float64) (med, lo, hi float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1]
}

// benchCalibration plays the bot's move in every calibration position of a
// phase and prints the optimal and strictly optimal shares.
func benchCalibration(ctx context.Context, out io.Writer, bot game.Decider, spec, phase string) error {
	var ps []calibration.Position
	switch phase {
	case "all":
		ps = calibration.All()
	case string(calibration.End), string(calibration.Middle), string(calibration.Beginning):
		ps = calibration.Of(calibration.Phase(phase))
	default:
		return fmt.Errorf("--calibration %q: want end, middle, beginning or all", phase)
	}
	start := time.Now()
	opt, strict := 0, 0
	var total argmax.Cost
	for _, p := range ps {
		st, err := connect4.Parse(p.Moves)
		if err != nil {
			return err
		}
		a, c, err := argmax.Measure[game.State, game.Action](ctx, bot, st, argmax.Budget{})
		if err != nil {
			return fmt.Errorf("bot %s: position %s: %w", spec, p.Moves, err)
		}
		total = total.Add(c)
		if p.Optimal(int(a)) {
			opt++
		}
		if p.StrictlyOptimal(int(a)) {
			strict++
		}
	}
	n := float64(len(ps))
	fmt.Fprintf(out, "%s on %d %s calibration positions\n", spec, len(ps), phase)
	fmt.Fprintf(out, "optimal moves: %d/%d = %.1f%%; strictly optimal: %d/%d = %.1f%%; %.0f simulations and %.0f nodes per move on average; %v\n",
		opt, len(ps), 100*float64(opt)/n, strict, len(ps), 100*float64(strict)/n,
		float64(total.Simulations)/n, float64(total.Nodes)/n, time.Since(start).Round(time.Millisecond))
	return nil
}

// processCPU returns the user plus system CPU time of the process so far,
// from /proc/self/stat (in clock ticks, assumed 100 a second), and whether
// it could be read.
func processCPU() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	var ticks int64
	for _, s := range f[11:13] { // utime, stime: fields 14 and 15
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false
		}
		ticks += v
	}
	return time.Duration(ticks) * 10 * time.Millisecond, true
}

// loadAverage returns the 1, 5 and 15 minute load averages, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
