package ppo

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
	"argmax/env/control"
	"argmax/nn"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

// TestGAE checks advantages and value targets against a rollout worked
// out by hand: env 0 terminates at step 1 (no bootstrap), env 1 is
// truncated at step 0 with its reward already holding γ·V(final obs).
func TestGAE(t *testing.T) {
	const gamma, lambda = 0.9, 0.8
	// Step-major: index t·2 + env.
	rewards := []float64{
		1, 1 + gamma*4.0, // env 1 truncated: reward 1 plus γ·V(final) with V(final) = 4
		2, 0.5,
		3, -1,
	}
	values := []float64{0.5, 2, 1.0, 1, 1.5, 0.25}
	done := []bool{false, true, true, false, false, false}
	last := []float64{2.0, 0.5}
	// By hand.
	// env 0: t2: δ = 3 + .9·2 − 1.5 = 3.3, A = 3.3
	//        t1: ended: δ = 2 − 1 = 1, A = 1
	//        t0: δ = 1 + .9·1 − .5 = 1.4, A = 1.4 + .72·1 = 2.12
	// env 1: t2: δ = −1 + .9·.5 − .25 = −.8, A = −.8
	//        t1: δ = .5 + .9·.25 − 1 = −.275, A = −.275 + .72·(−.8) = −.851
	//        t0: ended: δ = 4.6 − 2 = 2.6, A = 2.6
	wantAdv := []float64{2.12, 2.6, 1, -0.851, 3.3, -0.8}
	adv, ret := make([]float64, 6), make([]float64, 6)
	gae(adv, ret, rewards, values, done, last, 2, gamma, lambda)
	for k := range adv {
		if !near(adv[k], wantAdv[k], 1e-12) || !near(ret[k], wantAdv[k]+values[k], 1e-12) {
			t.Errorf("transition %d: advantage %v return %v, want %v and %v", k, adv[k], ret[k], wantAdv[k], wantAdv[k]+values[k])
		}
	}
	// λ = 1 and γ = 1 without ends: advantages are the returns to go plus
	// the last value, less the value.
	adv1, ret1 := make([]float64, 3), make([]float64, 3)
	gae(adv1, ret1, []float64{1, 2, 3}, []float64{0, 0, 0}, []bool{false, false, false}, []float64{10}, 1, 1, 1)
	if !slices.Equal(ret1, []float64{16, 15, 13}) {
		t.Errorf("Monte Carlo returns %v, want [16 15 13]", ret1)
	}
}

// chain is a test env: the observation is the step count, the reward 1 per
// step; an episode ends after length steps, terminated or truncated.
type chain struct {
	length   int
	truncate bool
	step     int
	obs      [1]float64
	perf     float64
}

func (c *chain) Name() string                { return "chain" }
func (c *chain) ObservationSpace() env.Space { return env.Box([]float64{0}, []float64{100}) }
func (c *chain) ActionSpace() env.Space      { return env.Discrete(2) }
func (c *chain) Reset(uint64) []float64      { c.step, c.perf = 0, 0; c.obs[0] = 0; return c.obs[:] }
func (c *chain) Clone() env.Env              { d := *c; return &d }
func (c *chain) Performance() float64        { return c.perf }
func (c *chain) Step(a []float64) ([]float64, float64, bool, bool) {
	c.step++
	c.perf++
	c.obs[0] = float64(c.step)
	end := c.step >= c.length
	return c.obs[:], 1, end && !c.truncate, end && c.truncate
}

// TestBootstrap checks the rewards a rollout stores: a truncated episode's
// last reward gets γ·V(final observation), a terminated one's does not.
func TestBootstrap(t *testing.T) {
	for _, truncate := range []bool{false, true} {
		e := &chain{length: 3, truncate: truncate}
		cfg := Config{Envs: 2, Rollout: 8, Minibatches: 1, Gamma: 0.9, Seed: 3, Stop: Stop{Steps: 16}}
		tr, err := newTrainer(e, cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr.observe(tr.vec.Reset(1), nil)
		if _, err := tr.collect(context.Background()); err != nil {
			t.Fatal(err)
		}
		v3 := criticValue(tr, 3) // the final observation of every episode
		for k, r := range tr.rew {
			step := k/2 + 1 // the env step this transition took (within its episode: (step-1)%3+1)
			want := 1.0
			if step%3 == 0 && truncate {
				want += 0.9 * v3
			}
			if !tr.done[k] != (step%3 != 0) {
				t.Errorf("truncate=%v: transition %d done %v", truncate, k, tr.done[k])
			}
			if !near(r, want, 1e-6) {
				t.Errorf("truncate=%v: transition %d reward %v, want %v", truncate, k, r, want)
			}
		}
		if tr.stats.Episodes != 4 || tr.stats.EnvSteps != 16 {
			t.Errorf("episodes %d steps %d, want 4 and 16", tr.stats.Episodes, tr.stats.EnvSteps)
		}
		tr.vec.Close()
	}
}

func criticValue(tr *trainer, obs float64) float64 {
	tp := nn.NewTape[float32](nn.Eval)
	v := tr.ag.critic.Forward(tp, tp.Const([]float32{float32(obs)}, 1, 1))
	return float64(v.Data[0])
}

// TestSurrogate checks the clipped loss and its gradient with respect to
// the new log-probabilities against the hand computation: the gradient of
// −min(ρA, clip(ρ)A)/N is −ρA/N where the unclipped term is the smaller,
// 0 where the clip is active.
func TestSurrogate(t *testing.T) {
	const eps = 0.2
	cases := []struct {
		ratio, adv float64
		clipped    bool // the clipped term is the minimum (no gradient)
	}{
		{1.5, 2, true},     // pushed up past 1+ε with A > 0: clipped
		{1.5, -1, false},   // past 1+ε with A < 0: the unclipped term is smaller
		{0.5, 3, false},    // below 1−ε with A > 0: unclipped is smaller
		{0.5, -2, true},    // below 1−ε with A < 0: clipped
		{1.1, 0.7, false},  // inside the range
		{0.9, -0.4, false}, // inside the range
	}
	n := len(cases)
	newLogp, oldLogp, adv := make([]float64, n), make([]float64, n), make([]float64, n)
	var want float64
	wantGrad := make([]float64, n)
	for i, c := range cases {
		oldLogp[i] = -1.3 + 0.1*float64(i)
		newLogp[i] = oldLogp[i] + math.Log(c.ratio)
		adv[i] = c.adv
		clipR := min(max(c.ratio, 1-eps), 1+eps)
		want -= min(c.ratio*c.adv, clipR*c.adv) / float64(n)
		if !c.clipped {
			wantGrad[i] = -c.ratio * c.adv / float64(n)
		}
	}
	tp := nn.NewTape[float64](nn.Train)
	nl := tp.Var(newLogp, n)
	loss, _, ratio := surrogate(tp, nl, tp.Const(oldLogp, n), tp.Const(adv, n), eps)
	tp.Backward(loss)
	if !near(loss.Item(), want, 1e-12) {
		t.Errorf("loss %v, want %v", loss.Item(), want)
	}
	for i, c := range cases {
		if !near(ratio.Data[i], c.ratio, 1e-12) {
			t.Errorf("case %d: ratio %v, want %v", i, ratio.Data[i], c.ratio)
		}
		if !near(nl.Grad[i], wantGrad[i], 1e-12) {
			t.Errorf("case %d (ρ %v, A %v): gradient %v, want %v", i, c.ratio, c.adv, nl.Grad[i], wantGrad[i])
		}
	}
}

// TestValueLoss checks the clipped value loss and its gradient by hand.
func TestValueLoss(t *testing.T) {
	const eps = 0.2
	v := []float64{1.0, 0.0, 2.0}
	old := []float64{0.5, 0.1, 2.1}
	ret := []float64{2.0, -1.0, 0.0}
	// i=0: v−old = .5 → v_clip = .7; (1−2)² = 1, (.7−2)² = 1.69: the clipped term, no gradient.
	// i=1: v−old = −.1 inside → both (0+1)² = 1: gradient 2(v−R) = 2.
	// i=2: v−old = −.1 inside → (2−0)² = 4: gradient 4.
	wantLoss := 0.5 * (1.69 + 1 + 4) / 3
	wantGrad := []float64{0, 0.5 * 2 * 1 / 3, 0.5 * 2 * 2 / 3}
	tp := nn.NewTape[float64](nn.Train)
	vt := tp.Var(v, 3)
	loss := valueLoss(tp, vt, tp.Const(old, 3), tp.Const(ret, 3), true, eps)
	tp.Backward(loss)
	if !near(loss.Item(), wantLoss, 1e-12) {
		t.Errorf("clipped value loss %v, want %v", loss.Item(), wantLoss)
	}
	for i := range v {
		if !near(vt.Grad[i], wantGrad[i], 1e-12) {
			t.Errorf("gradient %d: %v, want %v", i, vt.Grad[i], wantGrad[i])
		}
	}
	tp.Reset()
	vt = tp.Var(v, 3)
	loss = valueLoss(tp, vt, tp.Const(old, 3), tp.Const(ret, 3), false, eps)
	if want := 0.5 * (1 + 1 + 4) / 3.0; !near(loss.Item(), want, 1e-12) {
		t.Errorf("value loss %v, want %v", loss.Item(), want)
	}
}

// TestDistributions checks the categorical and Gaussian log-probabilities
// and entropies against their closed forms.
func TestDistributions(t *testing.T) {
	tp := nn.NewTape[float64](nn.Eval)
	logits := tp.Const([]float64{0, math.Log(3), 1, 1}, 2, 2) // row 0: p = (1/4, 3/4); row 1: (1/2, 1/2)
	lp, ent := categorical(tp, logits, []int{1, 0})
	if !near(lp.Data[0], math.Log(0.75), 1e-12) || !near(lp.Data[1], math.Log(0.5), 1e-12) {
		t.Errorf("categorical log-probs %v", lp.Data)
	}
	h0 := -(0.25*math.Log(0.25) + 0.75*math.Log(0.75))
	if want := (h0 + math.Log(2)) / 2; !near(ent.Item(), want, 1e-12) {
		t.Errorf("categorical entropy %v, want %v", ent.Item(), want)
	}
	mean := tp.Const([]float64{0, 1}, 1, 2)
	logStd := tp.Const([]float64{0, math.Log(2)}, 2)
	x := tp.Const([]float64{1, 0}, 1, 2)
	lp, ent = gaussian(tp, mean, logStd, x)
	// N(1; 0, 1) · N(0; 1, 4)
	want := -0.5*math.Log(2*math.Pi) - 0.5 + (-0.5*math.Log(2*math.Pi*4) - 1.0/8)
	if !near(lp.Data[0], want, 1e-12) {
		t.Errorf("Gaussian log-density %v, want %v", lp.Data[0], want)
	}
	if want := 0.5*math.Log(2*math.Pi*math.E) + 0.5*math.Log(2*math.Pi*math.E*4); !near(ent.Item(), want, 1e-12) {
		t.Errorf("Gaussian entropy %v, want %v", ent.Item(), want)
	}
}

// TestRunningMeanStd checks the merged statistics of batches of several
// sizes against the closed form over all the data, with Gymnasium's prior
// (mean 0, variance 1, count 1e-4).
func TestRunningMeanStd(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const dim = 3
	r := newRunningMeanStd(dim)
	var all []float64
	for _, n := range []int{1, 5, 2, 17, 1, 64} {
		batch := make([]float64, n*dim)
		for i := range batch {
			batch[i] = 3*rng.NormFloat64() + float64(i%dim) - 5
		}
		r.update(batch)
		all = append(all, batch...)
	}
	N := float64(len(all) / dim)
	for j := range dim {
		var s float64
		for k := j; k < len(all); k += dim {
			s += all[k]
		}
		mean := s / (N + rmsEpsilon) // the prior's mean is 0
		m2 := rmsEpsilon * (1 + mean*mean)
		for k := j; k < len(all); k += dim {
			m2 += (all[k] - mean) * (all[k] - mean)
		}
		v := m2 / (N + rmsEpsilon)
		if !near(r.Mean[j], mean, 1e-10) || !near(r.Var[j], v, 1e-10) {
			t.Errorf("dim %d: mean %v var %v, want %v and %v", j, r.Mean[j], r.Var[j], mean, v)
		}
	}
	if !near(r.Count, N+rmsEpsilon, 1e-15) {
		t.Errorf("count %v, want %v", r.Count, N+rmsEpsilon)
	}
	// Normalization and its clip.
	nz := r.freeze(2)
	dst := make([]float32, dim)
	x := []float64{r.Mean[0], r.Mean[1] + math.Sqrt(r.Var[1]+normEps), 1e9}
	nz.apply(dst, x)
	if dst[0] != 0 || !near(float64(dst[1]), 1, 1e-6) || dst[2] != 2 {
		t.Errorf("normalized %v, want [0 1 2]", dst)
	}
}

// TestRewardScaler checks the scaled rewards against the running variance
// of the discounted returns computed directly.
func TestRewardScaler(t *testing.T) {
	s := newRewardScaler(2, 0.5, 10)
	rewards := [][]float64{{1, 2}, {1, -2}, {3, 0}}
	done := [][]bool{{false, true}, {false, false}, {true, false}}
	// Returns: step 0 (1, 2); env 1 restarts. Step 1 (1.5, −2). Step 2 (3.75, −1).
	rets := []float64{1, 2, 1.5, -2, 3.75, -1}
	dst := make([]float64, 2)
	for k := range rewards {
		s.scale(dst, rewards[k], done[k])
		seen := rets[:2*k+2]
		// population variance with the prior (mean 0, var 1, count 1e-4)
		var sum float64
		for _, v := range seen {
			sum += v
		}
		n := float64(len(seen))
		mean := sum / (n + rmsEpsilon)
		m2 := rmsEpsilon * (1 + mean*mean)
		for _, v := range seen {
			m2 += (v - mean) * (v - mean)
		}
		std := math.Sqrt(m2/(n+rmsEpsilon) + normEps)
		for i := range dst {
			if !near(dst[i], rewards[k][i]/std, 1e-10) {
				t.Errorf("step %d env %d: scaled %v, want %v", k, i, dst[i], rewards[k][i]/std)
			}
		}
	}
}

// TestOrthogonal checks that the initial weights are gain times
// semi-orthogonal matrices.
func TestOrthogonal(t *testing.T) {
	rng := nn.NewRand(5)
	for _, sh := range [][2]int{{64, 64}, {4, 64}, {64, 2}, {3, 1}} {
		p := nn.NewParam[float32]("w", sh[0], sh[1])
		orthogonal(rng, p, 2)
		in, out := sh[0], sh[1]
		// Gram matrix of the columns (in ≥ out) or rows (in < out): 4·I.
		k := min(in, out)
		for a := range k {
			for b := range k {
				var dot float64
				for r := range max(in, out) {
					var x, y float32
					if in >= out {
						x, y = p.Data[r*out+a], p.Data[r*out+b]
					} else {
						x, y = p.Data[a*out+r], p.Data[b*out+r]
					}
					dot += float64(x) * float64(y)
				}
				want := 0.0
				if a == b {
					want = 4
				}
				if math.Abs(dot-want) > 1e-5 {
					t.Fatalf("%v: Gram[%d][%d] = %v, want %v", sh, a, b, dot, want)
				}
			}
		}
	}
}

func cartPole(t testing.TB) env.Env {
	e, err := control.NewCartPole(control.CartPoleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func pendulum(t testing.TB) env.Env {
	e, err := control.NewPendulum(control.PendulumConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDeterminism trains twice with the same seed — at GOMAXPROCS 1 and 2,
// with 1 and 2 env workers — and checks that the weights, the normalizer
// and the curve are the same bit for bit; another seed differs.
func TestDeterminism(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    env.Env
		cfg  Config
	}{
		{"cartpole", cartPole(t), Config{Seed: 7, Stop: Stop{Steps: 2048}}},
		{"pendulum", pendulum(t), Config{Seed: 7, Envs: 2, Rollout: 256, Minibatches: 4, Epochs: 2, Stop: Stop{Steps: 1024}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(procs, workers int, seed uint64) (*Policy, []Update) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				cfg := tc.cfg
				cfg.Workers, cfg.Seed = workers, seed
				var curve []Update
				p, _, err := Train(context.Background(), tc.e, cfg, Hooks{Progress: func(u Update) error {
					u.Elapsed = 0
					curve = append(curve, u)
					return nil
				}})
				if err != nil {
					t.Fatal(err)
				}
				return p, curve
			}
			p1, c1 := run(1, 1, 7)
			p2, c2 := run(2, 2, 7)
			p3, _ := run(1, 1, 8)
			if !slices.Equal(c1, c2) {
				t.Errorf("curves differ:\n%+v\n%+v", c1, c2)
			}
			same := func(a, b *Policy) bool {
				for i, pa := range a.Params() {
					if !slices.Equal(pa.Data, b.Params()[i].Data) {
						return false
					}
				}
				return a.stats == nil || slices.Equal(a.stats.Mean, b.stats.Mean) && slices.Equal(a.stats.Var, b.stats.Var)
			}
			if !same(p1, p2) {
				t.Error("same seed, different weights")
			}
			if same(p1, p3) {
				t.Error("different seeds, same weights")
			}
		})
	}
}

// TestLearnsCartPole trains on CartPole-v1 for 60,000 steps (about a
// second on 2 cores) and checks that the training episodes' mean return
// rose far above a random policy's (about 22) and that the deterministic
// policy does better still.
func TestLearnsCartPole(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about a second")
	}
	e := cartPole(t)
	p, st, err := Train(context.Background(), e, Config{Seed: 1, Stop: Stop{Steps: 60_000}}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != StoppedSteps || st.EnvSteps != 59904 || st.Updates != 117 {
		t.Errorf("stats %+v", st)
	}
	if st.MeanReturn < 120 {
		t.Errorf("mean return of the last %d training episodes %.1f, want ≥ 120 (random: ~22)", st.Window, st.MeanReturn)
	}
	var total float64
	for i := range 10 {
		ep, err := env.Rollout(context.Background(), e, p, uint64(1000+i), argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		total += ep.Return
		if ep.Cost.ForwardPasses != int64(ep.Steps) {
			t.Errorf("episode of %d steps counted %d forward passes", ep.Steps, ep.Cost.ForwardPasses)
		}
	}
	t.Logf("training mean return %.1f after %d steps (%v); greedy policy %.1f over 10 episodes", st.MeanReturn, st.EnvSteps, st.Elapsed, total/10)
	if total/10 < st.MeanReturn*0.8 {
		t.Errorf("greedy mean return %.1f, want near or above the training mean %.1f", total/10, st.MeanReturn)
	}
	c := p.TrainingCost()
	if c.Steps != st.EnvSteps || c.Iterations != st.GradientSteps || c.Iterations != 117*16 || c.FLOPs <= 0 || c.Elapsed <= 0 {
		t.Errorf("training cost %+v, stats %+v", c, st)
	}
}

// TestTarget stops at a target mean return on the chain (every episode
// returns 5).
func TestTarget(t *testing.T) {
	e := &chain{length: 5}
	cfg := Config{Envs: 1, Rollout: 64, Minibatches: 2, Seed: 1, Stop: Stop{Steps: 10_000, Target: Target{Return: 5, Episodes: 3}}}
	_, st, err := Train(context.Background(), e, cfg, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != StoppedTarget || !st.Reached || st.ReachedSteps != 15 || st.EnvSteps != 15 || st.Updates != 0 || st.MeanReturn != 5 {
		t.Errorf("stats %+v, want the target reached after 15 steps", st)
	}
}

// TestHooksAndContext: ErrStop ends training without error, another error
// is returned, a cancelled context stops with its error.
func TestHooksAndContext(t *testing.T) {
	e := &chain{length: 4}
	cfg := Config{Envs: 2, Rollout: 16, Minibatches: 2, Seed: 1, Stop: Stop{Steps: 320}}
	p, st, err := Train(context.Background(), e, cfg, Hooks{Progress: func(u Update) error {
		if u.Update == 3 {
			return ErrStop
		}
		return nil
	}})
	if err != nil || p == nil || st.Reason != StoppedHook || st.Updates != 3 || st.EnvSteps != 96 {
		t.Errorf("ErrStop: %v, %+v", err, st)
	}
	boom := errors.New("boom")
	_, st, err = Train(context.Background(), e, cfg, Hooks{Progress: func(Update) error { return boom }})
	if !errors.Is(err, boom) || st.Reason != StoppedError || st.Updates != 1 {
		t.Errorf("hook error: %v, %+v", err, st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, st, err = Train(ctx, e, cfg, Hooks{})
	if !errors.Is(err, context.Canceled) || p == nil || st.Reason != StoppedContext {
		t.Errorf("cancelled: %v, %+v", err, st)
	}
}

// TestConfigErrors lists bad configs and the field each error names.
func TestConfigErrors(t *testing.T) {
	e := cartPole(t)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Envs: -1}, "envs -1"},
		{Config{Envs: 1, Rollout: 4, Minibatches: 8}, "8 minibatches"},
		{Config{LR: -1}, "lr -1"},
		{Config{Gamma: 1.5}, "gamma 1.5"},
		{Config{Lambda: -0.5}, "lambda -0.5"},
		{Config{ClipCoef: math.NaN()}, "clip_coef NaN"},
		{Config{TargetKL: -1}, "target_kl -1"},
		{Config{Hidden: []int{64, 0}}, "hidden widths [64 0]"},
		{Config{Stop: Stop{Steps: 100}}, "stop.steps 100"},
		{Config{Stop: Stop{Target: Target{Episodes: -1}}}, "stop.target"},
		{Config{AnnealLR: 7}, "toggle Toggle(7)"},
	} {
		_, _, err := Train(context.Background(), e, tc.cfg, Hooks{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one naming %q", tc.cfg, err, tc.want)
		}
	}
}

// TestDefaults checks that zero fields take CleanRL's defaults for the
// action space.
func TestDefaults(t *testing.T) {
	d := Config{}.WithDefaults(env.Discrete(2))
	if d.Envs != 4 || d.Rollout != 128 || d.LR != 2.5e-4 || d.Minibatches != 4 || d.Epochs != 4 || d.EntCoef != 0.01 ||
		d.NormObs != Off || d.NormReward != Off || d.AnnealLR != On || d.Stop.Steps != 500_000 || !slices.Equal(d.Hidden, []int{64, 64}) {
		t.Errorf("discrete defaults %+v", d)
	}
	c := Config{EntCoef: -1, NormObs: Off}.WithDefaults(env.Box([]float64{-2}, []float64{2}))
	if c.Envs != 1 || c.Rollout != 2048 || c.LR != 3e-4 || c.Minibatches != 32 || c.Epochs != 10 || c.entCoef() != 0 ||
		c.NormObs != Off || c.NormReward != On || c.Stop.Steps != 1_000_000 {
		t.Errorf("continuous defaults %+v", c)
	}
}

// TestPolicy checks the answers of a trained policy: greedy actions are the
// argmax of the distribution, sampling follows it, the cost is one forward
// pass of the counted FLOPs, box actions are in the box, and a checkpoint
// round trip gives the same answers.
func TestPolicy(t *testing.T) {
	ctx := context.Background()
	e := cartPole(t)
	p, _, err := Train(ctx, e, Config{Seed: 2, Stop: Stop{Steps: 4096}}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	obs := []float64{0.01, -0.2, 0.05, 0.3}
	s := env.Situation{Obs: obs, Env: e}
	a, c, err := p.Decide(ctx, s, argmax.Budget{})
	if err != nil {
		t.Fatal(err)
	}
	// 4×64 + 64×64 + 64×2 multiply-adds.
	if c.ForwardPasses != 1 || c.FLOPs != 2*(4*64+64*64+64*2) {
		t.Errorf("decision cost %+v", c)
	}
	dist := make([]float32, 2)
	if _, err := p.Distribution(ctx, s, argmax.Budget{}, dist); err != nil {
		t.Fatal(err)
	}
	if greedy := slices.Index(dist, slices.Max(dist)); int(a[0]) != greedy || !near(float64(dist[0]+dist[1]), 1, 1e-6) {
		t.Errorf("action %v, distribution %v", a, dist)
	}
	sp := p.Sampling(9)
	ones := 0
	const draws = 4000
	for range draws {
		a, _, _ := sp.Decide(ctx, s, argmax.Budget{})
		ones += int(a[0])
	}
	if share := float64(ones) / draws; math.Abs(share-float64(dist[1])) > 0.03 {
		t.Errorf("sampled action 1 in %.3f of draws, probability %.3f", share, dist[1])
	}
	if _, _, err := p.Decide(ctx, env.Situation{Obs: obs[:3]}, argmax.Budget{}); err == nil {
		t.Error("an observation of 3 values was accepted")
	}
	checkRoundTrip(t, p, [][]float64{obs, {0.1, 0.5, -0.1, -1}})

	// A Gaussian policy: actions in the box, the normalizer saved.
	pe := pendulum(t)
	q, _, err := Train(ctx, pe, Config{Seed: 2, Rollout: 256, Minibatches: 4, Epochs: 2, InitLogStd: 1, Stop: Stop{Steps: 512}}, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	qs := q.Sampling(1)
	for i := range 200 {
		o := []float64{math.Cos(float64(i)), math.Sin(float64(i)), float64(i%17) - 8}
		a, _, _ := qs.Decide(ctx, env.Situation{Obs: o}, argmax.Budget{})
		if err := pe.ActionSpace().Check(a); err != nil {
			t.Fatalf("sampled action: %v", err)
		}
	}
	if q.stats == nil || q.stats.Count < 512 {
		t.Errorf("normalizer statistics %+v", q.stats)
	}
	if _, err := q.Distribution(ctx, env.Situation{Obs: []float64{1, 0, 0}}, argmax.Budget{}, dist); err == nil {
		t.Error("a Gaussian policy gave a distribution")
	}
	checkRoundTrip(t, q, [][]float64{{1, 0, 0}, {0, 1, -3}})
}

func checkRoundTrip(t *testing.T, p *Policy, obs [][]float64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy.safetensors")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		a, _, _ := p.Decide(context.Background(), env.Situation{Obs: o}, argmax.Budget{})
		a = slices.Clone(a)
		b, _, _ := q.Decide(context.Background(), env.Situation{Obs: o}, argmax.Budget{})
		va, _, _ := p.Value(o)
		vb, _, _ := q.Value(o)
		if !slices.Equal(a, b) || va != vb {
			t.Errorf("obs %v: saved policy answers %v (value %v), loaded %v (value %v)", o, a, va, b, vb)
		}
	}
	if q.TrainingCost() != p.TrainingCost() || !reflect.DeepEqual(q.Config(), p.Config()) {
		t.Errorf("loaded cost %+v config %+v, saved %+v %+v", q.TrainingCost(), q.Config(), p.TrainingCost(), p.Config())
	}
	// A file that is not a checkpoint, and one of another format.
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(bad, []byte("not safetensors"), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("garbage file: %v", err)
	}
	if err := nn.Save(bad, p.Params(), map[string]string{"format": "other"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("wrong format: %v", err)
	}
}
