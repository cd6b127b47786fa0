package supervised

import (
	"fmt"
	"math"
	"time"

	"argmax/game"
	"argmax/nn"
)

// Sample is a training target given directly rather than derived from
// solver scores: a distribution over the actions and a value for the
// player to move, as a search produces them (its visit shares and the
// game's outcome) in expert iteration.
type Sample struct {
	State  game.State
	Policy []float32 // one weight per action of the game, summing to 1, zero on illegal actions
	Value  float32   // in [-1, 1], for the player to move in State
}

// Learner trains a policy/value net step by step on batches its caller
// draws — from a replay buffer of self-play, say — with the loss, the
// optimizer (AdamW), the learning-rate schedule and the mirror
// augmentation of Train. Config.Steps and Config.Time set the length of
// the learning-rate schedule (the learner does not stop by itself), or
// SetLR sets the rate;
// Config.Target, the validation split and Patience do not apply.
//
// A Learner is not safe for concurrent use, and the Policy it returns
// must not run while a Step does: expert iteration alternates playing and
// learning.
type Learner struct {
	t *trainer
}

// NewLearner returns a learner for game g whose net starts from the
// weights cfg.Seed draws.
func NewLearner(g game.Game, cfg Config) (*Learner, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("supervised: learner: %w", err)
	}
	enc := NewEncoding(g, cfg.OnesPlane)
	if err := enc.check(); err != nil {
		return nil, fmt.Errorf("supervised: learner: game %s: %w", g.Name(), err)
	}
	if cfg.Mirror && enc.Mirror == "" {
		return nil, fmt.Errorf("supervised: learner: mirror augmentation: the actions of %s are neither the columns nor the cells of its observation", g.Name())
	}
	t := newTrainer(enc, cfg, nil, nil)
	t.start = time.Now()
	t.sched.start = t.start
	return &Learner{t: t}, nil
}

// ResumeLearner returns a learner that continues training p (a net loaded
// from a checkpoint, say) with cfg's optimizer and schedule, its step
// count starting at steps (so the schedule resumes where it was). The
// optimizer's moments start afresh.
func ResumeLearner(p *Policy, cfg Config, steps int) (*Learner, error) {
	cfg = cfg.withDefaults()
	cfg.Net, cfg.OnesPlane = p.cfg.Net, p.enc.OnesPlane
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("supervised: learner: %w", err)
	}
	t := newTrainer(p.enc, cfg, nil, nil)
	t.p.net = p.net
	t.params = t.p.net.Params()
	t.opt = nn.NewAdamW(t.params, t.sched, cfg.WeightDecay)
	t.steps = steps
	t.start = time.Now()
	t.sched.start = t.start
	return &Learner{t: t}, nil
}

// SetLR sets the learning rate of the steps that follow, in place of
// Config's schedule (0 returns to it): for a caller that schedules by its
// own progress, as expert iteration does by iterations.
func (l *Learner) SetLR(lr float64) { l.t.sched.fixed = lr }

// Step takes one gradient step on batch (at most Config.Batch samples,
// each mirrored with probability ½ when Config.Mirror is set) and returns
// the policy (cross-entropy) and value (squared error) losses before the
// step. A sample whose policy is not a distribution over the legal
// actions, or whose value is outside [-1, 1], is an error naming it.
func (l *Learner) Step(batch []Sample) (policyLoss, valueLoss float64, err error) {
	t := l.t
	B, A, size := len(batch), t.enc.Actions, t.enc.Size()
	if B == 0 || B > t.cfg.Batch {
		return 0, 0, fmt.Errorf("supervised: learner: a batch of %d samples (want 1 to %d)", B, t.cfg.Batch)
	}
	for j, s := range batch {
		if err := l.check(s); err != nil {
			return 0, 0, fmt.Errorf("supervised: learner: sample %d (%s): %w", j, s.State.String(), err)
		}
		x := t.xb[j*size : (j+1)*size]
		pt, mt := t.pb[j*A:(j+1)*A], t.mb[j*A:(j+1)*A]
		clear(mt)
		for a := range A {
			if !s.State.IsLegal(game.Action(a)) {
				mt[a] = illegalLogit
			}
		}
		copy(pt, s.Policy)
		t.enc.Encode(s.State, x)
		if t.cfg.Mirror && t.rng.IntN(2) == 1 {
			var tmp [2][]float32
			tmp[0], tmp[1] = append([]float32(nil), pt...), append([]float32(nil), mt...)
			for a := range A {
				m := t.enc.MirrorAction(a)
				pt[m], mt[m] = tmp[0][a], tmp[1][a]
			}
			src := append([]float32(nil), x...)
			t.enc.mirrorInput(x, src)
		}
		t.vb[j] = s.Value
	}
	pl, vl := t.stepN(B)
	t.steps++
	t.examples += int64(B)
	return pl, vl, nil
}

// check reports what is wrong with a sample's targets.
func (l *Learner) check(s Sample) error {
	A := l.t.enc.Actions
	if s.State == nil {
		return fmt.Errorf("no state")
	}
	if len(s.Policy) != A {
		return fmt.Errorf("%d policy weights, want %d", len(s.Policy), A)
	}
	sum := 0.0
	for a, w := range s.Policy {
		if w < 0 || math.IsNaN(float64(w)) || (w > 0 && !s.State.IsLegal(game.Action(a))) {
			return fmt.Errorf("policy weight %g on action %d", w, a)
		}
		sum += float64(w)
	}
	if math.Abs(sum-1) > 1e-3 {
		return fmt.Errorf("policy weights sum to %g, want 1", sum)
	}
	if !(s.Value >= -1 && s.Value <= 1) {
		return fmt.Errorf("value %g outside [-1, 1]", s.Value)
	}
	return nil
}

// Steps returns the gradient steps taken (with those of a resumed run).
func (l *Learner) Steps() int { return l.t.steps }

// Policy returns the net as trained so far, sharing the learner's weights
// (give each goroutine its own Clone); its TrainingCost counts the steps
// (a resumed learner's included) and this learner's samples, FLOPs and
// time.
func (l *Learner) Policy() *Policy {
	t := l.t
	t.p.training.Iterations = int64(t.steps)
	t.p.training.Samples = t.examples
	t.p.training.ForwardPasses = t.examples
	t.p.training.FLOPs = t.tape.FLOPs()
	t.p.training.Elapsed = time.Since(t.start)
	return t.p
}
