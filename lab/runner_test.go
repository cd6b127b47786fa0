package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"argmax/lab/store"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestRunMonteCarloCoversPi(t *testing.T) {
	dir := t.TempDir()
	src := "name: pi\nseed: 11\nexperiments:\n  - name: mc-pi\n    seeds: 8\n    grid: {samples: [1000, 100000]}\n"
	spec, err := ParseSpec([]byte(src), "pi.yaml", testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(dir, "r.db"))
	var progress bytes.Buffer
	r := &Runner{Store: st, Workers: 2, Progress: &progress, TTY: true}
	sum, err := r.RunSpec(context.Background(), spec)
	if err != nil || sum.Ran != 16 || sum.Skipped != 0 {
		t.Fatalf("run: %+v %v", sum, err)
	}
	if !strings.Contains(progress.String(), "16/16 100%") || !strings.Contains(progress.String(), "ETA") {
		t.Errorf("progress bar: %q", progress.String())
	}
	res, err := LoadResults(context.Background(), st, spec.Plan())
	if err != nil || len(res.Trials) != 16 {
		t.Fatalf("load: %d %v", len(res.Trials), err)
	}
	for _, n := range []int{1000, 100000} {
		pts := Where(res.Trials, "samples", n)
		iv := CI(pts, "pi", 0)
		if iv.N != 8 || !iv.Contains(math.Pi) {
			t.Errorf("samples=%d: π estimate %v does not cover π", n, iv)
		}
		// Error shrinks like 1/sqrt(n): the interval narrows ~10x.
		if n == 100000 && iv.Width() > 0.03 {
			t.Errorf("interval %v too wide for 1e5 samples", iv)
		}
		if got := Steps(pts, "running_pi"); len(got) != int(math.Log10(float64(n))) {
			t.Errorf("running estimate steps %v", got)
		}
	}
	// A rerun skips every finished trial and changes nothing.
	sum, err = r.RunSpec(context.Background(), spec)
	if err != nil || sum.Ran != 0 || sum.Skipped != 16 {
		t.Fatalf("rerun: %+v %v", sum, err)
	}
	if rows, distinct, _ := st.Count(context.Background()); rows != 16 || distinct != 16 {
		t.Errorf("store holds %d rows, %d distinct", rows, distinct)
	}
	// Exports.
	var csv, jl bytes.Buffer
	if err := st.ExportCSV(context.Background(), &csv, store.Filter{Experiment: "mc-pi"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	// header + 16 trials x (pi, abs_error, running_pi at 3 or 5 steps)
	if want := 1 + 8*(2+3) + 8*(2+5); len(lines) != want {
		t.Errorf("CSV has %d lines, want %d", len(lines), want)
	}
	if !strings.HasPrefix(lines[0], "experiment,trial,seed_index,seed,status,param.antithetic,param.samples,metric,decider,role,step,value,timing") {
		t.Errorf("CSV header %q", lines[0])
	}
	if err := st.ExportJSONL(context.Background(), &jl, store.Filter{}); err != nil {
		t.Fatal(err)
	}
	var first store.Trial
	jls := strings.Split(strings.TrimSpace(jl.String()), "\n")
	if len(jls) != 16 || json.Unmarshal([]byte(jls[0]), &first) != nil || first.Experiment != "mc-pi" || len(first.Metrics) == 0 {
		t.Errorf("JSONL: %d lines, first %+v", len(jls), first)
	}
	// The generic report has the table and charts.
	rep := SpecReport(spec, res)
	if rep.NumCharts() < 3 {
		t.Errorf("report has %d charts", rep.NumCharts())
	}
	var html bytes.Buffer
	if err := rep.WriteHTML(&html); err != nil || !strings.Contains(html.String(), "<svg class=\"chart\"") {
		t.Errorf("report HTML: %v", err)
	}
}

func TestRunResultsIndependentOfWorkers(t *testing.T) {
	spec, err := ParseSpec([]byte("experiments:\n  - name: mc-pi\n    seeds: 6\n"), "s", testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	values := func(workers int) []float64 {
		st := openStore(t, filepath.Join(t.TempDir(), "r.db"))
		r := &Runner{Store: st, Workers: workers}
		if _, err := r.RunSpec(context.Background(), spec); err != nil {
			t.Fatal(err)
		}
		res, _ := LoadResults(context.Background(), st, spec.Plan())
		return Values(res.Trials, "pi", 0)
	}
	a, b := values(1), values(3)
	if len(a) != 6 || len(b) != 6 {
		t.Fatalf("%v %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("results depend on the worker count: %v vs %v", a, b)
		}
	}
}

func TestRunFailuresAreRetried(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	reg := &Registry{}
	reg.Register(Experiment{
		Name:   "flaky",
		Params: []Param{{Name: "x", Kind: Int, Quick: 1}},
		Run: func(ctx context.Context, t *Trial) error {
			if t.SeedIndex == 1 && broken.Load() {
				return errors.New("broken on purpose")
			}
			if t.SeedIndex == 2 && broken.Load() {
				panic("panics on purpose")
			}
			t.Record("x", float64(t.Int("x")))
			return nil
		},
	})
	spec, _ := ParseSpec([]byte("experiments: [{name: flaky, seeds: 4}]"), "s", reg)
	st := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	r := &Runner{Store: st, Workers: 2}
	sum, err := r.RunSpec(context.Background(), spec)
	if err == nil || sum.Failed != 2 || sum.Ran != 2 || !strings.Contains(err.Error(), "2 of 4 trials failed") {
		t.Fatalf("want 2 failures: %+v %v", sum, err)
	}
	broken.Store(false)
	sum, err = r.RunSpec(context.Background(), spec)
	if err != nil || sum.Ran != 2 || sum.Skipped != 2 {
		t.Fatalf("retry: %+v %v", sum, err)
	}
	if rows, distinct, _ := st.Count(context.Background()); rows != 4 || distinct != 4 {
		t.Errorf("store holds %d rows, %d done", rows, distinct)
	}
}

func TestRunInterruptAndResume(t *testing.T) {
	reg := &Registry{}
	var started atomic.Int32
	release := make(chan struct{})
	reg.Register(Experiment{
		Name:   "waits",
		Params: []Param{{Name: "x", Kind: Int, Quick: 1}},
		Run: func(ctx context.Context, t *Trial) error {
			if started.Add(1) > 2 {
				// Later trials wait for the interruption.
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-release:
				}
			}
			t.Record("seed_index", float64(t.SeedIndex))
			return nil
		},
	})
	spec, _ := ParseSpec([]byte("experiments: [{name: waits, seeds: 10}]"), "s", reg)
	st := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for started.Load() < 4 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	sum, err := (&Runner{Store: st, Workers: 2}).RunSpec(ctx, spec)
	if !errors.Is(err, ErrInterrupted) || !sum.Interrupted || sum.Ran != 2 {
		t.Fatalf("interrupt: %+v %v", sum, err)
	}
	close(release)
	sum, err = (&Runner{Store: st, Workers: 2}).RunSpec(context.Background(), spec)
	if err != nil || sum.Skipped != 2 || sum.Ran != 8 {
		t.Fatalf("resume: %+v %v", sum, err)
	}
}

// killSpec has trials long enough (~50 ms each) to kill the process in the
// middle of the run.
const killSpec = "name: kill\nseed: 5\nexperiments:\n  - name: mc-pi\n    seeds: 30\n    params: {samples: 4000000}\n"

// TestKilledChild is not a test of its own: TestKillAndResume runs the test
// binary again with ARGMAX_LAB_CHILD set to make it run killSpec against
// the store named there, as a separate process that can be SIGKILLed.
func TestKilledChild(t *testing.T) {
	db := os.Getenv("ARGMAX_LAB_CHILD")
	if db == "" {
		t.Skip("helper process for TestKillAndResume")
	}
	spec, err := ParseSpec([]byte(killSpec), "kill.yaml", Default)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := (&Runner{Store: st, Workers: 2}).RunSpec(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	json.NewEncoder(os.Stdout).Encode(sum)
}

func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "kill.db")
	st := openStore(t, db)
	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledChild$", "-test.v")
		cmd.Env = append(os.Environ(), "ARGMAX_LAB_CHILD="+db)
		return cmd
	}
	ctx := context.Background()
	cmd := child()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, done, err := st.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if done >= 4 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made no progress: %s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	_, before, _ := st.Count(ctx)
	if before >= 30 {
		t.Fatalf("the child finished before it was killed (%d trials); make trials longer", before)
	}
	t.Logf("killed after %d of 30 trials", before)

	cmd = child()
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, outb)
	}
	var sum Summary
	var line []byte
	for _, l := range bytes.Split(outb, []byte("\n")) {
		if bytes.HasPrefix(l, []byte("{")) {
			line = l
		}
	}
	if err := json.Unmarshal(line, &sum); err != nil {
		t.Fatalf("rerun summary %q: %v", outb, err)
	}
	if sum.Skipped != before || sum.Ran != 30-before {
		t.Errorf("rerun ran %d and skipped %d; want %d and %d", sum.Ran, sum.Skipped, 30-before, before)
	}
	if rows, done, _ := st.Count(ctx); rows != 30 || done != 30 {
		t.Errorf("store holds %d rows, %d distinct done; want 30 exactly once", rows, done)
	}
	// The interrupted-and-resumed results equal an uninterrupted run's.
	spec, _ := ParseSpec([]byte(killSpec), "kill.yaml", Default)
	spec.Entries[0].Seeds = 3
	fresh := openStore(t, filepath.Join(dir, "fresh.db"))
	if _, err := (&Runner{Store: fresh}).RunSpec(ctx, spec); err != nil {
		t.Fatal(err)
	}
	a, _ := LoadResults(ctx, st, spec.Plan())
	b, _ := LoadResults(ctx, fresh, spec.Plan())
	va, vb := Values(a.Trials, "pi", 0), Values(b.Trials, "pi", 0)
	if len(va) != 3 || len(vb) != 3 || va[0] != vb[0] || va[2] != vb[2] {
		t.Errorf("resumed results differ from a fresh run: %v vs %v", va, vb)
	}
}

// TestSessionRunsAndResumes checks that a session returns the results of
// every planned trial, and that a second session on the same store runs
// nothing and returns the same results.
func TestSessionRunsAndResumes(t *testing.T) {
	spec, err := ParseSpec([]byte("experiments:\n  - name: mc-pi\n    seeds: 4\n"), "s", testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(t.TempDir(), "r.db"))
	s := &Session{Runner: Runner{Store: st, Workers: 2}, Spec: spec}
	sum, res, err := s.Run(context.Background())
	if err != nil || sum.Ran != 4 || len(res.Trials) != 4 {
		t.Fatalf("first run: %+v, %d trials, %v", sum, len(res.Trials), err)
	}
	sum, res2, err := s.Run(context.Background())
	if err != nil || sum.Ran != 0 || sum.Skipped != 4 || len(res2.Trials) != 4 {
		t.Fatalf("second run: %+v, %v", sum, err)
	}
	if a, b := Values(res.Trials, "pi", 0), Values(res2.Trials, "pi", 0); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("results differ: %v vs %v", a, b)
	}
	if _, _, err := (&Session{Runner: Runner{Store: st}}).Run(context.Background()); err == nil {
		t.Error("a session with no spec: no error")
	}
}

// TestParamTypoFailsTrial checks that an experiment reading a parameter it
// did not declare fails with an error naming it, not a panic.
func TestParamTypoFailsTrial(t *testing.T) {
	e := &Experiment{Name: "typo", Params: []Param{{Name: "n", Kind: Int, Quick: 1}}, Run: func(_ context.Context, t *Trial) error {
		_ = t.Int("m")
		return nil
	}}
	tr := NewTrial(e, e.Defaults(Quick), Quick, 1, 0)
	if err := runOne(context.Background(), tr); err == nil || !strings.Contains(err.Error(), `no parameter "m"`) {
		t.Errorf("err %v", err)
	}
}
