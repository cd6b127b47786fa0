package bots

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/direct/alphabeta"
	"argmax/direct/mcts"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/game/connect4/positions"
	"argmax/hybrid/arbiter"
	"argmax/hybrid/guided"
	"argmax/hybrid/gumbel"
	"argmax/lab/learners"
)

// The kinds beyond search: the tactical rule (a baseline), depth-limited
// alpha-beta, and the learned deciders — supervised nets, tables, and PUCT
// guided by a net — trained from their specs through the environment's
// cache (lab/learners).
func init() {
	RegisterKind(Kind{Name: "tactical", Role: argmax.Baseline, New: newTactical, Games: []string{"connect4"}, Suite: []string{"tactical"},
		Usage: "tactical[:seed=N]  the 2-ply rule: win now, else block, else do not play under the opponent's winning cell (uniform among what it allows)"})
	RegisterKind(Kind{Name: "depth", Role: argmax.Direct, New: newDepth, Axis: "nodes",
		Usage: "depth[:depth=N,seed=N,ties=lowest|random]  depth-limited alpha-beta (depth 0: iterative deepening within the budget's nodes or time)"})
	RegisterKind(Kind{Name: "net", Role: argmax.Amortized, New: newNet, SuiteGames: []string{"connect4"},
		Suite: []string{"net:size=tiny", "net:size=small", "net:size=medium"},
		Usage: "net[:checkpoint=PATH | size=tiny|small|medium|large,labels=solver|demo|search,n=N,extra=N,steps=N,label_sims=N,seed=N]  " +
			"a supervised policy/value net: loaded from a checkpoint, or trained on the embedded training positions and extra=N generated ones (cached; seed: the training seed)"})
	RegisterKind(Kind{Name: "table", Role: argmax.Amortized, New: newTable, Games: []string{"connect4"}, Suite: []string{"table"},
		Usage: "table[:labels=solver|demo|search,n=N,label_sims=N,seed=N]  a lookup table of the training labels (a random move where it has none)"})
	RegisterKind(Kind{Name: "guided", Role: argmax.Hybrid, New: newGuided, SuiteGames: []string{"connect4"}, Axis: "sims",
		Suite: []string{"guided:size=small"},
		Usage: "guided[:sims=N,c=X,batch=N,threads=N,search_seed=N,step_cost=D, and the net keys]  PUCT whose priors and leaf values come from a supervised net (step_cost: every move of the model costs D more)"})
	RegisterKind(Kind{Name: "arbiter", Role: argmax.Hybrid, New: newArbiter,
		Usage: "arbiter:" + azKeys + "[,margin=X | mean_sims=X,calib=train[-PHASE][-deep],calib_positions=N,min_sims=N,max_sims=N,search=alphazero|mcts,check=BOOL,values=BOOL,search_seed=N]  the net alone where it is confident — its top move leads the runner-up by margin, less (with values=true) the disagreement of its value head with itself one move later — and, in connect four, the tactical rule allows the move, else a search of min_sims..max_sims simulations, more as the margin shrinks (mean_sims: the margin calibrated so that the first calib_positions of the training set, or of its part calib, get that many simulations per decision on average; max_sims then defaults to twice mean_sims)"})
	RegisterKind(Kind{Name: "gumbel", Role: argmax.Hybrid, New: newGumbel, Axis: "sims",
		Usage: "gumbel:" + azKeys + "[,sims=N,considered=N,noise=BOOL,batch=N,search_seed=N]  Gumbel root search with sequential halving over a net's priors and values (default 16 sims; noise=false: the top priors, no Gumbel noise)"})
	RegisterKind(Kind{Name: "alphazero", Role: argmax.Hybrid, New: newAlphaZero, Axis: "sims",
		Usage: "alphazero:" + azKeys + " [,sims=N,c=X,batch=N,threads=N,search_seed=N,step_cost=D]  PUCT over a net trained by expert iteration: by `argmax train alphazero` (checkpoint), or from scratch for this spec (cached; raw=true: trained on its own games without search)"})
	RegisterKind(Kind{Name: "aznet", Role: argmax.Amortized, New: newAZNet,
		Usage: "aznet:" + azKeys + "  the net of alphazero alone: one forward pass, no search"})
}

func newArbiter(g game.Game, a *Args) (game.Decider, error) {
	p, err := azPolicy(g, a)
	if err != nil {
		return nil, err
	}
	// Calibrated for a mean budget, the searches span up to twice that
	// mean by default: spending far more on the least sure positions buys
	// little once PUCT's returns flatten.
	maxSims := int64(800)
	if _, given := a.Lookup("mean_sims"); given {
		maxSims = max(1, int64(math.Round(2*a.Float("mean_sims", 0, 0, 1e9))))
	}
	cfg := arbiter.Config{
		Game:    g,
		Net:     p,
		Margin:  a.Float("margin", 0.3, 0, 2),
		MaxSims: a.Int("max_sims", maxSims, 1, math.MaxInt32),
	}
	cfg.MinSims = a.Int("min_sims", min(32, cfg.MaxSims), 1, math.MaxInt32)
	var search game.Decider
	switch kind := a.String("search", "alphazero"); kind {
	case "alphazero":
		search, err = guided.New(guided.Adapt(p.Clone()), guided.Config{Game: g, Seed: a.Uint("search_seed", a.env.Seed)})
	case "mcts":
		search, err = mcts.New(mcts.Config{Solver: true, Seed: a.Uint("search_seed", a.env.Seed)})
	default:
		a.Fail("key search=%q: want alphazero (PUCT over the same net) or mcts (random rollouts)", kind)
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	if err != nil {
		return nil, err
	}
	cfg.Search = search
	if a.Bool("values", false) {
		cfg.Values = p
	}
	if g.Name() == "connect4" && a.Bool("check", true) {
		rule := tactical.New(0)
		cfg.Check = func(s game.State, mv game.Action) bool {
			allowed, err := rule.Allowed(s, nil)
			return err == nil && slices.Contains(allowed, mv)
		}
	}
	if _, given := a.Lookup("mean_sims"); given {
		if _, m := a.Lookup("margin"); m {
			a.Fail("keys margin and mean_sims: give the threshold or the mean budget to calibrate it for, not both")
		}
		target := a.Float("mean_sims", 0, 0, 1e9)
		n := int(a.Int("calib_positions", 1000, 1, 1<<20))
		set := a.String("calib", "train")
		if a.Err() != nil {
			return nil, a.Err()
		}
		if cfg.Margin, err = calibrateArbiter(a.env, cfg, set, n, target); err != nil {
			return nil, err
		}
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	return arbiter.New(cfg)
}

// calibrateArbiter returns the threshold at which cfg's arbiter spends
// target simulations per decision on average over the first n positions
// of a part of connect four's training set (held out from every test
// set): set is "train", or "train-" followed by a phase (openings,
// beginning, middle, end), "deep" (where the 2-ply rule can lose the
// value), or a phase and "-deep".
func calibrateArbiter(env Env, cfg arbiter.Config, set string, n int, target float64) (float64, error) {
	if cfg.Game.Name() != "connect4" {
		return 0, fmt.Errorf("arbiter: key mean_sims calibrates on connect four's training positions; for %s give margin=X", cfg.Game.Name())
	}
	keep, err := trainFilter(set)
	if err != nil {
		return 0, err
	}
	src, err := positions.Set("train")
	if err != nil {
		return 0, err
	}
	var states []game.State
	for _, p := range src {
		if len(states) == n {
			break
		}
		if !keep(p) {
			continue
		}
		s, err := p.State()
		if err != nil {
			return 0, err
		}
		states = append(states, s)
	}
	if len(states) == 0 {
		return 0, fmt.Errorf("arbiter: key calib=%s: no training positions", set)
	}
	ctx := env.Context
	if ctx == nil {
		ctx = context.Background()
	}
	pts, err := arbiter.Points(ctx, cfg, states)
	if err != nil {
		return 0, err
	}
	return arbiter.Calibrate(cfg, pts, target)
}

// trainFilter returns the test of a part of the training set (see
// calibrateArbiter).
func trainFilter(set string) (func(positions.Position) bool, error) {
	rest, ok := strings.CutPrefix(set, "train")
	deep := false
	if ok {
		rest, deep = strings.CutSuffix(rest, "-deep")
		if rest == "deep" { // "train-deep" without a phase
			rest, deep = "", true
		}
	}
	phase := strings.TrimPrefix(rest, "-")
	known := phase == ""
	for _, ph := range positions.Phases {
		known = known || ph.Name == phase
	}
	if !ok || !known || (rest != "" && !strings.HasPrefix(rest, "-")) {
		return nil, fmt.Errorf("arbiter: key calib=%q: want train, train-PHASE, train-deep or train-PHASE-deep (phases: openings, beginning, middle, end)", set)
	}
	return func(p positions.Position) bool {
		if deep && !p.Deep {
			return false
		}
		if phase == "" {
			return true
		}
		ph, in := positions.PhaseOf(len(p.Moves))
		return in && ph.Name == phase
	}, nil
}

func newGumbel(g game.Game, a *Args) (game.Decider, error) {
	p, err := azPolicy(g, a)
	if err != nil {
		return nil, err
	}
	cfg := gumbel.Config{
		Game:       g,
		Considered: int(a.Int("considered", 0, 1, 1<<10)),
		NoGumbel:   !a.Bool("noise", true),
		Batch:      int(a.Int("batch", 0, 1, 1<<12)),
		Seed:       a.Uint("search_seed", a.env.Seed),
		Budget:     argmax.Budget{Simulations: a.Int("sims", 0, 1, math.MaxInt32)},
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	return gumbel.New(guided.Adapt(p), cfg)
}

func newAlphaZero(g game.Game, a *Args) (game.Decider, error) { return guidedSearch(g, a, azPolicy) }

func newAZNet(g game.Game, a *Args) (game.Decider, error) { return azPolicy(g, a) }

// azKeys is the usage of the keys that name a net trained by expert
// iteration.
const azKeys = "checkpoint=PATH | iterations=N[,size=S,games=N,train_sims=N,gumbel=BOOL,raw=BOOL,seed=N]"

// azPolicy returns the net of the expert-iteration kinds: loaded from
// checkpoint=PATH (any supervised checkpoint, such as argmax train
// alphazero's), or trained from scratch by hybrid/alphazero for the keys
// of an AZSpec, through the cache.
func azPolicy(g game.Game, a *Args) (*supervised.Policy, error) {
	if _, ok := a.Lookup("checkpoint"); ok {
		for _, k := range []string{"iterations", "games", "train_sims", "gumbel", "raw"} {
			if _, given := a.Lookup(k); given {
				a.Fail("key %s: a net loaded from a checkpoint is not trained (drop %s or checkpoint)", k, k)
			}
		}
		return policy(g, a)
	}
	env, err := a.Env()
	if err != nil {
		return nil, err
	}
	s := learners.AZSpec{
		Game:       g,
		Size:       a.String("size", ""),
		Iterations: int(a.Int("iterations", 0, 1, 1<<20)),
		Games:      int(a.Int("games", 0, 1, 1<<20)),
		Sims:       int(a.Int("train_sims", 0, 1, 1<<20)),
		Gumbel:     a.Bool("gumbel", false),
		Raw:        a.Bool("raw", false),
		Seed:       a.Uint("seed", env.TrainSeed),
	}
	if s.Iterations == 0 {
		a.Fail("key checkpoint=PATH or iterations=N is required (a net from argmax train alphazero, or one trained from this spec)")
	}
	if s.Gumbel && s.Raw {
		a.Fail("keys gumbel and raw: raw self-play has no search to be Gumbel")
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	return learners.AlphaZero(env.Context, env.Cache, s, env.Log)
}

func newTactical(_ game.Game, a *Args) (game.Decider, error) { return tactical.New(a.Seed()), nil }

func newDepth(g game.Game, a *Args) (game.Decider, error) {
	cfg := alphabeta.DepthConfig{Depth: int(a.Int("depth", 0, 0, 64)), Seed: a.Seed()}
	switch ties := a.String("ties", "lowest"); ties {
	case "lowest":
	case "random":
		cfg.RandomTies = true
	default:
		a.Fail("key ties=%q: want lowest or random", ties)
	}
	if a.Err() != nil {
		return nil, a.Err()
	}
	return alphabeta.NewDepthLimited(g, cfg)
}

// netSpec reads the keys that describe a trained net, with the defaults of
// the environment's scale.
func netSpec(a *Args) (learners.NetSpec, error) {
	env, err := a.Env()
	if err != nil {
		return learners.NetSpec{}, err
	}
	def := learners.Defaults(env.Scale)
	if env.TrainPositions > 0 {
		def.N = env.TrainPositions
	}
	size := a.String("size", def.Size)
	steps := learners.DefaultSteps(env.Scale, size)
	if env.TrainSteps > 0 {
		steps = env.TrainSteps
	}
	s := learners.NetSpec{
		Size:  size,
		N:     int(a.Int("n", int64(def.N), 0, math.MaxInt32)),
		Steps: int(a.Int("steps", int64(steps), 1, math.MaxInt32)),
		Sims:  a.Int("label_sims", def.Sims, 1, math.MaxInt32),
		Seed:  a.Uint("seed", env.TrainSeed),
	}
	t, err := learners.ParseTeacher(a.String("labels", string(learners.Solver)))
	if err != nil {
		a.Fail("key labels: %v", err)
	}
	s.Teacher = t
	if t != learners.Solver {
		def.Extra = 0 // generated positions are for the solver's labels
	}
	s.Extra = int(a.Int("extra", int64(def.Extra), 0, math.MaxInt32))
	if _, err := supervised.Size(s.Size); err != nil {
		a.Fail("key size: %v", err)
	}
	return s, a.Err()
}

// policy returns the net a spec names: from checkpoint=PATH, or trained.
func policy(g game.Game, a *Args) (*supervised.Policy, error) {
	if path := a.String("checkpoint", ""); path != "" {
		for _, k := range []string{"size", "labels", "n", "extra", "steps", "label_sims"} {
			if _, given := a.Lookup(k); given {
				a.Fail("key %s: a net loaded from a checkpoint is not trained (drop %s or checkpoint)", k, k)
			}
		}
		a.Uint("seed", 0) // a loaded net has no seed of its own; accept the key
		if a.Err() != nil {
			return nil, a.Err()
		}
		p, err := supervised.Load(path)
		if err == nil && p.Encoding().Game != g.Name() {
			err = fmt.Errorf("checkpoint %s holds a net for %s, not %s", path, p.Encoding().Game, g.Name())
		}
		return p, err
	}
	if g.Name() != "connect4" {
		a.Fail("nets are trained from specs for connect4 only; for %s, load one with checkpoint=PATH (argmax train alphazero makes them)", g.Name())
		return nil, a.Err()
	}
	s, err := netSpec(a)
	if err != nil {
		return nil, err
	}
	env, _ := a.Env()
	return learners.Net(env.Context, env.Cache, s, env.Log)
}

func newNet(g game.Game, a *Args) (game.Decider, error) { return policy(g, a) }

func newTable(g game.Game, a *Args) (game.Decider, error) {
	env, err := a.Env()
	if err != nil {
		return nil, err
	}
	def := learners.Defaults(env.Scale)
	if env.TrainPositions > 0 {
		def.N = env.TrainPositions
	}
	t, err := learners.ParseTeacher(a.String("labels", string(learners.Solver)))
	if err != nil {
		a.Fail("key labels: %v", err)
	}
	n := int(a.Int("n", int64(def.N), 0, math.MaxInt32))
	sims := a.Int("label_sims", def.Sims, 1, math.MaxInt32)
	seed := a.Uint("seed", env.TrainSeed)
	if a.Err() != nil {
		return nil, a.Err()
	}
	return learners.Table(env.Context, t, n, sims, seed)
}

// trainedSearch is a search guided by a trained net: its training cost is
// the net's.
type trainedSearch struct {
	*mcts.Searcher
	net *supervised.Policy
}

// TrainingCost returns the net's training cost (argmax.Trainable).
func (t trainedSearch) TrainingCost() argmax.Cost { return t.net.TrainingCost() }

func newGuided(g game.Game, a *Args) (game.Decider, error) { return guidedSearch(g, a, policy) }

// guidedSearch is PUCT over the net that source reads from the spec's
// keys, with the search keys of the guided and alphazero kinds.
func guidedSearch(g game.Game, a *Args, source func(game.Game, *Args) (*supervised.Policy, error)) (game.Decider, error) {
	cfg := guided.Config{
		Game:    g,
		C:       a.Float("c", 0, 0, 1e6),
		Batch:   int(a.Int("batch", 0, 1, 1<<12)),
		Threads: int(a.Int("threads", 1, 1, 1024)),
		Budget:  argmax.Budget{Simulations: a.Int("sims", 0, 1, math.MaxInt64)},
	}
	p, err := source(g, a)
	if err != nil {
		return nil, err
	}
	cfg.Seed = a.Uint("search_seed", a.env.Seed)
	stepCost := a.Duration("step_cost", 0)
	if a.Err() != nil {
		return nil, a.Err()
	}
	s, err := guided.New(guided.Adapt(p), cfg)
	if err != nil {
		return nil, err
	}
	if stepCost > 0 {
		return withStepCost(s, stepCost), nil
	}
	return trainedSearch{s, p}, nil
}
