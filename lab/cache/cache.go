// Package cache keeps artefacts that are expensive to make and a
// deterministic function of their description — a trained net, a labelled
// data set — so that every trial and every run that needs the same one
// shares it instead of making it again.
//
// An artefact is named by a key: the hash of a canonical description of
// everything that determines it (the kind, its configuration, its data,
// its seed, the version of the code that makes it). Get returns the path of
// the artefact, making it first if it is not there: concurrent calls for
// one key in a process wait for a single maker, and the file appears only
// once complete (written under a temporary name and renamed), so an
// interrupted maker leaves nothing half-written behind.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Cache is a folder of artefacts. The zero value is not usable; make one
// with New. It is safe for concurrent use.
type Cache struct {
	dir string

	mu       sync.Mutex
	inflight map[string]*call
}

type call struct {
	done chan struct{}
	path string
	err  error
}

// New returns a cache in dir, creating the folder if needed.
func New(dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("cache: no folder given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache %s: %w", dir, err)
	}
	return &Cache{dir: dir, inflight: map[string]*call{}}, nil
}

// Dir returns the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// Key returns the key of an artefact described by parts: a hex SHA-256 of
// the parts, each length-prefixed so that no two lists of parts collide.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// Get returns the path of the artefact kind/key+ext (kind names a
// subfolder, e.g. "nets"; ext is the file extension, e.g. ".safetensors"),
// making it with create if it does not exist yet. create writes the artefact
// to the path it is given (a temporary name in the same folder); Get
// renames it into place when create returns nil and removes it otherwise.
// While one call makes an artefact, other calls for it wait, and get its
// path or its error; a cancelled ctx stops the wait.
func (c *Cache) Get(ctx context.Context, kind, key, ext string, create func(ctx context.Context, tmp string) error) (string, error) {
	if !nameRE.MatchString(kind) || !nameRE.MatchString(key) || strings.ContainsAny(ext, `/\`) {
		return "", fmt.Errorf("cache: bad artefact name %q/%q%q", kind, key, ext)
	}
	final := filepath.Join(c.dir, kind, key+ext)
	c.mu.Lock()
	if cl, ok := c.inflight[final]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.path, cl.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	if _, err := os.Stat(final); err == nil {
		c.mu.Unlock()
		return final, nil
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[final] = cl
	c.mu.Unlock()

	cl.path, cl.err = c.build(ctx, final, create)
	c.mu.Lock()
	delete(c.inflight, final)
	c.mu.Unlock()
	close(cl.done)
	return cl.path, cl.err
}

// build runs create on a temporary file beside final and renames it.
func (c *Cache) build(ctx context.Context, final string, create func(context.Context, string) error) (string, error) {
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(final), ".tmp-"+filepath.Base(final)+"-*")
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp) // a no-op after the rename
	if err := create(ctx, tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return final, nil
}
