package icl

import (
	"fmt"
	"math"

	"argmax/nn"
	"argmax/task"
	"argmax/task/linreg"
)

// Config sets what every training function shares: the prompts, the
// optimization and the seed. Training draws prompt s·Batch+b of the
// task's Train split from Seed at step s, and initializes the model from
// Seed: the same Config gives the same model and loss curve, bit for bit.
type Config struct {
	Task   linreg.Config // the prompts (D, N, Noise, Tasks, PoolSeed)
	Steps  int           // Adam updates
	Batch  int           // prompts per update
	LR     float64       // peak learning rate (linear warmup over Steps/20, cosine decay to LR/100)
	Seed   uint64        // initialization and training prompts
	Warmup int           // warmup steps (0: Steps/20)
}

// Validate reports the first bad field of c.
func (c Config) Validate() error {
	switch {
	case c.Steps < 1:
		return fmt.Errorf("icl: Config.Steps = %d: want ≥ 1", c.Steps)
	case c.Batch < 1:
		return fmt.Errorf("icl: Config.Batch = %d: want ≥ 1", c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("icl: Config.LR = %v: want a finite rate > 0", c.LR)
	case c.Warmup < 0 || c.Warmup > c.Steps:
		return fmt.Errorf("icl: Config.Warmup = %d: want 0..Steps (%d)", c.Warmup, c.Steps)
	}
	if err := c.Task.Validate(); err != nil {
		return fmt.Errorf("icl: Config.Task: %w", err)
	}
	return nil
}

// schedule is the learning-rate schedule of c.
func (c Config) schedule() nn.Schedule {
	w := c.Warmup
	if w == 0 {
		w = c.Steps / 20
	}
	return nn.CosineLR(c.LR, w, c.Steps, c.LR/100)
}

// batch returns the training prompts of step s.
func (c Config) batch(tk *linreg.Task, s int) []linreg.Prompt {
	return tk.Prompts(task.Train, c.Seed, s*c.Batch, c.Batch)
}
