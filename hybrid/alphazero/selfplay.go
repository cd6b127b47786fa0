package alphazero

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/hybrid/guided"
	"argmax/hybrid/gumbel"
)

// PlayConfig sets up self-play: the search each player runs, how moves
// are chosen from it, and how many games are played at once.
type PlayConfig struct {
	// Sims is the simulations of a full search, whose root visits become
	// a training target. FastSims, if positive, is the budget of the other
	// moves (playout-cap randomization, after KataGo): a share FullShare of
	// the moves get a full search, the rest a fast one that only chooses
	// the move and is not a target.
	Sims, FastSims int
	FullShare      float64
	// Gumbel plays with Gumbel root search and sequential halving
	// (hybrid/gumbel) instead of PUCT with Dirichlet noise: the training
	// target is its improved policy and the move its choice (the Gumbel
	// noise explores; TempPlies, C, FPU and the noise settings are not
	// used). It learns at a few simulations per move.
	Gumbel bool
	// Raw plays without search, the baseline of expert iteration: every
	// move is drawn from the net's own distribution (one forward pass),
	// and the policy target is outcome-weighted self-imitation — the
	// winner's moves as they were played, the loser's move taken out of
	// the net's distribution (renormalized), a draw's distribution as it
	// was. Values are the outcomes as in search self-play. Sims, FastSims,
	// RandomMoves and the noise and temperature settings are not used.
	Raw bool
	// C and FPU set PUCT (0: guided's defaults).
	C, FPU float64
	// NoiseAlpha and NoiseFraction mix Dirichlet noise into the root
	// priors of every search.
	NoiseAlpha, NoiseFraction float64
	// TempPlies is the number of opening plies whose move is drawn in
	// proportion to the root visits (temperature 1); later moves are the
	// search's best.
	TempPlies int
	// RandomPlies, if positive, starts a share RandomShare of the games
	// (every game when RandomShare is 0) with a number of uniformly random
	// moves drawn uniformly from [0, RandomPlies] (a move that would end
	// the game ends the random opening instead), so that the net also
	// learns positions good play never reaches.
	RandomPlies int
	RandomShare float64
	// RandomMoves is the probability that a move after the opening is a
	// uniformly random legal one instead of the search's (the position
	// searched before it stays a sample with its policy target). The
	// outcome no longer tells what the search's play was worth, so the
	// samples up to the last random move take the search's root value as
	// their value target; the later ones keep the outcome (ValueMix).
	// Like RandomPlies, it reaches the positions good play never does.
	RandomMoves float64
	// ValueMix sets the value target of a position: (1−ValueMix)·the
	// game's outcome + ValueMix·the search's root value (the net's own
	// value in raw self-play), for the player to move. The outcome alone
	// (0) is noisy where play is; the root value is what the search
	// believed.
	ValueMix float64
	// WinCheck values a searched position whose side to move can win at
	// once exactly (guided.WinCheck), so that few simulations see the
	// tactics one ply deeper; only the search's data change, the net
	// itself answers alone at test time.
	WinCheck bool
	// Parallel is the number of games played at once (their searches'
	// leaves share the forward passes); Leaves is the number of leaves one
	// search gathers per pass under virtual loss.
	Parallel, Leaves int
	// CacheSize is the number of positions the evaluation cache holds.
	CacheSize int
}

func (c PlayConfig) check() error {
	var errs []error
	if c.Raw && c.Gumbel {
		errs = append(errs, errors.New("raw and Gumbel self-play exclude each other"))
	}
	if c.Sims < 1 && !c.Raw {
		errs = append(errs, fmt.Errorf("sims %d: want ≥ 1", c.Sims))
	}
	if c.FastSims < 0 || (c.FastSims > 0 && !(c.FullShare > 0 && c.FullShare <= 1)) {
		errs = append(errs, fmt.Errorf("fast sims %d with full share %g: want fast sims ≥ 0 and, with fast sims, a share in (0, 1]", c.FastSims, c.FullShare))
	}
	if c.RandomPlies < 0 || !(c.RandomShare >= 0 && c.RandomShare <= 1) {
		errs = append(errs, fmt.Errorf("random plies %d, random share %g: want ≥ 0 and a share in [0, 1]", c.RandomPlies, c.RandomShare))
	}
	if !(c.RandomMoves >= 0 && c.RandomMoves < 1) {
		errs = append(errs, fmt.Errorf("random moves %g: want a probability in [0, 1)", c.RandomMoves))
	}
	if !(c.ValueMix >= 0 && c.ValueMix <= 1) {
		errs = append(errs, fmt.Errorf("value mix %g: want a weight in [0, 1]", c.ValueMix))
	}
	if c.TempPlies < 0 || c.Parallel < 1 || c.Leaves < 1 || c.CacheSize < 0 {
		errs = append(errs, fmt.Errorf("temperature plies %d, parallel %d, leaves %d, cache %d: want ≥ 0, ≥ 1, ≥ 1, ≥ 0", c.TempPlies, c.Parallel, c.Leaves, c.CacheSize))
	}
	return errors.Join(errs...)
}

// Record is one self-play game: the positions with a training target and
// the outcome.
type Record struct {
	Samples []supervised.Sample // the fully searched positions: root visit shares, and the outcome as value
	Plies   int                 // moves played
	Outcome game.Outcome        // for the first player
}

// PlayStats counts a self-play run's work.
type PlayStats struct {
	Games, Plies, Samples int
	Search                argmax.Cost // the searches' counted cost
	Batch                 BatchStats  // the shared forward passes
}

// SelfPlay plays games of g between two copies of the search guided by
// net (a clone per run: net is not used concurrently) and returns their
// records in game order. Game i is seeded by (seed, i) alone and the
// forward passes are shared in a fixed order (Batcher), so the same
// arguments give the same games.
func SelfPlay(ctx context.Context, g game.Game, net *supervised.Policy, cfg PlayConfig, games int, seed uint64) ([]Record, PlayStats, error) {
	if err := cfg.check(); err != nil {
		return nil, PlayStats{}, fmt.Errorf("alphazero: self-play: %w", err)
	}
	var ev guided.BatchEvaluator = net.Clone()
	if cfg.WinCheck {
		ev = guided.WinCheck(ev)
	}
	b := NewBatcher(ev, g.NumActions(), cfg.CacheSize)
	recs := make([]Record, games)
	costs := make([]argmax.Cost, cfg.Parallel)
	errs := make([]error, cfg.Parallel)
	var wg sync.WaitGroup
	for lane := range min(cfg.Parallel, games) {
		l := b.Lane(lane)
		wg.Go(func() {
			defer l.Close()
			s, err := newRootSearch(g, l, cfg)
			if err != nil {
				errs[lane] = err
				return
			}
			for i := lane; i < games; i += cfg.Parallel {
				r, c, err := playOne(ctx, g, s, cfg, seed, i)
				if err != nil {
					errs[lane] = fmt.Errorf("game %d: %w", i, err)
					return
				}
				recs[i] = r
				costs[lane] = costs[lane].Add(c)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, PlayStats{}, fmt.Errorf("alphazero: self-play: %w", err)
	}
	st := PlayStats{Games: games, Batch: b.Stats()}
	for _, c := range costs {
		st.Search = st.Search.Add(c)
	}
	for _, r := range recs {
		st.Plies += r.Plies
		st.Samples += len(r.Samples)
	}
	return recs, st, nil
}

// rootSearch is the search of a self-play move.
type rootSearch interface {
	search(ctx context.Context, st game.State, sims int) (searched, error)
	newGame(seed uint64)
}

// searched is what a self-play search returns: a training target (one
// weight per action), the move it would play, its root value for the
// player to move, and its cost.
type searched struct {
	target []float32
	move   game.Action
	value  float64
	cost   argmax.Cost
}

func newRootSearch(g game.Game, net guided.Net, cfg PlayConfig) (rootSearch, error) {
	if cfg.Raw {
		return &rawPlay{net: net, A: g.NumActions()}, nil
	}
	if cfg.Gumbel {
		s, err := gumbel.New(net, gumbel.Config{Game: g, Batch: cfg.Leaves * 4})
		return gumbelSearch{s, g.NumActions()}, err
	}
	s, err := guided.New(net, guided.Config{Game: g, C: cfg.C, FPU: cfg.FPU, Batch: cfg.Leaves,
		NoiseAlpha: cfg.NoiseAlpha, NoiseFraction: cfg.NoiseFraction, Reuse: true})
	return puctSearch{s, g.NumActions()}, err
}

// puctSearch is PUCT with root noise: its target is the root visit shares.
type puctSearch struct {
	s *mcts.Searcher
	A int
}

func (p puctSearch) search(ctx context.Context, st game.State, sims int) (searched, error) {
	r, err := p.s.Search(ctx, st, argmax.Budget{Simulations: int64(sims)})
	if err != nil {
		return searched{}, err
	}
	return searched{visitShares(r, p.A), r.Action, r.Value, r.Cost}, nil
}

func (p puctSearch) newGame(seed uint64) {
	p.s.Reset()
	p.s.Reseed(seed)
}

// gumbelSearch is Gumbel root search: its target is the improved policy.
type gumbelSearch struct {
	s *gumbel.Searcher
	A int
}

func (p gumbelSearch) search(ctx context.Context, st game.State, sims int) (searched, error) {
	r, err := p.s.Search(ctx, st, argmax.Budget{Simulations: int64(sims)})
	if err != nil {
		return searched{}, err
	}
	return searched{append([]float32(nil), r.Policy...), r.Action, r.Value, r.Cost}, nil
}

func (p gumbelSearch) newGame(seed uint64) { p.s.Reseed(seed) }

// rawPlay is the no-search baseline: the net's distribution as the
// target (rewritten after the game, see selfImitation) and a move drawn
// from it.
type rawPlay struct {
	net    guided.Net
	A      int
	rng    *rand.Rand
	states [1]game.State
	value  [1]float32
}

func (p *rawPlay) search(_ context.Context, st game.State, _ int) (searched, error) {
	prior := make([]float32, p.A)
	p.states[0] = st
	c := p.net.Evaluate(p.states[:], prior, p.value[:])
	p.states[0] = nil
	return searched{prior, sample(prior, p.rng), float64(p.value[0]), c}, nil
}

func (p *rawPlay) newGame(seed uint64) { p.rng = rand.New(rand.NewPCG(seed, 0x5eed)) }

// selfImitation rewrites a raw game's targets once its outcome is known:
// value v (for the player who moved) and the move a played from the
// net's distribution pol.
func selfImitation(pol []float32, a game.Action, v float32) {
	switch {
	case v > 0:
		clear(pol)
		pol[a] = 1
	case v < 0:
		rest := 1 - pol[a]
		if rest <= 0 {
			return // the net left no other move: its distribution stays
		}
		pol[a] = 0
		for i := range pol {
			pol[i] /= rest
		}
	}
}

// playOne plays game i with searcher s (reseeded for the game).
func playOne(ctx context.Context, g game.Game, s rootSearch, cfg PlayConfig, seed uint64, i int) (Record, argmax.Cost, error) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	s.newGame(rng.Uint64())
	st := g.New()
	var rec Record
	var players []int
	var moves []game.Action
	var values []float64
	var cost argmax.Cost
	var legal []game.Action
	deviated := 0 // samples up to the last random move
	rec.Plies = randomOpening(st, cfg, rng)
	for {
		if over, _ := st.Terminal(); over {
			break
		}
		full := cfg.Raw || cfg.FastSims == 0 || rng.Float64() < cfg.FullShare
		sims := cfg.Sims
		if !full {
			sims = cfg.FastSims
		}
		r, err := s.search(ctx, st, sims)
		if err != nil {
			return Record{}, cost, err
		}
		cost = cost.Add(r.cost)
		a := r.move
		if full {
			rec.Samples = append(rec.Samples, supervised.Sample{State: st.Clone(), Policy: r.target})
			players = append(players, st.Player())
			moves = append(moves, a)
			values = append(values, r.value)
		}
		if !cfg.Gumbel && !cfg.Raw && st.Ply() < cfg.TempPlies {
			a = sample(r.target, rng)
		}
		if cfg.RandomMoves > 0 && !cfg.Raw && rng.Float64() < cfg.RandomMoves {
			legal = st.Legal(legal[:0])
			a = legal[rng.IntN(len(legal))]
			deviated = len(rec.Samples)
		}
		st.Play(a)
		rec.Plies++
	}
	_, o := st.Terminal() // for the player to move at the end
	if st.Player() == 1 {
		o = -o
	}
	rec.Outcome = o
	for j := range rec.Samples {
		v := float32(o)
		if players[j] == 1 {
			v = -v
		}
		rec.Samples[j].Value = float32((1-cfg.ValueMix)*float64(v) + cfg.ValueMix*values[j])
		if j < deviated {
			rec.Samples[j].Value = float32(values[j])
		}
		if cfg.Raw {
			selfImitation(rec.Samples[j].Policy, moves[j], v)
		}
	}
	return rec, cost, nil
}

// randomOpening plays the random opening of a game from st (see
// PlayConfig.RandomPlies) and returns the number of moves played.
func randomOpening(st game.State, cfg PlayConfig, rng *rand.Rand) int {
	if cfg.RandomPlies == 0 || cfg.RandomShare > 0 && rng.Float64() >= cfg.RandomShare {
		return 0
	}
	var legal []game.Action
	played := 0
	for k := rng.IntN(cfg.RandomPlies + 1); k > 0; k-- {
		if legal = st.Legal(legal[:0]); len(legal) == 0 {
			break
		}
		a := legal[rng.IntN(len(legal))]
		next := st.Clone()
		next.Play(a)
		if over, _ := next.Terminal(); over {
			break
		}
		st.Play(a)
		played++
	}
	return played
}

// visitShares returns the root visit shares of a search, one per action
// (a proven winning move gets all of them).
func visitShares(r *mcts.Result, A int) []float32 {
	p := make([]float32, A)
	var total int64
	for _, c := range r.Children {
		if c.Proven && c.Outcome == game.Win && c.Action == r.Action {
			p[c.Action] = 1
			return p
		}
		total += c.Visits
	}
	if total == 0 {
		p[r.Action] = 1
		return p
	}
	for _, c := range r.Children {
		p[c.Action] = float32(float64(c.Visits) / float64(total))
	}
	return p
}

// sample draws an action in proportion to p.
func sample(p []float32, rng *rand.Rand) game.Action {
	u := rng.Float64()
	var acc float64
	last := 0
	for a, w := range p {
		if w <= 0 {
			continue
		}
		acc += float64(w)
		last = a
		if u < acc {
			return game.Action(a)
		}
	}
	return game.Action(last)
}
