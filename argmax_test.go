package argmax_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"argmax"
)

// sleeper is a decider that takes a set time and claims a wrong Elapsed.
type sleeper struct{ d time.Duration }

func (s sleeper) Decide(ctx context.Context, in int, _ argmax.Budget) (int, argmax.Cost, error) {
	select {
	case <-time.After(s.d):
	case <-ctx.Done():
		return 0, argmax.Cost{}, ctx.Err()
	}
	return in + 1, argmax.Cost{Iterations: 3, Elapsed: time.Hour}, nil
}

func TestMeasureOverridesElapsed(t *testing.T) {
	out, c, err := argmax.Measure[int, int](context.Background(), sleeper{20 * time.Millisecond}, 41, argmax.Budget{})
	if err != nil || out != 42 {
		t.Fatalf("got %d, %v", out, err)
	}
	if c.Elapsed < 20*time.Millisecond || c.Elapsed > time.Minute || c.Decisions != 1 || c.Iterations != 3 {
		t.Errorf("cost %+v: want the measured time, 1 decision, the decider's counts", c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := argmax.Measure[int, int](ctx, sleeper{time.Hour}, 0, argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestBudget(t *testing.T) {
	cases := []struct {
		b    argmax.Budget
		text string
		bad  bool
	}{
		{argmax.Budget{}, "unlimited", false},
		{argmax.Budget{Simulations: 1024}, "sims=1024", false},
		{argmax.Budget{Nodes: 5, Time: time.Second}, "nodes=5,time=1s", false},
		{argmax.Budget{Samples: -1}, "samples=-1", true},
	}
	for _, c := range cases {
		if got := c.b.String(); got != c.text {
			t.Errorf("%+v: String %q, want %q", c.b, got, c.text)
		}
		if err := c.b.Check(); (err != nil) != c.bad {
			t.Errorf("%v: Check %v", c.b, err)
		}
	}
	if !(argmax.Budget{}).Unlimited() || (argmax.Budget{Iterations: 1}).Unlimited() {
		t.Error("Unlimited")
	}
}

func TestCostAdd(t *testing.T) {
	a := argmax.Cost{Decisions: 1, Simulations: 2, Nodes: 3, Steps: 4, ForwardPasses: 5, FLOPs: 6, Iterations: 7, Samples: 8, CutShort: 1, Elapsed: 9}
	if got, want := a.Add(a), (argmax.Cost{2, 4, 6, 8, 10, 12, 14, 16, 2, 18}); got != want {
		t.Errorf("Add: %+v, want %+v", got, want)
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range []argmax.Role{argmax.Direct, argmax.Amortized, argmax.Hybrid, argmax.Baseline} {
		if got, err := argmax.ParseRole(string(r)); err != nil || got != r {
			t.Errorf("%s: %v %v", r, got, err)
		}
	}
	if _, err := argmax.ParseRole("search"); err == nil {
		t.Error("ParseRole(search): no error")
	}
}
