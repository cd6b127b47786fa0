package dqn

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
const Format = "argmax/amortized/dqn.v1"

// Metadata keys of a checkpoint. Every value is a string (safetensors
// metadata); the structured ones are JSON.
const (
	MetaFormat       = "format"       // Format
	MetaEnv          = "env"          // the name of the env trained on
	MetaArchitecture = "architecture" // JSON Architecture
	MetaTraining     = "training"     // JSON Training: config and counted training cost
	MetaLayout       = "layout"       // prose: how to apply the tensors
)

// layoutDoc is stored under MetaLayout, so a reader in another language
// knows how to apply the tensors without this package's source.
const layoutDoc = `Q-network (argmax/nn MLP), float32. Input: the observation, [n, obs_dim].
Layers q.0 ... q.L: y = x @ weight + bias (weight [in, out]), ReLU after every layer but the last.
Output: [n, actions], Q(s, a) for each discrete action; the policy plays the argmax (first of equal values).`

// Architecture is the net stored in a checkpoint.
type Architecture struct {
	Kind             string `json:"kind"` // "mlp_q"
	ObsDim           int    `json:"obs_dim"`
	Actions          int    `json:"actions"`
	Hidden           []int  `json:"hidden"`
	ParamPrefix      string `json:"param_prefix"`
	FLOPsPerDecision int64  `json:"flops_per_decision"` // counted FLOPs of one forward pass
}

// Training is the training record stored in a checkpoint.
type Training struct {
	Config Config      `json:"config"`
	Cost   argmax.Cost `json:"cost"` // TrainingCost
}

// Save writes the Q-network to path as a safetensors checkpoint whose
// metadata holds the env's name, the architecture and the training record
// (config and cost), so that Load rebuilds the same policy with no other
// information. The file is written atomically (a temporary file renamed).
func (p *Policy) Save(path string) error {
	meta := map[string]string{MetaFormat: Format, MetaEnv: p.envName, MetaLayout: layoutDoc}
	arch := Architecture{Kind: "mlp_q", ObsDim: p.obsDim, Actions: p.actions, Hidden: p.cfg.Hidden,
		ParamPrefix: paramPrefix, FLOPsPerDecision: p.FLOPsPerDecision()}
	for k, v := range map[string]any{MetaArchitecture: arch, MetaTraining: Training{Config: p.cfg, Cost: p.training}} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("dqn checkpoint %s: %w", path, err)
		}
		meta[k] = string(b)
	}
	if err := nn.Save(path, p.net.Params(), meta); err != nil {
		return fmt.Errorf("dqn checkpoint %s: %w", path, err)
	}
	return nil
}

// ErrCheckpoint is wrapped by Load's errors about a file that is not a
// valid checkpoint of this package.
var ErrCheckpoint = errors.New("not a valid dqn checkpoint")

// Load reads a checkpoint written by Save and rebuilds the policy: its
// architecture, weights, config and training cost. Errors name the file
// and what is wrong with it.
func Load(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dqn checkpoint: %w", err)
	}
	return LoadBytes(path, b)
}

// LoadBytes is Load on a checkpoint already in memory; name is used in
// errors.
func LoadBytes(name string, b []byte) (*Policy, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("dqn checkpoint %s: %w: %s", name, ErrCheckpoint, fmt.Sprintf(format, args...))
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("dqn checkpoint %s: %w", name, err)
	}
	m := f.Metadata
	if m[MetaFormat] != Format {
		return nil, bad("metadata %q is %q, want %q", MetaFormat, m[MetaFormat], Format)
	}
	var arch Architecture
	var tr Training
	if err := json.Unmarshal([]byte(m[MetaArchitecture]), &arch); err != nil {
		return nil, bad("metadata %q: %v", MetaArchitecture, err)
	}
	if err := json.Unmarshal([]byte(m[MetaTraining]), &tr); err != nil {
		return nil, bad("metadata %q: %v", MetaTraining, err)
	}
	if arch.Kind != "mlp_q" || arch.ParamPrefix != paramPrefix || arch.ObsDim <= 0 || arch.Actions <= 0 {
		return nil, bad("architecture %+v: want kind mlp_q, prefix %q, positive dimensions", arch, paramPrefix)
	}
	tr.Config.Hidden = arch.Hidden
	if err := tr.Config.Check(); err != nil {
		return nil, bad("%v", err)
	}
	p := newPolicy(m[MetaEnv], arch.ObsDim, arch.Actions, tr.Config, 0)
	if _, err := nn.LoadBytes(name, b, p.net.Params()); err != nil {
		return nil, fmt.Errorf("dqn checkpoint: %w", err)
	}
	p.training = tr.Cost
	return p, nil
}
