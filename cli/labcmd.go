package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab"
	"argmax/lab/cache"
	"argmax/lab/dist"
	"argmax/lab/store"
)

// labFlags are the flags shared by the commands that run experiments.
type labFlags struct {
	scale    string
	seed     int64
	out      string
	db       string
	workers  int
	fresh    bool
	nats     string
	queue    string
	replicas int
}

func (f *labFlags) add(cmd *cobra.Command, defaultOut string) {
	cmd.Flags().StringVar(&f.scale, "scale", "", "quick (minutes) or full (research scale); default: the spec's")
	cmd.Flags().Int64Var(&f.seed, "seed", -1, "spec seed every trial seed derives from; default: the spec's")
	cmd.Flags().StringVar(&f.out, "out", defaultOut, "folder for the report (index.html)")
	cmd.Flags().StringVar(&f.db, "db", "", "results database (default <out>/results.db); finished trials in it are not run again")
	cmd.Flags().IntVar(&f.workers, "workers", 0, "trials run in parallel (0: one per core)")
	cmd.Flags().BoolVar(&f.fresh, "fresh", false, "delete the results database first and run every trial again")
	cmd.Flags().StringVar(&f.nats, "nats", "", "NATS server or cluster to send the trials to (nats://host:4222; argmax worker processes take them); default: an embedded server with local workers; off: no NATS, trials run in this process")
	cmd.Flags().StringVar(&f.queue, "queue", dist.DefaultQueue, "name of the trial queue on the NATS server (runs sharing a server need different names)")
	cmd.Flags().IntVar(&f.replicas, "replicas", 1, "with --nats, the servers of the cluster that keep the queue's streams (at most the cluster's size)")
}

// apply overrides the spec's scale and seed with the flags that were given.
func (f *labFlags) apply(spec *lab.Spec) error {
	if f.scale != "" {
		s, err := lab.ParseScale(f.scale)
		if err != nil {
			return fmt.Errorf("--scale: %w", err)
		}
		spec.Scale = s
	}
	if f.seed >= 0 {
		spec.Seed = uint64(f.seed)
	} else if f.seed != -1 {
		return fmt.Errorf("--seed %d: want a seed >= 0", f.seed)
	}
	if f.workers < 0 {
		return fmt.Errorf("--workers %d: want 0 (one per core) or more", f.workers)
	}
	if err := dist.CheckQueue(f.queue); err != nil {
		return fmt.Errorf("--queue: %w", err)
	}
	if f.replicas < 1 || f.replicas > 5 {
		return fmt.Errorf("--replicas %d: want 1 to 5 (JetStream's limit)", f.replicas)
	}
	return nil
}

// executor returns the executor of a run whose output folder is dir and
// a function that releases it: an embedded NATS server with local workers
// by default, the cluster of --nats (with --workers local workers if that
// flag is given), or none with --nats off (the runner's in-process one).
func (f *labFlags) executor(ctx context.Context, cmd *cobra.Command, dir string, log *slog.Logger) (lab.Executor, func(), error) {
	slots := f.workers
	if slots == 0 {
		slots = runtime.NumCPU()
	}
	artefacts, cacheDir := filepath.Join(dir, "artefacts"), filepath.Join(dir, "cache")
	switch f.nats {
	case "off":
		return nil, func() {}, nil
	case "":
		state := filepath.Join(dir, "state", "nats")
		if f.fresh {
			// Trials queued and results left by earlier runs go too.
			if err := os.RemoveAll(state); err != nil {
				return nil, nil, fmt.Errorf("--fresh: %w", err)
			}
		}
		l, err := dist.StartLocal(ctx, dist.LocalConfig{Dir: state, Slots: slots,
			ArtefactDir: artefacts, CacheDir: cacheDir, Log: log})
		if err != nil {
			return nil, nil, fmt.Errorf("embedded NATS server (or run with --nats off): %w", err)
		}
		log.Info("embedded NATS server", "url", l.Server.URL(), "join with", "argmax worker --nats "+l.Server.URL())
		return l.Executor, func() {
			if err := l.Close(); err != nil {
				log.Warn("local workers", "err", err)
			}
		}, nil
	}
	nc, err := dist.Dial(f.nats, "argmax coordinator")
	if err != nil {
		return nil, nil, fmt.Errorf("--nats: %w", err)
	}
	exec := &dist.Executor{Conn: nc, Queue: f.queue, Replicas: f.replicas, Log: log}
	if !cmd.Flags().Changed("workers") {
		return exec, nc.Close, nil
	}
	c, err := cache.New(cacheDir)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	w := &dist.Worker{Conn: nc, Queue: f.queue, Slots: slots, ArtefactDir: artefacts, Cache: c, Log: log}
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(wctx) })
	return exec, func() {
		cancel()
		wg.Wait()
		nc.Close()
	}, nil
}

func (f *labFlags) dbPath() string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(f.out, "results.db")
}

// openStore opens the results database, first deleting it with --fresh
// (which refuses while another run writes to it).
func (f *labFlags) openStore() (*store.Store, error) {
	p := f.dbPath()
	if f.fresh {
		if err := store.Remove(p); err != nil {
			return nil, fmt.Errorf("--fresh: %w", err)
		}
	}
	return store.Open(p)
}

// exitCode is the status a run stopped by sig exits with: 128 plus the
// signal's number, as shells report it (130 for Ctrl-C, 143 for SIGTERM).
func exitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130 // os.Interrupt where it is not a syscall.Signal
}

// notifyStop returns a context cancelled at the first SIGINT or SIGTERM,
// and a function returning the signal that cancelled it (nil if none).
// After the first signal the default handling is restored, so a second
// Ctrl-C kills at once. stop releases the signals.
func notifyStop(parent context.Context) (ctx context.Context, got func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var which os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			mu.Lock()
			which = s
			mu.Unlock()
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			cancel()
		case <-done:
		}
	}()
	got = func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return which
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel()
		})
	}
	return ctx, got, stop
}

// runSpec runs a spec's trials (a lab.Session: the one orchestration of
// table, run and the dashboard) with a progress display on stderr, and
// returns the results of every planned trial that is done; Ctrl-C
// or SIGTERM stops cleanly, keeping the finished trials, and exits with
// 130 or 143.
func runSpec(cmd *cobra.Command, f *labFlags, st *store.Store, spec *lab.Spec) (lab.Summary, *lab.Results, error) {
	ctx, signalled, stop := notifyStop(cmd.Context())
	defer stop()
	errw := cmd.ErrOrStderr()
	tty := false
	if ef, ok := errw.(*os.File); ok {
		tty = lab.IsTerminal(ef)
	}
	log := slog.New(slog.NewTextHandler(errw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if tty {
		// On a terminal the bar shows progress; only warnings and errors are logged.
		log = slog.New(slog.NewTextHandler(errw, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	dir := filepath.Dir(st.Path())
	// One run per database: the embedded server's files sit beside it.
	if err := st.Lock(); err != nil {
		return lab.Summary{}, nil, err
	}
	exec, release, err := f.executor(ctx, cmd, dir, log)
	if err != nil {
		return lab.Summary{}, nil, err
	}
	var once sync.Once
	defer once.Do(release)
	s := &lab.Session{Spec: spec, Runner: lab.Runner{
		Store:       st,
		Executor:    exec,
		Workers:     f.workers,
		Log:         log,
		Progress:    errw,
		TTY:         tty,
		ArtefactDir: filepath.Join(dir, "artefacts"),
		CacheDir:    filepath.Join(dir, "cache"),
	}}
	start := time.Now()
	sum, res, err := s.Run(ctx)
	if errors.Is(err, lab.ErrInterrupted) {
		fmt.Fprintf(errw, "argmax: interrupted after %s: %d of %d trials are stored in %s; run the same command again to finish the %d left\n",
			time.Since(start).Round(time.Second), sum.Skipped+sum.Ran, sum.Planned, st.Path(), sum.Planned-sum.Skipped-sum.Ran)
		once.Do(release)
		st.Close()
		code := 130
		if sig := signalled(); sig != nil {
			code = exitCode(sig)
		}
		os.Exit(code)
	}
	if res == nil && err == nil {
		return sum, nil, errors.New("no results")
	}
	return sum, res, err
}
