//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"errors"
	"os"
)

// fileLock is a held lock: the existence of a database's lock file,
// removed on unlock.
type fileLock struct {
	f    *os.File
	path string
}

// lockFile takes the exclusive lock of a database where flock(2) is not
// available: it creates path exclusively, and unlock removes it. A process
// that crashed leaves the file behind; the error then says to delete it.
func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		holder := ""
		if g, err := os.Open(path); err == nil {
			holder = readHolder(g)
			g.Close()
		}
		return nil, &lockedError{holder: holder, stale: "if that process is gone, delete " + path}
	}
	if err != nil {
		return nil, err
	}
	if err := writeHolder(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &fileLock{f: f, path: path}, nil
}

// unlock releases the lock.
func (l *fileLock) unlock() error {
	err := l.f.Close()
	if rerr := os.Remove(l.path); err == nil {
		err = rerr
	}
	return err
}
