package dist

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"regexp"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"argmax/lab/store"
)

// DefaultQueue is the name that prefixes the streams, consumers and
// subjects of a queue of trials when none is given.
const DefaultQueue = "argmax"

// DefaultAckWait is how long a worker may go without a sign of life
// before its trial is delivered to another.
const DefaultAckWait = 30 * time.Second

// maxDeliveries is the number of deliveries after which a trial that
// never finished (its workers died running it) is failed instead of
// delivered again.
const maxDeliveries = 5

var queueRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CheckQueue checks a queue name: 1 to 64 letters, digits, '_' or '-'
// ("" stands for DefaultQueue).
func CheckQueue(name string) error {
	_, err := newQueue(name)
	return err
}

// queue names the streams and subjects of one queue of trials.
type queue string

func newQueue(name string) (queue, error) {
	if name == "" {
		name = DefaultQueue
	}
	if !queueRE.MatchString(name) {
		return "", fmt.Errorf("dist: queue name %q: want 1-64 letters, digits, '_' or '-'", name)
	}
	return queue(name), nil
}

func (q queue) trialStream() string             { return string(q) + "_trials" }
func (q queue) resultStream() string            { return string(q) + "_results" }
func (q queue) trialSubject(key string) string  { return string(q) + ".trials." + key }
func (q queue) resultSubject(key string) string { return string(q) + ".results." + key }
func (q queue) heartbeatSubject() string        { return string(q) + ".heartbeat" }

// The durable consumers: the workers share one on the trials, the
// coordinator has one on the results.
const (
	workersConsumer     = "workers"
	coordinatorConsumer = "coordinator"
)

// setup creates or updates the queue's streams and consumers, the
// streams kept on replicas servers of a cluster (0: 1).
func (q queue) setup(ctx context.Context, js jetstream.JetStream, ackWait time.Duration, replicas int) error {
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        q.trialStream(),
		Description: "argmax trials waiting for a worker, by content-addressed key (one message per key)",
		Subjects:    []string{q.trialSubject("*")},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		// A trial already queued is not queued again.
		MaxMsgsPerSubject:    1,
		Discard:              jetstream.DiscardNew,
		DiscardNewPerSubject: true,
	}); err != nil {
		return fmt.Errorf("dist: stream %s: %w", q.trialStream(), err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        q.resultStream(),
		Description: "argmax trial results waiting for the coordinator to store them",
		Subjects:    []string{q.resultSubject("*")},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	}); err != nil {
		return fmt.Errorf("dist: stream %s: %w", q.resultStream(), err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, q.trialStream(), jetstream.ConsumerConfig{
		Durable:       workersConsumer,
		Description:   "argmax workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		MaxAckPending: -1,
	}); err != nil {
		return fmt.Errorf("dist: consumer %s of %s: %w", workersConsumer, q.trialStream(), err)
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, q.resultStream(), jetstream.ConsumerConfig{
		Durable:       coordinatorConsumer,
		Description:   "the argmax coordinator, which stores the results",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       DefaultAckWait,
		MaxAckPending: -1,
	}); err != nil {
		return fmt.Errorf("dist: consumer %s of %s: %w", coordinatorConsumer, q.resultStream(), err)
	}
	return nil
}

// result is what a worker publishes for a trial: its stored form (gob, so
// that NaN and infinite figures survive), who ran it, and how many times
// the trial had been delivered.
type result struct {
	Worker     string
	Deliveries int
	Record     *store.Trial
}

func (r *result) encode() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(r); err != nil {
		return nil, fmt.Errorf("dist: encode result of %s: %w", r.Record.Key, err)
	}
	return b.Bytes(), nil
}

func decodeResult(data []byte) (*result, error) {
	var r result
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&r); err != nil {
		return nil, fmt.Errorf("dist: decode result: %w", err)
	}
	if r.Record == nil || r.Record.Key == "" {
		return nil, fmt.Errorf("dist: result without a trial record")
	}
	return &r, nil
}

// Heartbeat is what a worker says of itself every few seconds.
type Heartbeat struct {
	Worker  string    `json:"worker"` // its id: host, process and a random part
	Slots   int       `json:"slots"`  // trials it runs at once
	Running []Running `json:"running"`
	Done    int       `json:"done"`   // trials finished so far
	Failed  int       `json:"failed"` // of which failed
	Time    time.Time `json:"time"`
}

// Running is a trial a worker is running.
type Running struct {
	Key   string    `json:"key"`
	Trial string    `json:"trial"` // experiment, point and seed index
	Since time.Time `json:"since"`
}
