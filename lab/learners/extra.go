package learners

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"argmax/game/connect4/positions"
	"argmax/lab/cache"
	"argmax/lab/datasets"
)

// The extra positions: more solver-labelled training data than the
// embedded training set holds, generated on demand (lab/datasets) and
// cached. They come from the plies where the exact solver is cheap (the
// middle and end game: about a millisecond each), from random games and
// from games between MCTS bots of small budgets, and are held out from
// every test set, the calibration file and the embedded training set,
// mirror images included.
const (
	extraVersion = 1
	extraSeed    = 7
	extraMinPly  = 16
)

// extraSims are the MCTS budgets of the games extra positions come from.
var extraSims = []int64{16, 64, 256}

// Extra returns n solver-labelled positions beyond the training set,
// generating them through c the first time (logging progress to log, if
// not nil). The same n gives the same positions; a larger n extends a
// smaller one's draw.
func Extra(ctx context.Context, c *cache.Cache, n int, log *slog.Logger) ([]positions.Position, error) {
	if n <= 0 {
		return nil, nil
	}
	held, note, err := datasets.HeldOut()
	if err != nil {
		return nil, err
	}
	train, err := TrainPositions()
	if err != nil {
		return nil, err
	}
	exclude := append(append([]positions.Position(nil), held...), train...)
	hdr, err := positions.Header("train")
	if err != nil {
		return nil, err
	}
	key := cache.Key("extra-positions", fmt.Sprint(extraVersion), fmt.Sprint(n, extraSeed, extraMinPly, positions.TrainPlies.MaxPly, extraSims), note, fmt.Sprint(hdr))
	path, err := c.Get(ctx, "positions", key, ".txt", func(ctx context.Context, tmp string) error {
		cfg := datasets.Config{
			Set: "train-extra", MinPly: extraMinPly, MaxPly: positions.TrainPlies.MaxPly, N: n, Seed: extraSeed,
			Source: datasets.Mixed, Sims: extraSims, Workers: 2,
			Exclude: exclude, ExcludeNote: note + ", train " + fmt.Sprint(len(train)),
			Out: tmp, Command: fmt.Sprintf("lab/learners.Extra n=%d", n),
		}
		var progress io.Writer
		if log != nil {
			log.Info("labelling extra training positions", "n", n, "plies", fmt.Sprintf("%d-%d", extraMinPly, positions.TrainPlies.MaxPly))
			progress = logWriter{log, new(time.Time)}
		}
		_, err := datasets.Generate(ctx, cfg, progress)
		os.Remove(tmp + ".part")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("learners: extra positions: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	_, ps, err := positions.Read(path, f)
	return ps, err
}

// logWriter turns the generator's progress lines into log records, one
// every 30 seconds at most.
type logWriter struct {
	log  *slog.Logger
	last *time.Time
}

func (w logWriter) Write(p []byte) (int, error) {
	if now := time.Now(); now.Sub(*w.last) >= 30*time.Second {
		*w.last = now
		w.log.Info("extra positions", "progress", string(trimNewline(p)))
	}
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}
