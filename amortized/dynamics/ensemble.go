package dynamics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"argmax"
	"argmax/env"
	"argmax/nn"
)

// RewardFunc is a task's known reward of a transition: the reward of
// taking action in obs and reaching next.
type RewardFunc func(obs, action, next []float64) float64

// DoneFunc is a task's known termination rule: whether the transition
// from obs by action to next ends the episode.
type DoneFunc func(obs, action, next []float64) bool

// Defaults applied by New to zero fields of a Config.
const (
	// DefaultMembers is the size of the ensemble (PETS's 5).
	DefaultMembers = 5
	// DefaultEpochs is the number of passes over its data a member makes
	// at each Fit.
	DefaultEpochs = 20
	// DefaultBatchSize is the minibatch size.
	DefaultBatchSize = 64
	// DefaultLearningRate is Adam's step size.
	DefaultLearningRate = 1e-3
	// DefaultMinLogVar and DefaultMaxLogVar bound a Gaussian head's log
	// variance, in standardized output units.
	DefaultMinLogVar = -10.0
	DefaultMaxLogVar = 0.5
	// DefaultActivation is the hidden activation (PETS uses swish; GELU
	// is its closest relative in nn).
	DefaultActivation = nn.GELU
)

// DefaultHidden is the width of the hidden layers of a member when
// Config.Hidden is nil.
var DefaultHidden = []int{200, 200, 200}

// Config sets up an Ensemble. Zero fields take the defaults documented on
// them; the zero value is PETS's probabilistic ensemble trained by plain
// Gaussian NLL, and DefaultConfig adds β-NLL, which fits the mean of
// noise-free dynamics much better.
type Config struct {
	// Members is the number of nets; 0 means DefaultMembers.
	Members int
	// Hidden lists the widths of a member's hidden layers; nil means
	// DefaultHidden, an empty non-nil slice none (a linear model).
	Hidden []int
	// Activation is the hidden layers' activation; the zero value
	// (nn.Identity) means DefaultActivation.
	Activation nn.Act
	// Deterministic gives the members mean heads trained by squared error
	// instead of Gaussian heads trained by negative log-likelihood.
	Deterministic bool
	// MinLogVar and MaxLogVar bound a Gaussian head's log variance, in
	// standardized output units; both 0 mean DefaultMinLogVar and
	// DefaultMaxLogVar.
	MinLogVar, MaxLogVar float64
	// Beta, when positive, trains Gaussian heads by β-NLL (Seitzer et al.
	// 2022): each element's negative log-likelihood is weighted by its
	// predicted variance to the power β (not differentiated), which keeps
	// the mean's fit from stalling where the head predicts a large
	// variance. 0 is the plain NLL; 0.5 is the paper's recommendation;
	// 1 gives the mean the gradient of squared error.
	Beta float64
	// NoBootstrap trains every member on the whole dataset instead of its
	// own resample (the members then differ by initialization and
	// minibatch order alone).
	NoBootstrap bool
	// Epochs is the number of passes over its data a member makes at each
	// Fit; 0 means DefaultEpochs.
	Epochs int
	// BatchSize is the minibatch size; 0 means DefaultBatchSize.
	BatchSize int
	// LearningRate is Adam's step size; 0 means DefaultLearningRate.
	LearningRate float64
	// WeightDecay, when positive, makes the optimizer AdamW with this
	// decoupled decay.
	WeightDecay float64
	// Reward is the task's known reward function; nil means the members
	// learn the reward as one more output.
	Reward RewardFunc
	// Done is the task's known termination rule; nil means simulated
	// episodes never end.
	Done DoneFunc
	// Seed seeds the initial weights, the bootstrap resamples and the
	// minibatch order.
	Seed uint64
}

// DefaultBeta is the β DefaultConfig sets.
const DefaultBeta = 0.5

// DefaultConfig returns the recommended settings: Gaussian heads trained
// by β-NLL with β = DefaultBeta.
func DefaultConfig() Config { return Config{Beta: DefaultBeta} }

func (c Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	pos := func(v *int, def int, name string) {
		if *v == 0 {
			*v = def
		} else if *v < 0 {
			bad("%s=%d: want ≥ 1", name, *v)
		}
	}
	pos(&c.Members, DefaultMembers, "members")
	pos(&c.Epochs, DefaultEpochs, "epochs")
	pos(&c.BatchSize, DefaultBatchSize, "batch size")
	if c.Hidden == nil {
		c.Hidden = DefaultHidden
	}
	c.Hidden = slices.Clone(c.Hidden)
	for _, w := range c.Hidden {
		if w < 1 {
			bad("hidden widths %v: want each ≥ 1", c.Hidden)
			break
		}
	}
	if c.Activation == nn.Identity {
		c.Activation = DefaultActivation
	}
	if c.MinLogVar == 0 && c.MaxLogVar == 0 {
		c.MinLogVar, c.MaxLogVar = DefaultMinLogVar, DefaultMaxLogVar
	}
	if !(c.MinLogVar < c.MaxLogVar) || math.IsInf(c.MinLogVar, 0) || math.IsInf(c.MaxLogVar, 0) {
		bad("log variance bounds [%v, %v]: want finite min < max", c.MinLogVar, c.MaxLogVar)
	}
	if !(c.Beta >= 0 && c.Beta <= 1) {
		bad("beta=%v: want a value in [0, 1]", c.Beta)
	}
	if c.LearningRate == 0 {
		c.LearningRate = DefaultLearningRate
	}
	if !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0) {
		bad("learning rate=%v: want a finite number > 0", c.LearningRate)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		bad("weight decay=%v: want a finite number ≥ 0", c.WeightDecay)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("dynamics config: %w", errors.Join(errs...))
	}
	return c, nil
}

// Ensemble is a learned dynamics model of an env: Members nets predicting
// the change of observation (and the reward, unless it is known) from an
// observation and an action. Fit trains it; Predict queries it; Model
// simulates action sequences with it for a planner. An Ensemble is not
// safe for concurrent use.
type Ensemble struct {
	cfg            Config
	obsDim, actDim int       // vector lengths
	n              int       // discrete actions (0 for a box)
	aLo, aHi       []float64 // box action bounds
	oLo, oHi       []float64 // observation bounds
	in, out        int       // net input and output widths (out: predicted values, without variances)

	nets []*nn.MLP[float32]
	opts []*nn.Adam[float32]

	// Standardization: x̂ = (x-mean)/std for inputs and outputs.
	inMean, inStd, outMean, outStd []float64
	fitted                         bool

	fits  int
	cost  argmax.Cost
	train *nn.Tape[float32]
	eval  *nn.Tape[float32]

	xbuf, ybuf, wbuf []float32 // batch buffers
}

var _ argmax.Trainable = (*Ensemble)(nil)

// New returns an untrained ensemble for an env with the given observation
// space (a box) and action space, or an error naming the first wrong field
// of cfg.
func New(obs, act env.Space, cfg Config) (*Ensemble, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if obs.IsDiscrete() || obs.Dim() == 0 {
		return nil, fmt.Errorf("dynamics: observation space %v: want a non-empty box", obs)
	}
	if act.Dim() == 0 {
		return nil, fmt.Errorf("dynamics: empty action space %v", act)
	}
	e := &Ensemble{
		cfg: cfg, obsDim: obs.Dim(), actDim: act.Dim(),
		oLo: slices.Clone(obs.Low), oHi: slices.Clone(obs.High),
		train: nn.NewTape[float32](nn.Train), eval: nn.NewTape[float32](nn.Eval),
	}
	if act.IsDiscrete() {
		e.n = act.N
		e.in = e.obsDim + e.n
	} else {
		e.aLo, e.aHi = slices.Clone(act.Low), slices.Clone(act.High)
		e.in = e.obsDim + e.actDim
	}
	e.out = e.obsDim
	if cfg.Reward == nil {
		e.out++
	}
	heads := e.out
	if !cfg.Deterministic {
		heads *= 2
	}
	sizes := append(append([]int{e.in}, cfg.Hidden...), heads)
	rng := nn.NewRand(cfg.Seed)
	for m := range cfg.Members {
		net := nn.NewMLP[float32](rng, fmt.Sprintf("member%d", m), sizes, cfg.Activation, nn.Identity)
		e.nets = append(e.nets, net)
		var opt *nn.Adam[float32]
		if cfg.WeightDecay > 0 {
			opt = nn.NewAdamW(net.Params(), nn.ConstLR(cfg.LearningRate), cfg.WeightDecay)
		} else {
			opt = nn.NewAdam(net.Params(), nn.ConstLR(cfg.LearningRate))
		}
		e.opts = append(e.opts, opt)
	}
	e.inMean, e.inStd = make([]float64, e.in), ones(e.in)
	e.outMean, e.outStd = make([]float64, e.out), ones(e.out)
	return e, nil
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// Config returns the ensemble's configuration with its defaults filled in.
func (e *Ensemble) Config() Config {
	c := e.cfg
	c.Hidden = slices.Clone(c.Hidden)
	return c
}

// Members returns the number of nets.
func (e *Ensemble) Members() int { return len(e.nets) }

// TrainingCost is the work of every Fit so far: gradient steps
// (Iterations, one per member and minibatch), rows trained on (Samples),
// and the nets' FLOPs, forward and backward.
func (e *Ensemble) TrainingCost() argmax.Cost { return e.cost }

// FitResult reports one Fit.
type FitResult struct {
	// Loss is each member's mean training loss over its last epoch
	// (negative log-likelihood per output, or squared error, in
	// standardized units).
	Loss []float64
	// Steps is the number of gradient steps taken, over all members.
	Steps int
	// Cost is the work of this Fit (see TrainingCost).
	Cost argmax.Cost
}

// Fit trains every member for Config.Epochs passes over its bootstrap
// resample of d (or the whole of d), continuing from the current weights,
// after setting the standardization from d. It stops with ctx's error
// when ctx is cancelled.
func (e *Ensemble) Fit(ctx context.Context, d *Dataset) (FitResult, error) {
	if d.ObsDim != e.obsDim || d.ActDim != e.actDim {
		return FitResult{}, fmt.Errorf("dynamics: dataset of %d-value observations and %d-value actions for a model of %d and %d",
			d.ObsDim, d.ActDim, e.obsDim, e.actDim)
	}
	n := d.Len()
	if n == 0 {
		return FitResult{}, errors.New("dynamics: fit on an empty dataset")
	}
	x, y := e.encode(d)
	e.standardize(x, y, n)
	xs, ys := make([]float32, len(x)), make([]float32, len(y))
	for i := range n {
		e.normIn(x[i*e.in:(i+1)*e.in], xs[i*e.in:(i+1)*e.in])
		for j := range e.out {
			ys[i*e.out+j] = float32((y[i*e.out+j] - e.outMean[j]) / e.outStd[j])
		}
	}
	e.fitted = true
	e.fits++
	rng := rand.New(rand.NewPCG(e.cfg.Seed, uint64(e.fits)))
	M := len(e.nets)
	idx := make([][]int, M)
	for m := range M {
		idx[m] = make([]int, n)
		for i := range idx[m] {
			if e.cfg.NoBootstrap {
				idx[m][i] = i
			} else {
				idx[m][i] = rng.IntN(n)
			}
		}
	}
	bs := min(e.cfg.BatchSize, n)
	batches := (n + bs - 1) / bs
	res := FitResult{Loss: make([]float64, M)}
	flops0 := e.train.FLOPs()
	var rows int64
	for epoch := range e.cfg.Epochs {
		for m := range M {
			rng.Shuffle(n, func(i, j int) { idx[m][i], idx[m][j] = idx[m][j], idx[m][i] })
		}
		last := epoch == e.cfg.Epochs-1
		for bi := range batches {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			lo, hi := bi*bs, min(n, (bi+1)*bs)
			for m := range M {
				loss := e.step(m, idx[m][lo:hi], xs, ys)
				if last {
					res.Loss[m] += loss * float64(hi-lo) / float64(n)
				}
				rows += int64(hi - lo)
				res.Steps++
			}
		}
	}
	res.Cost = argmax.Cost{Iterations: int64(res.Steps), Samples: rows, FLOPs: e.train.FLOPs() - flops0}
	e.cost = e.cost.Add(res.Cost)
	return res, nil
}

// step takes one gradient step of member m on the rows idx and returns
// the minibatch loss.
func (e *Ensemble) step(m int, idx []int, xs, ys []float32) float64 {
	b := len(idx)
	e.xbuf = slices.Grow(e.xbuf[:0], b*e.in)[:b*e.in]
	e.ybuf = slices.Grow(e.ybuf[:0], b*e.out)[:b*e.out]
	for r, i := range idx {
		copy(e.xbuf[r*e.in:(r+1)*e.in], xs[i*e.in:(i+1)*e.in])
		copy(e.ybuf[r*e.out:(r+1)*e.out], ys[i*e.out:(i+1)*e.out])
	}
	tp := e.train
	tp.Reset()
	out := e.nets[m].Forward(tp, tp.Const(e.xbuf, b, e.in))
	target := tp.Const(e.ybuf, b, e.out)
	var loss *nn.Tensor[float32]
	if e.cfg.Deterministic {
		loss = tp.MSE(out, target)
	} else {
		mean := tp.SliceLast(out, 0, e.out)
		logVar := e.logVar(tp, tp.SliceLast(out, e.out, 2*e.out))
		if e.cfg.Beta == 0 {
			loss = tp.GaussianNLL(mean, logVar, target)
		} else {
			// ½(log σ² + (y-μ)²/σ²) + ½log 2π, weighted by sg(σ²)^β.
			w := grow(&e.wbuf, logVar.Len())
			for i, lv := range logVar.Data {
				w[i] = float32(math.Exp(e.cfg.Beta * float64(lv)))
			}
			sq := tp.Square(tp.Sub(target, mean))
			nll := tp.Scale(tp.Add(logVar, tp.Mul(sq, tp.Exp(tp.Scale(logVar, -1, 0)))), 0.5, 0.5*math.Log(2*math.Pi))
			loss = tp.Mean(tp.Mul(nll, tp.Const(w, logVar.Shape()...)))
		}
	}
	tp.Backward(loss)
	e.opts[m].Step()
	return loss.Item()
}

// logVar bounds a head's raw output to [MinLogVar, MaxLogVar] smoothly.
func (e *Ensemble) logVar(tp *nn.Tape[float32], raw *nn.Tensor[float32]) *nn.Tensor[float32] {
	lo, hi := e.cfg.MinLogVar, e.cfg.MaxLogVar
	return tp.Scale(tp.Sigmoid(raw), hi-lo, lo)
}

// encode returns the raw inputs (observation, action clipped or one-hot)
// and targets (change of observation, reward) of d.
func (e *Ensemble) encode(d *Dataset) (x, y []float64) {
	n := d.Len()
	x, y = make([]float64, n*e.in), make([]float64, n*e.out)
	for i := range n {
		o := d.Obs[i*e.obsDim : (i+1)*e.obsDim]
		e.input(o, d.Actions[i*e.actDim:(i+1)*e.actDim], x[i*e.in:(i+1)*e.in])
		nx := d.Next[i*e.obsDim : (i+1)*e.obsDim]
		row := y[i*e.out : (i+1)*e.out]
		for j := range e.obsDim {
			row[j] = nx[j] - o[j]
		}
		if e.cfg.Reward == nil {
			row[e.obsDim] = d.Rewards[i]
		}
	}
	return x, y
}

// input writes the raw input row of (obs, action) into dst.
func (e *Ensemble) input(obs, action, dst []float64) {
	copy(dst, obs)
	a := dst[e.obsDim:]
	if e.n > 0 {
		clear(a)
		k := int(action[0])
		if k < 0 || k >= e.n || float64(k) != action[0] {
			panic(fmt.Sprintf("dynamics: discrete action %v outside 0..%d", action[0], e.n-1))
		}
		a[k] = 1
		return
	}
	for j := range e.actDim {
		a[j] = max(e.aLo[j], min(e.aHi[j], action[j]))
	}
}

// standardize sets the input and output statistics from the raw rows.
func (e *Ensemble) standardize(x, y []float64, n int) {
	stats := func(v []float64, w int, mean, std []float64) {
		for j := range w {
			var s float64
			for i := range n {
				s += v[i*w+j]
			}
			mu := s / float64(n)
			var ss float64
			for i := range n {
				dv := v[i*w+j] - mu
				ss += dv * dv
			}
			sd := math.Sqrt(ss / float64(n))
			if sd < 1e-8 {
				sd = 1
			}
			mean[j], std[j] = mu, sd
		}
	}
	stats(x, e.in, e.inMean, e.inStd)
	stats(y, e.out, e.outMean, e.outStd)
}

// normIn standardizes a raw input row into dst.
func (e *Ensemble) normIn(x []float64, dst []float32) {
	for j, v := range x {
		dst[j] = float32((v - e.inMean[j]) / e.inStd[j])
	}
}

// forward runs member m on b standardized input rows on the eval tape and
// returns the output rows (valid until the tape's next Reset).
func (e *Ensemble) forward(m int, xs []float32, b int) []float32 {
	tp := e.eval
	tp.Reset()
	return e.nets[m].Forward(tp, tp.Const(xs, b, e.in)).Data
}

// Predict returns the ensemble's prediction for one transition: the
// average over the members of their mean predictions of the next
// observation (written to dst, grown as needed, clipped to the
// observation box) and of the reward (the known reward of the predicted
// transition when Config.Reward is set).
func (e *Ensemble) Predict(obs, action, dst []float64) (next []float64, reward float64) {
	next = slices.Grow(dst[:0], e.obsDim)[:e.obsDim]
	clear(next)
	for m := range e.nets {
		reward += e.predict(m, obs, action, next) / float64(len(e.nets))
	}
	for j := range next {
		next[j] = next[j]/float64(len(e.nets)) + obs[j]
	}
	e.clipObs(next)
	if e.cfg.Reward != nil {
		reward = e.cfg.Reward(obs, action, next)
	}
	return next, reward
}

// PredictMember returns member m's mean prediction for one transition, as
// Predict does for the ensemble.
func (e *Ensemble) PredictMember(m int, obs, action, dst []float64) (next []float64, reward float64) {
	next = slices.Grow(dst[:0], e.obsDim)[:e.obsDim]
	clear(next)
	reward = e.predict(m, obs, action, next)
	for j := range next {
		next[j] += obs[j]
	}
	e.clipObs(next)
	if e.cfg.Reward != nil {
		reward = e.cfg.Reward(obs, action, next)
	}
	return next, reward
}

// predict adds member m's mean predicted change of observation to delta
// and returns its predicted reward (0 when the reward is known).
func (e *Ensemble) predict(m int, obs, action, delta []float64) float64 {
	if len(obs) != e.obsDim || len(action) != e.actDim {
		panic(fmt.Sprintf("dynamics: observation of %d and action of %d values for a model of %d and %d", len(obs), len(action), e.obsDim, e.actDim))
	}
	raw := make([]float64, e.in)
	e.input(obs, action, raw)
	xs := make([]float32, e.in)
	e.normIn(raw, xs)
	out := e.forward(m, xs, 1)
	for j := range e.obsDim {
		delta[j] += float64(out[j])*e.outStd[j] + e.outMean[j]
	}
	if e.cfg.Reward == nil {
		return float64(out[e.obsDim])*e.outStd[e.obsDim] + e.outMean[e.obsDim]
	}
	return 0
}

// clipObs clips an observation to the observation box.
func (e *Ensemble) clipObs(o []float64) {
	for j := range o {
		o[j] = max(e.oLo[j], min(e.oHi[j], o[j]))
	}
}

// MSE returns the mean squared errors of the ensemble's Predict on d: of
// the next observation (averaged over its dimensions) and of the reward.
func (e *Ensemble) MSE(d *Dataset) (next, reward float64) {
	n := d.Len()
	var buf []float64
	for i := range n {
		o := d.Obs[i*e.obsDim : (i+1)*e.obsDim]
		p, r := e.Predict(o, d.Actions[i*e.actDim:(i+1)*e.actDim], buf)
		buf = p
		for j, v := range d.Next[i*e.obsDim : (i+1)*e.obsDim] {
			next += (p[j] - v) * (p[j] - v)
		}
		reward += (r - d.Rewards[i]) * (r - d.Rewards[i])
	}
	return next / float64(n*e.obsDim), reward / float64(n)
}
