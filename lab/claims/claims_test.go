package claims

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"argmax/game/connect4"
	"argmax/lab"
	"argmax/lab/internal/browser"
	"argmax/lab/store"
	"argmax/nn"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// tinySuite is the claim suite at a size a test can afford: every claim
// experiment, small grids, few positions.
const tinySuite = `
name: tiny
seed: 3
experiments:
  - name: claims/runtime-cost
    seeds: 3
    params: {positions: 10, sims: [16, 256], repeats: 5, train_positions: 200, train_steps: 100}
  - name: claims/scaling
    seeds: 3
    params: {positions: 12, openings: 1, reference_sims: 32}
    grid: {sims: [8, 128]}
  - name: claims/convergence-search
    seeds: 3
    params: {positions: 300}
    grid: {game: [tictactoe, connect4], sims: [1, 16, 256]}
  - name: claims/convergence-learner
    seeds: 3
    grid: {games: [16, 2048], learner: [mlp, table]}
  - name: claims/data-efficiency
    seeds: 3
    grid: {games: [0, 32, 2048], learner: [mlp]}
`

func runTiny(t *testing.T, dir string) (string, *lab.Spec, []Row) {
	t.Helper()
	spec, err := lab.ParseSpec([]byte(tinySuite), "tiny.yaml", lab.Default)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := (&lab.Runner{Store: st, ArtefactDir: filepath.Join(dir, "artefacts")}).RunSpec(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	// Each runtime-cost trial keeps its trained policy net; the store
	// holds the path.
	rc, err := st.Trials(context.Background(), store.Filter{Experiment: "claims/runtime-cost"})
	if err != nil || len(rc) == 0 {
		t.Fatal(rc, err)
	}
	for _, tr := range rc {
		if len(tr.Artefacts) != 1 {
			t.Fatalf("trial %s has artefacts %v", tr.Key, tr.Artefacts)
		}
		net := trainMLP(connect4.Game{}, nil, mlpConfig{hidden: []int{256, 256}}, 1)
		meta, err := nn.Load(tr.Artefacts[0].Path, net.net.Params())
		if err != nil || meta["trial"] != tr.Key {
			t.Errorf("artefact %s: %v %v", tr.Artefacts[0].Path, meta, err)
		}
	}
	res, err := lab.LoadResults(context.Background(), st, spec.Plan())
	if err != nil {
		t.Fatal(err)
	}
	rows := Rows(spec, res)
	var b bytes.Buffer
	WriteTable(&b, rows)
	return b.String(), spec, rows
}

// reproducible keeps the part of the printed table that must not change
// from run to run: everything before the timings, without verdicts that
// rest on timings.
func reproducible(table string) string {
	if i := strings.Index(table, "Timings †"); i >= 0 {
		table = table[:i]
	}
	var keep []string
	for _, l := range strings.Split(table, "\n") {
		if !strings.Contains(l, " † ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func TestTinySuiteReproducibleAndRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tiny claim suite")
	}
	a, spec, rows := runTiny(t, t.TempDir())
	b, _, _ := runTiny(t, t.TempDir())
	if reproducible(a) != reproducible(b) {
		t.Errorf("same seed, different figures:\n%s\n---\n%s", reproducible(a), reproducible(b))
	}
	if len(rows) != len(Claims()) {
		t.Fatalf("%d rows for %d claims:\n%s", len(rows), len(Claims()), a)
	}
	for _, r := range rows {
		if r.Verdict == NotMeasured || r.Direct.Figure == "" || r.Rule == "" || r.Why == "" || r.Amortized.Figure == "" {
			t.Errorf("row %s is incomplete: %+v", r.Aspect, r)
		}
		if len(r.Section.Charts) == 0 {
			t.Errorf("row %s has no chart", r.Aspect)
		}
	}
	for _, want := range []string{"| aspect", "direct", "amortized", "hybrid", "verdict", "convergence", "data efficiency", "scaling with", "not measured yet", "Verdicts:"} {
		if !strings.Contains(a, want) {
			t.Errorf("table lacks %q:\n%s", want, a)
		}
	}
	// The report opens without network in headless Chromium with its charts.
	p := filepath.Join(t.TempDir(), "index.html")
	rep := Report(spec, rows, [][2]string{{"seed", "3"}})
	if err := rep.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	res, err := browser.Open(context.Background(), p)
	if errors.Is(err, browser.ErrNoBrowser) {
		t.Skip("skipping the browser check: no chromium installed (.ci/run installs Debian's chromium)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.Charts != rep.NumCharts() || res.Charts < 5 || res.RenderedLines != res.Charts {
		t.Errorf("%d charts in the page, %d rendered, %d in the report", res.Charts, res.RenderedLines, rep.NumCharts())
	}
	if len(res.ConsoleErrors) > 0 || len(res.Requests) > 0 {
		t.Errorf("console errors %v, network requests %v", res.ConsoleErrors, res.Requests)
	}
	if res.Colours < 8 {
		t.Errorf("the screenshot looks blank (%d colours)", res.Colours)
	}
	if dir := os.Getenv("ARGMAX_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "claims-tiny.png"), res.Screenshot, 0o644)
	}
}

func TestSuiteSpecs(t *testing.T) {
	for _, s := range []lab.Scale{lab.Quick, lab.Full} {
		spec, err := Suite(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if spec.Scale != s {
			t.Errorf("%s suite has scale %s", s, spec.Scale)
		}
		for _, e := range spec.Entries {
			if e.SeedsAt(s) < 5 {
				t.Errorf("%s: %s runs %d seeds; the table needs at least 5", s, e.Experiment.Name, e.SeedsAt(s))
			}
		}
		// Every claim's experiments are in the suite.
		in := map[string]bool{}
		for _, e := range spec.Entries {
			in[e.Experiment.Name] = true
		}
		for _, c := range Claims() {
			for _, name := range c.Experiments {
				if _, registered := lab.Default.Lookup(name); !registered {
					continue // an optional input of the claim, not built in this tree
				}
				if !in[name] {
					t.Errorf("%s suite lacks %s (claim %s)", s, name, c.Aspect)
				}
			}
		}
	}
	if _, err := Suite("medium"); err == nil {
		t.Error("an unknown scale has a suite")
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aaa bbb cccccccccc d\nee", 5)
	want := []string{"aaa", "bbb", "ccccc", "ccccc", "d", "ee"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

func TestCrossing(t *testing.T) {
	xs := []float64{0, 1, 3, 7}
	ys := []float64{0.5, 0.6, 0.8, 0.9}
	if g, ok := crossing(xs, ys, 0.7); !ok || g <= 1 || g >= 3 {
		t.Errorf("crossing at %v, %v; want between 1 and 3", g, ok)
	}
	if g, ok := crossing(xs, ys, 0.4); !ok || g != 0 {
		t.Errorf("already above: %v %v", g, ok)
	}
	if _, ok := crossing(xs, ys, 0.95); ok {
		t.Error("never reached but crossed")
	}
}
