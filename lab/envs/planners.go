package envs

import (
	"argmax"
	"argmax/direct/cem"
	"argmax/env"
	"argmax/lab/kv"
)

// The planners of the registry plan on the situation's env itself (the true
// simulator, cloned): the direct optimizers with a perfect model. Their
// clones are reseeded before simulating, so that on a stochastic env they
// face the noise as a distribution (clairvoyant=true lets them foresee it,
// as an oracle). On a partially observed env they still see the whole
// state through the clone: a privilege no model-free agent has.

// cemPolicy is the cem kind: CEM or MPPI over action sequences with the
// true model, receding horizon, warm-started.
func cemPolicy(c Context, a *kv.Args) (env.Policy, error) {
	method, err := cem.ParseMethod(a.String("method", "cem"))
	if err != nil {
		a.Fail("key method: %v", err)
	}
	cfg := cem.DefaultConfig()
	cfg.Method = method
	cfg.Horizon = int(a.Int("horizon", cem.DefaultHorizon, 1, 1<<16))
	cfg.Samples = int(a.Int("samples", cem.DefaultSamples, 1, 1<<24))
	cfg.Iterations = int(a.Int("iters", cem.DefaultIterations, 1, 1<<16))
	cfg.Discount = a.Float("discount", 1, 0, 1)
	cfg.Seed = a.Uint("seed", c.Seed+1)
	model := cem.Simulator{Workers: int(a.Int("workers", 1, 1, 256)), Clairvoyant: a.Bool("clairvoyant", false)}
	if a.Err() != nil {
		return nil, a.Err()
	}
	return cem.New(model, cfg)
}

func init() {
	RegisterPolicy(PolicyKind{Name: "cem", Role: argmax.Direct, Privileged: true, New: cemPolicy,
		Usage: "cem[:method=cem|mppi,horizon=H,samples=N,iters=K,discount=G,seed=N,workers=W,clairvoyant=BOOL]  CEM or MPPI planning on the true simulator (a clone of the env), receding horizon"})
}
