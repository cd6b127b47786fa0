package cache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetMakesOnceAndShares(t *testing.T) {
	c, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var made atomic.Int32
	mk := func(_ context.Context, tmp string) error {
		made.Add(1)
		return os.WriteFile(tmp, []byte("net"), 0o644)
	}
	key := Key("supervised", "size=small", "seed=1")
	var wg sync.WaitGroup
	paths := make([]string, 8)
	for i := range paths {
		wg.Go(func() {
			p, err := c.Get(context.Background(), "nets", key, ".bin", mk)
			if err != nil {
				t.Error(err)
			}
			paths[i] = p
		})
	}
	wg.Wait()
	if made.Load() != 1 {
		t.Errorf("made %d times, want once", made.Load())
	}
	for _, p := range paths {
		if p != paths[0] {
			t.Fatalf("paths differ: %v", paths)
		}
	}
	if b, err := os.ReadFile(paths[0]); err != nil || string(b) != "net" {
		t.Errorf("artefact %q, %v", b, err)
	}
	// A new cache on the same folder (another run) finds it.
	c2, _ := New(c.Dir())
	if p, err := c2.Get(context.Background(), "nets", key, ".bin", func(context.Context, string) error {
		t.Error("made again")
		return nil
	}); err != nil || p != paths[0] {
		t.Errorf("second run: %q, %v", p, err)
	}
}

func TestFailedMakeLeavesNothing(t *testing.T) {
	c, _ := New(t.TempDir())
	boom := errors.New("boom")
	_, err := c.Get(context.Background(), "nets", Key("x"), ".bin", func(_ context.Context, tmp string) error {
		os.WriteFile(tmp, []byte("half"), 0o644)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(c.Dir(), "nets", "*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	// The next call tries again.
	if _, err := c.Get(context.Background(), "nets", Key("x"), ".bin", func(_ context.Context, tmp string) error {
		return os.WriteFile(tmp, []byte("ok"), 0o644)
	}); err != nil {
		t.Error(err)
	}
}

func TestKeyAndNames(t *testing.T) {
	if Key("ab", "c") == Key("a", "bc") {
		t.Error("length prefix missing: keys collide")
	}
	c, _ := New(t.TempDir())
	for _, bad := range [][2]string{{"../x", "k"}, {"nets", "a/b"}, {"", "k"}} {
		if _, err := c.Get(context.Background(), bad[0], bad[1], ".bin", nil); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := New(""); err == nil {
		t.Error("New(\"\"): no error")
	}
}
