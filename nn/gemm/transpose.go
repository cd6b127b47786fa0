package gemm

// transposeFn writes dst[p*ds+i] = src[i*lda+p] for i < rows, p < cols.
type transposeFn func(dst []float32, ds int, src []float32, lda, rows, cols int)

// transposeGo is the portable transposeFn, four rows at a time.
func transposeGo(dst []float32, ds int, src []float32, lda, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	_ = dst[(cols-1)*ds+rows-1]
	i := 0
	for ; i+4 <= rows; i += 4 {
		r0 := src[i*lda : i*lda+cols]
		r1 := src[(i+1)*lda : (i+1)*lda+cols]
		r2 := src[(i+2)*lda : (i+2)*lda+cols]
		r3 := src[(i+3)*lda : (i+3)*lda+cols]
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		o := i
		for p, v := range r0 {
			q := dst[o : o+4 : o+4]
			q[0], q[1], q[2], q[3] = v, r1[p], r2[p], r3[p]
			o += ds
		}
	}
	for ; i < rows; i++ {
		o := i
		for _, v := range src[i*lda : i*lda+cols] {
			dst[o] = v
			o += ds
		}
	}
}

// copyRowsFn writes dst[p*ds+j] = src[p*lds+j] for p < rows, j < cols.
type copyRowsFn func(dst []float32, ds int, src []float32, lds, rows, cols int)

// copyRowsGo is the portable copyRowsFn.
func copyRowsGo(dst []float32, ds int, src []float32, lds, rows, cols int) {
	if cols >= 16 {
		for p := 0; p < rows; p++ {
			copy(dst[p*ds:p*ds+cols], src[p*lds:p*lds+cols])
		}
		return
	}
	// Short rows: a loop beats a memmove call per row.
	for p := 0; p < rows; p++ {
		d := dst[p*ds : p*ds+cols]
		s := src[p*lds : p*lds+cols]
		for j := range d {
			d[j] = s[j]
		}
	}
}
