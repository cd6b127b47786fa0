package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"argmax/lab/cache"
	"argmax/lab/store"
)

// Store is what a Runner needs of a results store; *store.Store (SQLite)
// is the one argmax ships, and a distributed coordinator or a dashboard
// can stand another behind it.
type Store interface {
	AddRun(ctx context.Context, r store.Run) (int64, error)
	SetExperiment(ctx context.Context, name, doc string) error
	DoneKeys(ctx context.Context, keys []string) (map[string]bool, error)
	SaveTrial(ctx context.Context, t *store.Trial) error
	Trials(ctx context.Context, f store.Filter) ([]*store.Trial, error)
}

// Executor runs trials. Execute runs each trial it takes from the channel
// and calls done once per trial with Run's error, from any goroutine but
// never concurrently; it returns when the channel is closed and every
// taken trial is done. A trial interrupted by ctx is reported with an error
// for which ctx.Err() is set; the runner then does not store it.
type Executor interface {
	Execute(ctx context.Context, trials <-chan *Trial, done func(*Trial, error))
}

// StatusReporter is an Executor that can say how its workers stand — how
// many there are, what they run — in a few words; the runner's progress
// display shows it beside the trial counts (lab/dist's executor does).
type StatusReporter interface {
	Status() string
}

// Local is the in-process Executor: Workers trials at a time (0 means one
// per core), panics turned into errors.
type Local struct{ Workers int }

// Execute implements Executor.
func (l Local) Execute(ctx context.Context, trials <-chan *Trial, done func(*Trial, error)) {
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for t := range trials {
				err := runOne(ctx, t)
				mu.Lock()
				done(t, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// Runner runs trials through an Executor and stores each finished one.
// Trials already done in the store are skipped, so running an interrupted
// spec again finishes only what is left.
type Runner struct {
	Store       Store
	Executor    Executor     // nil means Local{Workers}
	Workers     int          // parallel trials of the default executor; 0 means one per core
	Log         *slog.Logger // nil means slog.Default()
	Progress    io.Writer    // where progress goes; nil for none
	TTY         bool         // draw a progress bar (a terminal) instead of log lines
	ArtefactDir string       // root of the trials' artefact directories
	CacheDir    string       // shared artefacts (trained nets, labelled data); "" means ArtefactDir/../cache or a temporary folder
}

// Summary is what a run did.
type Summary struct {
	Planned     int           // trials in the plan
	Skipped     int           // already done in the store
	Ran         int           // finished and stored by this run
	Failed      int           // returned an error (stored as failed, retried next run)
	Interrupted bool          // the context was cancelled before the end
	Elapsed     time.Duration // wall-clock time of the run
}

// ErrInterrupted is returned by Run when its context was cancelled; the
// trials finished before are stored, and a rerun resumes.
var ErrInterrupted = errors.New("interrupted: finished trials are stored; run again to resume")

// RunSpec plans spec and runs its trials, recording the run in the store.
func (r *Runner) RunSpec(ctx context.Context, spec *Spec) (Summary, error) {
	trials := spec.Plan()
	if _, err := r.Store.AddRun(ctx, store.Run{Name: spec.Name, Spec: string(spec.Source), Seed: spec.Seed, Scale: string(spec.Scale), Trials: len(trials)}); err != nil {
		return Summary{}, err
	}
	workers := r.Workers
	if workers == 0 {
		workers = spec.Workers
	}
	rr := *r
	rr.Workers = workers
	return rr.Run(ctx, trials)
}

// Run runs the trials that are not yet done in the store, Workers at a
// time, and stores each as it finishes. It returns ErrInterrupted if ctx was
// cancelled, or an error naming the failed trials if any failed.
func (r *Runner) Run(ctx context.Context, trials []*Trial) (Summary, error) {
	start := time.Now()
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	sum := Summary{Planned: len(trials)}
	keys := make([]string, len(trials))
	cacheDir := r.CacheDir
	if cacheDir == "" && r.ArtefactDir != "" {
		cacheDir = filepath.Join(filepath.Dir(r.ArtefactDir), "cache")
	}
	if cacheDir == "" {
		cacheDir = filepath.Join(os.TempDir(), "argmax-cache")
	}
	c, err := cache.New(cacheDir)
	if err != nil {
		return sum, err
	}
	for i, t := range trials {
		if t.exp == nil {
			return sum, fmt.Errorf("lab: trial %s was not made by NewTrial", t)
		}
		keys[i] = t.Key
		t.dir = r.ArtefactDir
		t.cache = c
	}
	done, err := r.Store.DoneKeys(ctx, keys)
	if err != nil {
		return sum, err
	}
	var todo []*Trial
	docs := map[string]string{}
	for _, t := range trials {
		docs[t.exp.Name] = t.exp.Doc
		if done[t.Key] {
			sum.Skipped++
		} else {
			todo = append(todo, t)
		}
	}
	for name, doc := range docs {
		if err := r.Store.SetExperiment(ctx, name, doc); err != nil {
			return sum, fmt.Errorf("store: %w", err)
		}
	}
	exec := r.Executor
	if exec == nil {
		workers := r.Workers
		if workers <= 0 {
			workers = runtime.NumCPU()
		}
		exec = Local{Workers: min(workers, max(1, len(todo)))}
	}
	prog := newProgress(r.Progress, r.TTY, log, len(trials), sum.Skipped)
	if sr, ok := exec.(StatusReporter); ok {
		prog.status = sr.Status
	}
	if len(todo) > 0 {
		log.Info("running trials", "planned", len(trials), "done_before", sum.Skipped, "to_run", len(todo))
	}

	var (
		mu       sync.Mutex
		firstErr error
		storeErr error
	)
	jobs := make(chan *Trial)
	finished := func(t *Trial, err error) {
		if err != nil && ctx.Err() != nil {
			return // interrupted: not stored, rerun later
		}
		rec := t.record(t.began, err)
		// A finished trial is stored even if the run is being
		// interrupted, so its work is not lost.
		serr := r.Store.SaveTrial(context.WithoutCancel(ctx), rec)
		mu.Lock()
		defer mu.Unlock()
		if serr != nil && storeErr == nil {
			storeErr = serr
		}
		if err != nil {
			sum.Failed++
			if firstErr == nil {
				firstErr = fmt.Errorf("trial %s: %w", t, err)
			}
			log.Error("trial failed", "trial", t.String(), "err", err)
		} else if serr == nil {
			sum.Ran++
		}
		prog.step(t, err)
	}
	var wg sync.WaitGroup
	executed := make(chan struct{})
	wg.Go(func() {
		defer close(executed)
		exec.Execute(ctx, jobs, finished)
	})
	if prog.status != nil {
		wg.Go(func() {
			every := 30 * time.Second
			if r.TTY {
				every = time.Second
			}
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				select {
				case <-executed:
					return
				case <-tick.C:
					mu.Lock()
					prog.tick()
					mu.Unlock()
				}
			}
		})
	}
dispatch:
	for _, t := range todo {
		select {
		case jobs <- t:
		case <-ctx.Done():
			break dispatch
		}
		mu.Lock()
		failedStore := storeErr != nil
		mu.Unlock()
		if failedStore {
			break
		}
	}
	close(jobs)
	wg.Wait()
	prog.finish()
	sum.Elapsed = time.Since(start)
	switch {
	case storeErr != nil:
		return sum, storeErr
	case ctx.Err() != nil && sum.Skipped+sum.Ran+sum.Failed < sum.Planned:
		sum.Interrupted = true
		return sum, ErrInterrupted
	case firstErr != nil:
		return sum, fmt.Errorf("%d of %d trials failed; first: %w", sum.Failed, sum.Planned, firstErr)
	}
	return sum, nil
}

// runOne runs a trial, turning a panic into an error.
func runOne(ctx context.Context, t *Trial) (err error) {
	t.began = time.Now()
	defer func() {
		if p := recover(); p != nil {
			stack := strings.Split(string(debug.Stack()), "\n")
			if len(stack) > 16 {
				stack = stack[:16]
			}
			err = fmt.Errorf("panic: %v\n%s", p, strings.Join(stack, "\n"))
		}
	}()
	if err := t.exp.Run(ctx, t); err != nil {
		if perr := t.ParamErr(); perr != nil {
			return perr
		}
		return err
	}
	return t.ParamErr()
}

// record converts a finished trial to its stored form.
func (t *Trial) record(began time.Time, err error) *store.Trial {
	rec := &store.Trial{
		Key:        t.Key,
		Experiment: t.Experiment,
		Point:      t.Params.Canonical(),
		SeedIndex:  t.SeedIndex,
		Seed:       t.Seed,
		SpecSeed:   t.SpecSeed,
		Scale:      string(t.Scale),
		Status:     store.StatusDone,
		Started:    began,
		Finished:   t.finishedAt(),
	}
	if err != nil {
		rec.Status = store.StatusFailed
		rec.Error = err.Error()
	}
	for _, m := range t.Metrics() {
		rec.Metrics = append(rec.Metrics, store.Metric{Name: m.Name, Decider: m.Decider, Role: string(m.Role), Step: m.Step, Value: m.Value, Timing: m.Timing})
	}
	for _, a := range t.Artefacts() {
		rec.Artefacts = append(rec.Artefacts, store.Artefact{Name: a.Name, Path: a.Path})
	}
	return rec
}
