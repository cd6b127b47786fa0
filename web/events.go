package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// progressJSON is one event of the stream: where every run stands and the
// trials stored last.
type progressJSON struct {
	Runs   []runProgress `json:"runs"`
	Recent []recentJSON  `json:"recent"`
}

type runProgress struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Planned int    `json:"planned"`
	Done    int    `json:"done"` // -1 when the spec cannot be rebuilt
}

type recentJSON struct {
	Run        string    `json:"run,omitempty"` // the id of the run planning it
	Key        string    `json:"key"`
	Experiment string    `json:"experiment"`
	Point      string    `json:"point"`
	SeedIndex  int       `json:"seed_index"`
	Status     string    `json:"status"`
	Finished   time.Time `json:"finished"`
}

// Event stream settings.
const (
	recentTrials = 8                // trials listed as stored last
	pingEvery    = 15 * time.Second // a comment line keeps an idle stream open
)

// progress reads where the runs stand.
func (s *Server) progress(ctx context.Context) (progressJSON, error) {
	p := progressJSON{Runs: []runProgress{}, Recent: []recentJSON{}}
	if s.st == nil {
		return p, nil
	}
	runs, err := s.loadRuns(ctx)
	if err != nil {
		return p, err
	}
	owner := map[string]*runView{}
	for _, r := range runs {
		done, err := s.done(ctx, r.run)
		if err != nil {
			return p, err
		}
		p.Runs = append(p.Runs, runProgress{ID: r.ID, Name: orName(r.Name), Planned: len(r.keys), Done: done})
		for _, k := range r.keys {
			owner[k] = r
		}
	}
	recent, err := s.st.Recent(ctx, recentTrials)
	if err != nil {
		return p, err
	}
	for _, t := range recent {
		j := recentJSON{Key: t.Key, Experiment: t.Experiment, SeedIndex: t.SeedIndex, Status: t.Status, Finished: t.Finished}
		if r := owner[t.Key]; r != nil {
			j.Run, j.Point = r.ID, pointLabel(t, r.spec)
		} else {
			j.Point = pointLabel(t, nil)
		}
		p.Recent = append(p.Recent, j)
	}
	return p, nil
}

// events answers /api/events with server-sent events: a "progress" event
// (progressJSON) at once and whenever the database changes, looked at every
// Config.Poll, until the client leaves or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	select {
	case s.streams <- struct{}{}:
		defer func() { <-s.streams }()
	default:
		http.Error(w, "too many event streams open", http.StatusServiceUnavailable)
		return
	}
	ctx := r.Context()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	send := func(msg string) bool {
		// The server's write timeout is for answers, not for a stream.
		rc.SetWriteDeadline(time.Now().Add(pingEvery + 10*time.Second))
		if _, err := fmt.Fprint(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 2000\n\n") {
		return
	}
	tick := time.NewTicker(s.cfg.Poll)
	defer tick.Stop()
	var last []byte
	lastSent := time.Now()
	for {
		var data []byte
		p, err := s.progress(ctx)
		if err == nil {
			data, err = json.Marshal(p)
		}
		if err != nil && ctx.Err() == nil {
			s.cfg.Log.Printf("web: event stream: %v", err)
		}
		switch {
		case err == nil && !bytes.Equal(data, last):
			if !send("event: progress\ndata: " + string(data) + "\n\n") {
				return
			}
			last, lastSent = data, time.Now()
		case time.Since(lastSent) >= pingEvery:
			if !send(": ping\n\n") {
				return
			}
			lastSent = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
