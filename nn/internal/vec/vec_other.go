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
