package cli

import "argmax/lab/store"

// cpuModel returns the CPU model name from /proc/cpuinfo, or "unknown".
func cpuModel() string { return store.CPUModel() }
