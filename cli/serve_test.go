package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"argmax/web"
)

// TestServeToken checks when the dashboard requires a token and the URL it
// prints.
func TestServeToken(t *testing.T) {
	for _, tc := range []struct {
		addr, given, want string // want "random" for a generated token
		err               string
	}{
		{addr: "127.0.0.1:8080"},
		{addr: "localhost:0"},
		{addr: "[::1]:8080"},
		{addr: "127.0.0.1:8080", given: "a-token-of-16-chars", want: "a-token-of-16-chars"},
		{addr: "0.0.0.0:8080", want: "random"},
		{addr: ":8080", want: "random"},
		{addr: "192.168.1.2:80", want: "random"},
		{addr: "0.0.0.0:8080", given: "a-token-of-16-chars", want: "a-token-of-16-chars"},
		{addr: "0.0.0.0:8080", given: "short", err: "--token: 5 characters is too short"},
	} {
		got, generated, err := serveToken(tc.addr, tc.given)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("serveToken(%q, %q): error %v, want %q", tc.addr, tc.given, err, tc.err)
			}
		case err != nil:
			t.Errorf("serveToken(%q, %q): %v", tc.addr, tc.given, err)
		case tc.want == "random":
			if !generated || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got) {
				t.Errorf("serveToken(%q, %q) = %q, %v; want a generated token", tc.addr, tc.given, got, generated)
			}
		case got != tc.want || generated:
			t.Errorf("serveToken(%q, %q) = %q, %v; want %q", tc.addr, tc.given, got, generated, tc.want)
		}
	}
	a, _, _ := serveToken("0.0.0.0:1", "")
	b, _, _ := serveToken("0.0.0.0:1", "")
	if a == b {
		t.Error("two generated tokens are equal")
	}
	for addr, want := range map[net.Addr]string{
		&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}: "http://127.0.0.1:8080/?token=x%2By",
		&net.TCPAddr{IP: net.IPv6loopback, Port: 80}:         "http://[::1]:80/?token=x%2By",
	} {
		if got := dashboardURL(addr, "x+y"); got != want {
			t.Errorf("dashboardURL(%v) = %s, want %s", addr, got, want)
		}
	}
	host, _ := os.Hostname()
	if got := dashboardURL(&net.TCPAddr{IP: net.IPv4zero, Port: 1}, ""); got != "http://"+host+":1/" {
		t.Errorf("dashboardURL on every interface = %s, want the host's name", got)
	}
}

// TestServeNoDatabase checks the error for a folder with no results.
func TestServeNoDatabase(t *testing.T) {
	dir := t.TempDir()
	_, err := runRoot("serve", "--out", dir, "--addr", "127.0.0.1:0")
	want := "serve: no results database at " + filepath.Join(dir, "results.db") + ": make one with `argmax table --out " + dir
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("serve of an empty folder: %v\nwant %s…", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.db")); err == nil {
		t.Error("serve created a database")
	}
	if _, err := runRoot("serve", "--db", filepath.Join(dir, "none.db"), "--games", dir, "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "none.db") {
		t.Errorf("serve of a missing --db: %v", err)
	}
	if _, err := runRoot("serve", "--out", dir, "--games", filepath.Join(dir, "missing"), "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "--games: stat "+filepath.Join(dir, "missing")) {
		t.Errorf("serve of a missing --games folder: %v", err)
	}
}

// syncBuffer is a buffer written by one goroutine and read by another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe runs an experiment with argmax run, serves its folder, reads
// the page and the runs through the printed URL (with a token, then
// without: refused), and stops the server by its context.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "pi.yaml")
	if err := os.WriteFile(spec, []byte("name: pi\nexperiments:\n  - name: mc-pi\n    seeds: 2\n    params: {samples: 1000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if msg, err := runRoot("run", spec, "--out", out); err != nil {
		t.Fatal(err, msg)
	}
	for _, tc := range []struct {
		name string
		o    serveOptions
		runs string // what /api/runs says
	}{
		{"results", serveOptions{out: out, addr: "127.0.0.1:0", token: "0123456789abcdef"}, `"name":"pi"`},
		{"games only", serveOptions{out: filepath.Join(dir, "none"), addr: "127.0.0.1:0", games: []string{dir}}, `[]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			var w syncBuffer
			done := make(chan error, 1)
			go func() { done <- serve(ctx, &w, tc.o) }()
			defer func() {
				cancel()
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("serve: %v", err)
					}
				case <-time.After(10 * time.Second):
					t.Error("serve did not stop with its context")
				}
			}()
			re := regexp.MustCompile(`at (http://\S+)\n`)
			var page string
			for deadline := time.Now().Add(10 * time.Second); page == ""; {
				if m := re.FindStringSubmatch(w.String()); m != nil {
					page = m[1]
				} else if time.Now().After(deadline) {
					t.Fatalf("no URL printed: %q", w.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			fetch := func(u string) (int, string) {
				resp, err := http.Get(u)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if code, body := fetch(page); code != 200 || !strings.Contains(body, "argmax dashboard") {
				t.Errorf("GET %s: %d %.200s", page, code, body)
			}
			u, err := url.Parse(page)
			if err != nil {
				t.Fatal(err)
			}
			u.Path = "/api/runs"
			if code, body := fetch(u.String()); code != 200 || !strings.Contains(body, tc.runs) {
				t.Errorf("GET %s: %d %.300s, want %s", u, code, body, tc.runs)
			}
			if tc.o.token != "" {
				u.RawQuery = ""
				if code, _ := fetch(u.String()); code != http.StatusUnauthorized {
					t.Errorf("GET %s without the token: %d, want 401", u, code)
				}
			}
		})
	}
}

// TestServeTrainingGames checks that argmax train alphazero writes a game
// record per iteration where argmax serve --games finds it.
func TestServeTrainingGames(t *testing.T) {
	dir := t.TempDir()
	if msg, err := runRoot("train", "alphazero", "--game", "tictactoe", "--iterations", "2", "--games", "4", "--size", "tiny",
		"--sims", "8", "--eval-games", "0", "--out", dir); err != nil {
		t.Fatal(err, msg)
	}
	for i := 1; i <= 2; i++ {
		rec, err := web.ReadRecordFile(web.TrainingGamePath(dir, i))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Game != "tictactoe" || rec.Result == "" || len(rec.Moves[0].Visits) != 9 {
			t.Errorf("iteration %d: game %s, result %q, %d visit shares", i, rec.Game, rec.Result, len(rec.Moves[0].Visits))
		}
	}
}
