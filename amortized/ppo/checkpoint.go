package ppo

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"

	"argmax"
	"argmax/env"
	"argmax/nn"
	"argmax/nn/safetensors"
)

// Format is the value of the "format" metadata key of this package's
// checkpoints.
const Format = "argmax/amortized/ppo.v1"

// Metadata keys of a checkpoint. Every value is a string (safetensors
// metadata); the structured ones are JSON.
const (
	MetaFormat     = "format"     // Format
	MetaConfig     = "config"     // JSON Config, defaults filled in
	MetaSpaces     = "spaces"     // JSON SpacesInfo
	MetaNormalizer = "normalizer" // JSON observation statistics {mean, var, count}, or "" without normalization
	MetaTraining   = "training"   // JSON argmax.Cost: TrainingCost
	MetaLayout     = "layout"     // prose: how to apply the tensors
)

// layoutDoc is stored under MetaLayout, so that a reader in another
// language can apply the tensors without this package's source.
const layoutDoc = `PPO actor-critic (argmax/amortized/ppo), float32, two separate MLPs.
Input: the observation normalized as (obs - normalizer.mean) / sqrt(normalizer.var + 1e-8),
clipped to +-config.obs_clip (when metadata "normalizer" is empty, the raw observation).
actor.I.weight [in, out], actor.I.bias: y = x @ W + b, tanh after every layer but the last.
critic.I: the same shape of net with one output, the value.
Discrete actions (spaces.actions.n > 0): the actor's outputs are the logits of a categorical policy.
Box actions: the actor's outputs are the mean of a Gaussian with standard deviation
exp(actor.log_std) (one per dimension); actions are clipped to spaces.actions.low/high.`

// SpacesInfo records the spaces a checkpoint's policy reads and answers
// in. Box bounds are strings ("-2", "+Inf"), since JSON has no infinity.
type SpacesInfo struct {
	ObsDim  int       `json:"obs_dim"`
	Actions SpaceInfo `json:"actions"`
}

// SpaceInfo is an env.Space in a checkpoint.
type SpaceInfo struct {
	N    int      `json:"n,omitempty"`
	Low  []string `json:"low,omitempty"`
	High []string `json:"high,omitempty"`
}

func spaceInfo(s env.Space) SpaceInfo {
	if s.IsDiscrete() {
		return SpaceInfo{N: s.N}
	}
	f := func(xs []float64) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		return out
	}
	return SpaceInfo{Low: f(s.Low), High: f(s.High)}
}

func (si SpaceInfo) space() (env.Space, error) {
	if si.N > 0 {
		if si.Low != nil || si.High != nil {
			return env.Space{}, fmt.Errorf("action space has both n = %d and bounds", si.N)
		}
		return env.Discrete(si.N), nil
	}
	if len(si.Low) == 0 || len(si.Low) != len(si.High) {
		return env.Space{}, fmt.Errorf("action space: %d low and %d high bounds", len(si.Low), len(si.High))
	}
	lo, hi := make([]float64, len(si.Low)), make([]float64, len(si.High))
	for i := range si.Low {
		var err1, err2 error
		lo[i], err1 = strconv.ParseFloat(si.Low[i], 64)
		hi[i], err2 = strconv.ParseFloat(si.High[i], 64)
		if err := errors.Join(err1, err2); err != nil || !(lo[i] <= hi[i]) {
			return env.Space{}, fmt.Errorf("action space: bounds %q, %q of dimension %d", si.Low[i], si.High[i], i)
		}
	}
	return env.Box(lo, hi), nil
}

// Save writes the policy to path as a safetensors checkpoint whose metadata
// holds the config, the spaces, the observation normalizer and the training
// cost, so that Load rebuilds the same policy from the file alone. The file
// is written atomically (a temporary file renamed).
func (p *Policy) Save(path string) error {
	meta := map[string]string{MetaFormat: Format, MetaLayout: layoutDoc, MetaNormalizer: ""}
	for k, v := range map[string]any{MetaConfig: p.cfg, MetaSpaces: SpacesInfo{ObsDim: p.ag.obsDim, Actions: spaceInfo(p.space)},
		MetaTraining: p.training} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("ppo checkpoint %s: %w", path, err)
		}
		meta[k] = string(b)
	}
	if p.stats != nil {
		b, err := json.Marshal(p.stats)
		if err != nil {
			return fmt.Errorf("ppo checkpoint %s: %w", path, err)
		}
		meta[MetaNormalizer] = string(b)
	}
	if err := nn.Save(path, p.ag.params(), meta); err != nil {
		return fmt.Errorf("ppo checkpoint %s: %w", path, err)
	}
	return nil
}

// ErrCheckpoint is wrapped by Load's errors about a file that is not a
// valid checkpoint of this package.
var ErrCheckpoint = errors.New("not a valid ppo checkpoint")

// Load reads a checkpoint written by Save. Errors name the file and what is
// wrong with it.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ppo checkpoint: %w", err)
	}
	return LoadBytes(path, b)
}

// LoadBytes is Load on a checkpoint already in memory; name is used in
// errors.
func LoadBytes(name string, b []byte) (*Policy, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("ppo checkpoint %s: %w: %s", name, ErrCheckpoint, fmt.Sprintf(format, args...))
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("ppo checkpoint %s: %w", name, err)
	}
	m := f.Metadata
	if m[MetaFormat] != Format {
		return nil, bad("metadata %q is %q, want %q", MetaFormat, m[MetaFormat], Format)
	}
	var cfg Config
	var sp SpacesInfo
	var cost argmax.Cost
	for _, x := range []struct {
		key string
		v   any
	}{{MetaConfig, &cfg}, {MetaSpaces, &sp}, {MetaTraining, &cost}} {
		if err := json.Unmarshal([]byte(m[x.key]), x.v); err != nil {
			return nil, bad("metadata %q: %v", x.key, err)
		}
	}
	space, err := sp.Actions.space()
	if err != nil {
		return nil, bad("metadata %q: %v", MetaSpaces, err)
	}
	if sp.ObsDim <= 0 {
		return nil, bad("metadata %q: observation dimension %d", MetaSpaces, sp.ObsDim)
	}
	if err := cfg.check(); err != nil {
		return nil, bad("metadata %q: %v", MetaConfig, err)
	}
	out := space.Dim()
	if space.IsDiscrete() {
		out = space.N
	}
	p := &Policy{space: space, cfg: cfg, training: cost}
	p.ag = newAgent(nn.NewRand(0), sp.ObsDim, out, space.IsDiscrete(), cfg.Hidden, 0)
	if _, err := nn.LoadBytes(name, b, p.ag.params()); err != nil {
		return nil, fmt.Errorf("ppo checkpoint: %w", err)
	}
	if s := m[MetaNormalizer]; s != "" {
		st := &runningMeanStd{}
		if err := json.Unmarshal([]byte(s), st); err != nil {
			return nil, bad("metadata %q: %v", MetaNormalizer, err)
		}
		if len(st.Mean) != sp.ObsDim || len(st.Var) != sp.ObsDim {
			return nil, bad("metadata %q: statistics of %d and %d values for observations of %d", MetaNormalizer,
				len(st.Mean), len(st.Var), sp.ObsDim)
		}
		for j := range st.Mean {
			if math.IsNaN(st.Mean[j]) || !(st.Var[j] >= 0) {
				return nil, bad("metadata %q: mean %v, variance %v at %d", MetaNormalizer, st.Mean[j], st.Var[j], j)
			}
		}
		p.stats = st
		p.norm = st.freeze(cfg.ObsClip)
	}
	p.init()
	return p, nil
}
