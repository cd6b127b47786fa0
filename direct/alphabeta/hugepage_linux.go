package alphabeta

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks Linux to back the table with transparent huge pages,
// which removes most TLB misses of the random table accesses. It is only
// advice: failure is harmless and ignored.
func adviseHuge(e []uint64) {
	if len(e) == 0 {
		return
	}
	const huge = 2 << 20
	b := unsafe.Slice((*byte)(unsafe.Pointer(&e[0])), len(e)*8)
	start := int((huge - uintptr(unsafe.Pointer(&b[0]))%huge) % huge)
	end := start + (len(b)-start)/huge*huge
	if end <= start {
		return
	}
	_ = syscall.Madvise(b[start:end], 14) // MADV_HUGEPAGE
}
