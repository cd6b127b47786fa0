package positions_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
	"argmax/game/connect4/positions"
)

// minSize is the least number of positions of each embedded set: the counts
// the generation reached (see each file's header).
var minSize = map[string]int{
	"openings": 150, "beginning": 1000, "middle": 1000, "end": 1000,
	"openings-deep": 80, "beginning-deep": 300, "middle-deep": 400, "end-deep": 400,
	"train": 30000,
}

func load(t *testing.T, name string) []positions.Position {
	t.Helper()
	ps, err := positions.Set(name)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestSets checks every embedded set: its size, its plies, its header, and
// its deep flags against the tactical rule.
func TestSets(t *testing.T) {
	for _, name := range positions.Names() {
		t.Run(name, func(t *testing.T) {
			ps := load(t, name)
			if min, ok := minSize[name]; ok && len(ps) < min {
				t.Errorf("%d positions, want at least %d", len(ps), min)
			}
			h, err := positions.Header(name)
			if err != nil {
				t.Fatal(err)
			}
			if text := strings.Join(h, "\n"); !strings.Contains(text, "command: argmax positions --set ") ||
				!strings.Contains(text, "seed: ") || !strings.Contains(text, "date: ") || !strings.Contains(text, "solver: ") || !strings.Contains(text, "deep: ") {
				t.Errorf("header lacks command, seed, date, solver or deep:\n%s", text)
			}
			base, deepOnly := strings.CutSuffix(name, "-deep")
			ph := positions.TrainPlies
			for _, p := range positions.Phases {
				if p.Name == base {
					ph = p
				}
			}
			deep := 0
			for _, p := range ps {
				st, err := p.State()
				if err != nil {
					t.Fatal(err)
				}
				if name != "deep" && !ph.Contains(st.Ply()) {
					t.Errorf("%s: %d plies, outside %s %d-%d", p.Moves, st.Ply(), ph.Name, ph.MinPly, ph.MaxPly)
				}
				if p.Deep != positions.IsDeep(st, p.Scores) {
					t.Errorf("%s: deep flag %v, the rule says %v", p.Moves, p.Deep, !p.Deep)
				}
				if (deepOnly || name == "deep") && !p.Deep {
					t.Errorf("%s: in a deep set but not deep", p.Moves)
				}
				if p.Deep {
					deep++
				}
				if kind, _, _ := strings.Cut(p.Source, ":"); kind != "random" && kind != "mcts" {
					t.Errorf("%s: source %q", p.Moves, p.Source)
				}
			}
			t.Logf("%d positions, %d deep", len(ps), deep)
		})
	}
	if _, err := positions.Set("middle-shallow"); err == nil || !strings.Contains(err.Error(), `unknown set "middle-shallow"`) {
		t.Errorf("unknown set: %v", err)
	}
}

// TestSetsHaveSources checks that no set is made of random-game positions
// only.
func TestSetsHaveSources(t *testing.T) {
	for _, name := range positions.Names() {
		count := map[string]int{}
		for _, p := range load(t, name) {
			kind, _, _ := strings.Cut(p.Source, ":")
			count[kind]++
		}
		if count["random"] == 0 || count["mcts"] == 0 {
			t.Errorf("%s: sources %v, want both random and MCTS games", name, count)
		}
	}
}

// TestDeepSetsFollowPhaseSets checks that each deep set and the deep
// positions of its phase's set come from one stream: one is a prefix of the
// other.
func TestDeepSetsFollowPhaseSets(t *testing.T) {
	for _, ph := range positions.Phases {
		var deep []positions.Position
		for _, p := range load(t, ph.Name) {
			if p.Deep {
				deep = append(deep, p)
			}
		}
		set := load(t, ph.Name+"-deep")
		n := min(len(deep), len(set))
		for i := range n {
			if deep[i] != set[i] { // moves, scores, nodes and source
				t.Errorf("%s: deep position %d is %s, %s-deep has %s", ph.Name, i, deep[i].Moves, ph.Name, set[i].Moves)
				break
			}
		}
		t.Logf("%s: %d deep positions, %s-deep %d, %d in common", ph.Name, len(deep), ph.Name, len(set), n)
	}
}

// TestScores re-solves a random sample of every set with the exact solver:
// positions that took it at most 300k nodes (5M for the openings, where
// none is that cheap), to keep the test fast.
func TestScores(t *testing.T) {
	s := alphabeta.New()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, name := range positions.Names() {
		if name == "deep" {
			continue
		}
		limit, k := int64(300_000), 6
		switch name {
		case "train":
			k = 30
		case "openings", "openings-deep":
			limit, k = 5_000_000, 2
		}
		var cheap []positions.Position
		for _, p := range load(t, name) {
			if p.Nodes <= limit {
				cheap = append(cheap, p)
			}
		}
		if len(cheap) < k {
			t.Errorf("%s: only %d positions cheap enough to re-solve", name, len(cheap))
			continue
		}
		for _, i := range rng.Perm(len(cheap))[:k] {
			p := cheap[i]
			st, _ := p.State()
			if got := s.Analyze(st, false); got != p.Scores {
				t.Errorf("%s: %s: scores %v, the solver says %v", name, p.Moves, p.Scores, got)
			}
		}
	}
}

// TestHeldOut checks that the training set holds no position of a test set
// or of the calibration file, nor a mirror image of one.
func TestHeldOut(t *testing.T) {
	test := map[uint64]string{}
	for _, name := range positions.Names() {
		if name == "train" || name == "deep" {
			continue
		}
		for _, p := range load(t, name) {
			test[p.Key()] = name + " " + p.Moves
		}
	}
	for _, p := range calibration.All() {
		test[positions.Position{Moves: p.Moves}.Key()] = "calibration " + p.Moves
	}
	train := load(t, "train")
	for _, p := range train {
		if where, ok := test[p.Key()]; ok {
			t.Errorf("train %s is %s", p.Moves, where)
		}
		if where, ok := test[p.MirrorKey()]; ok {
			t.Errorf("train %s is the mirror image of %s", p.Moves, where)
		}
	}
	t.Logf("%d training positions, %d held-out positions", len(train), len(test))
}

// TestMirror checks that mirroring a position mirrors its scores.
func TestMirror(t *testing.T) {
	s := alphabeta.New()
	for _, p := range load(t, "end")[:20] {
		m := positions.Mirror(p.Moves)
		if positions.Mirror(m) != p.Moves {
			t.Fatalf("Mirror is not an involution on %s", p.Moves)
		}
		st, err := connect4.Parse(m)
		if err != nil {
			t.Fatal(err)
		}
		got := s.Analyze(st, false)
		want := p.Scores
		slices.Reverse(want[:])
		if got != want {
			t.Errorf("%s mirrored: scores %v, want %v", p.Moves, got, want)
		}
	}
}

func TestPosition(t *testing.T) {
	p := positions.Position{Moves: "4", Scores: [7]int{-2, 0, 0, 3, 1, positions.Full, 3}}
	for a, want := range []bool{false, false, false, true, true, false, true} {
		if p.Optimal(game.Action(a)) != want {
			t.Errorf("Optimal(%d) = %v, want %v", a, !want, want)
		}
	}
	for a, want := range []bool{false, false, false, true, false, false, true} {
		if p.Strict(game.Action(a)) != want {
			t.Errorf("Strict(%d) = %v, want %v", a, !want, want)
		}
	}
	if p.Optimal(-1) || p.Optimal(7) || p.Strict(7) || p.Best() != 3 {
		t.Error("out-of-range actions or Best")
	}
	if ph, ok := positions.PhaseOf(16); !ok || ph.Name != "middle" {
		t.Errorf("PhaseOf(16) = %v, %v", ph, ok)
	}
	if _, ok := positions.PhaseOf(3); ok {
		t.Error("PhaseOf(3) is a phase")
	}
	for i, ph := range positions.Phases[1:] {
		if ph.MinPly != positions.Phases[i].MaxPly+1 {
			t.Errorf("phases %v and %v are not contiguous and disjoint", positions.Phases[i], ph)
		}
	}
}

const good = "2336344717262237226151774766 6 -1000 7 7 7 6 -1000 12 random -"

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"fields", "44 1 2 3", "f:1:9: 4 fields, want 11"},
		{"extra field", good + " x", "f:1:64: 12 fields, want 11"},
		{"moves", "\n48 1 2 3 4 5 6 7 1 random -", `f:2:1: connect4 position "48": character 2 '8'`},
		{"finished", "1212121 -1000 1 1 1 1 1 1 1 random -", "f:1:1: position 1212121: the game is over"},
		{"score", "44 1 2 3 4 5 6 x 1 random -", `f:1:16: score of column 7 "x": not an integer`},
		{"full column", "444444 1 2 3 4 5 6 7 1 random -", "f:1:14: score of column 4: 4, but the column is full"},
		{"playable full", "44 1 2 3 -1000 5 6 7 1 random -", "f:1:10: score of column 4: -1000 (full), but the column can be played"},
		{"range", "44 1 2 3 40 5 6 7 1 random -", "score of column 4: 40, out of range"},
		{"nodes", "44 1 2 3 4 5 6 7 -5 random -", `f:1:18: nodes "-5": not a non-negative integer`},
		{"flag", "44 1 2 3 4 5 6 7 5 random yes", `f:1:27: deep flag "yes": want deep or -`},
		{"wrong flag", "44 1 2 3 -4 5 6 7 5 random -", `deep flag "-", but a tactical move loses the value (want deep)`},
		{"wrong deep", "44 1 2 3 4 5 6 7 5 random deep", `deep flag "deep", but every tactical move keeps the value (want -)`},
		{"duplicate", good + "\n# c\n" + good, "f:3:1: position 2336344717262237226151774766: the same position as line 1"},
		{"long line", strings.Repeat("4", 5000), "f: a line is longer than 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := positions.Read("f", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read(%q) = %v, want %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestReadWrite(t *testing.T) {
	in := "# a header\n#\n" + good + "\n\n\t44 1 2 3 -4 5 6 7 5 mcts:16/64,t=1 deep\r\n"
	h, ps, err := positions.Read("f", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h, []string{"a header", ""}) || len(ps) != 2 || !ps[1].Deep || ps[1].Source != "mcts:16/64,t=1" || ps[0].Nodes != 12 {
		t.Fatalf("header %q, positions %+v", h, ps)
	}
	var b bytes.Buffer
	if err := positions.Write(&b, h, ps); err != nil {
		t.Fatal(err)
	}
	h2, ps2, err := positions.Read("f", &b)
	if err != nil || !slices.Equal(h2, h) || !slices.Equal(ps2, ps) {
		t.Fatalf("round trip: %q %v %v", h2, ps2, err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(good)
	f.Add("# h\n" + good + "\n44 1 2 3 -4 5 6 7 5 mcts:16/64,t=1 deep\n")
	f.Add("44 1 2 3 4 5 6 7 5 random yes")
	f.Add("1212121 -1000 1 1 1 1 1 1 1 random -")
	f.Fuzz(func(t *testing.T, in string) {
		h, ps, err := positions.Read("fuzz", strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error %q does not name the input", err)
			}
			return
		}
		var b bytes.Buffer
		if err := positions.Write(&b, h, ps); err != nil {
			t.Fatal(err)
		}
		_, ps2, err := positions.Read("again", &b)
		if err != nil || !slices.Equal(ps, ps2) {
			t.Fatalf("round trip of %q: %v, %v vs %v", in, err, ps, ps2)
		}
	})
}
