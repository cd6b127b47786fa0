package dist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"argmax/lab"
	"argmax/lab/cache"
	"argmax/lab/store"
)

// Worker takes trials from a queue and runs them: the side of `argmax
// worker`, and of the local workers of a single-machine run.
type Worker struct {
	Conn     *nats.Conn
	Queue    string        // "" means DefaultQueue
	Registry *lab.Registry // nil means lab.Default
	// Slots is the number of trials run at once (0: 1).
	Slots int
	// ArtefactDir and Cache are where trials write their artefacts and
	// find shared ones (trained nets); both may be empty or nil (a
	// temporary folder).
	ArtefactDir string
	Cache       *cache.Cache
	ID          string       // "" means host-pid-random
	Log         *slog.Logger // nil: slog.Default()

	mu      sync.Mutex
	running map[string]Running
	done    int
	failed  int
}

// Run takes and runs trials until ctx is cancelled; a trial running then
// is handed back to the queue at once. It waits for a coordinator to set
// the queue up if there is none yet.
func (w *Worker) Run(ctx context.Context) error {
	if w.Conn == nil {
		return errors.New("dist: worker has no NATS connection")
	}
	q, err := newQueue(w.Queue)
	if err != nil {
		return err
	}
	if w.ID == "" {
		w.ID = newID()
	}
	reg := w.Registry
	if reg == nil {
		reg = lab.Default
	}
	js, err := jetstream.New(w.Conn)
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	cons, err := w.waitForQueue(ctx, js, q)
	if err != nil {
		return err
	}
	ackWait := cons.CachedInfo().Config.AckWait
	if ackWait <= 0 {
		ackWait = DefaultAckWait
	}
	w.mu.Lock()
	w.running = map[string]Running{}
	w.mu.Unlock()
	hbCtx, stopHB := context.WithCancel(ctx)
	defer stopHB()
	go w.heartbeats(hbCtx, q)
	slots := max(w.Slots, 1)
	var wg sync.WaitGroup
	for range slots {
		wg.Go(func() {
			for ctx.Err() == nil {
				batch, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
				if err != nil {
					if ctx.Err() == nil {
						w.log().Debug("fetch", "err", err)
						time.Sleep(100 * time.Millisecond)
					}
					continue
				}
				for m := range batch.Messages() {
					w.handle(ctx, js, q, reg, m, ackWait)
				}
			}
		})
	}
	wg.Wait()
	return nil
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}

// waitForQueue returns the workers' consumer, waiting for a coordinator
// to create it.
func (w *Worker) waitForQueue(ctx context.Context, js jetstream.JetStream, q queue) (jetstream.Consumer, error) {
	said := false
	for {
		cons, err := js.Consumer(ctx, q.trialStream(), workersConsumer)
		if err == nil {
			return cons, nil
		}
		if !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			w.log().Warn("waiting for the trial queue", "err", err)
		} else if !said {
			w.log().Debug("waiting for a coordinator to queue trials", "queue", string(q))
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// handle runs the trial of one message and publishes its result.
func (w *Worker) handle(ctx context.Context, js jetstream.JetStream, q queue, reg *lab.Registry, m jetstream.Msg, ackWait time.Duration) {
	deliveries := 1
	if md, err := m.Metadata(); err == nil {
		deliveries = int(md.NumDelivered)
	}
	var ref lab.TrialRef
	if err := json.Unmarshal(m.Data(), &ref); err != nil || ref.Key == "" {
		w.log().Warn("dropped a malformed trial", "subject", m.Subject(), "err", err)
		m.Term()
		return
	}
	var rec *store.Trial
	t, err := reg.Resolve(ref)
	switch {
	case err != nil:
		rec = failedRecord(ref, err)
	case deliveries > maxDeliveries:
		rec = failedRecord(ref, fmt.Errorf("delivered %d times without finishing: its workers died running it", deliveries-1))
	default:
		rec, err = w.run(ctx, t, m, ackWait)
		if err != nil && ctx.Err() != nil {
			m.Nak() // interrupted: another worker takes it now
			return
		}
	}
	data, err := (&result{Worker: w.ID, Deliveries: deliveries, Record: rec}).encode()
	if err != nil {
		rec = failedRecord(ref, err)
		if data, err = (&result{Worker: w.ID, Deliveries: deliveries, Record: rec}).encode(); err != nil {
			w.log().Error("cannot send a result", "trial", ref.Key, "err", err)
			return
		}
	}
	for {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		_, err := js.Publish(pctx, q.resultSubject(ref.Key), data)
		cancel()
		if err == nil {
			break
		}
		w.log().Warn("could not send a result; trying again", "trial", ref.Key, "err", err)
		select {
		case <-ctx.Done():
			return // not acknowledged: the trial is delivered again
		case <-time.After(time.Second):
		}
	}
	w.mu.Lock()
	w.done++
	if rec.Status != store.StatusDone {
		w.failed++
	}
	w.mu.Unlock()
	w.log().Debug("trial finished", "trial", ref.Experiment+" "+ref.Point+" seed#"+fmt.Sprint(ref.SeedIndex), "status", rec.Status,
		"seconds", rec.Finished.Sub(rec.Started).Seconds(), "deliveries", deliveries)
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := m.DoubleAck(actx); err != nil {
		// The result is out; if the trial is delivered again its second
		// result is dropped by the coordinator.
		w.log().Debug("could not acknowledge a trial", "trial", ref.Key, "err", err)
	}
}

// run runs t, telling the server every third of the ack deadline that it
// is still at work.
func (w *Worker) run(ctx context.Context, t *lab.Trial, m jetstream.Msg, ackWait time.Duration) (*store.Trial, error) {
	w.mu.Lock()
	w.running[t.Key] = Running{Key: t.Key, Trial: t.String(), Since: time.Now()}
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.running, t.Key)
		w.mu.Unlock()
	}()
	defer keepAlive(m, ackWait)()
	return lab.RunTrial(ctx, t, w.ArtefactDir, w.Cache)
}

// keepAlive tells the server every third of ackWait that m's work goes
// on, until the returned function is called.
func keepAlive(m jetstream.Msg, ackWait time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(max(ackWait/3, 10*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				m.InProgress()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// heartbeats publishes the worker's heartbeat until ctx is done.
func (w *Worker) heartbeats(ctx context.Context, q queue) {
	tick := time.NewTicker(heartbeatEvery)
	defer tick.Stop()
	for {
		w.mu.Lock()
		h := Heartbeat{Worker: w.ID, Slots: max(w.Slots, 1), Done: w.done, Failed: w.failed, Time: time.Now()}
		for _, r := range w.running {
			h.Running = append(h.Running, r)
		}
		w.mu.Unlock()
		if data, err := json.Marshal(h); err == nil {
			w.Conn.Publish(q.heartbeatSubject(), data)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// failedRecord is the stored form of a trial that could not run here.
func failedRecord(ref lab.TrialRef, err error) *store.Trial {
	now := time.Now()
	return &store.Trial{Key: ref.Key, Experiment: ref.Experiment, Point: ref.Point, SeedIndex: ref.SeedIndex,
		SpecSeed: ref.SpecSeed, Scale: string(ref.Scale), Status: store.StatusFailed, Error: err.Error(), Started: now, Finished: now}
}

// newID returns host-pid-random, unique among workers.
func newID() string {
	host, _ := os.Hostname()
	var b [3]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
