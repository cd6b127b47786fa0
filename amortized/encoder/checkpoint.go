package encoder

import (
	"encoding/json"
	"fmt"
	"os"

	"argmax/nn"
	"argmax/nn/safetensors"
	"argmax/task"
)

// Format is the "format" metadata value of this package's checkpoints.
const Format = "argmax/amortized/encoder.v1"

// Metadata keys of a checkpoint.
const (
	MetaFormat = "format" // Format
	MetaTask   = "task"   // the task's Name
	MetaConfig = "config" // the JSON Config, defaults filled in
)

// Save writes the encoder's weights and configuration to path as a
// safetensors checkpoint (float64 tensors encoder.0.weight, ... with
// Linear weights [in, out]: y = x·W + b), atomically.
func (e *Encoder) Save(path string) error {
	cfg, err := json.Marshal(e.cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nn.Save(path, e.net.Params(), map[string]string{
		MetaFormat: Format, MetaTask: e.t.Name(), MetaConfig: string(cfg),
	})
}

// Load reads an encoder for t written by Save. The checkpoint must be of
// this package's format and for a task of the same Name; its training
// curve and cost are not stored, so the loaded encoder reports none.
func Load(path string, t task.Task) (*Encoder, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := safetensors.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if got := f.Metadata[MetaFormat]; got != Format {
		return nil, fmt.Errorf("%s: format %q, want %q", path, got, Format)
	}
	if got := f.Metadata[MetaTask]; got != t.Name() {
		return nil, fmt.Errorf("%s: checkpoint for task %q, not %q", path, got, t.Name())
	}
	var cfg Config
	if err := json.Unmarshal([]byte(f.Metadata[MetaConfig]), &cfg); err != nil {
		return nil, fmt.Errorf("%s: config metadata: %w", path, err)
	}
	e, err := New(t, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := nn.LoadBytes(path, b, e.net.Params()); err != nil {
		return nil, err
	}
	return e, nil
}
