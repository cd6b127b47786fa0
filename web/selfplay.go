package web

import (
	"context"
	"fmt"
	"path/filepath"

	"argmax"
	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/hybrid/guided"
)

// Play plays one game of g from its initial position, both sides choosing
// the move with the largest share of search's distribution (the first of
// equal ones), and records for each move that distribution and what net
// (one forward pass) gives the position: its prior and its value. A
// deterministic search makes a deterministic record.
func Play(ctx context.Context, g game.Game, net guided.BatchEvaluator, search game.Policy, b argmax.Budget) (*Record, error) {
	if _, ok := recordGames[g.Name()]; !ok {
		return nil, fmt.Errorf("game %q: the viewer draws connect4 and tictactoe", g.Name())
	}
	rec := &Record{Game: g.Name()}
	s := g.New()
	n := g.NumActions()
	var legal []game.Action
	for {
		if over, o := s.Terminal(); over {
			rec.Result = resultOf(s.Player(), o)
			return rec, nil
		}
		m := Move{Visits: make([]float32, n), Prior: make([]float32, n)}
		if _, err := search.Distribution(ctx, s, b, m.Visits); err != nil {
			return nil, fmt.Errorf("move %d: %w", len(rec.Moves)+1, err)
		}
		value := []float32{0}
		net.Evaluate([]game.State{s}, m.Prior, value)
		m.Value = max(-1, min(1, value[0]))
		legal = s.Legal(legal)
		m.Action = int(legal[0])
		for _, a := range legal {
			if m.Visits[a] > m.Visits[m.Action] {
				m.Action = int(a)
			}
		}
		rec.Moves = append(rec.Moves, m)
		s.Play(game.Action(m.Action))
	}
}

// TrainingGamePath is where RecordTraining writes the game of iteration i
// of the training folder dir: dir/games/iter-NNNN.game.json.
func TrainingGamePath(dir string, i int) string {
	return filepath.Join(dir, "games", fmt.Sprintf("iter-%04d%s", i, RecordExt))
}

// RecordTraining plays one game of g with the net of checkpoint (a
// supervised checkpoint, as `argmax train alphazero` writes after each
// iteration) guiding a PUCT search of sims simulations a move (seeded by
// the iteration: the same net gives the same game), and writes its record
// to TrainingGamePath(dir, iteration), where `argmax serve --games dir`
// finds it.
func RecordTraining(ctx context.Context, g game.Game, dir string, iteration int, checkpoint string, sims int) error {
	net, err := supervised.Load(checkpoint)
	if err != nil {
		return err
	}
	search, err := guided.New(guided.Adapt(net.Clone()), guided.Config{Game: g, Seed: uint64(iteration)})
	if err != nil {
		return err
	}
	rec, err := Play(ctx, g, net, search, argmax.Budget{Simulations: int64(sims)})
	if err != nil {
		return fmt.Errorf("game record of iteration %d: %w", iteration, err)
	}
	rec.Title = fmt.Sprintf("iteration %d: PUCT with %d simulations over %s", iteration, sims, filepath.Base(checkpoint))
	return rec.WriteFile(TrainingGamePath(dir, iteration))
}
