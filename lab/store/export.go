package store

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// ExportCSV writes one row per metric value of the trials matching f:
// experiment, trial key, seed index, seed, status, one column per parameter
// (the union over the trials, sorted), metric, step, value, timing.
func (s *Store) ExportCSV(ctx context.Context, w io.Writer, f Filter) error {
	trials, err := s.Trials(ctx, f)
	if err != nil {
		return err
	}
	if len(trials) == 0 {
		return ErrNoTrials
	}
	names := map[string]bool{}
	for _, t := range trials {
		for k := range t.Params {
			names[k] = true
		}
	}
	var pnames []string
	for k := range names {
		pnames = append(pnames, k)
	}
	sort.Strings(pnames)
	cw := csv.NewWriter(w)
	header := []string{"experiment", "trial", "seed_index", "seed", "status"}
	for _, k := range pnames {
		header = append(header, "param."+k)
	}
	header = append(header, "metric", "decider", "role", "step", "value", "timing")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, t := range trials {
		row := []string{t.Experiment, t.Key, strconv.Itoa(t.SeedIndex), strconv.FormatUint(t.Seed, 10), t.Status}
		for _, k := range pnames {
			v, ok := t.Params[k]
			if !ok {
				row = append(row, "")
				continue
			}
			switch x := v.(type) {
			case string:
				row = append(row, x)
			default:
				b, _ := json.Marshal(x)
				row = append(row, string(b))
			}
		}
		for _, m := range t.Metrics {
			r := append(append([]string(nil), row...), m.Name, m.Decider, m.Role, strconv.FormatInt(m.Step, 10),
				strconv.FormatFloat(m.Value, 'g', -1, 64), strconv.FormatBool(m.Timing))
			if err := cw.Write(r); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ExportJSONL writes one JSON object per trial matching f (the Trial
// type's JSON form), one per line.
func (s *Store) ExportJSONL(ctx context.Context, w io.Writer, f Filter) error {
	trials, err := s.Trials(ctx, f)
	if err != nil {
		return err
	}
	if len(trials) == 0 {
		return ErrNoTrials
	}
	enc := json.NewEncoder(w)
	for _, t := range trials {
		if err := enc.Encode(jsonTrial(t)); err != nil {
			return fmt.Errorf("export: trial %s: %w", t.Key, err)
		}
	}
	return nil
}

// jsonTrial replaces non-finite metric values (not valid JSON) by null.
func jsonTrial(t *Trial) any {
	type metric struct {
		Name    string   `json:"name"`
		Decider string   `json:"decider,omitempty"`
		Role    string   `json:"role,omitempty"`
		Step    int64    `json:"step"`
		Value   *float64 `json:"value"`
		Timing  bool     `json:"timing,omitempty"`
	}
	c := *t
	ms := make([]metric, len(t.Metrics))
	for i, m := range t.Metrics {
		ms[i] = metric{Name: m.Name, Decider: m.Decider, Role: m.Role, Step: m.Step, Timing: m.Timing}
		if v := m.Value; v == v && v-v == 0 {
			ms[i].Value = &t.Metrics[i].Value
		}
	}
	return struct {
		*Trial
		Metrics []metric `json:"metrics"`
	}{&c, ms}
}
