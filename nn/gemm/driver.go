package gemm

import "unsafe"

// Thresholds between the paths of serial. Variables so tests can force paths.
var (
	// directMaxM is the largest m for which an untransposed B is read in place
	// instead of packed.
	directMaxM = 32
	// dotMaxM is the largest m for which a transposed B (with untransposed A)
	// is consumed as dot products instead of packed.
	dotMaxM = 8
)

// buffers are one goroutine's packing buffers, 64-byte aligned.
type buffers struct {
	a, b       []float32
	araw, braw []float32
}

// alignedFloats returns a slice of n float32s whose first element is 64-byte
// aligned, and the allocation that backs it.
func alignedFloats(n int) (raw, s []float32) {
	raw = make([]float32, n+16)
	off := int((64 - uintptr(unsafe.Pointer(&raw[0]))&63) & 63 / 4)
	return raw, raw[off : off+n : off+n]
}

func (w *buffers) bufA(n int) []float32 {
	if len(w.a) < n {
		w.araw, w.a = alignedFloats(n)
	}
	return w.a[:n]
}

func (w *buffers) bufB(n int) []float32 {
	if len(w.b) < n {
		w.braw, w.b = alignedFloats(n)
	}
	return w.b[:n]
}

// path is one of the loop nests of serial.
type path uint8

const (
	pathPacked path = iota // pack A and B panels (GotoBLAS/BLIS)
	pathDirect             // read A and an untransposed B in place
	pathDot                // dot products of rows of op(A) and of a transposed B
)

// choosePath picks the loop nest for a product. It depends only on the shape
// of the whole product, so a product split over threads computes every
// element exactly as the serial product does.
func choosePath(kr *kernel, tB bool, m int) path {
	if kr.direct {
		if !tB && m <= directMaxM {
			return pathDirect
		}
		if tB && kr.dot != nil && m <= dotMaxM {
			return pathDot
		}
	}
	return pathPacked
}

// serial computes the product on the calling goroutine along path p.
func serial(kr *kernel, w *buffers, p path, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	switch p {
	case pathDirect:
		direct(kr, w, tA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	case pathDot:
		dots(kr, w, tA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		packed(kr, w, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// direct multiplies with op(B) = B read in place (no packing), column strip
// by strip, A read in place too. Only the last partial strip of B is packed
// (zero padded) so the kernels never read past the matrix.
func direct(kr *kernel, w *buffers, tA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	rs, ks := lda, 1
	if tA {
		rs, ks = 1, lda
	}
	var fams [3]*family
	nf := 0
	if m == 1 && kr.gemv != nil {
		fams[nf] = kr.gemv
		nf++
	}
	fams[nf] = &kr.tile
	nf++
	if kr.narrow != nil {
		fams[nf] = kr.narrow
		nf++
	}
	j := 0
	for _, f := range fams[:nf] {
		for ; j+f.nr <= n; j += f.nr {
			directStrip(f, m, k, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, f.nr)
		}
	}
	if j < n {
		f := fams[nf-1]
		cols := n - j
		e := w.bufB(k * f.nr)
		for p := 0; p < k; p++ {
			d := e[p*f.nr : p*f.nr+f.nr]
			copy(d, b[p*ldb+j:p*ldb+n])
			clear(d[cols:])
		}
		directStrip(f, m, k, alpha, a, rs, ks, &e[0], f.nr, beta, c[j:], ldc, cols)
	}
}

// directStrip runs family f down the m rows of one column strip, splitting
// the rows into balanced panels of at most f.mr.
func directStrip(f *family, m, k int, alpha float32, a []float32, rs, ks int, b *float32, ldb int, beta float32, c []float32, ldc, cols int) {
	np := (m + f.mr - 1) / f.mr
	i := 0
	for q := 0; q < np; q++ {
		rows := (m - i) / (np - q)
		f.micro[rows](k, &a[i*rs], rs, ks, b, ldb, &c[i*ldc], ldc, alpha, beta, cols)
		i += rows
	}
}

// dots multiplies with a transposed B as dot products of rows of op(A) with
// rows of B (both contiguous along k). A transposed A is first copied to
// rows.
func dots(kr *kernel, w *buffers, tA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if tA {
		t := w.bufA(m * k)
		for p := 0; p < k; p++ {
			for i, v := range a[p*lda : p*lda+m] {
				t[i*k+p] = v
			}
		}
		a, lda = t, k
	}
	d := kr.dot
	i := 0
	if m >= 2 {
		for j := 0; j < n; j += 4 {
			s := min(4, n-j)
			for i = 0; i+2 <= m; i += 2 {
				d[2][s](k, &a[i*lda], lda, &b[j*ldb], ldb, &c[i*ldc+j], ldc, alpha, beta)
			}
		}
	}
	if i < m {
		for j := 0; j < n; j += 8 {
			s := min(8, n-j)
			d[1][s](k, &a[i*lda], lda, &b[j*ldb], ldb, &c[i*ldc+j], ldc, alpha, beta)
		}
	}
}

// packed is the GotoBLAS/BLIS loop nest: for each kc×nc block of op(B)
// (packed into nr-wide panels), for each mc×kc block of op(A) (packed into
// mr-high panels), run the micro-kernel over the tiles of C.
func packed(kr *kernel, w *buffers, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	f := &kr.tile
	if kr.narrow != nil && n <= kr.narrow.nr {
		f = kr.narrow
	}
	mr, nr := f.mr, f.nr
	kc := kr.kc
	mc := max(mr, kr.mc/mr*mr)
	nc := max(nr, kr.nc/nr*nr)
	// Balance the k blocks so the last is not a sliver.
	if nk := (k + kc - 1) / kc; nk > 1 {
		kc = (k + nk - 1) / nk
	}
	kcMax := min(kc, k)
	ncMax := min(nc, (n+nr-1)/nr*nr)
	mcMax := min(mc, (m+mr-1)/mr*mr)
	bp := w.bufB(kcMax * ncMax)
	ap := w.bufA(kcMax * mcMax)
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(tB, b, ldb, pc, jc, kb, nb, nr, bp)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(tA, a, lda, ic, pc, mb, kb, mr, ap)
				for jr := 0; jr < nb; jr += nr {
					cols := min(nr, nb-jr)
					bpan := &bp[jr*kb]
					for ir := 0; ir < mb; ir += mr {
						rows := min(mr, mb-ir)
						f.micro[rows](kb, &ap[ir*kb], 1, mr, bpan, nr, &c[(ic+ir)*ldc+jc+jr], ldc, alpha, bet, cols)
					}
				}
			}
		}
	}
}

// packA copies op(A)[i0:i0+mb, p0:p0+kb] into dst as panels of mr rows: the
// panel starting at row ir holds element (i, p) at dst[ir*kb + p*mr + i], with
// rows past mb zero.
func packA(tA bool, a []float32, lda, i0, p0, mb, kb, mr int, dst []float32) {
	for ir := 0; ir < mb; ir += mr {
		rows := min(mr, mb-ir)
		d := dst[ir*kb : ir*kb+kb*mr]
		if tA {
			for p := 0; p < kb; p++ {
				o := (p0+p)*lda + i0 + ir
				copy(d[p*mr:p*mr+rows], a[o:o+rows])
			}
		} else if rows == mr && mr%4 == 0 {
			for i := 0; i < mr; i += 4 {
				o := (i0+ir+i)*lda + p0
				r0 := a[o : o+kb]
				r1 := a[o+lda : o+lda+kb]
				r2 := a[o+2*lda : o+2*lda+kb]
				r3 := a[o+3*lda : o+3*lda+kb]
				for p := range r0 {
					q := d[p*mr+i : p*mr+i+4 : p*mr+i+4]
					q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
				}
			}
		} else if rows == mr && mr%2 == 0 {
			for i := 0; i < mr; i += 2 {
				o := (i0+ir+i)*lda + p0
				r0 := a[o : o+kb]
				r1 := a[o+lda : o+lda+kb]
				for p := range r0 {
					q := d[p*mr+i : p*mr+i+2 : p*mr+i+2]
					q[0], q[1] = r0[p], r1[p]
				}
			}
		} else {
			for i := 0; i < rows; i++ {
				o := (i0+ir+i)*lda + p0
				for p, v := range a[o : o+kb] {
					d[p*mr+i] = v
				}
			}
		}
		if rows < mr {
			for p := 0; p < kb; p++ {
				clear(d[p*mr+rows : p*mr+mr])
			}
		}
	}
}

// packB copies op(B)[p0:p0+kb, j0:j0+nb] into dst as panels of nr columns:
// the panel starting at column jr holds element (p, j) at
// dst[jr*kb + p*nr + j], with columns past nb zero.
func packB(tB bool, b []float32, ldb, p0, j0, kb, nb, nr int, dst []float32) {
	for jr := 0; jr < nb; jr += nr {
		cols := min(nr, nb-jr)
		d := dst[jr*kb : jr*kb+kb*nr]
		if !tB {
			for p := 0; p < kb; p++ {
				o := (p0+p)*ldb + j0 + jr
				q := d[p*nr : p*nr+nr]
				copy(q, b[o:o+cols])
				if cols < nr {
					clear(q[cols:])
				}
			}
			continue
		}
		j := 0
		for ; j+4 <= cols; j += 4 {
			o := (j0+jr+j)*ldb + p0
			r0 := b[o : o+kb]
			r1 := b[o+ldb : o+ldb+kb]
			r2 := b[o+2*ldb : o+2*ldb+kb]
			r3 := b[o+3*ldb : o+3*ldb+kb]
			for p := range r0 {
				q := d[p*nr+j : p*nr+j+4 : p*nr+j+4]
				q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
			}
		}
		for ; j < cols; j++ {
			o := (j0+jr+j)*ldb + p0
			for p, v := range b[o : o+kb] {
				d[p*nr+j] = v
			}
		}
		if cols < nr {
			for p := 0; p < kb; p++ {
				clear(d[p*nr+cols : p*nr+nr])
			}
		}
	}
}
