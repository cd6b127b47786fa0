package main

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
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/lab/bots"
)

var benchMCTSCmd = &cobra.Command{
	Use:   "mcts --game connect4 --sims N --rollouts 1 --threads T",
	Short: "Simulations per second of MCTS from the empty board",
	Long: `bench mcts times searches of --sims simulations from the game's initial position
(a fresh tree each time, random rollouts at the leaves, UCT, with the solver
unless --solver=false) and prints the median simulations per second over --reps
repetitions, and the simulations per CPU-second of the process (which the load
of other programs on the machine does not change). With
--threads above 1 it also times the one-thread search, interleaving the
repetitions so both see the same machine load, and prints the ratio.

With --calibration end|middle|beginning|all (connect four only) it instead plays
the search's move in every position of that part of the calibration file and
prints the share of optimal moves (keeping the win/draw/loss value) and of
strictly optimal ones.`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		gameName, _ := f.GetString("game")
		sims, _ := f.GetInt64("sims")
		rollouts, _ := f.GetInt("rollouts")
		threads, _ := f.GetInt("threads")
		reps, _ := f.GetInt("reps")
		sel, _ := f.GetString("select")
		seed, _ := f.GetUint64("seed")
		calib, _ := f.GetString("calibration")
		solver, _ := f.GetBool("solver")
		g, err := bots.Game(gameName)
		if err != nil {
			return err
		}
		if sims < 1 || rollouts < 1 || threads < 1 || reps < 1 {
			return fmt.Errorf("--sims %d, --rollouts %d, --threads %d, --reps %d: each must be at least 1", sims, rollouts, threads, reps)
		}
		selection, err := mcts.ParseSelection(sel)
		if err != nil {
			return fmt.Errorf("--select: %w", err)
		}
		cfg := mcts.DefaultConfig()
		cfg.Selection, cfg.Seed, cfg.Evaluator, cfg.Solver = selection, seed, &mcts.Rollouts{N: rollouts}, solver
		out := cmd.OutOrStdout()
		printMachine(cmd)
		fmt.Fprintf(out, "load average: %s\n", loadAverage())
		if calib != "" {
			if g.Name() != "connect4" {
				return fmt.Errorf("--calibration: the calibration positions are connect four's, not %s's", g.Name())
			}
			cfg.Threads = threads
			return benchCalibration(out, cfg, calib, sims)
		}
		return benchSpeed(out, g, cfg, sims, threads, reps)
	},
}

func init() {
	f := benchMCTSCmd.Flags()
	f.String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	f.Int64("sims", 200000, "simulations per search")
	f.Int("rollouts", 1, "random rollouts per leaf")
	f.Int("threads", 1, "root-parallel search threads")
	f.Int("reps", 7, "repetitions; the median is reported")
	f.String("select", "uct", "selection rule: uct or puct")
	f.Uint64("seed", 1, "search seed")
	f.Bool("solver", true, "MCTS-solver (proven values propagate; a proven root stops the search)")
	f.String("calibration", "", "score moves on calibration positions instead: end, middle, beginning or all")
	benchCmd.AddCommand(benchMCTSCmd)
}

// benchSpeed prints the median simulations per second with the given
// threads and, when threads > 1, with one thread and the ratio.
func benchSpeed(out io.Writer, g game.Game, cfg mcts.Config, sims int64, threads, reps int) error {
	counts := []int{threads}
	if threads > 1 {
		counts = []int{1, threads}
	}
	searchers := map[int]*mcts.Searcher{}
	for _, t := range counts {
		c := cfg
		c.Threads = t
		s, err := mcts.New(c)
		if err != nil {
			return err
		}
		searchers[t] = s
		if _, err := s.Search(context.Background(), g.New(), argmax.Budget{Simulations: sims}); err != nil { // warm up: grow the arenas
			return err
		}
	}
	rates := map[int][]float64{}
	cpu := map[int]time.Duration{}
	total := map[int]int64{}
	var nodes int64
	for r := 0; r < reps; r++ {
		for _, t := range counts {
			c0, _ := processCPU()
			res, err := searchers[t].Search(context.Background(), g.New(), argmax.Budget{Simulations: sims})
			if err != nil {
				return err
			}
			c1, _ := processCPU()
			cpu[t] += c1 - c0
			total[t] += res.Cost.Simulations
			rates[t] = append(rates[t], float64(res.Cost.Simulations)/res.Cost.Elapsed.Seconds())
			nodes = res.Cost.Nodes
		}
	}
	solver := "on"
	if !cfg.Solver {
		solver = "off"
	}
	fmt.Fprintf(out, "mcts %s from the initial position: %s selection, %d rollout(s) per leaf, solver %s, %d simulations per search, %d repetitions\n",
		g.Name(), cfg.Selection, cfg.Evaluator.(*mcts.Rollouts).N, solver, sims, reps)
	_, cpuKnown := processCPU()
	for _, t := range counts {
		med, lo, hi := medianRange(rates[t])
		fmt.Fprintf(out, "threads=%d: %.0f simulations/s (median; range %.0f-%.0f)", t, med, lo, hi)
		if cpuKnown && cpu[t] > 0 {
			// Per CPU-second of the process: what each thread achieves
			// while it runs, whatever share of the cores the machine's
			// load leaves it.
			fmt.Fprintf(out, "; %.0f simulations per CPU-second", float64(total[t])/cpu[t].Seconds())
		}
		fmt.Fprintln(out)
	}
	if threads > 1 {
		m1, _, _ := medianRange(rates[1])
		mt, _, _ := medianRange(rates[threads])
		fmt.Fprintf(out, "ratio threads=%d / threads=1: %.2f\n", threads, mt/m1)
	}
	fmt.Fprintf(out, "tree: %d nodes created by the last search\n", nodes)
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

// benchCalibration plays the search's move in every calibration position
// of a phase and prints the optimal and strictly optimal shares.
func benchCalibration(out io.Writer, cfg mcts.Config, phase string, sims int64) error {
	var ps []calibration.Position
	switch phase {
	case "all":
		ps = calibration.All()
	case string(calibration.End), string(calibration.Middle), string(calibration.Beginning):
		ps = calibration.Of(calibration.Phase(phase))
	default:
		return fmt.Errorf("--calibration %q: want end, middle, beginning or all", phase)
	}
	s, err := mcts.New(cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	opt, strict, proven := 0, 0, 0
	var total int64
	for _, p := range ps {
		st, err := connect4.Parse(p.Moves)
		if err != nil {
			return err
		}
		r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: sims})
		if err != nil {
			return err
		}
		total += r.Cost.Simulations
		if p.Optimal(int(r.Action)) {
			opt++
		}
		if p.StrictlyOptimal(int(r.Action)) {
			strict++
		}
		if r.Proven {
			proven++
		}
	}
	n := float64(len(ps))
	fmt.Fprintf(out, "mcts on %d %s calibration positions: %s selection, solver %v, %d simulations per move at most, threads=%d\n",
		len(ps), phase, cfg.Selection, cfg.Solver, sims, cfg.Threads)
	fmt.Fprintf(out, "optimal moves: %d/%d = %.1f%%; strictly optimal: %d/%d = %.1f%%; root proven: %d; %.0f simulations per move on average; %v\n",
		opt, len(ps), 100*float64(opt)/n, strict, len(ps), 100*float64(strict)/n, proven, float64(total)/n, time.Since(start).Round(time.Millisecond))
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
