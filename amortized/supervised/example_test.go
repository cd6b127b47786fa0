package supervised_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// Fit a tiny net to labelled connect-four positions, ask it for a move and
// for search priors, and round-trip it through a checkpoint. (Real runs
// label tens of thousands of positions with the exact solver; see the
// package benchmarks.)
func Example() {
	var examples []supervised.Example
	for _, p := range calibration.Of(calibration.End) {
		s, _ := connect4.Parse(p.Moves)
		examples = append(examples, supervised.Example{State: s, Scores: p.Scores[:]})
	}
	cfg := supervised.DefaultConfig
	cfg.Net = supervised.Tiny
	cfg.Steps, cfg.Batch, cfg.EvalEvery = 100, 64, 50
	policy, err := supervised.Train(context.Background(), connect4.Game{}, examples, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}

	s, _ := connect4.Parse("4453")
	move, cost, _ := policy.Decide(context.Background(), s, argmax.Budget{})
	fmt.Println("legal move:", s.IsLegal(move), "forward passes:", cost.ForwardPasses, "FLOPs counted:", cost.FLOPs > 0)

	priors, values := make([]float32, 2*7), make([]float32, 2)
	cost = policy.Evaluate([]game.State{s, connect4.New()}, priors, values)
	fmt.Println("batch of 2:", cost.ForwardPasses, "forward passes, values in [-1, 1]:", values[0] >= -1 && values[0] <= 1)
	fmt.Println("gradient steps:", policy.TrainingCost().Iterations)

	dir, _ := os.MkdirTemp("", "supervised")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "net.safetensors")
	if err := policy.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := supervised.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _, _ := loaded.Decide(context.Background(), s, argmax.Budget{})
	fmt.Println("loaded:", loaded.Encoding().Game, loaded.Config().Net, "same move:", again == move)
	// Output:
	// legal move: true forward passes: 1 FLOPs counted: true
	// batch of 2: 2 forward passes, values in [-1, 1]: true
	// gradient steps: 100
	// loaded: connect4 {1 16 32} same move: true
}
