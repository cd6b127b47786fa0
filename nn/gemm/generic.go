package gemm

import "unsafe"

// genericMR and genericNR are the register tile of the portable kernel: two
// rows of four columns keep the eight accumulators, the four B values and
// the A value in the sixteen float registers of amd64 (no spills).
const (
	genericMR = 2
	genericNR = 4
)

// genericKernel is the portable Go kernel set: packed panels only, a 2×4
// tile of scalar accumulators.
func genericKernel() *kernel {
	micro := make([]microFn, genericMR+1)
	for r := 1; r <= genericMR; r++ {
		rows := r
		micro[r] = func(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int) {
			genericTile(rows, k, a, b, c, ldc, alpha, beta, cols)
		}
	}
	return &kernel{
		name:      "generic",
		tile:      family{mr: genericMR, nr: genericNR, micro: micro},
		transpose: transposeGo,
		copyRows:  copyRowsGo,
		mc:        64, kc: 256, nc: 1024,
	}
}

// genericTile computes a rows×cols tile of C from a packed A panel (2 rows
// per k step, zero padded) and a packed B panel (4 columns per k step).
func genericTile(rows, k int, a, b, c *float32, ldc int, alpha, beta float32, cols int) {
	as := unsafe.Slice(a, 2*k)
	bs := unsafe.Slice(b, 4*k)
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	for p := 0; p < k; p++ {
		bv := bs[4*p : 4*p+4 : 4*p+4]
		av := as[2*p : 2*p+2 : 2*p+2]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		a0, a1 := av[0], av[1]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	t := [2][4]float32{
		{c00, c01, c02, c03},
		{c10, c11, c12, c13},
	}
	cs := unsafe.Slice(c, (rows-1)*ldc+cols)
	for i := 0; i < rows; i++ {
		row := cs[i*ldc : i*ldc+cols]
		if beta == 0 {
			for j := range row {
				row[j] = alpha * t[i][j]
			}
		} else {
			for j := range row {
				row[j] = alpha*t[i][j] + beta*row[j]
			}
		}
	}
}
