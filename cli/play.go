package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/game"
	"argmax/lab/bots"
)

var playCmd = &cobra.Command{
	Use:   "play --game connect4|tictactoe --bot SPEC [--first human|bot]",
	Short: "Play a game in the terminal against a bot",
	Long: `play lets you play connect four or tic-tac-toe against any bot. The board is
drawn after every move; type the number of a column (connect four, 1-7) or of a
cell (tic-tac-toe, 1-9, numbered as drawn), "undo" to take back your last move
and the bot's reply, or "quit".

Bot specs:
` + bots.Usage() + `
Examples:
  argmax play --game connect4 --bot mcts:sims=20000
  argmax play --game tictactoe --bot solver --first bot`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		first, _ := cmd.Flags().GetString("first")
		g, bot, err := gameAndBot(cmd)
		if err != nil {
			return err
		}
		defer bots.Close(bot)
		if first != "human" && first != "bot" {
			return fmt.Errorf("--first %q: want human or bot", first)
		}
		spec, _ := cmd.Flags().GetString("bot")
		_, err = playGame(g, bot, spec, first == "human", cmd.InOrStdin(), cmd.OutOrStdout())
		return err
	},
}

func init() {
	playCmd.Flags().String("game", "connect4", "the game: "+strings.Join(bots.Games(), ", "))
	playCmd.Flags().String("bot", "mcts:sims=20000", "the bot spec, e.g. mcts:sims=2000, solver, random")
	playCmd.Flags().String("first", "human", "who moves first: human or bot")
	rootCmd.AddCommand(playCmd)
}

// playResult is how a game of play ended.
type playResult int

const (
	humanWon playResult = iota
	botWon
	drawn
	quit
)

// playGame runs one game between a person (reading moves from in) and bot,
// writing the board, prompts and the result to out.
func playGame(g game.Game, bot game.Decider, name string, humanFirst bool, in io.Reader, out io.Writer) (playResult, error) {
	sc := bufio.NewScanner(in)
	st := g.New()
	human := 0
	if !humanFirst {
		human = 1
	}
	marks := [2]string{"X", "O"}
	unit, n := "move", g.NumActions()
	switch g.Name() {
	case "connect4":
		unit = "column"
	case "tictactoe":
		unit = "cell"
	}
	var history []game.Action
	fmt.Fprintf(out, "%s: you play %s, the bot (%s) plays %s. %s moves first.\n",
		g.Name(), marks[human], name, marks[1-human], marks[0])
	for {
		fmt.Fprintf(out, "\n%s", st.Board())
		if over, o := st.Terminal(); over {
			// o is for the player to move, who did not make the last move.
			switch {
			case o == game.Draw:
				fmt.Fprintln(out, "Draw.")
				return drawn, nil
			case st.Player() == human:
				fmt.Fprintln(out, "The bot wins.")
				return botWon, nil
			default:
				fmt.Fprintln(out, "You win!")
				return humanWon, nil
			}
		}
		if st.Player() != human {
			start := time.Now()
			a, cost, err := bot.Decide(context.Background(), st, argmax.Budget{})
			if err != nil {
				return quit, fmt.Errorf("bot %s: %w", name, err)
			}
			if !st.IsLegal(a) {
				return quit, fmt.Errorf("bot %s chose the illegal %s %d", name, unit, int(a)+1)
			}
			st.Play(a)
			history = append(history, a)
			fmt.Fprintf(out, "The bot plays %s %d%s.\n", unit, int(a)+1, costNote(cost, time.Since(start)))
			continue
		}
		for {
			fmt.Fprintf(out, "Your move (%s 1-%d, undo, quit): ", unit, n)
			if !sc.Scan() {
				fmt.Fprintln(out, "\nEnd of input: game abandoned.")
				return quit, sc.Err()
			}
			text := strings.ToLower(strings.TrimSpace(sc.Text()))
			switch text {
			case "quit", "q", "exit":
				fmt.Fprintln(out, "You quit.")
				return quit, nil
			case "undo", "u":
				// It is your turn, so your last move is two plies back:
				// take back the bot's reply and that move.
				if len(history) < 2 {
					fmt.Fprintln(out, "Nothing to undo: you have not moved yet.")
					continue
				}
				for k := 0; k < 2; k++ {
					st.Undo(history[len(history)-1])
					history = history[:len(history)-1]
				}
				fmt.Fprintln(out, "Took back your last move.")
				fmt.Fprintf(out, "\n%s", st.Board())
				continue
			}
			v, err := strconv.Atoi(text)
			if err != nil {
				fmt.Fprintf(out, "%q is not a move: type a %s number from 1 to %d, undo or quit.\n", text, unit, n)
				continue
			}
			if v < 1 || v > n {
				fmt.Fprintf(out, "There is no %s %d: type a number from 1 to %d.\n", unit, v, n)
				continue
			}
			a := game.Action(v - 1)
			if !st.IsLegal(a) {
				reason := "is not a legal move here"
				switch unit {
				case "column":
					reason = "is full"
				case "cell":
					reason = "is taken"
				}
				fmt.Fprintf(out, "%s %d %s: choose another.\n", capitalize(unit), v, reason)
				continue
			}
			st.Play(a)
			history = append(history, a)
			break
		}
	}
}

// costNote renders what a bot's move cost, e.g. " (800 simulations, 3ms)".
func costNote(c argmax.Cost, d time.Duration) string {
	var parts []string
	if c.Simulations > 0 {
		parts = append(parts, fmt.Sprintf("%d simulations", c.Simulations))
	}
	if c.Nodes > 0 && c.Simulations == 0 {
		parts = append(parts, fmt.Sprintf("%d nodes", c.Nodes))
	}
	parts = append(parts, d.Round(time.Millisecond).String())
	return " (" + strings.Join(parts, ", ") + ")"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
