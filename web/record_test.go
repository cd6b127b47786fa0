package web_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"argmax/amortized/supervised"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
	"argmax/web"
)

// TestRecordCheck checks that a record is replayed and refused, with the
// reason, when its game, moves, distributions, values or result are wrong.
func TestRecordCheck(t *testing.T) {
	uniform := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = 1 / float32(n)
		}
		return v
	}
	// X takes the top row of tic-tac-toe: cells 0, 1, 2 against 3 and 4.
	win := func() *web.Record {
		r := &web.Record{Game: "tictactoe", Result: web.FirstWins}
		for _, a := range []int{0, 3, 1, 4, 2} {
			r.Moves = append(r.Moves, web.Move{Action: a, Visits: uniform(9), Prior: uniform(9), Value: 0.5})
		}
		return r
	}
	if err := win().Check(); err != nil {
		t.Fatalf("a valid record: %v", err)
	}
	for _, tc := range []struct {
		edit func(*web.Record)
		want string
	}{
		{func(r *web.Record) { r.Game = "chess" }, `game "chess"`},
		{func(r *web.Record) { r.Moves[1].Action = 0 }, "move 2: action 0 is not legal"},
		{func(r *web.Record) { r.Moves[0].Action = 9 }, "move 1: action 9 is not legal"},
		{func(r *web.Record) { r.Moves[2].Visits = uniform(7) }, "move 3: visits has 7 entries, want 9"},
		{func(r *web.Record) { r.Moves[0].Prior[4] = 1.5 }, "move 1: prior[4] = 1.5"},
		{func(r *web.Record) { r.Moves[0].Value = -2 }, "move 1: value -2"},
		{func(r *web.Record) { r.Result = web.Drawn }, `result "draw", but the moves give "first"`},
		{func(r *web.Record) { r.Moves = append(r.Moves, web.Move{Action: 5}) }, "move 6: the game is already over"},
		{func(r *web.Record) { r.Moves = r.Moves[:4] }, `result "first", but the moves give ""`},
	} {
		r := win()
		tc.edit(r)
		if err := r.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error with %q", err, tc.want)
		}
	}
	if _, err := web.ReadRecord(strings.NewReader(`{"game":"connect4","moves":[{"action":7}],"result":""}`)); err == nil || !strings.Contains(err.Error(), "action 7") {
		t.Errorf("ReadRecord of an illegal move: %v", err)
	}
	if _, err := web.ReadRecord(bytes.NewReader(make([]byte, web.MaxRecordBytes+1))); err == nil {
		t.Error("ReadRecord of an oversized file: no error")
	}
}

// TestRecordTraining plays a recorded game with a checkpoint as
// argmax train alphazero writes it: the record replays to its result, its
// visit shares and priors are distributions, the move played is the most
// visited one, the same net gives the same game, and the file reads back
// equal.
func TestRecordTraining(t *testing.T) {
	for _, g := range []game.Game{tictactoe.Game{}, connect4.Game{}} {
		t.Run(g.Name(), func(t *testing.T) { recordTraining(t, g) })
	}
}

func recordTraining(t *testing.T, g game.Game) {
	dir := t.TempDir()
	l, err := supervised.NewLearner(g, supervised.Config{Net: supervised.Tiny, OnesPlane: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "iter-0002.safetensors")
	if err := l.Policy().Save(ckpt); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := web.RecordTraining(ctx, g, dir, 2, ckpt, 24); err != nil {
		t.Fatal(err)
	}
	path := web.TrainingGamePath(dir, 2)
	if want := filepath.Join(dir, "games", "iter-0002.game.json"); path != want {
		t.Errorf("TrainingGamePath = %s, want %s", path, want)
	}
	rec, err := web.ReadRecordFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Game != g.Name() || len(rec.Moves) < 5 || rec.Result == "" || !strings.Contains(rec.Title, "iteration 2") {
		t.Errorf("record: game %s, %d moves, result %q, title %q", rec.Game, len(rec.Moves), rec.Result, rec.Title)
	}
	for i, m := range rec.Moves {
		var sv, sp float32
		for a := range m.Visits {
			sv += m.Visits[a]
			sp += m.Prior[a]
			if m.Visits[a] > m.Visits[m.Action] {
				t.Errorf("move %d: %d played, %d more visited", i+1, m.Action, a)
			}
		}
		if sv < 0.999 || sv > 1.001 || sp < 0.999 || sp > 1.001 {
			t.Errorf("move %d: visits sum to %v, prior to %v; want 1", i+1, sv, sp)
		}
	}
	again := filepath.Join(t.TempDir(), "again")
	if err := web.RecordTraining(ctx, g, again, 2, ckpt, 24); err != nil {
		t.Fatal(err)
	}
	rec2, err := web.ReadRecordFile(web.TrainingGamePath(again, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec, rec2) {
		t.Error("the same net and iteration gave another game")
	}
	if err := web.RecordTraining(ctx, g, dir, 3, filepath.Join(dir, "missing.safetensors"), 24); err == nil {
		t.Error("a missing checkpoint: no error")
	}
	if _, err := os.Stat(web.TrainingGamePath(dir, 3)); err == nil {
		t.Error("a failed record left a file")
	}
}
