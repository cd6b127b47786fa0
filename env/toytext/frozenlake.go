package toytext

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"argmax/env"
)

// FrozenLake's actions, numbered as in Gymnasium.
const (
	Left  = 0
	Down  = 1
	Right = 2
	Up    = 3
)

// Time limits of Gymnasium's FrozenLake registrations.
const (
	// FrozenLakeMaxSteps is FrozenLake-v1's time limit
	// (max_episode_steps=100), which gym.make keeps for any map it is given.
	FrozenLakeMaxSteps = 100
	// FrozenLake8x8MaxSteps is FrozenLake8x8-v1's (map_name="8x8",
	// max_episode_steps=200).
	FrozenLake8x8MaxSteps = 200
)

// Gymnasium's built-in maps (MAPS in frozen_lake.py).
var lakeMaps = map[string][]string{
	"4x4": {"SFFF", "FHFH", "FFFH", "HFFG"},
	"8x8": {
		"SFFFFFFF",
		"FFFFFFFF",
		"FFFHFFFF",
		"FFFFFHFF",
		"FFFHFFFF",
		"FHHFFFHF",
		"FHFFHFHF",
		"FFFHFFFG",
	},
}

// LakeMap is a FrozenLake map: a grid of cells, each S (start, frozen), F
// (frozen), H (hole) or G (goal), rows from the top. Cell (row, col) is
// state row·Cols + col.
type LakeMap struct {
	Rows, Cols int
	cells      []byte // row-major
}

// ParseLakeMap reads a map: either the name of one of Gymnasium's built-in
// maps ("4x4", "8x8"), or the rows of the grid separated by newlines or
// '/' ("SFFF/FHFH/FFFH/HFFG"), each row one letter per cell. Spaces and
// tabs around a row and empty rows are ignored. The map must be
// rectangular, use only S, F, H and G, and have at least one S and one G.
// Gymnasium itself accepts a map without a goal (its episodes can then
// only end in a hole); here that is an error. A map with several S starts
// each episode in one of them, uniformly, as Gymnasium does.
func ParseLakeMap(text string) (LakeMap, error) {
	if rows, ok := lakeMaps[strings.TrimSpace(text)]; ok {
		return lakeMapOf(rows), nil
	}
	fail := func(format string, args ...any) (LakeMap, error) {
		return LakeMap{}, fmt.Errorf("toytext: frozen lake map %s: %s", quoteMap(text), fmt.Sprintf(format, args...))
	}
	var rows []string
	for _, r := range strings.FieldsFunc(text, func(c rune) bool { return c == '\n' || c == '/' }) {
		if r = strings.Trim(r, " \t\r"); r != "" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return fail("no rows: want the name 4x4 or 8x8, or rows of S, F, H and G separated by newlines or '/'")
	}
	var m LakeMap
	m.Rows, m.Cols = len(rows), len(rows[0])
	starts, goals := 0, 0
	for i, r := range rows {
		if len(r) != m.Cols {
			return fail("row %d has %d cells, row 1 has %d: want a rectangular map", i+1, len(r), m.Cols)
		}
		for j := 0; j < len(r); j++ {
			switch c := r[j]; c {
			case 'S':
				starts++
			case 'G':
				goals++
			case 'F', 'H':
			default:
				bad, _ := utf8.DecodeRuneInString(r[j:])
				return fail("row %d, column %d: unknown cell %q: want S (start), F (frozen), H (hole) or G (goal)",
					i+1, j+1, bad)
			}
		}
		m.cells = append(m.cells, r...)
	}
	if starts == 0 {
		return fail("no start cell S")
	}
	if goals == 0 {
		return fail("no goal cell G")
	}
	return m, nil
}

// quoteMap quotes a map's text for an error, cut to a readable length.
func quoteMap(text string) string {
	const max = 80
	if len(text) > max {
		return fmt.Sprintf("%q...", text[:max])
	}
	return fmt.Sprintf("%q", text)
}

func lakeMapOf(rows []string) LakeMap {
	m := LakeMap{Rows: len(rows), Cols: len(rows[0])}
	for _, r := range rows {
		m.cells = append(m.cells, r...)
	}
	return m
}

// At returns the letter of cell (row, col).
func (m LakeMap) At(row, col int) byte { return m.cells[row*m.Cols+col] }

// String renders the map as its rows separated by '/', which ParseLakeMap
// reads back.
func (m LakeMap) String() string {
	rows := make([]string, m.Rows)
	for i := range rows {
		rows[i] = string(m.cells[i*m.Cols : (i+1)*m.Cols])
	}
	return strings.Join(rows, "/")
}

// FrozenLakeConfig configures a FrozenLake. The zero value is Gymnasium's
// FrozenLake-v1 exactly: the 4x4 map, slippery, a time limit of 100 steps.
type FrozenLakeConfig struct {
	// Map is a built-in map's name ("4x4", the default when empty, or
	// "8x8") or a custom map (see ParseLakeMap).
	Map string
	// Deterministic turns the slipping off (Gymnasium's is_slippery=False):
	// every move goes where it is meant to.
	Deterministic bool
	// SuccessRate is the probability that a slippery move goes in the
	// intended direction; each perpendicular direction then has
	// (1 − SuccessRate)/2 (the success_rate argument Gymnasium pull
	// request #1363 added). 0 means 1/3, FrozenLake-v1's split into three
	// equal parts.
	SuccessRate float64
	// MaxSteps is the time limit: 0 means Gymnasium's registration, 200
	// for Map "8x8" (FrozenLake8x8-v1) and 100 otherwise (FrozenLake-v1);
	// NoLimit turns it off.
	MaxSteps int
	// IndexObservation makes the observation the integer state, a
	// one-value Discrete(NumStates) vector, instead of its one-hot vector.
	IndexObservation bool
}

// FrozenLake is Gymnasium's FrozenLake-v1: the agent walks a frozen lake
// from a start cell S to the goal G over frozen cells F, without falling
// into a hole H. A move (0 left, 1 down, 2 right, 3 up) that would leave
// the grid stays put. On slippery ice (the default) a move goes in the
// intended direction with probability 1/3 and in each of the two
// perpendicular directions with 1/3. Entering G gives reward 1, anything
// else 0; entering G or H terminates the episode; the time limit truncates
// it (100 steps, 200 on the 8x8 map).
//
// Its transition table is Gymnasium's P: for each state and action, the
// outcomes of the moves (a−1) mod 4, a and (a+1) mod 4 in that order when
// slippery (so a slip into a wall and a blocked intended move are separate
// entries with the same next state), one outcome otherwise; in G and H
// every action has the single outcome (1, same state, 0, terminated).
//
// Source: Gymnasium, gymnasium/envs/toy_text/frozen_lake.py (FrozenLakeEnv:
// MAPS, inc, update_probability_matrix, step; success_rate as Gymnasium
// pull request #1363 added it), with the time limits of FrozenLake-v1 and
// FrozenLake8x8-v1 from gymnasium/envs/__init__.py.
type FrozenLake struct {
	core
	cfg FrozenLakeConfig
	lm  LakeMap
}

var _ env.Env = (*FrozenLake)(nil)

// NewFrozenLake returns a frozen lake reset with seed 0, or an error naming
// what is wrong with cfg (a bad map, a success rate outside (0, 1], a
// negative time limit).
func NewFrozenLake(cfg FrozenLakeConfig) (*FrozenLake, error) {
	name := strings.TrimSpace(cfg.Map)
	if name == "" {
		name = "4x4"
	}
	lm, err := ParseLakeMap(name)
	if err != nil {
		return nil, err
	}
	def := FrozenLakeMaxSteps
	if name == "8x8" {
		def = FrozenLake8x8MaxSteps
	}
	steps, err := maxSteps("frozenlake", cfg.MaxSteps, def)
	if err != nil {
		return nil, err
	}
	sr := cfg.SuccessRate
	if sr == 0 {
		sr = 1.0 / 3.0
	}
	if !(sr > 0 && sr <= 1) {
		return nil, fmt.Errorf("toytext: frozenlake config: SuccessRate=%v: want a probability in (0, 1], 0 for 1/3", cfg.SuccessRate)
	}
	if cfg.Deterministic && cfg.SuccessRate != 0 {
		return nil, fmt.Errorf("toytext: frozenlake config: SuccessRate=%v with Deterministic: the success rate is for slippery ice", cfg.SuccessRate)
	}
	e := &FrozenLake{cfg: cfg, lm: lm}
	e.core = newCore(lakeModel(lm, !cfg.Deterministic, sr), "frozenlake", steps, cfg.IndexObservation)
	e.Reset(0)
	return e, nil
}

// lakeModel builds the transition table of a map as Gymnasium's
// FrozenLakeEnv.__init__ does.
func lakeModel(lm LakeMap, slippery bool, successRate float64) *model {
	nS, nA := lm.Rows*lm.Cols, 4
	m := &model{nS: nS, nA: nA, p: make([][]outcome, nS*nA), start: make([]float64, nS)}
	// move returns the cell a move from (row, col) reaches: a move off the
	// grid stays put.
	move := func(row, col, a int) (int, int) {
		switch a {
		case Left:
			col = max(col-1, 0)
		case Down:
			row = min(row+1, lm.Rows-1)
		case Right:
			col = min(col+1, lm.Cols-1)
		case Up:
			row = max(row-1, 0)
		}
		return row, col
	}
	arrive := func(row, col, b int, prob float64) outcome {
		r, c := move(row, col, b)
		letter := lm.At(r, c)
		o := outcome{prob: prob, next: r*lm.Cols + c, terminal: letter == 'G' || letter == 'H'}
		if letter == 'G' {
			o.reward = 1
		}
		return o
	}
	fail := (1 - successRate) / 2
	if successRate == 1.0/3.0 {
		fail = 1.0 / 3.0 // 1.0/3.0 for every entry, as before success_rate existed
	}
	var starts float64
	for row := range lm.Rows {
		for col := range lm.Cols {
			s := row*lm.Cols + col
			letter := lm.At(row, col)
			if letter == 'S' {
				m.start[s] = 1
				starts++
			}
			for a := range nA {
				var li []outcome
				switch {
				case letter == 'G' || letter == 'H':
					li = []outcome{{prob: 1, next: s, terminal: true}}
				case slippery:
					for _, b := range [3]int{(a + 3) % 4, a, (a + 1) % 4} {
						p := fail
						if b == a {
							p = successRate
						}
						li = append(li, arrive(row, col, b, p))
					}
				default:
					li = []outcome{arrive(row, col, a, 1)}
				}
				m.p[s*nA+a] = li
			}
		}
	}
	for s, p := range m.start {
		if p > 0 {
			m.start[s] = p / starts
			m.starts = append(m.starts, s)
		}
	}
	return m
}

// Config returns the configuration the lake was built from.
func (e *FrozenLake) Config() FrozenLakeConfig { return e.cfg }

// Map returns the lake's map.
func (e *FrozenLake) Map() LakeMap { return e.lm }

// MaxSteps is the time limit in force, 0 for none.
func (e *FrozenLake) MaxSteps() int { return e.maxSteps }

// Clone returns an independent copy at the same state and stream position.
func (e *FrozenLake) Clone() env.Env {
	c := *e
	c.core = e.core.clone()
	return &c
}
