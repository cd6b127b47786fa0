package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeLayout2 builds a database of layout 2 (runs without
// provenance) with one run and checks that Open upgrades it in place: the
// run is kept, with empty provenance, and new runs get theirs.
func TestUpgradeLayout2(t *testing.T) {
	p := filepath.Join(t.TempDir(), "v2.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	v2 := strings.Replace(schema, ",\nPROVENANCE_COLUMNS", "", 1)
	if v2 == schema {
		t.Fatal("schema has no provenance placeholder")
	}
	if _, err := db.Exec(v2 + `PRAGMA user_version = 2;
		INSERT INTO runs(name, spec, seed, scale, trials, started) VALUES ('old', '', 1, 'quick', 4, '2025-01-02T03:04:05Z');`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.AddRun(ctx, Run{Name: "new"}); err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(ctx)
	if err != nil || len(runs) != 2 {
		t.Fatalf("%+v %v", runs, err)
	}
	if runs[0].Name != "old" || runs[0].Provenance != (Provenance{}) || runs[1].Provenance != Current() {
		t.Errorf("runs %+v", runs)
	}
	var v int
	st.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != schemaVersion {
		t.Errorf("layout %d after the upgrade", v)
	}
}
