package envs

import (
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
	return &valueiter.EpisodePlanner{Gamma: gamma, Model: func(e env.Env) (valueiter.MDP, error) {
		m, ok := mazeOf(e)
		if !ok {
			return nil, fmt.Errorf("mazeplan needs a maze env; %s is none", e.Name())
		}
		return m.Model(reward) // value iteration on the level's true model for the objective
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
