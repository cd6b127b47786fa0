package cli

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"argmax/nn"
	"argmax/nn/gemm"
)

var benchNNCmd = &cobra.Command{
	Use:   "nn",
	Short: "Measure matrix products, MLP training and inference, conv-net and attention speed",
	Long: `nn measures the hot paths of the nn package on this machine:

  - GFLOP/s of square matrix products (64..1024) on 1 and 2 threads, with the
    share of this core's measured FMA peak;
  - the MLP 64→256→256→10: training steps/s at batch 256 (forward, backward,
    Adam), inference latency for one sample and for a batch of 32;
  - the connect-four residual net (5 blocks × 64 channels): batch-64
    inference rate, and training step time;
  - a transformer block (dim 64, 4 heads, 32 sequences of 16).

Each figure is the median of five timed segments; the share of time spent
in matrix products is measured in a separate pass.`,
	Args: cobra.NoArgs,
	RunE: runBenchNN,
}

func init() {
	benchNNCmd.Flags().Duration("duration", time.Second, "time spent on each measurement")
	benchNNCmd.Flags().Bool("quick", false, "short run: 200ms per measurement, GEMM up to 512")
	benchCmd.AddCommand(benchNNCmd)
}

// rate runs f repeatedly for about d in five segments and returns the median
// number of calls per second.
func rate(d time.Duration, f func()) float64 {
	f() // warm up: sizes the tape arenas
	f()
	seg := d / 5
	var rates []float64
	for s := 0; s < 5; s++ {
		n := 0
		start := time.Now()
		for time.Since(start) < seg || n == 0 {
			f()
			n++
		}
		rates = append(rates, float64(n)/time.Since(start).Seconds())
	}
	slices.Sort(rates)
	return rates[2]
}

// gemmShare returns the fraction of wall time f spends in matrix products.
func gemmShare(f func()) float64 {
	nn.EnableGemmTiming(true)
	defer nn.EnableGemmTiming(false)
	nn.GemmTiming(true)
	start := time.Now()
	n := 0
	for time.Since(start) < 200*time.Millisecond || n < 3 {
		f()
		n++
	}
	total := time.Since(start)
	return float64(nn.GemmTiming(true).Time) / float64(total)
}

func runBenchNN(cmd *cobra.Command, _ []string) error {
	d, _ := cmd.Flags().GetDuration("duration")
	quick, _ := cmd.Flags().GetBool("quick")
	if d <= 0 {
		return fmt.Errorf("--duration must be positive, got %v", d)
	}
	if quick {
		d = 200 * time.Millisecond
	}
	w := cmd.OutOrStdout()
	printMachine(cmd)
	peak := gemm.MeasurePeak(d / 2)
	fmt.Fprintf(w, "gemm kernel %s (available %v); measured fp32 peak %.1f GFLOP/s per core\n\n", gemm.Kernel(), gemm.Kernels(), peak)
	defer gemm.SetThreads(0)

	sizes := []int{64, 128, 256, 512, 1024}
	if quick {
		sizes = sizes[:4]
	}
	fmt.Fprintln(w, "GEMM C = A·B, square, float32")
	fmt.Fprintf(w, "  %6s  %22s  %22s\n", "size", "1 thread GFLOP/s", "2 threads GFLOP/s")
	for _, s := range sizes {
		a, b, c := make([]float32, s*s), make([]float32, s*s), make([]float32, s*s)
		for i := range a {
			a[i], b[i] = float32(i%7)-3, float32(i%5)-2
		}
		var g [2]float64
		for t := 1; t <= 2; t++ {
			gemm.SetThreads(t)
			r := rate(d, func() { gemm.Sgemm(false, false, s, s, s, 1, a, s, b, s, 0, c, s) })
			g[t-1] = r * 2 * float64(s*s*s) / 1e9
		}
		fmt.Fprintf(w, "  %6d  %9.1f (%5.1f%% peak)  %9.1f (%5.1f%% 2×peak)\n", s, g[0], 100*g[0]/peak, g[1], 50*g[1]/peak)
	}
	gemm.SetThreads(0)
	fmt.Fprintln(w)
	benchMLP(w, d)
	benchConv(w, d)
	benchAttention(w, d)
	return nil
}

func benchMLP(w io.Writer, d time.Duration) {
	const batch = 256
	rng := nn.NewRand(1)
	net := nn.NewMLP[float32](rng, "mlp", []int{64, 256, 256, 10}, nn.ReLU, nn.Identity)
	opt := nn.NewAdam(net.Params(), nn.ConstLR(1e-3))
	tp, inf := nn.NewTape[float32](nn.Train), nn.NewTape[float32](nn.Eval)
	x := make([]float32, batch*64)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	step := func() {
		tp.Reset()
		loss := tp.CrossEntropy(net.Forward(tp, tp.Const(x, batch, 64)), labels)
		tp.Backward(loss)
		opt.Step()
	}
	infer := func(n int) func() {
		return func() {
			inf.Reset()
			net.Forward(inf, inf.Const(x[:n*64], n, 64))
		}
	}
	macs := 64*256 + 256*256 + 256*10
	fmt.Fprintln(w, "MLP 64→256→256→10")
	r := rate(d, step)
	flops := float64(3 * 2 * macs * batch)
	fmt.Fprintf(w, "  train step, batch 256:   %7.0f steps/s  (%.2f ms/step, %.1f GFLOP/s effective, %.0f%% of time in gemm)\n",
		r, 1e3/r, r*flops/1e9, 100*gemmShare(step))
	for _, n := range []int{1, 32} {
		f := infer(n)
		r := rate(d, f)
		fmt.Fprintf(w, "  inference, batch %-3d     %7.1f µs/pass  (%.1f GFLOP/s, %.0f%% of time in gemm)\n",
			n, 1e6/r, r*float64(2*macs*n)/1e9, 100*gemmShare(f))
	}
	fmt.Fprintln(w)
}

func benchConv(w io.Writer, d time.Duration) {
	const batch = 64
	rng := nn.NewRand(1)
	net := nn.NewPolicyValueNet[float32](rng, "c4", nn.Connect4Config)
	x := make([]float32, batch*2*6*7)
	for i := range x {
		if rng.IntN(3) == 0 {
			x[i] = 1
		}
	}
	inf, tp := nn.NewTape[float32](nn.Eval), nn.NewTape[float32](nn.Train)
	opt := nn.NewAdam(net.Params(), nn.ConstLR(1e-3))
	labels, z := make([]int, batch), make([]float32, batch)
	infer := func() {
		inf.Reset()
		net.Forward(inf, inf.Const(x, batch, 2, 6, 7))
	}
	step := func() {
		tp.Reset()
		p, v := net.Forward(tp, tp.Const(x, batch, 2, 6, 7))
		tp.Backward(tp.Add(tp.CrossEntropy(p, labels), tp.MSE(v, tp.Const(z, batch, 1))))
		opt.Step()
	}
	// 11 3×3 convolutions of 64 channels over 42 cells dominate the count.
	convMACs := float64(42 * 64 * 9 * (2 + 10*64))
	fmt.Fprintf(w, "connect-four residual net (%d blocks × %d channels, %d parameters)\n", nn.Connect4Config.Blocks, nn.Connect4Config.Channels, nn.CountParams[float32](net))
	r := rate(d, infer)
	fmt.Fprintf(w, "  inference, batch 64:     %7.0f positions/s  (%.2f ms/batch, %.1f GFLOP/s, %.0f%% of time in gemm)\n",
		64*r, 1e3/r, r*2*convMACs*batch/1e9, 100*gemmShare(infer))
	r = rate(d, step)
	fmt.Fprintf(w, "  train step, batch 64:    %7.1f steps/s  (%.1f ms/step, %.0f%% of time in gemm)\n\n", r, 1e3/r, 100*gemmShare(step))
}

func benchAttention(w io.Writer, d time.Duration) {
	rng := nn.NewRand(1)
	blk := nn.NewTransformerBlock[float32](rng, "blk", 64, 4, 256, true, false)
	x := make([]float32, 32*16*64)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	inf := nn.NewTape[float32](nn.Eval)
	f := func() {
		inf.Reset()
		blk.Forward(inf, inf.Const(x, 32, 16, 64))
	}
	fmt.Fprintln(w, "transformer block (dim 64, 4 heads, causal, 32 sequences × 16)")
	r := rate(d, f)
	fmt.Fprintf(w, "  inference:               %7.0f µs/pass  (%.0f tokens/s, %.0f%% of time in gemm)\n", 1e6/r, r*32*16, 100*gemmShare(f))
}
