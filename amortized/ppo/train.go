package ppo

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

// Streams of the PCG generators seeded by Config.Seed.
const (
	streamActions = 0x70706f2d61637473 // "ppo-acts"
	streamShuffle = 0x70706f2d73686666 // "ppo-shff"
)

// defaultWindow is the number of episodes the progress's mean return
// covers when no target sets it.
const defaultWindow = 20

// Update is the progress report of one update (one rollout and the
// gradient steps on it).
type Update struct {
	Update        int   // updates so far, from 1
	EnvSteps      int64 // env steps so far, all envs together
	Episodes      int   // training episodes finished so far
	GradientSteps int64 // gradient steps so far
	// MeanReturn is the mean return of the last Window finished training
	// episodes (Window ≤ the target's K, or 20); 0 when none has finished.
	MeanReturn float64
	Window     int
	LR         float64 // the learning rate of this update's gradient steps

	// Means over this update's gradient steps: the clipped surrogate loss,
	// the value loss, the policy's entropy, the approximate KL divergence
	// from the rollout policy (mean of (ρ−1) − log ρ), the share of
	// ratios outside the clip range, and the gradient norm before clipping.
	PolicyLoss, ValueLoss, Entropy float64
	ApproxKL, ClipFrac, GradNorm   float64
	// ExplainedVariance is 1 − Var(R − V)/Var(R) over the rollout's value
	// targets R and the critic's values V (0 when R does not vary).
	ExplainedVariance float64

	Elapsed time.Duration // wall time since training started
}

// StopReason says why training stopped.
type StopReason string

// The reasons.
const (
	StoppedSteps   StopReason = "steps"   // the step budget was spent
	StoppedTarget  StopReason = "target"  // the target mean return was reached
	StoppedTime    StopReason = "time"    // the time limit passed
	StoppedHook    StopReason = "hook"    // the progress hook returned ErrStop
	StoppedContext StopReason = "context" // the context was cancelled
	StoppedError   StopReason = "error"   // the progress hook returned an error
)

// Stats is the record of a training run.
type Stats struct {
	Reason        StopReason
	Updates       int   // updates completed
	EnvSteps      int64 // env steps taken, all envs together
	Episodes      int   // training episodes finished
	GradientSteps int64
	// MeanReturn is the mean return of the last Window training episodes
	// when training stopped (0 when none had finished).
	MeanReturn float64
	Window     int
	// Reached reports that the target was reached, ReachedSteps and
	// ReachedTime after how many env steps and how much wall time.
	Reached      bool
	ReachedSteps int64
	ReachedTime  time.Duration
	Elapsed      time.Duration // wall time of the whole run
	Last         Update        // the last update's report (zero if none completed)
}

// Hooks are called during training.
type Hooks struct {
	// Progress, when set, is called after every update. Returning ErrStop
	// ends training there, without error; any other error ends it and
	// Train returns that error (with the policy trained so far).
	Progress func(Update) error
}

// ErrStop is returned by a progress hook to end training early.
var ErrStop = errors.New("ppo: stop training")

// Train trains a policy on copies of e (Config.Envs clones stepped together;
// e itself is left alone) and returns it with the run's record. Its config
// is cfg with defaults for e's action space (Config.WithDefaults); a field
// out of range is an error, as is a cancelled context (returned with the
// policy trained so far and its Stats, Reason StoppedContext).
func Train(ctx context.Context, e env.Env, cfg Config, hooks Hooks) (*Policy, Stats, error) {
	t, err := newTrainer(e, cfg)
	if err != nil {
		return nil, Stats{}, err
	}
	defer t.vec.Close()
	err = t.run(ctx, hooks)
	return t.policy(), t.stats, err
}

// lrSchedule is the learning rate set before each update.
type lrSchedule struct{ lr float64 }

func (s *lrSchedule) LR(int) float64 { return s.lr }

// trainer holds a training run's state.
type trainer struct {
	cfg      Config
	space    env.Space
	ag       *agent
	params   []*nn.Param[float32] // the trainable ones
	opt      *nn.Adam[float32]
	sched    *lrSchedule
	vec      *env.Vec
	n        int // envs
	obsDim   int
	actDim   int // action row length sent to the env
	discrete bool

	rollTape, trainTape *nn.Tape[float32]
	obsRMS              *runningMeanStd // nil without observation normalization
	norm                normalizer
	scaler              *rewardScaler // nil without reward scaling
	actRNG, shuffleRNG  *rand.Rand

	// The rollout, step-major: transition t of env i at t·n+i.
	obs     []float32 // normalized observations, rows of obsDim
	actIdx  []int     // discrete actions
	actF    []float32 // box actions, rows of actDim
	logp    []float32
	val     []float32
	rew     []float64 // rewards as trained on: scaled, with truncation bootstraps
	done    []bool
	val64   []float64
	adv     []float64
	ret     []float64
	last    []float64
	cur     []float32 // normalized current observations
	envAct  []float64 // the actions sent to the env
	scaled  []float64
	dones   []bool
	trunc   []int // envs truncated at the last step
	finalIn []float32

	// Minibatch scratch.
	perm                              []int
	mbObs                             []float32
	mbAct                             []int
	mbActF, mbLogp, mbAdv, mbRet, mbV []float32

	// Episodes.
	epRet  []float64
	recent []float64 // ring of the last window returns
	window int

	start   time.Time
	forward int64
	flops   int64
	stats   Stats
}

func newTrainer(e env.Env, cfg Config) (*trainer, error) {
	space, obsSpace := e.ActionSpace(), e.ObservationSpace()
	cfg = cfg.WithDefaults(space)
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if !space.IsDiscrete() {
		for i := range space.Low {
			if math.IsNaN(space.Low[i]) || math.IsNaN(space.High[i]) {
				return nil, fmt.Errorf("ppo: env %s: action space %v has NaN bounds", e.Name(), space)
			}
		}
	}
	vec, err := env.NewVec(e, cfg.Envs, cfg.Workers)
	if err != nil {
		return nil, fmt.Errorf("ppo: %w", err)
	}
	t := &trainer{cfg: cfg, space: space, n: cfg.Envs, obsDim: obsSpace.Dim(), actDim: space.Dim(),
		discrete: space.IsDiscrete(), vec: vec}
	outDim := t.actDim
	if t.discrete {
		outDim = space.N
	}
	t.ag = newAgent(nn.NewRand(cfg.Seed), t.obsDim, outDim, t.discrete, cfg.Hidden, cfg.InitLogStd)
	t.sched = &lrSchedule{lr: cfg.LR}
	t.params = nn.Trainable(t.ag.params())
	t.opt = nn.NewAdam(t.params, t.sched)
	t.opt.Eps = cfg.AdamEps
	t.rollTape, t.trainTape = nn.NewTape[float32](nn.Eval), nn.NewTape[float32](nn.Train)
	t.actRNG = rand.New(rand.NewPCG(cfg.Seed, streamActions))
	t.shuffleRNG = rand.New(rand.NewPCG(cfg.Seed, streamShuffle))
	if cfg.NormObs.on() {
		t.obsRMS = newRunningMeanStd(t.obsDim)
		t.norm = t.obsRMS.freeze(cfg.ObsClip)
	}
	if cfg.NormReward.on() {
		t.scaler = newRewardScaler(t.n, cfg.Gamma, cfg.RewardClip)
	}
	B := cfg.Batch()
	t.obs = make([]float32, B*t.obsDim)
	if t.discrete {
		t.actIdx = make([]int, B)
	} else {
		t.actF = make([]float32, B*t.actDim)
	}
	t.logp, t.val = make([]float32, B), make([]float32, B)
	t.rew, t.done = make([]float64, B), make([]bool, B)
	t.val64, t.adv, t.ret = make([]float64, B), make([]float64, B), make([]float64, B)
	t.last, t.cur = make([]float64, t.n), make([]float32, t.n*t.obsDim)
	t.envAct, t.scaled, t.dones = make([]float64, t.n*t.actDim), make([]float64, t.n), make([]bool, t.n)
	t.finalIn = make([]float32, t.n*t.obsDim)
	t.perm = make([]int, B)
	for i := range t.perm {
		t.perm[i] = i
	}
	mb := B / cfg.Minibatches
	t.mbObs = make([]float32, mb*t.obsDim)
	if t.discrete {
		t.mbAct = make([]int, mb)
	} else {
		t.mbActF = make([]float32, mb*t.actDim)
	}
	t.mbLogp, t.mbAdv, t.mbRet, t.mbV = make([]float32, mb), make([]float32, mb), make([]float32, mb), make([]float32, mb)
	t.epRet = make([]float64, t.n)
	t.window = defaultWindow
	if cfg.Stop.Target.Set() {
		t.window = cfg.Stop.Target.Episodes
	}
	return t, nil
}

// run trains until a stopping rule fires.
func (t *trainer) run(ctx context.Context, hooks Hooks) error {
	t.start = time.Now()
	defer func() {
		t.stats.Elapsed = time.Since(t.start)
		t.stats.MeanReturn, t.stats.Window = t.meanReturn()
	}()
	t.observe(t.vec.Reset(t.cfg.Seed), nil)
	updates := t.cfg.Updates()
	for u := 1; u <= updates; u++ {
		if t.cfg.AnnealLR.on() {
			t.sched.lr = (1 - float64(u-1)/float64(updates)) * t.cfg.LR
		}
		if reason, err := t.collect(ctx); reason != "" {
			t.stats.Reason = reason
			return err
		}
		rep := t.update()
		rep.Update = u
		t.stats.Updates = u
		t.stats.Last = rep
		if hooks.Progress != nil {
			if err := hooks.Progress(rep); err != nil {
				if errors.Is(err, ErrStop) {
					t.stats.Reason = StoppedHook
					return nil
				}
				t.stats.Reason = StoppedError
				return err
			}
		}
	}
	t.stats.Reason = StoppedSteps
	return nil
}

// observe normalizes the observations of a step (or of Reset) into t.cur,
// after adding them — and the final observations of the envs whose
// episodes ended (done) — to the running statistics.
func (t *trainer) observe(obs []float64, done []bool) {
	if t.obsRMS != nil {
		if done != nil {
			final := t.vec.FinalObs()
			for i, d := range done {
				if d {
					t.obsRMS.update(final[i*t.obsDim : (i+1)*t.obsDim])
				}
			}
		}
		t.obsRMS.update(obs)
		t.obsRMS.refreeze(&t.norm)
	}
	t.norm.apply(t.cur, obs)
}

// collect runs one rollout of cfg.Rollout vector steps into the buffers.
// It returns a non-empty reason when a stopping rule fired during it (and
// ctx's error for a cancelled context).
func (t *trainer) collect(ctx context.Context) (StopReason, error) {
	n, od, ad := t.n, t.obsDim, t.actDim
	tp := t.rollTape
	for s := range t.cfg.Rollout {
		if err := ctx.Err(); err != nil {
			return StoppedContext, err
		}
		base := s * n
		copy(t.obs[base*od:(base+n)*od], t.cur)
		tp.Reset()
		f0 := tp.FLOPs()
		x := tp.Const(t.obs[base*od:(base+n)*od], n, od)
		out := t.ag.actor.Forward(tp, x)
		v := t.ag.critic.Forward(tp, x)
		if t.discrete {
			lsm := tp.LogSoftmax(out)
			k := lsm.Cols()
			for i := range n {
				row := lsm.Data[i*k : i*k+k]
				a := sampleCategorical(t.actRNG, row)
				t.actIdx[base+i] = a
				t.logp[base+i] = row[a]
				t.envAct[i] = float64(a)
			}
		} else {
			acts := t.actF[base*ad : (base+n)*ad]
			for i := range n {
				for j := range ad {
					std := math.Exp(float64(t.ag.logStd.Data[j]))
					a := float32(float64(out.Data[i*ad+j]) + std*t.actRNG.NormFloat64())
					acts[i*ad+j] = a
					t.envAct[i*ad+j] = float64(a)
				}
			}
			lp, _ := gaussian(tp, out, tp.Param(t.ag.logStd), tp.Const(acts, n, ad))
			copy(t.logp[base:base+n], lp.Data)
		}
		copy(t.val[base:base+n], v.Data)
		t.forward += 2 * int64(n)
		t.flops += tp.FLOPs() - f0

		obs, rewards, term, trunc := t.vec.Step(t.envAct)
		t.stats.EnvSteps += int64(n)
		t.trunc = t.trunc[:0]
		for i := range n {
			t.dones[i] = term[i] || trunc[i]
			t.done[base+i] = t.dones[i]
			t.epRet[i] += rewards[i]
			if t.dones[i] {
				t.endEpisode(t.epRet[i])
				t.epRet[i] = 0
				if !term[i] {
					t.trunc = append(t.trunc, i)
				}
			}
		}
		r := rewards
		if t.scaler != nil {
			t.scaler.scale(t.scaled, rewards, t.dones)
			r = t.scaled
		}
		copy(t.rew[base:base+n], r)
		t.observe(obs, t.dones)
		if len(t.trunc) > 0 {
			t.bootstrap(base)
		}
		if t.cfg.Stop.Target.Set() && !t.stats.Reached {
			if m, w := t.meanReturn(); w >= t.window && m >= t.cfg.Stop.Target.Return {
				t.stats.Reached, t.stats.ReachedSteps, t.stats.ReachedTime = true, t.stats.EnvSteps, time.Since(t.start)
				return StoppedTarget, nil
			}
		}
		if t.cfg.Stop.Time > 0 && time.Since(t.start) >= t.cfg.Stop.Time {
			return StoppedTime, nil
		}
	}
	// The values of the observations the rollout stopped at.
	tp.Reset()
	f0 := tp.FLOPs()
	v := t.ag.critic.Forward(tp, tp.Const(t.cur, n, od))
	for i := range n {
		t.last[i] = float64(v.Data[i])
	}
	t.forward += int64(n)
	t.flops += tp.FLOPs() - f0
	return "", nil
}

// bootstrap adds γ·V(final observation) to the rewards of the envs in
// t.trunc, whose episodes were truncated at the step starting at base.
func (t *trainer) bootstrap(base int) {
	od := t.obsDim
	final := t.vec.FinalObs()
	for k, i := range t.trunc {
		t.norm.apply(t.finalIn[k*od:(k+1)*od], final[i*od:(i+1)*od])
	}
	m := len(t.trunc)
	tp := t.rollTape
	tp.Reset()
	f0 := tp.FLOPs()
	v := t.ag.critic.Forward(tp, tp.Const(t.finalIn[:m*od], m, od))
	for k, i := range t.trunc {
		t.rew[base+i] += t.cfg.Gamma * float64(v.Data[k])
	}
	t.forward += int64(m)
	t.flops += tp.FLOPs() - f0
}

// endEpisode records a finished episode's return.
func (t *trainer) endEpisode(ret float64) {
	if len(t.recent) < t.window {
		t.recent = append(t.recent, ret)
	} else {
		t.recent[t.stats.Episodes%t.window] = ret
	}
	t.stats.Episodes++
}

// meanReturn returns the mean of the recent returns and how many there
// are.
func (t *trainer) meanReturn() (float64, int) {
	if len(t.recent) == 0 {
		return 0, 0
	}
	var s float64
	for _, r := range t.recent {
		s += r
	}
	return s / float64(len(t.recent)), len(t.recent)
}

// update computes the advantages of the rollout and runs the epochs of
// gradient steps on it.
func (t *trainer) update() Update {
	cfg := t.cfg
	for i, v := range t.val {
		t.val64[i] = float64(v)
	}
	gae(t.adv, t.ret, t.rew, t.val64, t.done, t.last, t.n, cfg.Gamma, cfg.Lambda)
	rep := Update{LR: t.sched.lr, ExplainedVariance: explainedVariance(t.ret, t.val64)}

	B := cfg.Batch()
	mb := B / cfg.Minibatches
	od, ad := t.obsDim, t.actDim
	var count float64
	for range cfg.Epochs {
		t.shuffleRNG.Shuffle(B, func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
		var kl float64
		for start := 0; start+mb <= B; start += mb {
			idx := t.perm[start : start+mb]
			for r, k := range idx {
				copy(t.mbObs[r*od:(r+1)*od], t.obs[k*od:(k+1)*od])
				if t.discrete {
					t.mbAct[r] = t.actIdx[k]
				} else {
					copy(t.mbActF[r*ad:(r+1)*ad], t.actF[k*ad:(k+1)*ad])
				}
				t.mbLogp[r], t.mbRet[r], t.mbV[r] = t.logp[k], float32(t.ret[k]), t.val[k]
			}
			t.minibatchAdvantages(idx)
			st := t.step(mb)
			kl = st.ApproxKL
			rep.PolicyLoss += st.PolicyLoss
			rep.ValueLoss += st.ValueLoss
			rep.Entropy += st.Entropy
			rep.ApproxKL += st.ApproxKL
			rep.ClipFrac += st.ClipFrac
			rep.GradNorm += st.GradNorm
			count++
		}
		if cfg.TargetKL > 0 && kl > cfg.TargetKL {
			break
		}
	}
	if count > 0 {
		rep.PolicyLoss /= count
		rep.ValueLoss /= count
		rep.Entropy /= count
		rep.ApproxKL /= count
		rep.ClipFrac /= count
		rep.GradNorm /= count
	}
	rep.EnvSteps, rep.Episodes, rep.GradientSteps = t.stats.EnvSteps, t.stats.Episodes, t.stats.GradientSteps
	rep.MeanReturn, rep.Window = t.meanReturn()
	rep.Elapsed = time.Since(t.start)
	return rep
}

// minibatchAdvantages writes the advantages of the transitions idx into
// t.mbAdv, normalized to zero mean and unit (sample) standard deviation
// when cfg.NormAdv is on, as CleanRL does per minibatch.
func (t *trainer) minibatchAdvantages(idx []int) {
	if !t.cfg.NormAdv.on() || len(idx) < 2 {
		for r, k := range idx {
			t.mbAdv[r] = float32(t.adv[k])
		}
		return
	}
	var mean float64
	for _, k := range idx {
		mean += t.adv[k]
	}
	mean /= float64(len(idx))
	var ss float64
	for _, k := range idx {
		d := t.adv[k] - mean
		ss += d * d
	}
	std := math.Sqrt(ss / float64(len(idx)-1))
	for r, k := range idx {
		t.mbAdv[r] = float32((t.adv[k] - mean) / (std + 1e-8))
	}
}

// step is one gradient step on the minibatch of m transitions in the mb
// buffers; it returns the step's loss terms.
func (t *trainer) step(m int) Update {
	cfg := t.cfg
	tp := t.trainTape
	tp.Reset()
	f0 := tp.FLOPs()
	x := tp.Const(t.mbObs[:m*t.obsDim], m, t.obsDim)
	out := t.ag.actor.Forward(tp, x)
	var logp, ent *nn.Tensor[float32]
	if t.discrete {
		logp, ent = categorical(tp, out, t.mbAct[:m])
	} else {
		logp, ent = gaussian(tp, out, tp.Param(t.ag.logStd), tp.Const(t.mbActF[:m*t.actDim], m, t.actDim))
	}
	pg, logRatio, ratio := surrogate(tp, logp, tp.Const(t.mbLogp[:m], m), tp.Const(t.mbAdv[:m], m), cfg.ClipCoef)
	v := tp.Reshape(t.ag.critic.Forward(tp, x), m)
	vl := valueLoss(tp, v, tp.Const(t.mbV[:m], m), tp.Const(t.mbRet[:m], m), cfg.ClipValueLoss.on(), cfg.ClipCoef)
	loss := tp.Add(tp.Add(pg, tp.Scale(ent, -cfg.entCoef(), 0)), tp.Scale(vl, cfg.VFCoef, 0))
	tp.Backward(loss)
	ps := t.params
	var norm float64
	if cfg.MaxGradNorm > 0 {
		norm = nn.ClipGradNorm(ps, cfg.MaxGradNorm)
	} else {
		norm = nn.ClipGradNorm(ps, math.Inf(1))
	}
	t.opt.Step()
	t.stats.GradientSteps++
	t.forward += 2 * int64(m)
	t.flops += tp.FLOPs() - f0

	var kl, clipped float64
	for i, lr := range logRatio.Data {
		r := float64(ratio.Data[i])
		kl += (r - 1) - float64(lr)
		if math.Abs(r-1) > cfg.ClipCoef {
			clipped++
		}
	}
	return Update{PolicyLoss: pg.Item(), ValueLoss: vl.Item(), Entropy: ent.Item(),
		ApproxKL: kl / float64(m), ClipFrac: clipped / float64(m), GradNorm: norm}
}

// explainedVariance returns 1 − Var(ret − val)/Var(ret) (0 when the
// returns do not vary).
func explainedVariance(ret, val []float64) float64 {
	var mr, md float64
	for i, r := range ret {
		mr += r
		md += r - val[i]
	}
	n := float64(len(ret))
	mr, md = mr/n, md/n
	var vr, vd float64
	for i, r := range ret {
		vr += (r - mr) * (r - mr)
		d := r - val[i] - md
		vd += d * d
	}
	if vr == 0 {
		return 0
	}
	return 1 - vd/vr
}

// sampleCategorical draws an index from the distribution whose
// log-probabilities are logp.
func sampleCategorical(rng *rand.Rand, logp []float32) int {
	u := rng.Float64()
	var c float64
	for k, l := range logp {
		c += math.Exp(float64(l))
		if u < c {
			return k
		}
	}
	return len(logp) - 1
}

// trainingCost is the run's cost so far.
func (t *trainer) trainingCost() argmax.Cost {
	return argmax.Cost{Steps: t.stats.EnvSteps, Iterations: t.stats.GradientSteps, ForwardPasses: t.forward,
		FLOPs: t.flops, Elapsed: t.stats.Elapsed}
}
