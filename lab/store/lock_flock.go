//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"os"
	"syscall"
)

// fileLock is a held flock(2) lock on a database's lock file.
type fileLock struct{ f *os.File }

// lockFile takes the exclusive lock of a database: flock(2) on path, a
// file beside the database. The kernel drops the lock when the process
// ends, however it ends, so a crashed run never leaves the database locked;
// the file itself stays, holding the last holder's description.
func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &lockedError{holder: holder}
		}
		return nil, err
	}
	if err := writeHolder(f); err != nil {
		f.Close()
		return nil, err
	}
	return &fileLock{f: f}, nil
}

// unlock releases the lock.
func (l *fileLock) unlock() error { return l.f.Close() }
