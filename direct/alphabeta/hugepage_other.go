//go:build !linux

package alphabeta

func adviseHuge([]uint64) {}
