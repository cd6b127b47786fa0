package power_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"argmax/probe/power"
)

func seq(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i + 1)
	}
	return v
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Analytic cases: a uniform reference on 1..N, ties, the bound when no
// reference outcome is as good.
func TestBitsAnalytic(t *testing.T) {
	cases := []struct {
		name      string
		achieved  float64
		ref       []float64
		bits      float64
		bound     bool
		atLeast   int
		wantLoInf bool
	}{
		{"best of 1..8", 8, seq(8), 3, false, 1, false},
		{"best of 1..1000", 1000, seq(1000), math.Log2(1000), false, 1, false},
		{"7 of 1..8", 7, seq(8), 2, false, 2, false},
		{"median of 1..8", 5, seq(8), 1, false, 4, false},
		{"worst of 1..8", 1, seq(8), 0, false, 8, false},
		{"below every sample", -3, seq(8), 0, false, 8, false},
		{"all tied", 1, []float64{1, 1, 1, 1}, 0, false, 4, false},
		{"tie with the one success", 1, []float64{0, 0, 0, 1}, 2, false, 1, false},
		{"ties count as at least as good", 0.5, []float64{0, 0.5, 0.5, 0.25}, 1, false, 2, false},
		{"beyond every sample: bound log2(n+1)", 9, seq(7), 3, true, 0, false},
		{"0/1 task, no random success in 1023", 1, make([]float64, 1023), 10, true, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := power.Bits(c.achieved, c.ref)
			if err != nil {
				t.Fatal(err)
			}
			if !near(e.Bits, c.bits, 1e-12) || e.Bound != c.bound || e.AtLeast != c.atLeast || e.N != len(c.ref) {
				t.Fatalf("got %+v, want %v bits (bound %v, %d at least as good)", e, c.bits, c.bound, c.atLeast)
			}
			if !(e.Lo <= e.Bits && e.Bits <= e.Hi) {
				t.Errorf("interval [%v, %v] does not contain %v", e.Lo, e.Hi, e.Bits)
			}
			if c.bound != math.IsInf(e.Hi, 1) {
				t.Errorf("Hi = %v: want +Inf exactly for a bound", e.Hi)
			}
			if c.bound && !strings.HasPrefix(e.String(), "≥") {
				t.Errorf("String() = %q: want a bound marked ≥", e.String())
			}
		})
	}
}

// The interval is the exact Clopper–Pearson interval of the share, mapped
// through −log2: known values for 5/10 and 0/10.
func TestBitsInterval(t *testing.T) {
	e, _ := power.Bits(1, []float64{1, 1, 1, 1, 1, 0, 0, 0, 0, 0})
	// Clopper–Pearson 95% for 5/10: [0.187086, 0.812914].
	if !near(e.Lo, -math.Log2(0.8129135), 1e-5) || !near(e.Hi, -math.Log2(0.1870860), 1e-5) {
		t.Errorf("5/10: [%v, %v]: want [%v, %v]", e.Lo, e.Hi, -math.Log2(0.8129135), -math.Log2(0.1870860))
	}
	e, _ = power.Bits(1, make([]float64, 10))
	// 0/10: upper end 1 − 0.025^(1/10) = 0.308497.
	if !near(e.Lo, -math.Log2(1-math.Pow(0.025, 0.1)), 1e-9) {
		t.Errorf("0/10: Lo = %v: want %v", e.Lo, -math.Log2(1-math.Pow(0.025, 0.1)))
	}
}

// The interval contains the true power at least at its nominal rate:
// references drawn with a success probability of 1/8 (3 bits).
func TestBitsCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{20, 200} {
		const trials = 1000
		hits := 0
		ref := make([]float64, n)
		for range trials {
			for i := range ref {
				ref[i] = 0
				if rng.Float64() < 1.0/8 {
					ref[i] = 1
				}
			}
			e, err := power.Bits(1, ref)
			if err != nil {
				t.Fatal(err)
			}
			if e.Lo <= 3 && 3 <= e.Hi {
				hits++
			}
		}
		t.Logf("n = %d: the 95%% interval contains the true 3 bits in %d of %d trials", n, hits, trials)
		if hits < 940 {
			t.Errorf("n = %d: coverage %d/%d: want ≥ 94%%", n, hits, trials)
		}
	}
}

// MeanBits averages episodes, each against its own reference, with a
// Student t interval.
func TestMeanBits(t *testing.T) {
	// Episodes of 1, 2 and 3 bits: mean 2, sd 1, t(0.975, 2) = 4.302653.
	achieved := []float64{2, 4, 8}
	ref := [][]float64{seq(2), seq(4), seq(8)}
	m, err := power.MeanBits(achieved, ref)
	if err != nil {
		t.Fatal(err)
	}
	half := 4.302653 / math.Sqrt(3)
	if !near(m.Bits, 2, 1e-12) || !near(m.Lo, 2-half, 1e-5) || !near(m.Hi, 2+half, 1e-5) || m.Bounds != 0 {
		t.Errorf("got %v: want 2 bits [%v, %v]", m, 2-half, 2+half)
	}
	// A bounded episode is counted and makes the mean a bound.
	m, _ = power.MeanBits([]float64{2, 9}, [][]float64{seq(2), seq(7)})
	if m.Bounds != 1 || !near(m.Bits, 2, 1e-12) || !strings.HasPrefix(m.String(), "≥") {
		t.Errorf("got %v: want ≥ 2 bits with one bound", m)
	}
	// One episode: its own interval.
	m, _ = power.MeanBits([]float64{8}, [][]float64{seq(8)})
	if m.Lo != m.Episodes[0].Lo || m.Hi != m.Episodes[0].Hi {
		t.Errorf("one episode: [%v, %v], want the episode's [%v, %v]", m.Lo, m.Hi, m.Episodes[0].Lo, m.Episodes[0].Hi)
	}
}

func TestBitsBadInput(t *testing.T) {
	nan := math.NaN()
	tab := mustTable(newGrid(maze, 0))
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"empty reference", func() error { _, err := power.Bits(1, nil); return err }, "no reference outcomes"},
		{"NaN achieved", func() error { _, err := power.Bits(nan, seq(3)); return err }, "achieved outcome NaN"},
		{"Inf reference", func() error { _, err := power.Bits(1, []float64{0, math.Inf(1)}); return err }, "reference outcome 1 is +Inf"},
		{"NaN reference", func() error { _, err := power.Bits(1, []float64{nan}); return err }, "reference outcome 0 is NaN"},
		{"no episodes", func() error { _, err := power.MeanBits(nil, nil); return err }, "no episodes"},
		{"mismatched episodes", func() error { _, err := power.MeanBits([]float64{1, 2}, [][]float64{seq(2)}); return err }, "2 achieved outcomes and 1 reference samples"},
		{"empty episode reference", func() error { _, err := power.MeanBits([]float64{1, 2}, [][]float64{seq(2), nil}); return err }, "episode 1: power: Bits: no reference"},
		{"nil table", func() error { _, err := power.ExactBits(nil, 1, 10); return err }, "nil table"},
		{"horizon 0", func() error { _, err := power.ExactBits(tab, 1, 0); return err }, "horizon 0"},
		{"NaN exact", func() error { _, err := power.ExactBits(tab, nan, 10); return err }, "achieved return NaN"},
		{"unreachable return", func() error { _, err := power.ExactBits(tab, 2, 30); return err }, "beyond every return"},
		{"door beyond the horizon", func() error { _, err := power.ExactBits(tab, 1, 8); return err }, "within 8 steps"},
		{"bad policy", func() error { _, err := power.Returns(tab, []float64{1}, 10); return err }, "policy of 1 values"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v: want one containing %q", err, c.want)
			}
		})
	}
	// Returns with too many distinct values per state.
	r := make([]float64, tab.NumStates())
	for s := range r {
		r[s] = math.Sqrt(float64(s + 2))
	}
	irr, _ := tab.WithStateRewards(r)
	if _, err := power.Returns(irr, nil, 30); err == nil || !strings.Contains(err.Error(), "MaxReturnValues") {
		t.Errorf("irrational rewards: error %v, want one naming MaxReturnValues", err)
	}
}
