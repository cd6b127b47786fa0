package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// csp lets the page load only its own script, style sheet and API.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// guard wraps the routes with what every request goes through, in order:
// the client's rate, the method, the size of the request, the path, and
// the token.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer") // the token may be in the URL
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		switch {
		case !s.lim.allow(clientAddr(r), time.Now()):
			h.Set("Retry-After", "1")
			http.Error(w, "too many requests", http.StatusTooManyRequests)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: only GET and HEAD are served", http.StatusMethodNotAllowed)
		case len(r.RequestURI) > maxURIBytes:
			http.Error(w, "URL too long", http.StatusRequestURITooLong)
		case r.ContentLength != 0 || len(r.TransferEncoding) > 0:
			http.Error(w, "request bodies are not accepted", http.StatusRequestEntityTooLarge)
		case !cleanPath(r):
			http.Error(w, "bad path", http.StatusBadRequest)
		case s.cfg.Token != "" && !strings.HasPrefix(r.URL.Path, "/static/") && !s.tokenOK(r):
			h.Set("WWW-Authenticate", `Bearer realm="argmax"`)
			http.Error(w, "a valid token is required (?token= or Authorization: Bearer)", http.StatusUnauthorized)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// cleanPath reports whether the request's path stays among the served
// names: no dot-dot, backslash, NUL or doubled slash once decoded, and no
// encoded slash, backslash or dot.
func cleanPath(r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "..") || strings.Contains(p, "//") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	raw := strings.ToLower(r.URL.EscapedPath())
	for _, enc := range []string{"%2f", "%5c", "%2e", "%00"} {
		if strings.Contains(raw, enc) {
			return false
		}
	}
	return true
}

// tokenOK reports whether the request carries the server's token, in the
// query or as a bearer token, compared in constant time.
func (s *Server) tokenOK(r *http.Request) bool {
	got := r.URL.Query().Get("token")
	if a := r.Header.Get("Authorization"); got == "" && strings.HasPrefix(a, "Bearer ") {
		got = strings.TrimPrefix(a, "Bearer ")
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.Token)) == 1
}

// clientAddr is the IP a request came from (proxies' headers are not
// trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter is a token bucket per client: rate tokens a second, burst at
// most, one token a request.
type limiter struct {
	rate, burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxClients bounds the buckets kept; past it the full ones are dropped.
const maxClients = 4096

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// allow takes a token from client's bucket at time now, if it has one.
func (l *limiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= maxClients {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune drops the buckets that have refilled: their clients have been
// idle long enough to start afresh.
func (l *limiter) prune(now time.Time) {
	for c, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, c)
		}
	}
}
