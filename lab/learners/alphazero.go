package learners

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/hybrid/alphazero"
	"argmax/lab/cache"
)

// azVersion is part of every AlphaZero net's cache key.
const azVersion = 1

// AZSpec describes a net trained from scratch by expert iteration
// (hybrid/alphazero), bounded by iterations so that the same spec trains
// the same net.
type AZSpec struct {
	Game       game.Game
	Size       string // supervised net size
	Iterations int
	Games      int  // self-play games per iteration (0: the recipe's)
	Sims       int  // simulations of a full search (0: the recipe's)
	Gumbel     bool // Gumbel root search instead of PUCT
	Raw        bool // no search: the net's own games (alphazero.PlayConfig.Raw)
	Seed       uint64
}

// AZRecipe returns the expert-iteration recipe of a game: the settings
// `argmax train alphazero` uses, which an AZSpec overrides.
func AZRecipe(g game.Game) alphazero.Config {
	if g.Name() == "connect4" {
		return alphazero.Config{
			Game: g, Net: supervised.Small,
			Play: alphazero.PlayConfig{Sims: 128, FastSims: 32, FullShare: 0.25, C: 1.5, NoiseAlpha: 1, NoiseFraction: 0.25,
				TempPlies: 8, RandomPlies: 20, RandomShare: 0.5, ValueMix: 0.25, Parallel: 64, Leaves: 4, CacheSize: 1 << 18},
			GamesPerIteration: 256, Buffer: 250000, SampleReuse: 4, Batch: 256, LR: 2e-3, Warmup: 200, WeightDecay: 1e-4, Mirror: true,
		}
	}
	return alphazero.Config{
		Game: g, Net: supervised.Net{Blocks: 2, Channels: 32, ValueHidden: 32},
		Play: alphazero.PlayConfig{Sims: 64, C: 1.5, NoiseAlpha: 0.5, NoiseFraction: 0.25, TempPlies: 3, RandomPlies: 7,
			Parallel: 32, Leaves: 4, CacheSize: 1 << 14},
		GamesPerIteration: 128, Buffer: 20000, SampleReuse: 4, Batch: 128, LR: 2e-3, Warmup: 50, WeightDecay: 1e-4, Mirror: true,
	}
}

// Config returns the training configuration of s.
func (s AZSpec) Config() (alphazero.Config, error) {
	cfg := AZRecipe(s.Game)
	if s.Size != "" {
		n, err := supervised.Size(s.Size)
		if err != nil {
			return cfg, err
		}
		cfg.Net = n
	}
	if s.Iterations < 1 {
		return cfg, fmt.Errorf("alphazero spec: %d iterations: want ≥ 1", s.Iterations)
	}
	cfg.Iterations, cfg.Seed = s.Iterations, s.Seed
	if s.Games > 0 {
		cfg.GamesPerIteration = s.Games
	}
	if s.Gumbel {
		cfg.Play.Gumbel, cfg.Play.Sims, cfg.Play.FastSims = true, 16, 0
	}
	if s.Sims > 0 {
		cfg.Play.Sims = s.Sims
	}
	if s.Raw {
		cfg.Play.Raw, cfg.Play.FastSims = true, 0
	}
	return cfg, nil
}

// AlphaZero returns the net s describes, loading it from c or, the first
// time, training it (logging each iteration to log, if not nil).
func AlphaZero(ctx context.Context, c *cache.Cache, s AZSpec, log *slog.Logger) (*supervised.Policy, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	key := cache.Key("alphazero-net", fmt.Sprint(azVersion), fmt.Sprintf("%+v", cfg.Play), fmt.Sprintf("%+v", cfg.Net),
		describe("game", s.Game.Name(), "iterations", cfg.Iterations, "games", cfg.GamesPerIteration, "buffer", cfg.Buffer, "reuse", cfg.SampleReuse,
			"batch", cfg.Batch, "lr", cfg.LR, "warmup", cfg.Warmup, "wd", cfg.WeightDecay, "mirror", cfg.Mirror, "seed", cfg.Seed))
	path, err := c.Get(ctx, "nets", key, ".safetensors", func(ctx context.Context, tmp string) error {
		dir, err := os.MkdirTemp(filepath.Dir(tmp), ".alphazero-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		hooks := alphazero.Hooks{}
		if log != nil {
			hooks.Progress = func(p alphazero.Progress) { log.Info("alphazero", "game", s.Game.Name(), "progress", p.String()) }
		}
		p, err := alphazero.Train(ctx, cfg, dir, hooks)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return p.Save(tmp)
	})
	if err != nil {
		return nil, err
	}
	return load(path)
}
