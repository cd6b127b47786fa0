package envs

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"argmax/lab/kv"
)

// registry holds the kinds of one sort of spec (envs, policies) by name.
type registry[K any] struct {
	what  string // "env spec": the start of its messages
	mu    sync.RWMutex
	kinds map[string]K
	usage map[string]string
}

func newRegistry[K any](what string) *registry[K] {
	return &registry[K]{what: what, kinds: map[string]K{}, usage: map[string]string{}}
}

// add registers k under name; it panics on a malformed or duplicate name.
func (r *registry[K]) add(name, usage string, k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !kv.NameRE.MatchString(name) {
		panic(fmt.Sprintf("envs: %s kind %q: want lower-case letters, digits, '-', '_'", r.what, name))
	}
	if _, dup := r.kinds[name]; dup {
		panic(fmt.Sprintf("envs: %s kind %q registered twice", r.what, name))
	}
	r.kinds[name], r.usage[name] = k, usage
}

// names returns the registered names, sorted.
func (r *registry[K]) names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// describe returns every kind's usage line, sorted by name.
func (r *registry[K]) describe() string {
	var b strings.Builder
	for _, n := range r.names() {
		r.mu.RLock()
		fmt.Fprintf(&b, "  %s\n", r.usage[n])
		r.mu.RUnlock()
	}
	return b.String()
}

// build parses spec, finds its kind and calls make with the kind and the
// arguments; the arguments' errors and the keys make never read are
// reported, every error naming the spec.
func build[K, T any](r *registry[K], spec string, make func(K, *kv.Args) (T, error)) (T, error) {
	var zero T
	s, err := kv.Parse(r.what, spec, nil)
	if err != nil {
		return zero, err
	}
	r.mu.RLock()
	k, ok := r.kinds[s.Kind]
	r.mu.RUnlock()
	if !ok {
		return zero, fmt.Errorf("%s %q: unknown kind %q (known: %s)", r.what, spec, s.Kind, strings.Join(r.names(), ", "))
	}
	a := kv.NewArgs(r.what, spec, s)
	t, err := make(k, a)
	if err == nil {
		err = a.Err()
	}
	if err == nil {
		err = a.Unread()
	}
	if err != nil {
		if _, named := err.(*kv.Error); named {
			return zero, err
		}
		return zero, fmt.Errorf("%s %q: %w", r.what, spec, err)
	}
	return t, nil
}
