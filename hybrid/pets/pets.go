// Package pets is the model-based reinforcement-learning loop of PETS,
// probabilistic ensembles with trajectory sampling (Chua et al. 2018): a
// hybrid in the taxonomy of argmax, where an amortized optimizer learns
// the map (amortized/dynamics, an ensemble fitted to the transitions seen)
// and a direct optimizer searches it at every decision (direct/cem's CEM,
// over the ensemble's trajectory sampling).
//
// Run collects episodes of random actions, fits the ensemble to their
// transitions, then alternates acting with the planner over the learned
// model and refitting on the grown dataset. Nothing is learned about
// actions: every decision is a search, and what training buys is a better
// model to search. The task's reward is known to the agent, as in PETS
// (Config.Ensemble.Reward: env/control exports the classic tasks'
// rewards as functions of a transition); the ensemble learns it otherwise.
//
// DefaultConfig holds the settings measured on Pendulum-v1 (see
// BenchmarkPETSPendulum): refits every 50 steps and a short CEM over Mean
// propagation. Agent.Save and Load keep a trained agent's ensemble and
// record in a safetensors checkpoint.
//
// # Determinism
//
// Every random draw — the random actions, the episodes' initial states,
// the ensemble's weights and minibatches, the planner's samples and the
// trajectory sampling — comes from streams seeded by Config.Seed, so the
// same seed and config give the same learning curve, bit for bit (a
// decision budget in wall time excepted).
package pets

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"argmax"
	"argmax/amortized/dynamics"
	"argmax/direct/cem"
	"argmax/env"
)

// Defaults applied by Run to zero fields of a Config.
const (
	// DefaultInitSteps is the number of random-action steps before the
	// first fit.
	DefaultInitSteps = 200
	// DefaultStepsPerIteration is the number of planned steps between
	// fits: a quarter of a Pendulum-v1 episode, so that the model learns
	// a region (the upright one) within the episode that first reaches
	// it, and stops the planner exploiting its errors there.
	DefaultStepsPerIteration = 50
	// DefaultIterations is the number of act-and-refit iterations: with
	// the other defaults, 800 planned steps after 200 random ones.
	DefaultIterations = 16
	// DefaultParticles is the number of particles per sequence of TS1 and
	// TSInf (PETS's 20); Mean propagation, which draws nothing, defaults
	// to 1.
	DefaultParticles = 20
)

// DefaultConfig returns the recommended settings, those measured on
// Pendulum-v1 (see BenchmarkPETSPendulum): 200 random steps, then 16
// iterations of 50 planned steps (1000 env steps in all); CEM over 100
// sequences × 4 iterations of horizon 20 with smoothing 0.1; an ensemble
// of 5 members of 64×64 (dynamics.DefaultConfig: β-NLL) trained 30 epochs
// a fit at learning rate 3e-3; and Mean propagation, the planner ranking
// sequences by the trajectory of the members' average prediction. Set
// Ensemble.Reward (and Done) to the task's known functions, and Seed.
//
// On Pendulum-v1 Mean propagation matched the planner on the true
// simulator from every start of the benchmark, where TS1 with 5
// particles, at the same cost, turned back from a swing-up the true
// model takes (its particles that follow a pessimistic member weigh
// against it), and learned faster.
func DefaultConfig() Config {
	ens := dynamics.DefaultConfig()
	ens.Members, ens.Hidden, ens.Epochs, ens.LearningRate = 5, []int{64, 64}, 30, 3e-3
	return Config{
		InitSteps: DefaultInitSteps, StepsPerIteration: DefaultStepsPerIteration, Iterations: DefaultIterations,
		Planner:     cem.Config{Method: cem.CEM, Horizon: 20, Samples: 100, Iterations: 4, Smoothing: cem.DefaultSmoothing},
		Ensemble:    ens,
		Propagation: dynamics.Mean,
		Particles:   1,
	}
}

// Config sets up a PETS run. Zero fields take the defaults documented on
// them.
type Config struct {
	// Seed seeds every stream of the run; Planner.Seed and Ensemble.Seed,
	// when zero, are derived from it.
	Seed uint64
	// InitSteps is the number of random-action env steps collected
	// before the first fit; 0 means DefaultInitSteps.
	InitSteps int
	// StepsPerIteration is the number of env steps the planner acts
	// between two fits; 0 means DefaultStepsPerIteration.
	StepsPerIteration int
	// Iterations is the number of act-and-refit iterations; 0 means
	// DefaultIterations.
	Iterations int
	// Planner configures the CEM (or MPPI) search over the learned model;
	// its zero value is direct/cem's defaults.
	Planner cem.Config
	// Budget bounds each decision (unlimited: the planner's own).
	Budget argmax.Budget
	// Ensemble configures the learned dynamics; set its Reward (and Done)
	// to the task's known functions (env/control), or leave them nil to
	// learn the reward and never end a simulated episode.
	Ensemble dynamics.Config
	// Propagation is the trajectory sampling: dynamics.TS1 (the default),
	// TSInf or Mean.
	Propagation dynamics.Propagation
	// Particles is the number of particles per sampled sequence; 0 means
	// DefaultParticles (1 for Mean propagation).
	Particles int
}

func (c Config) withDefaults() (Config, error) {
	var errs []error
	pos := func(v *int, def int, name string) {
		if *v == 0 {
			*v = def
		} else if *v < 0 {
			errs = append(errs, fmt.Errorf("%s=%d: want ≥ 1", name, *v))
		}
	}
	pos(&c.InitSteps, DefaultInitSteps, "initial steps")
	pos(&c.StepsPerIteration, DefaultStepsPerIteration, "steps per iteration")
	pos(&c.Iterations, DefaultIterations, "iterations")
	defParticles := DefaultParticles
	if c.Propagation == dynamics.Mean {
		defParticles = 1
	}
	pos(&c.Particles, defParticles, "particles")
	if c.Propagation < dynamics.TS1 || c.Propagation > dynamics.Mean {
		errs = append(errs, fmt.Errorf("propagation %d: want TS1, TSInf or Mean", int(c.Propagation)))
	}
	if err := c.Budget.Check(); err != nil {
		errs = append(errs, err)
	}
	if c.Planner.Seed == 0 {
		c.Planner.Seed = mix(c.Seed, 1)
	}
	if c.Ensemble.Seed == 0 {
		c.Ensemble.Seed = mix(c.Seed, 2)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("pets config: %w", errors.Join(errs...))
	}
	return c, nil
}

// mix derives a seed from a seed and a tag (SplitMix64's finalizer).
func mix(seed, tag uint64) uint64 {
	z := seed + tag*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Episode is one finished episode of the run: a point of the learning
// curve.
type Episode struct {
	// EnvSteps is the number of env steps of the run when it ended.
	EnvSteps int64
	// Return is its return; Steps its length.
	Return float64
	Steps  int
	// Iteration is the iteration it ended in: 0 for the random
	// collection, 1.. for the planner's.
	Iteration int
	// Random reports that every action of the episode was random.
	Random bool
	// Seed is the seed its env was reset with (its initial state).
	Seed uint64
}

// Progress is reported after the random collection (Iteration 0) and
// after every iteration, once the model has been refitted.
type Progress struct {
	Iteration int
	EnvSteps  int64
	// Episodes are the episodes finished so far.
	Episodes []Episode
	// FitLoss is the mean loss of the ensemble's members at the end of the
	// last fit.
	FitLoss float64
	Elapsed time.Duration
	// Agent is the agent as it stands, its ensemble just refitted: a
	// hook may query its model (it must not keep it past the call and
	// act with it, which would draw from the run's streams).
	Agent *Agent
}

// Hooks are called during a run.
type Hooks struct {
	// Progress, when set, is called after each fit; an error stops the
	// run, which returns it (ErrStop: without error).
	Progress func(Progress) error
}

// ErrStop is returned by a progress hook to end the run early.
var ErrStop = errors.New("pets: stop")

// Stats is the record of a run.
type Stats struct {
	// Episodes is the learning curve: every finished episode, in order.
	Episodes []Episode
	EnvSteps int64
	// Iterations is the number of iterations completed.
	Iterations int
	// Planning is the planner's cost over all its decisions (model steps,
	// forward passes, FLOPs, samples, iterations); Training the
	// ensemble's fits.
	Planning, Training argmax.Cost
	Elapsed            time.Duration
}

// TrainingCost is what the run cost as a whole, the price of the agent it
// returns: the ensemble's fits (Training) plus the planner's decisions
// while collecting data (Planning), with Decisions set to the env steps
// taken and Elapsed to the run's wall time.
func (s Stats) TrainingCost() argmax.Cost {
	c := s.Training.Add(s.Planning)
	c.Decisions, c.Elapsed = s.EnvSteps, s.Elapsed
	return c
}

// Agent is the result of a run: the learned model and the planner over
// it, an env.Policy that keeps planning (and an env.Resetter).
type Agent struct {
	Ensemble *dynamics.Ensemble
	Model    *dynamics.Model
	Planner  *cem.Planner
	Data     *dynamics.Dataset
}

// Decide plans with the learned model (the agent's Planner).
func (a *Agent) Decide(ctx context.Context, s env.Situation, b argmax.Budget) ([]float64, argmax.Cost, error) {
	return a.Planner.Decide(ctx, s, b)
}

// Reset starts a new episode.
func (a *Agent) Reset() { a.Planner.Reset() }

var (
	_ env.Policy   = (*Agent)(nil)
	_ env.Resetter = (*Agent)(nil)
)

// NewAgent returns the agent cfg describes over the ensemble ens (a
// fitted one, or one loaded from a checkpoint): the Model of cfg's
// propagation and particles, and the planner of cfg.Planner (seeded from
// cfg.Seed as Run seeds it), with an empty Data. It is how Run and Load
// build their agents; give each concurrent user its own ensemble
// (Ensemble.Clone).
func NewAgent(ens *dynamics.Ensemble, cfg Config) (*Agent, error) {
	if ens == nil {
		return nil, errors.New("pets: agent without an ensemble")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return newAgent(ens, cfg)
}

func newAgent(ens *dynamics.Ensemble, cfg Config) (*Agent, error) {
	model := &dynamics.Model{Ensemble: ens, Propagation: cfg.Propagation, Particles: cfg.Particles}
	planner, err := cem.New(model, cfg.Planner)
	if err != nil {
		return nil, fmt.Errorf("pets: %w", err)
	}
	obs, act := ens.Spaces()
	return &Agent{Ensemble: ens, Model: model, Planner: planner, Data: dynamics.NewDataset(obs.Dim(), act.Dim())}, nil
}

// Check returns the error Run would return for cfg on an env of the given
// spaces before taking a step (nil for a valid configuration).
func (c Config) Check(obs, act env.Space) error {
	cfg, err := c.withDefaults()
	if err != nil {
		return err
	}
	ens, err := dynamics.New(obs, act, cfg.Ensemble)
	if err != nil {
		return fmt.Errorf("pets: %w", err)
	}
	_, err = newAgent(ens, cfg)
	return err
}

// Run runs PETS on a clone of e (e itself is left alone) and returns the
// agent with the run's record. A cancelled context or a failing hook
// returns the agent and record so far with the error.
func Run(ctx context.Context, e env.Env, cfg Config, hooks Hooks) (*Agent, Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, Stats{}, err
	}
	ens, err := dynamics.New(e.ObservationSpace(), e.ActionSpace(), cfg.Ensemble)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("pets: %w", err)
	}
	agent, err := newAgent(ens, cfg)
	if err != nil {
		return nil, Stats{}, err
	}
	r := &run{cfg: cfg, env: e.Clone(), start: time.Now(), agent: agent, random: env.NewRandom(mix(cfg.Seed, 3))}
	err = r.loop(ctx, hooks)
	r.stats.Elapsed = time.Since(r.start)
	r.stats.Training = ens.TrainingCost()
	if errors.Is(err, ErrStop) {
		err = nil
	}
	return r.agent, r.stats, err
}

type run struct {
	cfg    Config
	env    env.Env
	agent  *Agent
	random *env.Random
	stats  Stats
	start  time.Time

	obs      []float64
	seed     uint64 // the reset seed of the episode in flight
	episode  uint64 // episodes started
	ret      float64
	steps    int
	allRand  bool
	loss     float64
	inFlight bool
}

func (r *run) loop(ctx context.Context, hooks Hooks) error {
	report := func(it int) error {
		if hooks.Progress == nil {
			return nil
		}
		return hooks.Progress(Progress{Iteration: it, EnvSteps: r.stats.EnvSteps, Episodes: slices.Clone(r.stats.Episodes), FitLoss: r.loss, Elapsed: time.Since(r.start), Agent: r.agent})
	}
	if err := r.act(ctx, r.random, r.cfg.InitSteps, 0); err != nil {
		return err
	}
	if err := r.fit(ctx); err != nil {
		return err
	}
	if err := report(0); err != nil {
		return err
	}
	for it := 1; it <= r.cfg.Iterations; it++ {
		r.agent.Planner.Reset()
		if err := r.act(ctx, r.agent.Planner, r.cfg.StepsPerIteration, it); err != nil {
			return err
		}
		if err := r.fit(ctx); err != nil {
			return err
		}
		r.stats.Iterations = it
		if err := report(it); err != nil {
			return err
		}
	}
	return nil
}

// fit refits the ensemble on the whole dataset.
func (r *run) fit(ctx context.Context) error {
	res, err := r.agent.Ensemble.Fit(ctx, r.agent.Data)
	if err != nil {
		return fmt.Errorf("pets: fit: %w", err)
	}
	r.loss = 0
	for _, l := range res.Loss {
		r.loss += l / float64(len(res.Loss))
	}
	return nil
}

// act takes n env steps with p, continuing the episode in flight and
// starting new ones (seeded from Config.Seed) as they end.
func (r *run) act(ctx context.Context, p env.Policy, n, it int) error {
	planner := p != env.Policy(r.random)
	for range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !r.inFlight {
			r.seed = mix(r.cfg.Seed, 1000+r.episode)
			r.obs = append(r.obs[:0], r.env.Reset(r.seed)...)
			r.episode++
			r.ret, r.steps, r.allRand, r.inFlight = 0, 0, true, true
			if res, ok := p.(env.Resetter); ok {
				res.Reset()
			}
		}
		a, c, err := p.Decide(ctx, env.Situation{Obs: r.obs, Env: r.env}, r.cfg.Budget)
		if planner {
			r.stats.Planning = r.stats.Planning.Add(c)
			r.allRand = false
		}
		if err != nil {
			return fmt.Errorf("pets: env step %d: %w", r.stats.EnvSteps+1, err)
		}
		a = slices.Clone(a)
		next, rew, term, trunc := r.env.Step(a)
		r.agent.Data.Add(r.obs, a, next, rew)
		r.obs = append(r.obs[:0], next...)
		r.ret += rew
		r.steps++
		r.stats.EnvSteps++
		if term || trunc {
			r.stats.Episodes = append(r.stats.Episodes, Episode{EnvSteps: r.stats.EnvSteps, Return: r.ret, Steps: r.steps, Iteration: it, Random: r.allRand, Seed: r.seed})
			r.inFlight = false
		}
	}
	return nil
}
