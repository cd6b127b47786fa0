// Package kv parses the text specs that name things on argmax's command
// line and in experiment specs — "kind[:key=value,...]", such as
// "mcts:sims=800,seed=1" for a decider or "cartpole:length=0.4..0.6" for an
// environment — and gives their factories typed access to the arguments,
// with errors that name the spec, the key and what is wrong.
package kv

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// NameRE is what a kind or a key may look like: lower-case letters,
// digits, '-' and '_', starting with a letter.
var NameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// Error is an error about a spec, its message complete (the spec named).
type Error struct{ Msg string }

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

// Spec is a parsed spec: the kind and its key=value arguments in the
// order written.
type Spec struct {
	Kind string
	Args []KeyValue
}

// KeyValue is one argument of a spec. Bare is set for a key written
// without "=value".
type KeyValue struct {
	Key, Value string
	Bare       bool
}

// String writes the spec back in its text form.
func (s Spec) String() string {
	var b strings.Builder
	b.WriteString(s.Kind)
	for i, kv := range s.Args {
		if i == 0 {
			b.WriteByte(':')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(kv.Key)
		if !kv.Bare {
			b.WriteByte('=')
			b.WriteString(kv.Value)
		}
	}
	return b.String()
}

// Parse parses "kind[:key=value,...]"; what names such specs in
// messages ("bot spec"). rest, if not nil, returns the key of a kind whose
// value runs to the end of the spec, commas included ("" for none).
func Parse(what, text string, rest func(kind string) string) (Spec, error) {
	fail := func(format string, args ...any) (Spec, error) {
		return Spec{}, fmt.Errorf("%s %q: %s", what, text, fmt.Sprintf(format, args...))
	}
	k, restText, hasArgs := strings.Cut(strings.TrimSpace(text), ":")
	k = strings.TrimSpace(k)
	if k == "" {
		return fail("no kind (want kind[:key=value,...], e.g. mcts:sims=800)")
	}
	if !NameRE.MatchString(k) {
		return fail("kind %q: want lower-case letters, digits, '-', '_'", k)
	}
	s := Spec{Kind: k}
	if !hasArgs {
		return s, nil
	}
	restKey := ""
	if rest != nil {
		restKey = rest(k)
	}
	seen := map[string]bool{}
	for i := 1; ; i++ {
		part, more, hasMore := strings.Cut(restText, ",")
		key, val, hasVal := strings.Cut(part, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if restKey != "" && key == restKey && hasVal {
			// The value of the rest key is everything after its '='.
			_, val, _ = strings.Cut(restText, "=")
			val, hasMore = strings.TrimSpace(val), false
		}
		if key == "" {
			return fail("argument %d %q: no key (want key=value)", i, part)
		}
		if !NameRE.MatchString(key) {
			return fail("argument %d: key %q: want lower-case letters, digits, '-', '_'", i, key)
		}
		if seen[key] {
			return fail("key %q given twice", key)
		}
		seen[key] = true
		if hasVal && val == "" {
			return fail("key %q: empty value", key)
		}
		s.Args = append(s.Args, KeyValue{Key: key, Value: val, Bare: !hasVal})
		if !hasMore {
			return s, nil
		}
		restText = more
	}
}

// Args gives typed access to a spec's arguments. Each getter returns the
// default when the key is absent; when a value does not parse or is out of
// range it returns the default and records an error naming the spec, the
// key and the value. Err returns the first such error, so a factory reads
// all its keys and then checks Err once; Unread then reports the keys it
// never asked for.
type Args struct {
	what string // "bot spec", "env spec": the start of every message
	spec string
	kind string
	args []KeyValue
	read map[string]bool // every key the factory asked for
	err  error
}

// NewArgs returns the arguments of s, parsed from text; what names such
// specs in messages ("bot spec").
func NewArgs(what, text string, s Spec) *Args {
	return &Args{what: what, spec: text, kind: s.Kind, args: s.Args, read: map[string]bool{}}
}

// Kind is the spec's kind.
func (a *Args) Kind() string { return a.kind }

// Err returns the first error a getter recorded.
func (a *Args) Err() error { return a.err }

// Fail records an error about the spec (a combination of values the
// factory rejects); the message is prefixed with the spec.
func (a *Args) Fail(format string, args ...any) {
	if a.err == nil {
		a.err = &Error{fmt.Sprintf("%s %q: ", a.what, a.spec) + fmt.Sprintf(format, args...)}
	}
}

// Lookup returns the argument for key and marks the key as known.
func (a *Args) Lookup(key string) (KeyValue, bool) {
	a.read[key] = true
	for _, kv := range a.args {
		if kv.Key == key {
			return kv, true
		}
	}
	return KeyValue{}, false
}

// Value returns the text of key's value, whether it was given with one.
func (a *Args) Value(key, what string) (string, bool) {
	kv, ok := a.Lookup(key)
	if !ok {
		return "", false
	}
	if kv.Bare {
		a.Fail("key %s needs a value (%s)", key, what)
		return "", false
	}
	return kv.Value, true
}

// String returns the value of key, or def.
func (a *Args) String(key, def string) string {
	if v, ok := a.Value(key, "a string"); ok {
		return v
	}
	return def
}

// Int returns the integer value of key ("800", "1_000", "1e6"), or def;
// the value must lie in [lo, hi].
func (a *Args) Int(key string, def, lo, hi int64) int64 {
	v, ok := a.Value(key, "an integer")
	if !ok {
		return def
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(v, "_", ""), 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) <= 1e18 {
			n, err = int64(f), nil
		}
	}
	if err != nil {
		a.Fail("key %s=%q: not an integer", key, v)
		return def
	}
	if n < lo || n > hi {
		a.Fail("key %s=%d: out of range [%d, %d]", key, n, lo, hi)
		return def
	}
	return n
}

// Uint returns the unsigned integer value of key (a seed), or def.
func (a *Args) Uint(key string, def uint64) uint64 {
	v, ok := a.Value(key, "an unsigned integer")
	if !ok {
		return def
	}
	n, err := strconv.ParseUint(strings.ReplaceAll(v, "_", ""), 0, 64)
	if err != nil {
		a.Fail("key %s=%q: not an unsigned integer", key, v)
		return def
	}
	return n
}

// Float returns the real value of key, or def; the value must lie in
// [lo, hi].
func (a *Args) Float(key string, def, lo, hi float64) float64 {
	v, ok := a.Value(key, "a number")
	if !ok {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) {
		a.Fail("key %s=%q: not a number", key, v)
		return def
	}
	if f < lo || f > hi {
		a.Fail("key %s=%v: out of range [%v, %v]", key, f, lo, hi)
		return def
	}
	return f
}

// Bool returns the boolean value of key (true/false, 1/0, yes/no, on/off;
// a bare key is true), or def.
func (a *Args) Bool(key string, def bool) bool {
	kv, ok := a.Lookup(key)
	if !ok {
		return def
	}
	if kv.Bare {
		return true
	}
	switch strings.ToLower(kv.Value) {
	case "1", "t", "true", "yes", "y", "on":
		return true
	case "0", "f", "false", "no", "n", "off":
		return false
	}
	a.Fail("key %s=%q: not a boolean (want true or false)", key, kv.Value)
	return def
}

// Duration returns the duration value of key ("1s", "250ms"; a bare number
// is seconds), or def. It must be positive.
func (a *Args) Duration(key string, def time.Duration) time.Duration {
	v, ok := a.Value(key, "a duration")
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		if ferr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			a.Fail("key %s=%q: not a duration (want e.g. 1s, 250ms)", key, v)
			return def
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d <= 0 {
		a.Fail("key %s=%q: want a positive duration", key, v)
		return def
	}
	return d
}

// Unread reports the keys of the spec that the factory never asked for.
func (a *Args) Unread() error {
	var bad []string
	for _, kv := range a.args {
		if !a.read[kv.Key] {
			bad = append(bad, kv.Key)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	known := sortedKeys(a.read)
	what := "no keys"
	if len(known) > 0 {
		what = "keys: " + strings.Join(known, ", ")
	}
	noun := "key"
	if len(bad) > 1 {
		noun = "keys"
	}
	return &Error{fmt.Sprintf("%s %q: unknown %s %s for %s (%s has %s)", a.what, a.spec, noun, strings.Join(quote(bad), ", "), a.kind, a.kind, what)}
}

func quote(s []string) []string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return q
}

func sortedKeys(m map[string]bool) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
