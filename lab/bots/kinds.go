package bots

import (
	"context"
	"math"
	"time"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

func init() {
	RegisterGame(connect4.Game{})
	RegisterGame(tictactoe.Game{})
	RegisterKind(Kind{Name: "random", Role: argmax.Baseline, New: newRandom, Suite: []string{"random"},
		Usage: "random[:seed=N]  a uniformly random legal move (a function of seed and position)"})
	RegisterKind(Kind{Name: "mcts", Role: argmax.Direct, New: newMCTS, Suite: []string{"mcts"}, Axis: "sims",
		Usage: "mcts[:sims=N,time=D,nodes=N,seed=N,threads=N,select=uct|puct,c=X,fpu=X,rollouts=N,batch=N," +
			"solver=BOOL,reuse=BOOL,alpha=X,noise=X,temp=X,maxnodes=N,stoplead=X,stopmin=N,step_cost=D]  Monte Carlo tree search with random rollouts " +
			"(default sims=1000, solver on, reuse off; stoplead: stop once the best move leads by that share of the visits; step_cost: every move of the model costs D more)"})
}

func newRandom(_ game.Game, a *Args) (game.Decider, error) {
	return &Random{Seed: a.Seed()}, nil
}

// newMCTS reads the mcts keys into an mcts.Config; sims, time and nodes set
// the budget used when the caller gives none.
func newMCTS(_ game.Game, a *Args) (game.Decider, error) {
	cfg := mcts.DefaultConfig()
	cfg.Budget = argmax.Budget{
		Simulations: a.Int("sims", 0, 1, math.MaxInt64),
		Time:        a.Duration("time", 0),
		Nodes:       a.Int("nodes", 0, 1, math.MaxInt64),
	}
	cfg.Seed = a.Seed()
	cfg.Threads = int(a.Int("threads", 1, 1, 1024))
	if sel := a.String("select", "uct"); a.Err() == nil {
		s, err := mcts.ParseSelection(sel)
		if err != nil {
			a.Fail("key select: %v", err)
		}
		cfg.Selection = s
	}
	cfg.C = a.Float("c", 0, 0, 1e6)
	cfg.FPU = a.Float("fpu", 0, -1, 1)
	cfg.Evaluator = &mcts.Rollouts{N: int(a.Int("rollouts", 1, 1, 1<<20))}
	cfg.Batch = int(a.Int("batch", 1, 1, 1<<16))
	cfg.Solver = a.Bool("solver", true)
	cfg.Reuse = a.Bool("reuse", false)
	cfg.NoiseAlpha = a.Float("alpha", 0, 0, 1e6)
	cfg.NoiseFraction = a.Float("noise", 0, 0, 1)
	if cfg.NoiseFraction > 0 && cfg.NoiseAlpha == 0 {
		cfg.NoiseAlpha = 0.3
	}
	cfg.Temperature = a.Float("temp", 0, 0, 1e6)
	cfg.MaxNodes = int(a.Int("maxnodes", 0, 1, math.MaxInt32))
	cfg.StopLead = a.Float("stoplead", 0, 0, 1)
	cfg.StopMin = a.Int("stopmin", 0, 1, math.MaxInt64)
	stepCost := a.Duration("step_cost", 0)
	if a.Err() != nil {
		return nil, a.Err()
	}
	if cfg.NoiseAlpha > 0 && cfg.NoiseFraction == 0 {
		a.Fail("alpha=%v without noise=FRACTION", cfg.NoiseAlpha)
		return nil, a.Err()
	}
	s, err := mcts.New(cfg)
	if err != nil {
		return nil, err
	}
	return withStepCost(s, stepCost), nil
}

// withStepCost makes d plan on a costly model: every move played in its
// search costs step more time (game.WithStepCost), the knob that makes
// simulation expensive. A zero step leaves d as it is.
func withStepCost(d game.Decider, step time.Duration) game.Decider {
	if step <= 0 {
		return d
	}
	return costly{d, step}
}

// costly is a decider searching a costly model of the position.
type costly struct {
	game.Decider
	step time.Duration
}

func (c costly) Decide(ctx context.Context, s game.State, b argmax.Budget) (game.Action, argmax.Cost, error) {
	return c.Decider.Decide(ctx, game.WithStepCost(s, c.step), b)
}
