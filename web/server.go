package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"argmax/lab"
	"argmax/lab/store"
)

//go:embed static
var staticFS embed.FS

// Config sets up a Server. Zero fields take the defaults documented on
// them.
type Config struct {
	// DB is the results database (lab/store); "" shows no runs, only games.
	// It is opened without a lock and only read.
	DB string
	// Games are folders and files of game records (RecordExt): a folder's
	// records and those of its games/ subfolder (a training folder's) are
	// listed.
	Games []string
	// Registry rebuilds the runs' specs from their stored source; nil
	// means lab.Default.
	Registry *lab.Registry
	// Token, when set, must come with every request but those for the
	// static files. Serve refuses a listener off loopback without one.
	Token string
	// Rate and Burst bound the requests of each client address (a token
	// bucket): 20 a second and bursts of 40 by default.
	Rate  float64
	Burst int
	// Poll is how often the event stream looks at the database; 0 means
	// once a second.
	Poll time.Duration
	// Log receives the errors of requests; nil means log.Default().
	Log *log.Logger
}

// Limits of the server.
const (
	maxHeaderBytes = 8 << 10 // request line and headers
	maxURIBytes    = 2048
	maxStreams     = 16 // event streams open at once
)

// Server is the dashboard over one results database and the game records.
// It is safe for concurrent use.
type Server struct {
	cfg     Config
	st      *store.Store
	lim     *limiter
	handler http.Handler
	streams chan struct{}

	mu   sync.Mutex
	runs map[string]*run // by id
}

// New opens the results database of cfg (which must exist) and returns the
// server.
func New(cfg Config) (*Server, error) {
	if cfg.Registry == nil {
		cfg.Registry = lab.Default
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 20
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 40
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = log.Default()
	}
	s := &Server{cfg: cfg, lim: newLimiter(cfg.Rate, cfg.Burst), streams: make(chan struct{}, maxStreams), runs: map[string]*run{}}
	if cfg.DB != "" {
		if _, err := os.Stat(cfg.DB); err != nil {
			return nil, fmt.Errorf("web: results database: %w", err)
		}
		st, err := store.Open(cfg.DB)
		if err != nil {
			return nil, err
		}
		s.st = st
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.Handle("GET /static/", http.StripPrefix("/static/", noListing(http.FileServerFS(static))))
	mux.HandleFunc("GET /api/runs", s.listRuns)
	mux.HandleFunc("GET /api/runs/{id}/report", s.runReport)
	mux.HandleFunc("GET /api/runs/{id}/trials", s.runTrials)
	mux.HandleFunc("GET /api/trials/{key}", s.trial)
	mux.HandleFunc("GET /api/trials/{key}/curves", s.trialCurves)
	mux.HandleFunc("GET /api/trials/{key}/artefacts/{name}", s.artefact)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("GET /api/games", s.listGames)
	mux.HandleFunc("GET /api/games/{id}", s.game)
	s.handler = s.guard(mux)
	return s, nil
}

// Handler returns the server's HTTP handler, every guard included.
func (s *Server) Handler() http.Handler { return s.handler }

// Close closes the results database.
func (s *Server) Close() error {
	if s.st == nil {
		return nil
	}
	return s.st.Close()
}

// Serve answers requests on ln until ctx is cancelled, then shuts down
// (open event streams end with ctx). It refuses a listener that is not on
// a loopback address when the server has no token.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.cfg.Token == "" && !Loopback(ln.Addr().String()) {
		return fmt.Errorf("serve: %s is not a loopback address: a token is required", ln.Addr())
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second, // the event stream lifts it for itself
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          s.cfg.Log,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// Loopback reports whether the host of addr (host:port) is a loopback
// address: "localhost" or an IP in 127.0.0.0/8 or ::1. An empty host (every
// interface) and other names are not.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// index serves the page.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	data, err := staticFS.ReadFile("static/index.html")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(data)
}

// noListing refuses folder paths, so the file server lists no folder.
func noListing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// writeJSON sends v as JSON.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(data)
}

// writeHTML sends an HTML fragment.
func writeHTML(w http.ResponseWriter, frag []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(frag)
}

// fail logs err and answers 500 with its text (the server's own data only:
// paths are the user's).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client left
	}
	s.cfg.Log.Printf("web: %s %s: %v", r.Method, r.URL.Path, err)
	http.Error(w, err.Error(), http.StatusInternalServerError)
}
