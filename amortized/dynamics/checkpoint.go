package dynamics

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"

	"argmax"
	"argmax/env"
	"argmax/nn"
	"argmax/nn/safetensors"
)

// Format is the value of the "format" metadata key of this package's
// checkpoints.
const Format = "argmax/amortized/dynamics.v1"

// Metadata keys of a checkpoint. Every value is a string (safetensors
// metadata); the structured ones are JSON.
const (
	MetaFormat   = "format"   // Format
	MetaConfig   = "config"   // JSON CheckpointConfig
	MetaSpaces   = "spaces"   // JSON CheckpointSpaces
	MetaNorm     = "norm"     // JSON standardization statistics
	MetaTraining = "training" // JSON argmax.Cost: TrainingCost
	MetaLayout   = "layout"   // prose: how to apply the tensors
)

// layoutDoc is stored under MetaLayout, so that a reader in another
// language can apply the tensors without this package's source.
const layoutDoc = `Dynamics ensemble (argmax/amortized/dynamics), float32, config.members MLPs.
memberM.I.weight [in, out], memberM.I.bias: y = x @ W + b, config.activation after every layer but the last.
Input: the observation followed by the action (a box action clipped to its bounds; a discrete action one-hot),
standardized as (x - norm.in_mean) / norm.in_std.
Output: the first out values are the predicted change of observation (and, unless config.known_reward, the reward
as the last of them), standardized: value = y * norm.out_std + norm.out_mean. Unless config.deterministic, the
next out values are raw log variances v of a Gaussian head, in standardized units:
log σ² = min_log_var + (max_log_var - min_log_var) * sigmoid(v).
The next observation is the observation plus the change, clipped to spaces.obs_low/obs_high.`

// CheckpointConfig is the configuration recorded in a checkpoint: Config
// without its functions, which are recorded as whether they were set.
type CheckpointConfig struct {
	Members       int     `json:"members"`
	Hidden        []int   `json:"hidden"`
	Activation    string  `json:"activation"`
	Deterministic bool    `json:"deterministic"`
	MinLogVar     float64 `json:"min_log_var"`
	MaxLogVar     float64 `json:"max_log_var"`
	Beta          float64 `json:"beta"`
	NoBootstrap   bool    `json:"no_bootstrap"`
	Epochs        int     `json:"epochs"`
	BatchSize     int     `json:"batch_size"`
	LearningRate  float64 `json:"learning_rate"`
	WeightDecay   float64 `json:"weight_decay"`
	Seed          uint64  `json:"seed"`
	// KnownReward and KnownDone record that Config.Reward and Config.Done
	// were set: the members then have no reward output, and Load must be
	// given the functions again.
	KnownReward bool `json:"known_reward"`
	KnownDone   bool `json:"known_done"`
}

// CheckpointSpaces records the spaces of the env an ensemble models.
// Bounds are strings ("-8", "+Inf"), since JSON has no infinity.
type CheckpointSpaces struct {
	ObsLow     []string `json:"obs_low"`
	ObsHigh    []string `json:"obs_high"`
	Actions    int      `json:"actions,omitempty"` // discrete actions; 0 for a box
	ActionLow  []string `json:"action_low,omitempty"`
	ActionHigh []string `json:"action_high,omitempty"`
}

type checkpointNorm struct {
	InMean  []float64 `json:"in_mean"`
	InStd   []float64 `json:"in_std"`
	OutMean []float64 `json:"out_mean"`
	OutStd  []float64 `json:"out_std"`
	Fitted  bool      `json:"fitted"`
	Fits    int       `json:"fits"`
}

var acts = []nn.Act{nn.Identity, nn.ReLU, nn.GELU, nn.Tanh, nn.Sigmoid}

func parseAct(name string) (nn.Act, error) {
	for _, a := range acts {
		if a.String() == name {
			return a, nil
		}
	}
	return 0, fmt.Errorf("activation %q", name)
}

func bounds(xs []float64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return out
}

func parseBounds(lo, hi []string) ([]float64, []float64, error) {
	if len(lo) != len(hi) {
		return nil, nil, fmt.Errorf("%d low and %d high bounds", len(lo), len(hi))
	}
	l, h := make([]float64, len(lo)), make([]float64, len(hi))
	for i := range lo {
		var err1, err2 error
		l[i], err1 = strconv.ParseFloat(lo[i], 64)
		h[i], err2 = strconv.ParseFloat(hi[i], 64)
		if errors.Join(err1, err2) != nil || !(l[i] <= h[i]) {
			return nil, nil, fmt.Errorf("bounds %q, %q of dimension %d", lo[i], hi[i], i)
		}
	}
	return l, h, nil
}

// params returns every member's parameters, in order.
func (e *Ensemble) params() []*nn.Param[float32] {
	var ps []*nn.Param[float32]
	for _, n := range e.nets {
		ps = append(ps, n.Params()...)
	}
	return ps
}

// Save writes the ensemble to path as a safetensors checkpoint: the
// members' weights, and in the metadata the configuration, the spaces,
// the standardization and the training cost, plus the entries of extra
// (which must not use this package's keys), so that Load rebuilds the
// same model from the file alone. The optimizers' moments are not kept: a
// loaded ensemble predicts exactly as the saved one, and a further Fit
// restarts Adam's moments. The file is written atomically.
func (e *Ensemble) Save(path string, extra map[string]string) error {
	c := e.cfg
	meta := map[string]string{MetaFormat: Format, MetaLayout: layoutDoc}
	for k, v := range extra {
		switch k {
		case MetaFormat, MetaConfig, MetaSpaces, MetaNorm, MetaTraining, MetaLayout:
			return fmt.Errorf("dynamics checkpoint %s: extra metadata key %q is the package's own", path, k)
		}
		meta[k] = v
	}
	sp := CheckpointSpaces{ObsLow: bounds(e.oLo), ObsHigh: bounds(e.oHi), Actions: e.n}
	if e.n == 0 {
		sp.ActionLow, sp.ActionHigh = bounds(e.aLo), bounds(e.aHi)
	}
	for k, v := range map[string]any{
		MetaConfig: CheckpointConfig{Members: c.Members, Hidden: c.Hidden, Activation: c.Activation.String(), Deterministic: c.Deterministic,
			MinLogVar: c.MinLogVar, MaxLogVar: c.MaxLogVar, Beta: c.Beta, NoBootstrap: c.NoBootstrap, Epochs: c.Epochs, BatchSize: c.BatchSize,
			LearningRate: c.LearningRate, WeightDecay: c.WeightDecay, Seed: c.Seed, KnownReward: c.Reward != nil, KnownDone: c.Done != nil},
		MetaSpaces:   sp,
		MetaNorm:     checkpointNorm{InMean: e.inMean, InStd: e.inStd, OutMean: e.outMean, OutStd: e.outStd, Fitted: e.fitted, Fits: e.fits},
		MetaTraining: e.cost,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("dynamics checkpoint %s: %w", path, err)
		}
		meta[k] = string(b)
	}
	if err := nn.Save(path, e.params(), meta); err != nil {
		return fmt.Errorf("dynamics checkpoint %s: %w", path, err)
	}
	return nil
}

// ErrCheckpoint is wrapped by Load's errors about a file that is not a
// valid checkpoint of this package.
var ErrCheckpoint = errors.New("not a valid dynamics checkpoint")

// Load reads a checkpoint written by Save. The task's functions are not
// in the file: reward and done must be given exactly when the saved
// ensemble had them (nil otherwise). It returns the ensemble and the
// checkpoint's metadata (extra entries included). Errors name the file
// and what is wrong with it.
func Load(path string, reward RewardFunc, done DoneFunc) (*Ensemble, map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("dynamics checkpoint: %w", err)
	}
	return LoadBytes(path, b, reward, done)
}

// LoadBytes is Load on a checkpoint already in memory; name is used in
// errors.
func LoadBytes(name string, b []byte, reward RewardFunc, done DoneFunc) (*Ensemble, map[string]string, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dynamics checkpoint %s: %w: %s", name, ErrCheckpoint, fmt.Sprintf(format, args...))
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, nil, fmt.Errorf("dynamics checkpoint %s: %w", name, err)
	}
	m := f.Metadata
	if m[MetaFormat] != Format {
		return nil, nil, bad("metadata %q is %q, want %q", MetaFormat, m[MetaFormat], Format)
	}
	var cc CheckpointConfig
	var sp CheckpointSpaces
	var norm checkpointNorm
	var cost argmax.Cost
	for _, x := range []struct {
		key string
		v   any
	}{{MetaConfig, &cc}, {MetaSpaces, &sp}, {MetaNorm, &norm}, {MetaTraining, &cost}} {
		if err := json.Unmarshal([]byte(m[x.key]), x.v); err != nil {
			return nil, nil, bad("metadata %q: %v", x.key, err)
		}
	}
	if cc.KnownReward != (reward != nil) {
		if cc.KnownReward {
			return nil, nil, fmt.Errorf("dynamics checkpoint %s: its ensemble was trained with a known reward function, which Load must be given", name)
		}
		return nil, nil, fmt.Errorf("dynamics checkpoint %s: its ensemble learned the reward; Load was given a reward function", name)
	}
	if cc.KnownDone != (done != nil) {
		return nil, nil, fmt.Errorf("dynamics checkpoint %s: its ensemble was saved %s a termination rule, Load given %s", name,
			map[bool]string{true: "with", false: "without"}[cc.KnownDone], map[bool]string{true: "one", false: "none"}[done != nil])
	}
	act, err := parseAct(cc.Activation)
	if err != nil {
		return nil, nil, bad("metadata %q: %v", MetaConfig, err)
	}
	if cc.Hidden == nil {
		cc.Hidden = []int{}
	}
	cfg := Config{Members: cc.Members, Hidden: cc.Hidden, Activation: act, Deterministic: cc.Deterministic, MinLogVar: cc.MinLogVar,
		MaxLogVar: cc.MaxLogVar, Beta: cc.Beta, NoBootstrap: cc.NoBootstrap, Epochs: cc.Epochs, BatchSize: cc.BatchSize,
		LearningRate: cc.LearningRate, WeightDecay: cc.WeightDecay, Seed: cc.Seed, Reward: reward, Done: done}
	if cc.Members < 1 || cc.Epochs < 1 || cc.BatchSize < 1 {
		return nil, nil, bad("metadata %q: members %d, epochs %d, batch size %d", MetaConfig, cc.Members, cc.Epochs, cc.BatchSize)
	}
	lo, hi, err := parseBounds(sp.ObsLow, sp.ObsHigh)
	if err != nil || len(lo) == 0 {
		return nil, nil, bad("metadata %q: observation space: %v", MetaSpaces, err)
	}
	obs := env.Box(lo, hi)
	var act0 env.Space
	if sp.Actions > 0 {
		if sp.ActionLow != nil || sp.ActionHigh != nil {
			return nil, nil, bad("metadata %q: action space has both %d actions and bounds", MetaSpaces, sp.Actions)
		}
		act0 = env.Discrete(sp.Actions)
	} else {
		alo, ahi, err := parseBounds(sp.ActionLow, sp.ActionHigh)
		if err != nil || len(alo) == 0 {
			return nil, nil, bad("metadata %q: action space: %v", MetaSpaces, err)
		}
		act0 = env.Box(alo, ahi)
	}
	e, err := New(obs, act0, cfg)
	if err != nil {
		return nil, nil, bad("metadata %q: %v", MetaConfig, err)
	}
	finite := func(v []float64, n int, positive bool) bool {
		if len(v) != n {
			return false
		}
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) || (positive && !(x > 0)) {
				return false
			}
		}
		return true
	}
	if !finite(norm.InMean, e.in, false) || !finite(norm.InStd, e.in, true) || !finite(norm.OutMean, e.out, false) || !finite(norm.OutStd, e.out, true) || norm.Fits < 0 {
		return nil, nil, bad("metadata %q: statistics for %d inputs and %d outputs, want finite values (positive deviations)", MetaNorm, e.in, e.out)
	}
	if _, err := nn.LoadBytes(name, b, e.params()); err != nil {
		return nil, nil, fmt.Errorf("dynamics checkpoint: %w", err)
	}
	e.inMean, e.inStd = slices.Clone(norm.InMean), slices.Clone(norm.InStd)
	e.outMean, e.outStd = slices.Clone(norm.OutMean), slices.Clone(norm.OutStd)
	e.fitted, e.fits, e.cost = norm.Fitted, norm.Fits, cost
	return e, m, nil
}

// Spaces returns the observation and action spaces the ensemble models.
func (e *Ensemble) Spaces() (obs, act env.Space) {
	obs = env.Box(e.oLo, e.oHi)
	if e.n > 0 {
		return obs, env.Discrete(e.n)
	}
	return obs, env.Box(e.aLo, e.aHi)
}

// Clone returns an independent copy of the ensemble — the same weights,
// standardization, configuration and training cost, with scratch of its
// own — so that several goroutines can each simulate with their own
// copy. The optimizers' moments are not copied: fitting the clone further
// restarts them.
func (e *Ensemble) Clone() *Ensemble {
	obs, act := e.Spaces()
	c, err := New(obs, act, e.cfg)
	if err != nil {
		panic("dynamics: clone: " + err.Error()) // e's own config and spaces were valid
	}
	dst := c.params()
	for i, p := range e.params() {
		copy(dst[i].Data, p.Data)
	}
	c.inMean, c.inStd = slices.Clone(e.inMean), slices.Clone(e.inStd)
	c.outMean, c.outStd = slices.Clone(e.outMean), slices.Clone(e.outStd)
	c.fitted, c.fits, c.cost = e.fitted, e.fits, e.cost
	return c
}
