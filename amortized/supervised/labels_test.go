package supervised

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"argmax/direct/alphabeta"
	"argmax/game"
	"argmax/game/connect4"
	"argmax/game/connect4/calibration"
)

// phaseCount asks for n labelled positions with a ply count in [lo, hi].
type phaseCount struct {
	lo, hi, n int
}

// labelSpec parses "beginning:N,middle:N,end:N" (plies 8-15, 16-27,
// 28-41: the calibration file's phases, the end running to the last
// possible ply).
func labelSpec(s string) ([]phaseCount, error) {
	ranges := map[string][2]int{"beginning": {8, 15}, "middle": {16, 27}, "end": {28, 41}}
	var out []phaseCount
	for _, f := range strings.Split(s, ",") {
		name, num, ok := strings.Cut(strings.TrimSpace(f), ":")
		r, known := ranges[name]
		n, err := strconv.Atoi(num)
		if !ok || !known || err != nil || n < 0 {
			return nil, fmt.Errorf("label spec %q: want phase:count with phase beginning, middle or end", f)
		}
		out = append(out, phaseCount{r[0], r[1], n})
	}
	return out, nil
}

// mirrorMoves returns the notation of the left-right mirror image.
func mirrorMoves(moves string) string {
	b := []byte(moves)
	for i, c := range b {
		b[i] = '1' + '7' - c
	}
	return string(b)
}

// canonicalKey is the key of a position or of its mirror image, whichever
// is smaller: a position and its mirror share it.
func canonicalKey(moves string) uint64 {
	a, _ := connect4.Parse(moves)
	b, _ := connect4.Parse(mirrorMoves(moves))
	return min(a.Key(), b.Key())
}

// calibrationKeys returns the canonical keys of every calibration
// position, so training data can leave them (and their mirrors) out.
func calibrationKeys() map[uint64]bool {
	keys := map[uint64]bool{}
	for _, p := range calibration.All() {
		keys[canonicalKey(p.Moves)] = true
	}
	return keys
}

// randomPosition plays uniformly random moves from the empty board to a
// ply drawn uniformly from [lo, hi], restarting when the game ends first,
// and returns the position's notation.
func randomPosition(rng *rand.Rand, lo, hi int) string {
	var legal []game.Action
	for {
		target := lo + rng.IntN(hi-lo+1)
		s := connect4.New()
		for s.Ply() < target {
			legal = s.Legal(legal)
			if len(legal) == 0 {
				break
			}
			s.Play(legal[rng.IntN(len(legal))])
		}
		if over, _ := s.Terminal(); !over && s.Ply() == target {
			return s.String()
		}
	}
}

// generateLabels draws positions of random games by phase (sample i of a
// phase from its own generator, so the set does not depend on the worker
// count), drops repeats, mirror images and the excluded keys, solves every
// move exactly with one alpha-beta solver per worker, and calls emit in a
// fixed order. It stops early when ctx is cancelled.
func generateLabels(ctx context.Context, seed uint64, spec []phaseCount, workers int, exclude map[uint64]bool, emit func(calibration.Position)) error {
	seen := map[uint64]bool{}
	var todo []string
	for pi, pc := range spec {
		for i := 0; len(todo) < 1<<30 && i < 50*pc.n+1000; i++ {
			if count := len(todo); count >= sumN(spec[:pi+1]) {
				break
			}
			rng := rand.New(rand.NewPCG(seed, uint64(pi)<<40|uint64(i)))
			m := randomPosition(rng, pc.lo, pc.hi)
			k := canonicalKey(m)
			if seen[k] || exclude[k] {
				continue
			}
			seen[k] = true
			todo = append(todo, m)
		}
	}
	const chunk = 64
	results := make([]calibration.Position, len(todo))
	solvers := make([]*alphabeta.Solver, workers)
	for w := range solvers {
		solvers[w] = alphabeta.New()
	}
	for c0 := 0; c0 < len(todo); c0 += chunk * workers {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			lo := c0 + w*chunk
			hi := min(lo+chunk, len(todo))
			if lo >= hi {
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sv := solvers[w]
				for i := lo; i < hi; i++ {
					s, _ := connect4.Parse(todo[i])
					results[i] = calibration.Position{Moves: todo[i], Scores: sv.Analyze(s, false)}
				}
			}()
		}
		wg.Wait()
		for i := c0; i < min(c0+chunk*workers, len(todo)); i++ {
			emit(results[i])
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func sumN(spec []phaseCount) int {
	n := 0
	for _, pc := range spec {
		n += pc.n
	}
	return n
}

// writeLabels generates labels by spec into path (calibration format),
// through a temporary file renamed at the end.
func writeLabels(ctx context.Context, path string, seed uint64, spec []phaseCount, workers int) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "# connect four labels from random games, seed %d, spec %v, calibration positions and mirrors excluded\n", seed, spec)
	err = generateLabels(ctx, seed, spec, workers, calibrationKeys(), func(p calibration.Position) {
		fmt.Fprint(w, p.Moves)
		for _, s := range p.Scores {
			fmt.Fprintf(w, " %d", s)
		}
		fmt.Fprintln(w)
	})
	if err2 := w.Flush(); err == nil {
		err = err2
	}
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// readLabels reads a file written by writeLabels.
func readLabels(path string) ([]calibration.Position, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps, err := calibration.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// TestWriteLabels writes a label file when SUPERVISED_LABELS_OUT names one
// (SUPERVISED_LABELS gives the spec, SUPERVISED_LABELS_SEED the seed):
//
//	SUPERVISED_LABELS_OUT=/tmp/labels.txt SUPERVISED_LABELS=beginning:2000,middle:50000,end:50000 \
//	  go test ./amortized/supervised -run TestWriteLabels -timeout 0
func TestWriteLabels(t *testing.T) {
	out := os.Getenv("SUPERVISED_LABELS_OUT")
	if out == "" {
		t.Skip("SUPERVISED_LABELS_OUT not set")
	}
	spec, err := labelSpec(os.Getenv("SUPERVISED_LABELS"))
	if err != nil {
		t.Fatal(err)
	}
	seed := uint64(1)
	if s := os.Getenv("SUPERVISED_LABELS_SEED"); s != "" {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeLabels(context.Background(), out, seed, spec, 2); err != nil {
		t.Fatal(err)
	}
}
