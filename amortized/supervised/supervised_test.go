package supervised

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/tictactoe"
	"argmax/nn"
)

func TestTargets(t *testing.T) {
	const X = Illegal
	tests := []struct {
		name      string
		scores    []int
		target    Target
		policy    []float32
		value     float32
		wantError bool
	}{
		{"uniform over the winning moves", []int{3, 1, X, -2, 3, 0, X}, Target{}, []float32{1. / 3, 1. / 3, 0, 0, 1. / 3, 0, 0}, 1, false},
		{"half on the fastest win", []int{3, 1, X, -2, 3, 0, X}, Target{Strict: 0.5}, []float32{1./6 + 0.25, 1. / 6, 0, 0, 1./6 + 0.25, 0, 0}, 1, false},
		{"only the fastest win", []int{3, 1, X, -2, 3, 0, X}, Target{Strict: 1}, []float32{0.5, 0, 0, 0, 0.5, 0, 0}, 1, false},
		{"draws keep the value", []int{0, -1, 0, 0, X, -4, -1}, Target{}, []float32{1. / 3, 0, 1. / 3, 1. / 3, 0, 0, 0}, 0, false},
		{"every move loses", []int{-3, -1, -1, X, -2, -5, -1}, Target{Strict: 0.5}, []float32{0.5 / 6, 0.5/6 + 0.5/3, 0.5/6 + 0.5/3, 0, 0.5 / 6, 0.5 / 6, 0.5/6 + 0.5/3}, -1, false},
		{"scaled value", []int{X, 6, 2}, Target{ValueScale: 12}, []float32{0, 0.5, 0.5}, 0.5, false},
		{"scaled value clips", []int{-20, -30}, Target{ValueScale: 10}, []float32{0.5, 0.5}, -1, false},
		{"no legal move", []int{X, X}, Target{}, nil, 0, true},
		{"strict out of range", []int{1, 2}, Target{Strict: 2}, nil, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			policy := make([]float32, len(tc.scores))
			v, err := Targets(tc.scores, tc.target, policy)
			if tc.wantError {
				if err == nil {
					t.Fatalf("no error for %v", tc.scores)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v != tc.value {
				t.Errorf("value %g, want %g", v, tc.value)
			}
			var sum float64
			for a := range policy {
				sum += float64(policy[a])
				if math.Abs(float64(policy[a]-tc.policy[a])) > 1e-6 {
					t.Errorf("policy %v, want %v", policy, tc.policy)
					break
				}
			}
			if math.Abs(sum-1) > 1e-6 {
				t.Errorf("policy sums to %g", sum)
			}
		})
	}
	if _, err := Targets([]int{Illegal}, Target{}, make([]float32, 1)); !errors.Is(err, ErrNoLegal) {
		t.Errorf("error %v does not wrap ErrNoLegal", err)
	}
}

func TestOptimal(t *testing.T) {
	scores := []int{-2, 0, 0, 3, 1, Illegal, 3}
	tests := []struct {
		a               game.Action
		optimal, strict bool
	}{{0, false, false}, {1, false, false}, {3, true, true}, {4, true, false}, {5, false, false}, {6, true, true}, {-1, false, false}, {7, false, false}}
	for _, tc := range tests {
		if got := Optimal(scores, tc.a); got != tc.optimal {
			t.Errorf("Optimal(%d) = %v", tc.a, got)
		}
		if got := StrictlyOptimal(scores, tc.a); got != tc.strict {
			t.Errorf("StrictlyOptimal(%d) = %v", tc.a, got)
		}
	}
}

func TestSize(t *testing.T) {
	for _, name := range []string{"tiny", "small", "medium", "large"} {
		if _, err := Size(name); err != nil {
			t.Error(err)
		}
	}
	if _, err := Size("huge"); err == nil || !strings.Contains(err.Error(), "huge") {
		t.Errorf("Size(huge): %v", err)
	}
}

// TestMirror checks that the mirror image of a position's input is the
// input of the mirrored position, and that actions map accordingly.
func TestMirror(t *testing.T) {
	tests := []struct {
		g              game.Game
		moves, mirror  string
		action, mapped int
	}{
		{connect4.Game{}, "4453211", "4435677", 1, 5},
		{connect4.Game{}, "1", "7", 0, 6},
		{tictactoe.Game{}, "", "", 3, 5},
	}
	for _, tc := range tests {
		for _, ones := range []bool{false, true} {
			enc := NewEncoding(tc.g, ones)
			s, err := tc.g.Parse(tc.moves)
			if err != nil {
				t.Fatal(err)
			}
			m, err := tc.g.Parse(tc.mirror)
			if err != nil {
				t.Fatal(err)
			}
			x, want, got := make([]float32, enc.Size()), make([]float32, enc.Size()), make([]float32, enc.Size())
			enc.Encode(s, x)
			enc.Encode(m, want)
			enc.mirrorInput(got, x)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s %q: mirrored input differs from %q at %d", tc.g.Name(), tc.moves, tc.mirror, i)
				}
			}
			if a := enc.MirrorAction(tc.action); a != tc.mapped || enc.MirrorAction(a) != tc.action {
				t.Errorf("%s: MirrorAction(%d) = %d, want %d", tc.g.Name(), tc.action, a, tc.mapped)
			}
		}
	}
}

// smallLabels returns n solver-labelled positions of random games (plies
// 18-34, where the solver is quick), none of them a calibration position
// or its mirror image.
func smallLabels(t testing.TB, n int, seed uint64) []Example {
	var out []Example
	err := generateLabels(context.Background(), seed, []phaseCount{{18, 34, n}}, 2, calibrationKeys(), func(p calibration.Position) {
		out = append(out, positionExample(p))
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	labelsOnce sync.Once
	labels     []Example
)

// testLabels is a shared set of 1000 labelled positions.
func testLabels(t testing.TB) []Example {
	labelsOnce.Do(func() { labels = smallLabels(t, 1000, 7) })
	return labels
}

// randomAccuracy is the expected share of optimal moves of a uniformly
// random legal move.
func randomAccuracy(examples []Example) float64 {
	var s float64
	for _, e := range examples {
		var legal, opt int
		for a, sc := range e.Scores {
			if sc != Illegal {
				legal++
				if Optimal(e.Scores, game.Action(a)) {
					opt++
				}
			}
		}
		s += float64(opt) / float64(legal)
	}
	return s / float64(len(examples))
}

// tinyConfig trains the tiny net for a few seconds at most.
func tinyConfig() Config {
	cfg := DefaultConfig
	cfg.Net = Tiny
	cfg.Steps, cfg.Batch, cfg.EvalEvery, cfg.Warmup, cfg.LR = 800, 64, 200, 20, 4e-3
	cfg.Time = 8 * time.Second
	cfg.ValidationShare = 0.1
	cfg.Seed = 3
	return cfg
}

// TestTrainBeatsRandom trains the tiny net for a few seconds on 1000
// labels and requires it to beat a random move clearly on the calibration
// file's middle positions, which it never saw.
func TestTrainBeatsRandom(t *testing.T) {
	data := testLabels(t)
	var reports []Progress
	cfg := tinyConfig()
	cfg.Progress = func(p Progress) { reports = append(reports, p) }
	start := time.Now()
	p, err := Train(context.Background(), connect4.Game{}, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	held := calibrationExamples(calibration.Middle)
	acc, strict := p.Accuracy(held)
	rnd := randomAccuracy(held)
	t.Logf("tiny net, %d labels, %v: %.1f%% optimal (%.1f%% strict) on %d held-out middle positions; random move %.1f%%",
		len(data), time.Since(start).Round(time.Millisecond), 100*acc, 100*strict, len(held), 100*rnd)
	if acc < rnd+0.1 {
		t.Errorf("accuracy %.3f does not beat a random move (%.3f) by 10 points", acc, rnd)
	}
	if len(reports) == 0 || !reports[len(reports)-1].Final {
		t.Fatalf("progress reports %v: want a final one", reports)
	}
	last := reports[len(reports)-1]
	if last.Step != cfg.Steps && time.Since(start) < cfg.Time {
		t.Errorf("stopped at step %d of %d before the time limit", last.Step, cfg.Steps)
	}
	c := p.TrainingCost()
	if c.Iterations != int64(last.Step) || c.Samples != int64(last.Step*cfg.Batch) || c.FLOPs <= 0 || c.Elapsed <= 0 {
		t.Errorf("training cost %+v after %d steps", c, last.Step)
	}
	// A training example costs a forward pass and a backward one of two
	// products per forward product (but none for the input's gradient):
	// between 2.5 and 3 forward passes, plus the validation passes.
	f := p.FLOPsPerInput()
	lo, hi := c.Samples*f*5/2, 3*c.Samples*f+(c.ForwardPasses-c.Samples)*f
	if c.FLOPs < lo || c.FLOPs > hi {
		t.Errorf("training FLOPs %d outside [%d, %d] for %d examples of %d FLOPs", c.FLOPs, lo, hi, c.Samples, f)
	}
}

// TestDeterministic trains twice from the same seed and requires the same
// weights, and a different seed to give different ones.
func TestDeterministic(t *testing.T) {
	data := testLabels(t)[:200]
	train := func(seed uint64) []float32 {
		cfg := tinyConfig()
		cfg.Steps, cfg.Time, cfg.Seed = 40, 0, seed
		p, err := Train(context.Background(), connect4.Game{}, data, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var w []float32
		for _, q := range p.Params() {
			w = append(w, q.Data...)
		}
		return w
	}
	a, b, c := train(1), train(1), train(2)
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("weight %d differs between runs with the same seed", i)
		}
		if a[i] == c[i] {
			same++
		}
	}
	if same > len(a)/5 {
		t.Errorf("%d of %d weights equal across seeds", same, len(a))
	}
}

func TestTrainErrors(t *testing.T) {
	s := connect4.New()
	good := Example{State: s, Scores: []int{0, 0, 0, 0, 0, 0, 0}}
	tests := []struct {
		name     string
		g        game.Game
		examples []Example
		cfg      Config
		want     string
	}{
		{"too few examples", connect4.Game{}, []Example{good}, Config{}, "at least 2"},
		{"wrong score count", connect4.Game{}, []Example{good, {State: s, Scores: []int{1, 2}}}, Config{}, "2 scores"},
		{"illegal action scored", connect4.Game{}, []Example{good, {State: s, Scores: []int{0, 0, 0, Illegal, 0, 0, 0}}}, Config{}, "legal=true"},
		{"no state", connect4.Game{}, []Example{good, {}}, Config{}, "no state"},
		{"bad config", connect4.Game{}, []Example{good, good}, Config{Batch: -1}, "batch"},
		{"bad share", connect4.Game{}, []Example{good, good}, Config{ValidationShare: 1.5}, "validation share"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Train(context.Background(), tc.g, tc.examples, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// TestCancel cancels training and requires a prompt return with the
// context's error and a usable policy.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := tinyConfig()
	cfg.Steps, cfg.Time = 1_000_000, 0
	cfg.Progress = func(p Progress) {
		if p.Step >= 200 {
			cancel()
		}
	}
	start := time.Now()
	p, err := Train(ctx, connect4.Game{}, testLabels(t), cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if time.Since(start) > 10*time.Second || p == nil {
		t.Fatalf("returned after %v with policy %v", time.Since(start), p)
	}
	if _, _, err := p.Decide(context.Background(), connect4.New(), argmax.Budget{}); err != nil {
		t.Error(err)
	}
	if _, _, err := p.Decide(ctx, connect4.New(), argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Decide with a cancelled context: %v", err)
	}
}

// untrained returns a freshly initialized small policy for connect four.
func untrained() *Policy {
	cfg := DefaultConfig.withDefaults()
	cfg.Seed = 5
	return newPolicy(NewEncoding(connect4.Game{}, true), cfg)
}

// TestPolicyConsistency checks that Decide, Distribution and Evaluate
// agree, that probabilities sit on legal actions only, that finished
// games score their outcome, and that costs are counted.
func TestPolicyConsistency(t *testing.T) {
	p := untrained()
	ctx := context.Background()
	var states []game.State
	for _, m := range []string{"", "4453", "1212121", "44444455555", "1122334"} {
		s, err := connect4.Parse(m)
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, s)
	}
	const A = connect4.Width
	priors, values := make([]float32, len(states)*A), make([]float32, len(states))
	c := p.Evaluate(states, priors, values)
	perInput := p.FLOPsPerInput()
	if c.ForwardPasses != 3 || c.FLOPs != 3*perInput {
		t.Errorf("Evaluate cost %+v, want 3 passes of %d FLOPs (two games are over)", c, perInput)
	}
	for i, s := range states {
		over, o := s.Terminal()
		row := priors[i*A : (i+1)*A]
		if over {
			for _, v := range row {
				if v != 0 {
					t.Errorf("%q: nonzero prior in a finished game", s)
				}
			}
			if values[i] != float32(o) {
				t.Errorf("%q: value %g, want outcome %d", s, values[i], o)
			}
			if _, _, err := p.Decide(ctx, s, argmax.Budget{}); err == nil {
				t.Errorf("%q: Decide in a finished game gave no error", s)
			}
			continue
		}
		if values[i] < -1 || values[i] > 1 {
			t.Errorf("%q: value %g outside [-1, 1]", s, values[i])
		}
		dist := make([]float32, A)
		dc, err := p.Distribution(ctx, s, argmax.Budget{}, dist)
		if err != nil {
			t.Fatal(err)
		}
		if dc.ForwardPasses != 1 || dc.FLOPs != perInput {
			t.Errorf("Distribution cost %+v", dc)
		}
		var sum float64
		for a := range dist {
			sum += float64(dist[a])
			if math.Abs(float64(dist[a]-row[a])) > 1e-5 {
				t.Errorf("%q: Distribution %v and Evaluate %v differ", s, dist, row)
				break
			}
			if !s.IsLegal(game.Action(a)) && dist[a] != 0 {
				t.Errorf("%q: mass on illegal action %d", s, a)
			}
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("%q: distribution sums to %g", s, sum)
		}
		a, _, err := p.Decide(ctx, s, argmax.Budget{})
		if err != nil {
			t.Fatal(err)
		}
		if a != argmaxAction(dist) {
			t.Errorf("%q: Decide %d but the distribution's mode is %d", s, a, argmaxAction(dist))
		}
	}
	if _, err := p.Distribution(ctx, states[0], argmax.Budget{}, make([]float32, 3)); err == nil {
		t.Error("Distribution into 3 entries gave no error")
	}
}

// TestCloneConcurrent evaluates from several clones at once (run with
// -race) and requires each to agree with the original.
func TestCloneConcurrent(t *testing.T) {
	p := untrained()
	s, _ := connect4.Parse("4453")
	want := make([]float32, 7)
	if _, err := p.Distribution(context.Background(), s, argmax.Budget{}, want); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		q := p.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			priors, values := make([]float32, 7), make([]float32, 1)
			for i := 0; i < 20; i++ {
				q.Evaluate([]game.State{s}, priors, values)
				for a := range priors {
					if priors[a] != want[a] {
						errs <- "a clone's priors differ from the original's"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	data := testLabels(t)[:200]
	cfg := tinyConfig()
	cfg.Steps, cfg.Time = 20, 0
	cfg.LabelCost = argmax.Cost{Nodes: 12345}
	p, err := Train(context.Background(), connect4.Game{}, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.Encoding() != p.Encoding() || q.Config().Net != p.Config().Net || q.TrainingCost() != p.TrainingCost() {
		t.Errorf("loaded %+v %+v %+v, saved %+v %+v %+v", q.Encoding(), q.Config().Net, q.TrainingCost(), p.Encoding(), p.Config().Net, p.TrainingCost())
	}
	if q.TrainingCost().Nodes != 12345 {
		t.Errorf("label cost lost: %+v", q.TrainingCost())
	}
	states := []game.State{data[0].State, data[1].State}
	a, b := make([]float32, 14), make([]float32, 14)
	va, vb := make([]float32, 2), make([]float32, 2)
	p.Evaluate(states, a, va)
	q.Evaluate(states, b, vb)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("loaded net's priors %v differ from %v", b, a)
		}
	}
	if va[0] != vb[0] || va[1] != vb[1] {
		t.Errorf("loaded net's values %v differ from %v", vb, va)
	}
}

// TestLoadErrors requires every bad checkpoint to give an error naming
// the file, and never a panic.
func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	p := untrained()
	good := filepath.Join(dir, "good.safetensors")
	if err := p.Save(good); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	otherNet := filepath.Join(dir, "plain.safetensors")
	if err := nn.Save(otherNet, p.Params(), map[string]string{"step": "1"}); err != nil {
		t.Fatal(err)
	}
	mismatch := filepath.Join(dir, "mismatch.safetensors")
	meta, _ := p.metadata()
	meta[MetaArchitecture] = strings.Replace(meta[MetaArchitecture], `"channels":32`, `"channels":16`, 1)
	if err := nn.Save(mismatch, p.Params(), meta); err != nil {
		t.Fatal(err)
	}
	badJSON := filepath.Join(dir, "badjson.safetensors")
	meta, _ = p.metadata()
	meta[MetaEncoding] = "{not json"
	if err := nn.Save(badJSON, p.Params(), meta); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "absent.safetensors"), "no such file"},
		{"empty file", write("empty.safetensors", nil), "truncated"},
		{"truncated", write("trunc.safetensors", raw[:len(raw)/2]), "truncated"},
		{"not a checkpoint of this package", otherNet, "format"},
		{"weights of another architecture", mismatch, "shape"},
		{"corrupt metadata", badJSON, "encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want the path and %q", err, tc.want)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	cfg := Config{LR: 1, MinLR: 0.1, Warmup: 10, Steps: 110, Time: time.Hour}
	timed := cfg
	timed.TimeSchedule = true
	tests := []struct {
		name    string
		cfg     Config
		elapsed time.Duration
		step    int
		want    float64
	}{
		{"warm-up start", cfg, 0, 0, 0.1},
		{"warm-up end", cfg, 0, 9, 1},
		{"peak", cfg, 0, 10, 1},
		{"half way", cfg, 0, 60, 0.55},
		{"end", cfg, 0, 110, 0.1},
		{"past the end", cfg, 0, 500, 0.1},
		{"clock ignored without TimeSchedule", cfg, 2 * time.Hour, 10, 1},
		{"clock behind the steps", timed, time.Minute, 60, 0.55},
		{"clock ahead of the steps", timed, 2 * time.Hour, 20, 0.1},
	}
	for _, tc := range tests {
		s := &schedule{cfg: tc.cfg, start: time.Now().Add(-tc.elapsed)}
		if got := s.LR(tc.step); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: LR(%d) = %g, want %g", tc.name, tc.step, got, tc.want)
		}
	}
}
