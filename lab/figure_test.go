package lab

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"argmax"
	"argmax/lab/stats"
)

func TestFigureTextAndJSON(t *testing.T) {
	f := FigureOf("simulations per decision", "simulations", stats.Interval{Est: 1024, Lo: 1024, Hi: 1024, N: 5}).For("mcts:sims=1024", argmax.Direct)
	if got := f.Text(); got != "1024 simulations" {
		t.Errorf("Text %q: simulation counts must stay exact", got)
	}
	g := Figure{Name: "labels to match", Value: 16000, Lo: 16000, Hi: math.Inf(1), Bound: ">=", Unit: "labels", Timing: true}
	if got := g.Text(); !strings.HasPrefix(got, ">= ") || !strings.HasSuffix(got, "†") {
		t.Errorf("Text %q", got)
	}
	b, err := json.Marshal([]Figure{f, g, {Name: "x", Value: math.NaN()}})
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back[0]["decider"] != "mcts:sims=1024" || back[0]["role"] != "direct" || back[0]["value"] != 1024.0 {
		t.Errorf("%s", b)
	}
	if back[1]["hi"] != nil || back[2]["value"] != nil || back[1]["bound"] != ">=" {
		t.Errorf("non-finite values must be null: %s", b)
	}
}
