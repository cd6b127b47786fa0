package datasets

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"argmax/direct/alphabeta"
	"argmax/game/connect4"
	"argmax/game/connect4/positions"
)

// readSet reads a generated set file.
func readSet(t *testing.T, path string) ([]string, []positions.Position) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, ps, err := positions.Read(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return h, ps
}

// small returns a config that runs in a fraction of a second: late plies.
func small(dir, name string, n int, deep bool, src Source, workers int) Config {
	return Config{Set: name, MinPly: 30, MaxPly: 35, N: n, Deep: deep, Seed: 5, Source: src,
		Workers: workers, Out: filepath.Join(dir, name+".txt"), Command: "test " + name,
		Sims: []int64{8, 32}, Temperatures: []float64{0, 1}}
}

// TestGenerateDeterministic generates the same sets with 1 and 2 workers
// and checks they are identical, valid, of the asked size and phase, with
// exact scores.
func TestGenerateDeterministic(t *testing.T) {
	dir := t.TempDir()
	solver := alphabeta.New()
	for _, tc := range []struct {
		name string
		deep bool
		src  Source
	}{
		{"mixed", false, Mixed},
		{"random-deep", true, Random},
		{"mcts", false, MCTS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files [2][]positions.Position
			for w := 1; w <= 2; w++ {
				cfg := small(dir, tc.name+string(rune('0'+w)), 12, tc.deep, tc.src, w)
				var progress bytes.Buffer
				st, err := Generate(context.Background(), cfg, &progress)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(progress.String(), "12/12 kept") {
					t.Errorf("progress %q: no final line", progress.String())
				}
				h, ps := readSet(t, cfg.Out)
				if len(ps) != 12 || st.Kept != 12 || !strings.Contains(strings.Join(h, "\n"), "command: test "+cfg.Set) {
					t.Fatalf("%d positions, stats %+v, header %q", len(ps), st, h)
				}
				if _, err := os.Stat(cfg.Out + ".part"); !os.IsNotExist(err) {
					t.Errorf("journal left behind: %v", err)
				}
				files[w-1] = ps
			}
			if !slices.Equal(files[0], files[1]) {
				t.Fatalf("1 and 2 workers differ:\n%v\n%v", files[0], files[1])
			}
			for _, p := range files[0] {
				st, _ := p.State()
				if st.Ply() < 30 || st.Ply() > 35 || (tc.deep && !p.Deep) {
					t.Errorf("%s: ply %d, deep %v", p.Moves, st.Ply(), p.Deep)
				}
				if kind, _, _ := strings.Cut(p.Source, ":"); kind != string(tc.src) && tc.src != Mixed {
					t.Errorf("%s: source %s, want %s", p.Moves, p.Source, tc.src)
				}
				solver.Reset()
				n0 := solver.Nodes()
				if got := solver.Analyze(st, false); got != p.Scores || solver.Nodes()-n0 != p.Nodes {
					t.Errorf("%s: scores %v nodes %d, the solver says %v nodes %d", p.Moves, p.Scores, p.Nodes, got, solver.Nodes()-n0)
				}
			}
		})
	}
}

// TestGenerateResume interrupts a run at various points and resumes it:
// the file is the one an uninterrupted run writes; a journal of another
// configuration is refused; a torn last line is dropped.
func TestGenerateResume(t *testing.T) {
	dir := t.TempDir()
	ref := small(dir, "ref", 20, true, Mixed, 2)
	if _, err := Generate(context.Background(), ref, nil); err != nil {
		t.Fatal(err)
	}
	_, want := readSet(t, ref.Out)
	for i, stop := range []time.Duration{time.Millisecond, 100 * time.Millisecond, 400 * time.Millisecond} {
		cfg := small(dir, "resume"+string(rune('a'+i)), 20, true, Mixed, 2)
		ctx, cancel := context.WithTimeout(context.Background(), stop)
		_, err := Generate(ctx, cfg, nil)
		cancel()
		if err == nil {
			continue // finished before the interruption
		}
		if !strings.Contains(err.Error(), "run the same command again to resume") {
			t.Fatalf("interrupted run: %v", err)
		}
		if _, err := os.Stat(cfg.Out); !os.IsNotExist(err) {
			t.Fatalf("an interrupted run wrote %s", cfg.Out)
		}
		if i == 2 {
			// Tear the last line, as a crash in a write would.
			data, _ := os.ReadFile(cfg.Out + ".part")
			if header := bytes.IndexByte(data, '\n') + 1; len(data) > header+3 {
				os.WriteFile(cfg.Out+".part", data[:len(data)-3], 0o644)
			}
		}
		st, err := Generate(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, got := readSet(t, cfg.Out)
		if !slices.Equal(got, want) {
			t.Fatalf("resumed after %v (%d candidates resumed): the set differs", stop, st.Resumed)
		}
	}

	other := small(dir, "other", 5, true, Mixed, 1)
	os.WriteFile(other.Out+".part", []byte(journalMagic+"v1 seed=99\n"), 0o644)
	if _, err := Generate(context.Background(), other, nil); err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("foreign journal: %v", err)
	}
}

// TestReuseAndExclude checks that reused labels give the same file and
// that held-out positions and their mirror images are left out.
func TestReuseAndExclude(t *testing.T) {
	dir := t.TempDir()
	base := small(dir, "base", 15, false, Random, 2)
	if _, err := Generate(context.Background(), base, nil); err != nil {
		t.Fatal(err)
	}
	_, ps := readSet(t, base.Out)
	re := small(dir, "reuse", 15, false, Random, 2)
	re.Reuse = ps
	st, err := Generate(context.Background(), re, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, got := readSet(t, re.Out)
	if !slices.Equal(got, ps) {
		t.Fatal("reusing labels changed the set")
	}
	if st.Exact != 0 || st.Reused != 15 {
		t.Errorf("stats %+v", st)
	}

	ex := small(dir, "exclude", 15, false, Random, 2)
	mirrored := positions.Position{Moves: positions.Mirror(ps[1].Moves)}
	ex.Exclude = []positions.Position{ps[0], mirrored}
	st, err = Generate(context.Background(), ex, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, got = readSet(t, ex.Out)
	if st.Excluded != 2 || slices.Contains(got, ps[0]) || slices.Contains(got, ps[1]) || !slices.Equal(got[:13], ps[2:]) {
		t.Errorf("excluded %d: got %v", st.Excluded, got)
	}
}

// TestCanBeDeep checks the screen against exact analyses: a position it
// rejects is never deep.
func TestCanBeDeep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	s := alphabeta.New()
	screened, deep := 0, 0
	for n := 0; n < 1500; {
		st := randomGame(rng, 24+rng.IntN(12))
		if st == nil {
			continue
		}
		n++
		scores := s.Analyze(st, true)
		if positions.IsDeep(st, scores) {
			deep++
			if !CanBeDeep(st) {
				t.Fatalf("%s: deep, but CanBeDeep says it cannot be", st)
			}
		}
		if !CanBeDeep(st) {
			screened++
		}
	}
	if deep < 20 || screened < 300 {
		t.Errorf("%d deep, %d screened: too few to test", deep, screened)
	}
}

func TestCandidate(t *testing.T) {
	ctx := context.Background()
	for i := int64(0); i < 20; i++ {
		for _, src := range []Source{Random, MCTS} {
			c := Config{Seed: 1, MinPly: 10, MaxPly: 12, Source: src, N: 1, Out: "x", Sims: []int64{16}}
			m1, s1, err := c.Candidate(ctx, i)
			m2, s2, _ := c.Candidate(ctx, i)
			if err != nil || m1 != m2 || s1 != s2 {
				t.Fatalf("candidate %d: %q %q then %q %q (%v)", i, m1, s1, m2, s2, err)
			}
			if m1 == "" {
				continue
			}
			st, err := connect4.Parse(m1)
			if over, _ := st.Terminal(); err != nil || over || st.Ply() < 10 || st.Ply() > 12 {
				t.Fatalf("candidate %d: %q (%v)", i, m1, err)
			}
			if src == MCTS && !strings.HasPrefix(s1, "mcts:") || src == Random && s1 != "random" {
				t.Fatalf("candidate %d: source %q", i, s1)
			}
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{MinPly: 5, MaxPly: 3, N: 1, Out: "x"}, "plies 5-3"},
		{Config{MinPly: 5, MaxPly: 42, N: 1, Out: "x"}, "plies 5-42"},
		{Config{MinPly: 5, MaxPly: 6, N: 0, Out: "x"}, "n 0"},
		{Config{MinPly: 5, MaxPly: 6, N: 1}, "no output file"},
		{Config{MinPly: 5, MaxPly: 6, N: 1, Out: "x", Source: "games"}, `source "games"`},
		{Config{MinPly: 5, MaxPly: 6, N: 1, Out: "x", Workers: -1}, "workers -1"},
	} {
		if _, err := Generate(context.Background(), tc.cfg, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := ForSet("middle-shallow"); err == nil || !strings.Contains(err.Error(), "known: openings") {
		t.Errorf("ForSet: %v", err)
	}
	for name, want := range map[string][3]int{"openings": {4, 10, 0}, "end-deep": {28, 36, 1}, "beginning": {11, 15, 0}} {
		c, err := ForSet(name)
		if err != nil || c.MinPly != want[0] || c.MaxPly != want[1] || c.Deep != (want[2] == 1) {
			t.Errorf("ForSet(%q) = %+v, %v", name, c, err)
		}
	}
}
