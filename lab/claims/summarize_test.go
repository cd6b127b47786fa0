package claims

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"argmax"
	"argmax/lab"
	"argmax/lab/store"
)

// synth builds synthetic stored trials of one experiment, one per seed,
// so that each claim's summary can be fed data made to make its rule hold,
// fail and come out inconclusive.
type synth struct {
	exp    string
	params map[string]any
	trials map[int]*store.Trial
}

func newSynth(exp string, params map[string]any) *synth {
	return &synth{exp: exp, params: params, trials: map[int]*store.Trial{}}
}

// put records decider's metric at step in seed's trial.
func (s *synth) put(seed int, decider string, role argmax.Role, metric string, step int64, v float64) {
	t := s.trials[seed]
	if t == nil {
		t = &store.Trial{Key: fmt.Sprintf("%s-%d", s.exp, seed), Experiment: s.exp, SeedIndex: seed, Status: store.StatusDone, Params: s.params, Point: "{}"}
		s.trials[seed] = t
	}
	t.Metrics = append(t.Metrics, store.Metric{Name: metric, Decider: decider, Role: string(role), Step: step, Value: v})
}

func (s *synth) results() *lab.Results {
	var out []*store.Trial
	for i := 0; i < len(s.trials); i++ {
		out = append(out, s.trials[i])
	}
	return &lab.Results{Trials: out}
}

// frontier puts a frontier of decider under tag: quality and the metric
// m2 (a cost) at each step.
func (s *synth) frontier(seed int, decider string, role argmax.Role, tag string, steps []int64, q []float64, cost string, c []float64) {
	for i, st := range steps {
		s.put(seed, decider, role, tag+mOptimal, st, q[i])
		s.put(seed, decider, role, tag+mN, st, 200)
		s.put(seed, decider, role, tag+cost, st, c[i])
	}
}

func TestRuntimeCostSummary(t *testing.T) {
	mk := func(netTimes []float64) Verdict {
		s := newSynth(RuntimeCost.Name, nil)
		for seed, nt := range netTimes {
			s.frontier(seed, "mcts", argmax.Direct, tagDeep, []int64{1, 16, 256}, []float64{0.4, 0.7, 0.9}, ".median_seconds", []float64{1e-6, 1e-5, 1e-4})
			s.frontier(seed, "net:size=small", argmax.Amortized, tagDeep, []int64{0}, []float64{0.8}, ".median_seconds", []float64{nt})
		}
		return summarizeRuntimeCost(s.results()).Verdict
	}
	// At 80% search needs about 3.2e-5 s per decision.
	cases := []struct {
		name  string
		times []float64
		want  Verdict
	}{
		{"net far cheaper", []float64{1e-6, 1.2e-6, 0.9e-6}, Holds},
		{"net dearer", []float64{1e-3, 2e-3, 1.5e-3}, DoesNotHold},
		{"close, noisy", []float64{8e-6, 3e-5, 9e-5}, Inconclusive},
	}
	for _, c := range cases {
		if got := mk(c.times); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// A net better than every search budget: R is a lower bound.
	s := newSynth(RuntimeCost.Name, nil)
	for seed := 0; seed < 3; seed++ {
		s.frontier(seed, "mcts", argmax.Direct, tagDeep, []int64{1, 16}, []float64{0.4, 0.6}, ".median_seconds", []float64{1e-6, 1e-5})
		s.frontier(seed, "net:size=small", argmax.Amortized, tagDeep, []int64{0}, []float64{0.9}, ".median_seconds", []float64{1e-6})
	}
	row := summarizeRuntimeCost(s.results())
	if row.Verdict != Holds {
		t.Errorf("unreached quality: %v (%s)", row.Verdict, row.Why)
	}
}

// TestCostlyModelCrossover feeds the knob's timings: search at the net's
// quality takes 0.32× the net's time on the plain model and 3.2× with a
// microsecond more per step, so the crossover lies between, at about
// 0.5 µs (log R interpolated); with no crossing it is a lower bound.
func TestCostlyModelCrossover(t *testing.T) {
	mk := func(slow float64) lab.Figure {
		s := newSynth(RuntimeCost.Name, nil)
		for seed := 0; seed < 2; seed++ {
			s.frontier(seed, "mcts", argmax.Direct, tagDeep, []int64{1, 16, 256}, []float64{0.4, 0.7, 0.9}, ".median_seconds", []float64{1e-6, 1e-5, 1e-4})
			for i, st := range []int64{1, 16, 256} {
				s.put(seed, withStepCost("mcts", time.Microsecond), argmax.Direct, tagDeep+".median_seconds", st, slow*[]float64{1e-6, 1e-5, 1e-4}[i])
			}
			s.frontier(seed, "net:size=small", argmax.Amortized, tagDeep, []int64{0}, []float64{0.8}, ".median_seconds", []float64{1e-4})
		}
		_, f := costlyModel(s.results().Trials, "net:size=small")
		return f
	}
	if f := mk(10); math.Abs(f.Value-0.495) > 0.01 || f.Bound != "" {
		t.Errorf("crossover %s, want about 0.495 µs", f.Text())
	}
	if f := mk(2); f.Bound != ">=" || f.Value != 1 {
		t.Errorf("no crossing: %s, want a bound ≥ 1 µs", f.Text())
	}
	// The costly model timed only at budgets below the net's quality: R
	// is a lower bound (here 2), so the crossover is an upper bound.
	s := newSynth(RuntimeCost.Name, nil)
	for seed := 0; seed < 2; seed++ {
		s.frontier(seed, "mcts", argmax.Direct, tagDeep, []int64{1, 16, 256}, []float64{0.4, 0.7, 0.9}, ".median_seconds", []float64{1e-6, 1e-5, 1e-4})
		for _, st := range []int64{1, 16} {
			s.put(seed, withStepCost("mcts", time.Microsecond), argmax.Direct, tagDeep+".median_seconds", st, 20*float64(st)*1e-6)
		}
		s.frontier(seed, "net:size=small", argmax.Amortized, tagDeep, []int64{0}, []float64{0.8}, ".median_seconds", []float64{1.6e-4})
	}
	if tab, f := costlyModel(s.results().Trials, "net:size=small"); f.Bound != "<=" || len(tab.Rows) != 1 || !strings.HasPrefix(tab.Rows[0][1], ">=") {
		t.Errorf("bounded R: crossover %s, rows %v", f.Text(), tab.Rows)
	}
	if base, d, ok := costlyOf(withStepCost("guided:size=small", 250*time.Nanosecond)); !ok || base != "guided:size=small" || d != 250*time.Nanosecond {
		t.Errorf("costlyOf: %q %v %v", base, d, ok)
	}
}

func TestScalingSummary(t *testing.T) {
	mk := func(top []float64, learner []float64) Verdict {
		s := newSynth(Scaling.Name, nil)
		for seed := range top {
			s.frontier(seed, "mcts", argmax.Direct, tagDeep, []int64{16, 64, 256, 1024}, []float64{0.5, 0.6, 0.7, 0.7 + top[seed]}, mSims, []float64{16, 64, 256, 1024})
			for i, spec := range []string{"net:a", "net:b", "net:c", "net:d"} {
				s.put(seed, spec, argmax.Amortized, "ladder"+mOptimal, 0, 0.5+float64(i)*learner[seed])
				s.put(seed, spec, argmax.Amortized, "ladder"+mN, 0, 200)
				s.put(seed, spec, argmax.Amortized, "train.flops", 0, 1e12*float64(int(1)<<(2*i)))
			}
		}
		return summarizeScaling(s.results()).Verdict
	}
	cases := []struct {
		name       string
		top, learn []float64
		want       Verdict
	}{
		{"both pay", []float64{0.1, 0.12, 0.11}, []float64{0.08, 0.1, 0.09}, Holds},
		{"search saturated", []float64{0, 0.002, -0.002}, []float64{0.08, 0.1, 0.09}, DoesNotHold},
		{"noisy search", []float64{0.2, -0.1, 0.05}, []float64{0.08, 0.1, 0.09}, Inconclusive},
	}
	for _, c := range cases {
		if got := mk(c.top, c.learn); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestConvergenceSummary(t *testing.T) {
	params := map[string]any{"demo_learner": "net:labels=demo", "search_learner": "net:labels=search"}
	mk := func(errs [][]float64, follow, demoOpt, searchOpt []float64) Verdict {
		s := newSynth(Convergence.Name, params)
		for seed := range errs {
			var q []float64
			for _, e := range errs[seed] {
				q = append(q, 1-e)
			}
			s.frontier(seed, "mcts", argmax.Direct, "conv", []int64{1, 16, 256}, q, mSims, []float64{1, 16, 256})
			s.put(seed, "net:labels=demo", argmax.Amortized, "dis.follow", 0, follow[seed])
			s.put(seed, "net:labels=demo", argmax.Amortized, "dis.optimal", 0, demoOpt[seed])
			s.put(seed, "net:labels=search", argmax.Amortized, "dis.optimal", 0, searchOpt[seed])
		}
		return summarizeConvergence(s.results()).Verdict
	}
	falling := [][]float64{{0.5, 0.25, 0.1}, {0.5, 0.3, 0.12}, {0.45, 0.2, 0.1}}
	rising := [][]float64{{0.3, 0.35, 0.42}, {0.3, 0.36, 0.4}, {0.29, 0.34, 0.41}}
	if v := mk(falling, []float64{0.8, 0.75, 0.85}, []float64{0.1, 0.12, 0.08}, []float64{0.5, 0.55, 0.45}); v != Holds {
		t.Errorf("holds: %v", v)
	}
	if v := mk(rising, []float64{0.8, 0.75, 0.85}, []float64{0.1, 0.12, 0.08}, []float64{0.5, 0.55, 0.45}); v != DoesNotHold {
		t.Errorf("search error grows: %v", v)
	}
	if v := mk(falling, []float64{0.1, 0.12, 0.08}, []float64{0.8, 0.75, 0.85}, []float64{0.9, 0.9, 0.9}); v != DoesNotHold {
		t.Errorf("net finds the argmax: %v", v)
	}
	if v := mk(falling, []float64{0.5, 0.3, 0.6}, []float64{0.4, 0.5, 0.3}, []float64{0.5, 0.55, 0.45}); v != Inconclusive {
		t.Errorf("unclear: %v", v)
	}
}

func TestProblemSolvingSummary(t *testing.T) {
	params := map[string]any{"adaptive": "mcts:stoplead=0.5"}
	mk := func(sims [][]float64, opt [][]float64) Verdict {
		s := newSynth(ProblemSolving.Name, params)
		for seed := range sims {
			for b := range sims[seed] {
				s.put(seed, "mcts:stoplead=0.5", argmax.Direct, "bin.sims", int64(b), sims[seed][b])
				s.put(seed, "mcts:stoplead=0.5", argmax.Direct, "bin.optimal", int64(b), 0.9)
				s.put(seed, "net:size=small", argmax.Amortized, "bin.optimal", int64(b), opt[seed][b])
				s.put(seed, "net:size=small", argmax.Amortized, "bin.n", int64(b), 50)
			}
		}
		return summarizeProblemSolving(s.results()).Verdict
	}
	grows := [][]float64{{100, 300, 900, 2000}, {120, 280, 1000, 2100}, {90, 350, 800, 2500}}
	worse := [][]float64{{0.95, 0.9, 0.8, 0.7}, {0.96, 0.88, 0.82, 0.72}, {0.94, 0.91, 0.79, 0.69}}
	flat := [][]float64{{500, 500, 500, 500}, {500, 500, 500, 500}, {500, 500, 500, 500}}
	if v := mk(grows, worse); v != Holds {
		t.Errorf("holds: %v", v)
	}
	if v := mk(flat, worse); v != DoesNotHold {
		t.Errorf("search does not adapt: %v", v)
	}
	noisy := [][]float64{{100, 2000, 300, 900}, {2000, 120, 1000, 300}, {90, 350, 2500, 800}}
	if v := mk(noisy, worse); v != Inconclusive {
		t.Errorf("unclear: %v", v)
	}
}

func TestDataEfficiencySummary(t *testing.T) {
	mk := func(labelSteps []float64, spread float64) Verdict {
		s := newSynth(DataEfficiency.Name, nil)
		for seed := 0; seed < 3; seed++ {
			s.frontier(seed, "mcts", argmax.Direct, "eff", []int64{16, 256}, []float64{0.5, 0.7}, mSteps, []float64{400, 6000})
			for i, q := range []float64{0.45, 0.6, 0.75} {
				spec := fmt.Sprintf("net:n=%d", i)
				s.put(seed, spec, argmax.Amortized, "learn"+mOptimal, 0, q)
				s.put(seed, spec, argmax.Amortized, "learn"+mN, 0, 200)
				s.put(seed, spec, argmax.Amortized, "train.label_steps", 0, labelSteps[i]*(1+spread*float64(seed-1)))
			}
		}
		return summarizeDataEfficiency(s.results()).Verdict
	}
	if v := mk([]float64{1e6, 1e7, 1e8}, 0.05); v != Holds {
		t.Errorf("hungry learner: %v", v)
	}
	if v := mk([]float64{100, 1000, 20000}, 0.05); v != DoesNotHold {
		t.Errorf("frugal learner: %v", v)
	}
	if v := mk([]float64{2000, 30000, 100000}, 0.6); v != Inconclusive {
		t.Errorf("near the threshold: %v", v)
	}
}
