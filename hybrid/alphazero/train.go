package alphazero

import (
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"argmax/amortized/supervised"
	"argmax/game"
)

// Config sets up expert iteration: self-play with the current net, a
// replay window of the search targets, and training of the net on them.
type Config struct {
	Game game.Game
	// Net is the architecture (supervised's sizes); Play the self-play.
	Net  supervised.Net
	Play PlayConfig
	// GamesPerIteration games are played with each net; Buffer is the
	// number of most recent positions kept for training.
	GamesPerIteration, Buffer int
	// SampleReuse sets the gradient steps of an iteration: each new
	// position is drawn SampleReuse times in expectation (steps = new
	// positions × SampleReuse / Batch).
	SampleReuse float64
	// Batch, LR and WeightDecay set the optimizer: AdamW with a linear
	// warm-up over the first Warmup steps, then a cosine decay to LR/20
	// over the run (its progress: the larger of the share of Iterations
	// and of Time done); Mirror augments by the board's left-right
	// symmetry. A run bounded by Iterations alone is reproducible; one
	// bounded by Time follows the clock.
	Batch       int
	LR          float64
	Warmup      int
	WeightDecay float64
	Mirror      bool
	// Iterations and Time bound the run (either may be 0 for no bound,
	// not both); a resumed run counts its earlier iterations and time.
	Iterations int
	Time       time.Duration
	// Seed seeds the initial weights, the games and the batches.
	Seed uint64
}

func (c Config) check() error {
	var errs []error
	if c.Game == nil {
		errs = append(errs, errors.New("no game"))
	}
	if err := c.Play.check(); err != nil {
		errs = append(errs, err)
	}
	if c.GamesPerIteration < 1 || c.Buffer < 1 || !(c.SampleReuse > 0) || c.Batch < 1 || !(c.LR > 0) || c.Warmup < 0 || c.WeightDecay < 0 {
		errs = append(errs, fmt.Errorf("games per iteration %d, buffer %d, sample reuse %g, batch %d, lr %g, warmup %d, weight decay %g: want positive (warmup, weight decay ≥ 0)",
			c.GamesPerIteration, c.Buffer, c.SampleReuse, c.Batch, c.LR, c.Warmup, c.WeightDecay))
	}
	if c.Iterations < 0 || c.Time < 0 || (c.Iterations == 0 && c.Time == 0) {
		errs = append(errs, fmt.Errorf("iterations %d and time %v: want a bound", c.Iterations, c.Time))
	}
	return errors.Join(errs...)
}

// Progress is what training reports after each iteration.
type Progress struct {
	Iteration             int
	Games, Positions      int // totals so far
	Steps                 int
	Elapsed               time.Duration // training time so far (a resumed run's included)
	GamesPerSec           float64       // self-play speed of this iteration
	PositionsPerSec       float64       // moves played per second
	NetShare              float64       // share of self-play wall time in the net's forward passes
	CacheHits             float64       // share of evaluations answered by the cache
	PolicyLoss, ValueLoss float64       // mean training losses of the iteration
	FirstPlayerScore      float64       // mean outcome of the iteration's games for the first player, in [0, 1]
	Checkpoint            string        // the newest checkpoint
	Eval                  string        // what the Evaluate hook said
}

// String renders a progress line.
func (p Progress) String() string {
	s := fmt.Sprintf("iter %d  %v  games %d (%.1f/s)  positions %d (%.0f/s)  steps %d  loss %.3f+%.3f  net %.0f%%  cache %.0f%%  first player %.2f",
		p.Iteration, p.Elapsed.Round(time.Second), p.Games, p.GamesPerSec, p.Positions, p.PositionsPerSec, p.Steps,
		p.PolicyLoss, p.ValueLoss, 100*p.NetShare, 100*p.CacheHits, p.FirstPlayerScore)
	if p.Eval != "" {
		s += "  " + p.Eval
	}
	return s
}

// Hooks are the optional callbacks of Train.
type Hooks struct {
	// Evaluate, if set, rates each iteration's net (against fixed
	// opponents, say) and returns a line for the progress report.
	Evaluate func(ctx context.Context, iteration int, net *supervised.Policy) (string, error)
	// Progress, if set, receives each iteration's report.
	Progress func(Progress)
	// SelfPlay, if set, plays each iteration's games in place of SelfPlay
	// in this process, with its arguments and results: on actors on other
	// machines, say (lab/dist).
	SelfPlay func(ctx context.Context, g game.Game, net *supervised.Policy, cfg PlayConfig, games int, seed uint64) ([]Record, PlayStats, error)
}

// state is what a training folder records besides the checkpoint and the
// replay window, so that a run resumes where it stopped.
type state struct {
	Iteration, Games, Positions, Steps int
	Elapsed                            time.Duration
	Config                             string // the config's fingerprint: a resumed run must match it
}

// replay is the saved replay window.
type replay struct {
	Moves  []string
	Policy [][]float32
	Value  []float32
}

// The files of a training folder.
const (
	stateFile  = "state.json"
	bufferFile = "replay.gob"
	latestFile = "latest.safetensors"
)

// CheckpointName is the file name of iteration i's checkpoint.
func CheckpointName(i int) string { return fmt.Sprintf("iter-%04d.safetensors", i) }

// Train runs expert iteration in folder dir: each iteration plays
// cfg.GamesPerIteration self-play games with the current net (search
// improves on the net: the direct optimizer makes the data), adds their
// search targets to the replay window and trains the net on it (the
// amortized optimizer learns them), then writes a checkpoint
// (iter-NNNN.safetensors and latest.safetensors), the replay window and
// the run's state. A folder holding a run resumes it (with the same
// config); training stops at cfg.Iterations or cfg.Time, or when ctx is
// cancelled (the last finished iteration is kept). It returns the newest
// net.
func Train(ctx context.Context, cfg Config, dir string, hooks Hooks) (*supervised.Policy, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("alphazero: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("alphazero: %w", err)
	}
	scfg := supervised.Config{Net: cfg.Net, OnesPlane: true, Mirror: cfg.Mirror, Batch: cfg.Batch, LR: cfg.LR, MinLR: cfg.LR,
		Warmup: cfg.Warmup, WeightDecay: cfg.WeightDecay, ValueWeight: 1, ClipNorm: 5, Steps: 1 << 30, Seed: cfg.Seed}
	fp := fingerprint(cfg)
	st, learner, buf, err := resume(cfg, scfg, dir, fp)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(st.Iteration)+0xa2))
	for {
		if cfg.Iterations > 0 && st.Iteration >= cfg.Iterations || cfg.Time > 0 && st.Elapsed >= cfg.Time {
			break
		}
		if err := ctx.Err(); err != nil {
			break
		}
		start := time.Now()
		net := learner.Policy()
		play := SelfPlay
		if hooks.SelfPlay != nil {
			play = hooks.SelfPlay
		}
		recs, ps, err := play(ctx, cfg.Game, net, cfg.Play, cfg.GamesPerIteration, cfg.Seed^uint64(st.Iteration+1)*0x9e3779b97f4a7c15)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return nil, err
		}
		playTime := time.Since(start)
		fresh, score := 0, 0.0
		for _, r := range recs {
			buf = append(buf, r.Samples...)
			fresh += len(r.Samples)
			score += (float64(r.Outcome) + 1) / 2
		}
		if len(buf) > cfg.Buffer {
			buf = append(buf[:0:0], buf[len(buf)-cfg.Buffer:]...)
		}
		steps := max(1, int(float64(fresh)*cfg.SampleReuse/float64(cfg.Batch)))
		var pl, vl float64
		batch := make([]supervised.Sample, min(cfg.Batch, len(buf)))
		for range steps {
			learner.SetLR(cfg.lr(st, learner.Steps()))
			for j := range batch {
				batch[j] = buf[rng.IntN(len(buf))]
			}
			p, v, err := learner.Step(batch)
			if err != nil {
				return nil, fmt.Errorf("alphazero: %w", err)
			}
			pl, vl = pl+p, vl+v
		}
		st.Iteration++
		st.Games += ps.Games
		st.Positions += ps.Plies
		st.Steps = learner.Steps()
		st.Elapsed += time.Since(start)
		pr := Progress{Iteration: st.Iteration, Games: st.Games, Positions: st.Positions, Steps: st.Steps, Elapsed: st.Elapsed,
			GamesPerSec: float64(ps.Games) / playTime.Seconds(), PositionsPerSec: float64(ps.Plies) / playTime.Seconds(),
			PolicyLoss: pl / float64(steps), ValueLoss: vl / float64(steps), FirstPlayerScore: score / float64(len(recs))}
		if ps.Batch.Positions > 0 {
			pr.CacheHits = float64(ps.Batch.Hits) / float64(ps.Batch.Positions)
		}
		if playTime > 0 {
			pr.NetShare = min(1, ps.Batch.Time.Seconds()/playTime.Seconds())
		}
		net = learner.Policy()
		if pr.Checkpoint, err = save(dir, st, net, buf); err != nil {
			return nil, err
		}
		if hooks.Evaluate != nil {
			if pr.Eval, err = hooks.Evaluate(ctx, st.Iteration, net.Clone()); err != nil && ctx.Err() == nil {
				return nil, fmt.Errorf("alphazero: evaluating iteration %d: %w", st.Iteration, err)
			}
		}
		if hooks.Progress != nil {
			hooks.Progress(pr)
		}
	}
	return learner.Policy(), nil
}

// lr is the learning rate of step (of the run), warm-up and cosine decay
// by the run's progress at the start of the iteration after st.
func (c Config) lr(st state, step int) float64 {
	q := 0.0
	if c.Iterations > 0 {
		q = float64(st.Iteration) / float64(c.Iterations)
	}
	if c.Time > 0 {
		q = max(q, float64(st.Elapsed)/float64(c.Time))
	}
	lr := c.LR/20 + 0.5*(c.LR-c.LR/20)*(1+math.Cos(math.Pi*min(q, 1)))
	if step < c.Warmup {
		lr *= float64(step+1) / float64(c.Warmup)
	}
	return lr
}

// fingerprint identifies the parts of a config a resumed run must share.
func fingerprint(c Config) string {
	b, _ := json.Marshal(struct {
		Game string
		Net  supervised.Net
		Play PlayConfig
		G, B int
		R    float64
		Bat  int
		LR   float64
		W    int
		WD   float64
		M    bool
		Seed uint64
	}{c.Game.Name(), c.Net, c.Play, c.GamesPerIteration, c.Buffer, c.SampleReuse, c.Batch, c.LR, c.Warmup, c.WeightDecay, c.Mirror, c.Seed})
	return string(b)
}

// resume reads a training folder's state, or starts a fresh run.
func resume(cfg Config, scfg supervised.Config, dir, fp string) (state, *supervised.Learner, []supervised.Sample, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		l, err := supervised.NewLearner(cfg.Game, scfg)
		return state{Config: fp}, l, nil, err
	}
	if err != nil {
		return state{}, nil, nil, fmt.Errorf("alphazero: %w", err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		return state{}, nil, nil, fmt.Errorf("alphazero: %s: %w", filepath.Join(dir, stateFile), err)
	}
	if st.Config != fp {
		return state{}, nil, nil, fmt.Errorf("alphazero: %s holds a run with another configuration (%s); use another folder, or the same settings to resume it", dir, st.Config)
	}
	p, err := supervised.Load(filepath.Join(dir, latestFile))
	if err != nil {
		return state{}, nil, nil, fmt.Errorf("alphazero: resuming %s: %w", dir, err)
	}
	l, err := supervised.ResumeLearner(p, scfg, st.Steps)
	if err != nil {
		return state{}, nil, nil, err
	}
	buf, err := readReplay(cfg.Game, filepath.Join(dir, bufferFile))
	if err != nil {
		return state{}, nil, nil, fmt.Errorf("alphazero: resuming %s: %w", dir, err)
	}
	return st, l, buf, nil
}

// save writes the iteration's checkpoint, the latest checkpoint, the
// replay window and the state, each to a temporary file renamed into
// place, state last: an interrupted save leaves the previous iteration
// whole. It returns the iteration checkpoint's path.
func save(dir string, st state, net *supervised.Policy, buf []supervised.Sample) (string, error) {
	ck := filepath.Join(dir, CheckpointName(st.Iteration))
	write := func(path string, f func(tmp string) error) error {
		tmp := path + ".tmp"
		if err := f(tmp); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("alphazero: writing %s: %w", path, err)
		}
		return os.Rename(tmp, path)
	}
	for _, path := range []string{ck, filepath.Join(dir, latestFile)} {
		if err := write(path, net.Save); err != nil {
			return "", err
		}
	}
	if err := write(filepath.Join(dir, bufferFile), func(tmp string) error { return writeReplay(tmp, buf) }); err != nil {
		return "", err
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := write(filepath.Join(dir, stateFile), func(tmp string) error { return os.WriteFile(tmp, b, 0o644) }); err != nil {
		return "", err
	}
	return ck, nil
}

func writeReplay(path string, buf []supervised.Sample) error {
	r := replay{Moves: make([]string, len(buf)), Policy: make([][]float32, len(buf)), Value: make([]float32, len(buf))}
	for i, s := range buf {
		r.Moves[i], r.Policy[i], r.Value[i] = s.State.String(), s.Policy, s.Value
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(f).Encode(r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readReplay(g game.Game, path string) ([]supervised.Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r replay
	if err := gob.NewDecoder(f).Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(r.Policy) != len(r.Moves) || len(r.Value) != len(r.Moves) {
		return nil, fmt.Errorf("%s: %d positions, %d policies and %d values", path, len(r.Moves), len(r.Policy), len(r.Value))
	}
	buf := make([]supervised.Sample, len(r.Moves))
	for i, m := range r.Moves {
		s, err := g.Parse(m)
		if err != nil {
			return nil, fmt.Errorf("%s: position %d: %w", path, i, err)
		}
		buf[i] = supervised.Sample{State: s, Policy: r.Policy[i], Value: r.Value[i]}
	}
	return buf, nil
}
