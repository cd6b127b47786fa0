package eval

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"argmax"
	"argmax/env"
	"argmax/lab/stats"
)

// EnvFactory makes one env; each worker of Episodes gets its own.
type EnvFactory func() (env.Env, error)

// PolicyFactory makes the policy that plays episode i, started from seed
// (a policy is made fresh for every episode, so that what it draws does not
// depend on the episodes a worker played before: a planner takes its seed
// from the episode seed, a trained policy is a cheap clone).
type PolicyFactory func(i int, seed uint64) (env.Policy, error)

// EpisodeOptions are the options of Episodes. The zero value is one worker,
// no traces.
type EpisodeOptions struct {
	Workers int  // episodes played at once; 0 means 1
	Trace   bool // keep every episode's observations and actions
	// Ended, if not nil, is called with each episode's index and its env
	// as the episode ended, for what only the env can tell (the object a
	// maze agent reached). Calls for different episodes may run at once.
	Ended func(i int, e env.Env)
}

// Trace is one episode's path: the observation before each decision and
// the action taken (copies).
type Trace struct {
	Obs, Actions [][]float64
}

// EpisodesResult is a policy's record over a set of episodes.
type EpisodesResult struct {
	Seeds        []uint64  // the episodes' seeds, in order
	Returns      []float64 // each episode's return, in seed order
	Performances []float64 // each episode's hidden performance
	Lengths      []int     // decisions per episode
	Truncated    int       // episodes ended by a limit
	// Return and Performance are the means over episodes with 95%
	// t-intervals.
	Return, Performance stats.Interval
	// Spend holds the decisions' costs: Times each decision's wall time,
	// episode after episode.
	Spend
	// Traces holds each episode's path when EpisodeOptions.Trace is set.
	Traces []Trace
}

// Episodes plays one episode of a fresh env per seed with the policy pol
// makes for it, every decision within b through argmax.Measure, and
// reports the returns, the hidden performance (which agents never see) and
// the cost per decision. Results are in seed order and, for policies whose
// answers are a function of their seed, the situation and the budget, the
// same at any worker count; wall times are not (†).
func Episodes(ctx context.Context, mkEnv EnvFactory, pol PolicyFactory, seeds []uint64, b argmax.Budget, o EpisodeOptions) (EpisodesResult, error) {
	if len(seeds) == 0 {
		return EpisodesResult{}, errors.New("eval: episodes: no seeds")
	}
	n := len(seeds)
	res := EpisodesResult{Seeds: slices.Clone(seeds), Returns: make([]float64, n), Performances: make([]float64, n), Lengths: make([]int, n)}
	costs := make([][]argmax.Cost, n)
	truncated := make([]bool, n)
	if o.Trace {
		res.Traces = make([]Trace, n)
	}
	err := forEach(ctx, n, max(1, o.Workers), func() (func(context.Context, int) error, error) {
		e, err := mkEnv()
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, i int) error {
			p, err := pol(i, seeds[i])
			if err != nil {
				return fmt.Errorf("eval: episode %d (seed %d): %w", i, seeds[i], err)
			}
			var tr *Trace
			if o.Trace {
				tr = &res.Traces[i]
			}
			ep, cs, err := playEpisode(ctx, e, p, seeds[i], b, tr)
			if err != nil {
				return fmt.Errorf("eval: episode %d (seed %d): %w", i, seeds[i], err)
			}
			res.Returns[i], res.Performances[i], res.Lengths[i], truncated[i] = ep.Return, ep.Performance, ep.Steps, ep.Truncated
			costs[i] = cs
			if o.Ended != nil {
				o.Ended(i, e)
			}
			return nil
		}, nil
	})
	if err != nil {
		return EpisodesResult{}, err
	}
	var all []argmax.Cost
	for i := range n {
		all = append(all, costs[i]...)
		if truncated[i] {
			res.Truncated++
		}
	}
	res.Spend = newSpend(all)
	res.Return = stats.MeanCI(res.Returns, Level)
	res.Performance = stats.MeanCI(res.Performances, Level)
	return res, nil
}

// playEpisode plays one episode with env.RolloutVisit, keeping each
// decision's cost and, when tr is not nil, the path.
func playEpisode(ctx context.Context, e env.Env, p env.Policy, seed uint64, b argmax.Budget, tr *Trace) (env.Episode, []argmax.Cost, error) {
	var costs []argmax.Cost
	ep, err := env.RolloutVisit(ctx, e, p, seed, b, func(obs, action []float64, c argmax.Cost) {
		costs = append(costs, c)
		if tr != nil {
			tr.Obs = append(tr.Obs, slices.Clone(obs))
			tr.Actions = append(tr.Actions, slices.Clone(action))
		}
	})
	return ep, costs, err
}
