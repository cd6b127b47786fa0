// Package datasets generates the connect-four reference position sets of
// game/connect4/positions: positions sampled from random games and from
// games between MCTS bots, labelled with the exact score of every move by
// the solver (direct/alphabeta), optionally kept only when they are deep
// (the 2-ply tactical rule may lose the value there), and held out from
// other sets. In the taxonomy it is part of lab: it wires direct optimizers
// (the solver, MCTS, the tactical rule's threat masks) to produce the known
// truth that experiments score deciders against. `argmax positions` is its
// command-line face.
//
// Generation is deterministic: candidate i of a run is drawn from a
// generator seeded by (Config.Seed, i) alone, candidates are examined in
// index order, and the solver's transposition table is emptied before each
// labelling analysis, so the same Config gives the same file (bar its date
// line) at any worker count. It runs on Config.Workers goroutines, one
// solver each, and is safe to interrupt: every examined candidate is
// journalled in Out+".part", a later run with the same Config resumes from
// it, and the set file is written only at the end, to a temporary file
// renamed over Out.
package datasets

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/direct/mcts"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/connect4/positions"
)

// Source says which games candidate positions are drawn from.
type Source string

// The sources of candidate positions.
const (
	// Random draws positions from uniformly random games.
	Random Source = "random"
	// MCTS draws positions from games between two MCTS bots (UCT with the
	// MCTS-solver, random rollouts), each with a simulation budget drawn
	// from MCTSSims, both choosing moves with a temperature drawn from
	// MCTSTemperatures.
	MCTS Source = "mcts"
	// Mixed draws each candidate from a random game or an MCTS game, one
	// or the other with probability 1/2.
	Mixed Source = "mixed"
)

// ParseSource reads "random", "mcts" or "mixed".
func ParseSource(s string) (Source, error) {
	switch src := Source(s); src {
	case Random, MCTS, Mixed:
		return src, nil
	}
	return "", fmt.Errorf("source %q: want random, mcts or mixed", s)
}

// MCTSSims are the simulation budgets per move that MCTS games draw from,
// independently for each player.
var MCTSSims = []int64{16, 64, 256, 1024, 4096}

// MCTSTemperatures are the move-selection temperatures that MCTS games draw
// from, one per game for both players (0: the most visited move).
var MCTSTemperatures = []float64{0, 0.5, 1}

// Attempts bounds the games a candidate plays to reach its ply before the
// candidate is given up (the games that end sooner are discarded).
const Attempts = 50

// Config sets up a generation run.
type Config struct {
	// Set names the set, for the header ("middle-deep").
	Set string
	// MinPly and MaxPly bound the number of plies of the positions; each
	// candidate's ply is drawn uniformly in [MinPly, MaxPly].
	MinPly, MaxPly int
	// N is the number of positions to keep.
	N int
	// Deep keeps only deep positions (positions.IsDeep).
	Deep bool
	// Seed seeds every random choice.
	Seed uint64
	// Source is the kind of games positions are drawn from; "" means Mixed.
	Source Source
	// Sims and Temperatures are the simulation budgets and temperatures
	// MCTS games draw from; nil means MCTSSims and MCTSTemperatures.
	Sims         []int64
	Temperatures []float64
	// Workers is the number of goroutines, one solver each; 0 means 2.
	Workers int
	// Exclude holds positions the set must not contain: no kept position
	// has the key, or the mirror image's key, of one of them. ExcludeNote
	// says what they are, for the header ("every test set, calibration").
	Exclude     []positions.Position
	ExcludeNote string
	// Reuse holds positions already labelled (by an earlier run) whose
	// scores and node counts are used instead of solving them again. They
	// are trusted: a position's labels are a function of the position, so
	// reuse changes only how long the run takes, not the file.
	Reuse []positions.Position
	// Out is the file to write; a name ending in ".gz" is gzipped.
	Out string
	// Command is the command line recorded in the header.
	Command string
}

// ForSet returns the Config of a named set of game/connect4/positions
// ("middle", "middle-deep", "train", ...): its ply range and deep filter;
// for "train", Exclude holds every embedded test set and the calibration
// file (HeldOut). The caller sets N, Seed, Source, Out and Command.
func ForSet(name string) (Config, error) {
	if name == "train" {
		ex, note, err := HeldOut()
		if err != nil {
			return Config{}, err
		}
		return Config{Set: name, MinPly: positions.TrainPlies.MinPly, MaxPly: positions.TrainPlies.MaxPly, Exclude: ex, ExcludeNote: note}, nil
	}
	base, deep := strings.CutSuffix(name, "-deep")
	for _, ph := range positions.Phases {
		if ph.Name == base {
			return Config{Set: name, MinPly: ph.MinPly, MaxPly: ph.MaxPly, Deep: deep}, nil
		}
	}
	var known []string
	for _, n := range positions.Names() {
		if n != "deep" {
			known = append(known, n)
		}
	}
	return Config{}, fmt.Errorf("set %q: unknown (known: %s)", name, strings.Join(known, ", "))
}

// HeldOut returns the positions the training set must not contain: every
// embedded test set of game/connect4/positions and the calibration file,
// with a note naming them and their counts.
func HeldOut() ([]positions.Position, string, error) {
	var all []positions.Position
	var parts []string
	for _, name := range positions.Names() {
		if name == "train" || name == "deep" {
			continue
		}
		ps, err := positions.Set(name)
		if err != nil {
			return nil, "", fmt.Errorf("held-out set: %w", err)
		}
		all = append(all, ps...)
		parts = append(parts, fmt.Sprintf("%s %d", name, len(ps)))
	}
	cal := calibration.All()
	for _, p := range cal {
		all = append(all, positions.Position{Moves: p.Moves, Scores: p.Scores})
	}
	parts = append(parts, fmt.Sprintf("calibration %d", len(cal)))
	return all, strings.Join(parts, ", "), nil
}

// withDefaults checks c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	if c.Source == "" {
		c.Source = Mixed
	}
	if _, err := ParseSource(string(c.Source)); err != nil {
		errs = append(errs, err)
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.Sims == nil {
		c.Sims = MCTSSims
	}
	if c.Temperatures == nil {
		c.Temperatures = MCTSTemperatures
	}
	for _, n := range c.Sims {
		if n <= 0 {
			errs = append(errs, fmt.Errorf("MCTS simulations %v: want positive budgets", c.Sims))
			break
		}
	}
	for _, x := range c.Temperatures {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			errs = append(errs, fmt.Errorf("MCTS temperatures %v: want finite numbers ≥ 0", c.Temperatures))
			break
		}
	}
	if len(c.Sims) == 0 || len(c.Temperatures) == 0 {
		errs = append(errs, errors.New("MCTS games need at least one simulation budget and one temperature"))
	}
	if c.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d: want ≥ 1", c.Workers))
	}
	if c.N <= 0 {
		errs = append(errs, fmt.Errorf("n %d: want ≥ 1 positions", c.N))
	}
	if c.MinPly < 0 || c.MaxPly < c.MinPly || c.MaxPly >= connect4.Cells {
		errs = append(errs, fmt.Errorf("plies %d-%d: want 0 ≤ min ≤ max < %d", c.MinPly, c.MaxPly, connect4.Cells))
	}
	if c.Out == "" {
		errs = append(errs, errors.New("no output file"))
	}
	if c.Set == "" {
		c.Set = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(c.Out), ".gz"), ".txt")
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("positions config: %w", errors.Join(errs...))
	}
	return c, nil
}

// fingerprint identifies what a journal's records depend on: everything
// but N, Workers, Reuse, Out and Command.
func (c Config) fingerprint() string {
	h := fnv.New64a()
	keys := make([]uint64, 0, len(c.Exclude))
	for _, p := range c.Exclude {
		keys = append(keys, p.Key())
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%x,", k)
	}
	return fmt.Sprintf("v1 seed=%d plies=%d-%d source=%s sims=%v temperatures=%v deep=%v exclude=%d:%x",
		c.Seed, c.MinPly, c.MaxPly, c.Source, c.Sims, c.Temperatures, c.Deep, len(keys), h.Sum64())
}

// Stats summarizes a run.
type Stats struct {
	Kept       int            // positions written
	Deep       int            // of which deep
	BySource   map[string]int // kept positions by source kind ("random", "mcts")
	Drawn      int            // candidates examined
	Failed     int            // candidates whose games all ended before their ply
	Duplicates int            // candidates already seen in this run
	Excluded   int            // candidates held out by Config.Exclude
	Screened   int            // candidates that cannot be deep, dropped without solving
	Weak       int            // candidates given a weak (win/draw/loss) analysis
	Exact      int            // candidates given the exact analysis (labels)
	Reused     int            // candidates whose labels came from Config.Reuse (not analysed)
	Resumed    int            // candidates taken from the journal
	Nodes      int64          // solver nodes of the labels of the kept positions
	Elapsed    time.Duration  // wall time of this run
}

// kind of analysis a candidate got.
const (
	none  = "none"  // not analysed (no position, excluded, or cannot be deep)
	weak  = "weak"  // win/draw/loss only: not deep
	exact = "exact" // the labels
)

// record is what examining candidate i gave.
type record struct {
	i      int64
	moves  string // "" if every game ended before the ply
	source string
	kind   string
	scores [connect4.Width]int
	nodes  int64
	reused bool // the labels come from Config.Reuse (not journalled)
}

// entry is the analysis of one position, shared between workers.
type entry struct {
	done   chan struct{}
	kind   string
	scores [connect4.Width]int
	nodes  int64
	reused bool
}

// Generate writes the set cfg describes to cfg.Out, with a header
// recording the command, seed, counts, date, solver and how deep was
// decided, and returns what the run did. It writes progress lines to
// progress (nil: none). It stops when ctx is cancelled, leaving the
// journal cfg.Out+".part" for a later run to resume from, and returns an
// error wrapping ctx.Err().
func Generate(ctx context.Context, cfg Config, progress io.Writer) (Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	if progress == nil {
		progress = io.Discard
	}
	g := &generator{
		cfg:      cfg,
		progress: progress,
		start:    time.Now(),
		cache:    map[uint64]*entry{},
		exclude:  map[uint64]bool{},
		stats:    Stats{BySource: map[string]int{}},
	}
	for _, p := range cfg.Exclude {
		g.exclude[p.Key()] = true
		g.exclude[p.MirrorKey()] = true
	}
	for _, p := range cfg.Reuse {
		done := make(chan struct{})
		close(done)
		g.cache[p.Key()] = &entry{done: done, kind: exact, scores: p.Scores, nodes: p.Nodes, reused: true}
	}
	journal, resumed, err := openJournal(cfg.Out+".part", cfg.fingerprint())
	if err != nil {
		return Stats{}, err
	}
	g.resumed = resumed
	for _, r := range resumed {
		if r.kind == none {
			continue
		}
		st, _ := connect4.Parse(r.moves)
		if _, ok := g.cache[st.Key()]; !ok {
			done := make(chan struct{})
			close(done)
			g.cache[st.Key()] = &entry{done: done, kind: r.kind, scores: r.scores, nodes: r.nodes}
		}
	}
	kept, err := g.run(ctx, journal)
	if cerr := journal.close(); err == nil {
		err = cerr
	}
	g.stats.Elapsed = time.Since(g.start)
	if err != nil {
		if ctx.Err() != nil {
			return g.stats, fmt.Errorf("positions %s: interrupted after %d of %d positions; the %d candidates examined are kept in %s: run the same command again to resume: %w",
				cfg.Set, len(kept), cfg.N, g.stats.Drawn, journal.path, err)
		}
		return g.stats, err
	}
	if err := writeSet(cfg.Out, g.header(), kept); err != nil {
		return g.stats, err
	}
	os.Remove(journal.path)
	g.report(true)
	return g.stats, nil
}

type generator struct {
	cfg      Config
	progress io.Writer
	start    time.Time
	resumed  map[int64]record

	mu      sync.Mutex
	cache   map[uint64]*entry
	exclude map[uint64]bool

	stats      Stats
	lastReport time.Time
}

// run examines candidates in index order until cfg.N are kept, on
// cfg.Workers goroutines. It returns as soon as it is done or ctx is
// cancelled: a worker busy with a long analysis (an opening position takes
// the solver up to minutes) finishes it in the background and exits.
func (g *generator) run(ctx context.Context, j *journal) ([]positions.Position, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int64)
	results := make(chan record)
	errc := make(chan error, g.cfg.Workers)
	for w := 0; w < g.cfg.Workers; w++ {
		go func() {
			solver := alphabeta.New()
			for i := range next {
				r, err := g.examine(ctx, solver, i)
				if err != nil {
					if ctx.Err() == nil {
						errc <- err
						cancel()
					}
					return
				}
				select {
				case results <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := int64(0); ; i++ {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	var kept []positions.Position
	seen := map[uint64]bool{}
	pending := map[int64]record{}
	want := int64(0)
	for {
		select {
		case <-ctx.Done():
			select {
			case err := <-errc:
				return kept, err
			default:
			}
			return kept, ctx.Err()
		case r := <-results:
			pending[r.i] = r
		}
		for {
			r, ok := pending[want]
			if !ok {
				break
			}
			delete(pending, want)
			want++
			if _, old := g.resumed[r.i]; old {
				g.stats.Resumed++
			} else if err := j.write(r); err != nil {
				return kept, err
			}
			if p, ok := g.accept(r, seen); ok {
				kept = append(kept, p)
				if len(kept) == g.cfg.N {
					return kept, nil
				}
			}
			g.report(false)
		}
	}
}

// accept applies the in-order rules to a record: drop failed candidates,
// duplicates, held-out positions and (with Deep) positions that are not
// deep.
func (g *generator) accept(r record, seen map[uint64]bool) (positions.Position, bool) {
	g.stats.Drawn++
	if r.moves == "" {
		g.stats.Failed++
		return positions.Position{}, false
	}
	st, err := connect4.Parse(r.moves)
	if err != nil {
		// Records come from our own games or from a journal that parsed.
		panic("datasets: bad candidate " + r.moves)
	}
	p := positions.Position{Moves: r.moves, Scores: r.scores, Nodes: r.nodes, Source: r.source}
	key := st.Key()
	switch {
	case seen[key]:
		g.stats.Duplicates++
		return p, false
	case g.exclude[key] || g.exclude[p.MirrorKey()]:
		g.stats.Excluded++
		seen[key] = true
		return p, false
	}
	seen[key] = true
	switch r.kind {
	case none:
		g.stats.Screened++
		return p, false
	case weak:
		if r.reused {
			g.stats.Reused++
		} else {
			g.stats.Weak++
		}
		return p, false
	}
	switch {
	case r.reused:
		g.stats.Reused++
	case g.cfg.Deep:
		g.stats.Weak++ // screened by a weak analysis first
		g.stats.Exact++
	default:
		g.stats.Exact++
	}
	p.Deep = positions.IsDeep(st, p.Scores)
	if g.cfg.Deep && !p.Deep {
		return p, false
	}
	g.stats.Kept++
	if p.Deep {
		g.stats.Deep++
	}
	kind, _, _ := strings.Cut(p.Source, ":")
	g.stats.BySource[kind]++
	g.stats.Nodes += p.Nodes
	return p, true
}

// report writes a progress line, at most every 2 seconds unless final.
func (g *generator) report(final bool) {
	now := time.Now()
	if !final && now.Sub(g.lastReport) < 2*time.Second {
		return
	}
	g.lastReport = now
	s := g.stats
	el := now.Sub(g.start)
	eta := "?"
	if fresh := s.Drawn - s.Resumed; s.Kept > 0 && fresh > 0 && !final {
		// Candidates still to examine at the share kept so far, at this
		// run's rate.
		more := float64(g.cfg.N-s.Kept) * float64(s.Drawn) / float64(s.Kept)
		eta = time.Duration(more * float64(el) / float64(fresh)).Round(time.Second).String()
	}
	if final {
		eta = "done"
	}
	fmt.Fprintf(g.progress, "positions %s: %d/%d kept (%d deep), %d candidates (%d resumed), %d exact and %d weak analyses, %s elapsed, left %s\n",
		g.cfg.Set, s.Kept, g.cfg.N, s.Deep, s.Drawn, s.Resumed, s.Exact, s.Weak, el.Round(time.Second), eta)
}

// examine draws candidate i and analyses it as the config asks.
func (g *generator) examine(ctx context.Context, solver *alphabeta.Solver, i int64) (record, error) {
	if r, ok := g.resumed[i]; ok {
		return r, nil
	}
	moves, source, err := g.cfg.Candidate(ctx, i)
	if err != nil {
		return record{}, err
	}
	r := record{i: i, moves: moves, source: source, kind: none}
	if moves == "" {
		return r, nil
	}
	st, _ := connect4.Parse(moves)
	key, mirror := st.Key(), positions.Position{Moves: moves}.MirrorKey()
	g.mu.Lock()
	if g.exclude[key] || g.exclude[mirror] {
		g.mu.Unlock()
		return r, nil
	}
	e, ok := g.cache[key]
	if !ok {
		e = &entry{done: make(chan struct{})}
		g.cache[key] = e
	}
	g.mu.Unlock()
	if ok {
		select {
		case <-e.done:
		case <-ctx.Done():
			return r, ctx.Err()
		}
	} else {
		e.kind, e.scores, e.nodes = analyse(solver, st, g.cfg.Deep)
		close(e.done)
	}
	r.kind, r.scores, r.nodes, r.reused = e.kind, e.scores, e.nodes, e.reused
	if r.kind == exact && g.cfg.Deep && !positions.IsDeep(st, r.scores) {
		// A reused exact label of a position that is not deep: the same
		// record a fresh run gives.
		r.kind = weak
	}
	if r.kind == weak {
		r.scores = weakScores(r.scores)
		r.nodes = 0
	}
	return r, ctx.Err()
}

// weakScores reduces exact scores to their signs.
func weakScores(s [connect4.Width]int) [connect4.Width]int {
	for c, v := range s {
		if v != positions.Full {
			s[c] = int(game.ScoreOutcome(v))
		}
	}
	return s
}

// CanBeDeep reports whether st may be deep, from the tactical rule alone:
// only when the side to move can win at once neither by playing nor by
// the opponent failing to block, and the rule leaves at least two moves.
// Otherwise the rule allows only winning moves, a forced block, moves
// that all lose at once, or a single move that every alternative is worse
// than, and none of them loses the value.
func CanBeDeep(st *connect4.State) bool {
	possible := st.Possible()
	if connect4.WinningCells(st.Current(), st.Mask())&possible != 0 {
		return false
	}
	if connect4.WinningCells(st.Opponent(), st.Mask())&possible != 0 {
		return false
	}
	return bits.OnesCount64(st.TacticalMask()) >= 2
}

// analyse labels st: the exact scores and the nodes the solver searched
// for them from an empty table. With deepOnly it first drops positions
// that cannot be deep (kind none) and those a weak analysis shows are not
// (kind weak).
func analyse(s *alphabeta.Solver, st *connect4.State, deepOnly bool) (kind string, scores [connect4.Width]int, nodes int64) {
	if deepOnly {
		if !CanBeDeep(st) {
			return none, scores, 0
		}
		w := s.Analyze(st, true)
		if !positions.IsDeep(st, w) {
			return weak, w, 0
		}
	}
	s.Reset()
	n0 := s.Nodes()
	scores = s.Analyze(st, false)
	return exact, scores, s.Nodes() - n0
}

// Candidate returns candidate i of the run c describes: the moves of a
// position with a number of plies drawn uniformly in [MinPly, MaxPly],
// reached by a game from c.Source (Mixed: random or MCTS with probability
// 1/2) in which no one has won yet, and the source of that game ("random"
// or "mcts:A/B,t=T"). It returns "" if Attempts games all ended before the
// ply. It is a function of c's Seed, plies, Source, Sims and Temperatures
// and of i only (an error only comes from a cancelled ctx).
func (c Config) Candidate(ctx context.Context, i int64) (moves, source string, err error) {
	c, err = c.withDefaults()
	if err != nil {
		return "", "", err
	}
	// The ply range enters the stream, so that sets of different phases
	// drawn with one seed are not made of the same games.
	rng := rand.New(rand.NewPCG(c.Seed, game.Mix64(uint64(i))^game.Mix64(uint64(c.MinPly)<<32|uint64(c.MaxPly)+1)))
	ply := c.MinPly + rng.IntN(c.MaxPly-c.MinPly+1)
	src := c.Source
	if src == Mixed {
		src = Random
		if rng.IntN(2) == 1 {
			src = MCTS
		}
	}
	for range Attempts {
		var st *connect4.State
		if src == Random {
			st, source = randomGame(rng, ply), string(Random)
		} else {
			st, source, err = mctsGame(ctx, rng, ply, c.Sims, c.Temperatures)
			if err != nil {
				return "", "", err
			}
		}
		if st != nil {
			return st.String(), source, nil
		}
	}
	return "", "", nil
}

// randomGame plays uniformly random moves up to ply plies; nil if the game
// ends sooner (or at that ply).
func randomGame(rng *rand.Rand, ply int) *connect4.State {
	st := connect4.New()
	var buf [connect4.Width]game.Action
	for st.Ply() < ply {
		legal := st.Legal(buf[:0])
		if len(legal) == 0 {
			return nil
		}
		st.Play(legal[rng.IntN(len(legal))])
	}
	if over, _ := st.Terminal(); over {
		return nil
	}
	return st
}

// mctsGame plays a game between two MCTS bots up to ply plies; nil if it
// ends sooner (or at that ply).
func mctsGame(ctx context.Context, rng *rand.Rand, ply int, budgets []int64, temps []float64) (*connect4.State, string, error) {
	var sims [2]int64
	var bots [2]*mcts.Searcher
	temp := temps[rng.IntN(len(temps))]
	for p := range bots {
		sims[p] = budgets[rng.IntN(len(budgets))]
		cfg := mcts.DefaultConfig()
		cfg.Seed = rng.Uint64()
		cfg.Temperature = temp
		s, err := mcts.New(cfg)
		if err != nil {
			return nil, "", err
		}
		bots[p] = s
	}
	source := fmt.Sprintf("mcts:%d/%d,t=%s", sims[0], sims[1], strconv.FormatFloat(temp, 'g', -1, 64))
	st := connect4.New()
	for st.Ply() < ply {
		if over, _ := st.Terminal(); over {
			return nil, source, nil
		}
		p := st.Player()
		a, _, err := bots[p].Decide(ctx, st, argmax.Budget{Simulations: sims[p]})
		if err != nil {
			return nil, source, err
		}
		st.Play(a)
	}
	if over, _ := st.Terminal(); over {
		return nil, source, nil
	}
	return st, source, nil
}

// header returns the header of the set file.
func (g *generator) header() []string {
	c, s := g.cfg, g.stats
	var src []string
	for _, k := range sortedKeys(s.BySource) {
		src = append(src, fmt.Sprintf("%s %d", k, s.BySource[k]))
	}
	h := []string{
		"connect-four positions: set " + c.Set + " (package argmax/game/connect4/positions)",
		"command: " + c.Command,
		fmt.Sprintf("seed: %d; plies %d-%d, drawn uniformly per candidate; source: %s", c.Seed, c.MinPly, c.MaxPly, c.sourceNote()),
		fmt.Sprintf("counts: %d positions (%d deep; %s); %d candidates examined: %d games ended before their ply, %d duplicates, %d held out, %d screened out by the rule, %d weak and %d exact analyses%s",
			s.Kept, s.Deep, strings.Join(src, ", "), s.Drawn, s.Failed, s.Duplicates, s.Excluded, s.Screened, s.Weak, s.Exact, reusedNote(s.Reused)),
		fmt.Sprintf("labelling cost: %d solver nodes for the kept positions (%.0f per position)", s.Nodes, float64(s.Nodes)/float64(max(s.Kept, 1))),
		"date: " + time.Now().UTC().Format(time.RFC3339) + fmt.Sprintf("; generated in %s with %d workers (%d candidates resumed from a journal)", s.Elapsed.Round(time.Second), c.Workers, s.Resumed),
		"solver: argmax/direct/alphabeta Solver.Analyze, exact (not weak) scores, from an emptied transposition table per position; nodes = the positions that analysis searched",
		"deep: some move that connect4.State.TacticalMoves allows (win at once; else block an immediate win; else not directly under a cell where the opponent completes four) has a score of worse sign (win > draw > loss) than the best move's",
	}
	if c.Deep {
		h = append(h, "filter: only deep positions are kept; candidates the rule alone shows cannot be deep are dropped, the others get a weak (sign) analysis first and the exact one only if deep")
	}
	if c.ExcludeNote != "" || len(c.Exclude) > 0 {
		h = append(h, fmt.Sprintf("held out: no position has the key, or the mirror image's key, of one of %d positions (%s)", len(c.Exclude), c.ExcludeNote))
	}
	return append(h, "format: <moves (1-based columns)> <score of columns 1..7 (+ win, the larger the sooner; 0 draw; - loss; -1000 full)> <solver nodes> <source> <deep|->")
}

// reusedNote counts the candidates labelled from reused files.
func reusedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d candidates labelled from the --reuse files without analysis", n)
}

func (c Config) sourceNote() string {
	games := fmt.Sprintf("MCTS games (direct/mcts UCT with MCTS-solver and random rollouts; simulations per move drawn for each player from %v, temperature per game from %v; the source field says mcts:<first player's sims>/<second's>,t=<temperature>)", c.Sims, c.Temperatures)
	switch c.Source {
	case Random:
		return "random games (uniformly random moves)"
	case MCTS:
		return games
	}
	return "mixed: each candidate from a random game (uniformly random moves) or, with probability 1/2, from " + games
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeSet writes the set file atomically: to a temporary file in the same
// directory, renamed over path once complete.
func writeSet(path string, header []string, ps []positions.Position) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw, _ = gzip.NewWriterLevel(f, gzip.BestCompression)
		zw.Name = strings.TrimSuffix(filepath.Base(path), ".gz")
		w = zw
	}
	if err := positions.Write(w, header, ps); err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return fmt.Errorf("positions: writing %s: %w", path, err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("positions: writing %s: %w", path, err)
	}
	return nil
}

// journal is the append-only record of the candidates a run examined, in
// index order, so that an interrupted run can resume.
type journal struct {
	path string
	f    *os.File
	w    *bufio.Writer
	last time.Time
}

const journalMagic = "# argmax positions journal "

// openJournal opens (or creates) the journal at path for a run with the
// given fingerprint and returns the records it holds. A journal of another
// configuration is an error naming it; a torn last line (an interrupted
// write) is dropped.
func openJournal(path, fingerprint string) (*journal, map[int64]record, error) {
	resumed := map[int64]record{}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("positions: journal: %w", err)
		}
		j := &journal{path: path, f: f, w: bufio.NewWriter(f)}
		j.w.WriteString(journalMagic + fingerprint + "\n")
		return j, resumed, j.w.Flush()
	case err != nil:
		return nil, nil, fmt.Errorf("positions: journal: %w", err)
	}
	first, rest, _ := strings.Cut(string(data), "\n")
	if first != journalMagic+fingerprint {
		return nil, nil, fmt.Errorf("positions: journal %s was written by a run with another configuration (%q, this run: %q): delete it or use the same flags",
			path, strings.TrimPrefix(first, journalMagic), fingerprint)
	}
	good := len(first) + 1
	for len(rest) > 0 {
		line, tail, complete := strings.Cut(rest, "\n")
		if !complete {
			break
		}
		r, err := parseRecord(line)
		if err != nil || r.i != int64(len(resumed)) {
			break
		}
		resumed[r.i] = r
		good += len(line) + 1
		rest = tail
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("positions: journal: %w", err)
	}
	if err := f.Truncate(int64(good)); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("positions: journal %s: %w", path, err)
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("positions: journal %s: %w", path, err)
	}
	return &journal{path: path, f: f, w: bufio.NewWriter(f)}, resumed, nil
}

// write appends a record, flushing at most every second.
func (j *journal) write(r record) error {
	j.w.WriteString(formatRecord(r))
	j.w.WriteByte('\n')
	if now := time.Now(); now.Sub(j.last) > time.Second {
		j.last = now
		if err := j.w.Flush(); err != nil {
			return fmt.Errorf("positions: journal %s: %w", j.path, err)
		}
	}
	return nil
}

func (j *journal) close() error {
	err := j.w.Flush()
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("positions: journal %s: %w", j.path, err)
	}
	return nil
}

// formatRecord writes "<i> <moves|-> <source|-> <kind> [<7 scores> <nodes>]".
func formatRecord(r record) string {
	moves, source := r.moves, r.source
	if moves == "" {
		moves = "-"
	}
	if source == "" {
		source = "-"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s %s %s", r.i, moves, source, r.kind)
	if r.kind != none {
		for _, v := range r.scores {
			fmt.Fprintf(&b, " %d", v)
		}
		fmt.Fprintf(&b, " %d", r.nodes)
	}
	return b.String()
}

// parseRecord reads a line written by formatRecord.
func parseRecord(line string) (record, error) {
	f := strings.Fields(line)
	bad := fmt.Errorf("journal record %q: malformed", line)
	if len(f) < 4 {
		return record{}, bad
	}
	i, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return record{}, bad
	}
	r := record{i: i, moves: f[1], source: f[2], kind: f[3]}
	if r.moves == "-" {
		r.moves = ""
	} else if _, err := connect4.Parse(r.moves); err != nil {
		return record{}, bad
	}
	if r.source == "-" {
		r.source = ""
	}
	switch {
	case r.kind == none && len(f) == 4:
		return r, nil
	case (r.kind == weak || r.kind == exact) && len(f) == 5+connect4.Width && r.moves != "":
	default:
		return record{}, bad
	}
	for c := range connect4.Width {
		if r.scores[c], err = strconv.Atoi(f[4+c]); err != nil {
			return record{}, bad
		}
	}
	if r.nodes, err = strconv.ParseInt(f[4+connect4.Width], 10, 64); err != nil {
		return record{}, bad
	}
	return r, nil
}
