//go:build ignore

// gen_asm.go writes the amd64 assembly kernels of package gemm
// (kernels_amd64.s) and their Go declarations and tables (kernels_amd64.go).
// Run `go generate` in nn/gemm (or `go run gen_asm.go`) after editing it.
//
// Micro-kernels, each a family indexed by its number of rows R:
//
//   - avx2Tile: R×16 (R ≤ 6), two YMM accumulators per row of C; per step
//     along k, two B vectors are loaded, each A element is broadcast
//     (VBROADCASTSS) and multiplied in (VFMADD231PS).
//   - avx2Gemv: 1×64, eight YMM accumulators, B as FMA memory operands.
//   - avx2Edge: R×16 (R ≤ 5) loading B with lane masks (VMASKMOVPS), for
//     the last partial strip of an unpacked B.
//   - avx512Tile: R×32 (R ≤ 12), two ZMM accumulators per row.
//   - avx512Narrow: R×16 (R ≤ 14), one ZMM per row, embedded broadcasts.
//   - avx512Gemv: 1×128; avx512Edge: R×16 (R ≤ 14) with K-register masks.
//   - *Split1: one-row variants of the tiles with one or two accumulators
//     that spread k over four accumulator sets (FMA latency).
//   - avx2Seg, avx2SegEdge, avx512SegWide (R×64, R ≤ 6), avx512Seg
//     (R ≤ 14), avx512SegNarrow, avx512SegEdge: segmented variants of the
//     tiles for SgemmSegments (below).
//
// Micro-kernel contract (all strides in elements):
//
//	acc[i][j] = Σ_p A(i,p)·B(p,j)   for i < R, j < NR, p < k
//	A(i,p) = a[i*rs + p*ks]          (packed panels: rs=1, ks=mr; direct: rs=lda, ks=1 or the transpose)
//	B(p,j) = b[p*ldb + j]            (packed panels: ldb=NR; direct: the row stride of B)
//	C(i,j) = alpha·acc + beta·C(i,j) for j < cols (C is not read when beta == 0)
//
// k must be at least 1 and 1 ≤ cols ≤ NR; partial tiles (cols < NR) load and
// store C with lane masks.
//
// Segmented micro-kernels take two more arguments, segs and jump, and run
// segs segments of k steps each into the same accumulators: after each
// segment the A row pointers move on by jump elements (on top of the k·ks
// of the steps), while B runs on row after row. One register tile thus sums
// the shifted-window products of a convolution without storing C between
// them.
//
// Also: dotRxS (R rows of A against S rows of B, both contiguous along k, as
// dot products with a masked tail and a horizontal sum), transpose8/4/2
// (8×8, 4×8, 2×8 YMM transposes for packing), copy16/32 (panel copies) and
// peakFMA256/512 (independent-FMA loops for MeasurePeak).
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
)

const avx512Rows = 12 // rows of the 2-vector AVX-512 tile (≤ 14)
const avx512NarrowRows = 14

// avx512SegRows is the height of the segmented 2-vector AVX-512 tile: 14
// rows (28 accumulators) cover a 6×7 board's 42 pixels in three panels.
const avx512SegRows = 14

// narrowBcst selects embedded broadcasts for the one-vector AVX-512 tiles.
const narrowBcst = true

type gen struct {
	s     bytes.Buffer // assembly
	d     bytes.Buffer // declarations
	names []string
}

func (g *gen) a(format string, args ...any) {
	fmt.Fprintf(&g.s, format, args...)
	g.s.WriteByte('\n')
}

func (g *gen) i(format string, args ...any) {
	g.s.WriteByte('\t')
	g.a(format, args...)
}

const microArgs = "(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int)"
const microFrame = 80

// aPtrs are the general registers holding A row pointers, three rows each.
var aPtrs = []string{"SI", "DI", "R11", "R12", "R13"}

// aAddr is the address of A(i, p) for the current p.
func aAddr(i int) string {
	base := aPtrs[i/3]
	switch i % 3 {
	case 0:
		return "(" + base + ")"
	case 1:
		return "(" + base + ")(R8*1)"
	}
	return "(" + base + ")(R8*2)"
}

// microPrologue loads the arguments common to the micro-kernels:
// CX=k, SI.. = A row pointers, R8 = rs bytes, R9 = ks bytes, DX = b, R10 = ldb bytes.
func (g *gen) microPrologue(rows int) {
	g.i("MOVQ k+0(FP), CX")
	g.i("MOVQ a+8(FP), SI")
	g.i("MOVQ rs+16(FP), R8")
	g.i("SHLQ $2, R8")
	g.i("MOVQ ks+24(FP), R9")
	g.i("SHLQ $2, R9")
	g.i("MOVQ b+32(FP), DX")
	g.i("MOVQ ldb+40(FP), R10")
	g.i("SHLQ $2, R10")
	if rows > 3 {
		g.i("LEAQ (R8)(R8*2), AX") // 3·rs
		for p := 1; p*3 < rows; p++ {
			g.i("LEAQ (%s)(AX*1), %s", aPtrs[p-1], aPtrs[p])
		}
	}
}

func (g *gen) advanceA(rows int) {
	for p := 0; p*3 < rows; p++ {
		g.i("ADDQ R9, %s", aPtrs[p])
	}
}

// betaIsZero jumps to label when beta is +0 or -0.
func (g *gen) betaIsZero(label string) {
	g.i("MOVL beta+68(FP), BX")
	g.i("ANDL $0x7fffffff, BX")
	g.i("JZ %s", label)
}

// opts are variants of the micro-kernel.
type opts struct {
	// maskB loads B with lane masks (j < cols), so an edge strip of an
	// unpacked B is read in place without touching memory past column cols.
	maskB bool
	// bcst uses AVX-512 embedded broadcasts (FMA with a {1to16} memory
	// operand) instead of VBROADCASTSS into a register.
	bcst bool
	// split is the number of accumulator sets k is spread over (p mod split)
	// so that a tile with one or two accumulators is not bound by the FMA
	// latency. 0 means one set.
	split int
	// seg makes a segmented kernel (see the contract above).
	seg bool
}

const segArgs = "(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int, segs, jump int)"
const segFrame = 96

// micro writes a rows×(lanes·vecs) tile kernel; lanes is 8 (AVX2, YMM) or
// 16 (AVX-512, ZMM).
func (g *gen) micro(isa string, lanes, rows, vecs int, o opts) {
	nr := lanes * vecs
	vb := lanes * 4 // vector bytes
	kind := "Micro"
	if o.maskB {
		kind = "Edge"
	}
	args, frame := microArgs, microFrame
	if o.seg {
		kind = "Seg" + map[bool]string{true: "Edge"}[o.maskB]
		args, frame = segArgs, segFrame
		if o.split > 1 {
			panic("segmented kernels have one accumulator set")
		}
	}
	name := fmt.Sprintf("%s%s%dx%d", isa, kind, rows, nr)
	if o.split > 1 {
		name += fmt.Sprintf("s%d", o.split)
	}
	g.names = append(g.names, name)
	fmt.Fprintf(&g.d, "//go:noescape\nfunc %s%s\n\n", name, args)
	g.a("// func %s%s", name, args)
	g.a("TEXT ·%s(SB), NOSPLIT, $0-%d", name, frame)
	g.microPrologue(rows)
	r := "Y"
	nregs := 16
	zero := "VXORPS"
	if lanes == 16 {
		r = "Z"
		nregs = 32
		zero = "VPXORD"
	}
	reg := func(n int) string { return fmt.Sprintf("%s%d", r, n) }
	nsets := max(o.split, 1)
	nacc := rows * vecs
	if nacc*nsets > nregs-4 {
		panic("too many accumulators")
	}
	accS := func(s, i, v int) string { return reg(s*nacc + vecs*i + v) }
	acc := func(i, v int) string { return accS(0, i, v) }
	// Registers after the accumulators: B vectors (when reused by several
	// rows or masked), AVX2 load masks, then one or two broadcast registers.
	next := nacc * nsets
	var bv, masks []string
	if rows > 1 || o.maskB || o.bcst {
		for v := 0; v < vecs; v++ {
			bv = append(bv, reg(next))
			next++
		}
	}
	if o.maskB && lanes == 8 {
		for v := 0; v < vecs; v++ {
			masks = append(masks, reg(next))
			next++
		}
	}
	var bcs []string
	if !o.bcst {
		if next >= nregs {
			panic("no register for the broadcast")
		}
		bcs = []string{reg(next)}
		if next+1 < nregs {
			bcs = append(bcs, reg(next+1))
		}
	}
	if o.maskB {
		// Lane j of B vector v is loaded when cols > lanes·v + j.
		t := reg(nregs - 1)
		g.i("MOVQ cols+72(FP), AX")
		if lanes == 8 {
			g.i("VMOVD AX, X%s", t[1:])
			g.i("VPBROADCASTD X%s, %s", t[1:], t)
			for v := range masks {
				g.i("VPCMPGTD ·iota<>+%d(SB), %s, %s", vb*v, t, masks[v])
			}
		} else {
			g.i("VPBROADCASTD AX, %s", t)
			for v := 0; v < vecs; v++ {
				g.i("VPCMPGTD ·iota<>+%d(SB), %s, K%d", vb*v, t, v+1)
			}
		}
	}
	for s := 0; s < nsets; s++ {
		for i := 0; i < rows; i++ {
			for v := 0; v < vecs; v++ {
				g.i("%s %s, %s, %s", zero, accS(s, i, v), accS(s, i, v), accS(s, i, v))
			}
		}
	}
	// step emits one k step accumulating into set s.
	step := func(s int) {
		for v := range bv {
			switch {
			case o.maskB && lanes == 8:
				g.i("VMASKMOVPS %d(DX), %s, %s", vb*v, masks[v], bv[v])
			case o.maskB:
				g.i("VMOVUPS.Z %d(DX), K%d, %s", vb*v, v+1, bv[v])
			default:
				g.i("VMOVUPS %d(DX), %s", vb*v, bv[v])
			}
		}
		for i := 0; i < rows; i++ {
			if o.bcst {
				for v := 0; v < vecs; v++ {
					g.i("VFMADD231PS.BCST %s, %s, %s", aAddr(i), bv[v], accS(s, i, v))
				}
				continue
			}
			bc := bcs[i%len(bcs)]
			g.i("VBROADCASTSS %s, %s", aAddr(i), bc)
			for v := 0; v < vecs; v++ {
				if bv != nil {
					g.i("VFMADD231PS %s, %s, %s", bv[v], bc, accS(s, i, v))
				} else {
					g.i("VFMADD231PS %d(DX), %s, %s", vb*v, bc, accS(s, i, v))
				}
			}
		}
		g.i("ADDQ R10, DX")
		g.advanceA(rows)
	}
	switch {
	case o.seg:
		// BX counts segments, AX holds the jump in bytes, CX the steps
		// of a segment.
		g.i("MOVQ segs+80(FP), BX")
		g.i("MOVQ jump+88(FP), AX")
		g.i("SHLQ $2, AX")
		g.a("seg:")
		g.i("MOVQ k+0(FP), CX")
		g.a("loop:")
		step(0)
		g.i("DECQ CX")
		g.i("JNZ loop")
		for p := 0; p*3 < rows; p++ {
			g.i("ADDQ AX, %s", aPtrs[p])
		}
		g.i("DECQ BX")
		g.i("JNZ seg")
	case nsets == 1:
		g.a("loop:")
		step(0)
		g.i("DECQ CX")
		g.i("JNZ loop")
	default:
		// Steps p = nsets·q + s go to set s; the k mod nsets last steps to
		// set 0; then the sets are summed pairwise into set 0.
		g.i("MOVQ CX, BX")
		g.i("ANDQ $%d, BX", nsets-1)
		g.i("SHRQ $%d, CX", log2(nsets))
		g.i("JZ rest")
		g.a("loop:")
		for s := 0; s < nsets; s++ {
			step(s)
		}
		g.i("DECQ CX")
		g.i("JNZ loop")
		g.a("rest:")
		g.i("TESTQ BX, BX")
		g.i("JZ sum")
		g.a("restloop:")
		step(0)
		g.i("DECQ BX")
		g.i("JNZ restloop")
		g.a("sum:")
		for w := 1; w < nsets; w *= 2 {
			for s := 0; s < nsets; s += 2 * w {
				for i := 0; i < rows; i++ {
					for v := 0; v < vecs; v++ {
						g.i("VADDPS %s, %s, %s", accS(s+w, i, v), accS(s, i, v), accS(s, i, v))
					}
				}
			}
		}
	}

	// Epilogue: scale by alpha, then blend with beta·C. The top registers
	// are free now: ab = alpha then beta, tmp, cb = cols broadcast, mask.
	ab, tmp, cb, mask := reg(nregs-1), reg(nregs-2), reg(nregs-3), reg(nregs-4)
	g.i("MOVQ c+48(FP), DX")
	g.i("MOVQ ldc+56(FP), R10")
	g.i("SHLQ $2, R10")
	g.i("VBROADCASTSS alpha+64(FP), %s", ab)
	for i := 0; i < rows; i++ {
		for v := 0; v < vecs; v++ {
			g.i("VMULPS %s, %s, %s", ab, acc(i, v), acc(i, v))
		}
	}
	g.i("VBROADCASTSS beta+68(FP), %s", ab)
	g.i("MOVQ cols+72(FP), AX")
	g.i("CMPQ AX, $%d", nr)
	g.i("JNE masked")
	g.betaIsZero("fullstore")
	rowsLoop := func(body func(i int)) {
		for i := 0; i < rows; i++ {
			body(i)
			if i < rows-1 {
				g.i("ADDQ R10, DX")
			}
		}
		g.i("VZEROUPPER")
		g.i("RET")
	}
	rowsLoop(func(i int) {
		for v := 0; v < vecs; v++ {
			g.i("VFMADD231PS %d(DX), %s, %s", vb*v, ab, acc(i, v))
			g.i("VMOVUPS %s, %d(DX)", acc(i, v), vb*v)
		}
	})
	g.a("fullstore:")
	rowsLoop(func(i int) {
		for v := 0; v < vecs; v++ {
			g.i("VMOVUPS %s, %d(DX)", acc(i, v), vb*v)
		}
	})
	g.a("masked:")
	// Lane j of vector v is stored when cols > 16·v+j, compared against the iota table.
	if lanes == 8 {
		g.i("VMOVD AX, %s", "X"+cb[1:])
		g.i("VPBROADCASTD %s, %s", "X"+cb[1:], cb)
	} else {
		g.i("VPBROADCASTD AX, %s", cb)
	}
	setMask := func(v int) string {
		if lanes == 8 {
			g.i("VPCMPGTD ·iota<>+%d(SB), %s, %s", vb*v, cb, mask)
			return mask
		}
		g.i("VPCMPGTD ·iota<>+%d(SB), %s, K1", vb*v, cb)
		return "K1"
	}
	g.betaIsZero("maskedstore")
	rowsLoop(func(i int) {
		for v := 0; v < vecs; v++ {
			m := setMask(v)
			if lanes == 8 {
				g.i("VMASKMOVPS %d(DX), %s, %s", vb*v, m, tmp)
			} else {
				g.i("VMOVUPS.Z %d(DX), %s, %s", vb*v, m, tmp)
			}
			g.i("VFMADD231PS %s, %s, %s", tmp, ab, acc(i, v))
			if lanes == 8 {
				g.i("VMASKMOVPS %s, %s, %d(DX)", acc(i, v), m, vb*v)
			} else {
				g.i("VMOVUPS %s, %s, %d(DX)", acc(i, v), m, vb*v)
			}
		}
	})
	g.a("maskedstore:")
	rowsLoop(func(i int) {
		for v := 0; v < vecs; v++ {
			m := setMask(v)
			if lanes == 8 {
				g.i("VMASKMOVPS %s, %s, %d(DX)", acc(i, v), m, vb*v)
			} else {
				g.i("VMOVUPS %s, %s, %d(DX)", acc(i, v), m, vb*v)
			}
		}
	})
	g.a("")
}

const dotArgs = "(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)"
const dotFrame = 64

// dot writes a kernel computing the rows×cols block
// C(i,j) = alpha·Σ_p a[i*lda+p]·b[j*ldb+p] + beta·C(i,j), with YMM vectors along k.
// rows·ceil(cols/4)·4 ≤ 8.
func (g *gen) dot(rows, cols int) {
	name := fmt.Sprintf("dot%dx%d", rows, cols)
	fmt.Fprintf(&g.d, "//go:noescape\nfunc %s%s\n\n", name, dotArgs)
	g.a("// func %s%s", name, dotArgs)
	g.a("TEXT ·%s(SB), NOSPLIT, $0-%d", name, dotFrame)
	groups := (cols + 3) / 4
	slots := groups * 4
	if rows*slots > 8 {
		panic("dot tile too large")
	}
	acc := func(i, j int) string { return fmt.Sprintf("Y%d", i*slots+j) }
	accX := func(i, j int) string { return fmt.Sprintf("X%d", i*slots+j) }
	aReg := func(i int) string { return fmt.Sprintf("Y%d", 8+i) }
	bReg := func(j int) string { return fmt.Sprintf("Y%d", 10+j%2) }
	aPtr := []string{"SI", "DI"}
	bPtr := []string{"DX", "R8", "R9", "R10", "R11", "R12", "R13", "AX"}
	g.i("MOVQ a+8(FP), SI")
	if rows > 1 {
		g.i("MOVQ lda+16(FP), AX")
		g.i("SHLQ $2, AX")
		g.i("LEAQ (SI)(AX*1), DI")
	}
	g.i("MOVQ b+24(FP), DX")
	if cols > 1 {
		g.i("MOVQ ldb+32(FP), CX")
		g.i("SHLQ $2, CX")
		for j := 1; j < cols; j++ {
			g.i("LEAQ (%s)(CX*1), %s", bPtr[j-1], bPtr[j])
		}
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < slots; j++ {
			g.i("VXORPS %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
		}
	}
	body := func(load string) {
		for i := 0; i < rows; i++ {
			g.i(load, "("+aPtr[i]+")(BX*1)", aReg(i))
		}
		for j := 0; j < cols; j++ {
			g.i(load, "("+bPtr[j]+")(BX*1)", bReg(j))
			for i := 0; i < rows; i++ {
				g.i("VFMADD231PS %s, %s, %s", bReg(j), aReg(i), acc(i, j))
			}
		}
	}
	g.i("XORQ BX, BX")
	g.i("MOVQ k+0(FP), CX")
	g.i("ANDQ $-8, CX")
	g.i("SHLQ $2, CX")
	g.i("JZ tail")
	g.a("loop:")
	body("VMOVUPS %s, %s")
	g.i("ADDQ $32, BX")
	g.i("CMPQ BX, CX")
	g.i("JNE loop")
	g.a("tail:")
	g.i("MOVQ k+0(FP), CX")
	g.i("ANDQ $7, CX")
	g.i("JZ reduce")
	g.i("VMOVD CX, X12")
	g.i("VPBROADCASTD X12, Y12")
	g.i("VPCMPGTD ·iota<>+0(SB), Y12, Y12")
	body("VMASKMOVPS %s, Y12, %s")
	g.a("reduce:")
	for i := 0; i < rows; i++ {
		for gi := 0; gi < groups; gi++ {
			j := 4 * gi
			g.i("VHADDPS %s, %s, %s", acc(i, j+1), acc(i, j), acc(i, j))
			g.i("VHADDPS %s, %s, %s", acc(i, j+3), acc(i, j+2), acc(i, j+2))
			g.i("VHADDPS %s, %s, %s", acc(i, j+2), acc(i, j), acc(i, j))
			g.i("VEXTRACTF128 $1, %s, X13", acc(i, j))
			g.i("VADDPS X13, %s, %s", accX(i, j), accX(i, j))
		}
	}
	g.i("VBROADCASTSS alpha+56(FP), X14")
	g.i("VBROADCASTSS beta+60(FP), X15")
	if cols%4 != 0 {
		g.i("MOVQ $%d, CX", cols%4)
		g.i("VMOVD CX, X12")
		g.i("VPBROADCASTD X12, X12")
		g.i("VPCMPGTD ·iota<>+0(SB), X12, X12")
	}
	g.i("MOVQ c+40(FP), DX")
	g.i("MOVQ ldc+48(FP), CX")
	g.i("SHLQ $2, CX")
	store := func(withBeta bool) {
		for i := 0; i < rows; i++ {
			for gi := 0; gi < groups; gi++ {
				r := accX(i, 4*gi)
				off := 16 * gi
				g.i("VMULPS X14, %s, %s", r, r)
				full := 4*gi+4 <= cols
				if full {
					if withBeta {
						g.i("VFMADD231PS %d(DX), X15, %s", off, r)
					}
					g.i("VMOVUPS %s, %d(DX)", r, off)
				} else {
					if withBeta {
						g.i("VMASKMOVPS %d(DX), X12, X13", off)
						g.i("VFMADD231PS X13, X15, %s", r)
					}
					g.i("VMASKMOVPS %s, X12, %d(DX)", r, off)
				}
			}
			if i < rows-1 {
				g.i("ADDQ CX, DX")
			}
		}
		g.i("VZEROUPPER")
		g.i("RET")
	}
	g.i("MOVL beta+60(FP), BX")
	g.i("ANDL $0x7fffffff, BX")
	g.i("JZ nobeta")
	store(true)
	g.a("nobeta:")
	store(false)
	g.a("")
}

// table declares a Go array of the kernels just generated, indexed by rows.
func (g *gen) table(name string, first int) {
	fmt.Fprintf(&g.d, "var %s = [...]microFn{nil", name)
	for _, n := range g.names[first:] {
		fmt.Fprintf(&g.d, ", %s", n)
	}
	fmt.Fprintf(&g.d, "}\n\n")
}

// peak writes func name(n int): n iterations of independent FMAs on 12
// accumulators (a throughput, not latency, bound loop).
func (g *gen) peak(name, r string, accs int) {
	fmt.Fprintf(&g.d, "//go:noescape\nfunc %s(n int)\n\n", name)
	g.a("// func %s(n int)", name)
	g.a("TEXT ·%s(SB), NOSPLIT, $0-8", name)
	g.i("MOVQ n+0(FP), CX")
	zero := "VXORPS"
	if r == "Z" {
		zero = "VPXORD"
	}
	for i := 0; i < accs+2; i++ {
		g.i("%s %s%d, %s%d, %s%d", zero, r, i, r, i, r, i)
	}
	g.a("loop:")
	for i := 0; i < accs; i++ {
		g.i("VFMADD231PS %s%d, %s%d, %s%d", r, accs+i%2, r, accs+1-i%2, r, i)
	}
	g.i("DECQ CX")
	g.i("JNZ loop")
	g.i("VZEROUPPER")
	g.i("RET")
	g.a("")
}

const transArgs = "(dst *float32, ds int, src *float32, lda int, nblk int)"

// transpose writes func transpose<rows>(dst, ds, src, lda, nblk), which
// transposes a rows×(8·nblk) block: dst[p*ds+i] = src[i*lda+p]. Rows are
// loaded as YMM vectors and transposed with unpack/shuffle/permute.
func (g *gen) transpose(rows int) {
	name := fmt.Sprintf("transpose%d", rows)
	fmt.Fprintf(&g.d, "//go:noescape\nfunc %s%s\n\n", name, transArgs)
	g.a("// func %s%s", name, transArgs)
	g.a("TEXT ·%s(SB), NOSPLIT, $0-40", name)
	g.i("MOVQ dst+0(FP), DI")
	g.i("MOVQ ds+8(FP), R8")
	g.i("SHLQ $2, R8")
	g.i("MOVQ src+16(FP), SI")
	g.i("MOVQ lda+24(FP), R9")
	g.i("SHLQ $2, R9")
	g.i("MOVQ nblk+32(FP), CX")
	g.i("LEAQ (R9)(R9*2), R10")
	g.i("LEAQ (SI)(R9*4), R11")
	g.i("LEAQ (R8)(R8*2), R12")
	g.i("LEAQ (DI)(R8*4), R13")
	srcAddr := []string{"(SI)", "(SI)(R9*1)", "(SI)(R9*2)", "(SI)(R10*1)", "(R11)", "(R11)(R9*1)", "(R11)(R9*2)", "(R11)(R10*1)"}
	dstAddr := []string{"(DI)", "(DI)(R8*1)", "(DI)(R8*2)", "(DI)(R12*1)", "(R13)", "(R13)(R8*1)", "(R13)(R8*2)", "(R13)(R12*1)"}
	g.a("loop:")
	for r := 0; r < rows; r++ {
		g.i("VMOVUPS %s, Y%d", srcAddr[r], r)
	}
	switch rows {
	case 8, 4:
		for h := 0; h < rows/4; h++ {
			r, t := 4*h, 8+4*h
			g.i("VUNPCKLPS Y%d, Y%d, Y%d", r+1, r, t)
			g.i("VUNPCKHPS Y%d, Y%d, Y%d", r+1, r, t+1)
			g.i("VUNPCKLPS Y%d, Y%d, Y%d", r+3, r+2, t+2)
			g.i("VUNPCKHPS Y%d, Y%d, Y%d", r+3, r+2, t+3)
			// Y(r+q) = rows 4h..4h+3 at columns q (low lane) and q+4 (high lane).
			g.i("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+2, t, r)
			g.i("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+2, t, r+1)
			g.i("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+3, t+1, r+2)
			g.i("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+3, t+1, r+3)
		}
		if rows == 8 {
			for q := 0; q < 4; q++ {
				g.i("VPERM2F128 $0x20, Y%d, Y%d, Y%d", q+4, q, 8+q)
				g.i("VPERM2F128 $0x31, Y%d, Y%d, Y%d", q+4, q, 12+q)
			}
			for q := 0; q < 4; q++ {
				g.i("VMOVUPS Y%d, %s", 8+q, dstAddr[q])
				g.i("VMOVUPS Y%d, %s", 12+q, dstAddr[q+4])
			}
		} else {
			for q := 0; q < 4; q++ {
				g.i("VMOVUPS X%d, %s", q, dstAddr[q])
				g.i("VEXTRACTF128 $1, Y%d, %s", q, dstAddr[q+4])
			}
		}
	case 2:
		g.i("VUNPCKLPS Y1, Y0, Y8") // columns 0,1 | 4,5
		g.i("VUNPCKHPS Y1, Y0, Y9") // columns 2,3 | 6,7
		g.i("VEXTRACTF128 $1, Y8, X10")
		g.i("VEXTRACTF128 $1, Y9, X11")
		g.i("VMOVLPS X8, %s", dstAddr[0])
		g.i("VMOVHPS X8, %s", dstAddr[1])
		g.i("VMOVLPS X9, %s", dstAddr[2])
		g.i("VMOVHPS X9, %s", dstAddr[3])
		g.i("VMOVLPS X10, %s", dstAddr[4])
		g.i("VMOVHPS X10, %s", dstAddr[5])
		g.i("VMOVLPS X11, %s", dstAddr[6])
		g.i("VMOVHPS X11, %s", dstAddr[7])
	default:
		panic("transpose rows")
	}
	g.i("ADDQ $32, SI")
	g.i("ADDQ $32, R11")
	g.i("LEAQ (DI)(R8*8), DI")
	g.i("LEAQ (R13)(R8*8), R13")
	g.i("DECQ CX")
	g.i("JNZ loop")
	g.i("VZEROUPPER")
	g.i("RET")
	g.a("")
}

// copyRows writes func copy<w>(dst, src *float32, lda, rows int): copies rows
// rows of w floats from src (row stride lda) to the contiguous dst.
func (g *gen) copyRows(w int) {
	name := fmt.Sprintf("copy%d", w)
	args := "(dst *float32, src *float32, lda int, rows int)"
	fmt.Fprintf(&g.d, "//go:noescape\nfunc %s%s\n\n", name, args)
	g.a("// func %s%s", name, args)
	g.a("TEXT ·%s(SB), NOSPLIT, $0-32", name)
	g.i("MOVQ dst+0(FP), DI")
	g.i("MOVQ src+8(FP), SI")
	g.i("MOVQ lda+16(FP), R8")
	g.i("SHLQ $2, R8")
	g.i("MOVQ rows+24(FP), CX")
	g.a("loop:")
	for v := 0; v < w/8; v++ {
		g.i("VMOVUPS %d(SI), Y%d", 32*v, v)
	}
	for v := 0; v < w/8; v++ {
		g.i("VMOVUPS Y%d, %d(DI)", v, 32*v)
	}
	g.i("ADDQ R8, SI")
	g.i("ADDQ $%d, DI", 4*w)
	g.i("DECQ CX")
	g.i("JNZ loop")
	g.i("VZEROUPPER")
	g.i("RET")
	g.a("")
}

func main() {
	g := &gen{}
	g.a("// Code generated by gen_asm.go; DO NOT EDIT.")
	g.a("")
	g.a("//go:build amd64 && !purego")
	g.a("")
	g.a("#include \"textflag.h\"")
	g.a("")
	// iota: the int32 values 0..127, for lane masks.
	for i := 0; i < 128; i += 2 {
		g.a("DATA ·iota<>+%d(SB)/8, $0x%08x%08x", 4*i, i+1, i)
	}
	g.a("GLOBL ·iota<>(SB), RODATA|NOPTR, $512")
	g.a("")
	fmt.Fprintf(&g.d, "// Code generated by gen_asm.go; DO NOT EDIT.\n\n//go:build amd64 && !purego\n\npackage gemm\n\n")
	family := func(table, isa string, lanes, maxRows, vecs int, o opts) {
		first := len(g.names)
		for r := 1; r <= maxRows; r++ {
			g.micro(isa, lanes, r, vecs, o)
		}
		g.table(table, first)
		if vecs <= 2 {
			// One-row tiles have one or two accumulators: a variant spreads
			// k over four sets, for products with a single row.
			o.split = 4
			g.micro(isa, lanes, 1, vecs, o)
			fmt.Fprintf(&g.d, "var %sSplit1 microFn = %s\n\n", table, g.names[len(g.names)-1])
		}
	}
	family("avx2Tile", "avx2", 8, 6, 2, opts{})
	family("avx2Gemv", "avx2", 8, 1, 8, opts{})
	family("avx2Edge", "avx2", 8, 5, 2, opts{maskB: true})
	family("avx512Tile", "avx512", 16, avx512Rows, 2, opts{})
	family("avx512Narrow", "avx512", 16, avx512NarrowRows, 1, opts{bcst: narrowBcst})
	family("avx512Gemv", "avx512", 16, 1, 8, opts{})
	family("avx512Edge", "avx512", 16, avx512NarrowRows, 1, opts{maskB: true, bcst: narrowBcst})
	segFamily := func(table, isa string, lanes, maxRows, vecs int, o opts) {
		first := len(g.names)
		o.seg = true
		for r := 1; r <= maxRows; r++ {
			g.micro(isa, lanes, r, vecs, o)
		}
		fmt.Fprintf(&g.d, "var %s = [...]segFn{nil", table)
		for _, n := range g.names[first:] {
			fmt.Fprintf(&g.d, ", %s", n)
		}
		fmt.Fprintf(&g.d, "}\n\n")
	}
	segFamily("avx2Seg", "avx2", 8, 6, 2, opts{})
	segFamily("avx2SegEdge", "avx2", 8, 5, 2, opts{maskB: true})
	segFamily("avx512Seg", "avx512", 16, avx512SegRows, 2, opts{})
	segFamily("avx512SegWide", "avx512", 16, 6, 4, opts{})
	segFamily("avx512SegNarrow", "avx512", 16, avx512NarrowRows, 1, opts{bcst: narrowBcst})
	segFamily("avx512SegEdge", "avx512", 16, avx512NarrowRows, 1, opts{maskB: true, bcst: narrowBcst})
	var tbl bytes.Buffer
	fmt.Fprintf(&tbl, "var dotKernels = [3][9]dotFn{\n\t{},\n")
	for r := 1; r <= 2; r++ {
		fmt.Fprintf(&tbl, "\t{nil")
		for c := 1; c <= 8/r; c++ {
			if r*((c+3)/4)*4 > 8 {
				break
			}
			g.dot(r, c)
			fmt.Fprintf(&tbl, ", dot%dx%d", r, c)
		}
		fmt.Fprintf(&tbl, "},\n")
	}
	fmt.Fprintf(&tbl, "}\n\n")
	g.d.Write(tbl.Bytes())
	for _, r := range []int{8, 4, 2} {
		g.transpose(r)
	}
	g.copyRows(16)
	g.copyRows(32)
	g.peak("peakFMA256", "Y", 12)
	g.peak("peakFMA512", "Z", 24)
	must(os.WriteFile("kernels_amd64.s", g.s.Bytes(), 0o644))
	decl, err := format.Source(g.d.Bytes())
	must(err)
	must(os.WriteFile("kernels_amd64.go", decl, 0o644))
}

func log2(n int) int {
	l := 0
	for n > 1 {
		n /= 2
		l++
	}
	return l
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
