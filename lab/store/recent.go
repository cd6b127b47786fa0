package store

import (
	"context"
	"encoding/json"
	"time"
)

// Recent returns the n trials stored last (finished, done or failed),
// newest first, without their metrics and artefacts: what a progress
// display shows of a running experiment.
func (s *Store) Recent(ctx context.Context, n int) ([]*Trial, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, experiment, point, seed_index, seed, spec_seed, scale, status, error, started, finished
		FROM trials ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, s.errorf("recent trials: %w", err)
	}
	defer rows.Close()
	var out []*Trial
	for rows.Next() {
		var t Trial
		var seed, specSeed int64
		var started, finished string
		if err := rows.Scan(&t.Key, &t.Experiment, &t.Point, &t.SeedIndex, &seed, &specSeed, &t.Scale, &t.Status, &t.Error, &started, &finished); err != nil {
			return nil, s.errorf("recent trials: %w", err)
		}
		t.Seed, t.SpecSeed = uint64(seed), uint64(specSeed)
		t.Started, _ = time.Parse(time.RFC3339Nano, started)
		t.Finished, _ = time.Parse(time.RFC3339Nano, finished)
		if err := json.Unmarshal([]byte(t.Point), &t.Params); err != nil {
			return nil, s.errorf("trial %s: bad point: %w", t.Key, err)
		}
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("recent trials: %w", err)
	}
	return out, nil
}
