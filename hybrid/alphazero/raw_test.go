package alphazero

import (
	"context"
	"math"
	"testing"

	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/game/tictactoe"
)

func TestSelfImitation(t *testing.T) {
	for _, c := range []struct {
		name string
		pol  []float32
		a    game.Action
		v    float32
		want []float32
	}{
		{"win: the move played", []float32{0.5, 0.3, 0.2}, 1, 1, []float32{0, 1, 0}},
		{"loss: the move taken out", []float32{0.5, 0.3, 0.2}, 0, -1, []float32{0, 0.6, 0.4}},
		{"draw: unchanged", []float32{0.5, 0.3, 0.2}, 2, 0, []float32{0.5, 0.3, 0.2}},
		{"loss with no other move", []float32{0, 1, 0}, 1, -1, []float32{0, 1, 0}},
	} {
		pol := append([]float32(nil), c.pol...)
		selfImitation(pol, c.a, c.v)
		for i := range pol {
			if math.Abs(float64(pol[i]-c.want[i])) > 1e-6 {
				t.Errorf("%s: got %v, want %v", c.name, pol, c.want)
				break
			}
		}
	}
}

// TestRawSelfPlay: without search every move is a sample, one forward
// pass each, and the targets follow the outcome.
func TestRawSelfPlay(t *testing.T) {
	g := tictactoe.Game{}
	l, err := supervised.NewLearner(g, supervised.Config{Net: supervised.Net{Blocks: 1, Channels: 8, ValueHidden: 8}, Seed: 1, Steps: 1})
	if err != nil {
		t.Fatal(err)
	}
	net := l.Policy()
	cfg := PlayConfig{Raw: true, Parallel: 4, Leaves: 1}
	recs, st, err := SelfPlay(context.Background(), g, net, cfg, 16, 7)
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples != st.Plies || st.Search.ForwardPasses != int64(st.Plies) {
		t.Errorf("samples %d, plies %d, forward passes %d: want one sample and one pass per move", st.Samples, st.Plies, st.Search.ForwardPasses)
	}
	for i, r := range recs {
		for j, s := range r.Samples {
			var sum, top float32
			for _, p := range s.Policy {
				sum += p
				top = max(top, p)
			}
			switch {
			case s.Value > 0 && top != 1:
				t.Errorf("game %d sample %d: a winner's target %v is not one-hot", i, j, s.Policy)
			case math.Abs(float64(sum-1)) > 1e-4:
				t.Errorf("game %d sample %d: target %v sums to %v", i, j, s.Policy, sum)
			}
		}
	}
	again, _, err := SelfPlay(context.Background(), g, net, cfg, 16, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if recs[i].Plies != again[i].Plies || recs[i].Outcome != again[i].Outcome {
			t.Fatalf("game %d differs between two runs with the same seed", i)
		}
	}
	if _, _, err := SelfPlay(context.Background(), g, net, PlayConfig{Raw: true, Gumbel: true, Parallel: 1, Leaves: 1}, 1, 1); err == nil {
		t.Error("raw and Gumbel self-play together: no error")
	}
}
