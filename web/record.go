package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/tictactoe"
)

// RecordExt is the file name ending of game records: the dashboard lists
// the files of its game folders that end so.
const RecordExt = ".game.json"

// MaxRecordBytes bounds the size of a game record file the dashboard reads.
const MaxRecordBytes = 4 << 20

// Record is one game with, for each move, what the search and the net made
// of the position before it: the board viewer replays it. Its JSON form is
//
//	{"game": "connect4", "title": "iteration 3",
//	 "moves": [{"action": 3, "visits": [0, 0.1, …], "prior": […], "value": 0.12}, …],
//	 "result": "first"}
//
// Actions are those of the game (connect four: the 0-based column;
// tic-tac-toe: the 0-based cell, row by row from the top left). Visits and
// prior have one entry per action of the game.
type Record struct {
	Game   string `json:"game"`            // connect4 or tictactoe
	Title  string `json:"title,omitempty"` // what the game is, for the viewer's list
	Moves  []Move `json:"moves"`
	Result string `json:"result"` // first, second or draw (the winner), "" for a game not finished
}

// Move is one move of a Record.
type Move struct {
	Action int       `json:"action"`
	Visits []float32 `json:"visits,omitempty"` // the search's share of root visits per action
	Prior  []float32 `json:"prior,omitempty"`  // the net's policy per action
	Value  float32   `json:"value"`            // the net's value of the position for the side to move, in [-1, 1]
}

// The results of a Record.
const (
	FirstWins  = "first"
	SecondWins = "second"
	Drawn      = "draw"
)

// recordGames are the games the viewer can draw.
var recordGames = map[string]game.Game{"connect4": connect4.Game{}, "tictactoe": tictactoe.Game{}}

// Check replays the record and returns an error naming the first thing
// that is wrong: an unknown game, an illegal move, a distribution of the
// wrong length or with values outside [0, 1], a value outside [-1, 1], or
// a result the moves do not reach.
func (r *Record) Check() error {
	g, ok := recordGames[r.Game]
	if !ok {
		return fmt.Errorf("game %q: want connect4 or tictactoe", r.Game)
	}
	s := g.New()
	n := g.NumActions()
	for i, m := range r.Moves {
		if over, _ := s.Terminal(); over {
			return fmt.Errorf("move %d: the game is already over", i+1)
		}
		if m.Action < 0 || m.Action >= n || !s.IsLegal(game.Action(m.Action)) {
			return fmt.Errorf("move %d: action %d is not legal in %q", i+1, m.Action, s.String())
		}
		for _, d := range []struct {
			name string
			v    []float32
		}{{"visits", m.Visits}, {"prior", m.Prior}} {
			if d.v == nil {
				continue
			}
			if len(d.v) != n {
				return fmt.Errorf("move %d: %s has %d entries, want %d (one per action)", i+1, d.name, len(d.v), n)
			}
			for a, x := range d.v {
				if !(x >= 0 && x <= 1) {
					return fmt.Errorf("move %d: %s[%d] = %v, want a share in [0, 1]", i+1, d.name, a, x)
				}
			}
		}
		if !(math.Abs(float64(m.Value)) <= 1) {
			return fmt.Errorf("move %d: value %v, want [-1, 1]", i+1, m.Value)
		}
		s.Play(game.Action(m.Action))
	}
	want := ""
	if over, o := s.Terminal(); over {
		want = resultOf(s.Player(), o)
	}
	if r.Result != want {
		return fmt.Errorf("result %q, but the moves give %q", r.Result, want)
	}
	return nil
}

// resultOf names the result of a finished game from the outcome o for the
// player to move, who is player.
func resultOf(player int, o game.Outcome) string {
	switch {
	case o == game.Draw:
		return Drawn
	case (o == game.Win) == (player == 0):
		return FirstWins
	}
	return SecondWins
}

// ReadRecord decodes and checks a record of at most MaxRecordBytes.
func ReadRecord(rd io.Reader) (*Record, error) {
	data, err := io.ReadAll(io.LimitReader(rd, MaxRecordBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxRecordBytes {
		return nil, fmt.Errorf("game record larger than %d bytes", MaxRecordBytes)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("game record: %w", err)
	}
	if err := r.Check(); err != nil {
		return nil, fmt.Errorf("game record: %w", err)
	}
	return &r, nil
}

// ReadRecordFile reads and checks the record at path.
func ReadRecordFile(path string) (*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ReadRecord(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// WriteFile checks the record and writes it to path atomically (a
// temporary file in the same folder, renamed), creating the folder.
func (r *Record) WriteFile(path string) (err error) {
	if err := r.Check(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".record-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	_, werr := f.Write(append(data, '\n'))
	if err := errors.Join(werr, f.Close(), os.Chmod(f.Name(), 0o644)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}
