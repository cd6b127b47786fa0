package dist

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/hybrid/alphazero"
	"argmax/lab/bots"
)

// Distributed self-play: the learner (SelfPlay, the Play hook of
// alphazero.Train) puts each iteration's net in a JetStream object store
// and queues the iteration's games as jobs of Chunk games; actors (Actor,
// `argmax worker --selfplay`) take a job, fetch that net, play its games
// with alphazero.SelfPlay and publish the records to a stream the learner
// consumes. A job's games depend on the net, the play settings and the
// job's seed alone, so a run gives the same games, and the same nets, with
// any number of actors; a job whose actor dies is delivered again.

func (q queue) jobStream() string            { return string(q) + "_selfplay_jobs" }
func (q queue) gameStream() string           { return string(q) + "_selfplay_games" }
func (q queue) jobSubject(id string) string  { return string(q) + ".selfplay.jobs." + id }
func (q queue) gameSubject(id string) string { return string(q) + ".selfplay.games." + id }
func (q queue) weightsBucket() string        { return string(q) + "_weights" }

const (
	actorsConsumer  = "actors"
	learnerConsumer = "learner"
)

// setupSelfPlay creates or updates the streams, consumers and the
// object store of distributed self-play, kept on replicas servers (0: 1).
func (q queue) setupSelfPlay(ctx context.Context, js jetstream.JetStream, replicas int) (jetstream.ObjectStore, error) {
	for _, sc := range []jetstream.StreamConfig{
		{Name: q.jobStream(), Description: "argmax self-play jobs waiting for an actor", Subjects: []string{q.jobSubject("*")},
			Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Replicas: replicas,
			MaxMsgsPerSubject: 1, Discard: jetstream.DiscardNew, DiscardNewPerSubject: true},
		{Name: q.gameStream(), Description: "argmax self-play games waiting for the learner", Subjects: []string{q.gameSubject("*")},
			Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Replicas: replicas},
	} {
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return nil, fmt.Errorf("dist: stream %s: %w", sc.Name, err)
		}
	}
	for _, c := range []struct {
		stream string
		cfg    jetstream.ConsumerConfig
	}{
		{q.jobStream(), jetstream.ConsumerConfig{Durable: actorsConsumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: DefaultAckWait, MaxAckPending: -1}},
		{q.gameStream(), jetstream.ConsumerConfig{Durable: learnerConsumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: DefaultAckWait, MaxAckPending: -1}},
	} {
		if _, err := js.CreateOrUpdateConsumer(ctx, c.stream, c.cfg); err != nil {
			return nil, fmt.Errorf("dist: consumer %s of %s: %w", c.cfg.Durable, c.stream, err)
		}
	}
	obj, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: q.weightsBucket(),
		Description: "argmax nets for self-play actors", Storage: jetstream.FileStorage, Replicas: replicas})
	if err != nil {
		return nil, fmt.Errorf("dist: object store %s: %w", q.weightsBucket(), err)
	}
	return obj, nil
}

// job is one chunk of an iteration's games.
type job struct {
	ID      string               `json:"id"`      // iteration id and chunk
	Weights string               `json:"weights"` // object name of the net
	Game    string               `json:"game"`
	Play    alphazero.PlayConfig `json:"play"`
	Games   int                  `json:"games"`
	Seed    uint64               `json:"seed"`
}

// played is what an actor publishes for a job.
type played struct {
	ID      string
	Actor   string
	Games   []gameRecord
	Stats   alphazero.PlayStats
	Elapsed time.Duration
}

// gameRecord is alphazero.Record with positions as notation.
type gameRecord struct {
	Positions []string
	Policies  [][]float32
	Values    []float32
	Plies     int
	Outcome   game.Outcome
}

func encodeRecords(recs []alphazero.Record) []gameRecord {
	out := make([]gameRecord, len(recs))
	for i, r := range recs {
		g := gameRecord{Plies: r.Plies, Outcome: r.Outcome}
		for _, s := range r.Samples {
			g.Positions = append(g.Positions, s.State.String())
			g.Policies = append(g.Policies, s.Policy)
			g.Values = append(g.Values, s.Value)
		}
		out[i] = g
	}
	return out
}

func decodeRecords(g game.Game, in []gameRecord) ([]alphazero.Record, error) {
	out := make([]alphazero.Record, len(in))
	for i, r := range in {
		if len(r.Policies) != len(r.Positions) || len(r.Values) != len(r.Positions) {
			return nil, fmt.Errorf("dist: game %d: %d positions, %d policies, %d values", i, len(r.Positions), len(r.Policies), len(r.Values))
		}
		rec := alphazero.Record{Plies: r.Plies, Outcome: r.Outcome}
		for j, p := range r.Positions {
			s, err := g.Parse(p)
			if err != nil {
				return nil, fmt.Errorf("dist: game %d, position %d: %w", i, j, err)
			}
			rec.Samples = append(rec.Samples, supervised.Sample{State: s, Policy: r.Policies[j], Value: r.Values[j]})
		}
		out[i] = rec
	}
	return out, nil
}

// SelfPlay is the learner's side of distributed self-play. Its Play
// method is an alphazero.Hooks.SelfPlay.
type SelfPlay struct {
	Conn  *nats.Conn
	Queue string // "" means DefaultQueue
	// Chunk is the number of games in a job (0: the play config's
	// Parallel, the games one actor plays at once). The games depend on
	// it, not on the number of actors.
	Chunk int
	// Replicas is the number of servers of a cluster that keep the
	// streams and the nets (0: 1).
	Replicas int
	Log      *slog.Logger // nil: slog.Default()

	js   jetstream.JetStream   // set up on the first Play
	obj  jetstream.ObjectStore // the nets
	kept []string              // the nets put, oldest first
}

// keepWeights is the number of nets kept in the object store.
const keepWeights = 3

// Play queues the games of one iteration as jobs for actors and returns
// their records in order (alphazero.SelfPlay's contract).
func (s *SelfPlay) Play(ctx context.Context, g game.Game, net *supervised.Policy, cfg alphazero.PlayConfig, games int, seed uint64) ([]alphazero.Record, alphazero.PlayStats, error) {
	var st alphazero.PlayStats
	if s.Conn == nil {
		return nil, st, errors.New("dist: self-play has no NATS connection")
	}
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	q, err := newQueue(s.Queue)
	if err != nil {
		return nil, st, err
	}
	if s.js == nil {
		js, err := jetstream.New(s.Conn)
		if err != nil {
			return nil, st, fmt.Errorf("dist: %w", err)
		}
		if s.obj, err = q.setupSelfPlay(ctx, js, s.Replicas); err != nil {
			return nil, st, err
		}
		s.js = js
	}
	js, obj := s.js, s.obj
	weights, err := putNet(ctx, obj, net, fmt.Sprintf("net-%016x", seed))
	if err != nil {
		return nil, st, err
	}
	if s.kept = append(s.kept, weights); len(s.kept) > keepWeights {
		obj.Delete(ctx, s.kept[0])
		s.kept = s.kept[1:]
	}
	chunk := s.Chunk
	if chunk <= 0 {
		chunk = max(cfg.Parallel, 1)
	}
	var ids []string
	for c := 0; c*chunk < games; c++ {
		j := job{ID: fmt.Sprintf("%016x-%d", seed, c), Weights: weights, Game: g.Name(), Play: cfg,
			Games: min(chunk, games-c*chunk), Seed: seed ^ uint64(c+1)*0xbf58476d1ce4e5b9}
		data, err := json.Marshal(j)
		if err != nil {
			return nil, st, err
		}
		if _, err := js.Publish(ctx, q.jobSubject(j.ID), data); err != nil && !alreadyQueued(err) {
			return nil, st, fmt.Errorf("dist: queue self-play job %s: %w", j.ID, err)
		}
		ids = append(ids, j.ID)
	}
	cons, err := js.Consumer(ctx, q.gameStream(), learnerConsumer)
	if err != nil {
		return nil, st, fmt.Errorf("dist: games consumer: %w", err)
	}
	got := map[string]*played{}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	quiet := time.Now()
	for len(got) < len(ids) {
		if err := ctx.Err(); err != nil {
			return nil, st, err
		}
		batch, err := cons.Fetch(len(ids)-len(got), jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return nil, st, fmt.Errorf("dist: fetch games: %w", err)
		}
		for m := range batch.Messages() {
			var p played
			if err := gob.NewDecoder(bytes.NewReader(m.Data())).Decode(&p); err != nil {
				log.Warn("dropped malformed self-play games", "subject", m.Subject(), "err", err)
				m.Term()
				continue
			}
			if want[p.ID] && got[p.ID] == nil {
				got[p.ID] = &p
				quiet = time.Now()
			}
			m.Ack() // a stale job's games (of an earlier run) are dropped
		}
		if time.Since(quiet) > 15*time.Second {
			log.Warn("waiting for self-play actors (start them with: argmax worker --selfplay --nats URL)", "jobs", len(ids), "done", len(got))
			quiet = time.Now()
		}
	}
	var recs []alphazero.Record
	for _, id := range ids {
		p := got[id]
		rs, err := decodeRecords(g, p.Games)
		if err != nil {
			return nil, st, err
		}
		recs = append(recs, rs...)
		st.Games += p.Stats.Games
		st.Plies += p.Stats.Plies
		st.Samples += p.Stats.Samples
		st.Search = st.Search.Add(p.Stats.Search)
		st.Batch.Rounds += p.Stats.Batch.Rounds
		st.Batch.Positions += p.Stats.Batch.Positions
		st.Batch.Hits += p.Stats.Batch.Hits
		st.Batch.Cost = st.Batch.Cost.Add(p.Stats.Batch.Cost)
		st.Batch.Time += p.Stats.Batch.Time
	}
	return recs, st, nil
}

// putNet puts net's checkpoint in the object store under name.
func putNet(ctx context.Context, obj jetstream.ObjectStore, net *supervised.Policy, name string) (string, error) {
	dir, err := os.MkdirTemp("", "argmax-net-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "net.safetensors")
	if err := net.Save(path); err != nil {
		return "", err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if _, err := obj.PutBytes(ctx, name, b); err != nil {
		return "", fmt.Errorf("dist: put net %s: %w", name, err)
	}
	return name, nil
}

// Actor plays self-play jobs: the side of `argmax worker --selfplay`.
type Actor struct {
	Conn  *nats.Conn
	Queue string       // "" means DefaultQueue
	ID    string       // "" means host-pid-random
	Log   *slog.Logger // nil: slog.Default()

	name string // the net loaded
	net  *supervised.Policy
}

// Run plays jobs until ctx is cancelled (a job being played is handed
// back at once).
func (a *Actor) Run(ctx context.Context) error {
	if a.Conn == nil {
		return errors.New("dist: actor has no NATS connection")
	}
	q, err := newQueue(a.Queue)
	if err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = newID()
	}
	log := a.Log
	if log == nil {
		log = slog.Default()
	}
	js, err := jetstream.New(a.Conn)
	if err != nil {
		return fmt.Errorf("dist: %w", err)
	}
	obj, cons, err := a.waitForLearner(ctx, js, q, log)
	if err != nil {
		return err
	}
	for ctx.Err() == nil {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() == nil {
				time.Sleep(100 * time.Millisecond)
			}
			continue
		}
		for m := range batch.Messages() {
			if err := a.play(ctx, js, obj, q, m, log); err != nil {
				if ctx.Err() != nil {
					m.Nak()
					return nil
				}
				log.Error("self-play job failed", "subject", m.Subject(), "err", err)
				m.Nak()
			}
		}
	}
	return nil
}

// waitForLearner returns the nets' object store and the jobs' consumer,
// waiting for a learner to create them.
func (a *Actor) waitForLearner(ctx context.Context, js jetstream.JetStream, q queue, log *slog.Logger) (jetstream.ObjectStore, jetstream.Consumer, error) {
	said := false
	for {
		obj, err := js.ObjectStore(ctx, q.weightsBucket())
		if err == nil {
			var cons jetstream.Consumer
			if cons, err = js.Consumer(ctx, q.jobStream(), actorsConsumer); err == nil {
				return obj, cons, nil
			}
		}
		if !said {
			log.Info("waiting for a learner to queue self-play jobs", "queue", string(q), "err", err)
			said = true
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// play plays one job and publishes its games.
func (a *Actor) play(ctx context.Context, js jetstream.JetStream, obj jetstream.ObjectStore, q queue, m jetstream.Msg, log *slog.Logger) error {
	var j job
	if err := json.Unmarshal(m.Data(), &j); err != nil || j.ID == "" {
		m.Term()
		return fmt.Errorf("malformed job: %v", err)
	}
	g, err := bots.Game(j.Game)
	if err != nil {
		m.Term()
		return err
	}
	if a.name != j.Weights {
		b, err := obj.GetBytes(ctx, j.Weights)
		if err != nil {
			if errors.Is(err, jetstream.ErrObjectNotFound) {
				m.Term() // a job of a net no longer kept: its learner moved on
				return nil
			}
			return fmt.Errorf("net %s: %w", j.Weights, err)
		}
		if a.net, err = supervised.LoadBytes(j.Weights, b); err != nil {
			m.Term()
			return err
		}
		a.name = j.Weights
	}
	start := time.Now()
	stop := keepAlive(m, DefaultAckWait)
	recs, st, err := alphazero.SelfPlay(ctx, g, a.net, j.Play, j.Games, j.Seed)
	stop()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(played{ID: j.ID, Actor: a.ID, Games: encodeRecords(recs), Stats: st, Elapsed: time.Since(start)}); err != nil {
		return err
	}
	if _, err := js.Publish(ctx, q.gameSubject(j.ID), b.Bytes()); err != nil {
		return fmt.Errorf("publish games of %s: %w", j.ID, err)
	}
	log.Info("self-play job done", "job", j.ID, "games", st.Games, "positions", st.Plies, "seconds", time.Since(start).Seconds())
	return m.Ack()
}
