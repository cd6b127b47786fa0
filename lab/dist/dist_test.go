package dist

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"argmax/lab"
	"argmax/lab/store"
)

// figures returns the reproducible figures of every stored trial, by key.
func figures(t *testing.T, st *store.Store) map[string][]store.Metric {
	t.Helper()
	trials, err := st.Trials(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.Metric{}
	for _, tr := range trials {
		if _, dup := out[tr.Key]; dup {
			t.Errorf("trial %s stored twice", tr.Key)
		}
		if tr.Status != store.StatusDone {
			t.Errorf("trial %s: status %s (%s)", tr.Key, tr.Status, tr.Error)
		}
		var ms []store.Metric
		for _, m := range tr.Metrics {
			if !m.Timing {
				ms = append(ms, m)
			}
		}
		slices.SortFunc(ms, func(a, b store.Metric) int {
			if a.Name != b.Name {
				if a.Name < b.Name {
					return -1
				}
				return 1
			}
			return int(a.Step - b.Step)
		})
		out[tr.Key] = ms
	}
	return out
}

// singleProcess runs s with the in-process executor and returns its
// figures: the reference of the distributed runs.
func singleProcess(t *testing.T, s *lab.Spec) map[string][]store.Metric {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &lab.Runner{Store: st, Workers: 8, ArtefactDir: t.TempDir()} // the trials sleep: 8 at once on any machine
	if _, err := r.RunSpec(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return figures(t, st)
}

// sameFigures checks that got holds every trial of want exactly once
// with the same figures.
func sameFigures(t *testing.T, got, want map[string][]store.Metric) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d trials stored, want %d", len(got), len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("trial %s not stored", k)
			continue
		}
		if !slices.EqualFunc(g, w, func(a, b store.Metric) bool {
			return a.Name == b.Name && a.Decider == b.Decider && a.Role == b.Role && a.Step == b.Step &&
				(a.Value == b.Value || math.IsNaN(a.Value) && math.IsNaN(b.Value))
		}) {
			t.Errorf("trial %s: figures %v, single process %v", k, g, w)
		}
	}
}

// TestLocalMatchesSingleProcess runs a sweep through the embedded server
// and local workers, checks its figures against the in-process executor's
// and that a second run finds every trial done.
func TestLocalMatchesSingleProcess(t *testing.T) {
	s := mustSweep(t, 40, 0)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run := func() lab.Summary {
		l, err := StartLocal(context.Background(), LocalConfig{Dir: filepath.Join(dir, "state", "nats"), Slots: 2, Registry: testRegistry(), ArtefactDir: filepath.Join(dir, "artefacts")})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := l.Close(); err != nil {
				t.Error(err)
			}
		}()
		r := &lab.Runner{Store: st, Executor: l.Executor}
		sum, err := r.RunSpec(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Executor.Stats(); sum.Ran > 0 && (got.Results != 40 || got.Queued != 40) {
			t.Errorf("executor stats %+v, want 40 queued and taken", got)
		}
		return sum
	}
	if sum := run(); sum.Ran != 40 {
		t.Fatalf("first run %+v, want 40 trials run", sum)
	}
	sameFigures(t, figures(t, st), singleProcess(t, s))
	if sum := run(); sum.Ran != 0 || sum.Skipped != 40 {
		t.Errorf("second run %+v, want all 40 skipped", sum)
	}
}

// TestInterruptedLocalRunResumes cancels a run midway and runs it again:
// the trials queued before the interruption are taken up and every trial
// is stored once.
func TestInterruptedLocalRunResumes(t *testing.T) {
	s := mustSweep(t, 24, 40)
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "results.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run := func(ctx context.Context) (lab.Summary, error) {
		l, err := StartLocal(ctx, LocalConfig{Dir: filepath.Join(dir, "state"), Slots: 2, Registry: testRegistry(), AckWait: testAckWait})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		r := &lab.Runner{Store: st, Executor: l.Executor}
		return r.RunSpec(ctx, s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if _, n, _ := st.Count(context.Background()); n >= 6 {
				cancel()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	sum, err := run(ctx)
	cancel()
	if err == nil || sum.Ran >= 24 {
		t.Fatalf("interrupted run: %+v %v, want an interruption", sum, err)
	}
	sum2, err := run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Skipped+sum2.Ran != 24 || sum2.Skipped < sum.Ran {
		t.Errorf("resumed run %+v after %+v", sum2, sum)
	}
	sameFigures(t, figures(t, st), singleProcess(t, s))
}
