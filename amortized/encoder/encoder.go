package encoder

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/nn"
	"argmax/task"
)

// Encoder is an amortized solver: an MLP from contexts to solutions of
// one task. Its methods reuse one tape, so an Encoder is not safe for
// concurrent use; Load a copy per goroutine.
type Encoder struct {
	t      task.Task
	cfg    Config
	net    *nn.MLP[float64]
	eval   *nn.Tape[float64] // inference
	record *nn.Tape[float64] // gradients
	curve  []CurvePoint
	cost   argmax.Cost
}

// CurvePoint is one point of the training curve: after Step steps, the
// mean objective over the first Config.Eval training contexts and over
// Config.Eval held-out contexts, and the mean held-out gap
// f(ŷ(x); x) − f(y*(x); x) (NaN when the task does not implement
// task.Exact).
type CurvePoint struct {
	Step       int     `json:"step"`
	Train      float64 `json:"train"`
	HeldOut    float64 `json:"held_out"`
	HeldOutGap float64 `json:"held_out_gap"`
}

// New returns an untrained encoder for t with weights drawn from
// cfg.Seed, after checking cfg.
func New(t task.Task, cfg Config) (*Encoder, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if cfg.Loss == RegressionLoss {
		if _, ok := t.(task.Exact); !ok {
			return nil, fmt.Errorf("encoder: %s: the regression loss needs exact solutions (task.Exact)", t.Name())
		}
	}
	if t.ContextDim() < 1 || t.SolutionDim() < 1 {
		return nil, fmt.Errorf("encoder: %s: context dimension %d, solution dimension %d: want both ≥ 1", t.Name(), t.ContextDim(), t.SolutionDim())
	}
	sizes := append(append([]int{t.ContextDim()}, cfg.Hidden...), t.SolutionDim())
	return &Encoder{
		t: t, cfg: cfg,
		net:    nn.NewMLP[float64](nn.NewRand(cfg.Seed), "encoder", sizes, activations[cfg.Activation], nn.Identity),
		eval:   nn.NewTape[float64](nn.Eval),
		record: nn.NewTape[float64](nn.EvalGrad),
	}, nil
}

// Train returns an encoder for t trained as cfg says: cfg.Steps Adam
// steps on batches of cfg.Batch of the cfg.Contexts training contexts,
// minimizing cfg.Loss. It stops with ctx's error when ctx is cancelled.
func Train(ctx context.Context, t task.Task, cfg Config) (*Encoder, error) {
	start := time.Now()
	e, err := New(t, cfg)
	if err != nil {
		return nil, err
	}
	cfg = e.cfg
	dx, dy := t.ContextDim(), t.SolutionDim()
	train := flat(task.Contexts(t, task.Train, cfg.Seed, cfg.Contexts))
	var targets []float64
	if cfg.Loss == RegressionLoss {
		targets = solve(t, train)
	}
	evalTrain := train[:min(cfg.Eval, cfg.Contexts)*dx]
	evalHeld := flat(task.Contexts(t, task.HeldOut, cfg.Seed, cfg.Eval))
	var heldStar []float64
	if ex, ok := t.(task.Exact); ok {
		heldStar = make([]float64, cfg.Eval)
		y := make([]float64, dy)
		for i := range heldStar {
			heldStar[i] = ex.Solve(evalHeld[i*dx:(i+1)*dx], y)
		}
	}
	point := func(step int) {
		p := CurvePoint{Step: step, HeldOutGap: math.NaN()}
		p.Train, _ = e.meanObjective(evalTrain, nil)
		p.HeldOut, p.HeldOutGap = e.meanObjective(evalHeld, heldStar)
		e.curve = append(e.curve, p)
		e.cost.ForwardPasses += int64(len(evalTrain)/dx + len(evalHeld)/dx)
	}

	opt := nn.NewAdam(e.net.Params(), nn.CosineLR(cfg.LR, 0, cfg.Steps, cfg.LR/100))
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xba7c4))
	xb := make([]float64, cfg.Batch*dx)
	var yb []float64
	if targets != nil {
		yb = make([]float64, cfg.Batch*dy)
	}
	e.eval.ResetFLOPs()
	e.record.ResetFLOPs()
	point(0)
	for step := 1; step <= cfg.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range cfg.Batch {
			j := rng.IntN(cfg.Contexts)
			copy(xb[i*dx:(i+1)*dx], train[j*dx:(j+1)*dx])
			if yb != nil {
				copy(yb[i*dy:(i+1)*dy], targets[j*dy:(j+1)*dy])
			}
		}
		loss := e.lossGrad(xb, yb)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("encoder: %s: training loss %v at step %d: diverged (lower LR=%v)", t.Name(), loss, step, cfg.LR)
		}
		opt.Step()
		e.cost.Iterations++
		e.cost.ForwardPasses += int64(cfg.Batch)
		if step%cfg.EvalEvery == 0 || step == cfg.Steps {
			point(step)
		}
	}
	e.cost.FLOPs = e.eval.FLOPs() + e.record.FLOPs()
	e.cost.Elapsed = time.Since(start)
	return e, nil
}

// lossGrad computes the training loss over the contexts xs (rows of
// ContextDim values) and adds its gradient to the parameters' Grad. With
// the regression loss, ys holds the exact solutions of xs.
func (e *Encoder) lossGrad(xs, ys []float64) float64 {
	dx, dy := e.t.ContextDim(), e.t.SolutionDim()
	n := len(xs) / dx
	tp := e.record
	tp.Reset()
	out := e.net.Forward(tp, tp.Const(xs, n, dx))
	if e.cfg.Loss == RegressionLoss {
		loss := tp.MSE(out, tp.Const(ys, n, dy))
		tp.Backward(loss)
		return loss.Item()
	}
	g := tp.Zeros(n, dy)
	var f float64
	for i := range n {
		f += e.t.Objective(xs[i*dx:(i+1)*dx], out.Data[i*dy:(i+1)*dy], g.Data[i*dy:(i+1)*dy])
	}
	for i := range g.Data {
		g.Data[i] /= float64(n)
	}
	// Σ ŷ·stopgrad(g/n): its gradient with respect to ŷ is g/n, the
	// gradient of the mean objective.
	tp.Backward(tp.Sum(tp.Mul(out, g)))
	return f / float64(n)
}

// Gradient computes the training loss of the configured kind over the
// contexts xs — the mean of f(ŷ(x); x), or the mean squared error to
// y*(x) — and adds its gradient with respect to every parameter to the
// parameters' Grad (see Params). It is one step's work of Train, for
// callers that check it or drive their own optimizer.
func (e *Encoder) Gradient(xs [][]float64) (float64, error) {
	if len(xs) == 0 {
		return 0, fmt.Errorf("encoder: %s: no contexts", e.t.Name())
	}
	for i, x := range xs {
		if len(x) != e.t.ContextDim() {
			return 0, fmt.Errorf("encoder: %s: context %d has length %d, want %d", e.t.Name(), i, len(x), e.t.ContextDim())
		}
	}
	x := flat(xs)
	var ys []float64
	if e.cfg.Loss == RegressionLoss {
		ys = solve(e.t, x)
	}
	return e.lossGrad(x, ys), nil
}

// meanObjective returns the mean of f(ŷ(x); x) over the contexts xs and,
// when star holds their optimal values, the mean gap (else NaN).
func (e *Encoder) meanObjective(xs, star []float64) (mean, gap float64) {
	dx, dy := e.t.ContextDim(), e.t.SolutionDim()
	n := len(xs) / dx
	tp := e.eval
	tp.Reset()
	out := e.net.Forward(tp, tp.Const(xs, n, dx))
	var s, sg float64
	for i := range n {
		f := e.t.Objective(xs[i*dx:(i+1)*dx], out.Data[i*dy:(i+1)*dy], nil)
		s += f
		if star != nil {
			sg += f - star[i]
		}
	}
	if star == nil {
		return s / float64(n), math.NaN()
	}
	return s / float64(n), sg / float64(n)
}

// Predict writes ŷ(x) into dst (len SolutionDim) with one forward pass
// and returns the FLOPs the tape counted for it.
func (e *Encoder) Predict(x, dst []float64) int64 {
	tp := e.eval
	before := tp.FLOPs()
	tp.Reset()
	out := e.net.Forward(tp, tp.Const(x, 1, len(x)))
	copy(dst, out.Data)
	return tp.FLOPs() - before
}

// Decide answers the context x with one forward pass; its Cost counts
// the pass and its FLOPs. Any budget allows one pass.
func (e *Encoder) Decide(ctx context.Context, x []float64, b argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := b.Check(); err != nil {
		return nil, argmax.Cost{}, fmt.Errorf("encoder: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	if len(x) != e.t.ContextDim() {
		return nil, argmax.Cost{}, fmt.Errorf("encoder: %s: context of length %d, want %d", e.t.Name(), len(x), e.t.ContextDim())
	}
	y := make([]float64, e.t.SolutionDim())
	flops := e.Predict(x, y)
	return y, argmax.Cost{ForwardPasses: 1, FLOPs: flops}, nil
}

// Task returns the task the encoder was built for.
func (e *Encoder) Task() task.Task { return e.t }

// Config returns the encoder's configuration with defaults filled in.
func (e *Encoder) Config() Config {
	c := e.cfg
	c.Hidden = append([]int{}, c.Hidden...)
	return c
}

// Params returns the net's parameters (weights and biases, layer by
// layer): the values Save writes and the gradients Gradient adds to.
func (e *Encoder) Params() []*nn.Param[float64] { return e.net.Params() }

// Curve returns the training curve (nil for an untrained or loaded
// encoder). Do not modify it.
func (e *Encoder) Curve() []CurvePoint { return e.curve }

// TrainingCost is the counted cost of training: Adam steps as
// Iterations, every context forwarded (batches and curve evaluations) as
// ForwardPasses, the tapes' FLOPs forward and backward, and wall time.
func (e *Encoder) TrainingCost() argmax.Cost { return e.cost }

// flat concatenates rows.
func flat(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// solve returns the exact solutions of the contexts xs (rows of
// ContextDim values), concatenated; t implements task.Exact.
func solve(t task.Task, xs []float64) []float64 {
	ex := t.(task.Exact)
	dx, dy := t.ContextDim(), t.SolutionDim()
	n := len(xs) / dx
	ys := make([]float64, n*dy)
	for i := range n {
		ex.Solve(xs[i*dx:(i+1)*dx], ys[i*dy:(i+1)*dy])
	}
	return ys
}
