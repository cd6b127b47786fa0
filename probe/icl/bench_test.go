package icl

import (
	"testing"
	"time"

	"argmax/task"
	"argmax/task/linreg"
)

// BenchmarkLSAForward is one LSA forward pass on a prompt with d = 10,
// n = 20 (ns per prompt), beside one tuned GD step on the same prompt as
// the baseline ratio.
func BenchmarkLSAForward(b *testing.B) {
	tk := mustTask(b, linreg.Config{D: 10, N: 20})
	ps := tk.Prompts(task.HeldOut, 1, 0, 64)
	m, _ := NewLSA(10, 1, 0.1, 1)
	tok := make([][]float64, len(ps))
	for i := range ps {
		tok[i] = ps[i].Tokens(nil)
	}
	start := time.Now()
	for i := range ps {
		linreg.GD(&ps[i], 1, 0.6)
	}
	gd := time.Since(start).Seconds() / float64(len(ps))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.forward(tok[i%len(tok)], 21)
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/gd, "×gd1")
}

// BenchmarkLSATrainStep is one Adam step of the acceptance training
// (batch 128, d = 10, n = 20, prompts drawn in the step).
func BenchmarkLSATrainStep(b *testing.B) {
	benchTrain(b, LSAConfig{Config: acceptLSA.Config})
}

// BenchmarkScratchpadTrainStep is one step of a 2-pass LSA.
func BenchmarkScratchpadTrainStep(b *testing.B) {
	benchTrain(b, LSAConfig{Config: acceptLSA.Config, Passes: 2})
}

func benchTrain(b *testing.B, c LSAConfig) {
	c.Steps = 1
	tk := mustTask(b, c.Task)
	m, _ := NewLSA(10, max(c.Passes, 1), 0.1, 1)
	for i := 0; b.Loop(); i++ {
		m.lossGrad(c.batch(tk, i))
		for _, p := range m.Params() {
			clear(p.Grad)
		}
	}
}

// BenchmarkTransformerTrainStep is building and one Adam step of the 2-block
// transformer (width 32, batch 64, d = 10, n = 20).
func BenchmarkTransformerTrainStep(b *testing.B) {
	c := TransformerConfig{Config: Config{Task: linreg.Config{D: 10, N: 20}, Batch: 64, LR: 1e-3, Seed: 1}}
	for b.Loop() {
		c.Steps = 1
		if _, _, err := TrainTransformer(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcceptLSA runs the acceptance training at the larger setting
// (1500 steps of 256 prompts) and reports the figures against one tuned
// GD step on 2000 held-out prompts.
func BenchmarkAcceptLSA(b *testing.B) {
	c := acceptLSA
	c.Steps, c.Batch, c.LR = 1500, 256, 0.01
	for b.Loop() {
		m, _, err := TrainLSA(c)
		if err != nil {
			b.Fatal(err)
		}
		tk := mustTask(b, c.Task)
		refs, _ := References(tk, tk.Prompts(task.Train, 99, 0, 1000), 1)
		rep := Compare(m, refs, tk.Prompts(task.HeldOut, 5, 0, 2000))
		gd, _ := rep.Row("gd1")
		b.ReportMetric(rep.Loss/gd.Loss, "loss/gd1")
		b.ReportMetric(gd.PredCos, "predcos")
		b.ReportMetric(gd.SensCos, "senscos")
	}
}

// BenchmarkScratchpad trains T-pass LSAs end to end and logs their
// comparison with T tuned GD steps.
func BenchmarkScratchpad(b *testing.B) {
	tc := linreg.Config{D: 10, N: 20}
	tk := mustTask(b, tc)
	refs, _ := References(tk, tk.Prompts(task.Train, 99, 0, 500), 4)
	ev := tk.Prompts(task.HeldOut, 5, 0, 1000)
	for b.Loop() {
		for _, T := range []int{1, 2, 3} {
			m, _, err := TrainLSA(LSAConfig{Config: Config{Task: tc, Steps: 1500, Batch: 128, LR: 0.01 / float64(T*T), Seed: 1}, Passes: T, InitStd: 0.05})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("T = %d\n%s", T, Compare(m, refs, ev))
		}
	}
}

// BenchmarkDiversity runs the task-diversity sweep (d = 5, n = 10,
// σ = 0.5, M = 1 … 2^10 and ∞) with a 2-block transformer and logs the
// figures.
func BenchmarkDiversity(b *testing.B) {
	cfg := DiversityConfig{
		Model: TransformerConfig{Config: Config{Task: linreg.Config{D: 5, N: 10, Noise: 0.5, PoolSeed: 7},
			Steps: 2000, Batch: 64, LR: 2e-3, Seed: 1}},
		Tasks: []int{1, 4, 16, 64, 1024, 0},
		Eval:  500, EvalSeed: 77,
	}
	for b.Loop() {
		pts, err := Diversity(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range pts {
			b.Logf("M=%-5d train %.3f | fresh: →dMMSE %.3f →ridge %.3f loss %.3f | pool: →dMMSE %.3f →ridge %.3f loss %.3f",
				p.Tasks, p.FinalLoss, p.FreshDMMSE, p.FreshRidge, p.FreshLoss, p.PoolDMMSE, p.PoolRidge, p.PoolLoss)
		}
	}
}
