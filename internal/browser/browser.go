// Package browser drives headless Chromium (through the DevTools protocol,
// github.com/chromedp/chromedp) for tests: Open checks that a lab report
// renders without network (it counts the charts that were laid out,
// collects console errors and network requests, and takes a screenshot),
// and a Tab lets a test drive a page, the dashboard's, with chromedp
// actions while it records the page's console errors and requests. It is
// not part of argmax's API.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Find returns the path of a Chromium executable, or "" if there is none.
func Find() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Result is what the page showed.
type Result struct {
	Charts        int      // svg.chart elements
	RenderedLines int      // charts whose data lines have a non-empty laid-out box
	Tables        int      // table elements
	ConsoleErrors []string // console errors, uncaught exceptions, error log entries
	Requests      []string // URLs requested besides the page itself
	Screenshot    []byte   // full-page PNG
	Colours       int      // distinct colours in the screenshot (a blank page has 1)
}

// ErrNoBrowser is returned when no Chromium executable is found.
var ErrNoBrowser = errors.New("no chromium executable found (install Debian's chromium package)")

// Tab is a page in a fresh headless Chromium (its own profile, no GPU),
// recording console errors and the requests the page makes: tests drive it
// with chromedp actions through Do and Eval.
type Tab struct {
	ctx     context.Context // the tab's chromedp context
	cancel  func()
	profile string

	mu       sync.Mutex
	page     string // the URL navigated to
	errors   []string
	requests []string
}

// NewTab starts Chromium with one tab, for at most timeout; Close stops it.
func NewTab(ctx context.Context, timeout time.Duration) (*Tab, error) {
	exe := Find()
	if exe == "" {
		return nil, ErrNoBrowser
	}
	profile, err := os.MkdirTemp("", "argmax-chromium-*")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t := &Tab{ctx: bctx, profile: profile, cancel: func() { bcancel(); acancel(); cancel() }}
	// Open the tab first so the listener sees every event of the page.
	if err := chromedp.Do(bctx); err != nil {
		t.Close()
		return nil, fmt.Errorf("chromium (%s): %w", exe, err)
	}
	if err := chromedp.Listen(bctx, t.record); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// record keeps the console errors and requests of the page.
func (t *Tab) record(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" || ev.Type == "assert" {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value))
			}
			t.errors = append(t.errors, "console: "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		t.errors = append(t.errors, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			t.errors = append(t.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if ev.Request.URL != t.page {
			t.requests = append(t.requests, ev.Request.URL)
		}
	}
}

// Navigate loads url and waits for its body.
func (t *Tab) Navigate(url string) error {
	t.mu.Lock()
	t.page = url
	t.mu.Unlock()
	if err := chromedp.Do(t.ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return fmt.Errorf("chromium on %s: %w", url, err)
	}
	return nil
}

// Do runs chromedp actions in the tab.
func (t *Tab) Do(steps ...chromedp.Action[chromedp.Void]) error { return chromedp.Do(t.ctx, steps...) }

// Eval evaluates the JavaScript expression js in the tab's page and
// returns its value.
func Eval[T any](t *Tab, js string) (T, error) { return chromedp.Run(t.ctx, chromedp.Evaluate[T](js)) }

// ConsoleErrors returns the console errors, uncaught exceptions and error
// log entries of the page so far.
func (t *Tab) ConsoleErrors() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.errors...)
}

// Requests returns the URLs the page requested besides itself so far.
func (t *Tab) Requests() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.requests...)
}

// Close stops the browser and removes its profile.
func (t *Tab) Close() {
	t.cancel()
	os.RemoveAll(t.profile)
}

// Open loads the HTML file at path in a fresh headless Chromium with no
// network use, waits for it to render, and reports what it shows.
func Open(ctx context.Context, path string) (*Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	tab, err := NewTab(ctx, 90*time.Second)
	if err != nil {
		return nil, err
	}
	defer tab.Close()
	if err := tab.Navigate("file://" + abs); err != nil {
		return nil, err
	}
	res := &Result{}
	eval := func(js string) (int, error) { return Eval[int](tab, js) }
	if res.Charts, err = eval(`document.querySelectorAll("svg.chart").length`); err != nil {
		return nil, err
	}
	res.RenderedLines, err = eval(`Array.from(document.querySelectorAll("svg.chart")).filter(s => {
			const l = s.querySelector("path.line");
			if (!l) return false;
			const b = l.getBBox();
			return b.width > 0 || b.height > 0;
		}).length`)
	if err != nil {
		return nil, err
	}
	if res.Tables, err = eval(`document.querySelectorAll("table").length`); err != nil {
		return nil, err
	}
	shot, err := chromedp.Run(tab.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("screenshot of %s: %w", path, err)
	}
	res.Screenshot = shot
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	res.Colours = colours(img)
	res.ConsoleErrors, res.Requests = tab.ConsoleErrors(), tab.Requests()
	return res, nil
}

// colours counts distinct colours on a sparse grid of the image.
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
