package dqn

import (
	"fmt"
	"math/rand/v2"
)

// Replay is an experience replay buffer: a ring of the last Cap
// transitions (s, a, r, s', terminated), sampled uniformly with
// replacement from its own seeded stream. Observations are stored in
// float32, the precision of the Q-network. A Replay is not safe for
// concurrent use.
type Replay struct {
	obsDim     int
	obs, next  []float32 // cap rows of obsDim
	actions    []int
	rewards    []float64
	terminated []bool
	n, pos     int // stored transitions, next slot to write
	added      int64
	rng        *rand.Rand
}

// Batch is a minibatch sampled from a Replay: Len transitions, their
// observations and next observations as Len rows of the observation
// dimension. Its slices are reused by the next Sample into it.
type Batch struct {
	Obs, Next  []float32
	Actions    []int
	Rewards    []float64
	Terminated []bool
	// Index holds the ring slot each transition was read from.
	Index []int
}

// Len is the number of transitions in b.
func (b *Batch) Len() int { return len(b.Actions) }

// NewReplay returns an empty buffer of capacity transitions with
// observations of obsDim values, sampling from a stream seeded by seed.
func NewReplay(capacity, obsDim int, seed uint64) (*Replay, error) {
	if capacity <= 0 || obsDim <= 0 {
		return nil, fmt.Errorf("dqn: replay of capacity %d and observation dimension %d: want both positive", capacity, obsDim)
	}
	return &Replay{
		obsDim: obsDim,
		obs:    make([]float32, capacity*obsDim), next: make([]float32, capacity*obsDim),
		actions: make([]int, capacity), rewards: make([]float64, capacity), terminated: make([]bool, capacity),
		rng: rand.New(rand.NewPCG(seed, 0x7265706c6179)), // "replay"
	}, nil
}

// Len is the number of transitions stored (at most Cap).
func (r *Replay) Len() int { return r.n }

// Cap is the capacity.
func (r *Replay) Cap() int { return len(r.actions) }

// Added is the number of transitions ever added, the overwritten ones
// included.
func (r *Replay) Added() int64 { return r.added }

// Add stores a transition, overwriting the oldest one once the buffer is
// full. next is the observation the action led to: for an episode that
// ended, the final observation (not the first of the next episode), and
// terminated tells a terminal state (no bootstrap) from a truncation
// (bootstrap from next). obs and next are copied; they must have the
// buffer's observation dimension.
func (r *Replay) Add(obs []float64, action int, reward float64, next []float64, terminated bool) {
	if len(obs) != r.obsDim || len(next) != r.obsDim {
		panic(fmt.Sprintf("dqn: Replay.Add of observations of %d and %d values, want %d", len(obs), len(next), r.obsDim))
	}
	i, d := r.pos, r.obsDim
	for j, v := range obs {
		r.obs[i*d+j] = float32(v)
	}
	for j, v := range next {
		r.next[i*d+j] = float32(v)
	}
	r.actions[i], r.rewards[i], r.terminated[i] = action, reward, terminated
	r.pos = (r.pos + 1) % r.Cap()
	r.n = min(r.n+1, r.Cap())
	r.added++
}

// Sample fills b with n transitions drawn uniformly, with replacement,
// from those stored. It panics if the buffer is empty.
func (r *Replay) Sample(n int, b *Batch) {
	if r.n == 0 {
		panic("dqn: Replay.Sample from an empty buffer")
	}
	d := r.obsDim
	b.Obs = grow(b.Obs, n*d)
	b.Next = grow(b.Next, n*d)
	b.Actions = grow(b.Actions, n)
	b.Rewards = grow(b.Rewards, n)
	b.Terminated = grow(b.Terminated, n)
	b.Index = grow(b.Index, n)
	for k := range n {
		i := r.rng.IntN(r.n)
		b.Index[k] = i
		copy(b.Obs[k*d:(k+1)*d], r.obs[i*d:(i+1)*d])
		copy(b.Next[k*d:(k+1)*d], r.next[i*d:(i+1)*d])
		b.Actions[k], b.Rewards[k], b.Terminated[k] = r.actions[i], r.rewards[i], r.terminated[i]
	}
}

// grow returns s resliced to length n, reallocated if its capacity is
// short.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	return s[:n]
}
