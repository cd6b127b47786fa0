package alphazero

import (
	"slices"
	"sync"
	"time"

	"argmax"
	"argmax/game"
	"argmax/hybrid/guided"
)

// Batcher gathers the leaf evaluations of concurrent searches — one per
// game played at once — into one forward pass per round, and keeps an
// evaluation cache keyed by position. A round fires when every open lane
// waits for an evaluation, and evaluates the lanes' positions in lane
// order: each lane's k-th request is in round k of its own sequence, so
// the batches, and with them every search, are the same however the
// goroutines are scheduled.
type Batcher struct {
	net guided.BatchEvaluator
	A   int // actions per position

	mu      sync.Mutex
	open    int
	pending []*request

	cache    map[uint64]int // position key -> index into the cache's entries
	cacheMax int
	entries  []float32 // A priors and a value per cached position

	// scratch of a round
	states         []game.State
	priors, values []float32
	where          []int

	stats BatchStats
}

// BatchStats counts a batcher's work.
type BatchStats struct {
	Rounds    int64         // forward passes run
	Positions int64         // positions asked for
	Hits      int64         // of which answered from the cache
	Cost      argmax.Cost   // the net's counted cost
	Time      time.Duration // wall time in the net
}

type request struct {
	lane           int
	states         []game.State
	priors, values []float32
	done           chan struct{}
}

// NewBatcher returns a batcher over net for a game of A actions with room
// for cacheSize cached positions (0: no cache; the cache is emptied when
// full).
func NewBatcher(net guided.BatchEvaluator, A, cacheSize int) *Batcher {
	b := &Batcher{net: net, A: A, cacheMax: cacheSize}
	if cacheSize > 0 {
		b.cache = make(map[uint64]int, cacheSize)
	}
	return b
}

// Lane opens lane i (lanes are numbered from 0, one per concurrent
// search) and returns it as a guided.Net for that search. Close it when
// its search is done for good.
func (b *Batcher) Lane(i int) *Lane {
	b.mu.Lock()
	b.open++
	b.mu.Unlock()
	return &Lane{b: b, id: i}
}

// Stats returns the work done so far.
func (b *Batcher) Stats() BatchStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// Lane is one search's view of a Batcher: a guided.Net whose Evaluate
// waits for the round.
type Lane struct {
	b      *Batcher
	id     int
	closed bool
}

var _ guided.Net = (*Lane)(nil)

// Evaluate waits for the round that evaluates states and returns the
// lane's share of its cost.
func (l *Lane) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	r := &request{lane: l.id, states: states, priors: priors, values: values, done: make(chan struct{})}
	b := l.b
	b.mu.Lock()
	b.pending = append(b.pending, r)
	b.maybeRun()
	b.mu.Unlock()
	<-r.done
	return argmax.Cost{ForwardPasses: int64(len(states))}
}

// Clone returns the lane itself: a lane serves one search thread.
func (l *Lane) Clone() guided.Net { return l }

// Close closes the lane: the rounds stop waiting for it.
func (l *Lane) Close() {
	if l.closed {
		return
	}
	l.closed = true
	b := l.b
	b.mu.Lock()
	b.open--
	b.maybeRun()
	b.mu.Unlock()
}

// maybeRun runs the round if every open lane waits; b.mu is held.
func (b *Batcher) maybeRun() {
	if len(b.pending) == 0 || len(b.pending) < b.open {
		return
	}
	reqs := b.pending
	b.pending = nil
	slices.SortFunc(reqs, func(x, y *request) int { return x.lane - y.lane })
	b.run(reqs)
	for _, r := range reqs {
		close(r.done)
	}
}

// run evaluates the positions of reqs: from the cache where it can, the
// rest in one forward pass.
func (b *Batcher) run(reqs []*request) {
	A := b.A
	b.states, b.where = b.states[:0], b.where[:0]
	for ri, r := range reqs {
		for i, s := range r.states {
			b.stats.Positions++
			if b.cache != nil {
				if at, ok := b.cache[s.Key()]; ok {
					e := b.entries[at*(A+1) : (at+1)*(A+1)]
					copy(r.priors[i*A:(i+1)*A], e[:A])
					r.values[i] = e[A]
					b.stats.Hits++
					continue
				}
			}
			b.states = append(b.states, s)
			b.where = append(b.where, ri, i)
		}
	}
	n := len(b.states)
	if n == 0 {
		return
	}
	b.priors = slices.Grow(b.priors[:0], n*A)[:n*A]
	b.values = slices.Grow(b.values[:0], n)[:n]
	t0 := time.Now()
	b.stats.Cost = b.stats.Cost.Add(b.net.Evaluate(b.states, b.priors, b.values))
	b.stats.Time += time.Since(t0)
	b.stats.Rounds++
	if b.cache != nil && len(b.cache)+n > b.cacheMax {
		clear(b.cache)
		b.entries = b.entries[:0]
	}
	for j, s := range b.states {
		r, i := reqs[b.where[2*j]], b.where[2*j+1]
		p, v := b.priors[j*A:(j+1)*A], b.values[j]
		copy(r.priors[i*A:(i+1)*A], p)
		r.values[i] = v
		if b.cache != nil && n <= b.cacheMax {
			if _, dup := b.cache[s.Key()]; !dup {
				b.cache[s.Key()] = len(b.entries) / (A + 1)
				b.entries = append(append(b.entries, p...), v)
			}
		}
	}
	clear(b.states)
}
