package icl_test

import (
	"fmt"

	"argmax/probe/icl"
	"argmax/task"
	"argmax/task/linreg"
)

// Train one linear self-attention layer on in-context regression prompts
// and ask which algorithm it runs: the nearest reference is one step of
// gradient descent with the tuned step size, not least squares.
func Example() {
	cfg := icl.LSAConfig{Config: icl.Config{
		Task:  linreg.Config{D: 10, N: 20},
		Steps: 300, Batch: 64, LR: 0.02, Seed: 1,
	}}
	m, curve, err := icl.TrainLSA(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	tk, _ := linreg.New(cfg.Task)
	refs, _ := icl.References(tk, tk.Prompts(task.Train, 99, 0, 1000), 1)
	rep := icl.Compare(m, refs, tk.Prompts(task.HeldOut, 5, 0, 1000))
	gd, _ := rep.Row("gd1")
	fmt.Printf("training loss %.1f → %.1f\n", curve[0], curve[len(curve)-1])
	fmt.Printf("behaves like %s: prediction cosine %.2f, query loss %.2f vs %.2f\n",
		rep.Nearest, gd.PredCos, rep.Loss, gd.Loss)
	// Output:
	// training loss 6.1 → 2.7
	// behaves like gd1: prediction cosine 0.99, query loss 3.98 vs 3.92
}
