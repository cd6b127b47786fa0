package vec

import "golang.org/x/sys/cpu"

var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The assembly kernels process n elements, n a positive multiple of 8.

//go:noescape
func addAVX2(dst, x *float32, n int)

//go:noescape
func biasReLUAVX2(y, b *float32, n int)

//go:noescape
func reluAVX2(y *float32, n int)

//go:noescape
func reluMaskAVX2(d, y *float32, n int)

//go:noescape
func adamAVX2(w, grad, m, v *float32, n int, p *AdamParams)

// setAVX2 switches the assembly kernels on or off (for tests) and returns
// the previous setting.
func setAVX2(on bool) bool {
	old := useAVX2
	useAVX2 = on && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	return old
}

//go:noescape
func expAVX2(x *float32, n int)

//go:noescape
func geluAVX2(x *float32, n int)

//go:noescape
func geluGradAVX2(dz, dy, x *float32, n int)
