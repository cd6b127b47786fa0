package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// execute runs the argmax command with args and returns its stdout.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	resetFlags(rootCmd)
	var out, errw bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errw)
	rootCmd.SetArgs(args)
	defer rootCmd.SetArgs(nil)
	err := rootCmd.Execute()
	return out.String(), err
}

// TestRunSpecResumeExport runs a spec, runs it again (nothing left to do),
// exports the results, and rejects a bad spec with the field and reason.
func TestRunSpecResumeExport(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "pi.yaml")
	os.WriteFile(spec, []byte("name: pi\nseed: 2\nexperiments:\n  - name: mc-pi\n    seeds: 5\n    grid: {samples: [100, 10000]}\n"), 0o644)
	out := filepath.Join(dir, "out")
	got, err := execute(t, "run", spec, "--out", out, "--workers", "2")
	if err != nil || !strings.Contains(got, "10 trials (10 run now, 0 done before, 0 failed)") {
		t.Fatalf("run: %v\n%s", err, got)
	}
	if st, err := os.Stat(filepath.Join(out, "index.html")); err != nil || st.Size() < 1000 {
		t.Fatalf("report: %v", err)
	}
	got, err = execute(t, "run", spec, "--out", out)
	if err != nil || !strings.Contains(got, "(0 run now, 10 done before") {
		t.Fatalf("rerun: %v\n%s", err, got)
	}
	csv, err := execute(t, "export", "--db", filepath.Join(out, "results.db"), "--format", "csv")
	if err != nil || !strings.HasPrefix(csv, "experiment,trial,") || strings.Count(csv, "\nmc-pi,") < 10 {
		t.Fatalf("export csv: %v\n%.300s", err, csv)
	}
	jl, err := execute(t, "export", "--db", filepath.Join(out, "results.db"), "--format", "jsonl", "--experiment", "mc-pi")
	if err != nil || strings.Count(jl, "\n") != 10 {
		t.Fatalf("export jsonl: %v (%d lines)", err, strings.Count(jl, "\n"))
	}
	if _, err := execute(t, "export", "--db", filepath.Join(out, "results.db"), "--format", "xml"); err == nil || !strings.Contains(err.Error(), "--format") {
		t.Errorf("bad format: %v", err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("experiments:\n  - name: mc-pi\n    seeds: 0\n"), 0o644)
	if _, err := execute(t, "run", bad, "--out", filepath.Join(dir, "bad")); err == nil || !strings.Contains(err.Error(), "experiments[0].seeds") {
		t.Errorf("bad spec: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Error("a rejected spec left files behind")
	}
	if _, err := execute(t, "run", spec, "--out", out, "--scale", "huge"); err == nil || !strings.Contains(err.Error(), "--scale") {
		t.Errorf("bad scale: %v", err)
	}
	list, err := execute(t, "run", "--list")
	if err != nil || !strings.Contains(list, "claims/scaling") || !strings.Contains(list, "mc-pi") {
		t.Errorf("--list: %v\n%s", err, list)
	}
}
