// Package learners makes the amortized deciders of the claim suite from
// their specs: it assembles labelled data from the embedded connect-four
// training positions (game/connect4/positions' "train" set, held out from
// every test set), labels it with a chosen teacher — the exact solver's
// scores, a noisy demonstrator, or a search's moves (expert iteration) —,
// counts what the labels cost, and trains supervised policy/value nets
// (amortized/supervised) or fits tables (amortized/tabular) through the
// run's cache, so a net that several trials or runs ask for is trained
// once.
//
// It is wiring, in lab: it imports the direct optimizers that serve as
// teachers and the amortized learners they teach, which never import each
// other.
package learners

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"argmax"
	"argmax/direct/alphabeta"
	"argmax/direct/mcts"
	"argmax/direct/tactical"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/positions"
)

// Teacher names where the labels come from.
type Teacher string

// The teachers.
const (
	// Solver labels each position with its exact move scores: soft targets
	// over every value-keeping move, and the game-theoretic value. Cost:
	// the solver nodes recorded with the positions.
	Solver Teacher = "solver"
	// Demo is the noisy demonstrator: the tactical rule (win now, else
	// block, else do not play under the opponent's winning cell) with the
	// centre-most allowed move as its choice. It is systematic — a
	// function of the position a net can learn — and loses the value on
	// the deep positions, a known share of the data (DemoNoise).
	Demo Teacher = "demo"
	// Search labels each position with the move MCTS chooses at a budget
	// of Spec.Sims simulations: search results as training targets, the
	// expert-iteration step of AlphaZero. Cost: the simulations and model
	// steps counted by the search.
	Search Teacher = "search"
)

// ParseTeacher reads a teacher's name.
func ParseTeacher(s string) (Teacher, error) {
	switch t := Teacher(s); t {
	case Solver, Demo, Search:
		return t, nil
	}
	return "", fmt.Errorf("teacher %q: want solver, demo or search", s)
}

// Data is a labelled data set: the positions, each with one score per
// action in the solver's convention (for Demo and Search, +1 for the
// teacher's move and -1 for the other legal moves, so the value-keeping
// move of the label is the teacher's), and what labelling cost.
type Data struct {
	Teacher Teacher
	States  []game.State
	Scores  [][]int
	Moves   []game.Action // the teacher's move in each position (the best-scored, centre-most, for Solver)
	Cost    argmax.Cost   // counted labelling cost
	// Disagree is the share of positions whose label loses the
	// game-theoretic value (0 for Solver): the known noise of the teacher.
	Disagree float64
}

// Illegal is the score of an action that cannot be played.
const Illegal = -1000

var (
	trainOnce sync.Once
	trainSet  []positions.Position
	trainErr  error
)

// TrainPositions returns the embedded training positions, shared and
// read-only.
func TrainPositions() ([]positions.Position, error) {
	trainOnce.Do(func() { trainSet, trainErr = positions.Set("train") })
	return trainSet, trainErr
}

// centreOrder lists connect four's columns from the centre out: the
// demonstrator's tie-break, the same as alphabeta.BestMove's.
var centreOrder = [connect4.Width]game.Action{3, 2, 4, 1, 5, 0, 6}

// Label draws n training positions (a shuffle fixed by seed; all of them
// if n is 0 or more than there are) and labels them with teacher; sims and
// seed set the search teacher.
func Label(ctx context.Context, teacher Teacher, n int, sims int64, seed uint64) (*Data, error) {
	all, err := TrainPositions()
	if err != nil {
		return nil, err
	}
	return labelFrom(ctx, all, teacher, n, sims, seed)
}

// labelFrom is Label on the positions of all.
func labelFrom(ctx context.Context, all []positions.Position, teacher Teacher, n int, sims int64, seed uint64) (*Data, error) {
	idx := rand.New(rand.NewPCG(seed, 0x1abe1)).Perm(len(all))
	if n <= 0 || n > len(idx) {
		n = len(idx)
	}
	d := &Data{Teacher: teacher, States: make([]game.State, n), Scores: make([][]int, n), Moves: make([]game.Action, n)}
	var search *mcts.Searcher
	if teacher == Search {
		if sims <= 0 {
			return nil, fmt.Errorf("learners: search teacher needs a positive simulation budget, got %d", sims)
		}
		var err error
		if search, err = mcts.New(mcts.Config{Solver: true, Seed: seed}); err != nil {
			return nil, err
		}
	}
	rule := tactical.New(seed)
	disagree := 0
	var buf [connect4.Width]game.Action
	for i := 0; i < n; i++ {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		p := all[idx[i]]
		st, err := p.State()
		if err != nil {
			return nil, fmt.Errorf("learners: training position %q: %w", p.Moves, err)
		}
		d.States[i] = st
		var mv game.Action
		switch teacher {
		case Solver:
			d.Scores[i] = p.Scores[:]
			col, _ := alphabeta.BestMove(p.Scores)
			mv = game.Action(col)
			d.Cost.Nodes += p.Nodes
		case Demo:
			allowed, err := rule.Allowed(st, buf[:0])
			if err != nil {
				return nil, err
			}
			mv = centreMost(allowed)
			d.Cost.Decisions++
		case Search:
			a, c, err := search.Decide(ctx, st, argmax.Budget{Simulations: sims})
			if err != nil {
				return nil, fmt.Errorf("learners: search label of %q: %w", p.Moves, err)
			}
			mv = a
			d.Cost = d.Cost.Add(c)
			d.Cost.Decisions++
		default:
			return nil, fmt.Errorf("learners: unknown teacher %q", teacher)
		}
		d.Moves[i] = mv
		if teacher != Solver {
			d.Scores[i] = oneHot(st, mv)
		}
		if !p.Optimal(mv) {
			disagree++
		}
	}
	d.Disagree = float64(disagree) / float64(n)
	return d, nil
}

// centreMost returns the allowed move nearest the centre.
func centreMost(allowed []game.Action) game.Action {
	for _, c := range centreOrder {
		for _, a := range allowed {
			if a == c {
				return a
			}
		}
	}
	return allowed[0]
}

// oneHot scores mv +1 and every other legal move -1.
func oneHot(st game.State, mv game.Action) []int {
	s := make([]int, connect4.Width)
	for a := range s {
		switch {
		case !st.IsLegal(game.Action(a)):
			s[a] = Illegal
		case game.Action(a) == mv:
			s[a] = 1
		default:
			s[a] = -1
		}
	}
	return s
}

// DemoMove is the noisy demonstrator's move in st: the centre-most move
// the tactical rule allows.
func DemoMove(st game.State) (game.Action, error) {
	var buf [connect4.Width]game.Action
	allowed, err := tactical.New(0).Allowed(st, buf[:0])
	if err != nil {
		return 0, err
	}
	return centreMost(allowed), nil
}

// describe renders a spec's fields as a canonical text for cache keys.
func describe(fields ...any) string {
	var b strings.Builder
	for i := 0; i+1 < len(fields); i += 2 {
		fmt.Fprintf(&b, "%v=%v;", fields[i], fields[i+1])
	}
	return b.String()
}
