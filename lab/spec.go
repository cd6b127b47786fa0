package lab

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Spec is a parsed and validated experiment specification: which
// experiments to run, at which parameter points (fixed values and grid
// sweeps over domains, optimizers, budgets...), how many seeds, at which
// scale. A spec file looks like
//
//	name: budgets              # optional, names the run in the store
//	seed: 1                    # spec seed: every trial seed derives from it
//	scale: quick               # quick or full: picks parameter defaults
//	workers: 0                 # parallel trials, 0 = one per core
//	experiments:
//	  - name: mc-pi            # a registered experiment
//	    seeds: 5               # seeds per point (default: the experiment's)
//	    params: {samples: 1000}            # fixed values
//	    grid: {samples: [100, 1000, 10000]} # swept values (cartesian product)
type Spec struct {
	Name        string
	Description string
	Seed        uint64
	Scale       Scale
	Workers     int
	Entries     []Entry
	Source      []byte // the YAML text the spec was read from
}

// Entry is one experiment of a spec with its fixed and swept parameters.
type Entry struct {
	Experiment *Experiment
	Seeds      int              // 0: the experiment's default at the spec's scale
	Params     Params           // fixed values given in the spec
	Grid       map[string][]any // swept values, normalized
}

// Limits on what a spec may ask for.
const (
	MaxSeeds  = 10000   // seeds per point
	MaxTrials = 1000000 // trials per spec, after grid expansion
)

// SpecError is one problem found in a spec: where it is and why it is
// wrong.
type SpecError struct {
	File   string
	Line   int
	Column int
	Field  string // path of the field, e.g. experiments[0].params.sims
	Reason string
}

// Error renders "file:line:col: field: reason".
func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// SpecErrors is every problem found in a spec; it is what ParseSpec returns
// when the spec is invalid.
type SpecErrors []*SpecError

// Error joins the problems, one per line.
func (es SpecErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// ReadSpec reads and validates the spec file at path against reg.
func ReadSpec(path string, reg *Registry) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return ParseSpec(data, path, reg)
}

// ParseSpec parses and validates a spec against the experiments of reg.
// file names the source in error messages. Any problem — unknown fields,
// experiments or parameters, wrong types, impossible values — is reported
// (all of them, as SpecErrors) before anything runs.
func ParseSpec(data []byte, file string, reg *Registry) (*Spec, error) {
	if file == "" {
		file = "spec"
	}
	p := &specParser{file: file, reg: reg}
	spec := p.parse(data)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	spec.Source = append([]byte(nil), data...)
	if n := spec.NumTrials(); n > MaxTrials {
		return nil, SpecErrors{{File: file, Field: "experiments", Reason: fmt.Sprintf("the spec expands to %d trials, more than the limit %d", n, MaxTrials)}}
	}
	return spec, nil
}

type specParser struct {
	file string
	reg  *Registry
	errs SpecErrors
}

func (p *specParser) fail(n *yaml.Node, field, format string, args ...any) {
	e := &SpecError{File: p.file, Field: field, Reason: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// describe names a node's type and value for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.ShortTag() {
	case "!!int":
		return "the integer " + v
	case "!!float":
		return "the number " + v
	case "!!bool":
		return "the boolean " + v
	case "!!null":
		return "nothing (null)"
	}
	return strconv.Quote(v)
}

// mapping walks a mapping node, calling f for each key; it reports
// non-mapping nodes, non-string and duplicate keys.
func (p *specParser) mapping(n *yaml.Node, field string, f func(key string, k, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.fail(n, field, "want a mapping (key: value lines), got %s", describe(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			p.fail(k, field, "keys must be plain names, got %s", describe(k))
			continue
		}
		if seen[k.Value] {
			p.fail(k, join(field, k.Value), "given twice")
			continue
		}
		seen[k.Value] = true
		if v.Kind == yaml.AliasNode || v.Anchor != "" {
			p.fail(v, join(field, k.Value), "YAML anchors and aliases are not supported in specs")
			continue
		}
		f(k.Value, k, v)
	}
	return true
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func (p *specParser) parse(data []byte) *Spec {
	spec := &Spec{Seed: 1, Scale: Quick}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.fail(nil, "", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return spec
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.fail(nil, "", "the spec is empty: want at least an experiments list")
		return spec
	}
	root := doc.Content[0]
	var experiments *yaml.Node
	p.mapping(root, "", func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			spec.Name, _ = p.str(v, key)
		case "description":
			spec.Description, _ = p.str(v, key)
		case "seed":
			if x, ok := p.integer(v, key); ok {
				if x < 0 {
					p.fail(v, key, "%d is negative; want a seed >= 0", x)
				}
				spec.Seed = uint64(x)
			}
		case "scale":
			if s, ok := p.str(v, key); ok {
				if sc, err := ParseScale(s); err != nil {
					p.fail(v, key, "%q is not a scale; want quick or full", s)
				} else {
					spec.Scale = sc
				}
			}
		case "workers":
			if x, ok := p.integer(v, key); ok {
				if x < 0 || x > 4096 {
					p.fail(v, key, "%d workers is impossible; want 0 (one per core) to 4096", x)
				}
				spec.Workers = int(x)
			}
		case "experiments":
			experiments = v
		default:
			p.fail(k, key, "unknown field (fields: name, description, seed, scale, workers, experiments)")
		}
	})
	if root.Kind != yaml.MappingNode {
		return spec
	}
	if experiments == nil {
		p.fail(root, "experiments", "missing: a spec needs a list of experiments to run")
		return spec
	}
	if experiments.Kind != yaml.SequenceNode {
		p.fail(experiments, "experiments", "want a list of experiments, got %s", describe(experiments))
		return spec
	}
	if len(experiments.Content) == 0 {
		p.fail(experiments, "experiments", "the list is empty: name at least one experiment")
	}
	for i, n := range experiments.Content {
		if e, ok := p.entry(n, fmt.Sprintf("experiments[%d]", i)); ok {
			spec.Entries = append(spec.Entries, e)
		}
	}
	return spec
}

func (p *specParser) str(n *yaml.Node, field string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.fail(n, field, "want a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

func (p *specParser) integer(n *yaml.Node, field string) (int64, bool) {
	v, err := scalar(Int, n)
	if err != nil {
		p.fail(n, field, "%v", err)
		return 0, false
	}
	return int64(v.(int)), true
}

func (p *specParser) entry(n *yaml.Node, field string) (Entry, bool) {
	var e Entry
	var name string
	var nameNode, params, grid *yaml.Node
	ok := p.mapping(n, field, func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			nameNode = v
			name, _ = p.str(v, join(field, key))
		case "seeds":
			if x, ok := p.integer(v, join(field, key)); ok {
				if x < 1 || x > MaxSeeds {
					p.fail(v, join(field, key), "%d seeds is impossible; want 1 to %d", x, MaxSeeds)
				} else {
					e.Seeds = int(x)
				}
			}
		case "params":
			params = v
		case "grid":
			grid = v
		default:
			p.fail(k, join(field, key), "unknown field (fields of an experiment entry: name, seeds, params, grid)")
		}
	})
	if !ok {
		return e, false
	}
	if nameNode == nil {
		p.fail(n, join(field, "name"), "missing: which experiment to run (known: %s)", strings.Join(p.reg.Names(), ", "))
		return e, false
	}
	if name == "" {
		return e, false
	}
	exp, found := p.reg.Lookup(name)
	if !found {
		p.fail(nameNode, join(field, "name"), "unknown experiment %q (known: %s)", name, strings.Join(p.reg.Names(), ", "))
		return e, false
	}
	e.Experiment = exp
	e.Params = Params{}
	e.Grid = map[string][]any{}
	nerr := len(p.errs)
	if params != nil {
		p.mapping(params, join(field, "params"), func(key string, k, v *yaml.Node) {
			f := join(join(field, "params"), key)
			prm := exp.Param(key)
			if prm == nil {
				p.fail(k, f, "experiment %s has no parameter %q (parameters: %s)", exp.Name, key, strings.Join(exp.ParamNames(), ", "))
				return
			}
			if x, ok := p.value(prm, v, f); ok {
				e.Params[key] = x
			}
		})
	}
	if grid != nil {
		p.mapping(grid, join(field, "grid"), func(key string, k, v *yaml.Node) {
			f := join(join(field, "grid"), key)
			prm := exp.Param(key)
			if prm == nil {
				p.fail(k, f, "experiment %s has no parameter %q (parameters: %s)", exp.Name, key, strings.Join(exp.ParamNames(), ", "))
				return
			}
			if _, dup := e.Params[key]; dup {
				p.fail(k, f, "also set in params: a parameter is either fixed or swept")
				return
			}
			if v.Kind != yaml.SequenceNode {
				p.fail(v, f, "a grid sweeps a list of values; got %s", describe(v))
				return
			}
			if len(v.Content) == 0 {
				p.fail(v, f, "the list of values to sweep is empty")
				return
			}
			for i, c := range v.Content {
				if x, ok := p.value(prm, c, fmt.Sprintf("%s[%d]", f, i)); ok {
					e.Grid[key] = append(e.Grid[key], x)
				}
			}
		})
	}
	return e, len(p.errs) == nerr
}

// value decodes and validates one parameter value.
func (p *specParser) value(prm *Param, n *yaml.Node, field string) (any, bool) {
	v, err := decodeValue(prm.Kind, n)
	if err != nil {
		p.fail(n, field, "%v", err)
		return nil, false
	}
	if err := prm.validate(v); err != nil {
		p.fail(n, field, "%v", err)
		return nil, false
	}
	return v, true
}

// decodeValue decodes a YAML node as a value of kind k.
func decodeValue(k Kind, n *yaml.Node) (any, error) {
	if !k.IsList() {
		return scalar(k, n)
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("want %s, got %s", k, describe(n))
	}
	var out any
	switch k {
	case Ints:
		xs := make([]int, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := scalar(Int, c)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			xs = append(xs, v.(int))
		}
		out = xs
	case Floats:
		xs := make([]float64, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := scalar(Float, c)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			xs = append(xs, v.(float64))
		}
		out = xs
	case Strings:
		xs := make([]string, 0, len(n.Content))
		for i, c := range n.Content {
			v, err := scalar(String, c)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i, err)
			}
			xs = append(xs, v.(string))
		}
		out = xs
	}
	return out, nil
}

// scalar decodes a scalar node as a value of the scalar kind k.
func scalar(k Kind, n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("want %s, got %s", k, describe(n))
	}
	tag := n.ShortTag()
	switch k {
	case Int:
		switch tag {
		case "!!int":
			var x int64
			if err := n.Decode(&x); err != nil {
				return nil, fmt.Errorf("want %s, got %s (out of range)", k, describe(n))
			}
			if x > math.MaxInt || x < math.MinInt {
				return nil, fmt.Errorf("want %s, got %s (out of range)", k, describe(n))
			}
			return int(x), nil
		case "!!float":
			var f float64
			if err := n.Decode(&f); err == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
				return int(f), nil
			}
			return nil, fmt.Errorf("want %s, got %s (not a whole number)", k, describe(n))
		}
	case Float:
		if tag == "!!int" || tag == "!!float" {
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, fmt.Errorf("want %s, got %s", k, describe(n))
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("want a finite number, got %s", describe(n))
			}
			return f, nil
		}
	case String:
		if tag == "!!str" {
			return n.Value, nil
		}
	case Bool:
		if tag == "!!bool" {
			var b bool
			if err := n.Decode(&b); err == nil {
				return b, nil
			}
		}
	}
	return nil, fmt.Errorf("want %s, got %s", k, describe(n))
}

// Points returns the parameter points of the entry at scale s: defaults,
// overlaid with the fixed values, times the cartesian product of the grid
// (grid names in sorted order, the last varying fastest).
func (e *Entry) Points(s Scale) []Params {
	base := e.Experiment.Defaults(s)
	for k, v := range e.Params {
		base[k] = v
	}
	names := make([]string, 0, len(e.Grid))
	for k := range e.Grid {
		names = append(names, k)
	}
	sort.Strings(names)
	points := []Params{base}
	for _, name := range names {
		var next []Params
		for _, p := range points {
			for _, v := range e.Grid[name] {
				q := p.clone()
				q[name] = v
				next = append(next, q)
			}
		}
		points = next
	}
	return points
}

// GridNames returns the swept parameter names in sorted order.
func (e *Entry) GridNames() []string {
	names := make([]string, 0, len(e.Grid))
	for k := range e.Grid {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// SeedsAt returns the number of seeds per point at scale s.
func (e *Entry) SeedsAt(s Scale) int {
	if e.Seeds > 0 {
		return e.Seeds
	}
	return e.Experiment.DefaultSeeds(s)
}

// NumTrials returns the number of trials the spec expands to, without
// expanding it.
func (s *Spec) NumTrials() int {
	total := 0
	for i := range s.Entries {
		e := &s.Entries[i]
		n := e.SeedsAt(s.Scale)
		for _, vs := range e.Grid {
			n *= len(vs)
			if n > MaxTrials {
				return MaxTrials + 1
			}
		}
		total += n
		if total > MaxTrials {
			return MaxTrials + 1
		}
	}
	return total
}

// Plan expands the spec into its trials at the spec's scale and seed, in a
// deterministic order: entries as written, points in grid order, seeds
// innermost. Two entries that yield the same trial (same experiment, point
// and seed index) give it once.
func (s *Spec) Plan() []*Trial {
	var trials []*Trial
	seen := map[string]bool{}
	for i := range s.Entries {
		e := &s.Entries[i]
		for _, p := range e.Points(s.Scale) {
			for k := 0; k < e.SeedsAt(s.Scale); k++ {
				t := NewTrial(e.Experiment, p, s.Scale, s.Seed, k)
				if !seen[t.Key] {
					seen[t.Key] = true
					trials = append(trials, t)
				}
			}
		}
	}
	return trials
}
