package dqn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/env"
	"argmax/nn"
)

// Hooks are Train's callbacks; the zero value has none.
type Hooks struct {
	// Progress, when set, is called every Every env steps, after every
	// evaluation, and once at the end (with Final set).
	Progress func(Progress)
	// Every is the number of env steps between reports; 0 means 1,000.
	Every int
}

// Progress is what training reports as it goes.
type Progress struct {
	Steps         int     // env steps collected so far
	Episodes      int     // training episodes finished
	GradientSteps int     // gradient steps taken
	MeanReturn    float64 // mean return of the last Config.Window training episodes (NaN before the first)
	Loss          float64 // mean loss of the gradient steps since the last report (NaN if none)
	Epsilon       float64 // the exploration rate of the last step
	EvalReturn    float64 // mean return of the last greedy evaluation (NaN before the first)
	Evaluated     bool    // this report follows an evaluation
	Elapsed       time.Duration
	Final         bool // the last report, after training stopped
}

// String renders the report on one line.
func (p Progress) String() string {
	s := fmt.Sprintf("steps %d  episodes %d  return %.1f  loss %.4g  ε %.3f  grad %d  %v",
		p.Steps, p.Episodes, p.MeanReturn, p.Loss, p.Epsilon, p.GradientSteps, p.Elapsed.Round(10*time.Millisecond))
	if !math.IsNaN(p.EvalReturn) {
		s += fmt.Sprintf("  eval %.1f", p.EvalReturn)
	}
	if p.Final {
		s += "  (final)"
	}
	return s
}

// StopReason says which stopping rule ended training.
type StopReason string

// The stopping rules.
const (
	StopSteps     StopReason = "steps"     // Config.Steps env steps were collected
	StopReturn    StopReason = "return"    // the mean return reached Config.TargetReturn
	StopTime      StopReason = "time"      // Config.Time ran out
	StopCancelled StopReason = "cancelled" // the context was cancelled
)

// Stats summarizes a training run.
type Stats struct {
	Steps         int // env steps collected for training
	EvalSteps     int // env steps taken by greedy evaluations
	Episodes      int // training episodes finished
	GradientSteps int
	TargetUpdates int

	// Returns holds the return of every finished training episode, in
	// the order they finished; MeanReturn is the mean of the last
	// Config.Window of them (NaN if none finished).
	Returns    []float64
	MeanReturn float64

	// Evaluations counts the greedy evaluations, EvalReturn is the mean
	// return of the last one and BestEvalReturn of the best, taken after
	// BestEvalStep env steps (all NaN or 0 without evaluations).
	Evaluations    int
	EvalReturn     float64
	BestEvalReturn float64
	BestEvalStep   int
	// KeptBest reports that the returned weights are those of the best
	// evaluation rather than the last ones (Config.KeepBest).
	KeptBest bool

	Elapsed time.Duration
	Stop    StopReason
}

// Train learns a Q-network for e (which must have a discrete action
// space) with cfg and returns the greedy policy, with Stats of the run.
// e itself is not stepped: training collects from Config.Envs clones in
// an env.Vec and evaluates on another clone.
//
// When ctx is cancelled, Train returns the policy as trained so far, its
// Stats, and ctx's error. A config out of range, or an env with a
// continuous action space, is an error before any work.
func Train(ctx context.Context, e env.Env, cfg Config, hooks Hooks) (*Policy, Stats, error) {
	t, err := newTrainer(e, cfg, hooks)
	if err != nil {
		return nil, Stats{}, err
	}
	defer t.vec.Close()
	err = t.run(ctx)
	return t.policy, t.stats, err
}

// Seeds derived from Config.Seed, one per random stream.
const (
	seedNet uint64 = iota + 1
	seedExplore
	seedReplay
	seedEnvs
	seedEval
)

// derive mixes seed with a stream number (splitmix64's finalizer), so
// that the streams of one seed, and of nearby seeds, are unrelated.
func derive(seed, stream uint64) uint64 {
	z := seed + stream*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// trainer holds the state of one training run.
type trainer struct {
	cfg    Config
	hooks  Hooks
	obsDim int
	nA     int
	n      int // envs

	vec     *env.Vec
	evalEnv env.Env
	policy  *Policy // acts with the online network
	online  *nn.MLP[float32]
	target  *nn.MLP[float32]
	onlineP []*nn.Param[float32]
	targetP []*nn.Param[float32]
	opt     *nn.Adam[float32]
	replay  *Replay
	rng     *rand.Rand // exploration

	trainTape, targetTape *nn.Tape[float32]
	batch                 Batch
	y                     []float32

	obs     []float64 // the current observations, n rows
	actIdx  []int
	actions []float64
	explore []bool
	epRet   []float64

	best     [][]float32 // weights of the best evaluation (KeepBest)
	bestStep int

	stats    Stats
	cost     argmax.Cost
	lossSum  float64
	lossN    int
	epsilon  float64
	start    time.Time
	lastEval int // env step of the last evaluation (-1: none)
}

func newTrainer(e env.Env, cfg Config, hooks Hooks) (*trainer, error) {
	if e == nil {
		return nil, errors.New("dqn: no env")
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	as, obsSpace := e.ActionSpace(), e.ObservationSpace()
	if !as.IsDiscrete() {
		return nil, fmt.Errorf("dqn: env %s: action space %v, want a discrete one", e.Name(), as)
	}
	if hooks.Every < 0 {
		return nil, fmt.Errorf("dqn: hooks: every = %d, want ≥ 0", hooks.Every)
	}
	if hooks.Every == 0 {
		hooks.Every = 1000
	}
	cfg = cfg.clone()
	t := &trainer{cfg: cfg, hooks: hooks, obsDim: obsSpace.Dim(), nA: as.N, n: cfg.Envs, lastEval: -1}
	var err error
	if t.vec, err = env.NewVec(e, cfg.Envs, cfg.Workers); err != nil {
		return nil, fmt.Errorf("dqn: %w", err)
	}
	if t.replay, err = NewReplay(cfg.Buffer, t.obsDim, derive(cfg.Seed, seedReplay)); err != nil {
		return nil, err
	}
	t.evalEnv = e.Clone()
	t.policy = newPolicy(e.Name(), t.obsDim, t.nA, cfg, derive(cfg.Seed, seedNet))
	t.online = t.policy.net
	t.target = newNet(0, t.obsDim, t.nA, cfg.Hidden)
	t.onlineP, t.targetP = t.online.Params(), t.target.Params()
	for i, p := range t.onlineP {
		copy(t.targetP[i].Data, p.Data)
	}
	t.opt = nn.NewAdam(t.onlineP, nn.ConstLR(cfg.LR))
	t.rng = rand.New(rand.NewPCG(derive(cfg.Seed, seedExplore), 0x6578706c6f7265)) // "explore"
	t.trainTape, t.targetTape = nn.NewTape[float32](nn.Train), nn.NewTape[float32](nn.Eval)
	t.y = make([]float32, cfg.Batch)
	t.obs = make([]float64, t.n*t.obsDim)
	t.actIdx, t.actions = make([]int, t.n), make([]float64, t.n)
	t.explore, t.epRet = make([]bool, t.n), make([]float64, t.n)
	t.stats.MeanReturn, t.stats.EvalReturn, t.stats.BestEvalReturn = math.NaN(), math.NaN(), math.NaN()
	return t, nil
}

// run is the training loop.
func (t *trainer) run(ctx context.Context) (err error) {
	cfg := t.cfg
	t.start = time.Now()
	defer func() { err = t.finish(ctx, err) }()
	copy(t.obs, t.vec.Reset(derive(cfg.Seed, seedEnvs)))
	nextTrain, nextTarget, nextEval, nextReport := cfg.TrainEvery, cfg.TargetEvery, cfg.EvalEvery, t.hooks.Every
	for {
		if err := ctx.Err(); err != nil {
			t.stats.Stop = StopCancelled
			return err
		}
		episodes := t.stats.Episodes
		t.collect()
		steps := t.stats.Steps
		for ; steps >= nextTrain; nextTrain += cfg.TrainEvery {
			if steps >= cfg.LearningStarts {
				for range cfg.GradientSteps {
					t.gradStep()
				}
			}
		}
		for ; steps >= nextTarget; nextTarget += cfg.TargetEvery {
			if steps >= cfg.LearningStarts {
				t.updateTarget()
			}
		}
		evaluated := false
		for ; cfg.EvalEvery > 0 && steps >= nextEval; nextEval += cfg.EvalEvery {
			if steps >= cfg.LearningStarts && !evaluated {
				if err := t.evaluate(ctx); err != nil {
					t.stats.Stop = StopCancelled
					return err
				}
				evaluated = true
			}
		}
		if t.stats.Episodes > episodes {
			t.stats.MeanReturn = meanLast(t.stats.Returns, cfg.Window)
		}
		report := evaluated
		for ; steps >= nextReport; nextReport += t.hooks.Every {
			report = true
		}
		if report {
			t.report(evaluated, false)
		}
		switch {
		case cfg.StopAtReturn && evaluated && t.stats.EvalReturn >= cfg.TargetReturn,
			cfg.StopAtReturn && len(t.stats.Returns) >= cfg.Window && t.stats.MeanReturn >= cfg.TargetReturn:
			t.stats.Stop = StopReturn
			return nil
		case cfg.Time > 0 && time.Since(t.start) >= cfg.Time:
			t.stats.Stop = StopTime
			return nil
		case steps >= cfg.Steps:
			t.stats.Stop = StopSteps
			return nil
		}
	}
}

// finish closes the run that ended with err: with KeepBest, evaluates
// the last weights too and keeps the best; then records the cost and
// makes the final report. It returns the run's error.
func (t *trainer) finish(ctx context.Context, err error) error {
	if err == nil && t.cfg.KeepBest && t.cfg.EvalEvery > 0 && t.stats.Steps >= t.cfg.LearningStarts {
		if t.lastEval != t.stats.Steps {
			if err = t.evaluate(ctx); err != nil {
				t.stats.Stop = StopCancelled
			}
		}
		if err == nil && t.best != nil && t.bestStep != t.lastEval {
			for i, p := range t.onlineP {
				copy(p.Data, t.best[i])
			}
			t.stats.KeptBest = true
		}
	}
	t.stats.Elapsed = time.Since(t.start)
	t.cost.Steps = int64(t.stats.Steps + t.stats.EvalSteps)
	t.cost.Iterations = int64(t.stats.GradientSteps)
	t.cost.Elapsed = t.stats.Elapsed
	t.policy.training = t.cost
	t.report(false, true)
	return err
}

// collect takes one ε-greedy step in every env and stores the
// transitions.
func (t *trainer) collect() {
	d, n := t.obsDim, t.n
	t.epsilon = t.cfg.Epsilon(t.stats.Steps)
	anyGreedy := false
	for i := range n {
		t.explore[i] = t.rng.Float64() < t.epsilon
		if t.explore[i] {
			t.actIdx[i] = t.rng.IntN(t.nA)
		} else {
			anyGreedy = true
		}
	}
	if anyGreedy {
		q, flops := t.policy.forward(t.obs, n)
		t.cost.ForwardPasses += int64(n)
		t.cost.FLOPs += flops
		for i := range n {
			if !t.explore[i] {
				t.actIdx[i] = greedy(q[i*t.nA : (i+1)*t.nA])
			}
		}
	}
	for i, a := range t.actIdx {
		t.actions[i] = float64(a)
	}
	next, rewards, term, trunc := t.vec.Step(t.actions)
	final := t.vec.FinalObs()
	for i := range n {
		s2 := next[i*d : (i+1)*d]
		if term[i] || trunc[i] {
			// The next row already holds the next episode's first
			// observation; the transition led to the final one.
			s2 = final[i*d : (i+1)*d]
		}
		t.replay.Add(t.obs[i*d:(i+1)*d], t.actIdx[i], rewards[i], s2, term[i])
		t.epRet[i] += rewards[i]
		if term[i] || trunc[i] {
			t.stats.Returns = append(t.stats.Returns, t.epRet[i])
			t.stats.Episodes++
			t.epRet[i] = 0
		}
	}
	copy(t.obs, next)
	t.stats.Steps += n
}

// gradStep takes one gradient step on a minibatch from the replay buffer.
func (t *trainer) gradStep() {
	cfg, b := t.cfg, &t.batch
	t.replay.Sample(cfg.Batch, b)
	B := b.Len()

	tt := t.targetTape
	tt.Reset()
	f0 := tt.FLOPs()
	next := tt.Const(b.Next, B, t.obsDim)
	qTarget := t.target.Forward(tt, next).Data
	var qOnline []float32
	t.cost.ForwardPasses += int64(B)
	if cfg.Double {
		qOnline = t.online.Forward(tt, next).Data
		t.cost.ForwardPasses += int64(B)
	}
	tdTargets(t.y, b.Rewards, b.Terminated, qOnline, qTarget, t.nA, cfg.Gamma)
	t.cost.FLOPs += tt.FLOPs() - f0

	tp := t.trainTape
	tp.Reset()
	f0 = tp.FLOPs()
	q := t.online.Forward(tp, tp.Const(b.Obs, B, t.obsDim))
	qa := tp.Gather(q, b.Actions)
	y := tp.Const(t.y, B)
	var loss *nn.Tensor[float32]
	if cfg.Loss == MSE {
		loss = tp.MSE(qa, y)
	} else {
		loss = tp.Huber(qa, y, 1)
	}
	tp.Backward(loss)
	t.cost.FLOPs += tp.FLOPs() - f0
	t.cost.ForwardPasses += int64(B)
	t.cost.Samples += int64(B)
	if cfg.MaxGradNorm > 0 {
		nn.ClipGradNorm(t.onlineP, cfg.MaxGradNorm)
	}
	t.opt.Step()
	t.lossSum += loss.Item()
	t.lossN++
	t.stats.GradientSteps++
}

// tdTargets writes the one-step TD targets of a minibatch into y:
//
//	y[i] = r[i] + γ·(1 − terminated[i])·qTarget[i, a*]
//
// where qTarget holds the target network's Q-values of the next
// observations (rows of nA) and a* is the argmax of qOnline[i] — the
// online network's values of the same observations (double DQN) — or,
// when qOnline is nil, of qTarget[i] itself (DQN's max). A truncated
// transition is not terminated: it bootstraps.
func tdTargets(y []float32, rewards []float64, terminated []bool, qOnline, qTarget []float32, nA int, gamma float64) {
	for i, r := range rewards {
		v := r
		if !terminated[i] {
			row := qTarget[i*nA : (i+1)*nA]
			a := 0
			if qOnline != nil {
				a = greedy(qOnline[i*nA : (i+1)*nA])
			} else {
				a = greedy(row)
			}
			v += gamma * float64(row[a])
		}
		y[i] = float32(v)
	}
}

// updateTarget moves the target network towards the online one:
// θ' ← τ·θ + (1 − τ)·θ'.
func (t *trainer) updateTarget() {
	tau := float32(t.cfg.Tau)
	for i, p := range t.onlineP {
		dst := t.targetP[i].Data
		if t.cfg.Tau == 1 {
			copy(dst, p.Data)
			continue
		}
		for j, w := range p.Data {
			dst[j] = tau*w + (1-tau)*dst[j]
		}
	}
	t.stats.TargetUpdates++
}

// evaluate plays Config.EvalEpisodes greedy episodes on the evaluation
// clone, from the same seeds every time, and records their mean return.
func (t *trainer) evaluate(ctx context.Context) error {
	var sum float64
	base := derive(t.cfg.Seed, seedEval)
	for k := range t.cfg.EvalEpisodes {
		ep, err := env.Rollout(ctx, t.evalEnv, t.policy, env.EpisodeSeed(base, 0, k), argmax.Budget{})
		t.cost.ForwardPasses += ep.Cost.ForwardPasses
		t.cost.FLOPs += ep.Cost.FLOPs
		t.stats.EvalSteps += ep.Steps
		if err != nil {
			return err
		}
		sum += ep.Return
	}
	mean := sum / float64(t.cfg.EvalEpisodes)
	t.stats.Evaluations++
	t.stats.EvalReturn = mean
	t.lastEval = t.stats.Steps
	if t.stats.Evaluations == 1 || mean > t.stats.BestEvalReturn {
		t.stats.BestEvalReturn, t.stats.BestEvalStep = mean, t.stats.Steps
		if t.cfg.KeepBest {
			if t.best == nil {
				t.best = make([][]float32, len(t.onlineP))
			}
			for i, p := range t.onlineP {
				t.best[i] = append(t.best[i][:0], p.Data...)
			}
			t.bestStep = t.stats.Steps
		}
	}
	return nil
}

// report calls the progress hook, if any.
func (t *trainer) report(evaluated, final bool) {
	if t.hooks.Progress == nil {
		return
	}
	loss := math.NaN()
	if t.lossN > 0 {
		loss = t.lossSum / float64(t.lossN)
	}
	t.lossSum, t.lossN = 0, 0
	eval := math.NaN()
	if t.stats.Evaluations > 0 {
		eval = t.stats.EvalReturn
	}
	t.hooks.Progress(Progress{
		Steps: t.stats.Steps, Episodes: t.stats.Episodes, GradientSteps: t.stats.GradientSteps,
		MeanReturn: t.stats.MeanReturn, Loss: loss, Epsilon: t.epsilon, EvalReturn: eval,
		Evaluated: evaluated, Elapsed: time.Since(t.start), Final: final,
	})
}

// meanLast is the mean of the last k values of xs (all of them if fewer;
// NaN if none).
func meanLast(xs []float64, k int) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	xs = xs[max(len(xs)-k, 0):]
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
