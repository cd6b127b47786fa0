package supervised

import (
	"fmt"
	"sort"
	"time"

	"argmax"
)

// Net sizes a policy/value net: an AlphaZero-style residual tower
// (nn.PolicyValueNet) of Blocks residual blocks of Channels channels, with
// a value head of ValueHidden units.
type Net struct {
	Blocks      int `json:"blocks"`
	Channels    int `json:"channels"`
	ValueHidden int `json:"value_hidden"`
}

// The named net sizes. Their cost per forward pass on connect four grows
// about fourfold from one to the next (see the package benchmarks).
var (
	// Tiny is for tests and smoke runs: 1 block of 16 channels.
	Tiny = Net{Blocks: 1, Channels: 16, ValueHidden: 32}
	// Small is 2 blocks of 32 channels, the quick-scale net.
	Small = Net{Blocks: 2, Channels: 32, ValueHidden: 32}
	// Medium is 4 blocks of 48 channels, the full-scale net.
	Medium = Net{Blocks: 4, Channels: 48, ValueHidden: 32}
	// Large is 6 blocks of 64 channels.
	Large = Net{Blocks: 6, Channels: 64, ValueHidden: 64}
)

var sizes = map[string]Net{"tiny": Tiny, "small": Small, "medium": Medium, "large": Large}

// Size returns the net of a named size: tiny, small, medium or large.
func Size(name string) (Net, error) {
	n, ok := sizes[name]
	if !ok {
		names := make([]string, 0, len(sizes))
		for k := range sizes {
			names = append(names, k)
		}
		sort.Strings(names)
		return Net{}, fmt.Errorf("net size %q: want one of %v", name, names)
	}
	return n, nil
}

func (n Net) check() error {
	if n.Blocks < 0 || n.Channels <= 0 || n.ValueHidden <= 0 {
		return fmt.Errorf("net %+v: want blocks ≥ 0 and positive channels and value_hidden", n)
	}
	return nil
}

// Config sets up training. Zero fields take the defaults of
// DefaultConfig; Train reports a field out of range as an error.
type Config struct {
	Net Net // architecture

	// OnesPlane adds a constant plane of ones to the game's observation,
	// so the first convolution can tell the board's edge (zero padding)
	// from an empty cell.
	OnesPlane bool
	// Mirror augments the data with left-right mirror images (each batch
	// example is flipped with probability ½): the observation's width axis
	// is reversed and so is the policy target. It needs a game whose
	// actions are the columns (connect four) or the cells (tic-tac-toe)
	// of the observation.
	Mirror bool
	Target Target // how scores become targets

	Batch       int     // examples per gradient step
	LR          float64 // peak learning rate (AdamW)
	MinLR       float64 // learning rate at the end of the cosine decay
	Warmup      int     // steps of linear warm-up
	WeightDecay float64 // decoupled weight decay
	ValueWeight float64 // weight of the value loss (MSE) beside the policy cross-entropy
	ClipNorm    float64 // global gradient-norm clip; 0 for none

	// Steps is the step limit and the length of the learning-rate
	// schedule; Time (if set) a wall-clock limit on training.
	Steps int
	Time  time.Duration
	// TimeSchedule makes the learning rate follow training time when Time
	// is set: the schedule's progress is the larger of steps/Steps and
	// elapsed/Time, so a run cut short by the clock still ends annealed.
	// The run is then no longer bit-for-bit reproducible.
	TimeSchedule bool

	// ValidationShare is the share of the examples held out (at random,
	// by Seed) to select the checkpoint: every EvalEvery steps the net is
	// scored on them and the best one (highest optimal-move accuracy,
	// then lowest validation loss) is kept. Patience > 0 stops training
	// after that many evaluations without improvement.
	ValidationShare float64
	EvalEvery       int
	Patience        int

	// Seed fixes the initial weights, the split and the batches: the same
	// seed, config and data give the same net, bit for bit, unless Time
	// cuts training short.
	Seed uint64

	// Progress, when set, is called after every evaluation and at the end.
	Progress func(Progress)

	// LabelCost is the cost of producing the examples' labels (solver
	// nodes, simulations, wall time), added to TrainingCost.
	LabelCost argmax.Cost
}

// DefaultConfig is the quick-scale configuration (at most 2 minutes of
// training on 2 cores): the small net with a constant plane, mirror
// augmentation, soft targets with half the mass on the strictly optimal
// moves, batch 128, AdamW at peak learning rate 6e-3 with a cosine decay
// over 3000 steps, and the schedule following the clock if 2 minutes come
// first. Measured on 102,000 solver labels (BenchmarkQuickScale) it keeps
// the value in about 97% of the calibration file's middle positions.
var DefaultConfig = Config{
	Net:             Small,
	OnesPlane:       true,
	Mirror:          true,
	Target:          Target{Strict: 0.5},
	Batch:           128,
	LR:              6e-3,
	MinLR:           6e-5,
	Warmup:          100,
	WeightDecay:     1e-4,
	ValueWeight:     1,
	ClipNorm:        5,
	Steps:           3000,
	Time:            2 * time.Minute,
	TimeSchedule:    true,
	ValidationShare: 0.03,
	EvalEvery:       500,
}

// FullConfig is the full-scale configuration: the medium net, batch 128,
// peak learning rate 5e-3, an hour of training with the cosine schedule
// following the clock (the step limit is only a cap), and the checkpoint
// chosen on a 2% validation split every 500 steps.
var FullConfig = Config{
	Net:             Medium,
	OnesPlane:       true,
	Mirror:          true,
	Target:          Target{Strict: 0.5},
	Batch:           128,
	LR:              5e-3,
	MinLR:           5e-5,
	Warmup:          300,
	WeightDecay:     1e-4,
	ValueWeight:     1,
	ClipNorm:        5,
	Steps:           100000,
	Time:            time.Hour,
	TimeSchedule:    true,
	ValidationShare: 0.02,
	EvalEvery:       500,
}

// withDefaults fills the zero fields of c from DefaultConfig. Booleans
// and Target are taken as given.
func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.Net == (Net{}) {
		c.Net = d.Net
	}
	if c.Net.ValueHidden == 0 {
		c.Net.ValueHidden = 32
	}
	def := func(v *int, dv int) {
		if *v == 0 {
			*v = dv
		}
	}
	deff := func(v *float64, dv float64) {
		if *v == 0 {
			*v = dv
		}
	}
	def(&c.Batch, d.Batch)
	def(&c.Steps, d.Steps)
	def(&c.EvalEvery, d.EvalEvery)
	deff(&c.LR, d.LR)
	deff(&c.ValueWeight, d.ValueWeight)
	deff(&c.ValidationShare, d.ValidationShare)
	if c.MinLR == 0 {
		c.MinLR = c.LR / 100
	}
	return c
}

func (c Config) check() error {
	if err := c.Net.check(); err != nil {
		return err
	}
	switch {
	case c.Batch <= 0, c.Steps <= 0, c.EvalEvery <= 0:
		return fmt.Errorf("config: batch %d, steps %d and eval_every %d must be positive", c.Batch, c.Steps, c.EvalEvery)
	case c.LR <= 0 || c.MinLR < 0 || c.WeightDecay < 0 || c.ValueWeight < 0 || c.ClipNorm < 0:
		return fmt.Errorf("config: lr %g must be positive, min_lr %g, weight decay %g, value weight %g and clip %g not negative", c.LR, c.MinLR, c.WeightDecay, c.ValueWeight, c.ClipNorm)
	case c.Warmup < 0 || c.Patience < 0 || c.Time < 0:
		return fmt.Errorf("config: warmup %d, patience %d and time %v must not be negative", c.Warmup, c.Patience, c.Time)
	case c.ValidationShare <= 0 || c.ValidationShare >= 1:
		return fmt.Errorf("config: validation share %g outside (0, 1)", c.ValidationShare)
	case c.Target.Strict < 0 || c.Target.Strict > 1 || c.Target.ValueScale < 0:
		return fmt.Errorf("config: target strict %g outside [0, 1] or negative value scale %g", c.Target.Strict, c.Target.ValueScale)
	}
	return nil
}

// Progress is what training reports after each evaluation.
type Progress struct {
	Step, Steps int           // gradient steps done, step limit
	Examples    int64         // training examples seen so far
	Elapsed     time.Duration // wall time since training began
	LR          float64       // learning rate of the last step

	// Training losses, averaged over the steps since the last report.
	PolicyLoss, ValueLoss float64

	// Validation figures of the net after Step steps.
	ValPolicyLoss, ValValueLoss float64
	ValAccuracy                 float64 // share of validation positions where the policy's move is optimal
	ValStrict                   float64 // … strictly optimal
	Best                        bool    // this evaluation is the best so far (the kept checkpoint)
	BestStep                    int     // the step of the kept checkpoint

	ExamplesPerSec float64 // training throughput since the last report
	Final          bool    // the last report, after training stopped
}

// String renders the report on one line.
func (p Progress) String() string {
	mark := ""
	if p.Best {
		mark = " *"
	}
	return fmt.Sprintf("step %d/%d  %v  lr %.2g  loss %.3f+%.3f  val %.3f+%.3f  acc %.2f%% strict %.2f%%  %.0f ex/s%s",
		p.Step, p.Steps, p.Elapsed.Round(100*time.Millisecond), p.LR, p.PolicyLoss, p.ValueLoss,
		p.ValPolicyLoss, p.ValValueLoss, 100*p.ValAccuracy, 100*p.ValStrict, p.ExamplesPerSec, mark)
}
