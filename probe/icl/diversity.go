package icl

import (
	"fmt"
	"math"

	"argmax/task"
	"argmax/task/linreg"
)

// DiversityConfig configures Diversity.
type DiversityConfig struct {
	// Model is the transformer and its training; Model.Task.Tasks is
	// replaced by each entry of Tasks.
	Model TransformerConfig
	// Tasks is the sweep of training-task counts M; 0 stands for ∞ (a
	// fresh w per prompt).
	Tasks []int
	// Eval is the number of evaluation prompts per distribution (0: 500).
	Eval int
	// EvalSeed draws the evaluation prompts (disjoint from training when
	// it differs from Model.Seed).
	EvalSeed uint64
}

// DiversityPoint is the figure of one M: the trained transformer's
// prediction distance to dMMSE and to ridge, and its query loss, on
// prompts with fresh w (HeldOut) and on prompts with w from the training
// pool (new inputs, Train split with EvalSeed). At M = ∞ there is no pool:
// the dMMSE distances are NaN and the pool figures repeat the fresh ones.
// FreshRefined is the query loss on the fresh prompts of the hybrid that
// refines the transformer's answer by one tuned GD step (RefinedLoss, its
// step size tuned on prompts of the training distribution).
type DiversityPoint struct {
	Tasks                  int     // M; 0 for ∞
	FinalLoss              float64 // mean training loss of the last tenth of the steps
	FreshDMMSE, FreshRidge float64
	FreshLoss              float64
	PoolDMMSE, PoolRidge   float64
	PoolLoss               float64
	FreshRefined           float64
}

// Diversity trains one transformer per M of cfg.Tasks (Raventós et al.
// 2023) and measures which estimator it tracks: with few tasks dMMSE
// (the model has memorized the pool and looks its vectors up), with many
// ridge (it regresses in context and generalizes to fresh w).
func Diversity(cfg DiversityConfig) ([]DiversityPoint, error) {
	if len(cfg.Tasks) == 0 {
		return nil, fmt.Errorf("icl: DiversityConfig.Tasks is empty")
	}
	if cfg.Eval < 0 {
		return nil, fmt.Errorf("icl: DiversityConfig.Eval = %d: want ≥ 0 (0: 500)", cfg.Eval)
	}
	eval := cfg.Eval
	if eval == 0 {
		eval = 500
	}
	var out []DiversityPoint
	for _, M := range cfg.Tasks {
		if M < 0 {
			return nil, fmt.Errorf("icl: DiversityConfig.Tasks holds %d: want ≥ 0 (0 = ∞)", M)
		}
		mc := cfg.Model
		mc.Task.Tasks = M
		m, curve, err := TrainTransformer(mc)
		if err != nil {
			return nil, err
		}
		tk, err := linreg.New(mc.Task)
		if err != nil {
			return nil, err
		}
		sigma := tk.Config().Noise
		ridge := Reference{"ridge", func(p *linreg.Prompt) []float64 { return linreg.Ridge(p, sigma*sigma) }}
		pt := DiversityPoint{Tasks: M, FinalLoss: tailMean(curve)}
		fresh := tk.Prompts(task.HeldOut, cfg.EvalSeed, 0, eval)
		pool := tk.Prompts(task.Train, cfg.EvalSeed, 0, eval)
		pt.FreshRidge, pt.FreshLoss = PredDist(m, ridge, fresh), QueryLoss(m, fresh)
		pt.PoolRidge, pt.PoolLoss = PredDist(m, ridge, pool), QueryLoss(m, pool)
		pt.FreshRefined = RefinedLoss(m, tk.Prompts(task.Train, cfg.EvalSeed, eval, eval), fresh)
		pt.FreshDMMSE, pt.PoolDMMSE = math.NaN(), math.NaN()
		if tk.Pool() != nil {
			dm := DMMSEReference(tk.Pool(), sigma)
			pt.FreshDMMSE, pt.PoolDMMSE = PredDist(m, dm, fresh), PredDist(m, dm, pool)
		}
		out = append(out, pt)
	}
	return out, nil
}

// tailMean is the mean of the last tenth of a loss curve.
func tailMean(c []float64) float64 {
	k := max(len(c)/10, 1)
	var s float64
	for _, v := range c[len(c)-k:] {
		s += v
	}
	return s / float64(k)
}
