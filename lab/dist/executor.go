package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"argmax/lab"
)

// Executor is the coordinator's side: a lab.Executor that queues each
// trial on JetStream and hands the workers' results to the runner.
type Executor struct {
	Conn  *nats.Conn
	Queue string // "" means DefaultQueue
	// AckWait is how long a worker may go without a sign of life before
	// its trial is delivered to another (0: DefaultAckWait). Workers
	// signal every third of it while a trial runs.
	AckWait time.Duration
	// Replicas is the number of servers of a cluster that keep the
	// queue's streams (0: 1).
	Replicas int
	Log      *slog.Logger // nil: slog.Default()

	mu      sync.Mutex
	workers map[string]Heartbeat
	stats   Stats
}

// Stats counts what an executor received.
type Stats struct {
	Queued      int // trials published to the queue
	Requeued    int // of which already queued (by an earlier coordinator)
	Results     int // results taken
	Duplicates  int // results of a trial already taken (run twice), dropped
	Unknown     int // results of trials not planned here, dropped
	Redelivered int // taken results whose trial had been delivered more than once
}

// Stats returns the counts so far.
func (e *Executor) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

// heartbeatEvery is how often workers send a heartbeat; a worker not
// heard from for three of them is taken for gone.
const heartbeatEvery = 2 * time.Second

// Workers returns the latest heartbeat of each worker heard from
// recently, by id.
func (e *Executor) Workers() []Heartbeat {
	e.mu.Lock()
	defer e.mu.Unlock()
	var hs []Heartbeat
	for id, h := range e.workers {
		if time.Since(h.Time) > 3*heartbeatEvery {
			delete(e.workers, id)
			continue
		}
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Worker < hs[j].Worker })
	return hs
}

// Status says how many workers are heard from and how many trials they
// run (lab.StatusReporter).
func (e *Executor) Status() string {
	hs := e.Workers()
	running := 0
	for _, h := range hs {
		running += len(h.Running)
	}
	w := "workers"
	if len(hs) == 1 {
		w = "worker"
	}
	return fmt.Sprintf("%d %s, %d running", len(hs), w, running)
}

// Execute implements lab.Executor: it takes every trial from the channel,
// queues those not queued yet, and calls done with each one's result as
// it comes back, until all are done or ctx is cancelled (the trials not
// done are then reported with ctx's error; they stay queued, and a later
// run takes their results).
func (e *Executor) Execute(ctx context.Context, trials <-chan *lab.Trial, done func(*lab.Trial, error)) {
	var order []*lab.Trial
	pending := map[string]*lab.Trial{}
	for t := range trials {
		if _, dup := pending[t.Key]; !dup {
			pending[t.Key] = t
			order = append(order, t)
		}
	}
	if len(order) == 0 {
		return
	}
	var doneMu sync.Mutex
	finish := func(t *lab.Trial, err error) {
		doneMu.Lock()
		defer doneMu.Unlock()
		done(t, err)
	}
	failAll := func(err error) {
		e.mu.Lock()
		left := make([]*lab.Trial, 0, len(pending))
		for _, t := range order {
			if pending[t.Key] != nil {
				left = append(left, t)
				delete(pending, t.Key)
			}
		}
		e.mu.Unlock()
		for _, t := range left {
			finish(t, err)
		}
	}
	if err := e.execute(ctx, order, pending, finish); err != nil {
		e.log().Error("distributed run stopped", "err", err)
		failAll(err)
		return
	}
	failAll(ctx.Err())
}

func (e *Executor) log() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// execute queues the trials and takes their results until none is
// pending or ctx is done.
func (e *Executor) execute(ctx context.Context, order []*lab.Trial, pending map[string]*lab.Trial, finish func(*lab.Trial, error)) error {
	if e.Conn == nil {
		return errors.New("dist: executor has no NATS connection")
	}
	q, err := newQueue(e.Queue)
	if err != nil {
		return err
	}
	ackWait := e.AckWait
	if ackWait <= 0 {
		ackWait = DefaultAckWait
	}
	js, err := jetstream.New(e.Conn)
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	if err := q.setup(ctx, js, ackWait, e.Replicas); err != nil {
		return err
	}
	e.mu.Lock()
	if e.workers == nil {
		e.workers = map[string]Heartbeat{}
	}
	e.mu.Unlock()
	hb, err := e.Conn.Subscribe(q.heartbeatSubject(), func(m *nats.Msg) {
		var h Heartbeat
		if json.Unmarshal(m.Data, &h) == nil && h.Worker != "" {
			h.Time = time.Now() // the coordinator's clock decides who is gone
			e.mu.Lock()
			e.workers[h.Worker] = h
			e.mu.Unlock()
		}
	})
	if err != nil {
		return fmt.Errorf("dist: heartbeats: %w", err)
	}
	defer hb.Unsubscribe()

	planned := make(map[string]bool, len(order))
	for _, t := range order {
		planned[t.Key] = true
	}
	allDone := make(chan struct{})
	var once sync.Once
	cons, err := js.Consumer(ctx, q.resultStream(), coordinatorConsumer)
	if err != nil {
		return fmt.Errorf("dist: results consumer: %w", err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		r, err := decodeResult(m.Data())
		if err != nil {
			e.log().Warn("dropped a malformed result", "subject", m.Subject(), "err", err)
			m.Term()
			return
		}
		key := r.Record.Key
		e.mu.Lock()
		t := pending[key]
		switch {
		case t != nil:
			delete(pending, key)
			e.stats.Results++
			if r.Deliveries > 1 {
				e.stats.Redelivered++
			}
		case planned[key]:
			e.stats.Duplicates++
		default:
			e.stats.Unknown++
		}
		left := len(pending)
		e.mu.Unlock()
		if t != nil {
			finish(t, t.Adopt(r.Record))
		}
		// Acknowledged once stored: a coordinator killed before this
		// gets the result again when it restarts.
		if err := m.Ack(); err != nil {
			e.log().Warn("could not acknowledge a result", "trial", key, "err", err)
		}
		if left == 0 {
			once.Do(func() { close(allDone) })
		}
	}, jetstream.PullMaxMessages(256))
	if err != nil {
		return fmt.Errorf("dist: consume results: %w", err)
	}
	defer func() {
		cc.Drain()
		<-cc.Closed()
	}()
	if err := e.publish(ctx, js, q, order, pending); err != nil {
		return err
	}
	select {
	case <-allDone:
	case <-ctx.Done():
	}
	return nil
}

// publish queues the trials in order that are still pending,
// asynchronously, and waits for the server to confirm each; a trial
// already queued is left as it is, and one whose result came in already
// (from a run before) is not queued again.
func (e *Executor) publish(ctx context.Context, js jetstream.JetStream, q queue, order []*lab.Trial, pending map[string]*lab.Trial) error {
	const window = 1024 // unconfirmed messages at most
	futures := make([]jetstream.PubAckFuture, 0, window)
	settle := func() error {
		for _, f := range futures {
			select {
			case <-f.Ok():
				e.mu.Lock()
				e.stats.Queued++
				e.mu.Unlock()
			case err := <-f.Err():
				if !alreadyQueued(err) {
					return fmt.Errorf("dist: queue trial: %w", err)
				}
				e.mu.Lock()
				e.stats.Queued++
				e.stats.Requeued++
				e.mu.Unlock()
			case <-ctx.Done():
				return nil
			}
		}
		futures = futures[:0]
		return nil
	}
	for _, t := range order {
		e.mu.Lock()
		waiting := pending[t.Key] != nil
		e.mu.Unlock()
		if !waiting {
			continue
		}
		data, err := json.Marshal(t.Ref())
		if err != nil {
			return fmt.Errorf("dist: trial %s: %w", t, err)
		}
		f, err := js.PublishAsync(q.trialSubject(t.Key), data)
		if err != nil {
			return fmt.Errorf("dist: queue trial %s: %w", t, err)
		}
		if futures = append(futures, f); len(futures) == window {
			if err := settle(); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	return settle()
}

// alreadyQueued reports whether a publish failed because the trial's
// subject already holds a message: an earlier coordinator queued it.
func alreadyQueued(err error) bool {
	return err != nil && strings.Contains(err.Error(), "maximum messages per subject exceeded")
}
