//go:build amd64 && !purego

package gemm

// transposeAVX is the transposeFn of the assembly kernels: 8×8, 4×8 and 2×8
// blocks in YMM registers, Go for the leftover row and columns.
func transposeAVX(dst []float32, ds int, src []float32, lda, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	// The assembly does not bounds-check: check the extremes here.
	_ = dst[(cols-1)*ds+rows-1]
	_ = src[(rows-1)*lda+cols-1]
	nblk := cols / 8
	i := 0
	if nblk > 0 {
		for ; i+8 <= rows; i += 8 {
			transpose8(&dst[i], ds, &src[i*lda], lda, nblk)
		}
		if i+4 <= rows {
			transpose4(&dst[i], ds, &src[i*lda], lda, nblk)
			i += 4
		}
		if i+2 <= rows {
			transpose2(&dst[i], ds, &src[i*lda], lda, nblk)
			i += 2
		}
		if i < rows {
			o := i
			for _, v := range src[i*lda : i*lda+8*nblk] {
				dst[o] = v
				o += ds
			}
		}
	}
	if c0 := 8 * nblk; c0 < cols {
		transposeGo(dst[c0*ds:], ds, src[c0:], lda, rows, cols-c0)
	}
}

// copyRowsAVX is the copyRowsFn of the assembly kernels: whole 16- and
// 32-float rows into a contiguous panel in YMM registers, Go otherwise.
func copyRowsAVX(dst []float32, ds int, src []float32, lds, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	if cols == ds && (cols == 16 || cols == 32) {
		_ = dst[rows*ds-1]
		_ = src[(rows-1)*lds+cols-1]
		if cols == 16 {
			copy16(&dst[0], &src[0], lds, rows)
		} else {
			copy32(&dst[0], &src[0], lds, rows)
		}
		return
	}
	copyRowsGo(dst, ds, src, lds, rows, cols)
}
