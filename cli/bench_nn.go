package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax/lab/bots"
	"argmax/nn"
	"argmax/nn/gemm"
)

var benchNNCmd = &cobra.Command{
	Use:   "nn",
	Short: "Measure matrix products, MLP training and inference, conv-net and attention speed",
	Long: `nn measures the hot paths of the nn package on this machine:

  - gemm: GFLOP/s of square matrix products (64..1024) on 1 and 2 threads,
    with the share of this core's measured FMA peak;
  - mlp: the MLP 64→256→256→10: training steps/s at batch 256 (forward,
    backward, Adam), inference latency for one sample and for a batch of 32;
  - conv: the connect-four residual net (5 blocks × 64 channels, input 2
    planes of 6×7): inference in positions/s at batch 1, 8 and 64, and
    training steps/s (forward, backward, Adam) at batch 64 and 256, each on 1
    and 2 threads;
  - attention: a transformer block (dim 64, 4 heads, 32 sequences of 16).

Each figure is the median of five timed segments; the share of time spent
in matrix products is measured in a separate pass. "Threads" are the
goroutines nn and its products split their work over (gemm.SetThreads).
--only picks sections.

--peer runs a peer implementation of the conv figures in the same run and
prints the ratio argmax/peer of each figure: the command is given the
arguments "--only conv --json" and must print, per thread count, a JSON
line {"threads": T, "figures": {NAME: {"value": V}}} with the names of
scripts/peers/torch_nn.py, which is such a peer for PyTorch:

  argmax bench nn --only conv --peer '/usr/bin/python3 scripts/peers/torch_nn.py'

With --rounds N the peer and the argmax figures run N times, alternating,
and each figure is the median over the rounds, so that a machine whose load
changes during the run affects both sides alike.`,
	Args: cobra.NoArgs,
	RunE: runBenchNN,
}

func init() {
	benchNNCmd.Flags().Duration("duration", time.Second, "time spent on each measurement")
	benchNNCmd.Flags().Bool("quick", false, "short run: 200ms per measurement, GEMM up to 512")
	benchNNCmd.Flags().String("only", "gemm,mlp,conv,attention", "sections to run, comma-separated: gemm, mlp, conv, attention")
	benchNNCmd.Flags().String("peer", "", "command line of a peer benchmark of the conv figures (see above), e.g. '/usr/bin/python3 scripts/peers/torch_nn.py'")
	benchNNCmd.Flags().Int("rounds", 1, "with --peer: rounds of argmax and peer measurements, alternating (figures are medians over rounds)")
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

var nnSections = []string{"gemm", "mlp", "conv", "attention"}

func runBenchNN(cmd *cobra.Command, _ []string) error {
	d, _ := cmd.Flags().GetDuration("duration")
	quick, _ := cmd.Flags().GetBool("quick")
	only, _ := cmd.Flags().GetString("only")
	peer, _ := cmd.Flags().GetString("peer")
	rounds, _ := cmd.Flags().GetInt("rounds")
	if d <= 0 {
		return fmt.Errorf("--duration must be positive, got %v", d)
	}
	if rounds < 1 {
		return fmt.Errorf("--rounds must be at least 1, got %d", rounds)
	}
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		s = strings.TrimSpace(s)
		if !slices.Contains(nnSections, s) {
			return fmt.Errorf("--only: unknown section %q (want %s)", s, strings.Join(nnSections, ", "))
		}
		want[s] = true
	}
	var peerArgs []string
	if peer != "" {
		var err error
		if peerArgs, err = bots.SplitCommand(peer); err != nil {
			return fmt.Errorf("--peer: %v", err)
		}
		if !want["conv"] {
			return fmt.Errorf("--peer compares the conv figures: add conv to --only")
		}
	}
	if quick {
		d = 200 * time.Millisecond
	}
	w := cmd.OutOrStdout()
	printMachine(cmd)
	defer gemm.SetThreads(0)
	if want["gemm"] {
		benchGemm(w, d, quick)
	}
	if want["mlp"] {
		benchMLP(w, d)
	}
	if want["conv"] {
		if err := benchConv(cmd.Context(), w, d, peerArgs, rounds); err != nil {
			return err
		}
	}
	if want["attention"] {
		benchAttention(w, d)
	}
	return nil
}

func benchGemm(w io.Writer, d time.Duration, quick bool) {
	peak := gemm.MeasurePeak(d / 2)
	fmt.Fprintf(w, "gemm kernel %s (available %v); measured fp32 peak %.1f GFLOP/s per core\n\n", gemm.Kernel(), gemm.Kernels(), peak)
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

// convFigure is one figure of the conv section: its name (shared with the
// peer scripts), batch and whether it is a training step.
type convFigure struct {
	name  string
	batch int
	train bool
}

var convFigures = []convFigure{
	{"conv inference batch 1 positions/s", 1, false},
	{"conv inference batch 8 positions/s", 8, false},
	{"conv inference batch 64 positions/s", 64, false},
	{"conv train batch 64 steps/s", 64, true},
	{"conv train batch 256 steps/s", 256, true},
}

// convBench is the connect-four net with its inputs, tapes and optimizer.
type convBench struct {
	net    *nn.PolicyValueNet[float32]
	opt    *nn.Adam[float32]
	inf    *nn.Tape[float32]
	tp     *nn.Tape[float32]
	x      []float32
	labels []int
	z      []float32
}

func newConvBench() *convBench {
	const maxBatch = 256
	rng := nn.NewRand(1)
	b := &convBench{net: nn.NewPolicyValueNet[float32](rng, "c4", nn.Connect4Config)}
	c := nn.Connect4Config
	b.x = make([]float32, maxBatch*c.Planes*c.Height*c.Width)
	for i := range b.x {
		if rng.IntN(3) == 0 {
			b.x[i] = 1
		}
	}
	b.labels = make([]int, maxBatch)
	for i := range b.labels {
		b.labels[i] = rng.IntN(c.Policy)
	}
	b.z = make([]float32, maxBatch)
	b.inf, b.tp = nn.NewTape[float32](nn.Eval), nn.NewTape[float32](nn.Train)
	b.opt = nn.NewAdam(b.net.Params(), nn.ConstLR(1e-3))
	return b
}

// pass returns one inference pass or one training step at a batch size.
func (b *convBench) pass(f convFigure) func() {
	c := nn.Connect4Config
	x := b.x[:f.batch*c.Planes*c.Height*c.Width]
	if !f.train {
		return func() {
			b.inf.Reset()
			b.net.Forward(b.inf, b.inf.Const(x, f.batch, c.Planes, c.Height, c.Width))
		}
	}
	return func() {
		tp := b.tp
		tp.Reset()
		p, v := b.net.Forward(tp, tp.Const(x, f.batch, c.Planes, c.Height, c.Width))
		tp.Backward(tp.Add(tp.CrossEntropy(p, b.labels[:f.batch]), tp.MSE(v, tp.Const(b.z[:f.batch], f.batch, 1))))
		b.opt.Step()
	}
}

// measure returns each figure's rate (positions/s or steps/s) on 1 and 2
// threads.
func (b *convBench) measure(d time.Duration) map[string][2]float64 {
	out := map[string][2]float64{}
	for _, f := range convFigures {
		var r [2]float64
		for t := 1; t <= 2; t++ {
			gemm.SetThreads(t)
			r[t-1] = rate(d, b.pass(f))
			if !f.train {
				r[t-1] *= float64(f.batch)
			}
		}
		out[f.name] = r
	}
	gemm.SetThreads(0)
	return out
}

func benchConv(ctx context.Context, w io.Writer, d time.Duration, peer []string, rounds int) error {
	b := newConvBench()
	c := nn.Connect4Config
	// Per position: the stem and the tower's 3×3 convolutions dominate.
	convMACs := float64(c.Height * c.Width * c.Channels * 9 * (c.Planes + 2*c.Blocks*c.Channels))
	fmt.Fprintf(w, "connect-four residual net (%d blocks × %d channels, %d parameters; %.1f MFLOP per position)\n",
		c.Blocks, c.Channels, nn.CountParams[float32](b.net), 2*convMACs/1e6)
	var ours []map[string][2]float64
	var theirs []map[string][2]float64
	for r := 0; r < rounds; r++ {
		if peer != nil {
			p, err := runPeer(ctx, peer)
			if err != nil {
				return err
			}
			theirs = append(theirs, p)
		}
		ours = append(ours, b.measure(d))
	}
	med := func(ms []map[string][2]float64, name string, t int) float64 {
		var v []float64
		for _, m := range ms {
			if x, ok := m[name]; ok && x[t] > 0 {
				v = append(v, x[t])
			}
		}
		if len(v) == 0 {
			return 0
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	if rounds > 1 {
		fmt.Fprintf(w, "  (medians of %d rounds)\n", rounds)
	}
	fmt.Fprintf(w, "  %-24s %13s %13s %8s", "", "1 thread", "2 threads", "2t/1t")
	if peer != nil {
		fmt.Fprintf(w, "  %13s %13s %9s %9s", "peer 1t", "peer 2t", "ratio 1t", "ratio 2t")
	}
	fmt.Fprintln(w)
	for _, f := range convFigures {
		label, unit := fmt.Sprintf("inference, batch %d", f.batch), "pos/s"
		if f.train {
			label, unit = fmt.Sprintf("train step, batch %d", f.batch), "steps/s"
		}
		a1, a2 := med(ours, f.name, 0), med(ours, f.name, 1)
		fmt.Fprintf(w, "  %-24s %13s %13s %7.2f×", label, fmtRate(a1, unit), fmtRate(a2, unit), a2/a1)
		if peer != nil {
			p1, p2 := med(theirs, f.name, 0), med(theirs, f.name, 1)
			fmt.Fprintf(w, "  %13s %13s %8.2f× %8.2f×", fmtRate(p1, unit), fmtRate(p2, unit), a1/p1, a2/p2)
		}
		fmt.Fprintln(w)
	}
	gemm.SetThreads(1)
	inf := b.pass(convFigures[2])
	step := b.pass(convFigures[3])
	fmt.Fprintf(w, "  1 thread, batch 64: inference %.1f GFLOP/s (%.0f%% of time in gemm), train step %.0f%% of time in gemm\n\n",
		rate(d, inf)*2*convMACs*64/1e9, 100*gemmShare(inf), 100*gemmShare(step))
	gemm.SetThreads(0)
	return nil
}

// fmtRate formats a rate with its unit.
func fmtRate(v float64, unit string) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f %s", v, unit)
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

// runPeer runs a peer benchmark of the conv figures and returns its
// figures on 1 and 2 threads.
func runPeer(ctx context.Context, peer []string) (map[string][2]float64, error) {
	args := append(append([]string(nil), peer[1:]...), "--only", "conv", "--json")
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, peer[0], args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("--peer %s: %v\n%s", strings.Join(peer, " "), err, stderr.String())
	}
	figs := map[string][2]float64{}
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var rec struct {
			Threads int `json:"threads"`
			Figures map[string]struct {
				Value float64 `json:"value"`
			} `json:"figures"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			return nil, fmt.Errorf("--peer %s: a line of its output is not JSON: %q", strings.Join(peer, " "), line)
		}
		if rec.Threads != 1 && rec.Threads != 2 {
			continue
		}
		for name, v := range rec.Figures {
			r := figs[name]
			r[rec.Threads-1] = v.Value
			figs[name] = r
		}
	}
	if len(figs) == 0 {
		return nil, fmt.Errorf("--peer %s printed no figures", strings.Join(peer, " "))
	}
	return figs, nil
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
