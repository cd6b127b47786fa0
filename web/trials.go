package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"argmax/lab/report"
	"argmax/lab/stats"
	"argmax/lab/store"
)

// keyRE is the form of trial keys (lab.NewTrial: 16 bytes in hex).
var keyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// maxCurves bounds the charts of a trial's curves.
const maxCurves = 24

// lookupTrial finds the trial of the request's {key}, answering 404 if
// there is none; nil then.
func (s *Server) lookupTrial(w http.ResponseWriter, r *http.Request) *store.Trial {
	key := r.PathValue("key")
	if s.st == nil || !keyRE.MatchString(key) {
		http.Error(w, "no such trial", http.StatusNotFound)
		return nil
	}
	ts, err := s.st.Trials(r.Context(), store.Filter{Keys: []string{key}})
	switch {
	case err != nil:
		s.fail(w, r, err)
	case len(ts) == 0:
		http.Error(w, "no such trial", http.StatusNotFound)
	default:
		return ts[0]
	}
	return nil
}

// trial answers /api/trials/{key}: the trial with every metric at every
// step.
func (s *Server) trial(w http.ResponseWriter, r *http.Request) {
	if t := s.lookupTrial(w, r); t != nil {
		s.writeJSON(w, r, describeTrial(t, nil, true))
	}
}

// siblings returns the done trials of t's parameter point over its seeds
// (t among them if it is done).
func (s *Server) siblings(ctx context.Context, t *store.Trial) ([]*store.Trial, error) {
	all, err := s.st.Trials(ctx, store.Filter{Experiment: t.Experiment, Status: store.StatusDone})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(o *store.Trial) bool {
		return o.Point != t.Point || o.SpecSeed != t.SpecSeed || o.Scale != t.Scale
	}), nil
}

// trialCurves answers /api/trials/{key}/curves: a chart for each metric
// the trial recorded at two steps or more, its own values beside the mean
// over the seeds of its point with the 95% band, as an HTML fragment.
func (s *Server) trialCurves(w http.ResponseWriter, r *http.Request) {
	t := s.lookupTrial(w, r)
	if t == nil {
		return
	}
	sibs, err := s.siblings(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeHTML(w, fragment(&report.Report{Sections: []report.Section{{Title: "Metrics over steps", Charts: curves(t, sibs)}}}))
}

// curves draws the metrics of t recorded at two steps or more: t's line
// and, over sibs (the seeds of its point), the mean with its 95% interval.
func curves(t *store.Trial, sibs []*store.Trial) []report.Chart {
	var charts []report.Chart
	for _, m := range series(t, true) {
		if len(m.Steps) < 2 || len(charts) == maxCurves {
			continue
		}
		title := m.Name
		if m.Decider != "" {
			title += " of " + m.Decider
		}
		c := report.Chart{Title: title, XLabel: "step", YLabel: m.Name}
		c.LogX = m.Steps[0] > 0 && float64(m.Steps[len(m.Steps)-1])/float64(m.Steps[0]) >= 20
		mean := report.Series{Name: fmt.Sprintf("mean over %d seeds, 95%% band", len(sibs))}
		for _, step := range m.Steps {
			var vs []float64
			for _, o := range sibs {
				if v, ok := o.ValueOf(m.Decider, m.Name, step); ok && !math.IsNaN(v) {
					vs = append(vs, v)
				}
			}
			if iv := stats.MeanCI(vs, 0.95); !math.IsNaN(iv.Est) {
				mean.Points = append(mean.Points, report.Point{X: float64(step), Y: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
			}
		}
		own := report.Series{Name: fmt.Sprintf("this trial (seed #%d)", t.SeedIndex)}
		for i, step := range m.Steps {
			if v := float64(m.Values[i]); !math.IsNaN(v) {
				own.Points = append(own.Points, report.P(float64(step), v))
			}
		}
		c.Series = []report.Series{mean, own}
		charts = append(charts, c)
	}
	return charts
}

// artefact answers /api/trials/{key}/artefacts/{name}: a file the trial
// recorded under that name, read from where the runner puts artefacts
// (artefacts/EXPERIMENT/KEY/NAME beside the database), never from the
// stored path.
func (s *Server) artefact(w http.ResponseWriter, r *http.Request) {
	t := s.lookupTrial(w, r)
	if t == nil {
		return
	}
	name := r.PathValue("name")
	listed := slices.ContainsFunc(t.Artefacts, func(a store.Artefact) bool { return a.Name == name })
	if !listed || name != filepath.Base(name) || !filepath.IsLocal(name) || !filepath.IsLocal(t.Experiment) {
		http.Error(w, "no such artefact", http.StatusNotFound)
		return
	}
	p := filepath.Join(filepath.Dir(s.st.Path()), "artefacts", filepath.FromSlash(t.Experiment), t.Key, name)
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		http.Error(w, "artefact file missing", http.StatusNotFound)
		return
	}
	f, err := os.Open(p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
