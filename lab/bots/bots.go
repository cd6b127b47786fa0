// Package bots turns a text spec such as "mcts:sims=800,seed=1" into a
// game.Decider for a given game, so that the command line, experiment specs and
// claims can name any decider — direct (solver, MCTS), amortized (learned
// policies) or hybrid (AlphaZero) — the same way. Kinds live in a registry:
// this package registers random, mcts, solver and ext (an external process
// speaking a line protocol, see External), and later packages add their own
// with RegisterKind. Every kind has a role in the taxonomy (RoleOf): direct,
// amortized, hybrid or baseline. It also holds the registry of games by name
// (Game, RegisterGame).
//
// A spec is a kind, optionally followed by a colon and comma-separated
// key=value pairs: "random", "random:seed=3", "mcts:sims=2000,threads=2",
// "solver". A bare key ("mcts:reuse") sets a boolean to true. Errors name
// the spec and what is wrong in it: an unknown kind, an unknown key (with
// the keys the kind knows), a bad value.
package bots

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"argmax"
	"argmax/game"
	"argmax/lab/cache"
	"argmax/lab/kv"
)

// Factory makes a bot of one kind for game g from the spec's arguments. It
// must read every key its kind understands through a's getters (present or
// not), so that keys it did not read are reported as unknown; bad values are
// recorded by the getters (Args.Err) and reported by New.
type Factory func(g game.Game, a *Args) (game.Decider, error)

// Kind describes one kind of bot for the registry.
type Kind struct {
	// Name is the kind's name in specs: lower-case letters, digits, '-', '_'.
	Name string
	// Usage is one line such as "mcts[:sims=N,seed=N]  Monte Carlo tree search".
	Usage string
	// Role is the kind's place in the taxonomy (argmax.Direct, Amortized,
	// Hybrid or Baseline). With RoleKey it is the default of the role= key.
	Role argmax.Role
	// RoleKey lets a spec of this kind name its own role with role=NAME, for
	// kinds whose role depends on what they wrap (an external process).
	RoleKey bool
	// Rest names a key whose value runs to the end of the spec, commas
	// included, so it must be written last ("ext:role=amortized,cmd=./bot a,b").
	// Empty for none.
	Rest string
	// New makes the bot.
	New Factory
	// Games lists the games the kind plays (by Game.Name); nil means
	// every game.
	Games []string
	// Suite lists the specs of this kind that the claim suite compares;
	// none means the kind is not in the suite. A kind in the suite enters
	// every claim with no other change.
	Suite []string
	// SuiteGames, if set, are the games whose suite holds Suite's specs
	// (nil: those of Games): for a kind that plays any game from a
	// checkpoint but whose suite specs train for one.
	SuiteGames []string
	// Axis names the budget the claim suite sweeps for this kind's
	// entries: "sims" (Budget.Simulations), "nodes" (Budget.Nodes), or ""
	// for deciders whose cost per decision is fixed.
	Axis string
}

// Env is where bots are made: the context of the work a factory does (a
// learned kind trains or loads its net), the cache that keeps trained
// artefacts, a log for that work's progress, the seed of seed keys a spec
// leaves out, and the scale ("quick" or "full") that sets a trained kind's
// defaults; TrainSteps and TrainPositions, when positive, replace the
// scale's default training steps and positions of trained kinds (a spec's
// own steps= and n= still win). TrainSeed is the default training seed of
// trained kinds: trials that share it share their nets through the cache.
// The zero Env is a background context, a cache in the temporary folder,
// no log, seeds 0, quick scale.
type Env struct {
	Context        context.Context
	Cache          *cache.Cache
	Log            *slog.Logger
	Seed           uint64
	TrainSeed      uint64
	Scale          string
	TrainSteps     int
	TrainPositions int
}

// context returns e's context, or the background one.
func (e Env) context() context.Context {
	if e.Context == nil {
		return context.Background()
	}
	return e.Context
}

// SuiteEntry is one decider of the claim suite.
type SuiteEntry struct {
	Spec string
	Role argmax.Role
	Axis string // the budget swept ("sims", "nodes") or "" for a fixed cost
}

// Suite returns the claim suite's deciders for game g: every registered
// kind's Suite specs, ordered by role (baseline, direct, amortized,
// hybrid) and then by kind name.
func Suite(g string) []SuiteEntry {
	mu.RLock()
	defer mu.RUnlock()
	order := map[argmax.Role]int{argmax.Baseline: 0, argmax.Direct: 1, argmax.Amortized: 2, argmax.Hybrid: 3}
	names := sortedKeys(kinds)
	sort.SliceStable(names, func(i, j int) bool { return order[kinds[names[i]].Role] < order[kinds[names[j]].Role] })
	var out []SuiteEntry
	for _, n := range names {
		k := kinds[n]
		games := k.Games
		if k.SuiteGames != nil {
			games = k.SuiteGames
		}
		if games != nil && !slices.Contains(games, g) {
			continue
		}
		for _, spec := range k.Suite {
			out = append(out, SuiteEntry{Spec: spec, Role: k.Role, Axis: k.Axis})
		}
	}
	return out
}

var (
	mu    sync.RWMutex
	kinds = map[string]Kind{}
	games = map[string]game.Game{}
)

var nameRE = kv.NameRE

// RegisterKind adds a kind of bot to the registry. It panics on a bad or
// duplicate name, a missing factory or an unknown role: all are programming
// errors.
func RegisterKind(k Kind) {
	if !nameRE.MatchString(k.Name) {
		panic(fmt.Sprintf("bots: kind name %q: want lower-case letters, digits, '-', '_'", k.Name))
	}
	if k.New == nil {
		panic("bots: kind " + k.Name + ": nil factory")
	}
	if _, err := argmax.ParseRole(string(k.Role)); err != nil {
		panic("bots: kind " + k.Name + ": " + err.Error())
	}
	if k.Rest != "" && !nameRE.MatchString(k.Rest) {
		panic(fmt.Sprintf("bots: kind %s: rest key %q: want lower-case letters, digits, '-', '_'", k.Name, k.Rest))
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := kinds[k.Name]; dup {
		panic("bots: kind " + k.Name + " registered twice")
	}
	kinds[k.Name] = k
}

// Kinds returns the registered kind names, sorted.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	return sortedKeys(kinds)
}

// Usage returns one line per registered kind: its usage text.
func Usage() string {
	mu.RLock()
	defer mu.RUnlock()
	var b strings.Builder
	for _, n := range sortedKeys(kinds) {
		k := kinds[n]
		role := string(k.Role)
		if k.RoleKey {
			role = "role=" + role + " by default"
		}
		fmt.Fprintf(&b, "  %s  [%s]\n", k.Usage, role)
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Spec is a parsed bot spec: the kind and its key=value arguments in the
// order written.
type Spec = kv.Spec

// KeyValue is one argument of a spec.
type KeyValue = kv.KeyValue

// ParseSpec parses "kind[:key=value,...]". It looks the kind up only to
// learn whether the kind has a Rest key, whose value runs to the end of the
// spec; an unknown kind is reported by New.
func ParseSpec(text string) (Spec, error) {
	return kv.Parse("bot spec", text, func(kind string) string {
		mu.RLock()
		defer mu.RUnlock()
		return kinds[kind].Rest
	})
}

// Args gives a Factory typed access to a spec's arguments (kv.Args: each
// getter returns the default when the key is absent and records an error
// for a bad value; Err returns the first) and the environment the bot is
// made in.
type Args struct {
	*kv.Args
	env Env
}

// New makes the bot a spec describes, for game g. The error names the spec
// and what is wrong: an unknown kind (listing the known ones), an unknown
// key (listing the keys of the kind), a bad value.
func New(g game.Game, spec string) (game.Decider, error) { return NewIn(Env{}, g, spec) }

// NewIn is New in an environment: the context, cache, log, default seed
// and scale that a factory's work uses (see Env).
func NewIn(env Env, g game.Game, spec string) (game.Decider, error) {
	s, k, err := parseKnown(spec)
	if err != nil {
		return nil, err
	}
	if k.Games != nil && !slices.Contains(k.Games, g.Name()) {
		return nil, fmt.Errorf("bot spec %q: %s does not play %s (it plays %s)", spec, k.Name, g.Name(), strings.Join(k.Games, ", "))
	}
	a := &Args{Args: kv.NewArgs("bot spec", spec, s), env: env}
	if k.RoleKey {
		a.role(k.Role)
	}
	bot, err := k.New(g, a)
	if err == nil {
		err = a.Err()
	}
	if err != nil {
		var se *kv.Error
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, fmt.Errorf("bot spec %q: %w", spec, err)
	}
	if err := a.Unread(); err != nil {
		return nil, err
	}
	return bot, nil
}

// parseKnown parses spec and looks its kind up; the error names the spec.
func parseKnown(spec string) (Spec, Kind, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return Spec{}, Kind{}, err
	}
	mu.RLock()
	k, ok := kinds[s.Kind]
	known := sortedKeys(kinds)
	mu.RUnlock()
	if !ok {
		return Spec{}, Kind{}, fmt.Errorf("bot spec %q: unknown kind %q (known: %s)", spec, s.Kind, strings.Join(known, ", "))
	}
	return s, k, nil
}

// RoleOf returns the role of the bot a spec describes: its kind's role, or
// for kinds with a role key the role the spec names (role=amortized). It
// does not make the bot. The error names the spec: an unknown kind or a bad
// role.
func RoleOf(spec string) (argmax.Role, error) {
	s, k, err := parseKnown(spec)
	if err != nil {
		return "", err
	}
	if !k.RoleKey {
		return k.Role, nil
	}
	a := &Args{Args: kv.NewArgs("bot spec", spec, s)}
	r := a.role(k.Role)
	return r, a.Err()
}

// Close releases what a bot holds — an external bot's process — when it
// implements io.Closer, and does nothing otherwise. Callers that make bots
// with New close them with Close when done.
func Close(d game.Decider) error {
	if c, ok := d.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Prepare makes the decider of every spec once, workers at a time (0: one
// per core), and closes it again: the learned ones are trained into env's
// cache side by side rather than one after the other when a caller first
// asks for each. It returns the first error.
func Prepare(env Env, g game.Game, specs []string, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	sem := make(chan struct{}, workers)
	for _, spec := range specs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d, err := NewIn(env, g, spec)
			if err == nil {
				err = Close(d)
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// Env returns the environment the bot is made in, with a background
// context and a cache in the temporary folder where it sets none.
func (a *Args) Env() (Env, error) {
	e := a.env
	e.Context = e.context()
	if e.Scale == "" {
		e.Scale = "quick"
	}
	if e.Cache == nil {
		c, err := cache.New(filepath.Join(os.TempDir(), "argmax-cache"))
		if err != nil {
			return e, err
		}
		e.Cache = c
	}
	return e, nil
}

// Seed returns the value of the seed key, or the environment's seed.
func (a *Args) Seed() uint64 { return a.Uint("seed", a.env.Seed) }

// role returns the role the spec names with role=, or def.
func (a *Args) role(def argmax.Role) argmax.Role {
	v, ok := a.Value("role", "a role")
	if !ok {
		return def
	}
	r, err := argmax.ParseRole(v)
	if err != nil {
		a.Fail("key %v", err)
		return def
	}
	return r
}

// RegisterGame adds a game to the registry under g.Name(). It panics on a
// duplicate name.
func RegisterGame(g game.Game) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := games[g.Name()]; dup {
		panic("bots: game " + g.Name() + " registered twice")
	}
	games[g.Name()] = g
}

// Game returns the registered game called name ("connect4", "tictactoe").
func Game(name string) (game.Game, error) {
	mu.RLock()
	defer mu.RUnlock()
	g, ok := games[name]
	if !ok {
		return nil, fmt.Errorf("unknown game %q (known: %s)", name, strings.Join(sortedKeys(games), ", "))
	}
	return g, nil
}

// Games returns the registered game names, sorted.
func Games() []string {
	mu.RLock()
	defer mu.RUnlock()
	return sortedKeys(games)
}

// Random plays a uniformly random legal move. Its choice is a function of
// Seed and the position, so the same position always gets the same move.
type Random struct {
	Seed uint64
	buf  []game.Action
}

// Decide returns a uniformly random legal move of s.
func (r *Random) Decide(_ context.Context, s game.State, _ argmax.Budget) (game.Action, argmax.Cost, error) {
	r.buf = s.Legal(r.buf[:0])
	if len(r.buf) == 0 {
		return 0, argmax.Cost{}, fmt.Errorf("random bot: position %q: the game is over", s.String())
	}
	rng := rand.New(rand.NewPCG(r.Seed, s.Key()))
	return r.buf[rng.IntN(len(r.buf))], argmax.Cost{Samples: 1}, nil
}
