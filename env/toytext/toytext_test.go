package toytext

import (
	"math"
	"slices"
	"strings"
	"testing"

	"argmax/env"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// tabularEnv is what both envs offer beyond env.Env.
type tabularEnv interface {
	env.Env
	env.Reseeder
	NumStates() int
	NumActions() int
	NumOutcomes(s, a int) int
	Outcome(s, a, i int) (float64, int, float64, bool)
	StartProb(s int) float64
	State() int
	SetState(int) error
	MaxSteps() int
}

type envCase struct {
	name string
	e    tabularEnv
	ref  [][][]refTransition
	init []float64 // nil: the start distribution is one-hot at start
	// start is the start state.
	start int
}

func envCases() []envCase {
	lake := func(cfg FrozenLakeConfig, desc []string) envCase {
		P, init := refFrozenLakeP(desc, !cfg.Deterministic)
		return envCase{e: must(NewFrozenLake(cfg)), ref: P, init: init}
	}
	cases := []envCase{
		lake(FrozenLakeConfig{}, lakeMaps["4x4"]),
		lake(FrozenLakeConfig{Deterministic: true}, lakeMaps["4x4"]),
		lake(FrozenLakeConfig{Map: "8x8"}, lakeMaps["8x8"]),
		lake(FrozenLakeConfig{Map: "8x8", Deterministic: true}, lakeMaps["8x8"]),
		lake(FrozenLakeConfig{Map: "SFH/FSG"}, []string{"SFH", "FSG"}),
		{e: must(NewCliffWalking(CliffWalkingConfig{})), ref: refCliffP(false), start: 36},
		{e: must(NewCliffWalking(CliffWalkingConfig{Slippery: true})), ref: refCliffP(true), start: 36},
	}
	names := []string{"lake4", "lake4-det", "lake8", "lake8-det", "lake-custom", "cliff", "cliff-slippery"}
	for i := range cases {
		cases[i].name = names[i]
	}
	return cases
}

// The transition tables are Gymnasium's, entry by entry.
func TestTableMatchesGymnasium(t *testing.T) {
	for _, c := range envCases() {
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			if e.NumStates() != len(c.ref) || e.NumActions() != 4 {
				t.Fatalf("%d states × %d actions, want %d × 4", e.NumStates(), e.NumActions(), len(c.ref))
			}
			for s := range c.ref {
				for a := range 4 {
					want := c.ref[s][a]
					if n := e.NumOutcomes(s, a); n != len(want) {
						t.Fatalf("P[%d][%d] has %d outcomes, want %d", s, a, n, len(want))
					}
					for i, w := range want {
						p, next, r, term := e.Outcome(s, a, i)
						if got := (refTransition{p, next, r, term}); got != w {
							t.Fatalf("P[%d][%d][%d] = %+v, want %+v", s, a, i, got, w)
						}
					}
				}
				want := 0.0
				if c.init != nil {
					want = c.init[s]
				} else if s == c.start {
					want = 1
				}
				if got := e.StartProb(s); got != want {
					t.Fatalf("StartProb(%d) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

// SuccessRate splits a slippery move as Gymnasium's success_rate does.
func TestSuccessRate(t *testing.T) {
	e := must(NewFrozenLake(FrozenLakeConfig{SuccessRate: 0.8}))
	// From the start (0, 0), Down: Left (stays at 0), Down (4), Right (1).
	want := []refTransition{{0.1, 0, 0, false}, {0.8, 4, 0, false}, {0.1, 1, 0, false}}
	for i, w := range want {
		p, next, r, term := e.Outcome(0, Down, i)
		if math.Abs(p-w.p) > 1e-15 || next != w.s || r != w.r || term != w.terminated {
			t.Errorf("outcome %d = (%v, %d, %v, %v), want %+v", i, p, next, r, term, w)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct {
		name      string
		e         tabularEnv
		states    int
		maxSteps  int
		wantStart int
	}{
		{"FrozenLake-v1", must(NewFrozenLake(FrozenLakeConfig{})), 16, 100, 0},
		{"FrozenLake8x8-v1", must(NewFrozenLake(FrozenLakeConfig{Map: "8x8"})), 64, 200, 0},
		{"custom map keeps v1's 100", must(NewFrozenLake(FrozenLakeConfig{Map: "FFS\nHFG"})), 6, 100, 2},
		{"MaxSteps", must(NewFrozenLake(FrozenLakeConfig{MaxSteps: 7})), 16, 7, 0},
		{"NoLimit", must(NewFrozenLake(FrozenLakeConfig{MaxSteps: NoLimit})), 16, 0, 0},
		{"CliffWalking-v0", must(NewCliffWalking(CliffWalkingConfig{})), 48, 0, 36},
		{"cliff MaxSteps", must(NewCliffWalking(CliffWalkingConfig{MaxSteps: 50})), 48, 50, 36},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.e.NumStates() != c.states || c.e.MaxSteps() != c.maxSteps {
				t.Errorf("%d states, limit %d; want %d, %d", c.e.NumStates(), c.e.MaxSteps(), c.states, c.maxSteps)
			}
			obs := c.e.Reset(3)
			if c.e.State() != c.wantStart || len(obs) != c.states || obs[c.wantStart] != 1 {
				t.Errorf("reset to state %d, obs %v; want state %d one-hot", c.e.State(), obs, c.wantStart)
			}
			if err := c.e.ObservationSpace().Check(obs); err != nil {
				t.Errorf("observation outside its space: %v", err)
			}
		})
	}
}

func TestBadConfigs(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"MaxSteps", second(NewFrozenLake(FrozenLakeConfig{MaxSteps: -2})), "MaxSteps=-2"},
		{"SuccessRate", second(NewFrozenLake(FrozenLakeConfig{SuccessRate: 1.5})), "SuccessRate=1.5"},
		{"SuccessRate negative", second(NewFrozenLake(FrozenLakeConfig{SuccessRate: -0.1})), "SuccessRate=-0.1"},
		{"SuccessRate deterministic", second(NewFrozenLake(FrozenLakeConfig{Deterministic: true, SuccessRate: 0.5})), "Deterministic"},
		{"map", second(NewFrozenLake(FrozenLakeConfig{Map: "16x16"})), "unknown cell '1'"},
		{"cliff MaxSteps", second(NewCliffWalking(CliffWalkingConfig{MaxSteps: -3})), "MaxSteps=-3"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestParseLakeMapErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "no rows"},
		{" \n\t\n", "no rows"},
		{"FFF/FHG", "no start cell S"},
		{"SFF/FHF", "no goal cell G"},
		{"SFFF/FHF/FFG", "row 2 has 3 cells, row 1 has 4"},
		{"SFF/FXG", "row 2, column 2: unknown cell 'X'"},
		{"SFF/F G", "row 2, column 2: unknown cell ' '"},
		{"sfg", "row 1, column 1: unknown cell 's'"},
		{"SFé/FFG", "row 1, column 3: unknown cell"},
	} {
		_, err := ParseLakeMap(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "frozen lake map") {
			t.Errorf("ParseLakeMap(%q): error %v, want one mentioning %q", c.text, err, c.want)
		}
	}
	for _, text := range []string{"4x4", " 8x8\n", "SFFF\nFHFH\nFFFH\nHFFG\n", "  SG  \n\n  FF ", "SG/HS/GG"} {
		m, err := ParseLakeMap(text)
		if err != nil {
			t.Errorf("ParseLakeMap(%q): %v", text, err)
			continue
		}
		if back := must(ParseLakeMap(m.String())); back.String() != m.String() {
			t.Errorf("ParseLakeMap(%q) renders as %q, which reads back as %q", text, m, back)
		}
	}
	if m := must(ParseLakeMap("SFFF\nFHFH\nFFFH\nHFFG")); m.String() != must(ParseLakeMap("4x4")).String() {
		t.Errorf("the 4x4 map written out is %v, not the built-in one", m)
	}
}

// FuzzParseLakeMap: any text either fails with an error or gives a valid
// map that renders and reads back as itself and builds an env.
func FuzzParseLakeMap(f *testing.F) {
	for _, s := range []string{"4x4", "8x8", "SFFF/FHFH/FFFH/HFFG", "SG", "S\nG", "SFX", "", "SF/G", "GGS/HHH"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m, err := ParseLakeMap(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "toytext: frozen lake map ") {
				t.Fatalf("error without the input named: %v", err)
			}
			return
		}
		if m.Rows < 1 || m.Cols < 1 || len(m.cells) != m.Rows*m.Cols {
			t.Fatalf("map %d×%d with %d cells", m.Rows, m.Cols, len(m.cells))
		}
		back, err := ParseLakeMap(m.String())
		if err != nil || back.String() != m.String() {
			t.Fatalf("%q reads back as %v, %v", m.String(), back, err)
		}
		if m.Rows*m.Cols > 400 {
			return
		}
		e, err := NewFrozenLake(FrozenLakeConfig{Map: m.String()})
		if err != nil {
			t.Fatalf("NewFrozenLake(%q): %v", m.String(), err)
		}
		if c := e.Map().At(e.State()/m.Cols, e.State()%m.Cols); c != 'S' {
			t.Fatalf("reset on a %q cell", rune(c))
		}
		e.Step([]float64{Right})
	})
}

// In the deterministic envs every step, from every state and action, is
// the table's single outcome.
func TestDeterministicStepsFollowTable(t *testing.T) {
	for _, c := range envCases() {
		if !strings.HasSuffix(c.name, "-det") && c.name != "cliff" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			for s := range e.NumStates() {
				for a := range 4 {
					if err := e.SetState(s); err != nil {
						t.Fatal(err)
					}
					p, next, r, term := e.Outcome(s, a, 0)
					obs, reward, terminated, truncated := e.Step([]float64{float64(a)})
					if p != 1 || e.State() != next || reward != r || terminated != term || truncated {
						t.Fatalf("state %d action %d: went to %d, %v, %v, %v; the table says %d, %v, %v",
							s, a, e.State(), reward, terminated, truncated, next, r, term)
					}
					want := make([]float64, e.NumStates())
					want[next] = 1
					if !slices.Equal(obs, want) {
						t.Fatalf("state %d action %d: observation %v, want one-hot %d", s, a, obs, next)
					}
				}
			}
		})
	}
}

// In the slippery envs the empirical frequencies of the next states match
// the table's probabilities.
func TestSlipperyStepFrequencies(t *testing.T) {
	const n = 3000
	for _, c := range envCases() {
		if c.name != "lake4" && c.name != "cliff-slippery" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			e.Reset(uint64(len(c.name)))
			worst := 0.0
			for s := range e.NumStates() {
				for a := range 4 {
					want := map[int]float64{}
					for i := range e.NumOutcomes(s, a) {
						p, next, _, _ := e.Outcome(s, a, i)
						want[next] += p
					}
					got := map[int]float64{}
					for range n {
						must(0, e.SetState(s))
						e.Step([]float64{float64(a)})
						got[e.State()]++
					}
					for next := range got {
						if want[next] == 0 {
							t.Fatalf("state %d action %d reached %d, which the table does not list", s, a, next)
						}
					}
					for next, p := range want {
						sd := math.Sqrt(p * (1 - p) / n)
						dev := math.Abs(got[next]/n - p)
						if sd > 0 {
							worst = max(worst, dev/sd)
						}
						if dev > 5*sd+1e-12 {
							t.Errorf("state %d action %d → %d: frequency %.4f, table %.4f (%.1f sd)", s, a, next, got[next]/n, p, dev/sd)
						}
					}
				}
			}
			t.Logf("largest deviation %.2f sd over %d steps per (state, action)", worst, n)
		})
	}
}

// The same seed gives the same episode; a clone continues as the original
// does; Reseed changes the draws but not the state.
func TestSeedingAndClone(t *testing.T) {
	e := must(NewFrozenLake(FrozenLakeConfig{Map: "8x8", MaxSteps: NoLimit}))
	run := func(e env.Env, seed uint64, steps int) []int {
		te := e.(tabularEnv)
		var path []int
		if seed != 0 {
			e.Reset(seed)
		}
		for i := range steps {
			_, _, term, _ := e.Step([]float64{float64(i % 3)})
			path = append(path, te.State())
			if term {
				e.Reset(seed + uint64(i))
			}
		}
		return path
	}
	a, b := run(e, 5, 300), run(e, 5, 300)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave different paths")
	}
	if c := run(e, 6, 300); slices.Equal(a, c) {
		t.Fatal("seeds 5 and 6 gave the same path")
	}
	e.Reset(9)
	run(e, 0, 3)
	c := e.Clone()
	if !slices.Equal(run(e, 0, 50), run(c, 0, 50)) {
		t.Fatal("a clone diverged from its original")
	}
	if e.State() != c.(tabularEnv).State() || e.Performance() != c.Performance() {
		t.Fatal("clone not at the original's state")
	}
	// A clone's observation buffer is its own.
	o1 := e.Reset(1)
	o2 := c.Reset(2)
	o2[0] = 42
	if o1[0] == 42 {
		t.Fatal("a clone shares the observation buffer")
	}
	e.Reset(3)
	c = e.Clone()
	env.Reseed(c, 77)
	if c.(tabularEnv).State() != e.State() {
		t.Fatal("Reseed moved the state")
	}
	if slices.Equal(run(e, 0, 40), run(c, 0, 40)) {
		t.Fatal("a reseeded clone drew the original's slips")
	}
}

// A rollout ends at the time limit, returns 1 at the goal, and Performance
// is the return.
func TestEpisodes(t *testing.T) {
	det := must(NewFrozenLake(FrozenLakeConfig{Deterministic: true}))
	det.Reset(0)
	var steps int
	for {
		_, _, term, trunc := det.Step([]float64{Left})
		steps++
		if term || trunc {
			if term || steps != 100 {
				t.Fatalf("walking into the wall ended after %d steps, terminated %v", steps, term)
			}
			break
		}
	}
	det.Reset(0)
	var ret float64
	for i, a := range []int{Down, Down, Right, Down, Right, Right} {
		_, r, term, _ := det.Step([]float64{float64(a)})
		ret += r
		if term != (i == 5) {
			t.Fatalf("step %d: terminated %v", i+1, term)
		}
	}
	if ret != 1 || det.Performance() != 1 || det.State() != 15 {
		t.Fatalf("the 6-step path returned %v (performance %v) at state %d", ret, det.Performance(), det.State())
	}
	// Stepping on in the goal stays there with reward 0.
	if _, r, term, _ := det.Step([]float64{Up}); r != 0 || !term || det.State() != 15 || det.Performance() != 1 {
		t.Fatalf("a step from the goal: reward %v, terminated %v, state %d", r, term, det.State())
	}

	cliff := must(NewCliffWalking(CliffWalkingConfig{}))
	cliff.Reset(0)
	if _, r, term, _ := cliff.Step([]float64{CliffRight}); r != -100 || term || cliff.State() != 36 {
		t.Fatalf("stepping into the cliff: reward %v, terminated %v, state %d; want -100, false, 36", r, term, cliff.State())
	}
	cliff.Reset(0)
	path := []int{CliffUp}
	for range 11 {
		path = append(path, CliffRight)
	}
	path = append(path, CliffDown)
	for i, a := range path {
		_, _, term, _ := cliff.Step([]float64{float64(a)})
		if term != (i == len(path)-1) {
			t.Fatalf("step %d: terminated %v", i+1, term)
		}
	}
	if cliff.Performance() != -13 {
		t.Fatalf("the edge path returned %v, want -13", cliff.Performance())
	}
}

func TestIndexObservation(t *testing.T) {
	e := must(NewFrozenLake(FrozenLakeConfig{Deterministic: true, IndexObservation: true}))
	if s := e.ObservationSpace(); !s.IsDiscrete() || s.N != 16 {
		t.Fatalf("observation space %v, want Discrete(16)", s)
	}
	if obs := e.Reset(0); !slices.Equal(obs, []float64{0}) {
		t.Fatalf("first observation %v, want [0]", obs)
	}
	if obs, _, _, _ := e.Step([]float64{Down}); !slices.Equal(obs, []float64{4}) {
		t.Fatalf("observation %v, want [4]", obs)
	}
	c := must(NewCliffWalking(CliffWalkingConfig{IndexObservation: true}))
	if obs := c.Reset(0); !slices.Equal(obs, []float64{36}) {
		t.Fatalf("cliff observation %v, want [36]", obs)
	}
}

func TestBadActionsPanic(t *testing.T) {
	e := must(NewFrozenLake(FrozenLakeConfig{}))
	for _, a := range [][]float64{{4}, {-1}, {0.5}, {}, {0, 1}, {math.NaN()}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("action %v did not panic", a)
				}
			}()
			e.Step(a)
		}()
	}
	if err := e.SetState(16); err == nil {
		t.Error("SetState(16) on 16 states: no error")
	}
}

// A map with several start cells starts in each with equal probability.
func TestSeveralStarts(t *testing.T) {
	e := must(NewFrozenLake(FrozenLakeConfig{Map: "SFS/HSG"}))
	if p := e.StartProb(2); math.Abs(p-1.0/3) > 1e-15 {
		t.Fatalf("StartProb(2) = %v, want 1/3", p)
	}
	counts := map[int]int{}
	const n = 3000
	for seed := range uint64(n) {
		e.Reset(seed)
		counts[e.State()]++
	}
	for _, s := range []int{0, 2, 4} {
		if f := float64(counts[s]) / n; math.Abs(f-1.0/3) > 5*math.Sqrt(2.0/9/n) {
			t.Errorf("start %d drawn with frequency %.3f, want 1/3", s, f)
		}
	}
	if len(counts) != 3 {
		t.Errorf("starts drawn: %v", counts)
	}
}
