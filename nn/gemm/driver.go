package gemm

import "unsafe"

// Thresholds between the paths of serial. Variables so tests can force paths.
var (
	// directMaxM is the largest m for which an untransposed B is read in place
	// instead of packed.
	directMaxM = 32
	// directMaxN is the largest n for which A is read in place (each element
	// of A is then used by at most a couple of column strips, so packing it
	// does not pay).
	directMaxN = 32
	// directMaxAK is the largest m·k for which A is read in place: while A
	// fits in L2 the micro-kernels stream it from there as fast as from a
	// packed copy.
	directMaxAK = 256 * 256
	// dotMaxM is the largest m for which a transposed B is consumed as dot
	// products instead of packed.
	dotMaxM = 16
)

// buffers are one goroutine's packing buffers, 64-byte aligned.
type buffers struct {
	a, b []float32
}

// alignedFloats returns a slice of n float32s whose first element is 64-byte
// aligned.
func alignedFloats(n int) []float32 {
	raw := make([]float32, n+16)
	off := int((64 - uintptr(unsafe.Pointer(&raw[0]))&63) & 63 / 4)
	return raw[off : off+n : off+n]
}

func (w *buffers) bufA(n int) []float32 {
	if len(w.a) < n {
		w.a = alignedFloats(n)
	}
	return w.a[:n]
}

func (w *buffers) bufB(n int) []float32 {
	if len(w.b) < n {
		w.b = alignedFloats(n)
	}
	return w.b[:n]
}

// path is one of the loop nests of serial.
type path uint8

const (
	pathPacked path = iota // pack A and B panels (GotoBLAS/BLIS)
	pathDirect             // read A in place, B in place or one strip at a time
	pathDot                // dot products of rows of op(A) and of a transposed B
)

// choosePath picks the loop nest for a product. It depends only on the shape
// of the whole product, so a product split over threads computes every
// element exactly as the serial product does.
func choosePath(kr *kernel, tB bool, m, n, k int) path {
	if !kr.direct {
		return pathPacked
	}
	switch {
	case tB && kr.dot != nil && m <= dotMaxM:
		return pathDot
	case !tB && m <= directMaxM, n <= directMaxN, m*k <= directMaxAK:
		return pathDirect
	}
	return pathPacked
}

// serial computes the product on the calling goroutine along path p.
func serial(kr *kernel, w *buffers, p path, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	switch p {
	case pathDirect:
		direct(kr, w, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	case pathDot:
		dots(kr, w, tA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	default:
		packed(kr, w, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

// direct multiplies without packing A: column strip by column strip, the
// micro-kernels read A in place and run down all m rows. An untransposed B
// is read in place too (its last partial strip with masked loads); a
// transposed B is transposed one strip at a time into a small buffer.
func direct(kr *kernel, w *buffers, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	rs, ks := lda, 1
	if tA {
		rs, ks = 1, lda
	}
	var fams [3]*family
	nf := 0
	if m == 1 && !tB && kr.gemv != nil {
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
			if tB {
				s := w.bufB(k * f.nr)
				kr.transpose(s, f.nr, b[j*ldb:], ldb, f.nr, k)
				directStrip(f, m, k, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, f.nr)
			} else {
				directStrip(f, m, k, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, f.nr)
			}
		}
	}
	if j < n {
		f := kr.edge // masked B loads: reads only the cols columns
		cols := n - j
		if tB {
			s := w.bufB(k * f.nr)
			kr.transpose(s, f.nr, b[j*ldb:], ldb, cols, k)
			directStrip(f, m, k, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, cols)
		} else {
			directStrip(f, m, k, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, cols)
		}
	}
}

// panelRows returns how many rows the q-th of np panels gets when the rows
// left are spread evenly over the panels left (so no panel is a sliver).
func panelRows(left, np, q int) int { return left / (np - q) }

// directStrip runs family f down the m rows of one column strip, splitting
// the rows into balanced panels of at most f.mr.
func directStrip(f *family, m, k int, alpha float32, a []float32, rs, ks int, b *float32, ldb int, beta float32, c []float32, ldc, cols int) {
	if m == 1 && f.single != nil {
		f.single(k, &a[0], rs, ks, b, ldb, &c[0], ldc, alpha, beta, cols)
		return
	}
	np := (m + f.mr - 1) / f.mr
	i := 0
	for q := 0; q < np; q++ {
		rows := panelRows(m-i, np, q)
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
		kr.transpose(t, k, a, lda, k, m)
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
// panels of at most mr rows), run the micro-kernel over the tiles of C.
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
			packB(kr, tB, b, ldb, pc, jc, kb, nb, nr, bp)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				np := (mb + mr - 1) / mr
				packA(kr, tA, a, lda, ic, pc, mb, kb, mr, ap)
				for jr := 0; jr < nb; jr += nr {
					cols := min(nr, nb-jr)
					bpan := &bp[jr*kb]
					i := 0
					for q := 0; q < np; q++ {
						rows := panelRows(mb-i, np, q)
						f.micro[rows](kb, &ap[q*mr*kb], 1, mr, bpan, nr, &c[(ic+i)*ldc+jc+jr], ldc, alpha, bet, cols)
						i += rows
					}
				}
			}
		}
	}
}

// packA copies op(A)[i0:i0+mb, p0:p0+kb] into dst as balanced panels of at
// most mr rows (see panelRows): panel q holds its row i, column p at
// dst[q*mr*kb + p*mr + i], with the rows past its height zero.
func packA(kr *kernel, tA bool, a []float32, lda, i0, p0, mb, kb, mr int, dst []float32) {
	np := (mb + mr - 1) / mr
	ir := 0
	for q := 0; q < np; q++ {
		rows := panelRows(mb-ir, np, q)
		d := dst[q*mr*kb : (q+1)*mr*kb]
		if tA {
			kr.copyRows(d, mr, a[p0*lda+i0+ir:], lda, kb, rows)
		} else {
			kr.transpose(d, mr, a[(i0+ir)*lda+p0:], lda, rows, kb)
		}
		if rows < mr {
			for p := 0; p < kb; p++ {
				clear(d[p*mr+rows : p*mr+mr])
			}
		}
		ir += rows
	}
}

// packB copies op(B)[p0:p0+kb, j0:j0+nb] into dst as panels of nr columns:
// the panel starting at column jr holds element (p, j) at
// dst[jr*kb + p*nr + j], with columns past nb zero.
func packB(kr *kernel, tB bool, b []float32, ldb, p0, j0, kb, nb, nr int, dst []float32) {
	for jr := 0; jr < nb; jr += nr {
		cols := min(nr, nb-jr)
		d := dst[jr*kb : jr*kb+kb*nr]
		if tB {
			kr.transpose(d, nr, b[(j0+jr)*ldb+p0:], ldb, cols, kb)
		} else {
			kr.copyRows(d, nr, b[p0*ldb+j0+jr:], ldb, kb, cols)
		}
		if cols < nr {
			for p := 0; p < kb; p++ {
				clear(d[p*nr+cols : p*nr+nr])
			}
		}
	}
}
