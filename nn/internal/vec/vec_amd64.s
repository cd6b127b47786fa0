#include "textflag.h"

// func addAVX2(dst, x *float32, n int)
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
add_loop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     add_loop
	VZEROUPPER
	RET

// func biasReLUAVX2(y, b *float32, n int)
TEXT ·biasReLUAVX2(SB), NOSPLIT, $0-24
	MOVQ   y+0(FP), DI
	MOVQ   b+8(FP), SI
	MOVQ   n+16(FP), CX
	SHRQ   $3, CX
	VXORPS Y15, Y15, Y15
br_loop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMAXPS  Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     br_loop
	VZEROUPPER
	RET

// func reluAVX2(y *float32, n int)
TEXT ·reluAVX2(SB), NOSPLIT, $0-16
	MOVQ   y+0(FP), DI
	MOVQ   n+8(FP), CX
	SHRQ   $3, CX
	VXORPS Y15, Y15, Y15
relu_loop:
	VMOVUPS (DI), Y0
	VMAXPS  Y15, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     relu_loop
	VZEROUPPER
	RET

// func reluMaskAVX2(d, y *float32, n int)
TEXT ·reluMaskAVX2(SB), NOSPLIT, $0-24
	MOVQ   d+0(FP), DI
	MOVQ   y+8(FP), SI
	MOVQ   n+16(FP), CX
	SHRQ   $3, CX
	VXORPS Y15, Y15, Y15
mask_loop:
	VMOVUPS (SI), Y1
	VCMPPS  $0x1e, Y15, Y1, Y2 // y > 0 (ordered, quiet)
	VANDPS  (DI), Y2, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     mask_loop
	VZEROUPPER
	RET

// func adamAVX2(w, g, m, v *float32, n int, p *AdamParams)
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ p+40(FP), AX
	SHRQ $3, CX
	VBROADCASTSS 0(AX), Y8   // B1
	VBROADCASTSS 4(AX), Y9   // B2
	VBROADCASTSS 8(AX), Y10  // A1
	VBROADCASTSS 12(AX), Y11 // A2
	VBROADCASTSS 16(AX), Y12 // Step
	VBROADCASTSS 20(AX), Y13 // Eps
	VBROADCASTSS 24(AX), Y14 // Decay
	VBROADCASTSS 28(AX), Y15 // L2
	VXORPS Y7, Y7, Y7
adam_loop:
	VMOVUPS (DI), Y0           // w
	VMOVUPS (SI), Y1           // g
	VFMADD231PS Y0, Y15, Y1    // g += L2*w
	VMOVUPS (R8), Y2           // m
	VMULPS  Y8, Y2, Y2         // m *= B1
	VFMADD231PS Y1, Y10, Y2    // m += A1*g
	VMULPS  Y1, Y1, Y3         // g*g
	VMOVUPS (R9), Y4           // v
	VMULPS  Y9, Y4, Y4         // v *= B2
	VFMADD231PS Y3, Y11, Y4    // v += A2*g*g
	VMOVUPS Y2, (R8)
	VMOVUPS Y4, (R9)
	VSQRTPS Y4, Y5
	VADDPS  Y13, Y5, Y5        // √v + Eps
	VDIVPS  Y5, Y2, Y6         // m / (√v + Eps)
	VMULPS  Y14, Y0, Y0        // w *= Decay
	VFNMADD231PS Y6, Y12, Y0   // w -= Step*upd
	VMOVUPS Y0, (DI)
	VMOVUPS Y7, (SI)           // g = 0
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  adam_loop
	VZEROUPPER
	RET

#include "consts_amd64.h"

// EXP sets Y0 = e^Y0 (argument clamped to [-87.33, 88.72]); clobbers Y1, Y2.
#define EXP \
	VMAXPS       explo<>(SB), Y0, Y0 \
	VMINPS       exphi<>(SB), Y0, Y0 \
	VMULPS       log2e<>(SB), Y0, Y1 \
	VADDPS       half<>(SB), Y1, Y1 \
	VROUNDPS     $1, Y1, Y1 \
	VFNMADD231PS ln2hi<>(SB), Y1, Y0 \
	VFNMADD231PS ln2lo<>(SB), Y1, Y0 \
	VMOVUPS      c7<>(SB), Y2 \
	VFMADD213PS  c6<>(SB), Y0, Y2 \
	VFMADD213PS  c5<>(SB), Y0, Y2 \
	VFMADD213PS  c4<>(SB), Y0, Y2 \
	VFMADD213PS  c3<>(SB), Y0, Y2 \
	VFMADD213PS  half<>(SB), Y0, Y2 \
	VFMADD213PS  one<>(SB), Y0, Y2 \
	VFMADD213PS  one<>(SB), Y0, Y2 \
	VCVTPS2DQ    Y1, Y1 \
	VPADDD       i127<>(SB), Y1, Y1 \
	VPSLLD       $23, Y1, Y1 \
	VMULPS       Y1, Y2, Y0

// PHI sets Y5 = Φ(Y3) and Y0 = e^{-Y3²/2}; clobbers Y1, Y2, Y4, Y6, Y7.
#define PHI \
	VANDPS      absmask<>(SB), Y3, Y4 \
	VMULPS      invsqrt2<>(SB), Y4, Y4 \
	VMOVUPS     one<>(SB), Y5 \
	VFMADD231PS pcoef<>(SB), Y4, Y5 \
	VMOVUPS     one<>(SB), Y6 \
	VDIVPS      Y5, Y6, Y6 \
	VMOVUPS     a5<>(SB), Y7 \
	VFMADD213PS a4<>(SB), Y6, Y7 \
	VFMADD213PS a3<>(SB), Y6, Y7 \
	VFMADD213PS a2<>(SB), Y6, Y7 \
	VFMADD213PS a1<>(SB), Y6, Y7 \
	VMULPS      Y6, Y7, Y7 \
	VMULPS      Y4, Y4, Y0 \
	VSUBPS      Y0, Y15, Y0 \
	EXP \
	VMULPS      Y0, Y7, Y7 \
	VMULPS      half<>(SB), Y7, Y7 \
	VMOVUPS     one<>(SB), Y5 \
	VSUBPS      Y7, Y5, Y5 \
	VBLENDVPS   Y3, Y7, Y5, Y5

// func expAVX2(x *float32, n int)
TEXT ·expAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
exp_loop:
	VMOVUPS (DI), Y0
	EXP
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     exp_loop
	VZEROUPPER
	RET

// func geluAVX2(x *float32, n int)
TEXT ·geluAVX2(SB), NOSPLIT, $0-16
	MOVQ   x+0(FP), DI
	MOVQ   n+8(FP), CX
	SHRQ   $3, CX
	VXORPS Y15, Y15, Y15
gelu_loop:
	VMOVUPS (DI), Y3
	PHI
	VMULPS  Y3, Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     gelu_loop
	VZEROUPPER
	RET

// func geluGradAVX2(dz, dy, x *float32, n int)
TEXT ·geluGradAVX2(SB), NOSPLIT, $0-32
	MOVQ   dz+0(FP), DI
	MOVQ   dy+8(FP), SI
	MOVQ   x+16(FP), DX
	MOVQ   n+24(FP), CX
	SHRQ   $3, CX
	VXORPS Y15, Y15, Y15
gelug_loop:
	VMOVUPS     (DX), Y3
	PHI
	VMULPS      invsqrt2pi<>(SB), Y3, Y6
	VFMADD231PS Y6, Y0, Y5
	VMULPS      (SI), Y5, Y5
	VMOVUPS     Y5, (DI)
	ADDQ        $32, DI
	ADDQ        $32, SI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         gelug_loop
	VZEROUPPER
	RET

// Row kernels: R10 = cols·4 (the bytes of a row), R11 = rows; BX runs over
// the bytes of a row, the row pointers advance by R10 per row, the
// per-column vectors do not.

// func affineRowsAVX2(y, x, s, b, res *float32, cols, rows int, relu bool)
TEXT ·affineRowsAVX2(SB), NOSPLIT, $0-57
	MOVQ    y+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    s+16(FP), DX
	MOVQ    b+24(FP), R8
	MOVQ    res+32(FP), R9
	MOVQ    cols+40(FP), R10
	SHLQ    $2, R10
	MOVQ    rows+48(FP), R11
	MOVBLZX relu+56(FP), AX
	VXORPS  Y15, Y15, Y15
	TESTQ   R9, R9
	JNZ     affine_withres
	TESTQ   AX, AX
	JNZ     ar_row
ap_row:
	XORQ BX, BX
ap_col:
	VMOVUPS (SI)(BX*1), Y0
	VMOVUPS (DX)(BX*1), Y1
	VFMADD213PS (R8)(BX*1), Y1, Y0 // x·s + b
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  ap_col
	ADDQ R10, DI
	ADDQ R10, SI
	DECQ R11
	JNZ  ap_row
	VZEROUPPER
	RET
ar_row:
	XORQ BX, BX
ar_col:
	VMOVUPS (SI)(BX*1), Y0
	VMOVUPS (DX)(BX*1), Y1
	VFMADD213PS (R8)(BX*1), Y1, Y0 // x·s + b
	VMAXPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  ar_col
	ADDQ R10, DI
	ADDQ R10, SI
	DECQ R11
	JNZ  ar_row
	VZEROUPPER
	RET
affine_withres:
	TESTQ AX, AX
	JNZ   asr_row
as_row:
	XORQ BX, BX
as_col:
	VMOVUPS (SI)(BX*1), Y0
	VMOVUPS (DX)(BX*1), Y1
	VFMADD213PS (R8)(BX*1), Y1, Y0 // x·s + b
	VADDPS (R9)(BX*1), Y0, Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  as_col
	ADDQ R10, DI
	ADDQ R10, SI
	ADDQ R10, R9
	DECQ R11
	JNZ  as_row
	VZEROUPPER
	RET
asr_row:
	XORQ BX, BX
asr_col:
	VMOVUPS (SI)(BX*1), Y0
	VMOVUPS (DX)(BX*1), Y1
	VFMADD213PS (R8)(BX*1), Y1, Y0 // x·s + b
	VADDPS (R9)(BX*1), Y0, Y0
	VMAXPS Y15, Y0, Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  asr_col
	ADDQ R10, DI
	ADDQ R10, SI
	ADDQ R10, R9
	DECQ R11
	JNZ  asr_row
	VZEROUPPER
	RET

// func shiftedSumsAVX2(s1, s2, x, k *float32, cols, rows int)
TEXT ·shiftedSumsAVX2(SB), NOSPLIT, $0-48
	MOVQ s1+0(FP), DI
	MOVQ s2+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ k+24(FP), R8
	MOVQ cols+32(FP), R10
	SHLQ $2, R10
	MOVQ rows+40(FP), R11
ss_row:
	XORQ BX, BX
ss_col:
	VMOVUPS (SI)(BX*1), Y0
	VSUBPS (R8)(BX*1), Y0, Y0 // x - k
	VADDPS (DI)(BX*1), Y0, Y1
	VMOVUPS Y1, (DI)(BX*1)
	VMOVUPS (DX)(BX*1), Y2
	VFMADD231PS Y0, Y0, Y2
	VMOVUPS Y2, (DX)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  ss_col
	ADDQ R10, SI
	DECQ R11
	JNZ  ss_row
	VZEROUPPER
	RET

// func gradSumsAVX2(sd, sdx, d, x, mean *float32, cols, rows int)
TEXT ·gradSumsAVX2(SB), NOSPLIT, $0-56
	MOVQ sd+0(FP), DI
	MOVQ sdx+8(FP), DX
	MOVQ d+16(FP), SI
	MOVQ x+24(FP), R9
	MOVQ mean+32(FP), R8
	MOVQ cols+40(FP), R10
	SHLQ $2, R10
	MOVQ rows+48(FP), R11
gs_row:
	XORQ BX, BX
gs_col:
	VMOVUPS (SI)(BX*1), Y0 // d
	VADDPS (DI)(BX*1), Y0, Y1
	VMOVUPS Y1, (DI)(BX*1)
	VMOVUPS (R9)(BX*1), Y3
	VSUBPS (R8)(BX*1), Y3, Y3 // x - mean
	VMOVUPS (DX)(BX*1), Y2
	VFMADD231PS Y3, Y0, Y2
	VMOVUPS Y2, (DX)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  gs_col
	ADDQ R10, SI
	ADDQ R10, R9
	DECQ R11
	JNZ  gs_row
	VZEROUPPER
	RET

// func linearGradAVX2(dx, d, x, p, q, c *float32, cols, rows int, add bool)
TEXT ·linearGradAVX2(SB), NOSPLIT, $0-65
	MOVQ    dx+0(FP), DI
	MOVQ    d+8(FP), SI
	MOVQ    x+16(FP), R9
	MOVQ    p+24(FP), DX
	MOVQ    q+32(FP), R8
	MOVQ    c+40(FP), AX
	MOVQ    cols+48(FP), R10
	SHLQ    $2, R10
	MOVQ    rows+56(FP), R11
	MOVBLZX add+64(FP), CX
	TESTQ   CX, CX
	JZ      ls_row
lg_row:
	XORQ BX, BX
lg_col:
	VMOVUPS (SI)(BX*1), Y0
	VMULPS (DX)(BX*1), Y0, Y0 // d·p
	VMOVUPS (R9)(BX*1), Y1
	VFMADD231PS (R8)(BX*1), Y1, Y0 // + x·q
	VADDPS (AX)(BX*1), Y0, Y0
	VADDPS (DI)(BX*1), Y0, Y0 // + dx
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  lg_col
	ADDQ R10, DI
	ADDQ R10, SI
	ADDQ R10, R9
	DECQ R11
	JNZ  lg_row
	VZEROUPPER
	RET
ls_row:
	XORQ BX, BX
ls_col:
	VMOVUPS (SI)(BX*1), Y0
	VMULPS (DX)(BX*1), Y0, Y0 // d·p
	VMOVUPS (R9)(BX*1), Y1
	VFMADD231PS (R8)(BX*1), Y1, Y0 // + x·q
	VADDPS (AX)(BX*1), Y0, Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ $32, BX
	CMPQ BX, R10
	JLT  ls_col
	ADDQ R10, DI
	ADDQ R10, SI
	ADDQ R10, R9
	DECQ R11
	JNZ  ls_row
	VZEROUPPER
	RET

// func windows3AVX2(dst, row *float32, w, c int)
// For each pixel x: the left third (pixel x-1) is zero for x = 0, the right
// third (pixel x+1) is zero for x = w-1; the rest is copied from row.
TEXT ·windows3AVX2(SB), NOSPLIT, $0-32
	MOVQ   dst+0(FP), DI
	MOVQ   row+8(FP), SI
	MOVQ   w+16(FP), R8
	MOVQ   c+24(FP), R9
	SHLQ   $2, R9          // c in bytes
	VXORPS Y15, Y15, Y15
	XORQ   R10, R10        // x
	MOVQ   SI, R11
	SUBQ   R9, R11         // source of the window: row + (x-1)·c
win_pixel:
	// left third
	XORQ   BX, BX
	TESTQ  R10, R10
	JNZ    win_left_copy
win_left_zero:
	VMOVUPS Y15, (DI)(BX*1)
	ADDQ   $32, BX
	CMPQ   BX, R9
	JLT    win_left_zero
	JMP    win_mid
win_left_copy:
	VMOVUPS (R11)(BX*1), Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ   $32, BX
	CMPQ   BX, R9
	JLT    win_left_copy
win_mid:
	ADDQ   R9, DI
	ADDQ   R9, R11
	XORQ   BX, BX
win_mid_copy:
	VMOVUPS (R11)(BX*1), Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ   $32, BX
	CMPQ   BX, R9
	JLT    win_mid_copy
	ADDQ   R9, DI
	ADDQ   R9, R11
	// right third
	XORQ   BX, BX
	LEAQ   1(R10), AX
	CMPQ   AX, R8
	JLT    win_right_copy
win_right_zero:
	VMOVUPS Y15, (DI)(BX*1)
	ADDQ   $32, BX
	CMPQ   BX, R9
	JLT    win_right_zero
	JMP    win_next
win_right_copy:
	VMOVUPS (R11)(BX*1), Y0
	VMOVUPS Y0, (DI)(BX*1)
	ADDQ   $32, BX
	CMPQ   BX, R9
	JLT    win_right_copy
win_next:
	// back to the next pixel's window: row + x·c, dst already advanced
	ADDQ   R9, DI
	SUBQ   R9, R11
	INCQ   R10
	CMPQ   R10, R8
	JLT    win_pixel
	VZEROUPPER
	RET

// func sumSquaresAVX2(x *float32, n int) float64
// Widens each half of a vector to float64 and accumulates the squares in
// two float64 accumulators per half, summed at the end in a fixed order.
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	SHRQ   $3, CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
ssq_loop:
	VCVTPS2PD   (SI), Y2
	VCVTPS2PD   16(SI), Y3
	VFMADD231PD Y2, Y2, Y0
	VFMADD231PD Y3, Y3, Y1
	ADDQ        $32, SI
	DECQ        CX
	JNZ         ssq_loop
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VHADDPD      X0, X0, X0
	VMOVSD       X0, ret+16(FP)
	VZEROUPPER
	RET

// func scaleAVX2(x *float32, n int, f float32)
TEXT ·scaleAVX2(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), DI
	MOVQ         n+8(FP), CX
	SHRQ         $3, CX
	VBROADCASTSS f+16(FP), Y1
scale_loop:
	VMULPS  (DI), Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	DECQ    CX
	JNZ     scale_loop
	VZEROUPPER
	RET

