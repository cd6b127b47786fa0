package claims

import (
	"math"
	"strings"
	"testing"

	"argmax/lab"
	"argmax/lab/eval"
)

// The rules of the hybrid claims on synthetic figures: each comes out
// holding, failing and inconclusive.

func withBound(f lab.Figure, b string) lab.Figure { f.Bound = b; return f }

func TestSignsRule(t *testing.T) {
	up, down, zero := fig(0.1, 0.05, 0.15), fig(-0.1, -0.15, -0.05), fig(0, -0.05, 0.05)
	cases := []struct {
		name string
		figs []lab.Figure
		want Verdict
	}{
		{"all above 0", []lab.Figure{up, up, up}, Holds},
		{"one below 0", []lab.Figure{up, down, up}, DoesNotHold},
		{"one straddles", []lab.Figure{up, zero}, Inconclusive},
		{"a lower bound above 0", []lab.Figure{up, withBound(up, ">=")}, Holds},
		{"an upper bound above 0 proves nothing", []lab.Figure{up, withBound(up, "<=")}, Inconclusive},
		{"an upper bound below 0", []lab.Figure{up, withBound(down, "<=")}, DoesNotHold},
		{"a lower bound below 0 proves nothing", []lab.Figure{up, withBound(down, ">=")}, Inconclusive},
		{"mixed bounds", []lab.Figure{withBound(up, "?")}, Inconclusive},
		{"not measured", []lab.Figure{up, nan}, Inconclusive},
		{"below wins over not measured", []lab.Figure{down, nan}, DoesNotHold},
		{"nothing", nil, Inconclusive},
	}
	for _, c := range cases {
		if got, why := signsVerdict(c.figs); got != c.want {
			t.Errorf("%s: %v (%s), want %v", c.name, got, why, c.want)
		}
	}
}

func TestExchangeRule(t *testing.T) {
	one := lab.Figure{Value: 0.02, Lo: 0.02, Hi: 0.02, N: 1}
	cases := []struct {
		name string
		b, c lab.Figure
		want Verdict
	}{
		{"both buy strength", fig(0.03, 0.02, 0.04), fig(0.05, 0.04, 0.06), Holds},
		{"training stopped paying", fig(-0.03, -0.05, -0.01), fig(0.05, 0.04, 0.06), DoesNotHold},
		{"search stopped paying", fig(0.03, 0.02, 0.04), fig(-0.02, -0.03, -0.01), DoesNotHold},
		{"straddles", fig(0.01, -0.01, 0.03), fig(0.05, 0.04, 0.06), Inconclusive},
		{"one seed", one, one, Inconclusive},
		{"unmeasured", nan, fig(0.05, 0.04, 0.06), Inconclusive},
	}
	for _, c := range cases {
		if got, why := exchangeVerdict(c.b, c.c); got != c.want {
			t.Errorf("%s: %v (%s), want %v", c.name, got, why, c.want)
		}
	}
}

func TestPlane(t *testing.T) {
	var xs, ys, zs []float64
	for x := 1.0; x <= 4; x++ {
		for y := 0.0; y <= 6; y += 2 {
			xs, ys, zs = append(xs, x), append(ys, y), append(zs, 0.4+0.03*x+0.05*y)
		}
	}
	a, b, c, hb, hc, ok := plane(xs, ys, zs)
	if !ok || math.Abs(a-0.4) > 1e-9 || math.Abs(b-0.03) > 1e-9 || math.Abs(c-0.05) > 1e-9 {
		t.Errorf("plane: a %v b %v c %v ok %v, want 0.4, 0.03, 0.05", a, b, c, ok)
	}
	if hb > 1e-9 || hc > 1e-9 {
		t.Errorf("an exact plane: half-widths %v, %v, want 0", hb, hc)
	}
	for i := range zs {
		zs[i] += 0.01 * float64(i%3-1)
	}
	if _, _, _, hb, hc, _ := plane(xs, ys, zs); !(hb > 0 && hc > 0) {
		t.Errorf("a noisy plane: half-widths %v, %v, want > 0", hb, hc)
	}
	if _, _, _, _, _, ok := plane([]float64{1, 1, 1}, []float64{0, 1, 2}, []float64{0, 1, 2}); ok {
		t.Error("points on a line: a plane")
	}
}

func TestBoundedDiffs(t *testing.T) {
	// One seed: the interval comes from the positions alone.
	var d boundedDiffs
	d.add(0.8, 0.6, eval.Inside)
	f := d.fig("Δ", 400)
	h := 1.96 * math.Sqrt((0.8*0.2+0.6*0.4)/400)
	if math.Abs(f.Value-0.2) > 1e-12 || math.Abs(f.Lo-(0.2-h)) > 1e-9 || math.Abs(f.Hi-(0.2+h)) > 1e-9 || f.Bound != "" {
		t.Errorf("one seed: %+v, want 0.2 ± %.4f", f, h)
	}
	// Seeds that disagree: the t interval is wider and wins.
	var e boundedDiffs
	for _, v := range []float64{0.1, 0.5, 0.9} {
		e.add(v, 0, eval.Inside)
	}
	g := e.fig("Δ", 400)
	if g.Lo > -0.4 || g.Hi < 1.4 {
		t.Errorf("spread seeds: %+v, want the t interval (about -0.49, 1.49)", g)
	}
	// Frontier sides make bounds; two kinds make none.
	var b boundedDiffs
	b.add(0.5, 0.4, eval.Below)
	b.add(0.5, 0.4, eval.Inside)
	if f := b.fig("Δ", 100); f.Bound != ">=" {
		t.Errorf("below the frontier: bound %q, want >=", f.Bound)
	}
	b.add(0.5, 0.4, eval.Above)
	if f := b.fig("Δ", 100); f.Bound != "?" {
		t.Errorf("both sides: bound %q, want ?", f.Bound)
	}
}

func TestRawKeys(t *testing.T) {
	for in, want := range map[string]string{
		"iterations=12,size=small,gumbel=true":          "iterations=12,size=small,raw=true",
		"size=small,iterations=3,train_sims=64,games=8": "size=small,iterations=3,games=8,raw=true",
	} {
		if got, err := rawKeys(in); err != nil || got != want {
			t.Errorf("rawKeys(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"size=small", "checkpoint=x.safetensors"} {
		if _, err := rawKeys(bad); err == nil || !strings.Contains(err.Error(), "iterations") {
			t.Errorf("rawKeys(%q): %v", bad, err)
		}
	}
}
