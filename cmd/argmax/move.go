package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
)

var moveCmd = &cobra.Command{
	Use:   "move --game connect4 --bot SPEC",
	Short: "Print the move a bot chooses for each position on stdin",
	Long: `move reads positions from stdin, one per line in the game's notation (connect
four: the 1-based columns played, e.g. 4453; an empty line is the empty board),
and writes "<position> <move>" for each — the move the bot chooses, 1-based in
the same notation — flushing after every line, so any bot can be scored on a
file of positions.

A line that is not a valid position, or a finished game, gets an error on
stderr naming its line number and what is wrong; the run goes on with the next
line and exits with a non-zero status at the end.

Bot specs:
` + bots.Usage() + `
Example:
  echo 4453 | argmax move --game connect4 --bot mcts:sims=800,seed=1`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		gameName, _ := cmd.Flags().GetString("game")
		spec, _ := cmd.Flags().GetString("bot")
		g, err := bots.Game(gameName)
		if err != nil {
			return err
		}
		bot, err := bots.New(g, spec)
		if err != nil {
			return err
		}
		return runMove(g, bot, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
	},
}

func init() {
	moveCmd.Flags().String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	moveCmd.Flags().String("bot", "mcts", "the bot spec, e.g. mcts:sims=800,seed=1, random:seed=1, solver")
	rootCmd.AddCommand(moveCmd)
}

// runMove answers every position of in with the bot's move on out; bad
// lines are reported on errw and counted in the returned error.
func runMove(g game.Game, bot game.Decider, in io.Reader, out, errw io.Writer) error {
	w := bufio.NewWriter(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	bad, lines := 0, 0
	for n := 1; sc.Scan(); n++ {
		lines++
		text := strings.TrimSpace(sc.Text())
		a, err := moveFor(g, bot, text)
		if err != nil {
			bad++
			fmt.Fprintf(errw, "line %d: %v\n", n, err)
			continue
		}
		fmt.Fprintf(w, "%s %d\n", text, int(a)+1)
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading positions: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d lines were not valid positions", bad, lines)
	}
	return nil
}

// moveFor parses one line and asks the bot for its move.
func moveFor(g game.Game, bot game.Decider, text string) (game.Action, error) {
	if f := strings.Fields(text); len(f) > 1 {
		return 0, fmt.Errorf("%q: want one position, got %d fields", text, len(f))
	}
	st, err := g.Parse(text)
	if err != nil {
		return 0, err
	}
	if over, _ := st.Terminal(); over {
		return 0, fmt.Errorf("%s position %q: the game is over, there is no move to choose", g.Name(), text)
	}
	a, _, err := bot.Decide(context.Background(), st, argmax.Budget{})
	if err != nil {
		return 0, err
	}
	if !st.IsLegal(a) {
		return 0, fmt.Errorf("%s position %q: the bot chose the illegal move %d", g.Name(), text, int(a)+1)
	}
	return a, nil
}
