package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"argmax/lab/claims"
	"argmax/lab/store"
	"argmax/web"
)

// get fetches path from the handler and returns the status and body.
func get(h http.Handler, path string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String()
}

// getJSON fetches path and decodes its JSON into v, failing the test on
// another status than 200.
func getJSON(t *testing.T, h http.Handler, path string, v any) {
	t.Helper()
	code, body := get(h, path)
	if code != 200 {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

type runJSON struct {
	ID, Name, Kind, Error string
	Planned, Done         int
	Experiments           []string
}

type trialJSON struct {
	Key, Experiment, Point, Status string
	SeedIndex                      int `json:"seed_index"`
	Metrics                        []struct {
		Name   string
		Step   int64
		Value  *float64
		Steps  []int64
		Values []float64
	}
	Artefacts []string
}

// TestAPI runs a small spec and reads it back through every endpoint: the
// run with its progress, its report with a table and charts, its trials,
// one trial's metrics, curves and artefact, the game records, and the
// event stream.
func TestAPI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "results.db")
	ctx := context.Background()
	if err := runSpec(ctx, t, db, testRegistry(0), curvesSpec); err != nil {
		t.Fatal(err)
	}
	games := filepath.Join(dir, "train")
	rec := writeGame(t, filepath.Join(games, "games"), "iter-0001")
	if err := os.WriteFile(filepath.Join(games, "broken"+web.RecordExt), []byte(`{"game":"go"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none", "results.db")
	if _, err := web.New(web.Config{DB: missing}); err == nil {
		t.Error("New with a missing database: no error")
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Error("New with a missing database made its folder")
	}
	s := newServer(t, web.Config{DB: db, Games: []string{games}, Registry: testRegistry(0)})
	h := s.Handler()

	var runs []runJSON
	getJSON(t, h, "/api/runs", &runs)
	if len(runs) != 1 || runs[0].Name != "curves" || runs[0].Kind != "spec" || runs[0].Planned != 6 || runs[0].Done != 6 ||
		!reflect.DeepEqual(runs[0].Experiments, []string{"curve"}) {
		t.Fatalf("runs: %+v", runs)
	}
	id := runs[0].ID
	code, report := get(h, "/api/runs/"+id+"/report")
	if code != 200 || strings.Count(report, `<svg class="chart"`) < 2 || !strings.Contains(report, "<table>") || !strings.Contains(report, "lr=0.3") {
		t.Errorf("report: %d\n%s", code, report)
	}
	var trials []trialJSON
	getJSON(t, h, "/api/runs/"+id+"/trials", &trials)
	if len(trials) != 6 || trials[0].Status != "done" || trials[0].Point != "lr=0.1" || trials[5].Point != "lr=0.3" {
		t.Fatalf("trials: %+v", trials)
	}
	key := trials[0].Key
	var tr trialJSON
	getJSON(t, h, "/api/trials/"+key, &tr)
	var loss []float64
	for _, m := range tr.Metrics {
		if m.Name == "loss" {
			loss = m.Values
			if len(m.Steps) != 10 || m.Step != 10 || m.Value == nil || *m.Value != m.Values[9] {
				t.Errorf("loss: %+v", m)
			}
		}
	}
	if len(loss) != 10 || !reflect.DeepEqual(tr.Artefacts, []string{"notes.txt"}) {
		t.Errorf("trial: %+v", tr)
	}
	code, curves := get(h, "/api/trials/"+key+"/curves")
	if code != 200 || strings.Count(curves, `<svg class="chart"`) != 1 || !strings.Contains(curves, "mean over 3 seeds") || !strings.Contains(curves, `class="band"`) {
		t.Errorf("curves: %d\n%s", code, curves)
	}
	if code, body := get(h, "/api/trials/"+key+"/artefacts/notes.txt"); code != 200 || body != "notes of "+key {
		t.Errorf("artefact: %d %q", code, body)
	}
	var games2 []struct {
		ID, Name, Game, Result, Error string
		Moves                         int
	}
	getJSON(t, h, "/api/games", &games2)
	if len(games2) != 2 || games2[0].Name != "broken" || games2[0].Error == "" || games2[1].Name != "iter-0001" || games2[1].Moves != 4 {
		t.Fatalf("games: %+v", games2)
	}
	var back web.Record
	getJSON(t, h, "/api/games/"+games2[1].ID, &back)
	if !reflect.DeepEqual(&back, rec) {
		t.Errorf("game record: got %+v, want %+v", back, *rec)
	}

	for path, want := range map[string]int{
		"/api/runs/000000000000/report":                 404,
		"/api/runs/" + id + "x/trials":                  404,
		"/api/trials/" + strings.Repeat("0", 32):        404,
		"/api/trials/nothex/curves":                     404,
		"/api/trials/" + key + "/artefacts/other.txt":   404,
		"/api/trials/" + key + "/artefacts/results.db":  404,
		"/api/trials/" + trials[1].Key + "/artefacts/x": 404,
		"/api/games/000000000000":                       404,
		"/api/games/" + games2[0].ID:                    422,
		"/api/nothing":                                  404,
	} {
		if code, body := get(h, path); code != want {
			t.Errorf("GET %s: %d %s, want %d", path, code, body, want)
		}
	}

	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("events: content type %q", ct)
	}
	event := readEvent(t, resp.Body)
	var p struct {
		Runs   []runJSON
		Recent []struct{ Run, Key, Point string }
	}
	if err := json.Unmarshal([]byte(event), &p); err != nil {
		t.Fatal(err, event)
	}
	if len(p.Runs) != 1 || p.Runs[0].Done != 6 || len(p.Recent) != 6 || p.Recent[0].Run != id || p.Recent[0].Point != "lr=0.3" {
		t.Errorf("progress event: %s", event)
	}
}

// readEvent returns the data of the next "progress" event of a stream.
func readEvent(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	name := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && name == "progress":
			return strings.TrimPrefix(line, "data: ")
		}
	}
	t.Fatalf("no progress event: %v", sc.Err())
	return ""
}

// TestClaimsRun checks that a run of claim experiments gets the claims'
// comparison table, even before any trial is done.
func TestClaimsRun(t *testing.T) {
	spec, err := claims.Suite("quick")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "results.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRun(context.Background(), store.Run{Name: spec.Name, Spec: string(spec.Source), Seed: spec.Seed, Scale: string(spec.Scale), Trials: 67}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	h := newServer(t, web.Config{DB: db}).Handler()
	var runs []runJSON
	getJSON(t, h, "/api/runs", &runs)
	if len(runs) != 1 || runs[0].Kind != "claims" || runs[0].Done != 0 || runs[0].Planned == 0 || runs[0].Error != "" {
		t.Fatalf("runs: %+v", runs)
	}
	code, report := get(h, "/api/runs/"+runs[0].ID+"/report")
	if code != 200 || !strings.Contains(report, "Comparison table") || !strings.Contains(report, "not measured yet") {
		t.Errorf("claims report: %d\n%.2000s", code, report)
	}
	// The test registry knows none of the claims: the run is listed with why.
	h = newServer(t, web.Config{DB: db, Registry: testRegistry(0)}).Handler()
	getJSON(t, h, "/api/runs", &runs)
	if len(runs) != 1 || runs[0].Done != -1 || !strings.Contains(runs[0].Error, "cannot be rebuilt") {
		t.Errorf("runs with an unknown experiment: %+v", runs)
	}
	if code, _ := get(h, "/api/runs/"+runs[0].ID+"/report"); code != 404 {
		t.Errorf("report of a run that cannot be rebuilt: %d, want 404", code)
	}
}
