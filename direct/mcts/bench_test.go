package mcts

import (
	"context"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
)

// benchSearch runs b.N simulations from st in searches of at most per
// simulations each, reporting ns and allocations per simulation and the
// rate as sims/s.
func benchSearch(b *testing.B, cfg Config, st game.State, per int64) {
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Search(context.Background(), st, argmax.Budget{Simulations: per}); err != nil { // grow the arena
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sims int64
	for left := int64(b.N); left > 0; {
		r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: min(per, left)})
		if err != nil {
			b.Fatal(err)
		}
		sims += r.Cost.Simulations
		left -= min(per, left)
	}
	b.ReportMetric(float64(sims)/b.Elapsed().Seconds(), "sims/s")
}

// BenchmarkConnect4 measures simulations per second from the empty connect
// four board, one random rollout per leaf, in searches of 10,000
// simulations; one op is one simulation.
func BenchmarkConnect4(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(map[int]string{1: "threads=1", 2: "threads=2"}[threads], func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Threads = threads
			benchSearch(b, cfg, connect4.New(), 10000)
		})
	}
}

// BenchmarkTicTacToe measures simulations per second from the empty
// tic-tac-toe board in searches of 10,000 simulations (UCT without the
// solver, so the search never stops early); one op is one simulation.
func BenchmarkTicTacToe(b *testing.B) {
	benchSearch(b, Config{}, tictactoe.New(), 10000)
}

// BenchmarkConnect4PUCT is BenchmarkConnect4 with PUCT selection (uniform
// rollout priors) and batches of 8 leaves: the shape AlphaZero uses, with
// rollouts standing in for the network.
func BenchmarkConnect4PUCT(b *testing.B) {
	benchSearch(b, Config{Selection: PUCT, Solver: true, Batch: 8}, connect4.New(), 10000)
}

// BenchmarkCalibrationEnd plays the search's move (20,000 simulations at
// most, solver on) in each of the 300 end-game calibration positions and
// reports the share of optimal moves (keeping the win/draw/loss value) and
// of strictly optimal ones; one op is the whole file.
func BenchmarkCalibrationEnd(b *testing.B) {
	ps := calibration.Of(calibration.End)
	s, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var opt, strict, n int
	for i := 0; i < b.N; i++ {
		for _, p := range ps {
			st, err := connect4.Parse(p.Moves)
			if err != nil {
				b.Fatal(err)
			}
			r, err := s.Search(context.Background(), st, argmax.Budget{Simulations: 20000})
			if err != nil {
				b.Fatal(err)
			}
			n++
			if p.Optimal(int(r.Action)) {
				opt++
			}
			if p.StrictlyOptimal(int(r.Action)) {
				strict++
			}
		}
	}
	b.ReportMetric(100*float64(opt)/float64(n), "optimal-%")
	b.ReportMetric(100*float64(strict)/float64(n), "strict-%")
}
