package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"argmax"
	"argmax/lab/cache"
	"argmax/lab/store"
)

// TrialRef names a trial by content: what another process running the
// same argmax needs to make the same trial from its own registry, and the
// key that checks it did. lab/dist sends trials to workers this way.
type TrialRef struct {
	Experiment string `json:"experiment"`
	Version    int    `json:"version"`
	Point      string `json:"point"` // Params.Canonical()
	Scale      Scale  `json:"scale"`
	SpecSeed   uint64 `json:"spec_seed"`
	SeedIndex  int    `json:"seed_index"`
	Key        string `json:"key"`
}

// Ref returns the trial's reference.
func (t *Trial) Ref() TrialRef {
	v := 0
	if t.exp != nil {
		v = t.exp.Version
	}
	return TrialRef{Experiment: t.Experiment, Version: v, Point: t.Params.Canonical(), Scale: t.Scale,
		SpecSeed: t.SpecSeed, SeedIndex: t.SeedIndex, Key: t.Key}
}

// Resolve makes the trial ref names from the registered experiment. The
// error says what differs when this program cannot make that trial: an
// experiment it does not know, another version of it, a parameter it does
// not declare or a value of the wrong kind — the signs of coordinator and
// worker running different builds of argmax.
func (r *Registry) Resolve(ref TrialRef) (*Trial, error) {
	e, ok := r.Lookup(ref.Experiment)
	if !ok {
		return nil, fmt.Errorf("trial %s: experiment %q is not registered in this program", ref.Key, ref.Experiment)
	}
	if e.Version != ref.Version {
		return nil, fmt.Errorf("trial %s: experiment %s is version %d here, %d in the reference: run the same argmax build everywhere", ref.Key, e.Name, e.Version, ref.Version)
	}
	if _, err := ParseScale(string(ref.Scale)); err != nil {
		return nil, fmt.Errorf("trial %s: %w", ref.Key, err)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(ref.Point), &raw); err != nil {
		return nil, fmt.Errorf("trial %s: point %q is not a JSON object: %w", ref.Key, ref.Point, err)
	}
	p := make(Params, len(raw))
	for name, v := range raw {
		d := e.Param(name)
		if d == nil {
			return nil, fmt.Errorf("trial %s: experiment %s has no parameter %q", ref.Key, e.Name, name)
		}
		nv, err := normalize(d.Kind, v)
		if err == nil {
			err = d.validate(nv)
		}
		if err != nil {
			return nil, fmt.Errorf("trial %s: parameter %s: %w", ref.Key, name, err)
		}
		p[name] = nv
	}
	t := NewTrial(e, p, ref.Scale, ref.SpecSeed, ref.SeedIndex)
	if t.Key != ref.Key {
		return nil, fmt.Errorf("trial %s: this program makes key %s for %s: run the same argmax build everywhere", ref.Key, t.Key, t)
	}
	return t, nil
}

// RunTrial runs t as a Runner's executor does — a panic becomes an error —
// with its artefacts under artefactDir and shared artefacts in c, and
// returns its stored form with the run's error. When ctx was cancelled
// during the run the error says so (ctx.Err() is set) and the record
// should not be stored.
func RunTrial(ctx context.Context, t *Trial, artefactDir string, c *cache.Cache) (*store.Trial, error) {
	t.dir, t.cache = artefactDir, c
	err := runOne(ctx, t)
	return t.record(t.began, err), err
}

// Adopt takes the figures, artefacts and times of a record made by
// RunTrial elsewhere (a remote worker) as t's own, so that a Runner
// stores them as if t had run here, and returns the trial's error (nil
// for a finished trial). rec must be t's: the keys must match.
func (t *Trial) Adopt(rec *store.Trial) error {
	if rec.Key != t.Key {
		return fmt.Errorf("lab: record of trial %s adopted by trial %s", rec.Key, t.Key)
	}
	t.mu.Lock()
	t.metrics = t.metrics[:0]
	for _, m := range rec.Metrics {
		t.metrics = append(t.metrics, Metric{Name: m.Name, Decider: m.Decider, Role: argmax.Role(m.Role), Step: m.Step, Value: m.Value, Timing: m.Timing})
	}
	t.artefacts = t.artefacts[:0]
	for _, a := range rec.Artefacts {
		t.artefacts = append(t.artefacts, Artefact{Name: a.Name, Path: a.Path})
	}
	t.began, t.finished = rec.Started, rec.Finished
	t.mu.Unlock()
	if rec.Status != store.StatusDone {
		if rec.Error == "" {
			return errors.New("failed on a worker")
		}
		return errors.New(rec.Error)
	}
	return nil
}

// finishedAt is when the trial finished: where it ran (Adopt) or now.
func (t *Trial) finishedAt() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.finished.IsZero() {
		return t.finished
	}
	return time.Now()
}
