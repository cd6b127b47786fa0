package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"argmax"
	"argmax/game/tictactoe"
	"argmax/lab/eval"
)

// runMatchArgs runs "argmax match ARGS..." and returns its stdout and
// stderr; the match flags are reset to their defaults afterwards.
func runMatchArgs(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errw bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errw)
	rootCmd.SetArgs(append([]string{"match"}, args...))
	defer func() {
		rootCmd.SetArgs(nil)
		rootCmd.SetOut(nil)
		rootCmd.SetErr(nil)
		matchCmd.Flags().VisitAll(func(f *pflag.Flag) {
			f.Value.Set(f.DefValue)
			f.Changed = false
		})
	}()
	err := rootCmd.Execute()
	return out.String(), errw.String(), err
}

var wdlRE = regexp.MustCompile(`A: (\d+) wins, (\d+) draws, (\d+) losses`)

// TestMatchCommand runs short matches and checks what they print: the
// solver beats random at tic-tac-toe, and the figures do not depend on the
// number of workers.
func TestMatchCommand(t *testing.T) {
	var results []string
	for _, workers := range []string{"1", "2"} {
		out, _, err := runMatchArgs(t, "solver", "random:seed=1", "--game", "tictactoe", "--games", "30", "--workers", workers, "--seed", "3")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"tictactoe: A = solver, B = random:seed=1",
			"30 games in 15 pairs, both colours, from openings of 2 random plies (seed 3)",
			"score  0.", "(95%)", "Elo    ", "A per move: ", "nodes", "B per move: 1 samples", "†",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		m := wdlRE.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no W/D/L line:\n%s", out)
		}
		if m[3] != "0" && m[3] != "1" && m[3] != "2" {
			t.Errorf("the solver lost %s games to random", m[3])
		}
		// Everything but the † lines is a function of the seed.
		var fixed []string
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, "†") {
				fixed = append(fixed, line)
			}
		}
		results = append(results, strings.Join(fixed, "\n"))
	}
	if results[0] != results[1] {
		t.Errorf("1 worker:\n%s\n2 workers:\n%s", results[0], results[1])
	}

	// Openings from a file; budgets per side.
	file := filepath.Join(t.TempDir(), "openings.txt")
	if err := os.WriteFile(file, []byte("# two openings\n5\n\n13\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runMatchArgs(t, "mcts:seed=1", "mcts:seed=2", "--game", "tictactoe", "--games", "8", "--opening-file", file, "--budget-a", "sims=64", "--budget-b", "sims=4,time=1s")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"8 games in 4 pairs, both colours, from 2 given openings", "(budget sims=64)", "(budget sims=4,time=1s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestMatchCommandErrors checks that bad specs and flags get clear errors.
func TestMatchCommandErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.txt", "5\n55\n")
	over := write("over.txt", "14253\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"mcts:sims=x", "random"}, `bot spec "mcts:sims=x": key sims="x": not an integer`},
		{[]string{"random", "nosuchbot"}, `bot spec "nosuchbot": unknown kind "nosuchbot"`},
		{[]string{"random"}, "want two bot specs (SPEC_A SPEC_B), got 1"},
		{[]string{"random", "random", "--game", "chess"}, `--game: unknown game "chess"`},
		{[]string{"random", "random", "--games", "0"}, "--games 0: want at least 1"},
		{[]string{"random", "random", "--workers", "-2"}, "--workers -2"},
		{[]string{"random", "random", "--game", "tictactoe", "--openings", "9"}, "--openings 9: a tictactoe game is over after at most 9 plies"},
		{[]string{"random", "random", "--budget-a", "sims=0"}, `--budget-a: budget "sims=0": sims=0: want at least 1`},
		{[]string{"random", "random", "--budget-b", "sims"}, `--budget-b: budget "sims": part "sims": want key=value`},
		{[]string{"random", "random", "--budget-b", "time=soon"}, `time="soon": want a positive duration`},
		{[]string{"random", "random", "--budget-b", "depth=3"}, `unknown key "depth"`},
		{[]string{"random", "random", "--game", "tictactoe", "--opening-file", bad}, "bad.txt line 2: "},
		{[]string{"random", "random", "--game", "tictactoe", "--opening-file", over}, `over.txt line 1: tictactoe position "14253": the game is over`},
		{[]string{"random", "random", "--opening-file", filepath.Join(dir, "none.txt")}, "--opening-file: open"},
		{[]string{"random", "random", "--opening-file", bad, "--openings", "2"}, "give one of them"},
	}
	for _, tc := range tests {
		_, _, err := runMatchArgs(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("match %s: error %v, want %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// TestMatchProgress checks the progress lines on stderr.
func TestMatchProgress(t *testing.T) {
	o := matchOptions{g: tictactoe.Game{}, specA: "random:seed=1", specB: "random:seed=2",
		cfg: eval.MatchConfig{Games: 6, RandomPlies: 1, Workers: 1, NameA: "a", NameB: "b"}}
	var out, errw bytes.Buffer
	if err := runMatch(context.Background(), o, &out, &errw, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errw.String(), "match: 1/6 games") || !strings.Contains(errw.String(), "match: 5/6 games") || strings.Contains(errw.String(), "6/6") {
		t.Errorf("progress:\n%s", errw.String())
	}
	errw.Reset()
	if err := runMatch(context.Background(), o, &out, &errw, time.Hour); err != nil || errw.Len() != 0 {
		t.Errorf("short match: %v, progress %q", err, errw.String())
	}
}

// TestParseBudget checks the budget syntax against Budget.String.
func TestParseBudget(t *testing.T) {
	for _, b := range []argmax.Budget{{}, {Simulations: 800}, {Nodes: 1000000, Time: 250 * time.Millisecond}, {Iterations: 3, Samples: 4}} {
		got, err := parseBudget(b.String())
		if err != nil || got != b {
			t.Errorf("parseBudget(%q) = %v, %v", b.String(), got, err)
		}
	}
	if got, err := parseBudget("nodes=1e6, sims=1_000"); err != nil || got != (argmax.Budget{Nodes: 1e6, Simulations: 1000}) {
		t.Errorf("parseBudget: %v, %v", got, err)
	}
	if _, err := parseBudget("sims=1,sims=2"); err == nil {
		t.Error("a key twice: no error")
	}
}
