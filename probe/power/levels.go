package power

import (
	"fmt"
	"math"

	"argmax/direct/valueiter"
)

// Observed is one MDP an agent was observed on, with the utility's state
// rewards there and the agent's episodes on it: a level of a procedurally
// generated task, where every episode meets a new MDP.
type Observed struct {
	Table    *valueiter.Table
	Reward   []float64
	Episodes []Episode
}

// MEGLevels is MEG over several MDPs at once — one utility, described on
// each level by its own state rewards, and one rationality β shared by all
// of them: the agent is modelled as the same soft-optimizer of the utility
// wherever it is. The rewards of every level are divided by the largest
// |reward| over all levels (so MEGLevels of one level is MEG). The
// bootstrap resamples episodes across levels.
func MEGLevels(levels []Observed, cfg MEGConfig) (*Directedness, error) {
	if len(levels) == 0 {
		return nil, fmt.Errorf("power: MEGLevels: no levels")
	}
	var scale float64
	for _, l := range levels {
		for _, r := range l.Reward {
			scale = max(scale, math.Abs(r))
		}
	}
	models := make([]*model, len(levels))
	p := problem{scale: scale}
	var owner []int // the level of each episode
	var total int
	for i, l := range levels {
		m, c, err := newModel("MEGLevels", l.Table, l.Reward, cfg)
		if err != nil {
			return nil, fmt.Errorf("level %d: %w", i, err)
		}
		cfg = c
		if scale > 0 {
			for s, r := range l.Reward {
				m.r[s] = r / scale
			}
		}
		m.scale = scale
		models[i] = m
		nS, nA := l.Table.NumStates(), l.Table.NumActions()
		for e, ep := range l.Episodes {
			if h := cfg.Solve.Horizon; h > 0 && len(ep) > h {
				return nil, fmt.Errorf("power: MEGLevels: level %d, episode %d has %d steps, more than Solve.Horizon = %d", i, e, len(ep), h)
			}
			for k, st := range ep {
				if st.State < 0 || st.State >= nS || st.Action < 0 || st.Action >= nA {
					return nil, fmt.Errorf("power: MEGLevels: level %d, episode %d, step %d: state %d, action %d out of %d × %d", i, e, k, st.State, st.Action, nS, nA)
				}
			}
			p.decisions = append(p.decisions, float64(len(ep)))
			p.uniform = append(p.uniform, float64(len(ep))*math.Log2(float64(nA)))
			owner = append(owner, i)
			total += len(ep)
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("power: MEGLevels: no decisions")
	}
	p.episodes = len(owner)
	h := cfg.Solve.Horizon
	p.gains = func(b float64) ([]float64, error) {
		g := make([]float64, 0, len(owner))
		for i, l := range levels {
			if len(l.Episodes) == 0 {
				continue
			}
			logp, err := models[i].logPolicies(b)
			if err != nil {
				return nil, err
			}
			nA := l.Table.NumActions()
			for _, ep := range l.Episodes {
				var x float64
				for k, st := range ep {
					j := 0
					if h > 0 {
						j = h - 1 - k
					}
					x += logp[j][st.State*nA+st.Action] + math.Log2(float64(nA))
				}
				g = append(g, x)
			}
		}
		return g, nil
	}
	return cfg.fit(p)
}
