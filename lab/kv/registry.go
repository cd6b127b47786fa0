package kv

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Registry holds the kinds of one sort of spec (envs, policies, tasks,
// solvers) by name, each with a usage line for help texts. It is safe
// for concurrent use.
type Registry[K any] struct {
	what  string // "env spec": the start of its messages
	mu    sync.RWMutex
	kinds map[string]K
	usage map[string]string
}

// NewRegistry returns an empty registry whose errors call its specs what
// ("env spec").
func NewRegistry[K any](what string) *Registry[K] {
	return &Registry[K]{what: what, kinds: map[string]K{}, usage: map[string]string{}}
}

// What is the name the registry's errors give its specs.
func (r *Registry[K]) What() string { return r.what }

// Add registers k under name; it panics on a malformed or duplicate name.
func (r *Registry[K]) Add(name, usage string, k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !NameRE.MatchString(name) {
		panic(fmt.Sprintf("kv: %s kind %q: want lower-case letters, digits, '-', '_'", r.what, name))
	}
	if _, dup := r.kinds[name]; dup {
		panic(fmt.Sprintf("kv: %s kind %q registered twice", r.what, name))
	}
	r.kinds[name], r.usage[name] = k, usage
}

// Names returns the registered names, sorted.
func (r *Registry[K]) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Describe returns every kind's usage line, indented, sorted by name.
func (r *Registry[K]) Describe() string {
	var b strings.Builder
	for _, n := range r.Names() {
		r.mu.RLock()
		fmt.Fprintf(&b, "  %s\n", r.usage[n])
		r.mu.RUnlock()
	}
	return b.String()
}

// Lookup parses spec and returns the kind it names; its arguments are not
// checked (Build does that).
func (r *Registry[K]) Lookup(spec string) (K, Spec, error) {
	var zero K
	s, err := Parse(r.what, spec, nil)
	if err != nil {
		return zero, s, err
	}
	r.mu.RLock()
	k, ok := r.kinds[s.Kind]
	r.mu.RUnlock()
	if !ok {
		return zero, s, fmt.Errorf("%s %q: unknown kind %q (known: %s)", r.what, spec, s.Kind, strings.Join(r.Names(), ", "))
	}
	return k, s, nil
}

// Build parses spec, finds its kind in r and calls make with the kind and
// the arguments; the arguments' errors and the keys make never read are
// reported, every error naming the spec.
func Build[K, T any](r *Registry[K], spec string, make func(K, *Args) (T, error)) (T, error) {
	var zero T
	k, s, err := r.Lookup(spec)
	if err != nil {
		return zero, err
	}
	a := NewArgs(r.what, spec, s)
	t, err := make(k, a)
	if err == nil {
		err = a.Err()
	}
	if err == nil {
		err = a.Unread()
	}
	if err != nil {
		if _, named := err.(*Error); named {
			return zero, err
		}
		return zero, fmt.Errorf("%s %q: %w", r.what, spec, err)
	}
	return t, nil
}
