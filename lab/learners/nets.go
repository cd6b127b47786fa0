package learners

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"argmax/amortized/supervised"
	"argmax/amortized/tabular"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/positions"
	"argmax/lab/cache"
)

// netVersion is part of every net's cache key: bump it when the data, the
// labels or the training change meaning, so older nets are not reused.
const netVersion = 1

// NetSpec describes a supervised policy/value net of the suite: its size,
// its teacher and how much data and training it gets. Two equal specs
// give the same net, bit for bit (training is limited by steps, not by
// time).
type NetSpec struct {
	Size    string  // supervised net size: tiny, small, medium, large
	Teacher Teacher // where the labels come from
	N       int     // training positions (0: all of the training set and the extra ones)
	Extra   int     // solver-labelled positions generated beyond the training set (see Extra)
	Steps   int     // gradient steps (0: the supervised default)
	Sims    int64   // simulations per label of the Search teacher
	Seed    uint64  // initial weights, split, batches, data draw
}

// String renders the spec in the key=value form of bot specs.
func (s NetSpec) String() string {
	parts := []string{"size=" + s.Size, "labels=" + string(s.Teacher), fmt.Sprintf("n=%d", s.N), fmt.Sprintf("steps=%d", s.Steps)}
	if s.Extra > 0 {
		parts = append(parts, fmt.Sprintf("extra=%d", s.Extra))
	}
	if s.Teacher == Search {
		parts = append(parts, fmt.Sprintf("label_sims=%d", s.Sims))
	}
	return strings.Join(append(parts, fmt.Sprintf("seed=%d", s.Seed)), ",")
}

// config returns the training configuration of s.
func (s NetSpec) config() (supervised.Config, error) {
	net, err := supervised.Size(s.Size)
	if err != nil {
		return supervised.Config{}, err
	}
	cfg := supervised.DefaultConfig
	cfg.Net = net
	cfg.Time = 0 // steps only: the same spec trains the same net
	cfg.TimeSchedule = false
	if s.Steps > 0 {
		cfg.Steps = s.Steps
	}
	cfg.Seed = s.Seed
	return cfg, nil
}

// key returns the cache key of the net: the spec, the training
// configuration, the training set's header and the version.
func (s NetSpec) key(cfg supervised.Config) (string, error) {
	hdr, err := positions.Header("train")
	if err != nil {
		return "", err
	}
	return cache.Key("supervised-net", fmt.Sprint(netVersion), s.String(), fmt.Sprintf("%+v", cfg.Net),
		describe("batch", cfg.Batch, "lr", cfg.LR, "minlr", cfg.MinLR, "warmup", cfg.Warmup, "wd", cfg.WeightDecay, "mirror", cfg.Mirror,
			"ones", cfg.OnesPlane, "target", cfg.Target, "val", cfg.ValidationShare, "every", cfg.EvalEvery, "patience", cfg.Patience),
		strings.Join(hdr, "\n")), nil
}

// Net returns the net s describes, loading it from c or, the first time,
// labelling its data and training it (logging progress to log, if not
// nil). Its TrainingCost includes the counted cost of the labels.
func Net(ctx context.Context, c *cache.Cache, s NetSpec, log *slog.Logger) (*supervised.Policy, error) {
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	key, err := s.key(cfg)
	if err != nil {
		return nil, err
	}
	path, err := c.Get(ctx, "nets", key, ".safetensors", func(ctx context.Context, tmp string) error {
		pool, err := TrainPositions()
		if err != nil {
			return err
		}
		extra, err := Extra(ctx, c, s.Extra, log)
		if err != nil {
			return err
		}
		pool = append(pool[:len(pool):len(pool)], extra...)
		d, err := labelFrom(ctx, pool, s.Teacher, s.N, s.Sims, s.Seed)
		if err != nil {
			return err
		}
		ex := make([]supervised.Example, len(d.States))
		for i := range ex {
			ex[i] = supervised.Example{State: d.States[i], Scores: d.Scores[i]}
		}
		cfg.LabelCost = d.Cost
		if log != nil {
			log.Info("training net", "spec", s.String(), "examples", len(ex))
			cfg.Progress = func(p supervised.Progress) {
				if p.Final || p.Best {
					log.Info("net progress", "spec", s.String(), "progress", p.String())
				}
			}
		}
		p, err := supervised.Train(ctx, connect4.Game{}, ex, cfg)
		if err != nil {
			return fmt.Errorf("training net %s: %w", s, err)
		}
		return p.Save(tmp)
	})
	if err != nil {
		return nil, err
	}
	return load(path)
}

// loaded keeps the nets read from the cache in this process, by path: a
// trial makes the same net's decider at every budget, and each gets a
// clone (shared weights, its own scratch) instead of another read.
var loaded sync.Map // path -> *supervised.Policy

func load(path string) (*supervised.Policy, error) {
	if p, ok := loaded.Load(path); ok {
		return p.(*supervised.Policy).Clone(), nil
	}
	p, err := supervised.Load(path)
	if err != nil {
		return nil, err
	}
	loaded.Store(path, p)
	return p.Clone(), nil
}

// Table returns a tabular policy fitted to the labels of teacher on n
// training positions (a table is cheap to fit: it is not cached).
func Table(ctx context.Context, teacher Teacher, n int, sims int64, seed uint64) (*tabular.Table, error) {
	d, err := Label(ctx, teacher, n, sims, seed)
	if err != nil {
		return nil, err
	}
	t := tabular.New(connect4.Game{}, seed)
	ex := make([]tabular.Example, len(d.States))
	for i := range ex {
		ex[i] = tabular.Example{State: d.States[i], Action: d.Moves[i]}
		if teacher == Solver {
			ex[i].Target = optimalTarget(d.Scores[i])
		}
	}
	if err := t.Fit(ex); err != nil {
		return nil, err
	}
	return t, nil
}

// optimalTarget spreads one unit over the value-keeping actions of scores.
func optimalTarget(scores []int) []float32 {
	t := make([]float32, len(scores))
	for a := range scores {
		if supervised.Optimal(scores, game.Action(a)) {
			t[a] = 1
		}
	}
	return t
}

// Defaults returns the net spec a scale's trained kinds use for the keys a
// spec leaves out: size, training positions (0: all there are), extra
// generated positions for the solver teacher, steps (see DefaultSteps) and
// the search teacher's budget. At full scale the solver-taught nets get
// 300,000 extra positions beside the 30,000 of the training set.
func Defaults(scale string) NetSpec {
	if scale == "full" {
		return NetSpec{Size: "medium", Teacher: Solver, Extra: 300000, Steps: DefaultSteps(scale, "medium"), Sims: 1024}
	}
	return NetSpec{Size: "small", Teacher: Solver, Steps: DefaultSteps(scale, "small"), Sims: 256}
}

// DefaultSteps returns the training steps of a net size at a scale: at
// quick scale about a minute or two of training on 2 cores each (the
// small net reaches over 90% optimal moves on the calibration middle
// positions in 3000 steps), at full scale tens of minutes (the medium
// net: about 27 minutes).
func DefaultSteps(scale, size string) int {
	quick := map[string]int{"tiny": 3000, "small": 3000, "medium": 800, "large": 300}
	full := map[string]int{"tiny": 20000, "small": 30000, "medium": 25000, "large": 25000}
	m := quick
	if scale == "full" {
		m = full
	}
	if n, ok := m[size]; ok {
		return n
	}
	return m["small"]
}
