// Package calibration holds the connect-four reference positions with the
// exact score of every move from a perfect solver: the ground truth against
// which the solver is tested and search and learned policies are scored.
//
// Scores follow the solver convention: positive means the side to move wins
// (the larger, the sooner: 22 minus the number of its own stones at the end),
// 0 a draw, negative a loss, and Full (-1000) a full column.
package calibration

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"argmax/game"
	"argmax/game/connect4"
)

//go:embed calibration.txt
var data string

// Full is the score of a column that cannot be played.
const Full = -1000

// Phase classifies a position by the number of plies played.
type Phase string

// The phases of the calibration file.
const (
	Beginning Phase = "beginning" // 8-14 plies
	Middle    Phase = "middle"    // 16-27 plies
	End       Phase = "end"       // 28-36 plies
)

// PhaseOf returns the phase of a position with the given number of plies.
func PhaseOf(plies int) Phase {
	switch {
	case plies < 16:
		return Beginning
	case plies < 28:
		return Middle
	}
	return End
}

// Position is one reference position: its moves in the standard notation
// and the exact score of each of the 7 columns.
type Position struct {
	Moves  string
	Scores [connect4.Width]int
}

// Phase returns the phase of p.
func (p Position) Phase() Phase { return PhaseOf(len(p.Moves)) }

// Best returns the best score over the playable columns.
func (p Position) Best() int {
	best := Full
	for _, s := range p.Scores {
		if s != Full && (best == Full || s > best) {
			best = s
		}
	}
	return best
}

// Optimal reports whether playing column c (0-based) keeps the position's
// game-theoretic value: its score has the sign of the best score.
func (p Position) Optimal(c int) bool {
	s := p.Scores[c]
	return s != Full && game.ScoreOutcome(s) == game.ScoreOutcome(p.Best())
}

// StrictlyOptimal reports whether column c (0-based) has the best score.
func (p Position) StrictlyOptimal(c int) bool {
	return p.Scores[c] != Full && p.Scores[c] == p.Best()
}

// All returns every reference position, in file order.
func All() []Position {
	ps, err := Read(strings.NewReader(data))
	if err != nil {
		panic("calibration: embedded file: " + err.Error())
	}
	return ps
}

// Of returns the reference positions of one phase.
func Of(ph Phase) []Position {
	var out []Position
	for _, p := range All() {
		if p.Phase() == ph {
			out = append(out, p)
		}
	}
	return out
}

// Read parses lines "<moves> <7 scores>"; blank lines and lines starting
// with '#' are skipped. Errors name the line and what is wrong.
func Read(r io.Reader) ([]Position, error) {
	var out []Position
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 1+connect4.Width {
			return nil, fmt.Errorf("line %d: %d fields, want moves and %d scores", line, len(f), connect4.Width)
		}
		if _, err := connect4.Parse(f[0]); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		p := Position{Moves: f[0]}
		for i, s := range f[1:] {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("line %d: score %d %q: not an integer", line, i+1, s)
			}
			p.Scores[i] = v
		}
		out = append(out, p)
	}
	return out, sc.Err()
}
