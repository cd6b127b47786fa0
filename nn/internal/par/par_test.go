package par

import (
	"sync"
	"sync/atomic"
	"testing"
)

// countTask records which chunks ran and the largest slot seen.
type countTask struct {
	runs     []atomic.Int32
	maxSlot  atomic.Int32
	nested   int // when > 0, each chunk runs a nested For of this many chunks
	threads  int
	innerRan atomic.Int32
}

func (t *countTask) Run(i, slot int) {
	t.runs[i].Add(1)
	for {
		m := t.maxSlot.Load()
		if int32(slot) <= m || t.maxSlot.CompareAndSwap(m, int32(slot)) {
			break
		}
	}
	if t.nested > 0 {
		inner := &countTask{runs: make([]atomic.Int32, t.nested)}
		For(t.threads, t.nested, inner)
		for j := range inner.runs {
			t.innerRan.Add(inner.runs[j].Load())
		}
	}
}

// TestFor checks that every chunk runs exactly once with slots below the
// thread count, for single and many chunks, nested calls and concurrent
// callers.
func TestFor(t *testing.T) {
	for _, threads := range []int{1, 2, 4} {
		for _, n := range []int{0, 1, 2, 3, 17, 1000} {
			task := &countTask{runs: make([]atomic.Int32, n)}
			For(threads, n, task)
			for i := range task.runs {
				if r := task.runs[i].Load(); r != 1 {
					t.Fatalf("threads %d, %d chunks: chunk %d ran %d times", threads, n, i, r)
				}
			}
			if s := task.maxSlot.Load(); int(s) >= max(threads, 1) {
				t.Fatalf("threads %d: slot %d", threads, s)
			}
		}
	}
	nested := &countTask{runs: make([]atomic.Int32, 8), nested: 5, threads: 2}
	For(2, 8, nested)
	if got := nested.innerRan.Load(); got != 40 {
		t.Errorf("nested: %d inner chunks ran, want 40", got)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 200; rep++ {
				task := &countTask{runs: make([]atomic.Int32, 9)}
				For(2, 9, task)
				for i := range task.runs {
					if task.runs[i].Load() != 1 {
						t.Errorf("concurrent callers: chunk %d ran %d times", i, task.runs[i].Load())
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestForPanicsOnTooManyChunks checks the chunk limit.
func TestForPanicsOnTooManyChunks(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	For(2, MaxChunks+1, &countTask{})
}

// nopTask does nothing.
type nopTask struct{}

func (nopTask) Run(int, int) {}

// TestForAllocates nothing in steady state.
func TestForAllocates(t *testing.T) {
	task := nopTask{}
	For(2, 4, task)
	if a := testing.AllocsPerRun(100, func() { For(2, 4, task) }); a != 0 {
		t.Errorf("%v allocations per For", a)
	}
}

// BenchmarkFor times the hand-off of a call of two empty chunks.
func BenchmarkFor(b *testing.B) {
	task := nopTask{}
	for b.Loop() {
		For(2, 2, task)
	}
}
