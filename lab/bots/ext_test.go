package bots

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"argmax"
	"argmax/game"
	"argmax/game/connect4"
)

var (
	extBotOnce sync.Once
	extBotPath string
	extBotErr  error
)

// extBot builds testdata/extbot.go once and returns the binary's path; it
// skips the test when there is no go command.
func extBot(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the test bot")
	}
	extBotOnce.Do(func() {
		dir, err := os.MkdirTemp("", "extbot")
		if err != nil {
			extBotErr = err
			return
		}
		extBotPath = filepath.Join(dir, "extbot")
		out, err := exec.Command(goCmd, "build", "-o", extBotPath, filepath.Join("testdata", "extbot.go")).CombinedOutput()
		if err != nil {
			extBotErr = errors.New(string(out))
		}
	})
	if extBotErr != nil {
		t.Fatalf("building the test bot: %v", extBotErr)
	}
	return extBotPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if extBotPath != "" {
		os.RemoveAll(filepath.Dir(extBotPath))
	}
	os.Exit(code)
}

func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  string
	}{
		{"./bot", []string{"./bot"}, ""},
		{"  python3  bot.py --depth=3,fast ", []string{"python3", "bot.py", "--depth=3,fast"}, ""},
		{`bot 'a b' "c d" e'f g'h ""`, []string{"bot", "a b", "c d", "ef gh", ""}, ""},
		{"", nil, "no program"},
		{"bot 'oops", nil, "unterminated ' quote"},
	} {
		got, err := SplitCommand(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestRestKey checks that the cmd key of ext takes the rest of the spec,
// commas and '=' included, and round-trips.
func TestRestKey(t *testing.T) {
	s, err := ParseSpec("ext:role=amortized, time=2s,cmd=python3 bot.py --a=1,b=2")
	if err != nil {
		t.Fatal(err)
	}
	want := []KeyValue{{Key: "role", Value: "amortized"}, {Key: "time", Value: "2s"}, {Key: "cmd", Value: "python3 bot.py --a=1,b=2"}}
	if !slices.Equal(s.Args, want) {
		t.Errorf("args %+v", s.Args)
	}
	if again, err := ParseSpec(s.String()); err != nil || !slices.Equal(again.Args, want) {
		t.Errorf("round trip %q: %+v %v", s.String(), again.Args, err)
	}
	// Other kinds split every comma.
	if s, err := ParseSpec("mcts:cmd=a,b=2"); err != nil || len(s.Args) != 2 {
		t.Errorf("mcts:cmd=a,b=2: %+v %v", s, err)
	}
}

func TestRoleOf(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want argmax.Role
		err  string
	}{
		{"random:seed=2", argmax.Baseline, ""},
		{"mcts:sims=10", argmax.Direct, ""},
		{"solver", argmax.Direct, ""},
		{"ext:cmd=./bot", argmax.Direct, ""},
		{"ext:role=amortized,cmd=./bot", argmax.Amortized, ""},
		{"ext:role=clever,cmd=./bot", "", `bot spec "ext:role=clever,cmd=./bot": key role "clever": want direct`},
		{"alphago", "", `unknown kind "alphago"`},
		{"mcts:,", "", "no key"},
	} {
		got, err := RoleOf(tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.spec, got, err, tc.want)
		}
	}
}

func TestRequestAndAnswer(t *testing.T) {
	for _, tc := range []struct {
		pos  string
		b    argmax.Budget
		want string
	}{
		{"4453", argmax.Budget{Simulations: 800}, "connect4 4453 sims=800"},
		{"", argmax.Budget{}, "connect4 -"},
		{"1", argmax.Budget{Nodes: 5, Iterations: 6, Samples: 7, Time: 1500 * time.Millisecond}, "connect4 1 nodes=5 iters=6 samples=7 time_ms=1500"},
	} {
		if got := Request("connect4", tc.pos, tc.b); got != tc.want {
			t.Errorf("Request(%q, %v) = %q, want %q", tc.pos, tc.b, got, tc.want)
		}
	}
	for _, tc := range []struct {
		line string
		move game.Action
		cost argmax.Cost
		err  string
	}{
		{"4", 3, argmax.Cost{}, ""},
		{" 7 nodes=12345 sims=3 steps=4 passes=1 flops=99 iters=2 samples=5\r", 6, argmax.Cost{Nodes: 12345, Simulations: 3, Steps: 4, ForwardPasses: 1, FLOPs: 99, Iterations: 2, Samples: 5}, ""},
		{"", 0, argmax.Cost{}, "empty line"},
		{"four", 0, argmax.Cost{}, `"four" is not a move (want a number from 1 to 7)`},
		{"8", 0, argmax.Cost{}, "move 8 is out of range"},
		{"0", 0, argmax.Cost{}, "move 0 is out of range"},
		{"4 nodez=3", 0, argmax.Cost{}, `"nodez=3" is not a count`},
		{"4 nodes", 0, argmax.Cost{}, `"nodes" is not a count`},
		{"4 nodes=-1", 0, argmax.Cost{}, `count "nodes=-1"`},
		{"error out of ideas", 0, argmax.Cost{}, "the bot's error: out of ideas"},
	} {
		a, c, err := ParseAnswer(tc.line, 7)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.line, err, tc.err)
			}
			continue
		}
		if err != nil || a != tc.move || c != tc.cost {
			t.Errorf("%q: %d %+v %v", tc.line, a, c, err)
		}
	}
}

// TestExternal plays the test bot in each of its behaviours: a good bot's
// moves and counts arrive, every misbehaviour gets an error naming the bot,
// and a bot that failed is started again for the next decision.
func TestExternal(t *testing.T) {
	bin := extBot(t)
	g := connect4.Game{}
	full, _ := connect4.Parse("111111") // column 1 is full
	ctx := context.Background()
	for _, tc := range []struct {
		mode string
		spec string // keys before cmd
		pos  *connect4.State
		want string // substring of the error; "" for a good answer
	}{
		{"good", "", full, ""},
		{"garbage", "", connect4.New(), `answered "hello there" to "connect4 -": "hello" is not a move`},
		{"illegal", "", full, `played the illegal move 1 in connect4 position "111111"`},
		{"exit", "", full, `exited (exit status 3) without answering "connect4 111111"; its stderr ends: extbot: giving up`},
		{"hang", "time=50ms,slack=50ms,", full, `did not answer "connect4 111111 time_ms=50" within 100ms: killed it`},
		{"error", "", full, "the bot's error: no idea"},
		{"refuse", "", full, `refused to play connect4: I only play chess`},
		{"silent", "timeout=100ms,", full, `did not answer "argmax 1 connect4" within 100ms`},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			spec := "ext:" + tc.spec + "cmd=" + bin + " " + tc.mode
			d, err := New(g, spec)
			if err != nil {
				t.Fatal(err)
			}
			defer Close(d)
			for round := 0; round < 2; round++ { // the second decision restarts a failed bot
				a, c, err := d.Decide(ctx, tc.pos, argmax.Budget{})
				if tc.want == "" {
					if err != nil || a != 1 || c.Nodes != 7 || c.ForwardPasses != 1 {
						t.Fatalf("move %d, cost %+v, err %v", a+1, c, err)
					}
					if n := d.(*External).Name(); n != "extbot-good" {
						t.Errorf("name %q", n)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ext bot ") || !strings.Contains(err.Error(), bin) {
					t.Fatalf("round %d: error %v, want one naming the bot and %q", round, err, tc.want)
				}
			}
		})
	}
}

// TestExternalBudgetAndLifecycle checks that the spec's budget is sent when
// the caller gives none, that the caller's budget wins otherwise, that a
// bot writing two lines for one request is caught, and that Close stops
// the process (and a closed bot starts again when asked).
func TestExternalBudgetAndLifecycle(t *testing.T) {
	bin := extBot(t)
	g := connect4.Game{}
	ctx := context.Background()
	d, err := New(g, "ext:sims=123,cmd="+bin+" echo-budget")
	if err != nil {
		t.Fatal(err)
	}
	e := d.(*External)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, c, err := d.Decide(ctx, connect4.New(), argmax.Budget{}); err != nil || c.Simulations != 123 {
		t.Errorf("spec budget: %+v %v", c, err)
	}
	if _, c, err := d.Decide(ctx, connect4.New(), argmax.Budget{Simulations: 9}); err != nil || c.Simulations != 9 {
		t.Errorf("caller budget: %+v %v", c, err)
	}
	proc := e.proc.cmd.Process
	if err := Close(d); err != nil {
		t.Fatal(err)
	}
	if e.proc != nil {
		t.Fatal("Close left the process")
	}
	if err := proc.Signal(os.Interrupt); err == nil {
		t.Error("the process still runs after Close")
	}
	if _, _, err := d.Decide(ctx, connect4.New(), argmax.Budget{}); err != nil {
		t.Errorf("after Close: %v", err)
	}
	Close(d)

	d, _ = New(g, "ext:cmd="+bin+" extra")
	defer Close(d)
	if _, _, err := d.Decide(ctx, connect4.New(), argmax.Budget{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the second line arrive
	if _, _, err := d.Decide(ctx, connect4.New(), argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "before it was asked anything") {
		t.Errorf("two lines for one request: %v", err)
	}
	over, _ := connect4.Parse("1212121")
	if _, _, err := d.Decide(ctx, over, argmax.Budget{}); err == nil || !strings.Contains(err.Error(), "the game is over") {
		t.Errorf("finished game: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := d.Decide(cctx, connect4.New(), argmax.Budget{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestExternalSpecErrors(t *testing.T) {
	g := connect4.Game{}
	for _, tc := range []struct{ spec, want string }{
		{"ext", "no cmd=PROGRAM"},
		{"ext:role=amortized", "no cmd=PROGRAM"},
		{"ext:cmd=./no-such-bot-here", `key cmd: exec: "./no-such-bot-here"`},
		{"ext:cmd='unterminated", "unterminated ' quote"},
		{"ext:role=clever,cmd=sh", `key role "clever"`},
		{"ext:timeout=-1s,cmd=sh", `key timeout="-1s": want a positive duration`},
		{"ext:depth=3,cmd=sh", `unknown key "depth" for ext (ext has keys: cmd, nodes, role, sims, slack, time, timeout)`},
	} {
		_, err := New(g, tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), `bot spec "`+tc.spec+`"`) {
			t.Errorf("%s: error %v, want %q", tc.spec, err, tc.want)
		}
	}
}

// TestPythonExample plays the example bot of scripts/bots when python3 is
// installed: legal moves from every position of a random game of connect
// four (one process: python3 may start slowly behind a version manager).
func TestPythonExample(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	script, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "bots", "random_bot.py"))
	for _, name := range []string{"connect4"} {
		g, _ := Game(name)
		d, err := New(g, "ext:cmd="+py+" "+script+" --seed 3")
		if err != nil {
			t.Fatal(err)
		}
		st := g.New()
		for {
			if over, _ := st.Terminal(); over {
				break
			}
			a, c, err := d.Decide(context.Background(), st, argmax.Budget{})
			if err != nil || !st.IsLegal(a) || c.Samples != 1 {
				t.Fatalf("%s %q: move %d, cost %+v, err %v", name, st.String(), a+1, c, err)
			}
			st.Play(a)
		}
		if n := d.(*External).Name(); !strings.HasPrefix(n, "random_bot.py") {
			t.Errorf("name %q", n)
		}
		Close(d)
	}
}
