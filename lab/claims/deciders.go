package claims

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"argmax"
	"argmax/direct/mcts"
	"argmax/game"
)

// accuracy counts how a decider's moves score on a set of positions.
type accuracy struct {
	n, optimal, strict        int
	critical, criticalOptimal int
	sims, nodes, forward      int64
	elapsed                   time.Duration
}

func (a *accuracy) add(p *scored, mv game.Action, c argmax.Cost) {
	a.n++
	if p.optimal(mv) {
		a.optimal++
	}
	if p.strict(mv) {
		a.strict++
	}
	if p.critical() {
		a.critical++
		if p.optimal(mv) {
			a.criticalOptimal++
		}
	}
	a.sims += c.Simulations
	a.nodes += c.Nodes
	a.forward += c.ForwardPasses
}

func share(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// record writes the accuracy metrics under prefix.
func (a *accuracy) record(t interface {
	Record(string, float64)
	Timing(string, float64)
}, prefix string) {
	t.Record(prefix+"optimal_share", share(a.optimal, a.n))
	t.Record(prefix+"strict_share", share(a.strict, a.n))
	t.Record(prefix+"critical_share", share(a.criticalOptimal, a.critical))
	t.Record(prefix+"sims_per_move", float64(a.sims)/float64(max(a.n, 1)))
	t.Timing(prefix+"seconds_per_move", a.elapsed.Seconds()/float64(max(a.n, 1)))
}

// newMCTS makes a plain-UCT searcher (optionally with MCTS-solver) seeded
// from rng.
func newMCTS(rng *rand.Rand, solver bool) (*mcts.Searcher, error) {
	cfg := mcts.Config{Seed: rng.Uint64(), Solver: solver}
	s, err := mcts.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("mcts: %w", err)
	}
	return s, nil
}

// mctsAccuracy searches every position with sims simulations and scores
// the chosen moves.
func mctsAccuracy(ctx context.Context, s *mcts.Searcher, ps []*scored, sims int) (accuracy, error) {
	var acc accuracy
	start := time.Now()
	for i, p := range ps {
		if i%64 == 0 && ctx.Err() != nil {
			return acc, ctx.Err()
		}
		st := p.state.Clone()
		r, err := s.Search(ctx, st, argmax.Budget{Simulations: int64(sims)})
		if err != nil {
			return acc, err
		}
		acc.add(p, r.Action, r.Cost)
	}
	acc.elapsed = time.Since(start)
	return acc, nil
}

// policyAccuracy scores a one-shot policy on the positions. Each call of
// move gets its own copy of the position: the positions are shared by
// trials running in parallel, and deciders play and undo moves on the
// state they are given.
func policyAccuracy(ps []*scored, move func(game.State) game.Action) accuracy {
	var acc accuracy
	states := make([]game.State, len(ps))
	for i, p := range ps {
		states[i] = p.state.Clone()
	}
	start := time.Now()
	for i, p := range ps {
		acc.add(p, move(states[i]), argmax.Cost{ForwardPasses: 1})
	}
	acc.elapsed = time.Since(start)
	return acc
}

// playGame plays a game from start between two bots (first moves first)
// and returns the outcome for first. Each move gets its bot's budget.
func playGame(ctx context.Context, start game.State, first, second game.Decider, b1, b2 argmax.Budget) (game.Outcome, error) {
	s := start.Clone()
	bots := [2]game.Decider{first, second}
	budgets := [2]argmax.Budget{b1, b2}
	for turn := 0; ; turn++ {
		if over, out := s.Terminal(); over {
			if turn%2 == 1 { // outcome is for the side to move, which is second
				out = -out
			}
			return out, nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		mv, _, err := bots[turn%2].Decide(context.Background(), s, budgets[turn%2])
		if err != nil {
			return 0, err
		}
		if !s.IsLegal(mv) {
			return 0, fmt.Errorf("bot %d played illegal move %d in %s", turn%2, mv, s)
		}
		s.Play(mv)
	}
}
