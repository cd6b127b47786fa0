package envs

import (
	"context"

	"argmax"
	"log/slog"
	"os"
	"path/filepath"

	"argmax/env"
	"argmax/lab/cache"
	"argmax/lab/kv"
)

// Context is what a policy kind may need beyond its spec's keys: the env it
// acts in, the env spec a learner trains on, where trained policies are
// kept, and a log for long training. The zero value of every field but Env
// has a default (see NewPolicyIn).
type Context struct {
	Context context.Context
	// Env is the env the policy acts in.
	Env env.Env
	// Train is the spec of the env a learner trains on: its training
	// distribution, which need not be the one it is tested on (a shifted
	// range of hidden parameters, a variant with a shortcut). Learners
	// refuse to train without one.
	Train string
	// Cache keeps trained policies, keyed by everything that determines
	// them; nil means a cache in the temporary folder.
	Cache *cache.Cache
	// Log, if not nil, receives training progress.
	Log *slog.Logger
	// Seed is the default seed of the policies that take one (a spec's
	// seed= wins).
	Seed uint64
}

// context returns c's context, or the background one.
func (c Context) context() context.Context {
	if c.Context == nil {
		return context.Background()
	}
	return c.Context
}

// cache returns c's cache, or one in the temporary folder.
func (c Context) cache() (*cache.Cache, error) {
	if c.Cache != nil {
		return c.Cache, nil
	}
	return cache.New(filepath.Join(os.TempDir(), "argmax-cache"))
}

// PolicyFactory makes a policy of one kind from the spec's arguments,
// reading every key its kind understands through a's getters.
type PolicyFactory func(c Context, a *kv.Args) (env.Policy, error)

// PolicyKind is one kind of env policy a spec can name ("random").
type PolicyKind struct {
	Name string
	Role argmax.Role // how the kind pays for its answers
	// Privileged marks the kinds that plan on a clone of the env they act
	// in: they see its true state and hidden parameters, which the
	// agent's observation may not show (a perfect model, an oracle's
	// information in a partially observed env).
	Privileged bool
	New        PolicyFactory
	Usage      string
}

var policies = kv.NewRegistry[PolicyKind]("policy spec")

// RegisterPolicy adds a policy kind to the registry. It panics on a
// duplicate or malformed name, or no factory.
func RegisterPolicy(k PolicyKind) {
	if k.New == nil {
		panic("envs: policy kind " + k.Name + " has no factory")
	}
	if _, err := argmax.ParseRole(string(k.Role)); err != nil {
		panic("envs: policy kind " + k.Name + ": " + err.Error())
	}
	policies.Add(k.Name, k.Usage, k)
}

// PolicyKinds returns the registered policy kinds' names, sorted.
func PolicyKinds() []string { return policies.Names() }

// PolicyUsage describes every policy kind, one line each.
func PolicyUsage() string { return policies.Describe() }

// PolicyRole returns the role of the kind a policy spec names.
func PolicyRole(spec string) (argmax.Role, error) {
	k, err := LookupPolicy(spec)
	return k.Role, err
}

// LookupPolicy returns the kind a policy spec names (its arguments are not
// checked: NewPolicyIn does that).
func LookupPolicy(spec string) (PolicyKind, error) {
	k, _, err := policies.Lookup(spec)
	return k, err
}

// NewPolicy returns the policy a spec describes ("random:seed=3") for e,
// with learners trained on trainSpec (the spec e was made from, usually).
// The error names the spec and what is wrong in it.
func NewPolicy(e env.Env, trainSpec, spec string) (env.Policy, error) {
	return NewPolicyIn(Context{Env: e, Train: trainSpec}, spec)
}

// NewPolicyIn returns the policy a spec describes in context c.
func NewPolicyIn(c Context, spec string) (env.Policy, error) {
	return kv.Build(policies, spec, func(k PolicyKind, a *kv.Args) (env.Policy, error) { return k.New(c, a) })
}

func init() {
	RegisterPolicy(PolicyKind{Name: "random", Role: argmax.Baseline, Usage: "random[:seed=N]  a uniformly random action (the baseline)",
		New: func(_ Context, a *kv.Args) (env.Policy, error) { return env.NewRandom(a.Uint("seed", 1)), nil }})
}
