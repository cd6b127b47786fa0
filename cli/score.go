package cli

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/lab/bots"
	"argmax/lab/eval"
)

var scoreCmd = &cobra.Command{
	Use:   "score --bot SPEC --set NAME [--sims N | --nodes N] [--workers N]",
	Short: "Score a bot's moves on a position set with exact values: optimal-move share with its 95% interval",
	Long: `score asks the bot for a move in every position of a set whose move
scores are known exactly and prints the share of positions where the move
keeps the game-theoretic value (optimal) and where it has the best score
(strictly optimal), each with a 95% Wilson interval, and the mean counted
cost per decision (simulations, nodes, forward passes, FLOPs). With
--mistakes it first lists every position where the move lost the value,
with the move's score and the best one, and for connect four whether the
2-ply tactical rule (take a win, block one, do not play under one) forbids
the move: tells a tactical blunder from a strategic one.

Sets: ` + strings.Join(eval.SetNames(), ", ") + `
(the connect-four sets of game/connect4/positions with their deep subsets,
the calibration file by phase, and all 4,520 tic-tac-toe positions).

Examples:
  argmax score --bot tactical --set middle-deep
  argmax score --bot mcts --sims 256 --set openings-deep --workers 2
  argmax score --bot net:checkpoint=run/latest.safetensors --set tictactoe
  argmax score --bot net:checkpoint=run/latest.safetensors --set calibration-middle --mistakes`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		f := cmd.Flags()
		spec, _ := f.GetString("bot")
		set, _ := f.GetString("set")
		sims, _ := f.GetInt64("sims")
		nodes, _ := f.GetInt64("nodes")
		workers, _ := f.GetInt("workers")
		mistakes, _ := f.GetBool("mistakes")
		ps, gameName, err := eval.Set(set)
		if err != nil {
			return fmt.Errorf("--set: %w", err)
		}
		g, err := bots.Game(gameName)
		if err != nil {
			return err
		}
		if _, err := bots.New(g, spec); err != nil {
			return err
		}
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		b := argmax.Budget{Simulations: sims, Nodes: nodes}
		r, err := eval.ParallelAccuracy(cmd.Context(), eval.Bot(g, spec), ps, b, workers)
		if err != nil {
			return err
		}
		if mistakes {
			listMistakes(cmd.OutOrStdout(), ps, r.Moves)
		}
		c := r.Spend.Mean
		fmt.Fprintf(cmd.OutOrStdout(), "%s on %s (%d positions): optimal %.1f%% [%.1f, %.1f], strictly optimal %.1f%% [%.1f, %.1f]; per decision: %.4g simulations, %.4g nodes, %.4g forward passes, %.4g FLOPs; median %v †\n",
			spec, set, r.N, 100*r.OptimalShare.Est, 100*r.OptimalShare.Lo, 100*r.OptimalShare.Hi,
			100*r.StrictShare.Est, 100*r.StrictShare.Lo, 100*r.StrictShare.Hi,
			c.Simulations, c.Nodes, c.ForwardPasses, c.FLOPs, r.Spend.MedianTime())
		return nil
	},
}

func init() {
	f := scoreCmd.Flags()
	f.String("bot", "mcts", "the bot spec")
	f.String("set", "middle-deep", "the position set")
	f.Int64("sims", 0, "simulation budget per decision (0: the bot's own)")
	f.Int64("nodes", 0, "node budget per decision (0: the bot's own)")
	f.Int("workers", 0, "positions scored at once, each worker with its own bot (0: one per core)")
	f.Bool("mistakes", false, "list the positions where the move lost the value, and which moves the 2-ply tactical rule forbids")
	rootCmd.AddCommand(scoreCmd)
}

// listMistakes writes one line per position of ps whose move (moves[i],
// printed from 1 as argmax move does) does not keep the value, then a
// count of them and of those the 2-ply tactical rule forbids (connect four
// only: the rule knows no other game).
func listMistakes(w io.Writer, ps []eval.Position, moves []game.Action) {
	rule := tactical.New(0)
	var allowed []game.Action
	n, forbidden, tactics := 0, 0, false
	for i, p := range ps {
		a := moves[i]
		if p.Optimal(a) {
			continue
		}
		n++
		best := slices.Index(p.Scores, p.Best())
		note := ""
		var err error
		if allowed, err = rule.Allowed(p.State, allowed[:0]); err == nil {
			tactics = true
			if !slices.Contains(allowed, a) {
				forbidden++
				note = "; the 2-ply rule forbids it"
			}
		}
		fmt.Fprintf(w, "mistake: position %d %s: played %d (score %d), best %d (score %d)%s\n",
			i+1, p.String(), int(a)+1, p.Scores[a], best+1, p.Best(), note)
	}
	if tactics {
		fmt.Fprintf(w, "%d mistakes in %d positions, %d of them moves the 2-ply tactical rule forbids\n", n, len(ps), forbidden)
	} else {
		fmt.Fprintf(w, "%d mistakes in %d positions\n", n, len(ps))
	}
}
