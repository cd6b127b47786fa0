package lab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testRegistry holds mc-pi and an experiment with every parameter kind.
func testRegistry() *Registry {
	r := &Registry{}
	r.Register(MonteCarloPi)
	r.Register(Experiment{
		Name: "kinds",
		Doc:  "every parameter kind, for spec tests",
		Params: []Param{
			{Name: "n", Kind: Int, Quick: 4, Full: 40, Range: Between(1, 1000)},
			{Name: "rate", Kind: Float, Quick: 0.5, Range: Between(0, 1)},
			{Name: "game", Kind: String, Quick: "connect4", Choices: []string{"connect4", "tictactoe"}},
			{Name: "bot", Kind: String, Quick: "mcts", Check: func(v any) error {
				if !strings.HasPrefix(v.(string), "mcts") && v.(string) != "solver" {
					return fmt.Errorf("%q is not a bot (want mcts... or solver)", v)
				}
				return nil
			}},
			{Name: "noisy", Kind: Bool, Quick: false},
			{Name: "budgets", Kind: Ints, Quick: []int{16, 64}, Range: AtLeast(1), MinLen: 1},
			{Name: "temps", Kind: Floats, Quick: []float64{1}},
			{Name: "bots", Kind: Strings, Quick: []string{"solver"}},
		},
		Run: func(ctx context.Context, t *Trial) error { t.Record("n", float64(t.Int("n"))); return nil },
	})
	return r
}

func TestSpecValid(t *testing.T) {
	src := `
name: demo
description: a demo
seed: 7
scale: full
workers: 2
experiments:
  - name: kinds
    seeds: 3
    params: {rate: 1, game: tictactoe, bot: "mcts:sims=8", noisy: true, budgets: [1, 2, 3], temps: [0.5, 2], bots: [a, b]}
    grid:
      n: [1, 2]
  - name: mc-pi
`
	s, err := ParseSpec([]byte(src), "demo.yaml", testRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 7 || s.Scale != Full || s.Workers != 2 || len(s.Entries) != 2 {
		t.Fatalf("spec = %+v", s)
	}
	trials := s.Plan()
	// kinds: 2 points x 3 seeds; mc-pi: 1 point x 20 seeds (full default).
	if len(trials) != 6+20 {
		t.Fatalf("%d trials, want 26", len(trials))
	}
	p := trials[0]
	if p.Float("rate") != 1 || p.Text("game") != "tictactoe" || !p.Bool("noisy") || len(p.Ints("budgets")) != 3 || p.Int("n") != 1 || p.ParamErr() != nil {
		t.Errorf("params = %v (%v)", p.Params, p.ParamErr())
	}
	if trials[25].Int("samples") != 1000000 {
		t.Errorf("full-scale default not applied: %v", trials[25].Params)
	}
	// A getter with a wrong name or kind records an error naming it.
	if p.Int("rate"); p.ParamErr() == nil || !strings.Contains(p.ParamErr().Error(), `"rate"`) {
		t.Errorf("kind mismatch: %v", p.ParamErr())
	}
	if _, err := p.Params.Int("nosuch"); err == nil || !strings.Contains(err.Error(), `no parameter "nosuch"`) {
		t.Errorf("unknown name: %v", err)
	}
	// Same spec, same keys and seeds; different spec seed, different ones.
	again := s.Plan()
	for i := range trials {
		if trials[i].Key != again[i].Key || trials[i].Seed != again[i].Seed {
			t.Fatal("planning is not deterministic")
		}
	}
	s.Seed = 8
	if s.Plan()[0].Seed == trials[0].Seed {
		t.Error("the spec seed does not change trial seeds")
	}
}

func TestSpecErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"empty", ``, []string{"empty"}},
		{"not yaml", "experiments: [", []string{"not valid YAML"}},
		{"top not mapping", "- a\n- b\n", []string{"want a mapping"}},
		{"unknown top field", "experimens: []\n", []string{"experimens", "unknown field"}},
		{"missing experiments", "seed: 1\n", []string{"experiments", "missing"}},
		{"empty experiments", "experiments: []\n", []string{"experiments", "empty"}},
		{"experiments not list", "experiments: mc-pi\n", []string{"experiments", "want a list"}},
		{"unknown experiment", "experiments:\n  - name: mc-py\n", []string{"experiments[0].name", `unknown experiment "mc-py"`, "mc-pi"}},
		{"missing name", "experiments:\n  - seeds: 3\n", []string{"experiments[0].name", "missing"}},
		{"unknown entry field", "experiments:\n  - name: mc-pi\n    sedes: 3\n", []string{"experiments[0].sedes", "unknown field"}},
		{"unknown param", "experiments:\n  - name: mc-pi\n    params: {sample: 10}\n", []string{"experiments[0].params.sample", `no parameter "sample"`, "samples"}},
		{"wrong type int", "experiments:\n  - name: mc-pi\n    params: {samples: many}\n", []string{"experiments[0].params.samples", "want an integer", `"many"`}},
		{"fractional int", "experiments:\n  - name: mc-pi\n    params: {samples: 2.5}\n", []string{"samples", "not a whole number"}},
		{"below minimum", "experiments:\n  - name: mc-pi\n    params: {samples: 0}\n", []string{"samples", "below the minimum 1"}},
		{"bad bool", "experiments:\n  - name: mc-pi\n    params: {antithetic: 3}\n", []string{"antithetic", "want a boolean"}},
		{"zero seeds", "experiments:\n  - name: mc-pi\n    seeds: 0\n", []string{"experiments[0].seeds", "impossible"}},
		{"negative seed", "seed: -3\nexperiments:\n  - name: mc-pi\n", []string{"seed", "negative"}},
		{"bad scale", "scale: huge\nexperiments:\n  - name: mc-pi\n", []string{"scale", `"huge"`, "quick or full"}},
		{"bad workers", "workers: -1\nexperiments:\n  - name: mc-pi\n", []string{"workers", "impossible"}},
		{"grid not list", "experiments:\n  - name: mc-pi\n    grid: {samples: 10}\n", []string{"grid.samples", "sweeps a list"}},
		{"grid empty", "experiments:\n  - name: mc-pi\n    grid: {samples: []}\n", []string{"grid.samples", "empty"}},
		{"grid bad element", "experiments:\n  - name: mc-pi\n    grid: {samples: [10, x]}\n", []string{"grid.samples[1]", "want an integer"}},
		{"fixed and swept", "experiments:\n  - name: mc-pi\n    params: {samples: 5}\n    grid: {samples: [1, 2]}\n", []string{"grid.samples", "either fixed or swept"}},
		{"duplicate key", "experiments:\n  - name: mc-pi\n    params: {samples: 5, samples: 6}\n", []string{"samples"}},
		{"choice", "experiments:\n  - name: kinds\n    params: {game: chess}\n", []string{"params.game", `"chess" is not one of connect4, tictactoe`}},
		{"check", "experiments:\n  - name: kinds\n    params: {bot: random}\n", []string{"params.bot", "not a bot"}},
		{"float range", "experiments:\n  - name: kinds\n    params: {rate: 1.5}\n", []string{"params.rate", "above the maximum 1"}},
		{"infinite", "experiments:\n  - name: kinds\n    params: {rate: .inf}\n", []string{"params.rate", "finite"}},
		{"list element", "experiments:\n  - name: kinds\n    params: {budgets: [4, 0]}\n", []string{"params.budgets", "element 1", "below the minimum"}},
		{"list too short", "experiments:\n  - name: kinds\n    params: {budgets: []}\n", []string{"params.budgets", "at least 1"}},
		{"list not list", "experiments:\n  - name: kinds\n    params: {budgets: 16}\n", []string{"params.budgets", "want a list of integers"}},
		{"string not number", "experiments:\n  - name: kinds\n    params: {game: 4}\n", []string{"params.game", "want a string", "integer 4"}},
		{"alias", "x: &a 3\nexperiments:\n  - name: mc-pi\n    params: {samples: *a}\n", []string{"aliases"}},
		{"too many trials", "experiments:\n  - name: kinds\n    seeds: 10000\n    grid: {n: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101]}\n", []string{"limit"}},
	}
	reg := testRegistry()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(c.src), "bad.yaml", reg)
			if err == nil {
				t.Fatalf("accepted: %+v", s)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "bad.yaml") {
				t.Errorf("error does not name the file: %s", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestSpecReportsEveryProblem(t *testing.T) {
	src := "seed: x\nscale: big\nexperiments:\n  - name: mc-pi\n    params: {samples: -1, antithetic: 2}\n"
	_, err := ParseSpec([]byte(src), "s.yaml", testRegistry())
	var errs SpecErrors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	if errs[0].Line != 1 || errs[3].Line != 5 {
		t.Errorf("lines: %d, %d", errs[0].Line, errs[3].Line)
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		"experiments:\n  - name: mc-pi\n    grid: {samples: [1, 10]}\n",
		"seed: 3\nscale: full\nexperiments:\n  - name: kinds\n    params: {budgets: [1,2], bots: [x], temps: [0.1]}\n",
		"experiments: [{name: kinds, grid: {game: [connect4, tictactoe], n: [1, 2]}}]",
		"x: &a [1]\n", "", "[", "experiments:\n - name: mc-pi\n   seeds: 99999999999999999999\n",
	} {
		f.Add([]byte(s))
	}
	reg := testRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpec(data, "fuzz.yaml", reg)
		if err != nil {
			if s != nil {
				t.Fatal("a spec and an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if s.NumTrials() > MaxTrials {
			t.Fatalf("accepted %d trials", s.NumTrials())
		}
		if s.NumTrials() <= 10000 {
			trials := s.Plan()
			for _, tr := range trials {
				for _, p := range tr.exp.Params {
					if _, ok := tr.Params[p.Name]; !ok {
						t.Fatalf("trial lacks parameter %s", p.Name)
					}
					if err := p.validate(tr.Params[p.Name]); err != nil {
						t.Fatalf("accepted an invalid value: %v", err)
					}
				}
			}
		}
	})
}
