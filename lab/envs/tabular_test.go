package envs

import (
	"context"
	"strings"
	"testing"

	"argmax"
	"argmax/env"
)

func TestValueIterationPolicy(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want float64 // the return of every episode under the optimal policy
	}{
		{"cliffwalking", -13},
		{"frozenlake:slippery=false", 1},
		{"frozenlake:map=8x8,slippery=false", 1},
	} {
		e, err := New(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPolicy(e, tc.spec, "vi")
		if err != nil {
			t.Fatal(err)
		}
		ep, err := env.Rollout(context.Background(), e, p, 1, argmax.Budget{})
		if err != nil || ep.Return != tc.want {
			t.Errorf("%s: return %v (%v), want %v", tc.spec, ep.Return, err, tc.want)
		}
	}
	e, _ := New("pendulum")
	if _, err := NewPolicy(e, "pendulum", "vi"); err == nil || !strings.Contains(err.Error(), "tabular model") {
		t.Errorf("vi on pendulum: %v", err)
	}
}
