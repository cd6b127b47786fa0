package web_test

import (
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"argmax/lab"
	"argmax/lab/store"
	"argmax/web"
)

// testRegistry holds the experiments of the tests: "curve" records a loss
// over ten steps, a final figure and an artefact; "slow" takes delay a
// trial.
func testRegistry(delay time.Duration) *lab.Registry {
	reg := &lab.Registry{}
	reg.Register(lab.Experiment{
		Name:    "curve",
		Doc:     "A loss decaying with the step at rate lr, with noise per seed.",
		Version: 1,
		Params:  []lab.Param{{Name: "lr", Kind: lab.Float, Doc: "decay rate", Quick: 0.1, Range: lab.Between(0, 1)}},
		Seeds:   [2]int{3, 3},
		Run: func(ctx context.Context, t *lab.Trial) error {
			lr, rng := t.Float("lr"), t.Rand(0)
			for step := int64(1); step <= 10; step++ {
				t.RecordAt("loss", step, math.Exp(-lr*float64(step))+0.05*rng.Float64())
			}
			t.Record("final", lr+0.01*rng.Float64())
			p, err := t.ArtefactPath("notes.txt")
			if err != nil {
				return err
			}
			return os.WriteFile(p, []byte("notes of "+t.Key), 0o644)
		},
	})
	reg.Register(lab.Experiment{
		Name:    "slow",
		Doc:     "Waits, then records one figure.",
		Version: 1,
		Params:  []lab.Param{{Name: "n", Kind: lab.Int, Doc: "a label", Quick: 1, Range: lab.Between(0, 100)}},
		Run: func(ctx context.Context, t *lab.Trial) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(delay):
			}
			t.Record("x", float64(t.Int("n")))
			return nil
		},
	})
	return reg
}

const curvesSpec = `name: curves
seed: 1
experiments:
  - name: curve
    grid: {lr: [0.1, 0.3]}
`

// runSpec runs the spec source src of reg's experiments into the results
// database db, one trial at a time, artefacts beside it as argmax run
// keeps them.
func runSpec(ctx context.Context, t *testing.T, db string, reg *lab.Registry, src string) error {
	spec, err := lab.ParseSpec([]byte(src), "test.yaml", reg)
	if err != nil {
		return err
	}
	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	dir := filepath.Dir(db)
	s := &lab.Session{Spec: spec, Runner: lab.Runner{Store: st, Workers: 1, Log: slog.New(slog.DiscardHandler),
		ArtefactDir: filepath.Join(dir, "artefacts"), CacheDir: filepath.Join(dir, "cache")}}
	_, _, err = s.Run(ctx)
	return err
}

// writeGame writes a short connect-four record in dir.
func writeGame(t *testing.T, dir, name string) *web.Record {
	t.Helper()
	rec := &web.Record{Game: "connect4", Title: "a test game"}
	for i, a := range []int{3, 3, 4, 2} {
		m := web.Move{Action: a, Visits: make([]float32, 7), Prior: make([]float32, 7), Value: 0.1 * float32(i)}
		for c := range 7 {
			m.Prior[c] = 1.0 / 7
		}
		m.Visits[a], m.Visits[(a+1)%7] = 0.75, 0.25
		rec.Moves = append(rec.Moves, m)
	}
	if err := rec.WriteFile(filepath.Join(dir, name+web.RecordExt)); err != nil {
		t.Fatal(err)
	}
	return rec
}
