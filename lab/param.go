package lab

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Kind is the type of an experiment parameter.
type Kind int

// The parameter kinds. Lists are written in YAML as sequences.
const (
	Int     Kind = iota + 1 // a whole number (Go int)
	Float                   // a real number (Go float64); YAML integers are accepted
	String                  // a string (Go string)
	Bool                    // true or false (Go bool)
	Ints                    // a list of whole numbers ([]int)
	Floats                  // a list of real numbers ([]float64)
	Strings                 // a list of strings ([]string)
)

// String names the kind as error messages do ("an integer", ...).
func (k Kind) String() string {
	switch k {
	case Int:
		return "an integer"
	case Float:
		return "a number"
	case String:
		return "a string"
	case Bool:
		return "a boolean"
	case Ints:
		return "a list of integers"
	case Floats:
		return "a list of numbers"
	case Strings:
		return "a list of strings"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// IsList reports whether k is one of the list kinds.
func (k Kind) IsList() bool { return k == Ints || k == Floats || k == Strings }

// Range bounds a numeric parameter (each element, for lists). Use
// math.Inf for an open side.
type Range struct{ Min, Max float64 }

// AtLeast returns the range [min, +Inf).
func AtLeast(min float64) *Range { return &Range{Min: min, Max: math.Inf(1)} }

// Between returns the closed range [min, max].
func Between(min, max float64) *Range { return &Range{Min: min, Max: max} }

// Param declares one typed parameter of an experiment: its name, kind,
// meaning, default values at each scale, and the values it accepts.
type Param struct {
	Name  string
	Kind  Kind
	Doc   string
	Quick any // default at quick scale, a Go value of the kind (int, float64, string, bool, []int, ...)
	Full  any // default at full scale; nil means the same as Quick

	Range   *Range          // numeric bounds, nil for none
	Choices []string        // allowed strings, nil for any
	MinLen  int             // minimum list length (lists only)
	Check   func(any) error // further validation of a normalized value, nil for none
}

// Default returns the parameter's default at the given scale.
func (p *Param) Default(s Scale) any {
	if s == Full && p.Full != nil {
		return p.Full
	}
	return p.Quick
}

// validate checks a normalized value against the parameter's constraints and
// returns the reason it is not acceptable.
func (p *Param) validate(v any) error {
	check := func(x float64) error {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not a finite number", x)
		}
		if p.Range != nil {
			if x < p.Range.Min {
				return fmt.Errorf("%v is below the minimum %v", x, p.Range.Min)
			}
			if x > p.Range.Max {
				return fmt.Errorf("%v is above the maximum %v", x, p.Range.Max)
			}
		}
		return nil
	}
	choice := func(s string) error {
		if p.Choices != nil && !slices.Contains(p.Choices, s) {
			return fmt.Errorf("%q is not one of %s", s, strings.Join(p.Choices, ", "))
		}
		return nil
	}
	var err error
	switch x := v.(type) {
	case int:
		err = check(float64(x))
	case float64:
		err = check(x)
	case string:
		err = choice(x)
	case bool:
	case []int:
		for i, e := range x {
			if err = check(float64(e)); err != nil {
				err = fmt.Errorf("element %d: %w", i, err)
				break
			}
		}
	case []float64:
		for i, e := range x {
			if err = check(e); err != nil {
				err = fmt.Errorf("element %d: %w", i, err)
				break
			}
		}
	case []string:
		for i, e := range x {
			if err = choice(e); err != nil {
				err = fmt.Errorf("element %d: %w", i, err)
				break
			}
		}
	default:
		return fmt.Errorf("value of Go type %T is not a parameter value", v)
	}
	if err != nil {
		return err
	}
	if p.Kind.IsList() && listLen(v) < p.MinLen {
		return fmt.Errorf("the list has %d elements, want at least %d", listLen(v), p.MinLen)
	}
	if p.Check != nil {
		return p.Check(v)
	}
	return nil
}

func listLen(v any) int {
	switch x := v.(type) {
	case []int:
		return len(x)
	case []float64:
		return len(x)
	case []string:
		return len(x)
	}
	return 0
}

// normalize converts a Go value (as written in a Param default or passed by
// a program) to the canonical Go type of kind k.
func normalize(k Kind, v any) (any, error) {
	bad := func() (any, error) { return nil, fmt.Errorf("want %s, got %T %v", k, v, v) }
	switch k {
	case Int:
		switch x := v.(type) {
		case int:
			return x, nil
		case int64:
			return int(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int(x), nil
			}
		}
		return bad()
	case Float:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
		return bad()
	case String:
		if x, ok := v.(string); ok {
			return x, nil
		}
		return bad()
	case Bool:
		if x, ok := v.(bool); ok {
			return x, nil
		}
		return bad()
	case Ints:
		switch x := v.(type) {
		case []int:
			return slices.Clone(x), nil
		case []any:
			out := make([]int, len(x))
			for i, e := range x {
				n, err := normalize(Int, e)
				if err != nil {
					return bad()
				}
				out[i] = n.(int)
			}
			return out, nil
		}
		return bad()
	case Floats:
		switch x := v.(type) {
		case []float64:
			return slices.Clone(x), nil
		case []int:
			out := make([]float64, len(x))
			for i, e := range x {
				out[i] = float64(e)
			}
			return out, nil
		case []any:
			out := make([]float64, len(x))
			for i, e := range x {
				f, err := normalize(Float, e)
				if err != nil {
					return bad()
				}
				out[i] = f.(float64)
			}
			return out, nil
		}
		return bad()
	case Strings:
		switch x := v.(type) {
		case []string:
			return slices.Clone(x), nil
		case []any:
			out := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return bad()
				}
				out[i] = s
			}
			return out, nil
		}
		return bad()
	}
	return nil, fmt.Errorf("unknown parameter kind %d", int(k))
}

// Params holds the values of one parameter point, by name. Values have the
// canonical Go type of their kind. The typed getters return an error naming
// the parameter for a name the point does not hold or a kind mismatch;
// experiments read their parameters through the Trial's getters, which
// record that error and fail the trial with it.
type Params map[string]any

// param returns the value of name as a T.
func param[T any](p Params, name string) (T, error) {
	var zero T
	v, ok := p[name]
	if !ok {
		return zero, fmt.Errorf("no parameter %q (the point has: %s)", name, strings.Join(p.Names(), ", "))
	}
	x, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("parameter %q is %T %v, not %T", name, v, v, zero)
	}
	return x, nil
}

// Int returns an Int parameter.
func (p Params) Int(name string) (int, error) { return param[int](p, name) }

// Float returns a Float parameter.
func (p Params) Float(name string) (float64, error) { return param[float64](p, name) }

// String returns a String parameter.
func (p Params) String(name string) (string, error) { return param[string](p, name) }

// Bool returns a Bool parameter.
func (p Params) Bool(name string) (bool, error) { return param[bool](p, name) }

// Ints returns an Ints parameter.
func (p Params) Ints(name string) ([]int, error) { return param[[]int](p, name) }

// Floats returns a Floats parameter.
func (p Params) Floats(name string) ([]float64, error) { return param[[]float64](p, name) }

// Strings returns a Strings parameter.
func (p Params) Strings(name string) ([]string, error) { return param[[]string](p, name) }

// Canonical returns the point as JSON with sorted keys: the identity of the
// point in trial keys and in the store.
func (p Params) Canonical() string {
	b, err := json.Marshal(map[string]any(p))
	if err != nil {
		panic(fmt.Sprintf("lab: parameters are not JSON-encodable: %v", err))
	}
	return string(b)
}

// Names returns the parameter names in sorted order.
func (p Params) Names() []string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// clone returns a shallow copy (values are never mutated in place).
func (p Params) clone() Params {
	q := make(Params, len(p))
	for k, v := range p {
		q[k] = v
	}
	return q
}
