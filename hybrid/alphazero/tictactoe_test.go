package alphazero

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/tictactoe"
)

// ticTacToeConfig is expert iteration for tic-tac-toe from scratch.
func ticTacToeConfig(minutes float64) Config {
	return Config{
		Game:              tictactoe.Game{},
		Net:               supervised.Net{Blocks: 2, Channels: 32, ValueHidden: 32},
		Play:              PlayConfig{Sims: 64, C: 1.5, NoiseAlpha: 0.5, NoiseFraction: 0.25, TempPlies: 3, RandomPlies: 7, Parallel: 32, Leaves: 4, CacheSize: 1 << 14},
		GamesPerIteration: 128, Buffer: 20000, SampleReuse: 4, Batch: 128, LR: 2e-3, Warmup: 50, WeightDecay: 1e-4, Mirror: true,
		Time: time.Duration(minutes * float64(time.Minute)), Seed: 1,
	}
}

// netScore returns the share of the non-terminal positions where the net
// alone keeps the game value.
func netScore(t testing.TB, p *supervised.Policy) (float64, int) {
	g := tictactoe.Game{}
	solver := alphabeta.NewGeneric(g)
	good, total := 0, 0
	var walk func(s game.State)
	seen := map[uint64]bool{}
	walk = func(s game.State) {
		if over, _ := s.Terminal(); over || seen[s.Key()] {
			return
		}
		seen[s.Key()] = true
		scores := solver.Analyze(s)
		a, _, err := p.Decide(context.Background(), s, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		best := -1 << 30
		for _, v := range scores {
			if v != alphabeta.Full && v > best {
				best = v
			}
		}
		sign := func(v int) int { return b2i(v > 0) - b2i(v < 0) }
		if sign(scores[a]) == sign(best) {
			good++
		}
		total++
		for _, m := range s.Legal(nil) {
			s.Play(m)
			walk(s)
			s.Undo(m)
		}
	}
	walk(g.New())
	return float64(good) / float64(total), total
}

// TestTrainTicTacToe runs a few iterations of expert iteration from
// scratch: the net learns, a run is reproducible, and a stopped run
// resumes where it was.
func TestTrainTicTacToe(t *testing.T) {
	ctx := context.Background()
	cfg := ticTacToeConfig(0)
	cfg.Iterations = 12
	var last Progress
	dir := t.TempDir()
	p, err := Train(ctx, cfg, dir, Hooks{Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if last.Iteration != 12 || last.Games != 12*cfg.GamesPerIteration || last.Steps == 0 || last.Checkpoint != filepath.Join(dir, CheckpointName(12)) {
		t.Errorf("last progress %+v", last)
	}
	share, n := netScore(t, p)
	if n != 4520 || share < 0.8 {
		t.Errorf("after 12 iterations the net alone keeps the value in %.1f%% of %d positions, want ≥ 80%%", 100*share, n)
	}
	// Resume: three more iterations continue the run.
	cfg.Iterations = 15
	if _, err := Train(ctx, cfg, dir, Hooks{Progress: func(p Progress) { last = p }}); err != nil {
		t.Fatal(err)
	}
	if last.Iteration != 15 || last.Games != 15*cfg.GamesPerIteration {
		t.Errorf("resumed to %+v", last)
	}
	other := cfg
	other.Seed = 2
	if _, err := Train(ctx, other, dir, Hooks{}); err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("resuming with another seed: %v", err)
	}
	// The same config twice: the same net, bit for bit.
	cfg.Iterations = 2
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := Train(ctx, cfg, d, Hooks{}); err != nil {
			t.Fatal(err)
		}
	}
	x, err := supervised.Load(filepath.Join(a, latestFile))
	if err != nil {
		t.Fatal(err)
	}
	y, _ := supervised.Load(filepath.Join(b, latestFile))
	for i, px := range x.Params() {
		if !slices.Equal(px.Data, y.Params()[i].Data) {
			t.Fatalf("two runs with the same config trained different nets (%s differs)", px.Name)
		}
	}
}

// BenchmarkTicTacToeFromScratch trains tic-tac-toe from scratch for 2
// minutes and reports the share of the 4,520 non-terminal positions in
// which the net alone keeps the game value (the acceptance figure: 100%):
//
//	go test ./hybrid/alphazero -run XXX -bench TicTacToeFromScratch -benchtime 1x -v
func BenchmarkTicTacToeFromScratch(b *testing.B) {
	for range b.N {
		var last Progress
		p, err := Train(context.Background(), ticTacToeConfig(2), b.TempDir(), Hooks{Progress: func(p Progress) { last = p }})
		if err != nil {
			b.Fatal(err)
		}
		share, _ := netScore(b, p)
		b.Logf("%s", last)
		b.ReportMetric(100*share, "value-keeping%")
		b.ReportMetric(float64(last.Games), "games")
		b.ReportMetric(last.PositionsPerSec, "positions/s")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
