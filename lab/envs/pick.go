package envs

import (
	"argmax/env"
	"argmax/env/pick"
	"argmax/lab/kv"
)

func init() {
	Register(Kind{Name: "pick", Usage: "pick[:items=N,levels=N]  pick the largest of N items shown as the observation, in one decision (the search in the map; values in N evenly spaced levels of [0, 1])",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := pick.Config{Items: int(a.Int("items", 5, 1, 64)), Levels: int(a.Int("levels", 10, 2, 1<<20))}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return pick.New(cfg)
		}})
}
