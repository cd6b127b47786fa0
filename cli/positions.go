package cli

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"argmax/game/connect4/calibration"
	"argmax/game/connect4/positions"
	"argmax/lab/datasets"
)

var positionsCmd = &cobra.Command{
	Use:   "positions --set NAME --n N --out FILE [--seed N] [--source random|mcts|mixed]",
	Short: "Generate a connect-four reference position set with exact scores",
	Long: `positions generates one of the position sets of game/connect4/positions:
positions sampled from random games and from games between MCTS bots, each
labelled with the exact score of its 7 moves by the solver and the number of
nodes that took. The file starts with a header recording this command, the
seed, the counts, the date, the solver and how deep was decided.

Sets (--set):
  openings, beginning, middle, end   positions of 4-10, 11-15, 16-27, 28-36 plies
  openings-deep, ..., end-deep       only deep positions: some move the 2-ply
                                     tactical rule allows loses the value
  train                              positions of 8-36 plies, none of which
                                     (nor its mirror image) is in an embedded
                                     test set or the calibration file

--source says which games positions come from: random (uniformly random
moves), mcts (two MCTS bots with varied simulation budgets and temperature)
or mixed (each candidate one or the other, with probability 1/2).

The run is deterministic for a seed at any --workers. Progress lines go to
stderr. Ctrl-C stops it, keeping what was examined in FILE.part; the same
command resumes from there. FILE is written only when complete (gzipped if
its name ends in .gz). Positions of fewer than 8 plies take the solver
seconds to minutes each.

Example:
  argmax positions --set middle-deep --n 300 --seed 1 --out middle-deep.txt`,
	Args: cobra.NoArgs,
	RunE: runPositions,
}

func init() {
	f := positionsCmd.Flags()
	f.SortFlags = false
	f.String("set", "", "the set to generate: "+strings.Join(setNames(), ", "))
	f.Int("n", 0, "number of positions to keep")
	f.Uint64("seed", 1, "seed of every random choice")
	f.String("source", "mixed", "games to draw positions from: random, mcts or mixed")
	f.String("out", "", "file to write (gzipped if it ends in .gz)")
	f.Int("workers", 2, "goroutines, one solver each")
	f.String("plies", "", "ply range MIN-MAX instead of the set's own")
	f.StringSlice("exclude", nil, "also hold out these sets (names, \"tests\" for every test set, \"calibration\", or set files)")
	f.StringSlice("reuse", nil, "set files whose labels may be reused instead of solving again (faster, same result)")
	rootCmd.AddCommand(positionsCmd)
}

// setNames lists the sets --set accepts.
func setNames() []string {
	var out []string
	for _, n := range positions.Names() {
		if n != "deep" {
			out = append(out, n)
		}
	}
	return out
}

func runPositions(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	set, _ := f.GetString("set")
	n, _ := f.GetInt("n")
	seed, _ := f.GetUint64("seed")
	source, _ := f.GetString("source")
	out, _ := f.GetString("out")
	workers, _ := f.GetInt("workers")
	plies, _ := f.GetString("plies")
	exclude, _ := f.GetStringSlice("exclude")
	reuse, _ := f.GetStringSlice("reuse")

	var errs []error
	if set == "" {
		errs = append(errs, fmt.Errorf("--set is required (one of %s)", strings.Join(setNames(), ", ")))
	}
	if !f.Changed("n") {
		errs = append(errs, errors.New("--n is required (the number of positions)"))
	} else if n <= 0 {
		errs = append(errs, fmt.Errorf("--n %d: want at least 1 position", n))
	}
	if out == "" {
		errs = append(errs, errors.New("--out is required (the file to write)"))
	}
	src, err := datasets.ParseSource(source)
	if err != nil {
		errs = append(errs, fmt.Errorf("--source: %w", err))
	}
	if workers < 1 {
		errs = append(errs, fmt.Errorf("--workers %d: want at least 1", workers))
	}
	if len(errs) > 0 {
		return fmt.Errorf("positions: %w", errors.Join(errs...))
	}
	cfg, err := datasets.ForSet(set)
	if err != nil {
		return fmt.Errorf("positions: --set %w", err)
	}
	if plies != "" {
		lo, hi, err := parsePlies(plies)
		if err != nil {
			return fmt.Errorf("positions: --plies %w", err)
		}
		cfg.MinPly, cfg.MaxPly = lo, hi
	}
	notes := []string{}
	if cfg.ExcludeNote != "" {
		notes = append(notes, cfg.ExcludeNote)
	}
	for _, name := range exclude {
		ps, note, err := loadSets(name)
		if err != nil {
			return fmt.Errorf("positions: --exclude: %w", err)
		}
		cfg.Exclude = append(cfg.Exclude, ps...)
		notes = append(notes, note)
	}
	cfg.ExcludeNote = strings.Join(notes, ", ")
	for _, name := range reuse {
		ps, _, err := loadSets(name)
		if err != nil {
			return fmt.Errorf("positions: --reuse: %w", err)
		}
		cfg.Reuse = append(cfg.Reuse, ps...)
	}
	cfg.N, cfg.Seed, cfg.Source, cfg.Out, cfg.Workers = n, seed, src, out, workers
	cfg.Command = commandLine(cmd)

	ctx, signalled, stop := notifyStop(cmd.Context())
	defer stop()
	errw := cmd.ErrOrStderr()
	st, err := datasets.Generate(ctx, cfg, errw)
	if err != nil {
		if ctx.Err() != nil && cmd.Context().Err() == nil {
			fmt.Fprintln(errw, "argmax:", err)
			code := 130
			if sig := signalled(); sig != nil {
				code = exitCode(sig)
			}
			os.Exit(code)
		}
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d positions (%d deep) from %d candidates in %s\n",
		out, st.Kept, st.Deep, st.Drawn, st.Elapsed.Round(1e6))
	return nil
}

// commandLine renders the command as it can be run again: "argmax
// positions" and the flags that were set, in the order of their
// definition.
func commandLine(cmd *cobra.Command) string {
	parts := []string{"argmax", cmd.Name()}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if !fl.Changed {
			return
		}
		v := fl.Value.String()
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			v = strings.Join(sv.GetSlice(), ",")
		}
		parts = append(parts, "--"+fl.Name, v)
	})
	return strings.Join(parts, " ")
}

// parsePlies reads "MIN-MAX" (or a single ply).
func parsePlies(s string) (lo, hi int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q: want MIN-MAX, e.g. 16-27", s)
	}
	if lo < 0 || hi < lo || hi >= 42 {
		return 0, 0, fmt.Errorf("%q: want 0 ≤ MIN ≤ MAX ≤ 41", s)
	}
	return lo, hi, nil
}

// loadSets returns the positions of an embedded set ("middle"), of every
// test set ("tests"), of the calibration file ("calibration"), or of a set
// file, with a note naming them.
func loadSets(name string) ([]positions.Position, string, error) {
	switch {
	case name == "calibration":
		var ps []positions.Position
		for _, p := range calibration.All() {
			ps = append(ps, positions.Position{Moves: p.Moves, Scores: p.Scores})
		}
		return ps, fmt.Sprintf("calibration %d", len(ps)), nil
	case name == "tests":
		var all []positions.Position
		for _, n := range setNames() {
			if n == "train" {
				continue
			}
			ps, err := positions.Set(n)
			if err != nil {
				return nil, "", err
			}
			all = append(all, ps...)
		}
		return all, fmt.Sprintf("every test set %d", len(all)), nil
	case slices.Contains(setNames(), name):
		ps, err := positions.Set(name)
		return ps, fmt.Sprintf("%s %d", name, len(ps)), err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	var r io.Reader = bytes.NewReader(data)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", name, err)
		}
		r = zr
	}
	_, ps, err := positions.Read(name, r)
	return ps, fmt.Sprintf("%s %d", name, len(ps)), err
}
