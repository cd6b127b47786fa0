// Package store keeps the results of lab experiments in an embedded SQLite
// database (modernc.org/sqlite: pure Go, no cgo): runs, trials, their
// parameters, metrics over time and artefact paths. A trial's results are
// written in one transaction, so a crash at any moment leaves each trial
// either fully recorded or absent; a rerun then skips exactly the trials
// already done. Each run is stored with its provenance (commit, Go version,
// CPU). One process writes to a database at a time: the first write takes
// an exclusive lock (a file beside the database), and a second writer gets
// an error naming the database and the process that holds it; readers need
// no lock. Results export to CSV and JSON lines.
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
	"sync"
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

	mu   sync.Mutex
	lock *fileLock // held from the first write until Close
}

// schema creates the tables of a new database; PROVENANCE_COLUMNS stands
// for provenanceColumns.
const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	spec TEXT NOT NULL,
	seed INTEGER NOT NULL,
	scale TEXT NOT NULL,
	trials INTEGER NOT NULL,
	started TEXT NOT NULL,
PROVENANCE_COLUMNS
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

// provenanceColumns are the columns of runs added by layout 3.
var provenanceColumns = []string{
	"argmax_version TEXT NOT NULL DEFAULT ''",
	"vcs_commit TEXT NOT NULL DEFAULT ''",
	"vcs_modified INTEGER NOT NULL DEFAULT 0",
	"go_version TEXT NOT NULL DEFAULT ''",
	"platform TEXT NOT NULL DEFAULT ''",
	"cpu TEXT NOT NULL DEFAULT ''",
	"cores INTEGER NOT NULL DEFAULT 0",
}

// Open opens the database at path, creating it (and its folder) if there is
// no such file. It refuses, with an error naming path, an empty file (a
// database whose creation was interrupted: delete it), a file that is not
// a SQLite database, and a database of another layout. Opening takes no
// lock: the first write does (see Store).
func Open(path string) (*Store, error) {
	fail := func(format string, args ...any) (*Store, error) {
		return nil, fmt.Errorf("store %s: %s", path, fmt.Sprintf(format, args...))
	}
	switch fi, err := os.Stat(path); {
	case err == nil && fi.IsDir():
		return fail("is a folder, not a results database")
	case err == nil && fi.Size() == 0:
		return fail("the file is empty (0 bytes), not a results database (its creation was interrupted?): delete it, or rerun with --fresh")
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fail("%v", err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fail("%v", err)
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fail("%v", err)
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serializes anyway
	if err := prepare(db); err != nil {
		db.Close()
		return fail("%v", err)
	}
	return &Store{db: db, path: path}, nil
}

// schemaVersion is the layout of the database, kept in SQLite's
// user_version: 2 added the decider and role dimensions of metrics, 3 the
// provenance of runs.
const schemaVersion = 3

// prepare creates the tables of a new database, migrates a layout-2 one
// (its trials are complete; its runs get empty provenance) and refuses
// other layouts: an older one holds trials whose metrics lack their
// decider, a newer one was written by a later argmax.
func prepare(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("not a usable results database: %w", err)
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type='table' AND name='trials'`).Scan(&tables); err != nil {
		return fmt.Errorf("not a usable results database: %w", err)
	}
	switch {
	case tables == 0:
		cols := strings.Join(provenanceColumns, ",\n\t")
		if _, err := db.Exec(strings.Replace(schema, "PROVENANCE_COLUMNS", cols, 1) + fmt.Sprintf("PRAGMA user_version = %d;", schemaVersion)); err != nil {
			return fmt.Errorf("not a usable results database: %w", err)
		}
		return nil
	case v == schemaVersion:
		return nil
	case v == 2:
		var b strings.Builder
		b.WriteString("BEGIN;\n")
		for _, c := range provenanceColumns {
			fmt.Fprintf(&b, "ALTER TABLE runs ADD COLUMN %s;\n", c)
		}
		fmt.Fprintf(&b, "PRAGMA user_version = %d;\nCOMMIT;", schemaVersion)
		if _, err := db.Exec(b.String()); err != nil {
			db.Exec("ROLLBACK")
			return fmt.Errorf("upgrading layout 2 to %d: %w", schemaVersion, err)
		}
		return nil
	case v < schemaVersion:
		return fmt.Errorf("written by an older argmax (layout %d, this one uses %d): delete it, or rerun with --fresh", v, schemaVersion)
	}
	return fmt.Errorf("written by a newer argmax (layout %d, this one reads %d)", v, schemaVersion)
}

// Remove deletes the database at path with its WAL files, as --fresh does;
// it refuses while another process writes to it. A missing database is not
// an error.
func Remove(path string) error {
	if _, err := os.Stat(filepath.Dir(path)); errors.Is(err, os.ErrNotExist) {
		return nil // no folder, no database
	}
	l, err := lockFile(path + ".lock")
	if err != nil {
		return fmt.Errorf("store %s: cannot delete it: %w", path, err)
	}
	defer l.unlock()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store %s: %w", path, err)
		}
	}
	return nil
}

// Lock takes the database's write lock now rather than at the first
// write: before starting work that must not run twice on one database
// (an embedded queue server in its folder). The error names the process
// that holds it.
func (s *Store) Lock() error { return s.writable() }

// writable takes the database's write lock if this store does not hold it
// yet: path.lock, held until Close.
func (s *Store) writable() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock != nil {
		return nil
	}
	l, err := lockFile(s.path + ".lock")
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	s.lock = l
	return nil
}

// errorf returns an error prefixed with the store's path.
func (s *Store) errorf(format string, args ...any) error {
	return fmt.Errorf("store %s: %w", s.path, fmt.Errorf(format, args...))
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database and releases the write lock if this store
// took it.
func (s *Store) Close() error {
	err := s.db.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lock != nil {
		if uerr := s.lock.unlock(); err == nil {
			err = uerr
		}
		s.lock = nil
	}
	return err
}

// Run describes one invocation of a spec, kept for the record.
type Run struct {
	ID         int64     // set by the store
	Name       string    // the spec's name
	Spec       string    // the spec's source
	Seed       uint64    // the spec seed
	Scale      string    // quick or full
	Trials     int       // trials planned
	Started    time.Time // set by AddRun
	Provenance Provenance
}

// AddRun records that a spec started running and returns its id. A zero
// Provenance is filled with this process's (Current).
func (s *Store) AddRun(ctx context.Context, r Run) (int64, error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	if r.Provenance == (Provenance{}) {
		r.Provenance = Current()
	}
	p := r.Provenance
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs(name, spec, seed, scale, trials, started,
		argmax_version, vcs_commit, vcs_modified, go_version, platform, cpu, cores) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.Name, r.Spec, int64(r.Seed), r.Scale, r.Trials, time.Now().UTC().Format(time.RFC3339Nano),
		p.Version, p.Commit, p.Modified, p.GoVersion, p.Platform, p.CPU, p.Cores)
	if err != nil {
		return 0, s.errorf("add run: %w", err)
	}
	return res.LastInsertId()
}

// Runs returns the recorded runs, oldest first, with their provenance (so a
// report can say which code and machines produced its trials).
func (s *Store) Runs(ctx context.Context) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, spec, seed, scale, trials, started,
		argmax_version, vcs_commit, vcs_modified, go_version, platform, cpu, cores FROM runs ORDER BY id`)
	if err != nil {
		return nil, s.errorf("runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var seed int64
		var started string
		p := &r.Provenance
		if err := rows.Scan(&r.ID, &r.Name, &r.Spec, &seed, &r.Scale, &r.Trials, &started,
			&p.Version, &p.Commit, &p.Modified, &p.GoVersion, &p.Platform, &p.CPU, &p.Cores); err != nil {
			return nil, s.errorf("runs: %w", err)
		}
		r.Seed = uint64(seed)
		r.Started, _ = time.Parse(time.RFC3339Nano, started)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("runs: %w", err)
	}
	return out, nil
}

// SetExperiment records an experiment's documentation.
func (s *Store) SetExperiment(ctx context.Context, name, doc string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO experiments(name, doc) VALUES (?,?) ON CONFLICT(name) DO UPDATE SET doc=excluded.doc`, name, doc); err != nil {
		return s.errorf("experiment %s: %w", name, err)
	}
	return nil
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
			return nil, s.errorf("%w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, s.errorf("%w", err)
			}
			done[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, s.errorf("%w", err)
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
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.errorf("save trial %s: %w", t.Key, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = s.errorf("save trial %s: %w", t.Key, err)
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
		return nil, s.errorf("%w", err)
	}
	byID := map[int64]*Trial{}
	var out []*Trial
	for rows.Next() {
		var t Trial
		var id, seed, specSeed int64
		var started, finished string
		if err := rows.Scan(&id, &t.Key, &t.Experiment, &t.Point, &t.SeedIndex, &seed, &specSeed, &t.Scale, &t.Status, &t.Error, &started, &finished); err != nil {
			rows.Close()
			return nil, s.errorf("%w", err)
		}
		if keySet != nil && !keySet[t.Key] {
			continue
		}
		t.Seed, t.SpecSeed = uint64(seed), uint64(specSeed)
		t.Started, _ = time.Parse(time.RFC3339Nano, started)
		t.Finished, _ = time.Parse(time.RFC3339Nano, finished)
		if err := json.Unmarshal([]byte(t.Point), &t.Params); err != nil {
			rows.Close()
			return nil, s.errorf("trial %s: bad point: %w", t.Key, err)
		}
		byID[id] = &t
		out = append(out, &t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.errorf("%w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT trial, name, decider, role, step, value, timing FROM metrics ORDER BY trial, name, decider, step`)
	if err != nil {
		return nil, s.errorf("%w", err)
	}
	for mrows.Next() {
		var id int64
		var m Metric
		var v sql.NullFloat64
		if err := mrows.Scan(&id, &m.Name, &m.Decider, &m.Role, &m.Step, &v, &m.Timing); err != nil {
			mrows.Close()
			return nil, s.errorf("%w", err)
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
	if err := mrows.Err(); err != nil {
		return nil, s.errorf("%w", err)
	}
	arows, err := s.db.QueryContext(ctx, `SELECT trial, name, path FROM artefacts ORDER BY trial, name`)
	if err != nil {
		return nil, s.errorf("%w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var a Artefact
		if err := arows.Scan(&id, &a.Name, &a.Path); err != nil {
			return nil, s.errorf("%w", err)
		}
		if t := byID[id]; t != nil {
			t.Artefacts = append(t.Artefacts, a)
		}
	}
	if err := arows.Err(); err != nil {
		return nil, s.errorf("%w", err)
	}
	return out, nil
}

// Count returns the number of trial rows and of distinct keys with status
// done: equal in a healthy store (every trial exactly once).
func (s *Store) Count(ctx context.Context) (rows, distinctDone int, err error) {
	if err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM trials`).Scan(&rows); err != nil {
		return 0, 0, s.errorf("%w", err)
	}
	if err = s.db.QueryRowContext(ctx, `SELECT count(DISTINCT key) FROM trials WHERE status='done'`).Scan(&distinctDone); err != nil {
		return 0, 0, s.errorf("%w", err)
	}
	return rows, distinctDone, nil
}

// ErrNoTrials is returned by exports when nothing matches the filter.
var ErrNoTrials = errors.New("no trials match")
