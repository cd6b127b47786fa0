package dist

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"argmax/lab"
	"argmax/lab/cache"
)

// LocalConfig sets up a single machine's cluster: an embedded server and
// workers in this process.
type LocalConfig struct {
	Dir         string        // the embedded server's folder (the output folder's state/nats)
	Slots       int           // trials run at once by the local workers (0: 1)
	Registry    *lab.Registry // nil means lab.Default
	ArtefactDir string
	CacheDir    string // shared artefacts; "" for a temporary folder
	AckWait     time.Duration
	Log         *slog.Logger
}

// Local is an embedded server with its coordinator's executor and local
// workers: what `argmax run` and `argmax table` use by default. Other
// processes on this machine may join it as workers at Server.URL().
type Local struct {
	Server   *Server
	Executor *Executor

	conns  []*nats.Conn
	cancel context.CancelFunc
	wg     sync.WaitGroup
	errs   []error
}

// StartLocal starts the server and the workers.
func StartLocal(ctx context.Context, cfg LocalConfig) (*Local, error) {
	srv, err := StartServer(ServerConfig{Dir: cfg.Dir})
	if err != nil {
		return nil, err
	}
	l := &Local{Server: srv}
	ec, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	wc, err := srv.Connect()
	if err != nil {
		ec.Close()
		srv.Shutdown()
		return nil, err
	}
	l.conns = []*nats.Conn{ec, wc}
	l.Executor = &Executor{Conn: ec, AckWait: cfg.AckWait, Log: cfg.Log}
	var c *cache.Cache
	if cfg.CacheDir != "" {
		if c, err = cache.New(cfg.CacheDir); err != nil {
			l.Close()
			return nil, fmt.Errorf("dist: local workers: %w", err)
		}
	}
	// The executor sets the queue up; the workers wait for it.
	w := &Worker{Conn: wc, Registry: cfg.Registry, Slots: cfg.Slots, ArtefactDir: cfg.ArtefactDir, Cache: c, Log: cfg.Log}
	wctx, cancel := context.WithCancel(ctx)
	l.cancel = cancel
	l.wg.Go(func() {
		if err := w.Run(wctx); err != nil && !errors.Is(err, context.Canceled) {
			l.errs = append(l.errs, err)
		}
	})
	return l, nil
}

// Close stops the workers (a trial they run is handed back to the queue),
// the connections and the server.
func (l *Local) Close() error {
	if l.cancel != nil {
		l.cancel()
	}
	l.wg.Wait()
	for _, c := range l.conns {
		c.Close()
	}
	l.Server.Shutdown()
	return errors.Join(l.errs...)
}
