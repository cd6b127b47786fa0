package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"argmax/amortized/supervised"
	"argmax/hybrid/alphazero"
	"argmax/lab/bots"
)

var benchAlphaZeroCmd = &cobra.Command{
	Use:   "alphazero",
	Short: "Measure AlphaZero self-play speed, the net's share of it, and what batching and the cache buy",
	Long: `alphazero plays the same self-play games (net-guided PUCT, no rollouts)
three ways and reports for each the positions (moves) played per second, the
leaf evaluations per second, the share of wall time spent in the net's
forward passes, and the speed-up over unbatched search:

  unbatched   one game at a time, one leaf per forward pass, no cache
  batched     --parallel games at once sharing forward passes, --leaves
              leaves per search under virtual loss, no cache
  batched+cache  the same with the evaluation cache keyed by position

The net is --checkpoint's, or an untrained one of --size (the speed of a
forward pass does not depend on the weights).`,
	Args: cobra.NoArgs,
	RunE: runBenchAlphaZero,
}

func init() {
	f := benchAlphaZeroCmd.Flags()
	f.String("game", "connect4", "the game: connect4 or tictactoe")
	f.String("checkpoint", "", "net to play with (default: an untrained net of --size)")
	f.String("size", "small", "size of the untrained net: tiny, small, medium, large")
	f.Int("games", 64, "games per configuration")
	f.Int("sims", 64, "simulations per move")
	f.Int("parallel", 64, "games at once in the batched configurations")
	f.Int("leaves", 4, "leaves per search per forward pass in the batched configurations")
	benchCmd.AddCommand(benchAlphaZeroCmd)
}

func runBenchAlphaZero(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	gameName, _ := f.GetString("game")
	g, err := bots.Game(gameName)
	if err != nil {
		return err
	}
	var net *supervised.Policy
	if path, _ := f.GetString("checkpoint"); path != "" {
		if net, err = supervised.Load(path); err != nil {
			return err
		}
	} else {
		size, _ := f.GetString("size")
		arch, err := supervised.Size(size)
		if err != nil {
			return fmt.Errorf("--size: %w", err)
		}
		l, err := supervised.NewLearner(g, supervised.Config{Net: arch, OnesPlane: true, Seed: 1})
		if err != nil {
			return err
		}
		net = l.Policy()
	}
	games, _ := f.GetInt("games")
	sims, _ := f.GetInt("sims")
	parallel, _ := f.GetInt("parallel")
	leaves, _ := f.GetInt("leaves")
	if games < 1 || sims < 1 || parallel < 1 || leaves < 1 {
		return fmt.Errorf("bench alphazero: --games, --sims, --parallel and --leaves must be positive")
	}
	w := cmd.OutOrStdout()
	printMachine(cmd)
	fmt.Fprintf(w, "alphazero self-play on %s: %d games per configuration, %d simulations per move, net %+v (%d FLOPs per position)\n",
		g.Name(), games, sims, net.Config().Net, net.FLOPsPerInput())
	base := alphazero.PlayConfig{Sims: sims, C: 1.5, NoiseAlpha: 1, NoiseFraction: 0.25, TempPlies: 8, RandomPlies: 2}
	type run struct {
		name string
		cfg  alphazero.PlayConfig
	}
	unbatched, batched, cached := base, base, base
	unbatched.Parallel, unbatched.Leaves = 1, 1
	batched.Parallel, batched.Leaves = parallel, leaves
	cached.Parallel, cached.Leaves, cached.CacheSize = parallel, leaves, 1<<18
	var first float64
	for i, r := range []run{{"unbatched", unbatched}, {"batched", batched}, {"batched+cache", cached}} {
		start := time.Now()
		_, st, err := alphazero.SelfPlay(cmd.Context(), g, net, r.cfg, games, 1)
		if err != nil {
			return err
		}
		el := time.Since(start).Seconds()
		rate := float64(st.Plies) / el
		if i == 0 {
			first = rate
		}
		hits := 0.0
		if st.Batch.Positions > 0 {
			hits = float64(st.Batch.Hits) / float64(st.Batch.Positions)
		}
		fmt.Fprintf(w, "%-14s %8.0f positions/s  %9.0f evaluations/s  %5.1f positions per pass  net %3.0f%% of the time  cache hits %3.0f%%  speed-up %.2f×\n",
			r.name, rate, float64(st.Batch.Positions)/el, float64(st.Batch.Positions-st.Batch.Hits)/float64(max(st.Batch.Rounds, 1)),
			100*st.Batch.Time.Seconds()/el, 100*hits, rate/first)
	}
	return nil
}
