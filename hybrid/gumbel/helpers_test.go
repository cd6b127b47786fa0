package gumbel

import (
	"sync"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/tictactoe"
	"argmax/hybrid/guided"
)

// countingNet is a fake net: priors from a fixed weight per action (the
// legal ones), a fixed value; it counts the states it evaluates and the
// calls, and reports one forward pass and 100 FLOPs per state.
type countingNet struct {
	weights []float32
	value   float32
	states  *int64
	calls   *int64
	maxN    *int
}

func newCounting(weights []float32, value float32) countingNet {
	return countingNet{weights: weights, value: value, states: new(int64), calls: new(int64), maxN: new(int)}
}

func (n countingNet) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	A := len(n.weights)
	for i, s := range states {
		for a := range A {
			if s.IsLegal(game.Action(a)) {
				priors[i*A+a] = n.weights[a]
			}
		}
		values[i] = n.value
	}
	*n.states += int64(len(states))
	*n.calls++
	*n.maxN = max(*n.maxN, len(states))
	return argmax.Cost{ForwardPasses: int64(len(states)), FLOPs: 100 * int64(len(states))}
}

func (n countingNet) Clone() guided.Net { return n }

func uniform(A int) []float32 {
	w := make([]float32, A)
	for i := range w {
		w[i] = 1
	}
	return w
}

// perfectNet knows tic-tac-toe: its value is the exact outcome for the
// side to move (from the exact solver), its priors uniform (or weights,
// if set). It counts the states it evaluates.
type perfectNet struct {
	value   map[uint64]float32
	weights []float32
	states  *int64
}

var (
	perfectOnce   sync.Once
	perfectValues map[uint64]float32
)

func newPerfect() perfectNet {
	perfectOnce.Do(func() {
		sol := alphabeta.NewGeneric(tictactoe.Game{})
		perfectValues = map[uint64]float32{}
		var walk func(s game.State)
		walk = func(s game.State) {
			if _, ok := perfectValues[s.Key()]; ok {
				return
			}
			perfectValues[s.Key()] = float32(game.ScoreOutcome(sol.Solve(s)))
			var buf [9]game.Action
			for _, a := range s.Legal(buf[:0]) {
				s.Play(a)
				walk(s)
				s.Undo(a)
			}
		}
		walk(tictactoe.New())
	})
	return perfectNet{value: perfectValues, weights: uniform(tictactoe.Cells), states: new(int64)}
}

func (n perfectNet) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	for i, s := range states {
		for a := range tictactoe.Cells {
			if s.IsLegal(game.Action(a)) {
				priors[i*tictactoe.Cells+a] = n.weights[a]
			}
		}
		values[i] = n.value[s.Key()]
	}
	*n.states += int64(len(states))
	return argmax.Cost{ForwardPasses: int64(len(states))}
}

func (n perfectNet) Clone() guided.Net { return n }

// criticalPositions returns the tic-tac-toe positions where some legal
// move loses the value, with the exact score of each move.
func criticalPositions() (states []game.State, scores [][]int) {
	sol := alphabeta.NewGeneric(tictactoe.Game{})
	seen := map[uint64]bool{}
	var walk func(s game.State)
	walk = func(s game.State) {
		if over, _ := s.Terminal(); over || seen[s.Key()] {
			return
		}
		seen[s.Key()] = true
		sc := sol.Analyze(s)
		best := alphabeta.Full
		for _, v := range sc {
			best = max(best, v)
		}
		for _, v := range sc {
			if v != alphabeta.Full && game.ScoreOutcome(v) != game.ScoreOutcome(best) {
				states, scores = append(states, s.Clone()), append(scores, sc)
				break
			}
		}
		var buf [9]game.Action
		for _, a := range s.Legal(buf[:0]) {
			s.Play(a)
			walk(s)
			s.Undo(a)
		}
	}
	walk(tictactoe.New())
	return states, scores
}

// keepsValue reports whether move a keeps the value given the move scores.
func keepsValue(scores []int, a game.Action) bool {
	best := alphabeta.Full
	for _, v := range scores {
		best = max(best, v)
	}
	return game.ScoreOutcome(scores[a]) == game.ScoreOutcome(best)
}

// hashNet is a fake net whose priors and value are pseudo-random
// functions of the position: a non-trivial, deterministic stand-in. It
// counts the calls and the largest batch.
type hashNet struct {
	A      int
	calls  *int64
	states *int64
	maxN   *int
}

func newHash(A int) hashNet {
	return hashNet{A: A, calls: new(int64), states: new(int64), maxN: new(int)}
}

func (n hashNet) Evaluate(states []game.State, priors, values []float32) argmax.Cost {
	for i, s := range states {
		k := game.Mix64(s.Key() ^ 0x5bd1e995)
		for a := range n.A {
			if s.IsLegal(game.Action(a)) {
				priors[i*n.A+a] = 0.05 + float32(game.Mix64(k+uint64(a))%1000)/1000
			}
		}
		values[i] = float32(k%2001)/1000 - 1
	}
	*n.calls++
	*n.states += int64(len(states))
	*n.maxN = max(*n.maxN, len(states))
	return argmax.Cost{ForwardPasses: int64(len(states)), FLOPs: 100 * int64(len(states))}
}

func (n hashNet) Clone() guided.Net { return n }
