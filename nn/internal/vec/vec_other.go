//go:build !amd64

package vec

const useAVX2 = false

func addAVX2(dst, x *float32, n int)                        { panic("unreachable") }
func biasReLUAVX2(y, b *float32, n int)                     { panic("unreachable") }
func reluAVX2(y *float32, n int)                            { panic("unreachable") }
func reluMaskAVX2(d, y *float32, n int)                     { panic("unreachable") }
func adamAVX2(w, grad, m, v *float32, n int, p *AdamParams) { panic("unreachable") }

func setAVX2(on bool) bool { return false }

func expAVX2(x *float32, n int)              { panic("unreachable") }
func geluAVX2(x *float32, n int)             { panic("unreachable") }
func geluGradAVX2(dz, dy, x *float32, n int) { panic("unreachable") }

func affineRowsAVX2(y, x, s, b, res *float32, cols, rows int, relu bool)  { panic("unreachable") }
func shiftedSumsAVX2(s1, s2, x, k *float32, cols, rows int)               { panic("unreachable") }
func gradSumsAVX2(sd, sdx, d, x, mean *float32, cols, rows int)           { panic("unreachable") }
func linearGradAVX2(dx, d, x, p, q, c *float32, cols, rows int, add bool) { panic("unreachable") }
func windows3AVX2(dst, row *float32, w, c int)                            { panic("unreachable") }
func sumSquaresAVX2(x *float32, n int) float64                            { panic("unreachable") }
func scaleAVX2(x *float32, n int, f float32)                              { panic("unreachable") }
