// Package claims is the claim suite of argmax: each claim about direct vs
// amortized optimization (runtime cost, scaling with compute, convergence,
// data efficiency) is a registered lab experiment in its own file, and a
// summary that turns the stored trials into one row of the comparison
// table — a measured figure with a 95% interval over seeds for the direct,
// amortized and hybrid optimizers, and a verdict computed from the data by
// a stated rule. `argmax table` runs the suite (Suite) and prints Table.
//
// Figures are either reproducible (moves, simulations, nodes, shares of
// optimal moves: the same seed gives the same digits) or timings (wall
// clock, marked † and printed apart, because they change from run to run).
// Optimizers that do not exist yet are shown as "not measured yet", never
// estimated.
package claims

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"argmax/lab"
	"argmax/lab/report"
)

// Verdict is the outcome of a claim on the data.
type Verdict string

// The verdicts.
const (
	Holds        Verdict = "holds"
	DoesNotHold  Verdict = "does not hold"
	Inconclusive Verdict = "inconclusive"
	NotMeasured  Verdict = "not measured yet"
)

// Cell is one optimizer's figure in a row.
type Cell struct {
	Figure string // reproducible figure(s) with 95% intervals; "" = not measured yet
	Timing string // wall-clock figures (vary run to run), may be empty
}

// NotMeasuredCell is the cell of an optimizer that does not exist yet.
var NotMeasuredCell = Cell{}

// Text returns the figure, or "not measured yet".
func (c Cell) Text() string {
	if c.Figure == "" {
		return string(NotMeasured)
	}
	return c.Figure
}

// Row is one aspect of the comparison table.
type Row struct {
	Aspect                    string
	Claim                     string // the claim, in one sentence
	Direct, Amortized, Hybrid Cell
	Verdict                   Verdict
	TimingVerdict             bool   // the verdict rests on timings (marked †)
	Rule                      string // how the verdict is computed
	Why                       string // the figures that decided it
	Figures                   []lab.Figure
	Section                   report.Section
}

// VerdictText renders the verdict with its † mark when it rests on timings.
func (r *Row) VerdictText() string {
	if r.TimingVerdict && r.Verdict != NotMeasured {
		return string(r.Verdict) + " †"
	}
	return string(r.Verdict)
}

// Claim is one row's definition: the experiments it reads and how it
// summarizes them.
type Claim struct {
	Aspect      string
	Experiments []string
	Summarize   func(res *lab.Results) Row
}

var claims []Claim

// register adds a claim; called from the init function of each claim file
// after registering its experiments.
func register(c Claim) { claims = append(claims, c) }

// Claims returns the claims in table order.
func Claims() []Claim {
	order := []string{"problem solving", "runtime cost", "scaling with compute", "convergence", "data efficiency",
		"hybrid vs parents", "bootstrapping", "train vs test compute", "arbiter", "gumbel vs puct",
		richAspect, richAgentAspect, genAspect, oodAspect, ctlAspect}
	out := make([]Claim, 0, len(claims))
	for _, a := range order {
		for _, c := range claims {
			if c.Aspect == a {
				out = append(out, c)
			}
		}
	}
	for _, c := range claims {
		found := false
		for _, a := range order {
			found = found || c.Aspect == a
		}
		if !found {
			out = append(out, c)
		}
	}
	return out
}

//go:embed suite
var suiteFS embed.FS

// Suite returns the built-in claim-suite spec at scale s (quick or full),
// parsed against the default registry.
func Suite(s lab.Scale) (*lab.Spec, error) {
	name := "suite/" + string(s) + ".yaml"
	data, err := suiteFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("claims: no suite for scale %q", s)
	}
	spec, err := lab.ParseSpec(data, name, lab.Default)
	if err != nil {
		return nil, err
	}
	return spec, nil
}

// Rows summarizes the results of a suite run into table rows. A claim
// whose experiments are absent from the spec is skipped.
func Rows(spec *lab.Spec, res *lab.Results) []Row {
	in := map[string]bool{}
	for _, e := range spec.Entries {
		in[e.Experiment.Name] = true
	}
	var rows []Row
	for _, c := range Claims() {
		use := false
		for _, e := range c.Experiments {
			use = use || in[e]
		}
		if use {
			rows = append(rows, c.Summarize(res))
		}
	}
	return rows
}

// WriteTable prints the comparison table: the reproducible figures and
// verdicts first, then the wall-clock figures apart (they vary from run to
// run), then the rules behind the verdicts.
func WriteTable(w io.Writer, rows []Row) {
	header := []string{"aspect", "direct", "amortized", "hybrid", "verdict"}
	var cells [][]string
	for _, r := range rows {
		cells = append(cells, []string{r.Aspect, r.Direct.Text(), r.Amortized.Text(), r.Hybrid.Text(), r.VerdictText()})
	}
	writeGrid(w, header, cells, tableWidths)
	fmt.Fprintln(w, "Figures: mean [95% interval] over seeds. † marks a verdict that rests on timings.")
	var trows [][]string
	for _, r := range rows {
		if r.Direct.Timing+r.Amortized.Timing+r.Hybrid.Timing == "" {
			continue
		}
		trows = append(trows, []string{r.Aspect, dash(r.Direct.Timing), dash(r.Amortized.Timing), dash(r.Hybrid.Timing)})
	}
	if len(trows) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Timings † (wall clock on this machine; they vary from run to run and are not part of the reproducible figures):")
		writeGrid(w, header[:4], trows, tableWidths[:4])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Verdicts:")
	for _, r := range rows {
		for i, l := range wrap(fmt.Sprintf("%s: %s — %s", r.Aspect, r.VerdictText(), r.Why), 116) {
			if i == 0 {
				fmt.Fprintln(w, "- "+l)
			} else {
				fmt.Fprintln(w, "  "+l)
			}
		}
	}
}

// tableWidths are the text table's column widths: with the borders the
// table is 120 columns wide.
var tableWidths = []int{13, 30, 27, 22, 12}

// WriteJSON writes the rows as JSON: for each claim its aspect, claim,
// rule, verdict, the reason, and every structured figure (value, interval,
// unit, decider, role).
func WriteJSON(w io.Writer, rows []Row) error {
	type jsonRow struct {
		Aspect        string       `json:"aspect"`
		Claim         string       `json:"claim"`
		Rule          string       `json:"rule"`
		Verdict       Verdict      `json:"verdict"`
		TimingVerdict bool         `json:"timing_verdict,omitempty"`
		Why           string       `json:"why"`
		Direct        string       `json:"direct"`
		Amortized     string       `json:"amortized"`
		Hybrid        string       `json:"hybrid"`
		Figures       []lab.Figure `json:"figures"`
	}
	out := make([]jsonRow, len(rows))
	for i, r := range rows {
		out[i] = jsonRow{r.Aspect, r.Claim, r.Rule, r.Verdict, r.TimingVerdict, r.Why, r.Direct.Text(), r.Amortized.Text(), r.Hybrid.Text(), r.Figures}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Claims []jsonRow `json:"claims"`
	}{out})
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// writeGrid prints a table with wrapped cells of the given widths.
func writeGrid(w io.Writer, header []string, rows [][]string, widths []int) {
	sep := "+"
	for _, wd := range widths {
		sep += strings.Repeat("-", wd+2) + "+"
	}
	line := func(cells []string) {
		wrapped := make([][]string, len(cells))
		h := 1
		for i, c := range cells {
			wrapped[i] = wrap(c, widths[i])
			h = max(h, len(wrapped[i]))
		}
		for l := 0; l < h; l++ {
			s := "|"
			for i := range cells {
				part := ""
				if l < len(wrapped[i]) {
					part = wrapped[i][l]
				}
				s += " " + part + strings.Repeat(" ", widths[i]-utf8.RuneCountInString(part)) + " |"
			}
			fmt.Fprintln(w, s)
		}
	}
	fmt.Fprintln(w, sep)
	line(header)
	fmt.Fprintln(w, strings.ReplaceAll(sep, "-", "="))
	for _, r := range rows {
		line(r)
		fmt.Fprintln(w, sep)
	}
}

// wrap splits text into lines of at most width runes, at spaces where
// possible; explicit newlines are kept.
func wrap(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for utf8.RuneCountInString(word) > width {
				if line != "" {
					out = append(out, line)
					line = ""
				}
				r := []rune(word)
				out = append(out, string(r[:width]))
				word = string(r[width:])
			}
			switch {
			case line == "":
				line = word
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}

// Report builds the HTML report of a suite run: the table, then one
// section per claim with its charts and tables.
func Report(spec *lab.Spec, rows []Row, meta [][2]string) *report.Report {
	r := &report.Report{
		Title: "argmax: direct vs amortized optimization, measured",
		Meta:  meta,
		Intro: "Each row is a claim about direct optimizers (search that pays at every decision: MCTS, the exact alpha-beta solver), amortized ones (supervised nets and tables that answer in one pass) and hybrids (PUCT guided by a net), " +
			"measured on held-out connect-four positions that discriminate — deep positions, where the 2-ply tactical rule can lose the value — with the trivial baselines (a random move, the tactical rule) beside them. " +
			"Every decider of the suite appears in every claim. Figures are means over seeds with 95% intervals; each verdict is computed from the data by the rule stated beside it, fixed before the data. Timings (†) vary from run to run; every other figure is reproducible from the seed.",
	}
	tab := report.Table{Caption: "Comparison table", Header: []string{"aspect", "direct", "amortized", "hybrid", "verdict"}}
	ttab := report.Table{Caption: "Timings † (wall clock on this machine, vary from run to run)", Header: []string{"aspect", "direct", "amortized", "hybrid"}}
	for _, row := range rows {
		tab.Rows = append(tab.Rows, []string{row.Aspect, row.Direct.Text(), row.Amortized.Text(), row.Hybrid.Text(), row.VerdictText()})
		if row.Direct.Timing+row.Amortized.Timing+row.Hybrid.Timing != "" {
			ttab.Rows = append(ttab.Rows, []string{row.Aspect, dash(row.Direct.Timing), dash(row.Amortized.Timing), dash(row.Hybrid.Timing)})
		}
		sec := row.Section
		if sec.Title == "" {
			sec.Title = row.Aspect
		}
		sec.Text = "Claim: " + row.Claim + "\n\nRule: " + row.Rule + "\n\nVerdict: " + row.VerdictText() + " — " + row.Why + "\n\n" + sec.Text
		r.Sections = append(r.Sections, sec)
	}
	r.Tables = append(r.Tables, tab)
	if len(ttab.Rows) > 0 {
		r.Tables = append(r.Tables, ttab)
	}
	return r
}
