// Package positions holds the connect-four reference position sets: test
// sets by phase of the game, the "deep" subset of each, and a training set
// held out from all of them, every position with the exact score of each
// of its 7 moves. They are the known truth on which lab/eval scores the
// move accuracy of every decider — direct (search), amortized (learned
// policies) and hybrid — and on which amortized learners are trained.
//
// The phases are disjoint ranges of plies (moves played):
//
//	openings   4–10
//	beginning 11–15
//	middle    16–27
//	end       28–36
//
// consistent with the calibration file (game/connect4/calibration), whose
// beginning positions have 8–14 plies, middle 16–27 and end 28–36.
//
// A position is deep when the 2-ply tactical rule (connect4's
// State.TacticalMoves: win at once if you can, else block the opponent's
// immediate win, else do not play under a cell where the opponent would
// complete four) allows some move that loses the game-theoretic value —
// its score has a worse sign (win, draw, loss) than the best move's. On a
// deep position only look-ahead finds a value-keeping move for sure; the
// calibration positions are mostly not deep, which is why every accuracy is
// headlined on the deep sets.
//
// The sets are named by Names: "openings", "beginning", "middle" and "end"
// (positions at the phase's plies, sampled from games without filtering),
// "openings-deep", "beginning-deep", "middle-deep" and "end-deep" (only
// deep positions), "deep" (the four deep sets together) and "train" (tens
// of thousands of positions of 8–36 plies for the amortized learners,
// disjoint from every test set and from the calibration file, mirror
// images included). Each set is an embedded file whose header records the
// command that generated it (argmax positions, in lab/datasets), its seed,
// its counts, the date, the solver and how deep was decided; Header
// returns it.
//
// The embedded sets (seed 1 for the test sets, 2 for train; each header
// has the details):
//
//	set        positions  deep  rule keeps the value  random move does
//	openings         150    86          63.0%               59.3%
//	beginning       1000   350          80.0%               68.5%
//	middle          1000   185          90.1%               68.9%
//	end             1000    99          95.5%               70.1%
//	openings-deep     86    86          35.5%               35.5%
//	beginning-deep   300   300          42.7%               42.0%
//	middle-deep      400   400          47.1%               44.2%
//	end-deep         400   400          53.0%               48.7%
//	train          30000  6304          88.2%               68.5%
//
// where "rule keeps the value" is the expected share of positions where
// the tactical rule, choosing uniformly among the moves it allows, plays a
// value-keeping move, and "random move does" the same for a uniformly
// random legal move. Each deep set was drawn with the same seed as its
// phase's set, from the same stream of games, keeping only the deep
// positions: so the deep positions of a phase's set, in order, and its deep
// set are one a prefix of the other. middle-deep and end-deep hold every
// deep position of middle and end and more; beginning-deep holds the first
// 300 of beginning's 350; openings-deep is exactly the deep subset of
// openings (each opening position takes the solver seconds to minutes: the
// 150 took 38 minutes on 2 cores).
//
// Positions come from uniformly random games ("random") and from games
// between MCTS bots with varied simulation budgets and temperatures
// ("mcts:…"), and carry the number of nodes the exact solver searched to
// label them: a measured labelling cost, and a difficulty measure.
package positions

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"argmax/game"
	"argmax/game/connect4"
)

// Full is the score of a column that cannot be played.
const Full = -1000

// Phase is a named range of plies.
type Phase struct {
	Name           string
	MinPly, MaxPly int // inclusive
}

// Phases are the phases of the test sets, in game order; their ply ranges
// are disjoint.
var Phases = []Phase{
	{"openings", 4, 10},
	{"beginning", 11, 15},
	{"middle", 16, 27},
	{"end", 28, 36},
}

// TrainPlies is the ply range of the training set: every phase from 8
// plies on.
var TrainPlies = Phase{"train", 8, 36}

// PhaseOf returns the phase of a position with the given number of plies,
// and false outside every phase (fewer than 4 or more than 36 plies).
func PhaseOf(plies int) (Phase, bool) {
	for _, ph := range Phases {
		if plies >= ph.MinPly && plies <= ph.MaxPly {
			return ph, true
		}
	}
	return Phase{}, false
}

// Contains reports whether a position with the given number of plies is in
// the phase.
func (ph Phase) Contains(plies int) bool { return plies >= ph.MinPly && plies <= ph.MaxPly }

// Position is one labelled position.
type Position struct {
	// Moves is the position in the standard notation: the 1-based columns
	// played from the empty board.
	Moves string
	// Scores is the exact score of each column for the side to move
	// (positive: it wins, the larger the sooner; 0: draw; negative: it
	// loses; Full: the column is full).
	Scores [connect4.Width]int
	// Nodes is the number of positions the exact solver searched to find
	// Scores (direct/alphabeta's Analyze from an empty transposition
	// table): the measured cost of the label.
	Nodes int64
	// Source says where the position comes from: "random" (a uniformly
	// random game) or "mcts:A/B,t=T" (a game between MCTS bots with A and B
	// simulations a move, the first player's first, choosing moves with
	// temperature T).
	Source string
	// Deep is set when some move the 2-ply tactical rule allows loses the
	// position's value (see IsDeep).
	Deep bool
}

// State returns the position as a connect-four state. The error says what
// is wrong with a Moves that is not a valid position (positions from Set
// and Read are valid).
func (p Position) State() (*connect4.State, error) { return connect4.Parse(p.Moves) }

// Key returns the position's key (connect4.State.Key), 0 if Moves is not
// a valid position.
func (p Position) Key() uint64 {
	st, err := p.State()
	if err != nil {
		return 0
	}
	return st.Key()
}

// MirrorKey returns the key of the position's mirror image (columns 1..7
// read as 7..1): the same position for a learner trained with mirror
// augmentation. It is 0 if Moves is not a valid position.
func (p Position) MirrorKey() uint64 {
	st, err := connect4.Parse(Mirror(p.Moves))
	if err != nil {
		return 0
	}
	return st.Key()
}

// Mirror returns the mirror image of a move sequence in the standard
// notation: column c becomes column 8-c. Other characters are kept.
func Mirror(moves string) string {
	b := []byte(moves)
	for i, c := range b {
		if c >= '1' && c <= '7' {
			b[i] = '8' - c + '0'
		}
	}
	return string(b)
}

// Best returns the best score over the playable columns (Full if none).
func (p Position) Best() int {
	best := Full
	for _, s := range p.Scores {
		if s != Full && s > best {
			best = s
		}
	}
	return best
}

// Optimal reports whether playing a (a 0-based column) keeps the
// position's game-theoretic value: its score has the sign of the best
// score. An illegal action is not optimal.
func (p Position) Optimal(a game.Action) bool {
	if a < 0 || a >= connect4.Width || p.Scores[a] == Full {
		return false
	}
	return game.ScoreOutcome(p.Scores[a]) == game.ScoreOutcome(p.Best())
}

// Strict reports whether a (a 0-based column) has the best score: the
// fastest win, or the slowest loss.
func (p Position) Strict(a game.Action) bool {
	return a >= 0 && a < connect4.Width && p.Scores[a] != Full && p.Scores[a] == p.Best()
}

// IsDeep reports whether some move that the 2-ply tactical rule
// (st.TacticalMoves) allows in st has a worse outcome, by its score in
// scores, than the best move: the definition of a deep position.
func IsDeep(st *connect4.State, scores [connect4.Width]int) bool {
	p := Position{Scores: scores}
	var buf [connect4.Width]game.Action
	for _, a := range st.TacticalMoves(buf[:0]) {
		if !p.Optimal(a) {
			return true
		}
	}
	return false
}

// String returns p as a line of a set file (without the newline):
// "<moves> <7 scores> <nodes> <source> <deep|->".
func (p Position) String() string {
	var b strings.Builder
	b.WriteString(p.Moves)
	for _, s := range p.Scores {
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(s))
	}
	b.WriteByte(' ')
	b.WriteString(strconv.FormatInt(p.Nodes, 10))
	b.WriteByte(' ')
	b.WriteString(p.Source)
	if p.Deep {
		b.WriteString(" deep")
	} else {
		b.WriteString(" -")
	}
	return b.String()
}

// Names returns the names Set accepts, test sets first in phase order,
// then "deep" and "train".
func Names() []string {
	var names []string
	for _, ph := range Phases {
		names = append(names, ph.Name)
	}
	for _, ph := range Phases {
		names = append(names, ph.Name+"-deep")
	}
	return append(names, "deep", "train")
}

//go:embed data
var files embed.FS

type loaded struct {
	header []string
	ps     []Position
	err    error
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*loaded{}
)

// fileOf returns the embedded file name of a set.
func fileOf(name string) string {
	if name == "train" {
		return "data/train.txt.gz"
	}
	return "data/" + name + ".txt"
}

// load reads and parses one embedded set file once.
func load(name string) *loaded {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if l, ok := cache[name]; ok {
		return l
	}
	l := &loaded{}
	cache[name] = l
	file := fileOf(name)
	data, err := files.ReadFile(file)
	if err != nil {
		l.err = fmt.Errorf("positions: set %q: %w", name, err)
		return l
	}
	var r io.Reader = bytes.NewReader(data)
	if strings.HasSuffix(file, ".gz") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			l.err = fmt.Errorf("positions: set %q: %s: %w", name, file, err)
			return l
		}
		r = zr
	}
	l.header, l.ps, l.err = Read(file, r)
	return l
}

// Set returns the positions of a named set (see Names), in file order. The
// slice is the caller's to keep or change. The error names an unknown set.
func Set(name string) ([]Position, error) {
	if name == "deep" {
		var all []Position
		for _, ph := range Phases {
			ps, err := Set(ph.Name + "-deep")
			if err != nil {
				return nil, err
			}
			all = append(all, ps...)
		}
		return all, nil
	}
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("positions: unknown set %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	l := load(name)
	if l.err != nil {
		return nil, l.err
	}
	return slices.Clone(l.ps), nil
}

// Header returns the header of a named set's file: its comment lines
// without the leading "# " — the generating command, seed, counts, date,
// solver and the rule that decided deep. For "deep" it returns the headers
// of the four deep sets one after the other.
func Header(name string) ([]string, error) {
	if name == "deep" {
		var all []string
		for _, ph := range Phases {
			h, err := Header(ph.Name + "-deep")
			if err != nil {
				return nil, err
			}
			all = append(all, h...)
		}
		return all, nil
	}
	if _, err := Set(name); err != nil {
		return nil, err
	}
	return slices.Clone(load(name).header), nil
}

// maxLine bounds a line of a set file.
const maxLine = 4096

// Read parses a set file: comment lines starting with '#' (the header,
// returned without "# "), blank lines, and one position per line,
// "<moves> <7 scores> <nodes> <source> <deep|->", fields separated by
// spaces or tabs. It checks that every position is a valid, unfinished
// game, that each score is an integer in [-21, 21] or Full exactly for the
// full columns, that nodes is a non-negative integer, that the deep flag
// agrees with IsDeep, and that no position (by key) appears twice.
// Errors are "name:line:column: what is wrong", the column being the
// 1-based byte offset of the offending field.
func Read(name string, r io.Reader) (header []string, ps []Position, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	seen := map[uint64]int{}
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			continue
		}
		if trimmed[0] == '#' {
			header = append(header, strings.TrimSpace(strings.TrimPrefix(trimmed, "#")))
			continue
		}
		p, key, col, err := parseLine(text)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
		}
		if prev, dup := seen[key]; dup {
			return nil, nil, fmt.Errorf("%s:%d:1: position %s: the same position as line %d", name, line, p.Moves, prev)
		}
		seen[key] = line
		ps = append(ps, p)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("a line is longer than %d bytes", maxLine)
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return header, ps, nil
}

// field is one white-space separated field of a line and its 1-based
// column.
type field struct {
	text string
	col  int
}

func fields(line string) []field {
	var out []field
	start := -1
	for i := 0; i <= len(line); i++ {
		sep := i == len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\r'
		switch {
		case sep && start >= 0:
			out = append(out, field{line[start:i], start + 1})
			start = -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}

// numFields is the number of fields of a position line.
const numFields = 1 + connect4.Width + 3

// parseLine parses one position line; on error it returns the column of
// the offending field.
func parseLine(line string) (Position, uint64, int, error) {
	f := fields(line)
	if len(f) != numFields {
		col := len(line) + 1 // where the missing field should be
		if len(f) > numFields {
			col = f[numFields].col
		}
		return Position{}, 0, col, fmt.Errorf("%d fields, want %d: moves, %d scores, nodes, source, deep flag", len(f), numFields, connect4.Width)
	}
	p := Position{Moves: f[0].text}
	st, err := connect4.Parse(p.Moves)
	if err != nil {
		return p, 0, f[0].col, err
	}
	if over, _ := st.Terminal(); over {
		return p, 0, f[0].col, fmt.Errorf("position %s: the game is over, there is no move to score", p.Moves)
	}
	for c := 0; c < connect4.Width; c++ {
		fd := f[1+c]
		v, err := strconv.Atoi(fd.text)
		if err != nil {
			return p, 0, fd.col, fmt.Errorf("score of column %d %q: not an integer", c+1, fd.text)
		}
		switch {
		case !st.CanPlay(c) && v != Full:
			return p, 0, fd.col, fmt.Errorf("score of column %d: %d, but the column is full (want %d)", c+1, v, Full)
		case st.CanPlay(c) && v == Full:
			return p, 0, fd.col, fmt.Errorf("score of column %d: %d (full), but the column can be played", c+1, v)
		case v != Full && (v < -21 || v > 21):
			return p, 0, fd.col, fmt.Errorf("score of column %d: %d, out of range [-21, 21]", c+1, v)
		}
		p.Scores[c] = v
	}
	fd := f[1+connect4.Width]
	n, err := strconv.ParseInt(fd.text, 10, 64)
	if err != nil || n < 0 {
		return p, 0, fd.col, fmt.Errorf("nodes %q: not a non-negative integer", fd.text)
	}
	p.Nodes = n
	p.Source = f[2+connect4.Width].text
	fd = f[3+connect4.Width]
	switch fd.text {
	case "deep":
		p.Deep = true
	case "-":
	default:
		return p, 0, fd.col, fmt.Errorf("deep flag %q: want deep or -", fd.text)
	}
	if want := IsDeep(st, p.Scores); p.Deep != want {
		what := "a tactical move loses the value"
		if !want {
			what = "every tactical move keeps the value"
		}
		return p, 0, fd.col, fmt.Errorf("deep flag %q, but %s (want %s)", fd.text, what, map[bool]string{true: "deep", false: "-"}[want])
	}
	return p, st.Key(), 0, nil
}

// Write writes a set file: the header lines, each prefixed with "# ", then
// one line per position.
func Write(w io.Writer, header []string, ps []Position) error {
	bw := bufio.NewWriter(w)
	for _, h := range header {
		for _, l := range strings.Split(h, "\n") {
			bw.WriteString(strings.TrimRight("# "+l, " "))
			bw.WriteByte('\n')
		}
	}
	for _, p := range ps {
		bw.WriteString(p.String())
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
