package datasets_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"argmax/game/connect4/positions"
	"argmax/lab/datasets"
)

// Generating a small deep set of late positions from random games: the
// file is written atomically, with the header that records how it was made.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "datasets")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	cfg, err := datasets.ForSet("end-deep")
	if err != nil {
		panic(err)
	}
	cfg.MinPly, cfg.MaxPly = 32, 34 // quicker than the whole end phase
	cfg.N, cfg.Seed, cfg.Source = 5, 1, datasets.Random
	cfg.Out = filepath.Join(dir, "end-deep.txt")
	cfg.Command = "argmax positions --set end-deep --plies 32-34 --n 5 --source random --out end-deep.txt"
	st, err := datasets.Generate(context.Background(), cfg, nil)
	if err != nil {
		panic(err)
	}
	f, _ := os.Open(cfg.Out)
	defer f.Close()
	header, ps, err := positions.Read(cfg.Out, f)
	if err != nil {
		panic(err)
	}
	deep := 0
	for _, p := range ps {
		if p.Deep {
			deep++
		}
	}
	fmt.Println(len(ps), "positions,", deep, "deep, from", st.Drawn, "candidates")
	fmt.Println(header[1])
	// Output:
	// 5 positions, 5 deep, from 215 candidates
	// command: argmax positions --set end-deep --plies 32-34 --n 5 --source random --out end-deep.txt
}
