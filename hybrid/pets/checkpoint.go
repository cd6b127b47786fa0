package pets

import (
	"encoding/json"
	"fmt"

	"argmax/amortized/dynamics"
)

// Metadata keys a PETS checkpoint adds to its ensemble's (see
// dynamics.Ensemble.Save).
const (
	// MetaFormat holds Format.
	MetaFormat = "pets.format"
	// MetaStats holds the run's Stats as JSON: its learning curve and
	// costs.
	MetaStats = "pets.stats"
)

// Format is the value of MetaFormat.
const Format = "argmax/hybrid/pets.v1"

// Save writes the agent's ensemble to path (a safetensors checkpoint,
// written atomically) with the run's record st in its metadata. The
// planner's configuration is not saved: Load is given the Config again.
// The dataset is not saved either.
func (a *Agent) Save(path string, st Stats) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("pets checkpoint %s: %w", path, err)
	}
	return a.Ensemble.Save(path, map[string]string{MetaFormat: Format, MetaStats: string(b)})
}

// Load reads a checkpoint written by Agent.Save and returns the agent cfg
// describes over its ensemble (NewAgent) — cfg.Ensemble.Reward and Done
// must be the functions the ensemble was trained with — and the run's
// record. Errors name the file and what is wrong with it.
func Load(path string, cfg Config) (*Agent, Stats, error) {
	ens, meta, err := dynamics.Load(path, cfg.Ensemble.Reward, cfg.Ensemble.Done)
	if err != nil {
		return nil, Stats{}, err
	}
	if meta[MetaFormat] != Format {
		return nil, Stats{}, fmt.Errorf("pets checkpoint %s: metadata %q is %q, want %q", path, MetaFormat, meta[MetaFormat], Format)
	}
	var st Stats
	if err := json.Unmarshal([]byte(meta[MetaStats]), &st); err != nil {
		return nil, Stats{}, fmt.Errorf("pets checkpoint %s: metadata %q: %w", path, MetaStats, err)
	}
	a, err := NewAgent(ens, cfg)
	if err != nil {
		return nil, Stats{}, err
	}
	return a, st, nil
}
