package cli

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
	Use:   "move --game connect4 --bot SPEC [POSITION...]",
	Short: "Print the move a bot chooses for each position (arguments, or lines on stdin)",
	Long: `move reads positions in the game's notation (connect four: the 1-based
columns played, e.g. 4453; an empty line, or "", is the empty board) from its
arguments, or when there are none from stdin, one per line, and writes
"<position> <move>" for each — the move the bot chooses, 1-based in the same
notation — flushing after every line, so any bot can be scored on a file of
positions.

A position that is not valid, or a finished game, gets an error on stderr
naming its line number (or argument number) and what is wrong; the run goes
on with the next and exits with a non-zero status at the end.

Bot specs:
` + bots.Usage() + `
Examples:
  argmax move --game connect4 --bot mcts:sims=800,seed=1 4453 44
  echo 4453 | argmax move --bot 'ext:cmd=python3 scripts/bots/random_bot.py --seed 1'`,
	RunE: func(cmd *cobra.Command, args []string) error {
		g, bot, err := gameAndBot(cmd)
		if err != nil {
			return err
		}
		defer bots.Close(bot)
		return runMove(g, bot, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
	},
}

func init() {
	moveCmd.Flags().String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	moveCmd.Flags().String("bot", "mcts", "the bot spec, e.g. mcts:sims=800,seed=1, random:seed=1, solver, ext:cmd=./mybot")
	rootCmd.AddCommand(moveCmd)
}

// runMove answers every position (args, or the lines of in) with the bot's
// move on out; bad ones are reported on errw and counted in the returned
// error.
func runMove(g game.Game, bot game.Decider, args []string, in io.Reader, out, errw io.Writer) error {
	w := bufio.NewWriter(out)
	bad, n := 0, 0
	err := eachInput(args, in, func(label, line string) error {
		n++
		text := strings.TrimSpace(line)
		a, err := moveFor(g, bot, text)
		if err != nil {
			bad++
			fmt.Fprintf(errw, "%s: %v\n", label, err)
			return nil
		}
		fmt.Fprintf(w, "%s %d\n", text, int(a)+1)
		return w.Flush()
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d %s were not valid positions", bad, n, inputNoun(args))
	}
	return nil
}

// eachInput calls f for each position given to a command: every argument
// when there are any (labelled "argument N" for errors), else every line of
// in ("line N"). It stops at f's first error, and reports a read error.
func eachInput(args []string, in io.Reader, f func(label, text string) error) error {
	if len(args) > 0 {
		for i, a := range args {
			if err := f(fmt.Sprintf("argument %d", i+1), a); err != nil {
				return err
			}
		}
		return nil
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if err := f(fmt.Sprintf("line %d", n), sc.Text()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading positions: %w", err)
	}
	return nil
}

// inputNoun names what eachInput read: "arguments" or "lines".
func inputNoun(args []string) string {
	if len(args) > 0 {
		return "arguments"
	}
	return "lines"
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

// gameAndBot returns the game and the bot named by a command's --game and
// --bot flags.
func gameAndBot(cmd *cobra.Command) (game.Game, game.Decider, error) {
	gameName, _ := cmd.Flags().GetString("game")
	spec, _ := cmd.Flags().GetString("bot")
	g, err := bots.Game(gameName)
	if err != nil {
		return nil, nil, err
	}
	bot, err := bots.New(g, spec)
	return g, bot, err
}
