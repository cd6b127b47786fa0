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
