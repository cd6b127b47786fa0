package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"argmax/game/connect4/positions"
)

// runPositionsCmd runs argmax positions with args, flags reset first (they
// keep their values between executions in one process).
func runPositionsCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	positionsCmd.Flags().VisitAll(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			sv.Replace(nil)
		} else {
			f.Value.Set(f.DefValue)
		}
		f.Changed = false
	})
	var out, errw bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errw)
	rootCmd.SetArgs(append([]string{"positions"}, args...))
	defer rootCmd.SetArgs(nil)
	err = rootCmd.Execute()
	return out.String(), errw.String(), err
}

func TestPositionsCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "end.txt")
	stdout, stderr, err := runPositionsCmd(t, "--set", "end", "--plies", "33-35", "--n", "8", "--seed", "3", "--source", "random", "--out", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "8 positions") || !strings.Contains(stderr, "positions end: 8/8 kept") {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, ps, err := positions.Read(out, f)
	if err != nil || len(ps) != 8 {
		t.Fatalf("%d positions, %v", len(ps), err)
	}
	want := "command: argmax positions --set end --n 8 --seed 3 --source random --out " + out + " --plies 33-35"
	if !strings.Contains(strings.Join(h, "\n"), want) {
		t.Errorf("header %q lacks %q", h, want)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--n", "5", "--out", out}, "--set is required"},
		{[]string{"--set", "end", "--out", out}, "--n is required"},
		{[]string{"--set", "end", "--n", "0", "--out", out}, "--n 0: want at least 1"},
		{[]string{"--set", "end", "--n", "5"}, "--out is required"},
		{[]string{"--set", "end", "--n", "5", "--out", out, "--source", "games"}, `--source: source "games": want random, mcts or mixed`},
		{[]string{"--set", "middle-shallow", "--n", "5", "--out", out}, `--set set "middle-shallow": unknown (known: openings`},
		{[]string{"--set", "end", "--n", "5", "--out", out, "--plies", "30-x"}, `--plies "30-x": want MIN-MAX`},
		{[]string{"--set", "end", "--n", "5", "--out", out, "--plies", "30-50"}, `--plies "30-50": want 0 ≤ MIN ≤ MAX ≤ 41`},
		{[]string{"--set", "end", "--n", "5", "--out", out, "--workers", "0"}, "--workers 0"},
		{[]string{"--set", "end", "--n", "5", "--out", out, "--reuse", filepath.Join(dir, "missing.txt")}, "--reuse: open"},
		{[]string{"--set", "end", "--n", "5", "--out", out, "extra"}, `unknown command "extra"`},
	} {
		if _, _, err := runPositionsCmd(t, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("positions %v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}
