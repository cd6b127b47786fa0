package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"argmax/lab/store"
	"argmax/web"
)

const testToken = "0123456789abcdef-token"

// newServer returns a dashboard over an empty results database.
func newServer(t *testing.T, cfg web.Config) *web.Server {
	t.Helper()
	if cfg.DB == "" {
		cfg.DB = filepath.Join(t.TempDir(), "results.db")
		st, err := store.Open(cfg.DB)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	s, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestGuard checks what the server refuses before any route: paths that
// leave the served names (plain, encoded, doubly encoded), methods that
// would write, request bodies and long URLs, and requests for data without
// the token, while the page, its files and the API answer with it.
func TestGuard(t *testing.T) {
	h := newServer(t, web.Config{Token: testToken}).Handler()
	long := "/api/runs?token=" + testToken + "&x=" + strings.Repeat("a", 3000)
	for _, tc := range []struct {
		method, target, auth, body string
		want                       int
	}{
		{"GET", "/static/../../etc/passwd", "", "", 400},
		{"GET", "/static/..%2f..%2fetc%2fpasswd", "", "", 400},
		{"GET", "/static/%2e%2e/%2e%2e/etc/passwd", "", "", 400},
		{"GET", "/static/%2E%2E/index.html", "", "", 400},
		{"GET", "/static/%252e%252e/%252e%252e/etc/passwd", "", "", 404},
		{"GET", "/static/..\\..\\etc\\passwd", "", "", 400},
		{"GET", "/static/%5c..%5cetc%5cpasswd", "", "", 400},
		{"GET", "//etc/passwd", "", "", 400},
		{"GET", "/static/style.css%00.js", "", "", 400},
		{"GET", "/etc/passwd?token=" + testToken, "", "", 404},
		{"GET", "/static/", "", "", 404},
		{"GET", "/api/games/..%2f..%2fetc%2fpasswd?token=" + testToken, "", "", 400},
		{"GET", "/api/trials/../../../etc/passwd?token=" + testToken, "", "", 400},
		{"POST", "/api/runs?token=" + testToken, "", "", 405},
		{"PUT", "/static/app.js", "", "", 405},
		{"DELETE", "/?token=" + testToken, "", "", 405},
		{"OPTIONS", "/", "", "", 405},
		{"GET", "/api/runs?token=" + testToken, "", "x=1", 413},
		{"GET", long, "", "", 414},
		{"GET", "/", "", "", 401},
		{"GET", "/api/runs", "", "", 401},
		{"GET", "/api/events", "", "", 401},
		{"GET", "/api/runs?token=wrong", "", "", 401},
		{"GET", "/api/runs?token=" + testToken[:len(testToken)-1], "", "", 401},
		{"GET", "/api/runs", "Bearer wrong", "", 401},
		{"GET", "/api/runs", "Basic " + testToken, "", 401},
		{"GET", "/?token=" + testToken, "", "", 200},
		{"HEAD", "/?token=" + testToken, "", "", 200},
		{"GET", "/api/runs?token=" + testToken, "", "", 200},
		{"GET", "/api/runs", "Bearer " + testToken, "", 200},
		{"GET", "/api/games", "Bearer " + testToken, "", 200},
		{"GET", "/static/app.js", "", "", 200},
		{"GET", "/static/style.css", "", "", 200},
	} {
		var body io.Reader
		if tc.body != "" {
			body = strings.NewReader(tc.body)
		}
		req := httptest.NewRequest(tc.method, tc.target, body)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s %s (auth %q): status %d, want %d", tc.method, tc.target, tc.auth, rec.Code, tc.want)
		}
		if strings.Contains(rec.Body.String(), "root:") {
			t.Errorf("%s %s: served a system file", tc.method, tc.target)
		}
		if rec.Code == 200 && rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s: no Content-Security-Policy", tc.method, tc.target)
		}
	}
}

// TestRateLimit checks that a client past its burst gets 429 while another
// client is still served.
func TestRateLimit(t *testing.T) {
	h := newServer(t, web.Config{Rate: 1e-6, Burst: 5}).Handler()
	get := func(from string) int {
		req := httptest.NewRequest("GET", "/static/style.css", nil)
		req.RemoteAddr = from
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 5 {
		if c := get("192.0.2.1:1000"); c != 200 {
			t.Fatalf("request %d of the burst: %d", i+1, c)
		}
	}
	if c := get("192.0.2.1:1001"); c != http.StatusTooManyRequests {
		t.Errorf("request past the burst: %d, want 429", c)
	}
	if c := get("192.0.2.2:1000"); c != 200 {
		t.Errorf("another client: %d, want 200", c)
	}
}

// TestServeLimits serves on a real listener: headers past the limit are
// refused, and a listener off loopback without a token is refused.
func TestServeLimits(t *testing.T) {
	s := newServer(t, web.Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	conn, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /static/style.css HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("b", 64<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: %d, want 431", resp.StatusCode)
	}

	off := offLoopback{ln}
	if err := s.Serve(ctx, off); err == nil || !strings.Contains(err.Error(), "token is required") {
		t.Errorf("Serve off loopback without a token: %v", err)
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true, "127.0.0.2:1": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:1": false, "192.168.1.5:80": false, "example.com:80": false} {
		if got := web.Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// offLoopback is a listener that says it listens on every interface.
type offLoopback struct{ net.Listener }

func (offLoopback) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4zero, Port: 8080} }
