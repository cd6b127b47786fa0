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
