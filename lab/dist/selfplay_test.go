package dist

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/game/tictactoe"
	"argmax/hybrid/alphazero"
)

// trainDistributed trains tic-tac-toe for two iterations with self-play
// on actors through an embedded server and returns the final
// checkpoint's bytes and the number of games played.
func trainDistributed(t *testing.T, actors int) ([]byte, int) {
	t.Helper()
	dir := t.TempDir()
	srv, err := StartServer(ServerConfig{Dir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for range actors {
		nc, err := srv.Connect()
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		wg.Go(func() {
			if err := (&Actor{Conn: nc}).Run(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	cfg := alphazero.Config{
		Game: tictactoe.Game{}, Net: supervised.Tiny,
		Play:              alphazero.PlayConfig{Sims: 16, C: 1.5, NoiseAlpha: 0.5, NoiseFraction: 0.25, TempPlies: 3, Parallel: 8, Leaves: 2, CacheSize: 1 << 10},
		GamesPerIteration: 32, Buffer: 5000, SampleReuse: 2, Batch: 32, LR: 2e-3, Warmup: 5, Mirror: true,
		Iterations: 2, Seed: 4,
	}
	games := 0
	sp := &SelfPlay{Conn: nc, Chunk: 8}
	hooks := alphazero.Hooks{SelfPlay: sp.Play, Progress: func(p alphazero.Progress) { games = p.Games }}
	out := filepath.Join(dir, "train")
	if _, err := alphazero.Train(context.Background(), cfg, out, hooks); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, alphazero.CheckpointName(2)))
	if err != nil {
		t.Fatal(err)
	}
	return b, games
}

// TestDistributedSelfPlay trains with one actor and with three: the games
// are those of the jobs, whoever plays them, so the nets are the same.
func TestDistributedSelfPlay(t *testing.T) {
	one, games := trainDistributed(t, 1)
	if games != 64 {
		t.Errorf("%d games played, want 2 iterations × 32", games)
	}
	three, _ := trainDistributed(t, 3)
	// The checkpoints' metadata hold training times; the nets must answer
	// alike, to the bit, on every position of the first three plies.
	a, err := supervised.LoadBytes("one actor", one)
	if err != nil {
		t.Fatal(err)
	}
	b, err := supervised.LoadBytes("three actors", three)
	if err != nil {
		t.Fatal(err)
	}
	var states []game.State
	var walk func(s game.State, depth int)
	walk = func(s game.State, depth int) {
		states = append(states, s.Clone())
		if depth == 3 {
			return
		}
		for _, m := range s.Legal(nil) {
			s.Play(m)
			walk(s, depth+1)
			s.Undo(m)
		}
	}
	walk(tictactoe.Game{}.New(), 0)
	A := tictactoe.Game{}.NumActions()
	pa, va := make([]float32, len(states)*A), make([]float32, len(states))
	pb, vb := make([]float32, len(states)*A), make([]float32, len(states))
	a.Evaluate(states, pa, va)
	b.Evaluate(states, pb, vb)
	if !slices.Equal(pa, pb) || !slices.Equal(va, vb) {
		t.Errorf("the net trained with three actors answers otherwise than the one trained with one on %d positions", len(states))
	}
	if bytes.Equal(one, three) {
		t.Log("checkpoints identical byte for byte")
	}
}
