package lab

import (
	"encoding/json"
	"math"

	"argmax"
	"argmax/lab/stats"
)

// Figure is one measured figure of a claim, in the form every face renders
// it (the text table, the HTML report, --json, the dashboard): what was
// measured, of which decider in which role, its value with a 95% interval,
// its unit, and whether it is a wall-clock figure (†) or only a bound.
type Figure struct {
	Name    string      `json:"name"`              // what is measured, e.g. "optimal share on middle-deep"
	Decider string      `json:"decider,omitempty"` // the decider's spec; "" for a figure of the claim as a whole
	Role    argmax.Role `json:"role,omitempty"`
	Value   float64     `json:"value"`
	Lo      float64     `json:"lo"`               // 95% interval; Lo = Hi = Value when exact
	Hi      float64     `json:"hi"`               //
	Unit    string      `json:"unit"`             // "share", "s", "FLOPs", "simulations", "×", ...
	N       int         `json:"n"`                // seeds (or samples) behind the interval
	Timing  bool        `json:"timing,omitempty"` // wall clock: varies from run to run (†)
	Bound   string      `json:"bound,omitempty"`  // ">=" or "<=" when Value is only a bound (e.g. not reached within the data)
}

// FigureOf makes a figure from an interval.
func FigureOf(name, unit string, iv stats.Interval) Figure {
	return Figure{Name: name, Unit: unit, Value: iv.Est, Lo: iv.Lo, Hi: iv.Hi, N: iv.N}
}

// For returns f attributed to a decider in a role.
func (f Figure) For(decider string, role argmax.Role) Figure {
	f.Decider, f.Role = decider, role
	return f
}

// Interval returns the figure's value and interval.
func (f Figure) Interval() stats.Interval {
	return stats.Interval{Est: f.Value, Lo: f.Lo, Hi: f.Hi, N: f.N}
}

// Text renders the value with its interval ("0.912 [0.9, 0.925]"), a bound
// sign when it is a bound and † when it is a timing.
func (f Figure) Text() string {
	s := FormatCI(f.Interval())
	if f.Bound != "" {
		s = f.Bound + " " + s
	}
	if f.Unit != "" && f.Unit != "share" {
		s += " " + f.Unit
	}
	if f.Timing {
		s += " †"
	}
	return s
}

// MarshalJSON writes non-finite numbers (an unmeasured or unbounded value)
// as null: JSON has no NaN or infinity.
func (f Figure) MarshalJSON() ([]byte, error) {
	type plain Figure
	num := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		plain
		Value *float64 `json:"value"`
		Lo    *float64 `json:"lo"`
		Hi    *float64 `json:"hi"`
	}{plain(f), num(f.Value), num(f.Lo), num(f.Hi)})
}
