package pick

import (
	"slices"
	"strings"
	"testing"

	"argmax/direct/valueiter"
)

func TestPickPaysTheValueAndEnds(t *testing.T) {
	e, err := New(Config{Items: 6})
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(50) {
		obs := slices.Clone(e.Reset(seed))
		if len(obs) != 6 {
			t.Fatalf("%d values, want 6", len(obs))
		}
		best := slices.Index(obs, slices.Max(obs))
		for a := range 6 {
			c := e.Clone()
			_, r, term, trunc := c.Step([]float64{float64(a)})
			if r != obs[a] || !term || trunc {
				t.Fatalf("seed %d, item %d: reward %v terminated %v truncated %v, want %v true false", seed, a, r, term, trunc, obs[a])
			}
			if want := map[bool]float64{true: 1, false: 0}[obs[a] == obs[best]]; c.Performance() != want {
				t.Fatalf("seed %d, item %d: performance %v, want %v", seed, a, c.Performance(), want)
			}
		}
		if again := e.Reset(seed); !slices.Equal(again, obs) {
			t.Fatalf("seed %d: %v then %v", seed, obs, again)
		}
	}
}

// Value iteration on the tabular model picks the largest item, and the
// model agrees with Step.
func TestPickModel(t *testing.T) {
	e, _ := New(Config{Items: 8, Levels: 100})
	for seed := range uint64(20) {
		obs := slices.Clone(e.Reset(seed))
		tab, err := valueiter.NewTable(e)
		if err != nil {
			t.Fatal(err)
		}
		sol, err := valueiter.ValueIteration(tab, valueiter.Config{Gamma: 1})
		if err != nil {
			t.Fatal(err)
		}
		a := sol.Greedy()[0]
		if obs[a] != slices.Max(obs) {
			t.Fatalf("seed %d: value iteration picks %d (%v) of %v", seed, a, obs[a], obs)
		}
		if !slices.Equal(e.StateValues()[1:], obs) || e.State() != 0 {
			t.Fatalf("state values %v for %v, state %d", e.StateValues(), obs, e.State())
		}
		e.Step([]float64{float64(a)})
		if e.State() != 1+a || e.Picked() != a {
			t.Fatalf("after picking %d: state %d, picked %d", a, e.State(), e.Picked())
		}
	}
}

func TestPickConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{{Config{Items: -1}, "Items=-1"}, {Config{Items: 65}, "Items=65"}, {Config{Levels: 1}, "Levels=1"}} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", c.cfg, err, c.want)
		}
	}
}
