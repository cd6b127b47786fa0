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
	"argmax/env"
	"argmax/env/maze"
	"argmax/game"
	"argmax/lab/bots"
	"argmax/lab/envs"
)

var playCmd = &cobra.Command{
	Use:   "play --game connect4|tictactoe --bot SPEC [--first human|bot] | play --env SPEC [--seed N]",
	Short: "Play a game in the terminal against a bot, or walk an environment yourself",
	Long: `play lets you play connect four or tic-tac-toe against any bot. The board is
drawn after every move; type the number of a column (connect four, 1-7) or of a
cell (tic-tac-toe, 1-9, numbered as drawn), "undo" to take back your last move
and the bot's reply, or "quit".

With --env (instead of --game), you act in an environment with discrete
actions yourself, from the level of --seed: in a maze, w, a, s and d (or the
arrow keys, then Enter) move up, left, down and right, several to a line; in
any env, a number is the index of an action. The level is redrawn after
every step with its reward; at the end of an episode, what you reached and
the hidden performance (the intended goal, which agents never see). n starts
a new level (the next seed), q quits.

Bot specs:
` + bots.Usage() + `
Examples:
  argmax play --game connect4 --bot mcts:sims=20000
  argmax play --game tictactoe --bot solver --first bot
  argmax play --env maze:dist=test`,
	Args: cobra.NoArgs,
	RunE: func(cmd *cobra.Command, _ []string) error {
		if spec, _ := cmd.Flags().GetString("env"); spec != "" {
			for _, f := range []string{"game", "bot", "first"} {
				if cmd.Flags().Changed(f) {
					return fmt.Errorf("play: --env and --%s are mutually exclusive (--%s is for --game)", f, f)
				}
			}
			e, err := envs.New(spec)
			if err != nil {
				return err
			}
			seed, _ := cmd.Flags().GetUint64("seed")
			return playEnv(e, seed, cmd.InOrStdin(), cmd.OutOrStdout())
		}
		if cmd.Flags().Changed("seed") {
			return fmt.Errorf("play: --seed is for --env")
		}
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
	playCmd.Flags().String("env", "", "an environment spec to act in yourself instead of a game (e.g. maze:dist=test)")
	playCmd.Flags().Uint64("seed", 0, "the seed of the first episode (with --env; each new level takes the next)")
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

// mazeIn returns the maze in e's wrapper stack, if there is one.
func mazeIn(e env.Env) (*maze.Maze, bool) { return env.Find[*maze.Maze](e) }

// mazeKeys are the keys of a maze's moves.
var mazeKeys = map[byte]int{'w': maze.Up, 'd': maze.Right, 's': maze.Down, 'a': maze.Left}

// arrowKeys are the last letters of the arrow keys' escape sequences.
var arrowKeys = map[byte]int{'A': maze.Up, 'C': maze.Right, 'B': maze.Down, 'D': maze.Left}

// playKey is one key of a person's input line.
type playKey struct {
	action int    // ≥ 0: an action
	cmd    byte   // 'q' or 'n' when action < 0
	bad    string // the input that is no key (cmd 0, action −1)
}

// playKeys splits a line of input into keys: a number is an action's
// index, w/a/s/d and the arrow keys a maze's moves, q and n commands.
func playKeys(line string, isMaze bool) []playKey {
	var keys []playKey
	for _, f := range strings.Fields(line) {
		if n, err := strconv.Atoi(f); err == nil {
			if n < 0 {
				return append(keys, playKey{action: -1, bad: f})
			}
			keys = append(keys, playKey{action: n})
			continue
		}
		for i := 0; i < len(f); i++ {
			if isMaze && strings.HasPrefix(f[i:], "\x1b[") && i+2 < len(f) {
				if a, ok := arrowKeys[f[i+2]]; ok {
					keys = append(keys, playKey{action: a})
					i += 2
					continue
				}
			}
			lc := f[i] | 0x20 // lower case, for letters
			move, isMove := mazeKeys[lc]
			switch {
			case lc == 'q' || lc == 'n':
				keys = append(keys, playKey{action: -1, cmd: lc})
			case isMaze && isMove:
				keys = append(keys, playKey{action: move})
			default:
				return append(keys, playKey{action: -1, bad: f[i:]})
			}
		}
	}
	return keys
}

// playEnv lets a person act in e, reading keys from in and writing the
// frames (the env's rendering, or its observation when it cannot render),
// rewards and episode outcomes to out. The first episode starts from seed,
// each new one (n) from the next.
func playEnv(e env.Env, seed uint64, in io.Reader, out io.Writer) error {
	space := e.ActionSpace()
	if !space.IsDiscrete() {
		return fmt.Errorf("play --env %s: actions %v: play needs discrete actions", e.Name(), space)
	}
	mz, isMaze := mazeIn(e)
	renderer, canRender := env.RendererOf(e)
	var obs []float64
	draw := func() error {
		if canRender {
			return renderer.Render(out)
		}
		_, err := fmt.Fprintf(out, "observation %v\n", obs)
		return err
	}
	keysHelp := fmt.Sprintf("an action 0-%d", space.N-1)
	if isMaze {
		keysHelp = "w up, a left, s down, d right"
		fmt.Fprintf(out, "%s\n", maze.Legend)
	}
	var steps int
	var ret float64
	over := false
	start := func() error {
		obs = e.Reset(seed)
		steps, ret, over = 0, 0, false
		fmt.Fprintf(out, "\n%s, seed %d:\n", describeEnv(e), seed)
		return draw()
	}
	if err := start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	for {
		if over {
			fmt.Fprint(out, "n new level, q quit: ")
		} else {
			fmt.Fprintf(out, "Move (%s; n new level, q quit): ", keysHelp)
		}
		if !sc.Scan() {
			fmt.Fprintln(out, "\nEnd of input.")
			return sc.Err()
		}
	line:
		for _, k := range playKeys(sc.Text(), isMaze) {
			switch {
			case k.cmd == 'q':
				fmt.Fprintln(out, "You quit.")
				return nil
			case k.cmd == 'n':
				seed++
				if err := start(); err != nil {
					return err
				}
			case k.bad != "":
				fmt.Fprintf(out, "%q is not a key: type %s, n or q.\n", k.bad, keysHelp)
				break line
			case k.action >= space.N:
				fmt.Fprintf(out, "There is no action %d: type %s, n or q.\n", k.action, keysHelp)
				break line
			case over:
				fmt.Fprintln(out, "The episode is over: type n for a new level or q to quit.")
				break line
			default:
				var r float64
				var term, trunc bool
				var before maze.Pos
				if isMaze {
					before = mz.Agent()
				}
				obs, r, term, trunc = e.Step([]float64{float64(k.action)})
				steps++
				ret += r
				if err := draw(); err != nil {
					return err
				}
				what := fmt.Sprintf("action %d", k.action)
				if isMaze {
					what = [4]string{"up", "right", "down", "left"}[k.action]
					if mz.Agent() == before {
						what += " (a wall)"
					}
				}
				fmt.Fprintf(out, "Step %d: %s, reward %g, return %g.\n", steps, what, r, ret)
				if term || trunc {
					over = true
					how := "the episode terminated"
					if !term {
						how = "the time limit ended the episode"
					}
					fmt.Fprintf(out, "After %d steps %s.", steps, how)
					if isMaze {
						if o, ok := mz.Reached(); ok {
							fmt.Fprintf(out, " You reached the %v.", o)
						} else {
							fmt.Fprint(out, " You reached nothing.")
						}
					}
					fmt.Fprintf(out, " Return %g; hidden performance %g", ret, e.Performance())
					if isMaze {
						fmt.Fprintf(out, " (%s)", mz.Result())
					}
					fmt.Fprintln(out, ".")
					break line
				}
			}
		}
	}
}

// describeEnv names an env by its String if it has one.
func describeEnv(e env.Env) string {
	if s, ok := e.(fmt.Stringer); ok {
		return s.String()
	}
	return e.Name()
}
