// Package tabular is the simplest amortized optimizer in the taxonomy of
// argmax: a lookup table from positions to the labels seen there in
// training. Fitting it is the whole cost (one pass over the examples);
// each answer is one map lookup, with no search and no forward pass. It
// describes its data exactly and cannot generalize beyond it: a position
// it never saw gets a random legal move. It is the baseline that shows
// what memorizing demonstrations buys, and the limit an amortized learner
// reaches on its training positions.
package tabular

import (
	"context"
	"fmt"
	"math/bits"
	"time"

	"argmax"
	"argmax/game"
)

// Example is one labelled position.
type Example struct {
	// State is the position; the table keeps only its Key.
	State game.State
	// Action is the label: the move a demonstrator played. It is ignored
	// when Target is set.
	Action game.Action
	// Target, when not nil, is a distribution over the actions
	// (Game.NumActions entries, non-negative, not all zero) added to the
	// position's counts instead of one count for Action: soft labels, such
	// as every value-keeping move of a solver or a search's visit shares.
	Target []float32
}

// Table is a tabular policy: for every position key met in training, the
// summed label counts (or target weights) of each action. It is a
// game.Policy and an argmax.Trainable. Decide and Distribution only read
// the table and are safe for concurrent use; Fit is not.
type Table struct {
	numActions int
	seed       uint64
	counts     map[uint64][]float32
	samples    int64
	fitTime    time.Duration
}

var (
	_ game.Policy      = (*Table)(nil)
	_ argmax.Trainable = (*Table)(nil)
)

// New returns an empty table for the positions of g. seed fixes the random
// move played in positions the table never saw.
func New(g game.Game, seed uint64) *Table {
	return &Table{numActions: g.NumActions(), seed: seed, counts: map[uint64][]float32{}}
}

// Fit adds the examples to the table (fitting again adds to what is
// there). It checks every example first and adds nothing if one is bad: a
// nil state, an action out of range, or a target of the wrong length, with
// a negative or non-finite entry, or summing to zero.
func (t *Table) Fit(examples []Example) error {
	start := time.Now()
	for i, e := range examples {
		if err := t.check(e); err != nil {
			return fmt.Errorf("tabular: example %d: %w", i, err)
		}
	}
	for _, e := range examples {
		k := e.State.Key()
		c := t.counts[k]
		if c == nil {
			c = make([]float32, t.numActions)
			t.counts[k] = c
		}
		if e.Target != nil {
			for a, w := range e.Target {
				c[a] += w
			}
		} else {
			c[e.Action]++
		}
	}
	t.samples += int64(len(examples))
	t.fitTime += time.Since(start)
	return nil
}

func (t *Table) check(e Example) error {
	if e.State == nil {
		return fmt.Errorf("no state")
	}
	if e.Target == nil {
		if e.Action < 0 || int(e.Action) >= t.numActions {
			return fmt.Errorf("position %q: action %d out of range [0, %d)", e.State.String(), e.Action, t.numActions)
		}
		return nil
	}
	if len(e.Target) != t.numActions {
		return fmt.Errorf("position %q: target of %d entries, want %d", e.State.String(), len(e.Target), t.numActions)
	}
	var sum float32
	for a, w := range e.Target {
		if !(w >= 0) || w > 1e30 {
			return fmt.Errorf("position %q: target[%d] = %v, want a finite weight ≥ 0", e.State.String(), a, w)
		}
		sum += w
	}
	if sum == 0 {
		return fmt.Errorf("position %q: target sums to zero", e.State.String())
	}
	return nil
}

// Len returns the number of distinct positions in the table.
func (t *Table) Len() int { return len(t.counts) }

// Known reports whether the position was met in training.
func (t *Table) Known(s game.State) bool {
	_, ok := t.counts[s.Key()]
	return ok
}

// TrainingCost is the cost of fitting: the examples fitted (Samples) and
// the wall time Fit took (Elapsed).
func (t *Table) TrainingCost() argmax.Cost {
	return argmax.Cost{Samples: t.samples, Elapsed: t.fitTime}
}

// Decide returns the most frequent label of the position (the largest
// summed weight), ties going to the lowest action, among its legal moves;
// for a position the table never saw, a uniformly random legal move that
// is a deterministic function of the seed and the position's key. The
// budget is ignored: a lookup needs none. The Cost has no counts — a
// lookup is neither a search node nor a forward pass — only the wall time
// of the call (Elapsed). It returns an error for a finished game.
func (t *Table) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	start := time.Now()
	var buf [64]game.Action
	legal := s.Legal(buf[:0])
	if len(legal) == 0 {
		return 0, argmax.Cost{}, fmt.Errorf("tabular: position %q: the game is over", s.String())
	}
	key := s.Key()
	a := game.Action(-1)
	if c, ok := t.counts[key]; ok {
		for _, m := range legal {
			if int(m) < len(c) && c[m] > 0 && (a < 0 || c[m] > c[a] || (c[m] == c[a] && m < a)) {
				a = m
			}
		}
	}
	if a < 0 {
		a = legal[t.pick(key, len(legal))]
	}
	return a, argmax.Cost{Elapsed: time.Since(start)}, nil
}

// pick returns a pseudo-random index in [0, n), a function of the seed and
// the key.
func (t *Table) pick(key uint64, n int) int {
	h := game.Mix64(key ^ game.Mix64(t.seed+0x9e3779b97f4a7c15))
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}

// Distribution writes the table's policy into dst (one entry per action):
// the label frequencies of the position smoothed by one pseudo-count per
// legal move, (count(a)+1) / (Σ count + number of legal moves), 0 for
// illegal moves; uniform over the legal moves when the table never saw the
// position. Its cost is that of Decide.
func (t *Table) Distribution(_ context.Context, s game.State, _ argmax.Budget, dst []float32) (argmax.Cost, error) {
	start := time.Now()
	if len(dst) != t.numActions {
		return argmax.Cost{}, fmt.Errorf("tabular: distribution over %d actions, want %d", len(dst), t.numActions)
	}
	var buf [64]game.Action
	legal := s.Legal(buf[:0])
	if len(legal) == 0 {
		return argmax.Cost{}, fmt.Errorf("tabular: position %q: the game is over", s.String())
	}
	clear(dst)
	c := t.counts[s.Key()]
	var sum float32
	for _, a := range legal {
		v := float32(1)
		if c != nil {
			v += c[a]
		}
		dst[a] = v
		sum += v
	}
	for _, a := range legal {
		dst[a] /= sum
	}
	return argmax.Cost{Elapsed: time.Since(start)}, nil
}
