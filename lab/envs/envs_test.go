package envs

import (
	"slices"
	"strings"
	"testing"

	"argmax/env"
	"argmax/env/control"
)

func TestNew(t *testing.T) {
	for _, c := range []struct {
		spec          string
		name          string
		obsDim        int
		action        string
		wantTruncated int // the step that truncates an episode of action 0 (0: not checked)
	}{
		{"cartpole", "cartpole", 4, "Discrete(2)", 0},
		{"cartpole-continuous:actions=5", "cartpole-continuous", 4, "Discrete(5)", 0},
		{"pendulum", "pendulum", 3, "Box([-2], [2])", 200},
		{"pendulum:max_steps=7,mass=0.8..1.2,obs_noise=0.1", "pendulum", 3, "Box([-2], [2])", 7},
		{"pendulum:limit=5,repeat=2", "pendulum", 3, "Box([-2], [2])", 5},
		{"mountaincar-continuous:mask=0", "mountaincar-continuous", 1, "Box([-1], [1])", 0},
		{"acrobot:sticky=0.25,flicker=0.1", "acrobot", 6, "Discrete(3)", 0},
		{"pointmass:obstacles=false,actions=3", "pointmass", 6, "Discrete(9)", 0},
	} {
		e, err := New(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if e.Name() != c.name || e.ObservationSpace().Dim() != c.obsDim || e.ActionSpace().String() != c.action {
			t.Errorf("%s: %s, observations %v, actions %v", c.spec, e.Name(), e.ObservationSpace(), e.ActionSpace())
		}
		if c.wantTruncated > 0 {
			e.Reset(1)
			for step := 1; ; step++ {
				if _, _, term, trunc := e.Step([]float64{0}); term || trunc {
					if !trunc || step != c.wantTruncated {
						t.Errorf("%s: episode ended at step %d (truncated %v), want truncation at %d", c.spec, step, trunc, c.wantTruncated)
					}
					break
				}
			}
		}
	}
}

// TestSameAsControl: a spec without keys is the control task itself,
// step for step; a hidden range reaches its config.
func TestSameAsControl(t *testing.T) {
	e, err := New("cartpole")
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := control.NewCartPole(control.CartPoleConfig{})
	if !slices.Equal(e.Reset(5), ref.Reset(5)) {
		t.Fatal("first observations differ")
	}
	for i := range 50 {
		a := []float64{float64(i % 2)}
		o1, r1, t1, _ := e.Step(a)
		o2, r2, t2, _ := ref.Step(a)
		if !slices.Equal(o1, o2) || r1 != r2 || t1 != t2 {
			t.Fatalf("step %d differs", i)
		}
		if t1 {
			break
		}
	}
	p, err := New("cartpole:length=0.3..0.4")
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(20) {
		p.Reset(seed)
		if l := p.(*control.CartPole).Params().Length; l < 0.3 || l > 0.4 {
			t.Errorf("seed %d: length %v outside 0.3..0.4", seed, l)
		}
	}
	var _ env.Env = p
}

func TestErrors(t *testing.T) {
	for spec, want := range map[string]string{
		"cartpol":                   `unknown kind "cartpol" (known: acrobot, cartpole`,
		"cartpole:lenght=1":         `unknown key "lenght" for cartpole`,
		"cartpole:length=0.5..0.1":  `key length="0.5..0.1": want a positive range`,
		"cartpole:sticky=2":         `key sticky=2: out of range [0, 1]`,
		"cartpole:mask=0+9":         `key mask: env: Mask: keep[1] = 9`,
		"cartpole:mask=a":           `key mask: "a": want observation dimensions`,
		"cartpole:action_noise=0.1": `key action_noise: env: NoisyActions: the action space is Discrete(2): want a box`,
		"pendulum:actions=-1":       `key actions=-1: out of range`,
	} {
		_, err := New(spec)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "env spec ") {
			t.Errorf("%s: %v, want an error containing %q", spec, err, want)
		}
	}
	if u := Usage(); !strings.Contains(u, "pendulum[:actions=N") || !strings.Contains(u, "obs_noise=S") {
		t.Errorf("usage:\n%s", u)
	}
}
