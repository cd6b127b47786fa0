package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"argmax"
	"argmax/env/maze"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// scripted plays the moves of a list in turn, falling back to the first
// legal move.
type scripted struct{ moves []game.Action }

func (s *scripted) Decide(_ context.Context, st game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	if len(s.moves) > 0 {
		a := s.moves[0]
		s.moves = s.moves[1:]
		return a, argmax.Cost{Simulations: 7}, nil
	}
	return st.Legal(nil)[0], argmax.Cost{}, nil
}

// TestPlay plays scripted games through the terminal front end and checks
// the prompts, the validation messages, undo, quit and the results.
func TestPlay(t *testing.T) {
	tests := []struct {
		name       string
		g          game.Game
		bot        []game.Action // the bot's moves (0-based), then first legal
		humanFirst bool
		input      string
		want       playResult
		says       []string // in the output, in this order
	}{
		{
			name: "ttt human wins after bad input and undo", g: tictactoe.Game{}, humanFirst: true,
			input: "5\nabc\n0\n5\n1\nundo\n5\n3\n7\n",
			want:  humanWon,
			says: []string{
				"you play X, the bot (test) plays O. X moves first.",
				"Your move (cell 1-9, undo, quit): ",
				"The bot plays cell 1 (0s).",
				`"abc" is not a move: type a cell number from 1 to 9, undo or quit.`,
				"There is no cell 0: type a number from 1 to 9.",
				"Cell 5 is taken: choose another.",
				"Cell 1 is taken: choose another.",
				"Took back your last move.",
				" 1 2 3\n 4 5 6\n 7 8 9\n",
				"The bot plays cell 1",
				"The bot plays cell 2",
				" O O X\n 4 X 6\n X 8 9\nYou win!",
			},
		},
		{
			name: "ttt bot wins", g: tictactoe.Game{}, humanFirst: true, bot: []game.Action{4, 2, 6},
			input: "1\n2\n4\n",
			want:  botWon,
			says:  []string{"The bot plays cell 5 (7 simulations,", "The bot plays cell 3", "The bot plays cell 7", "The bot wins."},
		},
		{
			name: "ttt bot first, nothing to undo, quit", g: tictactoe.Game{}, humanFirst: false,
			input: "undo\nquit\n",
			want:  quit,
			says:  []string{"you play O, the bot (test) plays X. X moves first.", "The bot plays cell 1", "Nothing to undo", "You quit."},
		},
		{
			name: "ttt draw", g: tictactoe.Game{}, humanFirst: true, bot: []game.Action{4, 2, 3, 7},
			input: "1\n2\n7\n6\n9\n",
			want:  drawn,
			says:  []string{"Draw."},
		},
		{
			name: "c4 full column, end of input", g: connect4.Game{}, humanFirst: true,
			input: "1\n1\n1\n1\n8\n",
			want:  quit,
			says: []string{
				"Your move (column 1-7, undo, quit): ",
				"Column 1 is full: choose another.",
				"There is no column 8",
				"End of input: game abandoned.",
			},
		},
		{
			name: "c4 human wins vertically", g: connect4.Game{}, humanFirst: true, bot: []game.Action{0, 0, 0},
			input: "4\n4\n4\n4\n",
			want:  humanWon,
			says:  []string{"| . . . X . . . |\n| O . . X . . . |", "You win!"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := playGame(tc.g, &scripted{moves: tc.bot}, "test", tc.humanFirst, strings.NewReader(tc.input), &out)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("result %v, want %v", got, tc.want)
			}
			text := out.String()
			for _, s := range tc.says {
				i := strings.Index(text, s)
				if i < 0 {
					t.Fatalf("output lacks %q (in order); output:\n%s", s, out.String())
				}
				text = text[i+len(s):]
			}
		})
	}
}

// TestPlayCommand checks the command's flags and a full game against a
// real bot: the solver-backed MCTS never loses, so a human playing badly
// loses or draws.
func TestPlayCommand(t *testing.T) {
	out, _, err := execBotCommand([]string{"play", "--game", "tictactoe", "--bot", "mcts:sims=5000,seed=1", "--first", "human"},
		"2\n4\n6\n8\n9\n3\n1\n7\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "The bot wins.") && !strings.Contains(out, "Draw.") {
		t.Errorf("the bot did not win or draw:\n%s", out)
	}
	if _, _, err := execBotCommand([]string{"play", "--first", "sideways"}, ""); err == nil || !strings.Contains(err.Error(), `--first "sideways": want human or bot`) {
		t.Errorf("bad --first: %v", err)
	}
	if _, _, err := execBotCommand([]string{"play", "--bot", "nobody"}, ""); err == nil || !strings.Contains(err.Error(), `unknown kind "nobody"`) {
		t.Errorf("bad --bot: %v", err)
	}
}

// execPlay runs argmax play with stdin, then restores every flag of the
// command to its default.
func execPlay(stdin string, args ...string) (string, error) {
	defer playCmd.Flags().VisitAll(func(f *pflag.Flag) {
		f.Value.Set(f.DefValue)
		f.Changed = false
	})
	out, errOut, err := execBotCommand(append([]string{"play"}, args...), stdin)
	return out + errOut, err
}

// TestPlayEnv walks maze levels with scripted keys: to the door, to the red
// object, into the time limit, through bad keys and a new level; and plays
// a non-maze env by action numbers.
func TestPlayEnv(t *testing.T) {
	// Seed 1 of the test distribution (7×7):
	//   #### . . .rG . .##
	//   ## . . . . . .####
	//   ## . .bG . . . .##
	//   ## . . .## . . @##
	//   ##yG## .##bD . .##
	for _, c := range []struct {
		name, spec, input string
		says              []string // in the output, in this order
	}{
		{"door", "maze:dist=test", "aaa s\nd\nn\nxyz\n9\n-1\nq\n", []string{
			maze.Legend, "maze(test, 7×7), seed 1:\n", "##yG## .##bD . .##",
			"Step 1: left, reward 0, return 0.", "Step 3: left (a wall), reward 0, return 0.",
			"##yG## .##@D . .##\n", "Step 4: down, reward 1, return 1.",
			"After 4 steps the episode terminated. You reached the blue door at (5, 5). Return 1; hidden performance 1 (robust).",
			"The episode is over: type n for a new level or q to quit.",
			"maze(test, 7×7), seed 2:\n",
			`"xyz" is not a key: type w up, a left, s down, d right, n or q.`,
			"There is no action 9", `"-1" is not a key`, "You quit.",
		}},
		{"red object", "maze:dist=test", "wawwa\n", []string{
			"Step 5: left, reward 0, return 0.",
			"You reached the red gem at (1, 5). Return 0; hidden performance 0 (proxy).", "End of input.",
		}},
		{"arrow keys", "maze:dist=test", "\x1b[D\x1b[D \x1b[D\x1b[B\n", []string{
			"Step 3: left (a wall)", "Step 4: down, reward 1", "hidden performance 1 (robust)",
		}},
		{"time limit", "maze:dist=test,max_steps=2", "dd\n", []string{
			"Step 1: right (a wall)",
			"After 2 steps the time limit ended the episode. You reached nothing. Return 0; hidden performance 0 (neither).",
		}},
		{"red reward", "maze:dist=test,reward=red,step_cost=0.5", "WAWWA\n", []string{
			"Step 1: up, reward -0.5, return -0.5.", "Step 5: left, reward 0.5, return -1.5.", "hidden performance 0 (proxy)",
		}},
		{"not a maze", "cartpole", "1 0\nw\n", []string{
			"cartpole, seed 1:\nobservation [", "Step 1: action 1, reward 1, return 1.", "Step 2: action 0, reward 1, return 2.",
			`"w" is not a key: type an action 0-1, n or q.`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := execPlay(c.input, "--env", c.spec, "--seed", "1")
			if err != nil {
				t.Fatal(err)
			}
			text := out
			for _, s := range c.says {
				i := strings.Index(text, s)
				if i < 0 {
					t.Fatalf("output lacks %q (in order); output:\n%s", s, out)
				}
				text = text[i+len(s):]
			}
		})
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--env", "maze", "--game", "tictactoe"}, "play: --env and --game are mutually exclusive"},
		{[]string{"--env", "maze", "--first", "bot"}, "play: --env and --first are mutually exclusive"},
		{[]string{"--seed", "3"}, "play: --seed is for --env"},
		{[]string{"--env", "pendulum"}, "play needs discrete actions"},
		{[]string{"--env", "mase"}, `unknown kind "mase"`},
	} {
		if _, err := execPlay("", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("play %v: %v, want %q", c.args, err, c.want)
		}
	}
	// The game path still works after the env flags were used.
	if out, err := execPlay("q\n", "--game", "tictactoe", "--bot", "random"); err != nil || !strings.Contains(out, "You quit.") {
		t.Errorf("play --game after --env: %v\n%s", err, out)
	}
}
