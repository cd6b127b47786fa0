package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// runEnvCmd runs argmax env with stdin.
func runEnvCmd(stdin string, args ...string) (string, error) {
	rootCmd.SetIn(strings.NewReader(stdin))
	defer func() {
		rootCmd.SetIn(nil)
		envCmd.Flags().VisitAll(func(f *pflag.Flag) {
			f.Value.Set(f.DefValue)
			f.Changed = false
		})
	}()
	var out bytes.Buffer
	err := Run(append([]string{"env"}, args...), &out, &out)
	return out.String(), err
}

// TestEnvCommand rolls cart-pole from an exact state: the first line is
// the state, each action gives a line with the Euler step of Gymnasium's
// equations, and the episode's last line has its return.
func TestEnvCommand(t *testing.T) {
	out, err := runEnvCmd("1\n\n# comment\n0\n", "--env", "cartpole", "--state", "0,0,0,0")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	var first, step stepLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Step != 0 || len(first.Obs) != 4 || first.Obs[0] != 0 || first.Reward != nil {
		t.Errorf("first line %s: %v", lines[0], err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &step); err != nil || step.Step != 1 || step.Reward == nil || *step.Reward != 1 {
		t.Fatalf("second line %s: %v", lines[1], err)
	}
	// From rest, Euler moves x by τ·ẋ = 0 and ẋ by τ·ẍ, with
	// ẍ = F/(m_cart+m_pole) − m_pole·l·θ̈·cos θ/M and θ̈ = −F/M/(l·(4/3 − m_pole/M)):
	// F = 10, M = 1.1, l = 0.5.
	M, F, l, mp := 1.1, 10.0, 0.5, 0.1
	thetaAcc := -(F / M) / (l * (4.0/3.0 - mp/M))
	xAcc := F/M - mp*l*thetaAcc/M
	if want := 0.02 * xAcc; step.Obs[0] != 0 || abs(step.Obs[1]-want) > 1e-12 || abs(step.Obs[3]-0.02*thetaAcc) > 1e-12 {
		t.Errorf("after one push right: %v, want ẋ %v, θ̇ %v", step.Obs, want, 0.02*thetaAcc)
	}
	out, err = runEnvCmd(strings.Repeat("1\n", 100), "--env", "cartpole", "--seed", "2")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	var last stepLine
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || !last.Terminated || last.Return == nil || *last.Return != float64(last.Step) || len(lines) > 60 {
		t.Errorf("always right: %d lines, last %s: %v", len(lines), lines[len(lines)-1], err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", nil, "--env SPEC is required"},
		{"2\n", []string{"--env", "cartpole"}, "stdin line 1: action \"2\" for Discrete(2)"},
		{"x\n", []string{"--env", "pendulum"}, `"x" is not a finite number`},
		{"", []string{"--env", "cartpole", "--state", "0,0"}, "--state"},
		{"", []string{"--env", "cartpole:obs_noise=0.1", "--state", "0,0,0,0"}, "--state with wrapper keys"},
	} {
		if _, err := runEnvCmd(c.stdin, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("env %v < %q: %v, want %q", c.args, c.stdin, err, c.want)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestEnvPolicy: --bot plays episodes from consecutive seeds and prints
// their returns and the mean's interval; the same seed, the same episodes.
func TestEnvPolicy(t *testing.T) {
	out, err := runEnvCmd("", "--env", "cartpole", "--bot", "random:seed=3", "--episodes", "4", "--seed", "10")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[4], "random:seed=3 on cartpole: mean return ") {
		t.Fatalf("output:\n%s", out)
	}
	var ep episodeLine
	if err := json.Unmarshal([]byte(lines[3]), &ep); err != nil || ep.Seed != 13 || ep.Return != float64(ep.Steps) || ep.Performance != ep.Return {
		t.Errorf("last episode %s: %v", lines[3], err)
	}
	again, _ := runEnvCmd("", "--env", "cartpole", "--bot", "random:seed=3", "--episodes", "4", "--seed", "10")
	if again != out {
		t.Errorf("same seeds, other episodes:\n%s\n%s", out, again)
	}
	if _, err := runEnvCmd("", "--env", "cartpole", "--bot", "rnd"); err == nil || !strings.Contains(err.Error(), `unknown kind "rnd" (known: `) || !strings.Contains(err.Error(), "random") {
		t.Errorf("unknown policy: %v", err)
	}
}

// TestEnvRender: --render prints a maze's frame after the reset and every
// step, with actions from stdin and with a policy; an env that cannot
// render is an error.
func TestEnvRender(t *testing.T) {
	// Seed 1 of the test distribution: three lefts (the third into a
	// wall) and a down reach the blue door.
	out, err := runEnvCmd("3\n3\n3\n2\n", "--env", "maze:dist=test", "--seed", "1", "--render")
	if err != nil {
		t.Fatal(err)
	}
	var lines []stepLine
	frames := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "{") {
			var s stepLine
			if err := json.Unmarshal([]byte(l), &s); err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			lines = append(lines, s)
		} else if strings.HasPrefix(l, "##################") {
			frames++
		}
	}
	if len(lines) != 5 || frames != 10 || lines[4].Return == nil || *lines[4].Return != 1 || *lines[4].Performance != 1 {
		t.Fatalf("%d JSON lines, %d frame borders (want 5 and 10):\n%s", len(lines), frames, out)
	}
	if !strings.Contains(out, "\"step\":4,") || !strings.HasSuffix(out, "##yG## .##@D . .##\n#### . . . . .####\n## . . . . . . .##\n##################\n") {
		t.Errorf("the last frame is not the agent on the door:\n%s", out)
	}
	out, err = runEnvCmd("", "--env", "maze:dist=test", "--seed", "1", "--render", "--bot", "mazeplan:reward=red", "--episodes", "2")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"seed 1:\n##################\n", "step 1: action [0], reward 0\n", "step 5: action [3], reward 0\n", "#### . . .@G . .##",
		`{"episode":0,"seed":1,"return":0,"performance":0,"steps":5,"truncated":false}`, "seed 2:\n", "mazeplan:reward=red on maze: mean return 0 "} {
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", s, out)
		}
		out = out[i+len(s):]
	}
	if _, err := runEnvCmd("", "--env", "cartpole", "--render"); err == nil || !strings.Contains(err.Error(), "--render: cartpole cannot render") {
		t.Errorf("cartpole --render: %v", err)
	}
	// The frame is the true state's, under wrappers too.
	if out, err := runEnvCmd("0\n", "--env", "maze:dist=test,obs_noise=0.1", "--seed", "1", "--render"); err != nil || !strings.Contains(out, "## . .bG . . . @##") {
		t.Errorf("wrapped maze --render: %v\n%s", err, out)
	}
}
