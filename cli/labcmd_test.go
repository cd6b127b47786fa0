package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		sig  os.Signal
		want int
	}{{os.Interrupt, 130}, {syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		if got := exitCode(tc.sig); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.sig, got, tc.want)
		}
	}
}

// slowSpec has trials long enough (~50 ms each) to stop the run in the
// middle.
const slowSpec = "name: slow\nseed: 5\nexperiments:\n  - name: mc-pi\n    seeds: 40\n    params: {samples: 4000000}\n"

// TestRunChild is not a test of its own: TestSignalExitCodes runs the test
// binary again with ARGMAX_RUN_CHILD set to the folder of a spec, making it
// run argmax run on that spec as a process that can be signalled.
func TestRunChild(t *testing.T) {
	dir := os.Getenv("ARGMAX_RUN_CHILD")
	if dir == "" {
		t.Skip("helper process for TestSignalExitCodes")
	}
	rootCmd.SetArgs([]string{"run", filepath.Join(dir, "slow.yaml"), "--out", dir, "--workers", "1"})
	rootCmd.SetOut(os.Stdout)
	rootCmd.SetErr(os.Stderr)
	err := rootCmd.Execute()
	t.Fatalf("the run was not stopped: %v", err)
}

// TestSignalExitCodes stops a run with SIGTERM and with SIGINT: it must
// exit with 143 and 130, saying the finished trials are kept, and a second
// writer must be refused while it runs.
func TestSignalExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "slow.yaml"), []byte(slowSpec), 0o644)
			cmd := exec.Command(os.Args[0], "-test.run=^TestRunChild$")
			cmd.Env = append(os.Environ(), "ARGMAX_RUN_CHILD="+dir)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lock := filepath.Join(dir, "results.db.lock")
			deadline := time.Now().Add(30 * time.Second)
			for !strings.Contains(readFile(lock), fmt.Sprintf("pid %d ", cmd.Process.Pid)) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("the child did not start its run: %s", out.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			// A second run on the same database is refused.
			if _, err := execute(t, "run", filepath.Join(dir, "slow.yaml"), "--out", dir); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", cmd.Process.Pid)) {
				t.Errorf("second writer: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
			cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit %v, want status %d:\n%s", err, tc.code, out.String())
			}
			if !strings.Contains(out.String(), "argmax: interrupted") || !strings.Contains(out.String(), "run the same command again") {
				t.Errorf("output:\n%s", out.String())
			}
		})
	}
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
