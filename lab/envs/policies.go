package envs

import (
	"argmax/env"
	"argmax/lab/kv"
)

// PolicyFactory makes a policy of one kind for env e from the spec's
// arguments, reading every key its kind understands through a's getters.
type PolicyFactory func(e env.Env, a *kv.Args) (env.Policy, error)

// PolicyKind is one kind of env policy a spec can name ("random").
type PolicyKind struct {
	Name  string
	New   PolicyFactory
	Usage string
}

var policies = newRegistry[PolicyKind]("policy spec")

// RegisterPolicy adds a policy kind to the registry. It panics on a
// duplicate or malformed name, or no factory.
func RegisterPolicy(k PolicyKind) {
	if k.New == nil {
		panic("envs: policy kind " + k.Name + " has no factory")
	}
	policies.add(k.Name, k.Usage, k)
}

// PolicyKinds returns the registered policy kinds' names, sorted.
func PolicyKinds() []string { return policies.names() }

// PolicyUsage describes every policy kind, one line each.
func PolicyUsage() string { return policies.describe() }

// NewPolicy returns the policy a spec describes ("random:seed=3") for e.
// The error names the spec and what is wrong in it.
func NewPolicy(e env.Env, spec string) (env.Policy, error) {
	return build(policies, spec, func(k PolicyKind, a *kv.Args) (env.Policy, error) { return k.New(e, a) })
}

func init() {
	RegisterPolicy(PolicyKind{Name: "random", Usage: "random[:seed=N]  a uniformly random action (the baseline)",
		New: func(_ env.Env, a *kv.Args) (env.Policy, error) { return env.NewRandom(a.Uint("seed", 1)), nil }})
}
