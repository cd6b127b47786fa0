package dynamics_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"argmax/amortized/dynamics"
	"argmax/env"
)

// A saved and loaded ensemble predicts and simulates exactly as the
// original, keeps its training cost and extra metadata, and can be fitted
// further; with a learned reward, with Gaussian and deterministic heads,
// for box and discrete actions and unbounded observations.
func TestCheckpointRoundTrip(t *testing.T) {
	disc := dynamics.NewDataset(2, 1)
	for i := range 200 {
		x := []float64{float64(i%7) / 7, float64(i%5) / 5}
		k := float64(i % 3)
		disc.Add(x, []float64{k}, []float64{x[0] + 0.1*k, x[1] - 0.05}, x[0])
	}
	tests := []struct {
		name   string
		act    env.Space
		data   *dynamics.Dataset
		cfg    dynamics.Config
		reward dynamics.RewardFunc
	}{
		{"gaussian, known reward", linAct, linear(300, 0.01, 1), dynamics.Config{Members: 3, Hidden: []int{8}, Epochs: 3, Beta: 0.5, Reward: zero}, zero},
		{"deterministic, learned reward", linAct, linear(300, 0, 2), dynamics.Config{Members: 2, Hidden: []int{8, 8}, Epochs: 2, Deterministic: true}, nil},
		{"discrete actions", env.Discrete(3), disc, dynamics.Config{Members: 2, Hidden: []int{}, Epochs: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Seed = 5
			e, err := dynamics.New(linObs, tt.act, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Fit(context.Background(), tt.data); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "ens.safetensors")
			if err := e.Save(path, map[string]string{"note": "hello"}); err != nil {
				t.Fatal(err)
			}
			loaded, meta, err := dynamics.Load(path, tt.reward, nil)
			if err != nil {
				t.Fatal(err)
			}
			l := loaded.Clone() // a clone of the loaded ensemble is the same model too
			if meta["note"] != "hello" || l.TrainingCost() != e.TrainingCost() || l.Members() != e.Members() {
				t.Errorf("metadata %q, cost %+v vs %+v, %d members", meta["note"], l.TrainingCost(), e.TrainingCost(), l.Members())
			}
			for i := range 20 {
				o, a := tt.data.Obs[2*i:2*i+2], tt.data.Actions[i:i+1]
				p1, r1 := e.Predict(o, a, nil)
				p2, r2 := l.Predict(o, a, nil)
				if !slices.Equal(p1, p2) || r1 != r2 {
					t.Fatalf("transition %d: %v %v vs %v %v", i, p1, r1, p2, r2)
				}
			}
			const h, n = 4, 6
			acts := make([]float64, n*h)
			for i := range acts {
				acts[i] = float64(i % 2)
			}
			s := env.Situation{Obs: []float64{0.3, -0.2}}
			r1, r2 := make([]float64, n*h), make([]float64, n*h)
			for i, en := range []*dynamics.Ensemble{e, l} {
				m := &dynamics.Model{Ensemble: en, Particles: 3}
				if _, err := m.Evaluate(s, acts, h, 9, [][]float64{r1, r2}[i]); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(r1, r2) {
				t.Errorf("simulated rewards %v vs %v", r1, r2)
			}
			if _, err := l.Fit(context.Background(), tt.data); err != nil {
				t.Errorf("refit of the loaded ensemble: %v", err)
			}
		})
	}
}

// A file that is not a checkpoint, a checkpoint of another format, a
// wrong reward function or a metadata key of the package's own are errors
// naming the file.
func TestCheckpointErrors(t *testing.T) {
	dir := t.TempDir()
	e, _ := dynamics.New(linObs, linAct, dynamics.Config{Members: 1, Hidden: []int{4}, Epochs: 1, Reward: zero})
	path := filepath.Join(dir, "ens.safetensors")
	if err := e.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.Save(path, map[string]string{dynamics.MetaConfig: "x"}); err == nil {
		t.Error("extra key of the package's own: no error")
	}
	if _, _, err := dynamics.Load(path, nil, nil); err == nil || !strings.Contains(err.Error(), "known reward") {
		t.Errorf("checkpoint with a known reward loaded without one: %v", err)
	}
	if _, _, err := dynamics.Load(path, zero, func(_, _, _ []float64) bool { return false }); err == nil || !strings.Contains(err.Error(), "termination") {
		t.Errorf("termination rule given to a checkpoint without one: %v", err)
	}
	junk := filepath.Join(dir, "junk.safetensors")
	os.WriteFile(junk, []byte("not a checkpoint"), 0o644)
	if _, _, err := dynamics.Load(junk, zero, nil); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("junk: %v", err)
	}
	if _, _, err := dynamics.Load(filepath.Join(dir, "missing"), zero, nil); err == nil {
		t.Error("missing file: no error")
	}
	b, _ := os.ReadFile(path)
	other := filepath.Join(dir, "other.safetensors")
	os.WriteFile(other, []byte(strings.Replace(string(b), dynamics.Format, "argmax/amortized/dynamics.v9", 1)), 0o644)
	if _, _, err := dynamics.Load(other, zero, nil); !errors.Is(err, dynamics.ErrCheckpoint) {
		t.Errorf("another format: %v", err)
	}
}
