//go:build unix

package alphabeta

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time used by the process (user and system), which
// unlike wall time does not grow when other processes share the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
