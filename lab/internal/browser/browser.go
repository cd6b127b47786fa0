// Package browser opens lab reports in headless Chromium (through the
// DevTools protocol, github.com/chromedp/chromedp) to check that they render
// without network: it counts the charts that were laid out, collects console
// errors and network requests, and takes a screenshot. Tests use it; it is
// not part of the lab's API.
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

// Open loads the HTML file at path in a fresh headless Chromium with no
// network use, waits for it to render, and reports what it shows.
func Open(ctx context.Context, path string) (*Result, error) {
	exe := Find()
	if exe == "" {
		return nil, ErrNoBrowser
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "argmax-chromium-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
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
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	res := &Result{}
	var mu sync.Mutex
	url := "file://" + abs
	// Open the tab first so the listener sees every event of the page.
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("chromium (%s): %w", exe, err)
	}
	err = chromedp.Listen(bctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == "error" || ev.Type == "assert" {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				res.ConsoleErrors = append(res.ConsoleErrors, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			res.ConsoleErrors = append(res.ConsoleErrors, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				res.ConsoleErrors = append(res.ConsoleErrors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			if ev.Request.URL != url {
				res.Requests = append(res.Requests, ev.Request.URL)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		return nil, fmt.Errorf("chromium on %s: %w", path, err)
	}
	eval := func(js string) (int, error) { return chromedp.Run(bctx, chromedp.Evaluate[int](js)) }
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
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		return nil, fmt.Errorf("screenshot of %s: %w", path, err)
	}
	res.Screenshot = shot
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	res.Colours = colours(img)
	mu.Lock()
	defer mu.Unlock()
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
