package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"argmax/lab"
	"argmax/lab/claims"
	"argmax/lab/report"
	"argmax/lab/store"
)

// run is one spec as the dashboard shows it: every invocation of the same
// spec source at the same seed and scale (a run resumed is invoked again)
// is one run, whose id is a hash of the three. Its fields are set once;
// report is guarded by the server's mutex.
type run struct {
	ID     string
	Name   string
	Seed   uint64
	Scale  string
	Source string

	spec   *lab.Spec // nil when the source cannot be rebuilt (err says why)
	err    error
	keys   []string
	claims bool // every experiment of the spec is a claim's: the claims' table

	report cached // the rendered report, for a number of done trials
}

// runView is a run with what its stored invocations say.
type runView struct {
	*run
	Invocations int
	First, Last time.Time
	Provenance  store.Provenance // of the newest invocation
}

type cached struct {
	done int
	html []byte
}

// runID names a run by its spec source, seed and scale.
func runID(r store.Run) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%s", r.Spec, r.Seed, r.Scale))
	return hex.EncodeToString(h[:6])
}

// loadRuns reads the stored runs and returns them, oldest first, rebuilding
// the spec of each run seen for the first time.
func (s *Server) loadRuns(ctx context.Context) ([]*runView, error) {
	if s.st == nil {
		return nil, nil
	}
	stored, err := s.st.Runs(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*runView
	seen := map[string]*runView{}
	for _, sr := range stored {
		id := runID(sr)
		v := seen[id]
		if v == nil {
			r := s.runs[id]
			if r == nil {
				r = s.newRun(id, sr)
				s.runs[id] = r
			}
			v = &runView{run: r, First: sr.Started}
			seen[id] = v
			out = append(out, v)
		}
		v.Invocations++
		v.Last, v.Provenance = sr.Started, sr.Provenance
	}
	return out, nil
}

// newRun rebuilds a stored run's spec and plan.
func (s *Server) newRun(id string, sr store.Run) *run {
	r := &run{ID: id, Name: sr.Name, Seed: sr.Seed, Scale: sr.Scale, Source: sr.Spec}
	spec, err := lab.ParseSpec([]byte(sr.Spec), orName(sr.Name), s.cfg.Registry)
	if err != nil {
		r.err = fmt.Errorf("the spec cannot be rebuilt here: %w", err)
		return r
	}
	scale, err := lab.ParseScale(sr.Scale)
	if err != nil {
		r.err = err
		return r
	}
	spec.Seed, spec.Scale = sr.Seed, scale
	r.spec = spec
	for _, t := range spec.Plan() {
		r.keys = append(r.keys, t.Key)
	}
	r.claims = allClaims(spec)
	return r
}

func orName(name string) string {
	if name == "" {
		return "spec"
	}
	return name
}

// allClaims reports whether every experiment of spec belongs to a claim of
// the suite.
func allClaims(spec *lab.Spec) bool {
	in := map[string]bool{}
	for _, c := range claims.Claims() {
		for _, e := range c.Experiments {
			in[e] = true
		}
	}
	for _, e := range spec.Entries {
		if !in[e.Experiment.Name] {
			return false
		}
	}
	return len(spec.Entries) > 0
}

// runByID finds a run by the id the listing gave it.
func (s *Server) runByID(ctx context.Context, id string) (*runView, error) {
	runs, err := s.loadRuns(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, errNotFound
}

var errNotFound = errors.New("not found")

// runJSON is a run in the API.
type runJSON struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Kind        string           `json:"kind"` // claims or spec
	Scale       string           `json:"scale"`
	Seed        uint64           `json:"seed"`
	Experiments []string         `json:"experiments"`
	Planned     int              `json:"planned"`
	Done        int              `json:"done"` // -1 when the spec cannot be rebuilt
	Invocations int              `json:"invocations"`
	First       time.Time        `json:"first"`
	Last        time.Time        `json:"last"`
	Provenance  store.Provenance `json:"provenance"`
	Spec        string           `json:"spec"`
	Error       string           `json:"error,omitempty"`
}

// done counts the run's planned trials stored as done.
func (s *Server) done(ctx context.Context, r *run) (int, error) {
	if r.spec == nil {
		return -1, nil
	}
	d, err := s.st.DoneKeys(ctx, r.keys)
	return len(d), err
}

// describe renders a run for the API, with its trials done.
func (s *Server) describe(ctx context.Context, r *runView) (runJSON, error) {
	j := runJSON{ID: r.ID, Name: orName(r.Name), Kind: "spec", Scale: r.Scale, Seed: r.Seed, Planned: len(r.keys),
		Invocations: r.Invocations, First: r.First, Last: r.Last, Provenance: r.Provenance, Spec: r.Source, Experiments: []string{}}
	if r.claims {
		j.Kind = "claims"
	}
	if r.err != nil {
		j.Error = r.err.Error()
	}
	if r.spec != nil {
		for _, e := range r.spec.Entries {
			j.Experiments = append(j.Experiments, e.Experiment.Name)
		}
	}
	var err error
	j.Done, err = s.done(ctx, r.run)
	return j, err
}

// listRuns answers /api/runs: every run, newest first.
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.loadRuns(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []runJSON{}
	for i := len(runs) - 1; i >= 0; i-- {
		j, err := s.describe(r.Context(), runs[i])
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out = append(out, j)
	}
	s.writeJSON(w, r, out)
}

// lookupRun finds the run of the request's {id}, answering 404 if there is
// none; nil then.
func (s *Server) lookupRun(w http.ResponseWriter, r *http.Request) *runView {
	rn, err := s.runByID(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, errNotFound):
		http.Error(w, "no such run", http.StatusNotFound)
	case err != nil:
		s.fail(w, r, err)
	case rn.spec == nil:
		http.Error(w, rn.err.Error(), http.StatusNotFound)
	default:
		return rn
	}
	return nil
}

// runReport answers /api/runs/{id}/report: the run's report (the claims'
// comparison table and charts for a claim-suite spec, lab.SpecReport
// otherwise) as an HTML fragment, rendered again when trials were added.
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	rn := s.lookupRun(w, r)
	if rn == nil {
		return
	}
	ctx := r.Context()
	done, err := s.done(ctx, rn.run)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mu.Lock()
	c := rn.report
	s.mu.Unlock()
	if c.html == nil || c.done != done {
		res, err := lab.LoadResults(ctx, s.st, rn.spec.Plan())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var rep *report.Report
		if rn.claims {
			meta := [][2]string{
				{"scale", rn.Scale},
				{"seed", fmt.Sprint(rn.Seed)},
				{"trials", fmt.Sprintf("%d done of %d planned", len(res.Trials), len(rn.keys))},
				{"build", rn.Provenance.Build()},
			}
			rep = claims.Report(rn.spec, claims.Rows(rn.spec, res), meta)
		} else {
			rep = lab.SpecReport(rn.spec, res)
		}
		c = cached{done: len(res.Trials), html: fragment(rep)}
		s.mu.Lock()
		rn.report = c
		s.mu.Unlock()
	}
	writeHTML(w, c.html)
}

// trialJSON is a stored trial in the API.
type trialJSON struct {
	Key        string         `json:"key"`
	Experiment string         `json:"experiment"`
	Point      string         `json:"point"` // the swept parameters, "name=value …"
	Params     map[string]any `json:"params"`
	SeedIndex  int            `json:"seed_index"`
	Seed       uint64         `json:"seed"`
	Status     string         `json:"status"`
	Error      string         `json:"error,omitempty"`
	Started    time.Time      `json:"started"`
	Finished   time.Time      `json:"finished"`
	Metrics    []metricJSON   `json:"metrics"`
	Artefacts  []string       `json:"artefacts"`
}

// metricJSON is a metric series of a trial: its value at its last step
// (Value), or every step (Steps, Values) in a trial's detail.
type metricJSON struct {
	Name    string      `json:"name"`
	Decider string      `json:"decider,omitempty"`
	Role    string      `json:"role,omitempty"`
	Timing  bool        `json:"timing,omitempty"`
	Step    int64       `json:"step"`
	Value   jsonFloat   `json:"value"`
	Steps   []int64     `json:"steps,omitempty"`
	Values  []jsonFloat `json:"values,omitempty"`
}

// jsonFloat is a float64 whose NaN and infinities are JSON null.
type jsonFloat float64

// MarshalJSON implements json.Marshaler.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if v := float64(f); math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(f), 'g', -1, 64), nil
}

// series groups a trial's metrics by name and decider, each in step order
// (the store's order).
func series(t *store.Trial, all bool) []metricJSON {
	var out []metricJSON
	idx := map[[2]string]int{}
	for _, m := range t.Metrics {
		k := [2]string{m.Name, m.Decider}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, metricJSON{Name: m.Name, Decider: m.Decider, Role: m.Role, Timing: m.Timing})
		}
		out[i].Step, out[i].Value = m.Step, jsonFloat(m.Value)
		if all {
			out[i].Steps = append(out[i].Steps, m.Step)
			out[i].Values = append(out[i].Values, jsonFloat(m.Value))
		}
	}
	return out
}

// describeTrial renders a stored trial, its point labelled by the
// parameters spec sweeps.
func describeTrial(t *store.Trial, spec *lab.Spec, all bool) trialJSON {
	j := trialJSON{Key: t.Key, Experiment: t.Experiment, Point: pointLabel(t, spec), Params: t.Params, SeedIndex: t.SeedIndex,
		Seed: t.Seed, Status: t.Status, Error: t.Error, Started: t.Started, Finished: t.Finished,
		Metrics: series(t, all), Artefacts: []string{}}
	for _, a := range t.Artefacts {
		j.Artefacts = append(j.Artefacts, a.Name)
	}
	return j
}

// pointLabel names a trial's point by the parameters its spec's entries
// sweep ("default" for none); every parameter without a spec.
func pointLabel(t *store.Trial, spec *lab.Spec) string {
	var names []string
	if spec == nil {
		for k := range t.Params {
			names = append(names, k)
		}
	} else {
		for _, e := range spec.Entries {
			if e.Experiment.Name == t.Experiment {
				names = append(names, e.GridNames()...)
			}
		}
	}
	sort.Strings(names)
	var parts []string
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			parts = append(parts, n+"="+lab.ParamString(t, n))
		}
	}
	if len(parts) == 0 {
		return "default"
	}
	return strings.Join(parts, " ")
}

// runTrials answers /api/runs/{id}/trials: the run's stored trials (done
// and failed), ordered by experiment, point and seed.
func (s *Server) runTrials(w http.ResponseWriter, r *http.Request) {
	rn := s.lookupRun(w, r)
	if rn == nil {
		return
	}
	trials, err := s.st.Trials(r.Context(), store.Filter{Keys: rn.keys})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []trialJSON{}
	for _, t := range trials {
		out = append(out, describeTrial(t, rn.spec, false))
	}
	s.writeJSON(w, r, out)
}
