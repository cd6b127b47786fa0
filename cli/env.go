package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"argmax"
	"argmax/env"
	"argmax/lab/envs"
	"argmax/lab/stats"
)

var envCmd = &cobra.Command{
	Use:   "env --env SPEC [--seed N] [--state X,Y,...] < actions | env --env SPEC --bot SPEC [--episodes N]",
	Short: "Roll an environment with actions read from stdin (one JSON line per step), or run a policy and print its episodes",
	Long: `env resets an environment (--env, a spec such as "cartpole" or
"pendulum:mass=0.8..1.2,obs_noise=0.05") from --seed, or from an exact
physical state with --state, prints the first observation, then reads one
action per line from stdin — a discrete action's index, or a box action's
values separated by spaces or commas — and prints one JSON line per step:

  {"step":1,"obs":[...],"reward":1,"terminated":false,"truncated":false}

until the input ends or the episode does (the last line then carries the
episode's return and hidden performance). With --state and the same actions,
the observations can be checked against Gymnasium's own env step by step.

With --bot, a policy plays --episodes episodes instead (episode i from
seed --seed+i), one JSON line each (return, hidden performance, steps), and
a last line with the mean return and its 95% interval. A learner (ppo, dqn, pets)
trains first, on --train (default: the --env spec), and is kept in the cache
folder for the next run; its progress goes to stderr.

With --render, an env that can draw itself (maze) prints its frame after the
reset and after every step, as text between the JSON lines (with --bot, each
step's action and reward above its frame).

Environments:
` + envs.Usage() + `
Policies:
` + envs.PolicyUsage(),
	Args: cobra.NoArgs,
	RunE: runEnv,
}

func init() {
	f := envCmd.Flags()
	f.String("env", "", "the environment spec (required)")
	f.Uint64("seed", 0, "seed of the episode (initial state, hidden parameters, noise)")
	f.String("state", "", "start from this exact physical state instead (comma-separated; classic control tasks)")
	f.String("bot", "", "a policy to run instead of reading actions (e.g. random:seed=2)")
	f.Int("episodes", 10, "episodes the policy plays (with --bot)")
	f.String("train", "", "the env spec a learner trains on (with --bot; default: --env)")
	f.Bool("continue", false, "keep reading actions after the episode ends, resetting with the next seed")
	f.Bool("render", false, "print the env's frame after the reset and every step (envs that can render, e.g. maze)")
	rootCmd.AddCommand(envCmd)
}

// stepLine is one line of argmax env's output.
type stepLine struct {
	Episode     int       `json:"episode"`
	Step        int       `json:"step"`
	Obs         []float64 `json:"obs"`
	Reward      *float64  `json:"reward,omitempty"`
	Terminated  bool      `json:"terminated"`
	Truncated   bool      `json:"truncated"`
	Return      *float64  `json:"return,omitempty"`
	Performance *float64  `json:"performance,omitempty"`
}

// stateSetter is implemented by the envs that can start from an exact
// physical state (env/control's).
type stateSetter interface{ SetState([]float64) error }

func runEnv(cmd *cobra.Command, _ []string) error {
	f := cmd.Flags()
	spec, _ := f.GetString("env")
	if spec == "" {
		return fmt.Errorf("env: --env SPEC is required (kinds: %s)", strings.Join(envs.Kinds(), ", "))
	}
	e, err := envs.New(spec)
	if err != nil {
		return err
	}
	seed, _ := f.GetUint64("seed")
	var renderer env.Renderer
	if render, _ := f.GetBool("render"); render {
		r, ok := env.RendererOf(e)
		if !ok {
			return fmt.Errorf("env: --render: %s cannot render (no env of the spec draws itself)", e.Name())
		}
		renderer = r
	}
	if bot, _ := f.GetString("bot"); bot != "" {
		episodes, _ := f.GetInt("episodes")
		train, _ := f.GetString("train")
		if train == "" {
			train = spec
		}
		if renderer != nil {
			e = &renderSteps{Env: e, r: renderer, out: cmd.OutOrStdout()}
		}
		return runPolicy(cmd, envs.Context{Context: cmd.Context(), Env: e, Train: train, Seed: seed,
			Log: slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))}, bot, episodes)
	}
	frame := func() error {
		if renderer == nil {
			return nil
		}
		return renderer.Render(cmd.OutOrStdout())
	}
	stateText, _ := f.GetString("state")
	more, _ := f.GetBool("continue")
	var state []float64
	if stateText != "" {
		if state, err = parseFloats(stateText); err != nil {
			return fmt.Errorf("env: --state: %w", err)
		}
	}
	out := json.NewEncoder(cmd.OutOrStdout())
	in := bufio.NewScanner(cmd.InOrStdin())
	space := e.ActionSpace()
	for episode := 0; ; episode++ {
		obs, err := reset(e, seed+uint64(episode), state)
		if err != nil {
			return err
		}
		if err := out.Encode(stepLine{Episode: episode, Obs: obs}); err != nil {
			return err
		}
		if err := frame(); err != nil {
			return err
		}
		ret, line := 0.0, 0
		for step := 1; ; step++ {
			action, err := readAction(in, space, &line)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("env: stdin line %d: %w", line, err)
			}
			obs, r, term, trunc := e.Step(action)
			ret += r
			l := stepLine{Episode: episode, Step: step, Obs: obs, Reward: &r, Terminated: term, Truncated: trunc}
			if term || trunc {
				perf := e.Performance()
				l.Return, l.Performance = &ret, &perf
			}
			if err := out.Encode(l); err != nil {
				return err
			}
			if err := frame(); err != nil {
				return err
			}
			if term || trunc {
				break
			}
		}
		if !more {
			return nil
		}
	}
}

// episodeLine is one line of argmax env --bot's output.
type episodeLine struct {
	Episode     int     `json:"episode"`
	Seed        uint64  `json:"seed"`
	Return      float64 `json:"return"`
	Performance float64 `json:"performance"`
	Steps       int     `json:"steps"`
	Truncated   bool    `json:"truncated"`
}

// runPolicy plays episodes of c.Env with the policy spec names, episode i
// from seed c.Seed+i.
func runPolicy(cmd *cobra.Command, c envs.Context, spec string, episodes int) error {
	if episodes < 1 {
		return fmt.Errorf("env: --episodes %d: want at least 1", episodes)
	}
	e, seed := c.Env, c.Seed
	p, err := envs.NewPolicyIn(c, spec)
	if err != nil {
		return err
	}
	out := json.NewEncoder(cmd.OutOrStdout())
	returns := make([]float64, 0, episodes)
	for i := range episodes {
		ep, err := env.Rollout(cmd.Context(), e, p, seed+uint64(i), argmax.Budget{})
		if err != nil {
			return err
		}
		returns = append(returns, ep.Return)
		if err := out.Encode(episodeLine{Episode: i, Seed: seed + uint64(i), Return: ep.Return, Performance: ep.Performance, Steps: ep.Steps, Truncated: ep.Truncated}); err != nil {
			return err
		}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s on %s: mean return %v (95%%) over %d episodes\n", spec, e.Name(), stats.MeanCI(returns, 0.95), episodes)
	return nil
}

// renderSteps is the acting env of argmax env --bot --render: it prints
// the frame after every reset and step. It is a wrapper, so that policies
// find the envs below it; its clones (a planner's simulations) are the
// inner env's, and print nothing.
type renderSteps struct {
	env.Env
	r     env.Renderer
	out   io.Writer
	steps int
}

func (w *renderSteps) Unwrap() env.Env { return w.Env }

func (w *renderSteps) Reset(seed uint64) []float64 {
	obs := w.Env.Reset(seed)
	w.steps = 0
	fmt.Fprintf(w.out, "seed %d:\n", seed)
	w.r.Render(w.out)
	return obs
}

func (w *renderSteps) Step(action []float64) ([]float64, float64, bool, bool) {
	obs, r, term, trunc := w.Env.Step(action)
	w.steps++
	fmt.Fprintf(w.out, "step %d: action %v, reward %g\n", w.steps, action, r)
	w.r.Render(w.out)
	return obs, r, term, trunc
}

// reset starts an episode from seed, then from state if one is given.
func reset(e env.Env, seed uint64, state []float64) ([]float64, error) {
	obs := e.Reset(seed)
	if state == nil {
		return obs, nil
	}
	var inner env.Env = e
	for {
		if s, ok := inner.(stateSetter); ok {
			if err := s.SetState(state); err != nil {
				return nil, fmt.Errorf("env: --state: %w", err)
			}
			break
		}
		w, ok := inner.(env.Wrapper)
		if !ok {
			return nil, fmt.Errorf("env: --state: %s cannot start from a given state", e.Name())
		}
		inner = w.Unwrap()
	}
	if inner != e {
		return nil, fmt.Errorf("env: --state with wrapper keys: the wrappers' first observation would not be the state's; give --state for the bare task")
	}
	if o, ok := e.(interface{ Obs() []float64 }); ok {
		return o.Obs(), nil
	}
	return obs, nil
}

// readAction reads the next non-empty line of in as an action of space;
// io.EOF when the input ends.
func readAction(in *bufio.Scanner, space env.Space, line *int) ([]float64, error) {
	for in.Scan() {
		*line++
		t := strings.TrimSpace(in.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		a, err := parseFloats(t)
		if err != nil {
			return nil, err
		}
		if err := space.Check(a); err != nil && (space.IsDiscrete() || len(a) != space.Dim()) {
			return nil, fmt.Errorf("action %q for %v: %w", t, space, err)
		}
		return a, nil // a box action outside its bounds is clipped by the env
	}
	if err := in.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// parseFloats reads numbers separated by commas or spaces.
func parseFloats(s string) ([]float64, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, fmt.Errorf("%q: no numbers", s)
	}
	out := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q: %q is not a finite number", s, f)
		}
		out[i] = v
	}
	return out, nil
}
