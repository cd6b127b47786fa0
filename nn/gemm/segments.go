package gemm

import "fmt"

// SgemmSegments computes, on the calling goroutine,
//
//	C = alpha·Σ_{s<segs} op(A_s)·B_s + beta·C,
//
// where A_s is the matrix stored at a[s·segA:] (op(A_s) is m×k, stored as A
// is in Sgemm, with row stride lda) and B_s is rows s·k to (s+1)·k of the
// untransposed (segs·k)×n matrix B (row stride ldb). The segments of A may
// overlap: they are windows into one buffer, as in a convolution, whose
// kernel taps are the segments (A_s the input window of tap s, B_s its
// weights), or in the weight gradient of a convolution, where the segments
// are images. The micro-kernels sum all segments in registers, so every
// element of C is one chain of fused multiply-adds over s and then k, and
// the result of a row does not depend on m or on how the rows of a larger
// product are cut into calls. segA must be at least 0 and segs at least 1.
// When beta is 0, C is not read.
func SgemmSegments(transA bool, m, n, k, segs, segA int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if segs < 1 || segA < 0 {
		panic(fmt.Sprintf("gemm: SgemmSegments with %d segments %d apart", segs, segA))
	}
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	checkMatrix("a", ar, ac, a, lda)
	if last := (segs - 1) * segA; ar > 0 && ac > 0 && last > 0 {
		if len(a) < last {
			panic(fmt.Sprintf("gemm: len(a) = %d, but segment %d starts at %d", len(a), segs-1, last))
		}
		checkMatrix("a", ar, ac, a[last:], lda)
	}
	checkMatrix("b", segs*k, n, b, ldb)
	checkMatrix("c", m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	kr := current.Load()
	sk := kr.seg
	// Buffers are needed only for C tiles near the end of a page and for a
	// copied edge strip: taken on first use.
	var w *buffers
	defer func() {
		if w != nil {
			putBuffers(w)
		}
	}()
	if sk == nil || !kr.direct {
		w = getBuffers()
		for s := 0; s < segs; s++ {
			bet := beta
			if s > 0 {
				bet = 1
			}
			serial(kr, w, choosePath(kr, false, m, n, k), transA, false, m, n, k, alpha, a[s*segA:], lda, b[s*k*ldb:], ldb, bet, c, ldc)
		}
		return
	}
	rs, ks := lda, 1
	if transA {
		rs, ks = 1, lda
	}
	jump := segA - k*ks
	j := 0
	for _, f := range [...]*segFamily{sk.wide, &sk.tile, sk.narrow} {
		if f == nil {
			continue
		}
		for ; j+f.nr <= n; j += f.nr {
			segStrip(&w, f, m, k, segs, jump, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, f.nr)
		}
	}
	if j < n {
		f := &sk.edge // masked B loads: reads only the cols columns
		cols, kt := n-j, segs*k
		if maskSafe(b, (kt-1)*ldb+j, f.nr) {
			segStrip(&w, f, m, k, segs, jump, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, cols)
			return
		}
		// Copy the strip (see copyStrip).
		if w == nil {
			w = getBuffers()
		}
		s := w.bufB(kt * f.nr)
		kr.copyStrip(s, f.nr, b[j:], ldb, kt, cols)
		segStrip(&w, f, m, k, segs, jump, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, cols)
	}
}

// segStrip runs segmented family f down the m rows of one column strip,
// in balanced panels of at most f.mr rows; *w holds buffers, taken when a
// tile must go through the scratch tile.
func segStrip(w **buffers, f *segFamily, m, k, segs, jump int, alpha float32, a []float32, rs, ks int, b *float32, ldb int, beta float32, c []float32, ldc, cols int) {
	np := (m + f.mr - 1) / f.mr
	i := 0
	for q := 0; q < np; q++ {
		rows := panelRows(m-i, np, q)
		ci := c[i*ldc:]
		if cols == f.nr || maskSafe(ci, (rows-1)*ldc, f.nr) {
			f.micro[rows](k, &a[i*rs], rs, ks, b, ldb, &ci[0], ldc, alpha, beta, cols, segs, jump)
		} else {
			if *w == nil {
				*w = getBuffers()
			}
			ct, ldct, _ := (*w).tileC(ci, ldc, rows, cols, f.nr, beta)
			f.micro[rows](k, &a[i*rs], rs, ks, b, ldb, ct, ldct, alpha, beta, cols, segs, jump)
			(*w).flushTile(ci, ldc, rows, cols, f.nr)
		}
		i += rows
	}
}
