package supervised

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"argmax"
	"argmax/nn"
	"argmax/nn/safetensors"
)

// Format is the value of the "format" metadata key of this package's
// checkpoints.
const Format = "argmax/amortized/supervised.v1"

// Metadata keys of a checkpoint. Every value is a string (safetensors
// metadata); the structured ones are JSON.
const (
	MetaFormat       = "format"       // Format
	MetaGame         = "game"         // the game's name
	MetaEncoding     = "encoding"     // JSON Encoding: input planes, shape, perspective, mirror convention
	MetaArchitecture = "architecture" // JSON ArchitectureInfo
	MetaTraining     = "training"     // JSON TrainingInfo: config and counted training cost
	MetaLayout       = "layout"       // prose: how the tensors are laid out and applied
)

// layoutDoc is stored under MetaLayout, so a reader in another language
// knows how to apply the tensors without this package's source.
const layoutDoc = `AlphaZero-style residual policy/value net (argmax/nn PolicyValueNet), float32.
Input: [n, planes, height, width] (encoding.planes game planes from the side to move's view:
plane 0 its stones, plane 1 the opponent's, row 0 the top row; then a plane of ones when
encoding.ones_plane), converted to channels-last [n, height, width, planes].
Convolutions: weight [k, k, in, out] (HWIO), stride 1, zero padding k/2, no bias; each is followed
by BatchNorm (weight, bias, running_mean, running_var; eps 1e-5) on the channel axis.
stem: relu(bn(conv3x3)). blockI: relu(x + bn2(conv2(relu(bn1(conv1(x)))))).
policy: relu(policy.bn(policy.conv 1x1 to 2 channels)), flattened in (h, w, c) order, then
policy.fc (weight [in, out], bias): the logits, one per action; mask illegal actions before softmax.
value: relu(value.bn(value.conv 1x1 to 1 channel)), flattened, relu(value.fc1), tanh(value.fc2):
the value in [-1, 1] for the side to move.
Linear weights are [in, out]: y = x @ W + b.`

// ArchitectureInfo is the architecture stored in a checkpoint.
type ArchitectureInfo struct {
	Kind          string  `json:"kind"` // "policy_value_resnet"
	Net           Net     `json:"net"`
	InputPlanes   int     `json:"input_planes"`
	Height        int     `json:"height"`
	Width         int     `json:"width"`
	Actions       int     `json:"actions"`
	ParamPrefix   string  `json:"param_prefix"`
	BatchNormEps  float64 `json:"batchnorm_eps"`
	FLOPsPerInput int64   `json:"flops_per_input"` // counted FLOPs of one inference pass per position
}

// TrainingInfo is the training record stored in a checkpoint.
type TrainingInfo struct {
	Target      Target      `json:"target"`
	Mirror      bool        `json:"mirror"`
	Batch       int         `json:"batch"`
	LR          float64     `json:"lr"`
	MinLR       float64     `json:"min_lr"`
	Warmup      int         `json:"warmup"`
	WeightDecay float64     `json:"weight_decay"`
	ValueWeight float64     `json:"value_weight"`
	Steps       int         `json:"steps"`
	Seed        uint64      `json:"seed"`
	Cost        argmax.Cost `json:"cost"` // TrainingCost
}

// FLOPsPerInput returns the FLOPs of one inference pass per position, as
// counted by the net on a pass over one empty observation.
func (p *Policy) FLOPsPerInput() int64 {
	q := p.Clone()
	clear(q.input(1)[:p.enc.Size()])
	_, _, f := q.forward(1)
	return f
}

// Save writes the net to path as a safetensors checkpoint whose metadata
// holds the game, the input encoding, the architecture and the training
// record, so that Load rebuilds the same policy with no other
// information. The file is written atomically (a temporary file renamed).
func (p *Policy) Save(path string) error {
	meta, err := p.metadata()
	if err != nil {
		return fmt.Errorf("supervised checkpoint %s: %w", path, err)
	}
	if err := nn.Save(path, p.net.Params(), meta); err != nil {
		return fmt.Errorf("supervised checkpoint %s: %w", path, err)
	}
	return nil
}

func (p *Policy) metadata() (map[string]string, error) {
	c := p.cfg
	arch := ArchitectureInfo{
		Kind: "policy_value_resnet", Net: c.Net, InputPlanes: p.enc.InPlanes(), Height: p.enc.Height, Width: p.enc.Width,
		Actions: p.enc.Actions, ParamPrefix: paramPrefix, BatchNormEps: 1e-5, FLOPsPerInput: p.FLOPsPerInput(),
	}
	tr := TrainingInfo{Target: c.Target, Mirror: c.Mirror, Batch: c.Batch, LR: c.LR, MinLR: c.MinLR, Warmup: c.Warmup,
		WeightDecay: c.WeightDecay, ValueWeight: c.ValueWeight, Steps: c.Steps, Seed: c.Seed, Cost: p.training}
	meta := map[string]string{MetaFormat: Format, MetaGame: p.enc.Game, MetaLayout: layoutDoc}
	for k, v := range map[string]any{MetaEncoding: p.enc, MetaArchitecture: arch, MetaTraining: tr} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		meta[k] = string(b)
	}
	return meta, nil
}

// ErrCheckpoint is wrapped by Load's errors about a file that is not a
// valid checkpoint of this package.
var ErrCheckpoint = errors.New("not a valid supervised checkpoint")

// Load reads a checkpoint written by Save and rebuilds the policy: its
// game, encoding, architecture, weights and training cost. Errors name
// the file and what is wrong with it.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("supervised checkpoint: %w", err)
	}
	return LoadBytes(path, b)
}

// LoadBytes is Load on a checkpoint already in memory; name is used in
// errors.
func LoadBytes(name string, b []byte) (*Policy, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("supervised checkpoint %s: %w: %s", name, ErrCheckpoint, fmt.Sprintf(format, args...))
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("supervised checkpoint %s: %w", name, err)
	}
	m := f.Metadata
	if m[MetaFormat] != Format {
		return nil, bad("metadata %q is %q, want %q", MetaFormat, m[MetaFormat], Format)
	}
	var enc Encoding
	var arch ArchitectureInfo
	var tr TrainingInfo
	for _, x := range []struct {
		key string
		v   any
	}{{MetaEncoding, &enc}, {MetaArchitecture, &arch}, {MetaTraining, &tr}} {
		if err := json.Unmarshal([]byte(m[x.key]), x.v); err != nil {
			return nil, bad("metadata %q: %v", x.key, err)
		}
	}
	if err := enc.check(); err != nil {
		return nil, bad("%v", err)
	}
	if err := arch.Net.check(); err != nil {
		return nil, bad("%v", err)
	}
	if m[MetaGame] != enc.Game || arch.InputPlanes != enc.InPlanes() || arch.Height != enc.Height ||
		arch.Width != enc.Width || arch.Actions != enc.Actions || arch.ParamPrefix != paramPrefix {
		return nil, bad("architecture %+v does not match encoding %+v of game %q", arch, enc, m[MetaGame])
	}
	cfg := Config{Net: arch.Net, OnesPlane: enc.OnesPlane, Mirror: tr.Mirror, Target: tr.Target, Batch: tr.Batch,
		LR: tr.LR, MinLR: tr.MinLR, Warmup: tr.Warmup, WeightDecay: tr.WeightDecay, ValueWeight: tr.ValueWeight,
		Steps: tr.Steps, Seed: tr.Seed}
	p := newPolicy(enc, cfg)
	if _, err := nn.LoadBytes(name, b, p.net.Params()); err != nil {
		return nil, fmt.Errorf("supervised checkpoint: %w", err)
	}
	p.training = tr.Cost
	return p, nil
}
