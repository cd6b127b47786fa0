package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"argmax/lab/store"
)

func TestSaveReplaceAndNaN(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tr := &store.Trial{Key: "k1", Experiment: "e", Point: `{"n":3,"s":"x"}`, Status: store.StatusFailed, Error: "boom", Started: time.Now(), Finished: time.Now(),
		Metrics: []store.Metric{{Name: "m", Value: 1}}}
	if err := st.SaveTrial(ctx, tr); err != nil {
		t.Fatal(err)
	}
	tr.Status, tr.Error = store.StatusDone, ""
	tr.Metrics = []store.Metric{{Name: "m", Value: 2}, {Name: "nan", Value: math.NaN()}, {Name: "t", Step: 5, Value: 0.1, Timing: true}}
	tr.Artefacts = []store.Artefact{{Name: "ckpt", Path: "/x/ckpt"}}
	if err := st.SaveTrial(ctx, tr); err != nil {
		t.Fatal(err)
	}
	rows, done, _ := st.Count(ctx)
	if rows != 1 || done != 1 {
		t.Fatalf("%d rows, %d done; a retried trial must replace the failed one", rows, done)
	}
	got, err := st.Trials(ctx, store.Filter{Experiment: "e"})
	if err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	g := got[0]
	if v, _ := g.Value("m", 0); v != 2 || !math.IsNaN(must(g.Value("nan", 0))) || g.Params["n"].(float64) != 3 || len(g.Artefacts) != 1 {
		t.Errorf("read back %+v", g)
	}
	var b bytes.Buffer
	if err := st.ExportJSONL(ctx, &b, store.Filter{}); err != nil || !strings.Contains(b.String(), `"value":null`) {
		t.Errorf("JSONL with NaN: %v %s", err, b.String())
	}
	if err := st.ExportCSV(ctx, &b, store.Filter{Experiment: "none"}); err != store.ErrNoTrials {
		t.Errorf("empty export: %v", err)
	}
}

func must(v float64, _ bool) float64 { return v }

func TestOpenNotADatabase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(p, []byte("this is not sqlite, just text that is long enough to be read as a header........"), 0o644)
	if _, err := store.Open(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("opening junk: %v", err)
	}
}

// Store one trial and export it as CSV.
func Example() {
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	st, _ := store.Open(filepath.Join(dir, "results.db"))
	defer st.Close()
	ctx := context.Background()
	st.SaveTrial(ctx, &store.Trial{Key: "a1", Experiment: "mc-pi", Point: `{"samples":1000}`, Status: store.StatusDone,
		Metrics: []store.Metric{{Name: "pi", Value: 3.144}}})
	var b bytes.Buffer
	st.ExportCSV(ctx, &b, store.Filter{})
	fmt.Print(b.String())
	// Output:
	// experiment,trial,seed_index,seed,status,param.samples,metric,decider,role,step,value,timing
	// mc-pi,a1,0,0,done,1000,pi,,,0,3.144,false
}

// TestDeciderDimension checks that the same metric name recorded for two
// deciders is kept apart, with its role, and read back by ValueOf.
func TestDeciderDimension(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tr := &store.Trial{Key: "k", Experiment: "e", Point: "{}", Status: store.StatusDone, Metrics: []store.Metric{
		{Name: "optimal_share", Decider: "mcts:sims=16", Role: "direct", Value: 0.5},
		{Name: "optimal_share", Decider: "net:size=small", Role: "amortized", Value: 0.9},
		{Name: "positions", Value: 100},
	}}
	if err := st.SaveTrial(ctx, tr); err != nil {
		t.Fatal(err)
	}
	got, err := st.Trials(ctx, store.Filter{})
	if err != nil || len(got) != 1 {
		t.Fatalf("%v, %v", got, err)
	}
	g := got[0]
	if v, ok := g.ValueOf("net:size=small", "optimal_share", 0); !ok || v != 0.9 {
		t.Errorf("net: %v %v", v, ok)
	}
	if v, ok := g.ValueOf("mcts:sims=16", "optimal_share", 0); !ok || v != 0.5 {
		t.Errorf("mcts: %v %v", v, ok)
	}
	if v, ok := g.Value("positions", 0); !ok || v != 100 {
		t.Errorf("trial-wide: %v %v", v, ok)
	}
	if _, ok := g.Value("optimal_share", 0); ok {
		t.Error("a decider's metric read as trial-wide")
	}
	for _, m := range g.Metrics {
		if m.Decider == "net:size=small" && m.Role != "amortized" {
			t.Errorf("role %q", m.Role)
		}
	}
}

// TestOlderLayoutRefused checks that a database of the first layout (no
// decider dimension) is refused with an error that says what to do.
func TestOlderLayoutRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.db")
	st, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = store.Open(p)
	if err == nil || !strings.Contains(err.Error(), "older argmax") || !strings.Contains(err.Error(), p) {
		t.Errorf("opening a layout-1 database: %v", err)
	}
}

// TestOpenRefusals checks that Open refuses an empty file, a folder and a
// file of garbage with an error naming the path, and that an error on a
// database damaged after it was opened names the path too.
func TestOpenRefusals(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 400), 0o644)
	for _, tc := range []struct{ path, want string }{
		{empty, "the file is empty (0 bytes), not a results database"},
		{dir, "is a folder"},
		{garbage, "not a usable results database"},
	} {
		_, err := store.Open(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming the path and %q", tc.path, err, tc.want)
		}
	}
	if fi, _ := os.Stat(empty); fi.Size() != 0 {
		t.Error("Open wrote into the empty file")
	}

	// A database whose pages after the first are overwritten.
	p := filepath.Join(dir, "damaged.db")
	st, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 200; i++ {
		st.SaveTrial(ctx, &store.Trial{Key: fmt.Sprint("k", i), Experiment: "e", Point: `{"n":1}`, Status: store.StatusDone,
			Metrics: []store.Metric{{Name: "m", Value: float64(i)}}})
	}
	st.Close()
	b, _ := os.ReadFile(p)
	if len(b) < 3*4096 {
		t.Fatalf("database of %d bytes: too small to damage", len(b))
	}
	copy(b[4096:], bytes.Repeat([]byte{0xA5}, len(b)-4096))
	os.WriteFile(p, b, 0o644)
	st, err = store.Open(p)
	if err == nil {
		defer st.Close()
		_, err = st.Trials(ctx, store.Filter{})
	}
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("damaged database: error %v, want one naming %s", err, p)
	}
}

// TestWriteLock checks that two stores cannot write to one database: the
// second writer's error names the database and the holder's pid; readers
// are not locked out; Close releases the lock; Remove refuses while it is
// held.
func TestWriteLock(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "r.db")
	a, err := store.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(p) // opening takes no lock
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.AddRun(ctx, store.Run{Name: "first"}); err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprintf("pid %d", os.Getpid())
	for name, write := range map[string]func() error{
		"AddRun":        func() error { _, err := b.AddRun(ctx, store.Run{Name: "second"}); return err },
		"SaveTrial":     func() error { return b.SaveTrial(ctx, &store.Trial{Key: "k", Point: "{}"}) },
		"SetExperiment": func() error { return b.SetExperiment(ctx, "e", "doc") },
		"Remove":        func() error { return store.Remove(p) },
	} {
		err := write()
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), pid) || !strings.Contains(err.Error(), "two runs cannot share one results database") {
			t.Errorf("%s while another store writes: %v", name, err)
		}
	}
	if runs, err := b.Runs(ctx); err != nil || len(runs) != 1 {
		t.Errorf("reading while another store writes: %v %v", runs, err)
	}
	a.Close()
	if _, err := b.AddRun(ctx, store.Run{Name: "second"}); err != nil {
		t.Errorf("after the first store closed: %v", err)
	}
	b.Close()
	if err := store.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("Remove left the database: %v", err)
	}
	if err := store.Remove(filepath.Join(t.TempDir(), "no-such-folder", "r.db")); err != nil {
		t.Errorf("Remove in a missing folder (--fresh on a new --out): %v", err)
	}
}

// TestRunsProvenance checks that a run is stored with this process's
// provenance unless it brings its own, and read back by Runs.
func TestRunsProvenance(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	given := store.Provenance{Version: "v1.2.3", Commit: "0123456789abcdef", Modified: true, GoVersion: "go1.99", Platform: "plan9/mips", CPU: "Z80", Cores: 1}
	if _, err := st.AddRun(ctx, store.Run{Name: "a", Seed: 7, Scale: "quick", Trials: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRun(ctx, store.Run{Name: "b", Provenance: given}); err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(ctx)
	if err != nil || len(runs) != 2 {
		t.Fatalf("%v %v", runs, err)
	}
	cur := store.Current()
	if runs[0].Provenance != cur || cur.GoVersion == "" || cur.Cores < 1 || cur.CPU == "" || runs[0].Seed != 7 || runs[0].Trials != 3 || runs[0].Started.IsZero() {
		t.Errorf("run a: %+v (current %+v)", runs[0], cur)
	}
	if runs[1].Provenance != given {
		t.Errorf("run b: %+v", runs[1].Provenance)
	}
	if s := given.String(); s != "commit 0123456789ab (modified), go1.99, plan9/mips; Z80, 1 cores" {
		t.Errorf("String: %q", s)
	}
	if s := (store.Provenance{GoVersion: "go1", Platform: "x/y"}).Build(); s != "commit unknown, go1, x/y" {
		t.Errorf("Build without commit: %q", s)
	}
}
