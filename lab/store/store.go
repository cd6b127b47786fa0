// Package store keeps the results of lab experiments in an embedded SQLite
// database (modernc.org/sqlite: pure Go, no cgo): runs, trials, their
// parameters, metrics over time and artefact paths. A trial's results are
// written in one transaction, so a crash at any moment leaves each trial
// either fully recorded or absent; a rerun then skips exactly the trials
// already done. Results export to CSV and JSON lines.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Status of a stored trial.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// Metric is one recorded figure of a trial (see lab.Metric). Decider and
// Role are dimensions of the figure — which decider it measures (its spec)
// and that decider's role (direct, amortized, hybrid, baseline) — empty for
// figures of the trial as a whole.
type Metric struct {
	Name    string  `json:"name"`
	Decider string  `json:"decider,omitempty"`
	Role    string  `json:"role,omitempty"`
	Step    int64   `json:"step"`
	Value   float64 `json:"value"`
	Timing  bool    `json:"timing,omitempty"`
}

// Artefact is a file a trial produced.
type Artefact struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// Trial is one stored trial with its parameters, metrics and artefacts.
type Trial struct {
	Key        string         `json:"key"`
	Experiment string         `json:"experiment"`
	Point      string         `json:"point"`  // canonical JSON of the parameters
	Params     map[string]any `json:"params"` // Point decoded
	SeedIndex  int            `json:"seed_index"`
	Seed       uint64         `json:"seed"`
	SpecSeed   uint64         `json:"spec_seed"`
	Scale      string         `json:"scale"`
	Status     string         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Started    time.Time      `json:"started"`
	Finished   time.Time      `json:"finished"`
	Metrics    []Metric       `json:"metrics"`
	Artefacts  []Artefact     `json:"artefacts,omitempty"`
}

// Value returns the trial-wide metric name at step (no decider), and
// whether the trial has it.
func (t *Trial) Value(name string, step int64) (float64, bool) {
	return t.ValueOf("", name, step)
}

// ValueOf returns the metric name of decider at step, and whether the trial
// has it.
func (t *Trial) ValueOf(decider, name string, step int64) (float64, bool) {
	for _, m := range t.Metrics {
		if m.Name == name && m.Decider == decider && m.Step == step {
			return m.Value, true
		}
	}
	return 0, false
}

// Store is an open results database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	spec TEXT NOT NULL,
	seed INTEGER NOT NULL,
	scale TEXT NOT NULL,
	trials INTEGER NOT NULL,
	started TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS experiments (
	name TEXT PRIMARY KEY,
	doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS trials (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	experiment TEXT NOT NULL,
	point TEXT NOT NULL,
	seed_index INTEGER NOT NULL,
	seed INTEGER NOT NULL,
	spec_seed INTEGER NOT NULL,
	scale TEXT NOT NULL,
	status TEXT NOT NULL,
	error TEXT NOT NULL DEFAULT '',
	started TEXT NOT NULL,
	finished TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trials_experiment ON trials(experiment);
CREATE TABLE IF NOT EXISTS params (
	trial INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (trial, name)
);
CREATE TABLE IF NOT EXISTS metrics (
	trial INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	decider TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	step INTEGER NOT NULL,
	value REAL,
	timing INTEGER NOT NULL,
	PRIMARY KEY (trial, name, decider, step)
);
CREATE TABLE IF NOT EXISTS artefacts (
	trial INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	path TEXT NOT NULL
);
`

// Open opens (creating if needed) the database at path.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store %s: %w", path, err)
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serializes anyway
	if err := checkVersion(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if _, err := db.Exec(schema + fmt.Sprintf("PRAGMA user_version = %d;", schemaVersion)); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: not a usable results database: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// schemaVersion is the layout of the database, kept in SQLite's
// user_version: 2 added the decider and role dimensions of metrics.
const schemaVersion = 2

// checkVersion refuses a database written with another layout: an older one
// holds trials whose metrics lack their decider, a newer one was written by
// a later argmax.
func checkVersion(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("not a usable results database: %w", err)
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='table' AND name='trials'`).Scan(&tables); err != nil {
		return fmt.Errorf("not a usable results database: %w", err)
	}
	switch {
	case tables == 0 || v == schemaVersion:
		return nil
	case v < schemaVersion:
		return fmt.Errorf("written by an older argmax (layout %d, this one uses %d): delete it, or rerun with --fresh", v, schemaVersion)
	}
	return fmt.Errorf("written by a newer argmax (layout %d, this one reads %d)", v, schemaVersion)
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Run describes one invocation of a spec, kept for the record.
type Run struct {
	Name   string
	Spec   string
	Seed   uint64
	Scale  string
	Trials int
}

// AddRun records that a spec started running and returns its id.
func (s *Store) AddRun(ctx context.Context, r Run) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs(name, spec, seed, scale, trials, started) VALUES (?,?,?,?,?,?)`,
		r.Name, r.Spec, int64(r.Seed), r.Scale, r.Trials, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, fmt.Errorf("store: add run: %w", err)
	}
	return res.LastInsertId()
}

// Runs returns the number of recorded runs.
func (s *Store) Runs(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM runs`).Scan(&n)
	return n, err
}

// SetExperiment records an experiment's documentation.
func (s *Store) SetExperiment(ctx context.Context, name, doc string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO experiments(name, doc) VALUES (?,?) ON CONFLICT(name) DO UPDATE SET doc=excluded.doc`, name, doc)
	return err
}

// DoneKeys returns which of keys are stored with status done.
func (s *Store) DoneKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	done := map[string]bool{}
	for start := 0; start < len(keys); start += 500 {
		end := min(start+500, len(keys))
		chunk := keys[start:end]
		q := `SELECT key FROM trials WHERE status='done' AND key IN (` + placeholders(len(chunk)) + `)`
		rows, err := s.db.QueryContext(ctx, q, anys(chunk)...)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			done[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return done, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// SaveTrial writes a trial with its parameters, metrics and artefacts in one
// transaction, replacing any earlier record of the same key (a failed
// attempt being retried).
func (s *Store) SaveTrial(ctx context.Context, t *Trial) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: save trial %s: %w", t.Key, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("store: save trial %s: %w", t.Key, err)
		}
	}()
	if _, err = tx.ExecContext(ctx, `DELETE FROM trials WHERE key=?`, t.Key); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO trials(key, experiment, point, seed_index, seed, spec_seed, scale, status, error, started, finished)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		t.Key, t.Experiment, t.Point, t.SeedIndex, int64(t.Seed), int64(t.SpecSeed), t.Scale, t.Status, t.Error,
		t.Started.UTC().Format(time.RFC3339Nano), t.Finished.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	params := map[string]json.RawMessage{}
	if err = json.Unmarshal([]byte(t.Point), &params); err != nil {
		return fmt.Errorf("point is not a JSON object: %w", err)
	}
	for k, v := range params {
		if _, err = tx.ExecContext(ctx, `INSERT INTO params(trial, name, value) VALUES (?,?,?)`, id, k, string(v)); err != nil {
			return err
		}
	}
	for _, m := range t.Metrics {
		var v any = m.Value
		if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			v = nil // SQLite has no NaN; read back as NaN
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO metrics(trial, name, decider, role, step, value, timing) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT(trial, name, decider, step) DO UPDATE SET value=excluded.value, timing=excluded.timing, role=excluded.role`,
			id, m.Name, m.Decider, m.Role, m.Step, v, m.Timing); err != nil {
			return err
		}
	}
	for _, a := range t.Artefacts {
		if _, err = tx.ExecContext(ctx, `INSERT INTO artefacts(trial, name, path) VALUES (?,?,?)`, id, a.Name, a.Path); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Filter selects trials. Zero fields select everything.
type Filter struct {
	Keys       []string // only these trial keys
	Experiment string   // only this experiment
	Status     string   // only this status
}

// Trials returns the trials matching f, ordered by experiment, point and
// seed index, with their metrics and artefacts.
func (s *Store) Trials(ctx context.Context, f Filter) ([]*Trial, error) {
	var where []string
	var args []any
	if f.Experiment != "" {
		where = append(where, "experiment=?")
		args = append(args, f.Experiment)
	}
	if f.Status != "" {
		where = append(where, "status=?")
		args = append(args, f.Status)
	}
	var keySet map[string]bool
	if f.Keys != nil {
		keySet = make(map[string]bool, len(f.Keys))
		for _, k := range f.Keys {
			keySet[k] = true
		}
	}
	q := `SELECT id, key, experiment, point, seed_index, seed, spec_seed, scale, status, error, started, finished FROM trials`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY experiment, point, spec_seed, seed_index"
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	byID := map[int64]*Trial{}
	var out []*Trial
	for rows.Next() {
		var t Trial
		var id, seed, specSeed int64
		var started, finished string
		if err := rows.Scan(&id, &t.Key, &t.Experiment, &t.Point, &t.SeedIndex, &seed, &specSeed, &t.Scale, &t.Status, &t.Error, &started, &finished); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
		if keySet != nil && !keySet[t.Key] {
			continue
		}
		t.Seed, t.SpecSeed = uint64(seed), uint64(specSeed)
		t.Started, _ = time.Parse(time.RFC3339Nano, started)
		t.Finished, _ = time.Parse(time.RFC3339Nano, finished)
		if err := json.Unmarshal([]byte(t.Point), &t.Params); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: trial %s: bad point: %w", t.Key, err)
		}
		byID[id] = &t
		out = append(out, &t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT trial, name, decider, role, step, value, timing FROM metrics ORDER BY trial, name, decider, step`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	for mrows.Next() {
		var id int64
		var m Metric
		var v sql.NullFloat64
		if err := mrows.Scan(&id, &m.Name, &m.Decider, &m.Role, &m.Step, &v, &m.Timing); err != nil {
			mrows.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
		if t := byID[id]; t != nil {
			m.Value = math.NaN()
			if v.Valid {
				m.Value = v.Float64
			}
			t.Metrics = append(t.Metrics, m)
		}
	}
	mrows.Close()
	arows, err := s.db.QueryContext(ctx, `SELECT trial, name, path FROM artefacts ORDER BY trial, name`)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var a Artefact
		if err := arows.Scan(&id, &a.Name, &a.Path); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		if t := byID[id]; t != nil {
			t.Artefacts = append(t.Artefacts, a)
		}
	}
	return out, arows.Err()
}

// Count returns the number of trial rows and of distinct keys with status
// done: equal in a healthy store (every trial exactly once).
func (s *Store) Count(ctx context.Context) (rows, distinctDone int, err error) {
	if err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM trials`).Scan(&rows); err != nil {
		return
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(DISTINCT key) FROM trials WHERE status='done'`).Scan(&distinctDone)
	return
}

// ErrNoTrials is returned by exports when nothing matches the filter.
var ErrNoTrials = errors.New("no trials match")
