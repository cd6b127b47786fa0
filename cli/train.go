package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/hybrid/alphazero"
	"argmax/lab/bots"
	"argmax/lab/dist"
	"argmax/lab/eval"
	"argmax/lab/learners"
	"argmax/web"
)

var trainCmd = &cobra.Command{
	Use:   "train alphazero --game connect4|tictactoe --minutes N --out DIR",
	Short: "Train a decider: AlphaZero by expert iteration",
	Long: `train alphazero runs expert iteration from scratch: each iteration plays
self-play games with PUCT search guided by the current net (its leaves
evaluated by the net, no rollouts; many games at once, their forward passes
batched, an evaluation cache; Dirichlet noise at the root, the first moves
drawn in proportion to the visits), keeps the search targets — root visit
shares and the game's outcome — in a replay window, and trains the net on
them. After every iteration it writes DIR/iter-NNNN.safetensors and
DIR/latest.safetensors (supervised checkpoints: play them with
net:checkpoint=PATH or alphazero:checkpoint=PATH,sims=N), the replay window
and the run's state, and prints a progress line: games and positions per
second, the share of time in the net, the losses, and the net alone's score
against fixed opponents. Run it again with the same flags to resume a run;
Ctrl-C stops after saving nothing half-written.

A run bounded by --iterations alone is reproducible (same seed, same nets);
one bounded by --minutes follows the clock. Each iteration also writes one
game of its net's search to DIR/games (visit shares and the net's prior per
move), which argmax serve --games DIR replays.

With --nats URL the self-play games are played by actors on other machines
(argmax worker --selfplay --nats URL): each iteration's net goes to
JetStream's object store and its games are queued as jobs of --chunk games;
the learner trains on the games the actors publish. The games depend on the
jobs, not on which actor played them, so the nets are the same with any
number of actors.`,
	Args: func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 || args[0] != "alphazero" {
			return fmt.Errorf("train: want what to train: alphazero (got %q)", strings.Join(args, " "))
		}
		return nil
	},
	RunE: runTrain,
}

func init() {
	f := trainCmd.Flags()
	f.String("game", "tictactoe", "the game: connect4 or tictactoe")
	f.Float64("minutes", 0, "training time (0: the game's default: 2 for tictactoe, 60 for connect4; with --iterations, no time bound)")
	f.Int("iterations", 0, "iterations to run (0: bounded by --minutes only)")
	f.String("out", "", "training folder (checkpoints, replay window, state); required")
	f.String("size", "", "net size: tiny, small, medium, large (default: the game's)")
	f.Int("sims", 0, "simulations of a full search (default: the game's)")
	f.Int("games", 0, "self-play games per iteration (default: the game's)")
	f.Int("parallel", 0, "games played at once, their forward passes batched (default: the game's)")
	f.Bool("gumbel", false, "self-play with Gumbel root search and sequential halving (its improved policy as the target) instead of PUCT with Dirichlet noise; default 16 simulations")
	f.Int("random-plies", -1, "start games with up to this many uniformly random moves (-1: the game's)")
	f.Float64("random-share", -1, "share of the games with a random opening, 0 for all (-1: the game's)")
	f.Float64("random-moves", -1, "probability that a move after the opening is uniformly random, the samples before it valued by the search (-1: the game's)")
	f.Float64("value-mix", -1, "weight of the search's root value in the value target, the rest the game's outcome (-1: the game's)")
	f.String("nats", "", "play self-play games on actors through this NATS server or cluster (nats://host:4222; start them with argmax worker --selfplay --nats URL); default: in this process")
	f.String("queue", dist.DefaultQueue, "with --nats, the name of the self-play queue")
	f.Int("replicas", 1, "with --nats, the servers of the cluster that keep the self-play streams and nets")
	f.Int("chunk", 0, "with --nats, games per self-play job (0: --parallel); the games depend on it, not on the number of actors")
	f.Bool("win-check", false, "value a searched position whose side to move can win at once exactly, in self-play (default: the game's)")
	f.Uint64("seed", 1, "seed of the weights, the games and the batches")
	f.StringSlice("opponents", nil, "fixed opponents the net alone plays after each iteration (bot specs; default: the game's)")
	f.Int("eval-games", 20, "games against each opponent after each iteration (0: none)")
	rootCmd.AddCommand(trainCmd)
}

// trainDefaults returns the training recipe of a game (lab/learners'),
// its default training time in minutes and the fixed opponents of the
// per-iteration evaluation.
func trainDefaults(g game.Game) (alphazero.Config, float64, []string) {
	if g.Name() == "connect4" {
		return learners.AZRecipe(g), 60, []string{"mcts:sims=64", "mcts:sims=1024"}
	}
	return learners.AZRecipe(g), 2, []string{"random", "solver"}
}

func runTrain(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	gameName, _ := f.GetString("game")
	out, _ := f.GetString("out")
	if out == "" {
		return fmt.Errorf("train alphazero: --out DIR is required (the training folder)")
	}
	g, err := bots.Game(gameName)
	if err != nil {
		return err
	}
	cfg, minutes, opponents := trainDefaults(g)
	if f.Changed("minutes") {
		minutes, _ = f.GetFloat64("minutes")
	}
	cfg.Iterations, _ = f.GetInt("iterations")
	if !(minutes >= 0) || cfg.Iterations < 0 {
		return fmt.Errorf("train alphazero: --minutes %v and --iterations %d must not be negative", minutes, cfg.Iterations)
	}
	if cfg.Iterations == 0 || f.Changed("minutes") {
		cfg.Time = time.Duration(minutes * float64(time.Minute))
	}
	if s, _ := f.GetString("size"); s != "" {
		if cfg.Net, err = supervised.Size(s); err != nil {
			return fmt.Errorf("--size: %w", err)
		}
	}
	if cfg.Play.Gumbel, _ = f.GetBool("gumbel"); cfg.Play.Gumbel {
		cfg.Play.Sims, cfg.Play.FastSims = 16, 0
	}
	for flag, dst := range map[string]*int{"sims": &cfg.Play.Sims, "games": &cfg.GamesPerIteration, "parallel": &cfg.Play.Parallel} {
		if v, _ := f.GetInt(flag); v != 0 {
			*dst = v
		}
	}
	if v, _ := f.GetInt("random-plies"); v >= 0 {
		cfg.Play.RandomPlies = v
	}
	for flag, dst := range map[string]*float64{"random-share": &cfg.Play.RandomShare, "random-moves": &cfg.Play.RandomMoves, "value-mix": &cfg.Play.ValueMix} {
		if v, _ := f.GetFloat64(flag); v != -1 {
			*dst = v
		}
	}
	if f.Changed("win-check") {
		cfg.Play.WinCheck, _ = f.GetBool("win-check")
	}
	cfg.Seed, _ = f.GetUint64("seed")
	if f.Changed("opponents") {
		opponents, _ = f.GetStringSlice("opponents")
	}
	evalGames, _ := f.GetInt("eval-games")
	for _, spec := range opponents {
		if _, err := bots.New(g, spec); err != nil {
			return fmt.Errorf("--opponents: %w", err)
		}
	}
	w, errw := cmd.OutOrStdout(), cmd.ErrOrStderr()
	ctx, signalled, stop := notifyStop(cmd.Context())
	defer stop()
	hooks := alphazero.Hooks{
		Progress: func(p alphazero.Progress) {
			fmt.Fprintln(w, p)
			if err := web.RecordTraining(ctx, g, out, p.Iteration, p.Checkpoint, cfg.Play.Sims); err != nil && ctx.Err() == nil {
				fmt.Fprintln(errw, "argmax:", err)
			}
		},
	}
	if url, _ := f.GetString("nats"); url != "" {
		queue, _ := f.GetString("queue")
		chunk, _ := f.GetInt("chunk")
		if chunk < 0 {
			return fmt.Errorf("--chunk %d: want 0 (--parallel) or more", chunk)
		}
		nc, err := dist.Dial(url, "argmax learner")
		if err != nil {
			return err
		}
		defer nc.Close()
		replicas, _ := f.GetInt("replicas")
		sp := &dist.SelfPlay{Conn: nc, Queue: queue, Chunk: chunk, Replicas: replicas, Log: slog.New(slog.NewTextHandler(errw, nil))}
		hooks.SelfPlay = sp.Play
		fmt.Fprintf(errw, "argmax: self-play on actors through %s (queue %s)\n", url, queue)
	}
	if evalGames > 0 && len(opponents) > 0 {
		hooks.Evaluate = func(ctx context.Context, iter int, net *supervised.Policy) (string, error) {
			return evaluateNet(ctx, g, net, opponents, evalGames, cfg.Seed+uint64(iter))
		}
	}
	fmt.Fprintf(errw, "argmax: training alphazero for %s in %s (%s, %d sims per full search, %d games per iteration, %d at once)\n",
		g.Name(), out, bound(cfg), cfg.Play.Sims, cfg.GamesPerIteration, cfg.Play.Parallel)
	net, err := alphazero.Train(ctx, cfg, out, hooks)
	if err != nil {
		return err
	}
	latest := out + string(os.PathSeparator) + "latest.safetensors"
	fmt.Fprintf(w, "newest checkpoint: %s\n", latest)
	if c := net.TrainingCost(); c.Iterations > 0 {
		kind := "alphazero"
		if cfg.Play.Gumbel {
			kind = "gumbel"
		}
		fmt.Fprintf(w, "play it: argmax move --game %s --bot %s:checkpoint=%s,sims=%d\n", g.Name(), kind, latest, cfg.Play.Sims)
	}
	if ctx.Err() != nil && cmd.Context().Err() == nil {
		fmt.Fprintln(errw, "argmax: interrupted; run the same command again to resume")
		code := 130
		if sig := signalled(); sig != nil {
			code = exitCode(sig)
		}
		os.Exit(code)
	}
	return nil
}

func bound(c alphazero.Config) string {
	switch {
	case c.Iterations > 0 && c.Time > 0:
		return fmt.Sprintf("%d iterations or %v", c.Iterations, c.Time)
	case c.Iterations > 0:
		return fmt.Sprintf("%d iterations", c.Iterations)
	}
	return c.Time.String()
}

// evaluateNet scores the net alone (one forward pass a move) on a position
// set with exact values (connect four's deep middle-game positions, every
// tic-tac-toe position) and plays it against each opponent.
func evaluateNet(ctx context.Context, g game.Game, net *supervised.Policy, opponents []string, games int, seed uint64) (string, error) {
	var parts []string
	set := "middle-deep"
	if g.Name() != "connect4" {
		set = "tictactoe"
	}
	if ps, _, err := eval.Set(set); err == nil {
		r, err := eval.Accuracy(ctx, net.Clone(), ps, argmax.Budget{})
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("optimal on %s %.1f%%", set, 100*r.OptimalShare.Est))
	}
	for _, spec := range opponents {
		r, err := eval.Match(ctx, g, func() (game.Decider, error) { return net.Clone(), nil },
			func() (game.Decider, error) { return bots.New(g, spec) },
			eval.MatchConfig{Games: games, RandomPlies: openingPlies(g), Seed: seed, NameA: "net", NameB: spec})
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("vs %s %.2f (+%d=%d-%d)", spec, r.Score.Est, r.Wins, r.Draws, r.Losses))
	}
	return "net: " + strings.Join(parts, ", "), nil
}

// openingPlies is the number of random plies of evaluation openings.
func openingPlies(g game.Game) int {
	if g.Name() == "connect4" {
		return 4
	}
	return 2
}
