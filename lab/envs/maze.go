package envs

import (
	"context"
	"fmt"

	"argmax"
	"argmax/direct/valueiter"
	"argmax/env"
	"argmax/env/maze"
	"argmax/lab/kv"
)

// The gridworlds of env/maze (the red-door experiment) and the planner that
// solves each of their levels outright.

// MazeOf returns the maze in e's wrapper stack, if there is one.
func MazeOf(e env.Env) (*maze.Maze, bool) { return mazeOf(e) }

// mazeOf returns the maze in e's wrapper stack.
func mazeOf(e env.Env) (*maze.Maze, bool) { return env.Find[*maze.Maze](e) }

// mazePlanner is the mazeplan kind: at every new level, value iteration on
// the level's model under its reward objective, then the greedy action of
// the agent's state.
type mazePlanner struct {
	// plan solves a level: the maze's own model for a reward objective
	// (mazeplan), or a learned objective (mesa).
	plan func(m *maze.Maze) (*valueiter.Solution, error)
	// The level solved: the maze and its level's seed (the same maze and
	// seed, the same level).
	m      *maze.Maze
	seed   uint64
	greedy []int
	action [1]float64
}

var (
	_ env.Policy   = (*mazePlanner)(nil)
	_ env.Resetter = (*mazePlanner)(nil)
)

// Reset forgets the level solved.
func (p *mazePlanner) Reset() { p.m = nil }

// Decide solves the situation's level if it is not the one solved (its
// cost, sweeps as Iterations and backups as Steps, is that decision's),
// and returns the greedy action of the agent's state.
func (p *mazePlanner) Decide(ctx context.Context, s env.Situation, _ argmax.Budget) ([]float64, argmax.Cost, error) {
	if err := ctx.Err(); err != nil {
		return nil, argmax.Cost{}, err
	}
	m, ok := mazeOf(s.Env)
	if !ok {
		return nil, argmax.Cost{}, fmt.Errorf("mazeplan needs a maze env; %s is none", s.Env.Name())
	}
	var cost argmax.Cost
	if m != p.m || m.Seed() != p.seed {
		sol, err := p.plan(m)
		if err != nil {
			return nil, cost, err
		}
		p.m, p.seed, p.greedy = m, m.Seed(), sol.Greedy()
		cost = sol.Cost
		cost.Elapsed = 0 // measured around the decision
	}
	p.action[0] = float64(p.greedy[m.State()])
	return p.action[:], cost, nil
}

func mazePlanPolicy(c Context, a *kv.Args) (env.Policy, error) {
	reward := a.String("reward", "")
	gamma := a.Float("gamma", 0.99, 0, 1)
	if reward != "" && reward != maze.RewardDoor && reward != maze.RewardRed && reward != maze.RewardGem && reward != maze.RewardValue {
		a.Fail("key reward=%q: want door, red, gem or value", reward)
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if _, ok := mazeOf(c.Env); !ok {
		return nil, fmt.Errorf("mazeplan needs a maze env; %s is none", c.Env.Name())
	}
	return &mazePlanner{plan: func(m *maze.Maze) (*valueiter.Solution, error) {
		model, err := m.Model(reward)
		if err != nil {
			return nil, err
		}
		t, err := valueiter.NewTable(model)
		if err != nil {
			return nil, err
		}
		return valueiter.ValueIteration(t, valueiter.Config{Gamma: gamma})
	}}, nil
}

func init() {
	Register(Kind{Name: "maze", Usage: "maze[:dist=train|test|diverse|corner-train|corner-test|collect,p=P,items=N,size=N,distractors=N,walls=D,obs=global|ego,radius=R,reward=door|red|gem|value,step_cost=C,max_steps=N]  gridworld levels with coloured doors, keys, gems and blocks, a new level per seed, hidden performance = reached the door (the gem in corner-*; the largest of N valued items in collect) (dist=diverse: a test-kind level with probability p)",
		New: func(a *kv.Args) (env.Env, error) {
			cfg := maze.Config{Dist: a.String("dist", maze.DistTrain), P: a.Float("p", 0, 0, 1),
				Size:        int(a.Int("size", maze.DefaultSize, maze.MinSize, maze.MaxSize)),
				Distractors: int(a.Int("distractors", maze.DefaultDistractors, 0, maze.MaxSize)),
				Walls:       a.Float("walls", maze.DefaultWalls, 0, maze.MaxWalls),
				Obs:         a.String("obs", maze.ObsGlobal), Reward: a.String("reward", ""),
				StepCost: a.Float("step_cost", 0, 0, 1e6), MaxSteps: int(a.Int("max_steps", 0, 1, 1<<24))}
			if _, given := a.Lookup("items"); given || cfg.Dist == maze.DistCollect {
				cfg.Items = int(a.Int("items", maze.DefaultItems, 2, maze.MaxItems))
			}
			if _, given := a.Lookup("radius"); given || cfg.Obs == maze.ObsEgo {
				cfg.Radius = int(a.Int("radius", maze.DefaultRadius, 1, maze.MaxSize))
			}
			if cfg.Distractors == 0 {
				cfg.Distractors = maze.NoDistractors
			}
			if cfg.Walls == 0 {
				cfg.Walls = maze.NoWalls
			}
			if a.Err() != nil {
				return nil, a.Err()
			}
			return maze.New(cfg)
		}})
	RegisterPolicy(PolicyKind{Name: "mazeplan", Role: argmax.Direct, Privileged: true, New: mazePlanPolicy,
		Usage: "mazeplan[:reward=door|red|gem|value,gamma=G]  value iteration on each maze level's true model for a reward objective (default the env's own), then greedy: reward=door is the true-objective planner, reward=red the wrong-reward one"})
}
