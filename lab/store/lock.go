package store

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// lockedError reports a database locked by another writer.
type lockedError struct {
	holder string // the holder's description from the lock file
	stale  string // advice when a crashed holder can leave the lock behind
}

// Error describes the holder.
func (e *lockedError) Error() string {
	msg := "another process is writing to it"
	if e.holder != "" {
		msg += " (" + e.holder + ")"
	}
	msg += ": two runs cannot share one results database; wait for that one to finish, or give this one another --db"
	if e.stale != "" {
		msg += "; " + e.stale
	}
	return msg
}

// writeHolder writes this process's description into the lock file: its
// pid, when it took the lock and its command line.
func writeHolder(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	cmd := strings.Join(os.Args, " ")
	if len(cmd) > 200 {
		cmd = cmd[:200] + "..."
	}
	_, err := fmt.Fprintf(f, "pid %d since %s: %s\n", os.Getpid(), time.Now().Format(time.DateTime), cmd)
	return err
}

// readHolder returns the description in a lock file.
func readHolder(f *os.File) string {
	b, _ := io.ReadAll(io.LimitReader(f, 512))
	return strings.TrimSpace(string(b))
}
