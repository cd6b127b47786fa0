package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func runInferCmd(args ...string) (string, error) {
	defer inferCmd.Flags().VisitAll(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			sv.Replace(nil)
		} else {
			f.Value.Set(f.DefValue)
		}
		f.Changed = false
	})
	var out bytes.Buffer
	err := Run(append([]string{"infer"}, args...), &out, &out)
	return out.String(), err
}

// Per-instance GD closes the gap the baseline leaves, in the text and
// the JSON output.
func TestInferCommand(t *testing.T) {
	out, err := runInferCmd("--task", "mixture:d=2,k=4", "--solver", "gd:iters=100", "--solver", "init", "--contexts", "20", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var gd, base inferLine
	if json.Unmarshal([]byte(lines[0]), &gd) != nil || json.Unmarshal([]byte(lines[1]), &base) != nil {
		t.Fatalf("not JSON:\n%s", out)
	}
	if gd.Role != "direct" || gd.Iterations != 100 || !(gd.Gap < 0.05*base.Gap) || base.Role != "baseline" || !(base.Gap > 0) {
		t.Errorf("gd %+v, init %+v", gd, base)
	}
	out, err = runInferCmd("--task", "sphere", "--solver", "gd", "--contexts", "5", "--split", "shifted", "--iters", "3")
	if err != nil || !strings.Contains(out, "5 shifted contexts") || !strings.Contains(out, "3 iterations") {
		t.Errorf("text output %q, %v", out, err)
	}
	for _, args := range [][]string{
		{"--task", "sphere"},
		{"--task", "cube", "--solver", "gd"},
		{"--task", "sphere", "--solver", "newton"},
		{"--task", "sphere", "--solver", "gd", "--split", "test"},
		{"--task", "sphere", "--solver", "gd", "--contexts", "0"},
	} {
		if _, err := runInferCmd(args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
