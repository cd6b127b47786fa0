package learners

import (
	"context"
	"testing"

	"argmax/game/connect4/positions"
	"argmax/lab/cache"
	"argmax/lab/datasets"
)

func TestLabel(t *testing.T) {
	ctx := context.Background()
	for _, teacher := range []Teacher{Solver, Demo, Search} {
		d, err := Label(ctx, teacher, 50, 32, 1)
		if err != nil {
			t.Fatalf("%s: %v", teacher, err)
		}
		if len(d.States) != 50 || len(d.Scores) != 50 || len(d.Moves) != 50 {
			t.Fatalf("%s: %d examples", teacher, len(d.States))
		}
		for i, st := range d.States {
			if !st.IsLegal(d.Moves[i]) {
				t.Fatalf("%s: label %d illegal in %s", teacher, d.Moves[i], st)
			}
			if teacher != Solver && d.Scores[i][d.Moves[i]] != 1 {
				t.Fatalf("%s: the label's score is %d, want 1", teacher, d.Scores[i][d.Moves[i]])
			}
		}
		switch teacher {
		case Solver:
			if d.Disagree != 0 || d.Cost.Nodes == 0 {
				t.Errorf("solver: disagree %v, cost %+v", d.Disagree, d.Cost)
			}
		case Search:
			if d.Cost.Simulations == 0 || d.Cost.Steps == 0 {
				t.Errorf("search: cost %+v not counted", d.Cost)
			}
		}
		again, _ := Label(ctx, teacher, 50, 32, 1)
		for i := range d.Moves {
			if again.Moves[i] != d.Moves[i] || again.States[i].Key() != d.States[i].Key() {
				t.Fatalf("%s: labels differ for the same seed", teacher)
			}
		}
	}
	if _, err := Label(ctx, Search, 10, 0, 1); err == nil {
		t.Error("search labels with no budget: no error")
	}
	if _, err := ParseTeacher("oracle"); err == nil {
		t.Error("ParseTeacher(oracle): no error")
	}
}

func TestDemoMoveIsCentreMostAllowed(t *testing.T) {
	d, err := Label(context.Background(), Demo, 30, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range d.States {
		mv, err := DemoMove(st)
		if err != nil || mv != d.Moves[i] {
			t.Errorf("%s: DemoMove %d, label %d, %v", st, mv, d.Moves[i], err)
		}
	}
}

func TestNetTrainsOnceAndReloads(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := NetSpec{Size: "tiny", Teacher: Solver, N: 100, Steps: 5, Seed: 3}
	p, err := Net(context.Background(), c, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Net(context.Background(), c, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.TrainingCost().Iterations != 5 || q.TrainingCost() != p.TrainingCost() || p.TrainingCost().Nodes == 0 {
		t.Errorf("training cost %+v then %+v: want 5 steps and the labels' solver nodes, kept by the checkpoint", p.TrainingCost(), q.TrainingCost())
	}
	tab, err := Table(context.Background(), Solver, 100, 0, 1)
	if err != nil || tab.Len() == 0 {
		t.Fatalf("table: %v", err)
	}
	if _, err := Net(context.Background(), c, NetSpec{Size: "huge", Teacher: Solver}, nil); err == nil {
		t.Error("unknown size: no error")
	}
}

func TestExtraPositionsAreHeldOutAndCached(t *testing.T) {
	c, err := cache.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ps, err := Extra(ctx, c, 40, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 40 {
		t.Fatalf("%d extra positions, want 40", len(ps))
	}
	held, _, err := datasets.HeldOut()
	if err != nil {
		t.Fatal(err)
	}
	train, _ := TrainPositions()
	out := map[uint64]bool{}
	for _, p := range append(held, train...) {
		out[p.Key()], out[p.MirrorKey()] = true, true
	}
	for _, p := range ps {
		if out[p.Key()] {
			t.Errorf("extra position %s is held out or in the training set", p.Moves)
		}
		if n := len(p.Moves); n < extraMinPly || n > positions.TrainPlies.MaxPly {
			t.Errorf("extra position %s: %d plies", p.Moves, n)
		}
	}
	again, err := Extra(ctx, c, 40, nil)
	if err != nil || len(again) != 40 || again[7].Moves != ps[7].Moves {
		t.Fatalf("second call: %d positions, %v", len(again), err)
	}
	d, err := labelFrom(ctx, ps, Solver, 0, 0, 1)
	if err != nil || len(d.States) != 40 || d.Cost.Nodes == 0 {
		t.Fatalf("labels of the extra positions: %v", err)
	}
}
