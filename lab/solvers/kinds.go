package solvers

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"argmax"
	"argmax/amortized/encoder"
	"argmax/direct/gradient"
	"argmax/hybrid/semiamortized"
	"argmax/lab/kv"
	"argmax/task"
)

// Defaults of the solver kinds' keys.
const (
	DefaultIters     = 200 // gd and adam: iterations per decision
	DefaultTuneIters = 20  // iterations the automatic step size is tuned for
	DefaultTune      = 64  // training contexts the automatic step size is tuned on
)

func init() {
	for _, m := range []gradient.Method{gradient.GD, gradient.Adam} {
		RegisterSolver(SolverKind{Name: m.String(), Role: argmax.Direct,
			Usage: fmt.Sprintf("%s[:lr=auto|R,iters=%d,tol=0,tune_iters=%d,tune=%d,seed=S]  per-instance %s on f(y; x) from the task's Init (direct/gradient); lr=auto tunes the rate on training contexts",
				m, DefaultIters, DefaultTuneIters, DefaultTune, map[gradient.Method]string{gradient.GD: "gradient descent", gradient.Adam: "Adam"}[m]),
			New: func(c Context, a *kv.Args) (Solver, error) {
				cfg := gradient.Config{Method: m, Tol: a.Float("tol", 0, 0, 1e9),
					Budget: argmax.Budget{Iterations: a.Int("iters", DefaultIters, 1, 1e9)}}
				lr, err := stepSize(c, a, "lr", cfg, nil)
				if err != nil {
					return nil, err
				}
				cfg.LR = lr
				return gradient.New(c.Task, cfg)
			}})
	}
	RegisterSolver(SolverKind{Name: "encoder", Role: argmax.Amortized,
		Usage: "encoder[:loss=objective|regression,hidden=64+64,activation=relu,steps=2000,batch=64,lr=0.001,contexts=4096,seed=S]  an MLP from x to y in one forward pass, trained on the task's training contexts (amortized/encoder)",
		New: func(c Context, a *kv.Args) (Solver, error) {
			cfg := encoderConfig(c, a)
			if err := a.Err(); err != nil {
				return nil, err
			}
			return c.trainEncoder(cfg)
		}})
	RegisterSolver(SolverKind{Name: "semiamortized", Role: argmax.Hybrid,
		Usage: fmt.Sprintf("semiamortized[:variant=warm-start|end-to-end,k=%d,eta=auto|R,tune_iters=%d,tune=%d, and the encoder's keys]  the encoder's guess refined by k gradient steps of size eta, its encoder trained alone or through the steps (hybrid/semiamortized)",
			semiamortized.DefaultK, DefaultTuneIters, DefaultTune),
		New: func(c Context, a *kv.Args) (Solver, error) {
			v, err := semiamortized.ParseVariant(a.String("variant", "warm-start"))
			if err != nil {
				a.Fail("%v", err)
			}
			k := int(a.Int("k", semiamortized.DefaultK, 1, 1e6))
			cfg := semiamortized.Config{Variant: v, K: k, Encoder: encoderConfig(c, a)}
			if v == semiamortized.WarmStart {
				return warmStart(c, a, cfg)
			}
			if cfg.Eta, err = stepSize(c, a, "eta", gradient.Config{}, nil); err != nil {
				return nil, err
			}
			if err := a.Err(); err != nil {
				return nil, err
			}
			c.logf("training semi-amortized encoder", "task", c.Task.Name(), "variant", v, "k", k, "eta", cfg.Eta)
			return semiamortized.Train(c.context(), c.Task, cfg)
		}})
	RegisterSolver(SolverKind{Name: "init", Role: argmax.Baseline,
		Usage: "init  the task's starting point, no optimization (the baseline)",
		New:   func(c Context, _ *kv.Args) (Solver, error) { return initSolver{c.Task}, nil }})
}

// stepSize reads a step-size key: a positive number, or "auto" (the
// default) for the rate of gradient.DefaultLRGrid that leaves the least
// mean objective after tune_iters iterations of cfg's method on tune
// training contexts of c.Task, from Init or, when guess is not nil, from
// its guesses.
func stepSize(c Context, a *kv.Args, key string, cfg gradient.Config, guess func(x []float64) []float64) (float64, error) {
	iters := int(a.Int("tune_iters", DefaultTuneIters, 1, 1e6))
	n := int(a.Int("tune", DefaultTune, 1, 1e7))
	seed := a.Uint("seed", c.Seed)
	r, auto := fixedStep(a, key)
	if err := a.Err(); err != nil || !auto {
		return r, err
	}
	xs := task.Contexts(c.Task, task.Train, seed, n)
	var starts [][]float64
	if guess != nil {
		for _, x := range xs {
			starts = append(starts, guess(x))
		}
	}
	lr, _, err := gradient.TuneLR(c.context(), c.Task, xs, starts, cfg, iters, nil)
	return lr, err
}

// fixedStep reads a step-size key: its value, or auto (the default).
func fixedStep(a *kv.Args, key string) (r float64, auto bool) {
	v := a.String(key, "auto")
	if v == "auto" {
		return 0, true
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || !(r > 0) || r > 1e6 {
		a.Fail("key %s=%s: want auto or a step size in (0, 1e6]", key, v)
	}
	return r, false
}

// warmStart trains the encoder of a warm-start hybrid alone, then sets its
// refinement step size: given, or tuned for the steps from the encoder's
// own guesses (the steps it will take), not from Init.
func warmStart(c Context, a *kv.Args, cfg semiamortized.Config) (Solver, error) {
	fixedStep(a, "eta") // a bad value fails before training
	if err := a.Err(); err != nil {
		return nil, err
	}
	enc, err := c.trainEncoder(cfg.Encoder)
	if err != nil {
		return nil, err
	}
	guess := func(x []float64) []float64 {
		y := make([]float64, c.Task.SolutionDim())
		enc.Predict(x, y)
		return y
	}
	if cfg.Eta, err = stepSize(c, a, "eta", gradient.Config{}, guess); err != nil {
		return nil, err
	}
	return semiamortized.New(c.Task, enc, cfg.K, cfg.Eta)
}

// encoderConfig reads the encoder's keys.
func encoderConfig(c Context, a *kv.Args) encoder.Config {
	loss, err := encoder.ParseLoss(a.String("loss", "objective"))
	if err != nil {
		a.Fail("%v", err)
	}
	cfg := encoder.Config{Loss: loss, Activation: a.String("activation", encoder.DefaultActivation),
		Steps: int(a.Int("steps", encoder.DefaultSteps, 1, 1e9)), Batch: int(a.Int("batch", encoder.DefaultBatch, 1, 1e7)),
		LR: a.Float("lr", encoder.DefaultLR, 1e-9, 10), Contexts: int(a.Int("contexts", encoder.DefaultContexts, 1, 1e8)),
		Seed: a.Uint("seed", c.Seed)}
	if h, ok := a.Value("hidden", "layer widths joined by '+' (or none)"); ok {
		cfg.Hidden = []int{}
		for _, w := range strings.Split(h, "+") {
			if h == "none" {
				break
			}
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > 1<<16 {
				a.Fail("key hidden=%s: want layer widths joined by '+', e.g. 64+64, or none", h)
				break
			}
			cfg.Hidden = append(cfg.Hidden, n)
		}
	}
	return cfg
}

// trainEncoder trains an encoder for c.Task, or returns the one c.Encoders
// already holds for the same configuration.
func (c Context) trainEncoder(cfg encoder.Config) (*encoder.Encoder, error) {
	desc, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	key := c.Task.Name() + "\x00" + string(desc)
	if enc, ok := c.Encoders[key]; ok {
		return enc, nil
	}
	c.logf("training encoder", "task", c.Task.Name(), "loss", cfg.Loss, "steps", cfg.Steps)
	enc, err := encoder.Train(c.context(), c.Task, cfg)
	if err == nil && c.Encoders != nil {
		c.Encoders[key] = enc
	}
	return enc, err
}

func (c Context) logf(msg string, args ...any) {
	if c.Log != nil {
		c.Log.Info(msg, args...)
	}
}

// initSolver answers every context with the task's Init.
type initSolver struct{ t task.Task }

func (s initSolver) Decide(ctx context.Context, x []float64, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	y := make([]float64, s.t.SolutionDim())
	s.t.Init(x, y)
	return y, argmax.Cost{}, nil
}
