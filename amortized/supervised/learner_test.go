package supervised

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// TestLearnerFitsGivenTargets trains a tiny net on three tic-tac-toe
// positions whose targets put all the mass on one move each and a value,
// and checks that it learns them, with and without mirror augmentation.
func TestLearnerFitsGivenTargets(t *testing.T) {
	g := tictactoe.Game{}
	var samples []Sample
	for _, c := range []struct {
		moves string
		move  int
		value float32
	}{{"15", 8, 0.5}, {"1", 4, 0}, {"123", 6, -0.5}} {
		s, err := g.Parse(c.moves)
		if err != nil {
			t.Fatal(err)
		}
		pol := make([]float32, g.NumActions())
		pol[c.move] = 1
		samples = append(samples, Sample{State: s, Policy: pol, Value: c.value})
	}
	for _, mirror := range []bool{false, true} {
		cfg := Config{Net: Tiny, Batch: 3, LR: 3e-3, Steps: 400, Warmup: 10, Mirror: mirror, Seed: 1}
		l, err := NewLearner(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := l.Step(samples)
		var last float64
		for i := 0; i < 399; i++ {
			if last, _, err = l.Step(samples); err != nil {
				t.Fatal(err)
			}
		}
		if last > first/4 {
			t.Errorf("mirror %v: policy loss %.3f → %.3f", mirror, first, last)
		}
		if l.Steps() != 400 || l.Policy().TrainingCost().Iterations != 400 || l.Policy().TrainingCost().FLOPs == 0 {
			t.Errorf("mirror %v: steps %d, cost %+v", mirror, l.Steps(), l.Policy().TrainingCost())
		}
		p := l.Policy().Clone()
		for _, s := range samples {
			a, _, err := p.Decide(context.Background(), s.State, argmax.Budget{})
			if err != nil || s.Policy[a] != 1 {
				t.Errorf("mirror %v: %s: plays %d, %v", mirror, s.State, a, err)
			}
		}
	}
}

func TestLearnerErrors(t *testing.T) {
	g := connect4.Game{}
	l, err := NewLearner(g, Config{Net: Tiny, Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := connect4.Parse("111111")
	uniform := func(s game.State) []float32 {
		p := make([]float32, 7)
		legal := s.Legal(nil)
		for _, a := range legal {
			p[a] = 1 / float32(len(legal))
		}
		return p
	}
	ok := Sample{State: connect4.New(), Policy: uniform(connect4.New())}
	bad := make([]float32, 7)
	bad[0] = 1 // column 1 is full
	for _, c := range []struct {
		batch []Sample
		want  string
	}{
		{nil, "a batch of 0"},
		{[]Sample{ok, ok, ok}, "a batch of 3"},
		{[]Sample{{State: full, Policy: bad}}, "policy weight 1 on action 0"},
		{[]Sample{{State: full, Policy: uniform(full), Value: 2}}, "value 2 outside"},
		{[]Sample{{State: full, Policy: make([]float32, 7)}}, "sum to 0"},
		{[]Sample{{State: full, Policy: []float32{1}}}, "1 policy weights"},
	} {
		if _, _, err := l.Step(c.batch); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.want, err, c.want)
		}
	}
	if _, _, err := l.Step([]Sample{ok, {State: full, Policy: uniform(full), Value: -1}}); err != nil {
		t.Errorf("good batch: %v", err)
	}
	r, err := ResumeLearner(l.Policy(), Config{Batch: 2}, 7)
	if err != nil || r.Steps() != 7 {
		t.Fatalf("resume: %v", err)
	}
	if _, _, err := r.Step([]Sample{ok}); err != nil || r.Steps() != 8 {
		t.Errorf("resumed step: %v", err)
	}
}
