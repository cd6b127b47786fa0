package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"argmax/lab/store"
)

// TestRecent checks that Recent gives the trials stored last, newest
// first, a retried trial counting from its new record.
func TestRecent(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	save := func(key, status string) {
		tr := &store.Trial{Key: key, Experiment: "e", Point: `{"n":1}`, Status: status, Started: time.Now(), Finished: time.Now(),
			Metrics: []store.Metric{{Name: "m", Value: 1}}}
		if err := st.SaveTrial(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		save(fmt.Sprint("k", i), store.StatusDone)
	}
	save("k1", store.StatusFailed)
	got, err := st.Recent(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, tr := range got {
		keys = append(keys, tr.Key+":"+tr.Status)
		if tr.Metrics != nil || tr.Params["n"] != 1.0 {
			t.Errorf("trial %s: metrics %v, params %v; want no metrics and the point decoded", tr.Key, tr.Metrics, tr.Params)
		}
	}
	if want := "[k1:failed k3:done k2:done]"; fmt.Sprint(keys) != want {
		t.Errorf("Recent(3) = %v, want %s", keys, want)
	}
}
