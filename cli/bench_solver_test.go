package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestBenchSolver runs argmax bench solver on the end positions (fast) and
// checks its table, and that a bad phase is refused.
func TestBenchSolver(t *testing.T) {
	defer func() {
		rootCmd.SetArgs(nil)
		rootCmd.SetOut(nil)
		rootCmd.SetErr(nil)
		benchSolverCmd.Flags().Set("phase", "end,middle,beginning")
	}()
	var out bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&out)
	rootCmd.SetArgs([]string{"bench", "solver", "--phase", "end"})
	if err := rootCmd.Execute(); err != nil {
		t.Fatalf("bench solver: %v\n%s", err, out.String())
	}
	for _, want := range []string{"machine:", "positions/s", "nodes/s", "\nend ", " 300 "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	rootCmd.SetArgs([]string{"bench", "solver", "--phase", "opening"})
	if err := rootCmd.Execute(); err == nil || !strings.Contains(err.Error(), `--phase "opening"`) {
		t.Errorf("bad phase: error %v", err)
	}
}
