package supervised

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// calibrationExamples returns the calibration positions of a phase as
// examples.
func calibrationExamples(ph calibration.Phase) []Example {
	var out []Example
	for _, p := range calibration.Of(ph) {
		out = append(out, positionExample(p))
	}
	return out
}

func positionExample(p calibration.Position) Example {
	s, err := connect4.Parse(p.Moves)
	if err != nil {
		panic(err)
	}
	return Example{State: s, Scores: append([]int(nil), p.Scores[:]...)}
}

// benchSizes are the named nets the benchmarks time.
var benchSizes = []struct {
	name string
	net  Net
}{{"tiny", Tiny}, {"small", Small}, {"medium", Medium}, {"large", Large}}

// BenchmarkTrainStep times one gradient step (DefaultConfig's batch of
// 128, mirror augmentation) of each named net on connect-four positions and reports
// examples/s and the counted GFLOP/s of training.
func BenchmarkTrainStep(b *testing.B) {
	data := calibrationExamples(calibration.Middle)
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			cfg := DefaultConfig
			cfg.Net = sz.net
			cfg = cfg.withDefaults()
			enc := NewEncoding(connect4.Game{}, cfg.OnesPlane)
			idx := make([]int, len(data))
			for i := range idx {
				idx[i] = i
			}
			tr, err := encodeSet(data, idx, enc, cfg.Target)
			if err != nil {
				b.Fatal(err)
			}
			t := newTrainer(enc, cfg, tr, tr)
			order, pos := idx, len(idx)
			for i := 0; i < 2; i++ { // size the tape's arenas
				t.fill(order, &pos)
				t.step()
			}
			f0 := t.tape.FLOPs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t.fill(order, &pos)
				t.step()
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*cfg.Batch)/s, "examples/s")
			b.ReportMetric(float64(t.tape.FLOPs()-f0)/s/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkInference times Evaluate on batches of 1 and 64 middle
// positions for each named net and reports positions/s and the counted
// FLOPs per position.
func BenchmarkInference(b *testing.B) {
	data := calibrationExamples(calibration.Middle)
	for _, sz := range benchSizes {
		for _, batch := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/batch%d", sz.name, batch), func(b *testing.B) {
				cfg := DefaultConfig
				cfg.Net = sz.net
				p := newPolicy(NewEncoding(connect4.Game{}, true), cfg.withDefaults())
				states := make([]game.State, batch)
				for i := range states {
					states[i] = data[i].State
				}
				priors, values := make([]float32, batch*7), make([]float32, batch)
				p.Evaluate(states, priors, values)
				var flops int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					flops += p.Evaluate(states, priors, values).FLOPs
				}
				s := b.Elapsed().Seconds()
				b.ReportMetric(float64(b.N*batch)/s, "positions/s")
				b.ReportMetric(float64(flops)/float64(b.N*batch), "FLOPs/position")
			})
		}
	}
}

// labelSet is one label file of a scale: the phases it holds and the
// generator's seed.
type labelSet struct {
	spec string
	seed uint64
}

// The label files of each scale. Positions come from uniformly random
// games (plies drawn uniformly within each phase), the calibration
// positions and their mirror images excluded. A file of one spec is a
// prefix of the file of a larger spec with the same seed.
var (
	quickLabels = []labelSet{{"middle:60000,end:40000", 1}, {"beginning:2000", 2}}
	fullLabels  = []labelSet{{"middle:190000,end:150000", 1}, {"beginning:6000", 2}}
	// devLabels are 10,000 more middle positions (another seed) for a
	// held-out figure with less noise than the calibration file's 300;
	// those that also occur in the training labels are dropped.
	devLabels = []labelSet{{"middle:10000", 3}}
)

// cachedLabels returns the examples of sets, generating and caching each
// file under $SUPERVISED_LABEL_DIR (default: the system's temporary
// directory) the first time: beginning positions take the solver about
// 0.2 s each, middle and end ones about 1 ms.
func cachedLabels(b *testing.B, sets []labelSet) []Example {
	dir := os.Getenv("SUPERVISED_LABEL_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "argmax-supervised-labels")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, s := range sets {
		path := filepath.Join(dir, fmt.Sprintf("%s.seed%d.txt", strings.NewReplacer(":", "", ",", "-").Replace(s.spec), s.seed))
		if _, err := os.Stat(path); err != nil {
			spec, err := labelSpec(s.spec)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("labelling %s (seed %d) into %s", s.spec, s.seed, path)
			if err := writeLabels(context.Background(), path, s.seed, spec, runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
		}
		paths = append(paths, path)
	}
	return labelExamples(b, paths, nil)
}

// benchScale trains one net on the labels of a scale and reports its
// calibration figures.
func benchScale(b *testing.B, sets []labelSet, cfg Config) {
	examples := cachedLabels(b, sets)
	seen := map[uint64]bool{}
	for _, e := range examples {
		seen[canonicalKey(e.State.String())] = true
	}
	var dev []Example
	for _, e := range cachedLabels(b, devLabels) {
		if !seen[canonicalKey(e.State.String())] {
			dev = append(dev, e)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, r := runExperiment(b, examples, cfg, testing.Verbose())
		r.Dev, r.DevStrict = p.Accuracy(dev)
		r.DevPositions = len(dev)
		b.Log(r)
		b.ReportMetric(100*r.Dev, "dev-middle%")
		b.ReportMetric(100*r.Middle, "middle%")
		b.ReportMetric(100*r.MiddleStrict, "middle-strict%")
		b.ReportMetric(100*r.End, "end%")
		b.ReportMetric(100*r.Beginning, "beginning%")
		b.ReportMetric(100*r.WinTake, "win-take%")
		b.ReportMetric(r.Wall.Seconds(), "train-wall-s")
		b.ReportMetric(r.CPU.Seconds(), "train-cpu-s")
		b.ReportMetric(float64(r.FLOPsPerInput), "FLOPs/forward")
	}
}

// BenchmarkQuickScale trains the quick-scale net (DefaultConfig, at most 2
// minutes) on 102,000 labels and scores it on the calibration file's
// positions, which it never saw:
//
//	GOMAXPROCS=2 go test ./amortized/supervised -run XXX -bench QuickScale -benchtime 1x -timeout 0 -v
func BenchmarkQuickScale(b *testing.B) { benchScale(b, quickLabels, DefaultConfig) }

// BenchmarkFullScale trains the full-scale net (FullConfig, about an hour)
// on 346,000 labels and scores it the same way:
//
//	GOMAXPROCS=2 nice -n 10 go test ./amortized/supervised -run XXX -bench FullScale -benchtime 1x -timeout 0 -v
func BenchmarkFullScale(b *testing.B) { benchScale(b, fullLabels, FullConfig) }
