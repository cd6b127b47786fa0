package cli

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"argmax/game/connect4"
	"argmax/lab/bots"
)

// TestMove checks argmax move on good and bad lines: a tactic is answered
// right, bad lines get errors naming their number and cause on stderr, the
// run goes on and ends with an error.
func TestMove(t *testing.T) {
	g := connect4.Game{}
	bot, err := bots.New(g, "mcts:sims=2000,seed=1")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Join([]string{
		"41414",    // 1: block at 4
		"414145",   // 2: win at 4
		"44x",      // 3: not a move
		"1111111",  // 4: column full
		"1212121",  // 5: game over
		"21334",    // 6: block at 5
		"4453 3",   // 7: two fields
		"  21334 ", // 8: spaces trimmed
	}, "\n")
	var out, errw bytes.Buffer
	err = runMove(g, bot, nil, strings.NewReader(in), &out, &errw)
	if err == nil || !strings.Contains(err.Error(), "4 of 8 lines") {
		t.Errorf("error %v, want 4 of 8 lines bad", err)
	}
	if want := "41414 4\n414145 4\n21334 5\n21334 5\n"; out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	for _, want := range []string{
		`line 3: connect4 position "44x": character 3 'x': not a move`,
		`line 4: connect4 position "1111111": character 7 '1': 1 is not a legal move here`,
		`line 5: connect4 position "1212121": the game is over`,
		`line 7: "4453 3": want one position, got 2 fields`,
	} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("stderr %q lacks %q", errw.String(), want)
		}
	}
	// All good: no error; the empty line is the empty board.
	out.Reset()
	errw.Reset()
	if err := runMove(g, bot, nil, strings.NewReader("41414\n\n"), &out, &errw); err != nil || errw.Len() != 0 {
		t.Errorf("good input: %v, stderr %q", err, errw.String())
	}
	if lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); len(lines) != 2 || lines[0] != "41414 4" || !strings.HasPrefix(lines[1], " ") {
		t.Errorf("good input: stdout %q", out.String())
	}
}

// TestMoveCommand runs the command through its flags.
func TestMoveCommand(t *testing.T) {
	tests := []struct {
		args    []string
		in      string
		out     string
		errPart string
	}{
		{[]string{"move", "--game", "tictactoe", "--bot", "mcts:sims=3000,seed=2"}, "152\n1425\n", "152 3\n1425 3\n", ""},
		{[]string{"move", "--game", "chess"}, "", "", `unknown game "chess"`},
		{[]string{"move", "--bot", "mcts:simz=1"}, "", "", `unknown key "simz"`},
		{[]string{"move", "--game", "tictactoe", "--bot", "random:seed=1"}, "55\n", "", "1 of 1 lines"},
		// Positions as arguments: stdin is not read; "" is the empty board.
		{[]string{"move", "--game", "tictactoe", "--bot", "mcts:sims=3000,seed=2", "152", "1425"}, "99\n", "152 3\n1425 3\n", ""},
		{[]string{"move", "--game", "tictactoe", "--bot", "solver", "152", "", "44"}, "", "152 3\n 1\n", "1 of 3 arguments"},
	}
	for _, tc := range tests {
		out, _, err := execBotCommand(tc.args, tc.in)
		if tc.errPart == "" && err != nil || tc.errPart != "" && (err == nil || !strings.Contains(err.Error(), tc.errPart)) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.errPart)
		}
		if out != tc.out {
			t.Errorf("%v: stdout %q, want %q", tc.args, out, tc.out)
		}
	}
}

// execBotCommand runs the argmax command with args and stdin, the flags of
// move and play reset to their defaults first (cobra keeps flag values
// between runs), and returns stdout, stderr and the error.
func execBotCommand(args []string, stdin string) (string, string, error) {
	for _, c := range []*cobra.Command{moveCmd, playCmd} {
		for _, name := range []string{"game", "bot", "first"} {
			if f := c.Flags().Lookup(name); f != nil {
				f.Value.Set(f.DefValue)
				f.Changed = false
			}
		}
	}
	var out, errw bytes.Buffer
	rootCmd.SetArgs(args)
	rootCmd.SetIn(strings.NewReader(stdin))
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errw)
	err := rootCmd.Execute()
	return out.String(), errw.String(), err
}

// TestMoveExternal builds the test bot of lab/bots (a Go program speaking
// the external-bot protocol) and plays it through argmax move: its moves
// are printed, and a misbehaving bot gets errors naming it on each line.
func TestMoveExternal(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the test bot")
	}
	bin := filepath.Join(t.TempDir(), "extbot")
	if out, err := exec.Command(goCmd, "build", "-o", bin, filepath.Join("..", "lab", "bots", "testdata", "extbot.go")).CombinedOutput(); err != nil {
		t.Fatalf("building the test bot: %v\n%s", err, out)
	}
	out, _, err := execBotCommand([]string{"move", "--bot", "ext:role=baseline,cmd=" + bin + " good", "41414", "111111", ""}, "")
	if err != nil || out != "41414 1\n111111 2\n 1\n" {
		t.Errorf("good bot: %q, %v", out, err)
	}
	out, errw, err := execBotCommand([]string{"move", "--game", "tictactoe", "--bot", "ext:cmd=" + bin + " good"}, "5\n51\n")
	if err != nil || out != "5 1\n51 2\n" || errw != "" {
		t.Errorf("tic-tac-toe from stdin: %q %q, %v", out, errw, err)
	}
	out, errw, err = execBotCommand([]string{"move", "--bot", "ext:cmd=" + bin + " illegal", "41414", "111111"}, "")
	if err == nil || !strings.Contains(err.Error(), "1 of 2 arguments") || out != "41414 1\n" ||
		!strings.Contains(errw, `argument 2: ext bot "extbot-illegal" (`+bin+` illegal) played the illegal move 1 in connect4 position "111111"`) {
		t.Errorf("illegal bot: %q %q, %v", out, errw, err)
	}
}
