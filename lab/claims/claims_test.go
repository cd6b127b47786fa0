package claims

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"argmax"
	"argmax/env"
	"argmax/game"
	"argmax/internal/browser"
	"argmax/lab"
	"argmax/lab/bots"
	"argmax/lab/envs"
	"argmax/lab/kv"
	"argmax/lab/solvers"
	"argmax/lab/store"
	"argmax/task"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// tinySuite is the claim suite at a size a test can afford: every claim,
// few positions, small budgets, tiny nets trained for a few steps.
const tinySuite = `
name: tiny
seed: 3
experiments:
  - name: claims/runtime-cost
    seeds: 2
    params: {positions: 12, sims: [4, 64], nodes: [1000, 10000], timing_positions: 4, rounds: 1, train_steps: 5, train_positions: 300,
             step_costs: ["1us"], step_cost_sims: 64}
  - name: claims/scaling
    seeds: 2
    params: {positions: 12, sims: [4, 16, 64], nodes: [1000, 10000], games: 2, ladder: [random, "mcts:sims=4"], train_steps: 5, train_positions: 300,
             learners: ["net:size=tiny,n=100,steps=20", "net:size=tiny,n=200,steps=40", "net:size=tiny,n=300,steps=60"]}
  - name: claims/convergence
    seeds: 2
    params: {positions: 8, sims: [1, 16, 256], nodes: [1000], learner_sets: [middle, end], train_steps: 5, train_positions: 300,
             demo_learner: "net:size=tiny,labels=demo", search_learner: "net:size=tiny,labels=search,label_sims=16"}
  - name: claims/problem-solving
    seeds: 2
    params: {positions: 8, bins: 2, max_sims: 256, sims: 16, nodes: 10000, train_steps: 5, train_positions: 300}
  - name: claims/data-efficiency
    seeds: 2
    params: {positions: 12, sims: [4, 64], nodes: [1000], train_steps: 5, train_positions: 300,
             learners: ["net:size=tiny,labels=search,label_sims=16,n=100,steps=20", "net:size=tiny,labels=search,label_sims=16,n=300,steps=40"]}
  - name: claims/hybrid
    seeds: 2
    params: {positions: 12, net: "iterations=2,size=tiny,games=8,train_sims=8", sims: [4, 16], mcts_sims: [4, 64], gumbel_sims: [4],
             match_games: 4, arbiter_sims: [8, 16], arbiter_ref: 16, nodes: 10000, timing_positions: 3, rounds: 1, train_steps: 5, train_positions: 300}
  - name: claims/exchange-rate
    seeds: 2
    params: {positions: 12, net: "size=tiny,games=8,train_sims=8", iterations: [1, 2], sims: [1, 4], train_steps: 5, train_positions: 300}
  - name: claims/simple-vs-rich
    seeds: 2
    params: {levels: [pendulum, "pendulum:obs_noise=0.2"], level_names: [simple, noisy obs], episodes: 2,
             policies: ["cem:samples=8,iters=2,horizon=8", "pets:steps=150,init=100,every=25,members=2,epochs=2,samples=8,iters=2,horizon=5", "ppo:steps=4096", "guidedcem:steps=4096,samples=8,iters=1,horizon=8", random, test-zero]}
  - name: claims/generalization
    seeds: 2
    params: {train: "pendulum:mass=0.9..1.1,max_steps=50", tests: ["pendulum:mass=0.9..1.1,max_steps=50", "pendulum:mass=1.5..1.7,max_steps=50"], shifts: [0, 0.6],
             policies: ["cem:samples=8,iters=2,horizon=8", "ppo:steps=2048", "guidedcem:steps=2048,samples=8,iters=1,horizon=8", random, test-zero], reference: "ppo:steps=2048", episodes: 2}
  - name: claims/ood
    seeds: 2
    params: {train: "pointmass:max_steps=40", variants: ["pointmass:max_steps=40,source_reward=3,source_x=-0.7,source_y=-0.3"], variant_names: [source],
             policies: ["cem:samples=8,iters=2,horizon=8", "ppo:steps=2048", "guidedcem:steps=2048,samples=8,iters=1,horizon=8", random, test-zero], episodes: 2}
  - name: claims/red-door
    seeds: 2
    params: {env: "maze:max_steps=30", ps: [0, 0.5], rewards: [door, red], policies: [mazeplan, "ppo:steps=2048,sample=true", "mesa:levels=20", random, test-zero],
             episodes: 6, irl_demos: 4}
  - name: claims/corner-goal
    seeds: 2
    params: {env: "maze:max_steps=30", policies: [mazeplan, "ppo:steps=2048,sample=true", "mesa:levels=20", random, test-zero], episodes: 6}
  - name: claims/map-territory
    seeds: 2
    params: {tasks: ["pick:items=3", "maze:dist=collect,items=3,max_steps=30"], task_names: [map, territory], policies: [vi, "ppo:steps=2048,sample=true", "mesa:levels=20", random, test-zero],
             episodes: 6, probe_episodes: 4}
  - name: claims/runtime-cost-control
    seeds: 2
    params: {env: "pendulum:max_steps=50", frontiers: ["cem:samples={},iters=2,horizon=8", "guidedcem:steps=2048,samples={},iters=1,horizon=8"], budgets: [2, 8], policies: ["ppo:steps=2048", random, test-zero], episodes: 2}
  - name: claims/amortized-inference
    seeds: 2
    params: {tasks: ["mixture:d=2,k=4"], solvers: ["gd:iters=50", "encoder:steps=300,lr=0.01,hidden=16,contexts=256", "semiamortized:steps=300,lr=0.01,hidden=16,contexts=256", test-guess, init],
             eval: 20, refine: 20, budgets: [1, 5, 20], reach_iters: 256, repeats: 1}
  - name: claims/icl
    seeds: 2
    params: {d: 4, n: 8, lsa_steps: 150, lsa_batch: 32, tune: 200, eval: 200, gd_steps: 2, passes: 2, pad_steps: 60, pad_batch: 16,
             div_tasks: [1, 8, 0], div_d: 3, div_n: 6, div_steps: 30, div_batch: 16, div_dim: 8, div_layers: 1, div_eval: 50}
  - name: claims/overoptimization
    seeds: 2
    params: {v: 3, l: 4, comparisons: [50, 500], max_n: 64, hybrid_n: 8, klpg_steps: 40, klpg_lr: 0.05, klpg_record: 4, sft_ns: [2, 4, 8, 16], sft_samples: 300}
`

// envClaims are the claims over env policies (lab/envs) rather than game
// deciders: the added game decider cannot enter them, the added env
// policy does.
var envClaims = map[string]bool{richAspect: true, richAgentAspect: true, richTimedAspect: true, rdAspect: true, rdFocus: true, rdBehaviour: true, rdGoals: true, cgAspect: true, mtAspect: true, genAspect: true, oodAspect: true, ctlAspect: true}

// taskClaims are the claims over task solvers (lab/solvers): the added
// solver kind enters them.
var taskClaims = map[string]bool{infAspect: true, infSemi: true}

// fixedClaims compare optimizers fixed by their probe — a linear
// self-attention layer against GD steps on regression prompts, best-of-n
// against KL-PG on an enumerable RLHF problem — that no registered kind
// can enter.
var fixedClaims = map[string]bool{iclAspect: true, iclDivAspect: true, ooAspect: true}

// zeroAction is the env policy the acceptance test adds: the zero action.
type zeroAction struct{}

func (zeroAction) Decide(_ context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	sp := s.Env.ActionSpace()
	if sp.IsDiscrete() {
		return []float64{0}, argmax.Cost{}, nil
	}
	return make([]float64, len(sp.Low)), argmax.Cost{}, nil
}

// initGuess is the task solver the acceptance test adds: the task's Init.
type initGuess struct{ t task.Task }

func (g initGuess) Decide(_ context.Context, x []float64, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	y := make([]float64, g.t.SolutionDim())
	g.t.Init(x, y)
	return y, argmax.Cost{}, nil
}

// firstLegal is the decider the acceptance test adds: it plays the lowest
// legal move. One registration line puts it in the suite.
func firstLegal(game.Game, *bots.Args) (game.Decider, error) {
	return game.DeciderFunc(func(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
		return s.Legal(nil)[0], argmax.Cost{}, nil
	}), nil
}

var registerFirst sync.Once

func runTiny(t *testing.T, dir, cacheDir string) (string, *lab.Spec, []Row) {
	t.Helper()
	registerFirst.Do(func() {
		bots.RegisterKind(bots.Kind{Name: "test-first", Role: argmax.Baseline, New: firstLegal, Suite: []string{"test-first"}, Usage: "test-first  the lowest legal move"})
		envs.RegisterPolicy(envs.PolicyKind{Name: "test-zero", Role: argmax.Baseline, New: func(envs.Context, *kv.Args) (env.Policy, error) { return zeroAction{}, nil }, Usage: "test-zero  the zero action"})
		solvers.RegisterSolver(solvers.SolverKind{Name: "test-guess", Role: argmax.Baseline, New: func(c solvers.Context, _ *kv.Args) (solvers.Solver, error) { return initGuess{c.Task}, nil }, Usage: "test-guess  the task's Init"})
	})
	spec, err := lab.ParseSpec([]byte(tinySuite), "tiny.yaml", lab.Default)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &lab.Session{Runner: lab.Runner{Store: st, ArtefactDir: filepath.Join(dir, "artefacts"), CacheDir: cacheDir}, Spec: spec}
	_, res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rows := Rows(spec, res)
	var b bytes.Buffer
	WriteTable(&b, rows)
	return b.String(), spec, rows
}

// reproducible renders what must not change from run to run: every
// figure that is not a timing, and the verdicts that do not rest on timings.
func reproducible(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		if !r.TimingVerdict {
			fmt.Fprintf(&b, "%s: %s\n", r.Aspect, r.Verdict)
		}
		for _, f := range r.Figures {
			if !f.Timing {
				fmt.Fprintf(&b, "%s %s %s: %s\n", r.Aspect, f.Decider, f.Name, f.Text())
			}
		}
	}
	return b.String()
}

func TestTinySuiteReproducibleAndRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the tiny claim suite")
	}
	cache := t.TempDir()
	a, spec, rows := runTiny(t, t.TempDir(), cache)
	_, _, rows2 := runTiny(t, t.TempDir(), cache)
	t.Log("\n" + a)
	if x, y := reproducible(rows), reproducible(rows2); x != y {
		t.Errorf("same seed, different figures:\n%s\n---\n%s", x, y)
	}
	if len(rows) != len(Claims()) {
		t.Fatalf("%d rows for %d claims:\n%s", len(rows), len(Claims()), a)
	}
	for _, r := range rows {
		if r.Verdict == NotMeasured || r.Direct.Figure == "" || r.Rule == "" || r.Why == "" || r.Amortized.Figure == "" || r.Hybrid.Figure == "" {
			t.Errorf("row %s is incomplete: %+v", r.Aspect, r)
		}
		if len(r.Section.Charts) == 0 {
			t.Errorf("row %s has no chart", r.Aspect)
		}
	}
	// The decider added by one registration line appears in every claim.
	for _, r := range rows {
		added := "test-first"
		switch {
		case envClaims[r.Aspect]:
			added = "test-zero"
		case taskClaims[r.Aspect]:
			added = "test-guess"
		case fixedClaims[r.Aspect]:
			continue
		}
		found := false
		for _, f := range r.Figures {
			found = found || f.Decider == added
		}
		if !found {
			t.Errorf("row %s has no figure of the added decider %s", r.Aspect, added)
		}
	}
	for _, line := range strings.Split(a, "\n") {
		if n := utf8.RuneCountInString(line); n > 120 {
			t.Errorf("table line of %d columns: %q", n, line)
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, rows); err != nil || !strings.Contains(js.String(), `"decider": "test-first"`) {
		t.Errorf("JSON: %v\n%.400s", err, js.String())
	}
	for _, want := range []string{"| aspect", "direct", "amortized", "hybrid", "verdict", "convergence", "data efficiency", "scaling with", "problem solving", "Verdicts:"} {
		if !strings.Contains(a, want) {
			t.Errorf("table lacks %q:\n%s", want, a)
		}
	}
	// The report opens without network in headless Chromium with its charts.
	p := filepath.Join(t.TempDir(), "index.html")
	rep := Report(spec, rows, [][2]string{{"seed", "3"}})
	if err := rep.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	res, err := browser.Open(context.Background(), p)
	if errors.Is(err, browser.ErrNoBrowser) {
		t.Skip("skipping the browser check: no chromium installed (.ci/run installs Debian's chromium)")
	}
	if err != nil {
		t.Fatal(err)
	}
	if res.Charts != rep.NumCharts() || res.Charts < 5 || res.RenderedLines != res.Charts {
		t.Errorf("%d charts in the page, %d rendered, %d in the report", res.Charts, res.RenderedLines, rep.NumCharts())
	}
	if len(res.ConsoleErrors) > 0 || len(res.Requests) > 0 {
		t.Errorf("console errors %v, network requests %v", res.ConsoleErrors, res.Requests)
	}
	if res.Colours < 8 {
		t.Errorf("the screenshot looks blank (%d colours)", res.Colours)
	}
	if dir := os.Getenv("ARGMAX_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "claims-tiny.png"), res.Screenshot, 0o644)
	}
}

func TestSuiteSpecs(t *testing.T) {
	for _, s := range []lab.Scale{lab.Quick, lab.Full} {
		spec, err := Suite(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if spec.Scale != s {
			t.Errorf("%s suite has scale %s", s, spec.Scale)
		}
		for _, e := range spec.Entries {
			if e.SeedsAt(s) < 3 {
				t.Errorf("%s: %s runs %d seeds; intervals need at least 3", s, e.Experiment.Name, e.SeedsAt(s))
			}
		}
		// Every claim's experiments are in the suite.
		in := map[string]bool{}
		for _, e := range spec.Entries {
			in[e.Experiment.Name] = true
		}
		for _, c := range Claims() {
			for _, name := range c.Experiments {
				if _, registered := lab.Default.Lookup(name); !registered {
					continue // an optional input of the claim, not built in this tree
				}
				if !in[name] {
					t.Errorf("%s suite lacks %s (claim %s)", s, name, c.Aspect)
				}
			}
		}
	}
	if _, err := Suite("medium"); err == nil {
		t.Error("an unknown scale has a suite")
	}
}

// TestScriptSpecs checks the research-scale specs of scripts/specs: each
// parses against the registry and runs enough seeds for intervals.
func TestScriptSpecs(t *testing.T) {
	files, err := filepath.Glob("../../scripts/specs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no specs in scripts/specs (%v)", err)
	}
	for _, f := range files {
		spec, err := lab.ReadSpec(f, lab.Default)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, e := range spec.Entries {
			if e.SeedsAt(spec.Scale) < 3 {
				t.Errorf("%s: %s runs %d seeds; intervals need at least 3", f, e.Experiment.Name, e.SeedsAt(spec.Scale))
			}
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aaa bbb cccccccccc d\nee", 5)
	want := []string{"aaa", "bbb", "ccccc", "ccccc", "d", "ee"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}
