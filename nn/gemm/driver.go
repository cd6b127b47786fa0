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
	// dotMaxM is the largest m for which a transposed B may be consumed as
	// dot products instead of transposed (when k ≥ 32·m, or m ≤ 2).
	dotMaxM = 16
)

// buffers are one goroutine's packing buffers, 64-byte aligned, and a
// scratch tile of C.
type buffers struct {
	a, b []float32
	tile [maxTile]float32
	call call // the caller's side of a parallel product
}

// maxTile bounds rows×width of every register tile (including dot tiles).
const maxTile = 512

// maskSafe reports whether a masked vector access of width floats at x[off]
// stays on memory pages that hold elements of x. The kernels load and store
// partial vectors with lane masks; masked-off lanes never fault, but when
// they fall on a page that is not mapped in (memory past the end of a
// slice), the CPU handles every such access with a slow microcode assist
// (thousands of cycles). Accesses that end on the page of the last element
// are fast.
func maskSafe(x []float32, off, width int) bool {
	if off+width <= len(x) {
		return true
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	last := base + uintptr(len(x)-1)*4
	end := base + uintptr(off+width)*4 - 1
	return end>>12 == last>>12
}

// tileC returns where a kernel should write the rows×cols tile of C that
// starts at c[0] (row stride ldc) when the kernel touches width floats per
// row: C itself, or, when a masked access past the last row could reach an
// absent page, the scratch tile (primed with C when beta != 0; the caller
// then copies it back with flushTile).
func (w *buffers) tileC(c []float32, ldc, rows, cols, width int, beta float32) (ct *float32, ldct int, scratch bool) {
	if cols == width || maskSafe(c, (rows-1)*ldc, width) {
		return &c[0], ldc, false
	}
	t := w.tile[:rows*width]
	if beta != 0 {
		for i := 0; i < rows; i++ {
			copy(t[i*width:i*width+cols], c[i*ldc:i*ldc+cols])
		}
	}
	return &t[0], width, true
}

// flushTile copies the scratch tile back into C.
func (w *buffers) flushTile(c []float32, ldc, rows, cols, width int) {
	for i := 0; i < rows; i++ {
		copy(c[i*ldc:i*ldc+cols], w.tile[i*width:i*width+cols])
	}
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
	case tB && kr.dot != nil && m <= dotMaxM && (m <= 2 || k >= 32*m):
		// Dot products pay for few rows and long rows: they need no
		// transposed copy of B, but each tile ends in a horizontal sum.
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
				directStrip(w, f, m, k, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, f.nr)
			} else {
				directStrip(w, f, m, k, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, f.nr)
			}
		}
	}
	if j < n {
		f := kr.edge // masked B loads: reads only the cols columns
		cols := n - j
		switch {
		case tB:
			s := w.bufB(k * f.nr)
			kr.transpose(s, f.nr, b[j*ldb:], ldb, cols, k)
			directStrip(w, f, m, k, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, cols)
		case !maskSafe(b, (k-1)*ldb+j, f.nr):
			// Copy the strip (see copyStrip).
			s := w.bufB(k * f.nr)
			kr.copyStrip(s, f.nr, b[j:], ldb, k, cols)
			directStrip(w, f, m, k, alpha, a, rs, ks, &s[0], f.nr, beta, c[j:], ldc, cols)
		default:
			directStrip(w, f, m, k, alpha, a, rs, ks, &b[j], ldb, beta, c[j:], ldc, cols)
		}
	}
}

// panelRows returns how many rows the q-th of np panels gets when the rows
// left are spread evenly over the panels left (so no panel is a sliver).
func panelRows(left, np, q int) int { return left / (np - q) }

// directStrip runs family f down the m rows of one column strip, splitting
// the rows into balanced panels of at most f.mr.
func directStrip(w *buffers, f *family, m, k int, alpha float32, a []float32, rs, ks int, b *float32, ldb int, beta float32, c []float32, ldc, cols int) {
	if m == 1 && f.single != nil {
		ct, ldct, scratch := w.tileC(c, ldc, 1, cols, f.nr, beta)
		f.single(k, &a[0], rs, ks, b, ldb, ct, ldct, alpha, beta, cols)
		if scratch {
			w.flushTile(c, ldc, 1, cols, f.nr)
		}
		return
	}
	np := (m + f.mr - 1) / f.mr
	i := 0
	for q := 0; q < np; q++ {
		rows := panelRows(m-i, np, q)
		ct, ldct, scratch := w.tileC(c[i*ldc:], ldc, rows, cols, f.nr, beta)
		f.micro[rows](k, &a[i*rs], rs, ks, b, ldb, ct, ldct, alpha, beta, cols)
		if scratch {
			w.flushTile(c[i*ldc:], ldc, rows, cols, f.nr)
		}
		i += rows
	}
}

// dots multiplies with a transposed B as dot products of rows of op(A) with
// rows of B (both contiguous along k). A transposed A is first copied to
// rows. The kernels read the last partial 8-float chunk of each row with
// masked loads, so rows whose masked chunk could reach an absent page (see
// maskSafe) are copied into a buffer first.
func dots(kr *kernel, w *buffers, tA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	k8 := k &^ 7
	tail := k != k8
	if tA || tail && !maskSafe(a, (m-1)*lda+k8, 8) {
		t := w.bufA(m*k + 8)
		if tA {
			kr.transpose(t, k, a, lda, k, m)
		} else {
			kr.copyRows(t, k, a, lda, m, k)
		}
		a, lda = t, k
	}
	// lastB is the first column whose tile must read B from a copy.
	lastB := n
	if tail && !maskSafe(b, (n-1)*ldb+k8, 8) {
		lastB = n - 1
	}
	d := kr.dot
	i := 0
	if m >= 2 {
		for j := 0; j < n; j += 4 {
			s := min(4, n-j)
			bj, ldbj := dotB(kr, w, b, ldb, j, s, k, lastB)
			for i = 0; i+2 <= m; i += 2 {
				dotTile(w, d[2][s], 2, s, k, a[i*lda:], lda, bj, ldbj, alpha, beta, c[i*ldc+j:], ldc)
			}
		}
	}
	if i < m {
		for j := 0; j < n; j += 8 {
			s := min(8, n-j)
			bj, ldbj := dotB(kr, w, b, ldb, j, s, k, lastB)
			dotTile(w, d[1][s], 1, s, k, a[i*lda:], lda, bj, ldbj, alpha, beta, c[i*ldc+j:], ldc)
		}
	}
}

// dotB returns the s rows of B from row j for a dot tile: B itself, or a
// padded copy when the tile reaches row lastB.
func dotB(kr *kernel, w *buffers, b []float32, ldb, j, s, k, lastB int) ([]float32, int) {
	if j+s <= lastB {
		return b[j*ldb:], ldb
	}
	t := w.bufB(s*k + 8)
	kr.copyRows(t, k, b[j*ldb:], ldb, s, k)
	return t, k
}

// dotTile runs one dot kernel for a rows×s tile of C, through the scratch
// tile when its masked store could reach an absent page.
func dotTile(w *buffers, f dotFn, rows, s, k int, a []float32, lda int, b []float32, ldb int, alpha, beta float32, c []float32, ldc int) {
	width := (s + 3) &^ 3
	ct, ldct, scratch := w.tileC(c, ldc, rows, s, width, beta)
	f(k, &a[0], lda, &b[0], ldb, ct, ldct, alpha, beta)
	if scratch {
		w.flushTile(c, ldc, rows, s, width)
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
						ci := c[(ic+i)*ldc+jc+jr:]
						ct, ldct, scratch := w.tileC(ci, ldc, rows, cols, nr, bet)
						f.micro[rows](kb, &ap[q*mr*kb], 1, mr, bpan, nr, ct, ldct, alpha, bet, cols)
						if scratch {
							w.flushTile(ci, ldc, rows, cols, nr)
						}
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

// copyStrip copies rows×nr of the strip starting at b (row stride ldb) into
// s (row stride nr): whole vectors while they stay inside b (the lanes past
// cols are ignored), element by element after.
func (kr *kernel) copyStrip(s []float32, nr int, b []float32, ldb, rows, cols int) {
	whole := 0
	if r := len(b) - nr; r >= 0 {
		whole = min(rows, r/ldb+1)
	}
	kr.copyRows(s, nr, b, ldb, whole, nr)
	copyRowsGo(s[whole*nr:], nr, b[whole*ldb:], ldb, rows-whole, cols)
}
