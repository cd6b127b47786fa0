package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab"
	"argmax/lab/store"
)

// labFlags are the flags shared by the commands that run experiments.
type labFlags struct {
	scale   string
	seed    int64
	out     string
	db      string
	workers int
	fresh   bool
}

func (f *labFlags) add(cmd *cobra.Command, defaultOut string) {
	cmd.Flags().StringVar(&f.scale, "scale", "", "quick (minutes) or full (research scale); default: the spec's")
	cmd.Flags().Int64Var(&f.seed, "seed", -1, "spec seed every trial seed derives from; default: the spec's")
	cmd.Flags().StringVar(&f.out, "out", defaultOut, "folder for the report (index.html)")
	cmd.Flags().StringVar(&f.db, "db", "", "results database (default <out>/results.db); finished trials in it are not run again")
	cmd.Flags().IntVar(&f.workers, "workers", 0, "trials run in parallel (0: one per core)")
	cmd.Flags().BoolVar(&f.fresh, "fresh", false, "delete the results database first and run every trial again")
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
	return nil
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
	s := &lab.Session{Spec: spec, Runner: lab.Runner{
		Store:       st,
		Workers:     f.workers,
		Log:         log,
		Progress:    errw,
		TTY:         tty,
		ArtefactDir: filepath.Join(filepath.Dir(st.Path()), "artefacts"),
		CacheDir:    filepath.Join(filepath.Dir(st.Path()), "cache"),
	}}
	start := time.Now()
	sum, res, err := s.Run(ctx)
	if errors.Is(err, lab.ErrInterrupted) {
		fmt.Fprintf(errw, "argmax: interrupted after %s: %d of %d trials are stored in %s; run the same command again to finish the %d left\n",
			time.Since(start).Round(time.Second), sum.Skipped+sum.Ran, sum.Planned, st.Path(), sum.Planned-sum.Skipped-sum.Ran)
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
