package web_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax/internal/browser"
	"argmax/web"
)

const slowSpec = `name: slow
seed: 1
experiments:
  - name: slow
    seeds: 8
`

// TestDashboardInChromium drives the page in headless Chromium, opened
// with a token as off loopback: it lists a finished run, shows its report
// (a table, charts laid out) and its trials, a trial's curves, follows the
// progress of a run started after the page loaded (live, with no reload),
// replays a game with its visit and prior bars, requests nothing but the
// server, and logs no console error.
func TestDashboardInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	if browser.Find() == "" {
		t.Skip("skipping: no chromium installed (.ci/run installs Debian's chromium package)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	db := filepath.Join(dir, "results.db")
	reg := testRegistry(250 * time.Millisecond)
	if err := runSpec(ctx, t, db, reg, curvesSpec); err != nil {
		t.Fatal(err)
	}
	writeGame(t, filepath.Join(dir, "games"), "iter-0001")
	ttt := &web.Record{Game: "tictactoe", Title: "noughts and crosses", Result: web.FirstWins}
	for _, a := range []int{0, 3, 1, 4, 2} {
		ttt.Moves = append(ttt.Moves, web.Move{Action: a, Visits: make([]float32, 9)})
		ttt.Moves[len(ttt.Moves)-1].Visits[a] = 1
	}
	if err := ttt.WriteFile(filepath.Join(dir, "ttt"+web.RecordExt)); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, web.Config{DB: db, Games: []string{dir}, Registry: reg, Token: testToken, Poll: 100 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- s.Serve(sctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()

	tab, err := browser.NewTab(ctx, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if err := tab.Navigate(base + "/?token=" + testToken); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, `document.querySelectorAll("#runs tbody tr").length === 1 && document.querySelector("#live").textContent === "live"`, "the finished run listed, the event stream open")
	eval[bool](t, tab, `window.notReloaded = true`)

	// Live progress of a run started now.
	slow := make(chan error, 1)
	go func() { slow <- runSpec(ctx, t, db, reg, slowSpec) }()
	const row = `Array.from(document.querySelectorAll("#runs tbody tr")).find(tr => tr.querySelector("a").textContent === "slow")`
	var seen []int
	deadline := time.Now().Add(30 * time.Second)
	for len(seen) == 0 || seen[len(seen)-1] < 8 {
		if time.Now().After(deadline) {
			t.Fatalf("the slow run's progress went %v, never to 8", seen)
		}
		v := eval[int](t, tab, `(() => { const r = `+row+`; return r ? r.querySelector("progress").value : -1; })()`)
		if v >= 0 && (len(seen) == 0 || v != seen[len(seen)-1]) {
			seen = append(seen, v)
		}
		time.Sleep(40 * time.Millisecond)
	}
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	between := slices.DeleteFunc(slices.Clone(seen), func(v int) bool { return v == 0 || v == 8 })
	if len(between) < 2 || !slices.IsSorted(seen) {
		t.Errorf("the slow run's progress went %v: want it to rise through at least two values between 0 and 8", seen)
	}
	if !eval[bool](t, tab, `window.notReloaded === true`) {
		t.Error("the page was reloaded to show the progress")
	}
	if got := eval[string](t, tab, row+`.querySelector(".count").textContent`); got != "8 of 8 ✓" {
		t.Errorf("the slow run's count says %q", got)
	}

	// The finished run: its report and trials.
	eval[bool](t, tab, `(Array.from(document.querySelectorAll("#runs a")).find(a => a.textContent === "curves").click(), true)`)
	waitFor(t, tab, `document.querySelectorAll("#run-report svg.chart").length >= 2 && document.querySelectorAll("#run-report table").length >= 1 && document.querySelectorAll("#trials tbody tr").length === 6`,
		"the run's report (a table and charts) and its 6 trials")
	if n := eval[int](t, tab, `Array.from(document.querySelectorAll("#run-report svg.chart path.line")).filter(l => { const b = l.getBBox(); return b.width > 0 && b.height > 0; }).length`); n < 2 {
		t.Errorf("%d chart lines laid out, want at least 2", n)
	}
	if got := eval[string](t, tab, `document.querySelector("#run-count").textContent`); got != "6 of 6 ✓ trials done" {
		t.Errorf("run progress says %q", got)
	}

	// One trial: its metrics and its curve with the seeds' band.
	eval[bool](t, tab, `(document.querySelector("#trials tbody a").click(), true)`)
	waitFor(t, tab, `document.querySelectorAll("#trial-curves svg.chart").length === 1 && document.querySelector("#trial-curves path.band").getBBox().height > 0 && document.querySelectorAll("#trial-metrics tbody tr").length === 2`,
		"the trial's metrics and its curve with a band")

	// The board viewer.
	eval[bool](t, tab, `(location.hash = "", true)`)
	const game = `Array.from(document.querySelectorAll("#games a")).find(a => a.textContent === "%s")`
	waitFor(t, tab, fmt.Sprintf(game, "iter-0001")+` !== undefined`, "the games listed")
	eval[bool](t, tab, fmt.Sprintf("(%s.click(), true)", fmt.Sprintf(game, "iter-0001")))
	waitFor(t, tab, `document.querySelectorAll("#board circle.hole").length === 42 && document.querySelectorAll("#bars rect.bar.visits").length === 7`, "an empty board with the first move's bars")
	for range 3 {
		eval[bool](t, tab, `(document.querySelector("#next").click(), true)`)
	}
	if got := eval[string](t, tab, `document.querySelectorAll("#board circle.stone").length + " stones, " +
		document.querySelectorAll("#bars rect.bar.visits").length + " visit bars, " +
		document.querySelectorAll("#bars rect.bar.prior").length + " prior bars, " +
		document.querySelectorAll("#bars rect.chosen").length + " chosen, tallest visits " +
		Math.max(...Array.from(document.querySelectorAll("#bars rect.bar.visits")).map(r => r.getBBox().height)) + ", " +
		document.querySelector("#ply").textContent`); got != "3 stones, 7 visit bars, 7 prior bars, 1 chosen, tallest visits 112.5, move 3 of 4" {
		t.Errorf("after 3 moves the viewer shows %s", got)
	}
	eval[bool](t, tab, `(document.querySelector("#last").click(), true)`)
	if got := eval[string](t, tab, `document.querySelectorAll("#board circle.stone").length + " stones; " + document.querySelector("#move-info").textContent`); got != "4 stones; End of the game: the game was not finished." {
		t.Errorf("at the end the viewer shows %q", got)
	}
	eval[bool](t, tab, `(location.hash = "", true)`)
	waitFor(t, tab, fmt.Sprintf(game, "ttt")+` !== undefined`, "the games listed again")
	eval[bool](t, tab, fmt.Sprintf("(%s.click(), true)", fmt.Sprintf(game, "ttt")))
	waitFor(t, tab, `document.querySelectorAll("#board rect.cell").length === 9 && document.querySelectorAll("#bars rect.bar.visits").length === 9`, "an empty tic-tac-toe board")
	eval[bool](t, tab, `(document.querySelector("#last").click(), true)`)
	if got := eval[string](t, tab, `Array.from(document.querySelectorAll("#board text.stone")).map(m => m.textContent).join("") + "; " + document.querySelector("#move-info").textContent`); got != "XOXOX; End of the game: X won." {
		t.Errorf("the tic-tac-toe game ends with %q", got)
	}

	if errs := tab.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
	for _, u := range tab.Requests() {
		if !strings.HasPrefix(u, base+"/") {
			t.Errorf("the page requested %s, outside the server", u)
		}
	}
}

// eval evaluates js in the tab, failing the test on an error.
func eval[T any](t *testing.T, tab *browser.Tab, js string) T {
	t.Helper()
	v, err := browser.Eval[T](tab, js)
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls the JavaScript condition js until it holds, failing the
// test after 20 seconds with what was awaited.
func waitFor(t *testing.T, tab *browser.Tab, js, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !eval[bool](t, tab, js) {
		if time.Now().After(deadline) {
			body := eval[string](t, tab, `document.body.innerText.slice(0, 1500)`)
			t.Fatalf("waited 20 s for %s; errors %v; the page shows:\n%s", what, tab.ConsoleErrors(), body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
