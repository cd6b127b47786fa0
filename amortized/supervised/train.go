package supervised

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/game"
	"argmax/nn"
)

// illegalLogit is added to the logits of illegal actions in training, so
// the softmax puts no mass there and the net spends no capacity on them.
const illegalLogit = -1e4

// dataset is a set of examples encoded for the net: inputs, policy and
// value targets, and the additive mask of illegal actions.
type dataset struct {
	x, policy, mask, value []float32
	examples               []Example
}

func (d *dataset) len() int { return len(d.value) }

// encodeSet encodes examples with enc and t.
func encodeSet(examples []Example, idx []int, enc Encoding, t Target) (*dataset, error) {
	size, A := enc.Size(), enc.Actions
	d := &dataset{
		x: make([]float32, len(idx)*size), policy: make([]float32, len(idx)*A),
		mask: make([]float32, len(idx)*A), value: make([]float32, len(idx)),
		examples: make([]Example, len(idx)),
	}
	for j, i := range idx {
		e := examples[i]
		v, err := Targets(e.Scores, t, d.policy[j*A:(j+1)*A])
		if err != nil {
			return nil, fmt.Errorf("example %d (%s): %w", i, e.State.String(), err)
		}
		d.value[j] = v
		for a, s := range e.Scores {
			if s == Illegal {
				d.mask[j*A+a] = illegalLogit
			}
		}
		enc.Encode(e.State, d.x[j*size:(j+1)*size])
		d.examples[j] = e
	}
	return d, nil
}

// checkExamples reports the first example that does not fit g.
func checkExamples(examples []Example, A int) error {
	for i, e := range examples {
		switch {
		case e.State == nil:
			return fmt.Errorf("example %d: no state", i)
		case len(e.Scores) != A:
			return fmt.Errorf("example %d (%s): %d scores, the game has %d actions", i, e.State.String(), len(e.Scores), A)
		}
		for a, s := range e.Scores {
			if (s == Illegal) == e.State.IsLegal(game.Action(a)) {
				return fmt.Errorf("example %d (%s): action %d has score %d but legal=%v", i, e.State.String(), a, s, e.State.IsLegal(game.Action(a)))
			}
		}
		if Best(e.Scores) == Illegal {
			return fmt.Errorf("example %d (%s): %w", i, e.State.String(), ErrNoLegal)
		}
	}
	return nil
}

// schedule is the learning rate: linear warm-up, then a half cosine from
// LR to MinLR over the run's progress (steps, or time with TimeSchedule).
type schedule struct {
	cfg   Config
	start time.Time
	fixed float64 // if positive, the rate in place of the schedule (Learner.SetLR)
}

func (s *schedule) LR(step int) float64 {
	if s.fixed > 0 {
		return s.fixed
	}
	c := s.cfg
	if step < c.Warmup {
		return c.LR * float64(step+1) / float64(c.Warmup)
	}
	// Progress through the run, by steps or (when it is further along) by
	// the clock, on the same footing: both count the warm-up. A run that
	// finishes its steps well within Time never follows the clock.
	q := float64(step) / float64(c.Steps)
	if c.TimeSchedule && c.Time > 0 {
		q = max(q, float64(time.Since(s.start))/float64(c.Time))
	}
	w := float64(c.Warmup) / float64(c.Steps)
	p := 1.0
	if w < 1 {
		p = min(max((q-w)/(1-w), 0), 1)
	}
	return c.MinLR + 0.5*(c.LR-c.MinLR)*(1+math.Cos(math.Pi*p))
}

// Train fits a policy/value net to examples of game g: the policy head to
// the soft targets of cfg.Target by cross-entropy (illegal actions masked
// out), the value head to the value targets by squared error, with AdamW,
// a warm-up and cosine learning-rate schedule, mirror augmentation, and a
// held-out validation split that selects the checkpoint (early stopping).
// It stops at cfg.Steps steps, at cfg.Time, after cfg.Patience
// evaluations without improvement, or when ctx is cancelled; it then
// returns the best net it evaluated. On cancellation it returns that net
// (or the current one if none was evaluated yet) with ctx's error.
//
// Examples must have one score per action of g and at least one legal
// action, and should hold distinct positions (repeats and mirror images
// would leak between the training and validation splits).
func Train(ctx context.Context, g game.Game, examples []Example, cfg Config) (*Policy, error) {
	progress := cfg.Progress
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("supervised: %w", err)
	}
	enc := NewEncoding(g, cfg.OnesPlane)
	if err := enc.check(); err != nil {
		return nil, fmt.Errorf("supervised: game %s: %w", g.Name(), err)
	}
	if cfg.Mirror && enc.Mirror == "" {
		return nil, fmt.Errorf("supervised: mirror augmentation: the %d actions of %s are neither the %d columns nor the %d cells of its observation",
			enc.Actions, g.Name(), enc.Width, enc.Height*enc.Width)
	}
	if err := checkExamples(examples, enc.Actions); err != nil {
		return nil, fmt.Errorf("supervised: %w", err)
	}
	if len(examples) < 2 {
		return nil, fmt.Errorf("supervised: %d examples: need at least 2 (training and validation)", len(examples))
	}
	perm := rand.New(rand.NewPCG(cfg.Seed, 0x5917)).Perm(len(examples))
	nVal := min(max(1, int(math.Round(cfg.ValidationShare*float64(len(examples))))), len(examples)-1)
	val, err := encodeSet(examples, perm[:nVal], enc, cfg.Target)
	if err != nil {
		return nil, fmt.Errorf("supervised: %w", err)
	}
	tr, err := encodeSet(examples, perm[nVal:], enc, cfg.Target)
	if err != nil {
		return nil, fmt.Errorf("supervised: %w", err)
	}

	t := newTrainer(enc, cfg, tr, val)
	t.progress = progress
	stopErr := t.run(ctx)
	t.p.training = t.cost().Add(cfg.LabelCost)
	return t.p, stopErr
}

// trainer holds the state of one training run.
type trainer struct {
	p        *Policy
	cfg      Config
	enc      Encoding
	tr, val  *dataset
	progress func(Progress)

	params []*nn.Param[float32]
	opt    *nn.Adam[float32]
	sched  *schedule
	tape   *nn.Tape[float32]
	rng    *rand.Rand

	// batch buffers
	xb, pb, mb, vb []float32

	start                time.Time
	steps                int
	examples, valPasses  int64
	valFLOPs             int64
	best                 evalResult
	bestStep             int
	snapshot             [][]float32
	sincePL, sinceVL     float64
	sinceSteps           int
	sinceExamples        int64
	sinceTrain           time.Duration
	evaluationsSinceBest int
	last                 Progress // the last report
}

func newTrainer(enc Encoding, cfg Config, tr, val *dataset) *trainer {
	t := &trainer{p: newPolicy(enc, cfg), cfg: cfg, enc: enc, tr: tr, val: val,
		tape: nn.NewTape[float32](nn.Train), rng: rand.New(rand.NewPCG(cfg.Seed, 0xba7c))}
	t.params = t.p.net.Params()
	t.sched = &schedule{cfg: cfg}
	t.opt = nn.NewAdamW(t.params, t.sched, cfg.WeightDecay)
	B := cfg.Batch
	t.xb = make([]float32, B*enc.Size())
	t.pb = make([]float32, B*enc.Actions)
	t.mb = make([]float32, B*enc.Actions)
	t.vb = make([]float32, B)
	t.best.accuracy = -1
	return t
}

// cost is the training cost so far, as counted.
func (t *trainer) cost() argmax.Cost {
	return argmax.Cost{
		Iterations:    int64(t.steps),
		Samples:       t.examples,
		ForwardPasses: t.examples + t.valPasses,
		FLOPs:         t.tape.FLOPs() + t.valFLOPs,
		Elapsed:       time.Since(t.start),
	}
}

// fill draws one batch (with replacement across epochs, a fresh
// permutation per epoch) into the batch buffers, mirroring each example
// with probability ½ when cfg.Mirror is set.
func (t *trainer) fill(order []int, pos *int) {
	size, A := t.enc.Size(), t.enc.Actions
	for j := 0; j < t.cfg.Batch; j++ {
		if *pos == len(order) {
			t.rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
			*pos = 0
		}
		i := order[*pos]
		*pos++
		src := t.tr.x[i*size : (i+1)*size]
		dst := t.xb[j*size : (j+1)*size]
		pt, mt := t.tr.policy[i*A:(i+1)*A], t.tr.mask[i*A:(i+1)*A]
		if t.cfg.Mirror && t.rng.IntN(2) == 1 {
			t.enc.mirrorInput(dst, src)
			for a := 0; a < A; a++ {
				m := t.enc.MirrorAction(a)
				t.pb[j*A+m], t.mb[j*A+m] = pt[a], mt[a]
			}
		} else {
			copy(dst, src)
			copy(t.pb[j*A:(j+1)*A], pt)
			copy(t.mb[j*A:(j+1)*A], mt)
		}
		t.vb[j] = t.tr.value[i]
	}
}

// step runs one gradient step on the current batch and returns the
// policy and value losses.
func (t *trainer) step() (pl, vl float64) { return t.stepN(t.cfg.Batch) }

// stepN is step on the first B examples of the batch buffers.
func (t *trainer) stepN(B int) (pl, vl float64) {
	A, e := t.enc.Actions, t.enc
	tp := t.tape
	tp.Reset()
	logits, value := t.p.net.Forward(tp, tp.Const(t.xb[:B*e.Size()], B, e.InPlanes(), e.Height, e.Width))
	masked := tp.Add(logits, tp.Const(t.mb[:B*A], B, A))
	pLoss := tp.SoftCrossEntropy(masked, tp.Const(t.pb[:B*A], B, A))
	vLoss := tp.MSE(value, tp.Const(t.vb[:B], B, 1))
	loss := pLoss
	if t.cfg.ValueWeight > 0 {
		loss = tp.Add(pLoss, tp.Scale(vLoss, t.cfg.ValueWeight, 0))
	}
	tp.Backward(loss)
	if t.cfg.ClipNorm > 0 {
		nn.ClipGradNorm(t.params, t.cfg.ClipNorm)
	}
	t.opt.Step()
	return pLoss.Item(), vLoss.Item()
}

// evalResult is the net's score on the validation split.
type evalResult struct {
	policyLoss, valueLoss float64
	accuracy, strict      float64
}

// better reports whether r beats s: higher accuracy, then lower loss.
func (r evalResult) better(s evalResult) bool {
	if r.accuracy != s.accuracy {
		return r.accuracy > s.accuracy
	}
	return r.policyLoss+r.valueLoss < s.policyLoss+s.valueLoss
}

// evaluate scores the net on the validation split in inference mode.
func (t *trainer) evaluate() evalResult {
	const batch = 512
	p, d := t.p, t.val
	size, A := t.enc.Size(), t.enc.Actions
	var r evalResult
	var nOpt, nStrict int
	logp := make([]float64, A)
	for i0 := 0; i0 < d.len(); i0 += batch {
		n := min(batch, d.len()-i0)
		copy(p.input(n), d.x[i0*size:(i0+n)*size])
		logits, values, flops := p.forward(n)
		t.valFLOPs += flops
		t.valPasses += int64(n)
		for j := 0; j < n; j++ {
			i := i0 + j
			row, mask := logits[j*A:(j+1)*A], d.mask[i*A:(i+1)*A]
			mx := math.Inf(-1)
			for a := range row {
				logp[a] = float64(row[a] + mask[a])
				mx = max(mx, logp[a])
			}
			var s float64
			for a := range logp {
				s += math.Exp(logp[a] - mx)
			}
			lse := mx + math.Log(s)
			best := -1
			for a := range logp {
				if mask[a] == 0 && (best < 0 || row[a] > row[best]) {
					best = a
				}
				if tg := d.policy[i*A+a]; tg > 0 {
					r.policyLoss -= float64(tg) * (logp[a] - lse)
				}
			}
			dv := float64(values[j] - d.value[i])
			r.valueLoss += dv * dv
			sc := d.examples[i].Scores
			if Optimal(sc, game.Action(best)) {
				nOpt++
			}
			if StrictlyOptimal(sc, game.Action(best)) {
				nStrict++
			}
		}
	}
	n := float64(d.len())
	r.policyLoss /= n
	r.valueLoss /= n
	r.accuracy, r.strict = float64(nOpt)/n, float64(nStrict)/n
	return r
}

// keep copies the net's parameters and buffers into the snapshot.
func (t *trainer) keep() {
	if t.snapshot == nil {
		t.snapshot = make([][]float32, len(t.params))
	}
	for i, p := range t.params {
		t.snapshot[i] = append(t.snapshot[i][:0], p.Data...)
	}
}

// restore copies the snapshot back into the net.
func (t *trainer) restore() {
	if t.snapshot == nil {
		return
	}
	for i, p := range t.params {
		copy(p.Data, t.snapshot[i])
	}
}

// checkpoint evaluates the net, keeps it when it is the best so far and
// reports progress. It returns whether patience has run out.
func (t *trainer) checkpoint(final bool) bool {
	r := t.evaluate()
	isBest := r.better(t.best)
	if isBest {
		t.best, t.bestStep = r, t.steps
		t.evaluationsSinceBest = 0
		t.keep()
	} else {
		t.evaluationsSinceBest++
	}
	stop := t.cfg.Patience > 0 && t.evaluationsSinceBest >= t.cfg.Patience
	if t.progress != nil {
		pr := Progress{
			Step: t.steps, Steps: t.cfg.Steps, Examples: t.examples, Elapsed: time.Since(t.start),
			LR:            t.sched.LR(max(t.steps-1, 0)),
			ValPolicyLoss: r.policyLoss, ValValueLoss: r.valueLoss, ValAccuracy: r.accuracy, ValStrict: r.strict,
			Best: isBest, BestStep: t.bestStep, Final: final || stop,
		}
		if t.sinceSteps > 0 {
			pr.PolicyLoss, pr.ValueLoss = t.sincePL/float64(t.sinceSteps), t.sinceVL/float64(t.sinceSteps)
		}
		if t.sinceTrain > 0 {
			pr.ExamplesPerSec = float64(t.sinceExamples) / t.sinceTrain.Seconds()
		}
		t.last = pr
		t.progress(pr)
	}
	t.sincePL, t.sinceVL, t.sinceSteps, t.sinceExamples, t.sinceTrain = 0, 0, 0, 0, 0
	return stop
}

// run trains until a limit and leaves the best evaluated net in t.p.
func (t *trainer) run(ctx context.Context) error {
	t.start = time.Now()
	t.sched.start = t.start
	order := make([]int, t.tr.len())
	for i := range order {
		order[i] = i
	}
	pos := len(order) // shuffle before the first batch
	evaluated := false
	for t.steps < t.cfg.Steps {
		if err := ctx.Err(); err != nil {
			t.restore()
			return err
		}
		if t.cfg.Time > 0 && time.Since(t.start) >= t.cfg.Time {
			break
		}
		s0 := time.Now()
		t.fill(order, &pos)
		pl, vl := t.step()
		t.steps++
		t.examples += int64(t.cfg.Batch)
		t.sincePL += pl
		t.sinceVL += vl
		t.sinceSteps++
		t.sinceExamples += int64(t.cfg.Batch)
		t.sinceTrain += time.Since(s0)
		evaluated = false
		if t.steps%t.cfg.EvalEvery == 0 {
			evaluated = true
			if t.checkpoint(t.steps == t.cfg.Steps) {
				break
			}
		}
	}
	switch {
	case !evaluated:
		t.checkpoint(true)
	case t.progress != nil && !t.last.Final:
		// stopped by the clock right after an evaluation
		t.last.Final = true
		t.progress(t.last)
	}
	t.restore()
	return nil
}
