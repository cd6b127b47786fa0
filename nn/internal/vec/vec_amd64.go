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

// The row kernels take cols a positive multiple of 8 and rows ≥ 1.

//go:noescape
func affineRowsAVX2(y, x, s, b, res *float32, cols, rows int, relu bool)

//go:noescape
func shiftedSumsAVX2(s1, s2, x, k *float32, cols, rows int)

//go:noescape
func gradSumsAVX2(sd, sdx, d, x, mean *float32, cols, rows int)

//go:noescape
func linearGradAVX2(dx, d, x, p, q, c *float32, cols, rows int, add bool)

//go:noescape
func windows3AVX2(dst, row *float32, w, c int)

//go:noescape
func sumSquaresAVX2(x *float32, n int) float64

//go:noescape
func scaleAVX2(x *float32, n int, f float32)
