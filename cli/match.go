package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
	"argmax/lab/eval"
)

var matchCmd = &cobra.Command{
	Use:   "match SPEC_A SPEC_B [--game connect4] [--games N] [--openings K] [--seed S]",
	Short: "Play two bots against each other: W/D/L, score and Elo with 95% intervals",
	Long: `match plays N games between the bots SPEC_A and SPEC_B, in pairs: each
opening is played twice, A moving first at it in one game and B in the other.
The openings are positions reached by K uniformly random plies drawn from the
seed (--openings), or the positions of a file (--opening-file, one per line in
the game's notation). Each worker plays whole games with its own instances of
both bots; the results are the same at any number of workers.

It prints A's wins, draws and losses, A's score (wins + draws/2)/N with its
95% Wilson interval (widened when the two games of a pair are correlated),
and the Elo difference A − B from the score by the logistic formula, with the
interval mapped through it; when A wins (loses) every game the difference is
unbounded and the 95% bound is printed instead. Times per move are † figures:
they vary from run to run.

Bot specs:
` + bots.Usage() + `
Examples:
  argmax match mcts:sims=256,seed=1 mcts:sims=64,seed=1 --games 200 --workers 2
  argmax match solver random:seed=1 --game tictactoe --games 100
  argmax match mcts:seed=1 mcts:seed=2 --budget-a sims=400 --budget-b time=10ms`,
	Args: func(cmd *cobra.Command, args []string) error {
		if len(args) != 2 {
			return fmt.Errorf("match: want two bot specs (SPEC_A SPEC_B), got %d argument(s)", len(args))
		}
		return nil
	},
	RunE: runMatchCmd,
}

func init() {
	f := matchCmd.Flags()
	f.String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	f.Int("games", 100, "number of games (pairs of games from the same opening, colours swapped)")
	f.Int("openings", -1, "random plies played to make each opening (-1: 4 in connect4, 2 in other games; 0: the initial position)")
	f.String("opening-file", "", "file of opening positions, one per line in the game's notation (instead of random openings)")
	f.Uint64("seed", 1, "seed of the random openings")
	f.Int("workers", 0, "games played at once (0: one per core)")
	f.String("budget-a", "", "budget of each of A's moves, e.g. sims=800, nodes=1e6, time=100ms (default: the bot's own)")
	f.String("budget-b", "", "budget of each of B's moves")
	rootCmd.AddCommand(matchCmd)
}

// matchOptions is what the match command runs, read from its flags.
type matchOptions struct {
	g          game.Game
	specA      string
	specB      string
	cfg        eval.MatchConfig
	progressed func(done, total int)
}

func runMatchCmd(cmd *cobra.Command, args []string) error {
	opts, err := matchFlags(cmd, args)
	if err != nil {
		return err
	}
	ctx, signalled, stop := notifyStop(cmd.Context())
	defer stop()
	errw := cmd.ErrOrStderr()
	err = runMatch(ctx, opts, cmd.OutOrStdout(), errw, 2*time.Second)
	if err != nil && ctx.Err() != nil && cmd.Context().Err() == nil {
		fmt.Fprintln(errw, "argmax:", err)
		code := 130
		if sig := signalled(); sig != nil {
			code = exitCode(sig)
		}
		os.Exit(code)
	}
	return err
}

// matchFlags checks the arguments and flags and builds the options.
func matchFlags(cmd *cobra.Command, args []string) (matchOptions, error) {
	fl := cmd.Flags()
	gameName, _ := fl.GetString("game")
	games, _ := fl.GetInt("games")
	plies, _ := fl.GetInt("openings")
	file, _ := fl.GetString("opening-file")
	seed, _ := fl.GetUint64("seed")
	workers, _ := fl.GetInt("workers")
	ba, _ := fl.GetString("budget-a")
	bb, _ := fl.GetString("budget-b")
	var o matchOptions
	g, err := bots.Game(gameName)
	if err != nil {
		return o, fmt.Errorf("--game: %w", err)
	}
	switch {
	case games < 1:
		return o, fmt.Errorf("--games %d: want at least 1", games)
	case workers < 0:
		return o, fmt.Errorf("--workers %d: want 0 (one per core) or more", workers)
	case plies < -1:
		return o, fmt.Errorf("--openings %d: want a number of plies ≥ 0 (or -1, the game's default)", plies)
	case plies >= g.MaxPlies():
		return o, fmt.Errorf("--openings %d: a %s game is over after at most %d plies", plies, g.Name(), g.MaxPlies())
	case file != "" && fl.Changed("openings"):
		return o, fmt.Errorf("--openings and --opening-file: give one of them")
	}
	if plies == -1 {
		plies = 2
		if g.Name() == "connect4" {
			plies = 4
		}
	}
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	o = matchOptions{g: g, specA: args[0], specB: args[1], cfg: eval.MatchConfig{
		Games: games, Seed: seed, Workers: workers, NameA: args[0], NameB: args[1],
	}}
	if o.cfg.BudgetA, err = parseBudget(ba); err != nil {
		return o, fmt.Errorf("--budget-a: %w", err)
	}
	if o.cfg.BudgetB, err = parseBudget(bb); err != nil {
		return o, fmt.Errorf("--budget-b: %w", err)
	}
	if file != "" {
		if o.cfg.Openings, err = readOpenings(g, file); err != nil {
			return o, fmt.Errorf("--opening-file: %w", err)
		}
	} else {
		o.cfg.RandomPlies = plies
	}
	return o, nil
}

// runMatch plays the match and prints its results on out, with a
// progress line on errw at most every interval (none for a short match).
func runMatch(ctx context.Context, o matchOptions, out, errw io.Writer, interval time.Duration) error {
	// Make each bot once first: a bad spec fails before any game.
	for _, spec := range []string{o.specA, o.specB} {
		d, err := bots.New(o.g, spec)
		if err != nil {
			return err
		}
		bots.Close(d)
	}
	start := time.Now()
	last := start
	o.cfg.Progress = func(done, total int) {
		if now := time.Now(); now.Sub(last) >= interval && done < total {
			last = now
			el := now.Sub(start)
			eta := time.Duration(float64(el) / float64(done) * float64(total-done))
			fmt.Fprintf(errw, "match: %d/%d games, %s elapsed, about %s left\n", done, total, el.Round(time.Second), eta.Round(time.Second))
		}
		if o.progressed != nil {
			o.progressed(done, total)
		}
	}
	r, err := eval.Match(ctx, o.g, eval.Bot(o.g, o.specA), eval.Bot(o.g, o.specB), o.cfg)
	if err != nil {
		return err
	}
	printMatch(out, r, o.cfg, time.Since(start))
	return nil
}

// printMatch writes a match's results.
func printMatch(w io.Writer, r eval.MatchResult, cfg eval.MatchConfig, took time.Duration) {
	fmt.Fprintf(w, "%s: A = %s, B = %s\n", r.Game, r.NameA, r.NameB)
	fmt.Fprintf(w, "%s\n", cfg.Describe())
	fmt.Fprintf(w, "A: %d wins, %d draws, %d losses\n", r.Wins, r.Draws, r.Losses)
	fmt.Fprintf(w, "score  %.3f [%.3f, %.3f] (95%%)\n", r.Score.Est, r.Score.Lo, r.Score.Hi)
	elo := eval.FormatElo(r.Elo)
	if !math.IsInf(r.Elo.Est, 0) {
		elo += " (95%)"
	}
	fmt.Fprintf(w, "Elo    %s, A − B\n", elo)
	for _, side := range []struct {
		name string
		c    argmax.Cost
		b    argmax.Budget
	}{{"A", r.CostA, cfg.BudgetA}, {"B", r.CostB, cfg.BudgetB}} {
		fmt.Fprintf(w, "%s per move: %s (budget %v)\n", side.name, costLine(side.c), side.b)
	}
	fmt.Fprintf(w, "† times vary from run to run; the match took %s\n", took.Round(time.Millisecond))
}

// costLine renders the counted costs per move that are not zero, then the
// wall time (†).
func costLine(c argmax.Cost) string {
	m := eval.PerDecision(c)
	var parts []string
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"simulations", m.Simulations}, {"nodes", m.Nodes}, {"steps", m.Steps},
		{"forward passes", m.ForwardPasses}, {"FLOPs", m.FLOPs}, {"iterations", m.Iterations}, {"samples", m.Samples},
	} {
		if f.v != 0 {
			parts = append(parts, strconv.FormatFloat(f.v, 'g', 4, 64)+" "+f.name)
		}
	}
	parts = append(parts, "time "+roundDuration(m.Elapsed).String()+" †")
	return strings.Join(parts, ", ")
}

// roundDuration keeps 3 significant digits of d.
func roundDuration(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for d/unit >= 1000 {
		unit *= 10
	}
	return d.Round(unit)
}

// parseBudget reads a budget in the form Budget.String writes:
// "sims=800,nodes=1e6,iters=N,samples=N,time=100ms"; "" and "unlimited"
// are no limit. The error names the part that is wrong.
func parseBudget(s string) (argmax.Budget, error) {
	var b argmax.Budget
	s = strings.TrimSpace(s)
	if s == "" || s == "unlimited" {
		return b, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return b, fmt.Errorf("budget %q: part %q: want key=value (keys: sims, nodes, iters, samples, time)", s, part)
		}
		if seen[k] {
			return b, fmt.Errorf("budget %q: %s given twice", s, k)
		}
		seen[k] = true
		if k == "time" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return b, fmt.Errorf("budget %q: time=%q: want a positive duration such as 100ms", s, v)
			}
			b.Time = d
			continue
		}
		var dst *int64
		switch k {
		case "sims", "simulations":
			dst = &b.Simulations
		case "nodes":
			dst = &b.Nodes
		case "iters", "iterations":
			dst = &b.Iterations
		case "samples":
			dst = &b.Samples
		default:
			return b, fmt.Errorf("budget %q: unknown key %q (keys: sims, nodes, iters, samples, time)", s, k)
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(v, "_", ""), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(v, 64)
			if ferr != nil || f != float64(int64(f)) {
				return b, fmt.Errorf("budget %q: %s=%q: not a whole number", s, k, v)
			}
			n = int64(f)
		}
		if n < 1 {
			return b, fmt.Errorf("budget %q: %s=%d: want at least 1", s, k, n)
		}
		*dst = n
	}
	return b, nil
}

// readOpenings reads opening positions, one per line in g's notation
// (blank lines and lines starting with '#' skipped); errors name the line.
func readOpenings(g game.Game, path string) ([]game.State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []game.State
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		st, err := g.Parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		if over, _ := st.Terminal(); over {
			return nil, fmt.Errorf("%s line %d: %s position %q: the game is over", path, n, g.Name(), text)
		}
		out = append(out, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no positions", path)
	}
	return out, nil
}
