package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// runRoot runs the argmax command with args, returning its stdout and
// stderr together and the error.
func runRoot(args ...string) (string, error) {
	resetFlags(rootCmd)
	var out bytes.Buffer
	err := Run(args, &out, &out)
	return out.String(), err
}

// resetFlags sets every flag of cmd and its subcommands back to its
// default and unchanged: flags keep their values between executions in
// one process, so a test's --list would reach the next test's run.
func resetFlags(cmd *cobra.Command) {
	reset := func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			var def []string
			if d := strings.Trim(f.DefValue, "[]"); d != "" {
				def = strings.Split(d, ",")
			}
			sv.Replace(def)
		} else {
			f.Value.Set(f.DefValue)
		}
		f.Changed = false
	}
	cmd.Flags().VisitAll(reset)
	cmd.PersistentFlags().VisitAll(reset)
	for _, c := range cmd.Commands() {
		resetFlags(c)
	}
}

// TestBenchUnknown checks that an unknown benchmark is an error naming the
// known ones, and that bench alone prints its help.
func TestBenchUnknown(t *testing.T) {
	if _, err := runRoot("bench", "foo"); err == nil || err.Error() != `bench: unknown benchmark "foo" (want alphazero, dist, mcts, nn, solver)` {
		t.Errorf("bench foo: %v", err)
	}
	if out, err := runRoot("bench"); err != nil || !strings.Contains(out, "Available Commands") {
		t.Errorf("bench: %v\n%s", err, out)
	}
}

// TestBenchMCTS runs bench mcts through bot specs: a threaded spec is
// timed beside its one-thread twin with the ratio; a bot without
// simulations is timed in nodes; bad specs and flags are refused.
func TestBenchMCTS(t *testing.T) {
	defer func() {
		for name, v := range map[string]string{"bot": "mcts:sims=200000,seed=1", "game": "connect4", "reps": "7", "calibration": ""} {
			benchMCTSCmd.Flags().Set(name, v)
		}
	}()
	out, err := runRoot("bench", "mcts", "--bot", "mcts:sims=2000,threads=2,seed=3", "--reps", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"machine:", "mcts:sims=2000,threads=1,seed=3: ", "mcts:sims=2000,threads=2,seed=3: ", " simulations/s (median;", "ratio mcts:sims=2000,threads=2,seed=3 / threads=1: ", "tree: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runRoot("bench", "mcts", "--game", "tictactoe", "--bot", "solver", "--reps", "1")
	if err != nil || !strings.Contains(out, "solver: ") || !strings.Contains(out, " nodes/s ") || strings.Contains(out, "ratio") {
		t.Errorf("solver: %v\n%s", err, out)
	}
	out, err = runRoot("bench", "mcts", "--game", "connect4", "--bot", "mcts:sims=50", "--calibration", "end")
	if err != nil || !strings.Contains(out, "mcts:sims=50 on 300 end calibration positions") || !strings.Contains(out, "optimal moves: ") {
		t.Errorf("calibration: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bot", "mcts:simz=1", "--calibration", ""}, `unknown key "simz"`},
		{[]string{"--bot", "mcts", "--reps", "0"}, "--reps 0"},
		{[]string{"--reps", "1", "--game", "tictactoe", "--calibration", "end"}, "calibration positions are connect four's"},
		{[]string{"--game", "connect4", "--calibration", "opening"}, `--calibration "opening"`},
		{[]string{"--sims", "5"}, "unknown flag: --sims"},
	} {
		if _, err := runRoot(append([]string{"bench", "mcts"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestSingleThread(t *testing.T) {
	for _, tc := range []struct {
		spec, want string
		threaded   bool
	}{
		{"mcts:sims=10,threads=4", "mcts:sims=10,threads=1", true},
		{"mcts:threads=1", "mcts:threads=1", false},
		{"mcts:sims=10", "mcts:sims=10", false},
		{"solver", "solver", false},
	} {
		got, threaded, err := singleThread(tc.spec)
		if err != nil || got != tc.want || threaded != tc.threaded {
			t.Errorf("%s: %q %v %v", tc.spec, got, threaded, err)
		}
	}
}

// TestBenchNN runs the conv section of bench nn with a short duration and
// a stand-in peer, and checks its figures, ratios and flag errors.
func TestBenchNN(t *testing.T) {
	defer func() {
		for name, v := range map[string]string{"duration": "1s", "quick": "false", "only": "gemm,mlp,conv,attention", "peer": "", "rounds": "1"} {
			benchNNCmd.Flags().Set(name, v)
		}
	}()
	peer := `sh -c 'echo "{\"threads\": 1, \"figures\": {\"conv inference batch 64 positions/s\": {\"value\": 100}}}"; echo "{\"threads\": 2, \"figures\": {\"conv inference batch 64 positions/s\": {\"value\": 200}}}"'`
	out, err := runRoot("bench", "nn", "--only", "conv", "--duration", "5ms", "--peer", peer)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"machine:", "connect-four residual net (5 blocks × 64 channels", "1 thread", "2 threads",
		"inference, batch 1 ", "inference, batch 8 ", "inference, batch 64 ", "train step, batch 64 ", "train step, batch 256 ",
		"peer 1t", "100 pos/s", "200 pos/s", "ratio 1t", "% of time in gemm"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--only", "conv,foo"}, `unknown section "foo"`},
		{[]string{"--only", "conv", "--rounds", "0"}, "--rounds must be at least 1"},
		{[]string{"--only", "mlp", "--peer", "true"}, "add conv to --only"},
		{[]string{"--only", "conv", "--duration", "1ms", "--peer", "true"}, "printed no figures"},
		{[]string{"--only", "conv", "--duration", "1ms", "--peer", "'unclosed"}, "unterminated"},
	} {
		if _, err := runRoot(append([]string{"bench", "nn"}, tc.args...)...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
		benchNNCmd.Flags().Set("peer", "")
		benchNNCmd.Flags().Set("rounds", "1")
	}
}
