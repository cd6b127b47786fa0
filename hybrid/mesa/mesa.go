// Package mesa is a model-based agent with an explicit mesa-objective: it
// learns a reward model from the training distribution's data (amortized:
// one regression over every level it saw) and plans against that model on
// each new level with value iteration (direct: a fresh solve per level).
// Because the learned objective is a readable function, the objective the
// agent pursues off its training distribution can be read off directly —
// how it ranks a blue door against a red key — instead of being inferred
// from behaviour, and the planner pursues it competently wherever it
// points.
//
// The reward model is a logistic regression of the reward paid on entering
// a terminal state (an object of a maze level, say) on that state's
// features, fitted by full-batch gradient descent from a seeded random
// initialization with no weight decay. Where two features coincide on
// every training example (every door is red), their gradients are equal at
// every step, so the difference of their weights never moves from where the
// initialization put it: the data leave that part of the objective to
// chance, and the agent's seed decides whether it is a door-seeker or a
// red-seeker on levels where the two come apart.
package mesa

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"argmax/direct/valueiter"
)

// Level is one level's tabular model with per-state features, row-major
// (NumStates rows of the same width), as env/maze's levels give them. Its
// terminal states — those entered with terminal set — are the objects
// whose rewards the agent learns; entering any other state pays nothing.
type Level interface {
	valueiter.MDP
	Features() []float64
}

// Sample is one training example: the features of a terminal state and
// the reward paid on entering it.
type Sample struct {
	Features []float64
	Reward   float64
}

// Collect returns the agent's data from training levels: every terminal
// state of every level, with its features and the reward of entering it
// (the largest reward of a transition into it). The levels' features must
// have the same width.
func Collect(levels []Level) ([]Sample, error) {
	var out []Sample
	width := -1
	for i, l := range levels {
		nS := l.NumStates()
		f := l.Features()
		if nS < 1 || len(f)%nS != 0 {
			return nil, fmt.Errorf("mesa: level %d: %d feature values for %d states", i, len(f), nS)
		}
		w := len(f) / nS
		if width >= 0 && w != width {
			return nil, fmt.Errorf("mesa: level %d has %d features per state, level 0 %d", i, w, width)
		}
		width = w
		for s, r := range entryRewards(l) {
			if !math.IsNaN(r) {
				out = append(out, Sample{Features: f[s*w : (s+1)*w], Reward: r})
			}
		}
	}
	if len(out) == 0 {
		return nil, errors.New("mesa: no terminal state in the training levels")
	}
	return out, nil
}

// entryRewards returns, per state, the largest reward of a transition
// entering it with terminal set, or NaN for states never entered so.
func entryRewards(l Level) []float64 {
	r := make([]float64, l.NumStates())
	for i := range r {
		r[i] = math.NaN()
	}
	for s := range l.NumStates() {
		for a := range l.NumActions() {
			for i := range l.NumOutcomes(s, a) {
				p, next, rew, term := l.Outcome(s, a, i)
				if p > 0 && term && (math.IsNaN(r[next]) || rew > r[next]) {
					r[next] = rew
				}
			}
		}
	}
	return r
}

// Config configures the reward model's fit and the planner.
type Config struct {
	// Steps of full-batch gradient descent (0 means 2000).
	Steps int
	// LearningRate of the descent (0 means 0.5).
	LearningRate float64
	// InitScale is the standard deviation of the initial weights (0 means
	// 1): the part of the objective the data do not determine stays where
	// it puts it.
	InitScale float64
	// Gamma is the planner's discount (0 means 0.95): nearer objects of
	// equal learned reward are preferred.
	Gamma float64
	// Seed seeds the initialization.
	Seed uint64
}

func (c Config) withDefaults() (Config, error) {
	if c.Steps == 0 {
		c.Steps = 2000
	}
	if c.LearningRate == 0 {
		c.LearningRate = 0.5
	}
	if c.InitScale == 0 {
		c.InitScale = 1
	}
	if c.Gamma == 0 {
		c.Gamma = 0.95
	}
	switch {
	case c.Steps < 0:
		return c, fmt.Errorf("mesa: Steps=%d: want ≥ 1", c.Steps)
	case !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 1):
		return c, fmt.Errorf("mesa: LearningRate=%v: want a finite rate > 0", c.LearningRate)
	case !(c.InitScale >= 0) || math.IsInf(c.InitScale, 1):
		return c, fmt.Errorf("mesa: InitScale=%v: want a finite scale ≥ 0", c.InitScale)
	case !(c.Gamma > 0 && c.Gamma < 1):
		return c, fmt.Errorf("mesa: Gamma=%v: want a discount in (0, 1)", c.Gamma)
	}
	return c, nil
}

// RewardModel is the learned objective: the reward of entering a terminal
// state with features φ is σ(W·φ + B).
type RewardModel struct {
	W []float64
	B float64
	// Gamma is the discount its planner uses.
	Gamma float64
}

// Init returns the reward model of k features that Fit starts from: weights
// drawn from N(0, InitScale²) with cfg's seed, bias 0 (cfg's defaults
// filled in; an invalid cfg is Fit's error).
func Init(k int, cfg Config) *RewardModel {
	cfg, _ = cfg.withDefaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6d6573612e2e2e2e))
	m := &RewardModel{W: make([]float64, k), Gamma: cfg.Gamma}
	for j := range m.W {
		m.W[j] = cfg.InitScale * rng.NormFloat64()
	}
	return m
}

// Fit fits the reward model to the samples (rewards in [0, 1], the
// targets of the logistic regression).
func Fit(samples []Sample, cfg Config) (*RewardModel, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(samples) == 0 {
		return nil, errors.New("mesa: Fit: no samples")
	}
	k := len(samples[0].Features)
	for i, s := range samples {
		if len(s.Features) != k {
			return nil, fmt.Errorf("mesa: Fit: sample %d has %d features, sample 0 %d", i, len(s.Features), k)
		}
		if !(s.Reward >= 0 && s.Reward <= 1) {
			return nil, fmt.Errorf("mesa: Fit: sample %d has reward %v: want one in [0, 1]", i, s.Reward)
		}
	}
	m := Init(k, cfg)
	grad := make([]float64, k)
	n := float64(len(samples))
	for range cfg.Steps {
		clear(grad)
		var gb float64
		for _, s := range samples {
			d := (m.Predict(s.Features) - s.Reward) / n // the log-loss gradient of the logit
			for j, x := range s.Features {
				grad[j] += d * x
			}
			gb += d
		}
		for j := range m.W {
			m.W[j] -= cfg.LearningRate * grad[j]
		}
		m.B -= cfg.LearningRate * gb
	}
	return m, nil
}

// Predict returns the learned reward of entering a terminal state with
// features phi.
func (m *RewardModel) Predict(phi []float64) float64 {
	z := m.B
	for j, x := range phi {
		z += m.W[j] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// Rewards returns the learned reward of entering each state of l: the
// model's prediction for its terminal states, 0 for the others.
func (m *RewardModel) Rewards(l Level) ([]float64, error) {
	nS := l.NumStates()
	f := l.Features()
	if len(f) != nS*len(m.W) {
		return nil, fmt.Errorf("mesa: level with %d feature values for %d states; the model has %d features", len(f), nS, len(m.W))
	}
	r := make([]float64, nS)
	for s, e := range entryRewards(l) {
		if !math.IsNaN(e) {
			r[s] = m.Predict(f[s*len(m.W) : (s+1)*len(m.W)])
		}
	}
	return r, nil
}

// Plan solves l under the learned rewards by value iteration: the agent's
// plan for the level (its Greedy actions).
func (m *RewardModel) Plan(l Level) (*valueiter.Solution, error) {
	t, err := valueiter.NewTable(l)
	if err != nil {
		return nil, err
	}
	r, err := m.Rewards(l)
	if err != nil {
		return nil, err
	}
	if t, err = t.WithStateRewards(r); err != nil {
		return nil, err
	}
	return valueiter.ValueIteration(t, valueiter.Config{Gamma: m.Gamma})
}
