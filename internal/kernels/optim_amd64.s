//go:build !noasm

#include "textflag.h"

// Float32 optimizer sweeps: each reads a weight, its gradient and its slots
// once, clips the gradient and applies the update rule, 16 lanes at a time
// with AVX-512 or 8 with AVX2, and handles the last partial vector with
// masked loads and stores, so nothing outside the slices is touched. Every
// operation is rounded separately (no FMA) and VSQRTPS is exact, so the
// results equal those of the Go twins in optim_twin.go bit for bit.
//
// Register use in every sweep: DI = w, SI = g, R8 and R9 = the slots, CX =
// the length, BX = the index of the current vector, DX = the length rounded
// down to whole vectors. The macro SWEEPn(body) loads the vectors of the n
// arrays (w → 3, g → 0, slot 1 → 1, slot 2 → 2), runs body on them and
// stores back those the update writes. The argument structs are read
// through AX at the field offsets checked by TestOptimArgsLayout.

// ---------------------------------------------------------------------------
// AVX-512: vectors Z0-Z3, temporaries Z4-Z7, constants Z20-Z26 (Z20-Z22 the
// clipping scale, lower and upper bound).

#define SWEEP512_4(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-16, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Z0; \
	VMOVUPS (R8)(BX*4), Z1; \
	VMOVUPS (R9)(BX*4), Z2; \
	VMOVUPS (DI)(BX*4), Z3; \
	body; \
	VMOVUPS Z1, (R8)(BX*4); \
	VMOVUPS Z2, (R9)(BX*4); \
	VMOVUPS Z3, (DI)(BX*4); \
	ADDQ $16, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ  BX, CX; \
	JZ    done; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1; \
	VMOVUPS.Z (SI)(BX*4), K1, Z0; \
	VMOVUPS.Z (R8)(BX*4), K1, Z1; \
	VMOVUPS.Z (R9)(BX*4), K1, Z2; \
	VMOVUPS.Z (DI)(BX*4), K1, Z3; \
	body; \
	VMOVUPS Z1, K1, (R8)(BX*4); \
	VMOVUPS Z2, K1, (R9)(BX*4); \
	VMOVUPS Z3, K1, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP512_3(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-16, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Z0; \
	VMOVUPS (R8)(BX*4), Z1; \
	VMOVUPS (DI)(BX*4), Z3; \
	body; \
	VMOVUPS Z1, (R8)(BX*4); \
	VMOVUPS Z3, (DI)(BX*4); \
	ADDQ $16, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ  BX, CX; \
	JZ    done; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1; \
	VMOVUPS.Z (SI)(BX*4), K1, Z0; \
	VMOVUPS.Z (R8)(BX*4), K1, Z1; \
	VMOVUPS.Z (DI)(BX*4), K1, Z3; \
	body; \
	VMOVUPS Z1, K1, (R8)(BX*4); \
	VMOVUPS Z3, K1, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP512_2(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-16, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Z0; \
	VMOVUPS (DI)(BX*4), Z3; \
	body; \
	VMOVUPS Z3, (DI)(BX*4); \
	ADDQ $16, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ  BX, CX; \
	JZ    done; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1; \
	VMOVUPS.Z (SI)(BX*4), K1, Z0; \
	VMOVUPS.Z (DI)(BX*4), K1, Z3; \
	body; \
	VMOVUPS Z3, K1, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP512_1(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-16, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (DI)(BX*4), Z3; \
	body; \
	VMOVUPS Z3, (DI)(BX*4); \
	ADDQ $16, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ  BX, CX; \
	JZ    done; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1; \
	VMOVUPS.Z (DI)(BX*4), K1, Z3; \
	body; \
	VMOVUPS Z3, K1, (DI)(BX*4); \
done: \
	VZEROUPPER

// CLIP512 broadcasts the Clip at (AX) and ARGS512_n the n float32 fields
// after it.
#define CLIP512 \
	VBROADCASTSS 0(AX), Z20; \
	VBROADCASTSS 4(AX), Z21; \
	VBROADCASTSS 8(AX), Z22

#define ARGS512_2 \
	CLIP512; \
	VBROADCASTSS 12(AX), Z23; \
	VBROADCASTSS 16(AX), Z24

#define ARGS512_4 \
	ARGS512_2; \
	VBROADCASTSS 20(AX), Z25; \
	VBROADCASTSS 24(AX), Z26

// CLIPG512 clips the gradient in Z0: g = scale*g; g = lo > g ? lo : g;
// g = hi < g ? hi : g (VMAXPS and VMINPS return their second source, g,
// when either is NaN).
#define CLIPG512 \
	VMULPS Z20, Z0, Z0; \
	VMAXPS Z0, Z21, Z0; \
	VMINPS Z0, Z22, Z0

// Z23 alpha, Z24 1-beta1, Z25 1-beta2, Z26 epsilon.
#define ADAM512 \
	CLIPG512; \
	VSUBPS  Z1, Z0, Z4; \
	VMULPS  Z24, Z4, Z4; \
	VADDPS  Z4, Z1, Z1; \
	VMULPS  Z0, Z0, Z5; \
	VSUBPS  Z2, Z5, Z5; \
	VMULPS  Z25, Z5, Z5; \
	VADDPS  Z5, Z2, Z2; \
	VSQRTPS Z2, Z6; \
	VADDPS  Z26, Z6, Z6; \
	VMULPS  Z23, Z1, Z7; \
	VDIVPS  Z6, Z7, Z7; \
	VSUBPS  Z7, Z3, Z3

// Z23 lr.
#define SGD512 \
	CLIPG512; \
	VMULPS Z23, Z0, Z0; \
	VSUBPS Z0, Z3, Z3

// Z23 lr, Z24 momentum.
#define SGDMOM512 \
	CLIPG512; \
	VMULPS Z23, Z0, Z0; \
	VMULPS Z24, Z1, Z1; \
	VSUBPS Z0, Z1, Z1; \
	VADDPS Z1, Z3, Z3

#define SGDNESTEROV512 \
	CLIPG512; \
	VMULPS Z23, Z0, Z0; \
	VMULPS Z24, Z1, Z1; \
	VSUBPS Z0, Z1, Z1; \
	VMULPS Z24, Z1, Z4; \
	VSUBPS Z0, Z4, Z4; \
	VADDPS Z4, Z3, Z3

// Z23 lr, Z24 rho, Z25 1-rho, Z26 epsilon.
#define RMSPROP512 \
	CLIPG512; \
	VMULPS  Z24, Z1, Z1; \
	VMULPS  Z0, Z0, Z4; \
	VMULPS  Z25, Z4, Z4; \
	VADDPS  Z4, Z1, Z1; \
	VADDPS  Z26, Z1, Z5; \
	VSQRTPS Z5, Z5; \
	VMULPS  Z23, Z0, Z6; \
	VDIVPS  Z5, Z6, Z6; \
	VSUBPS  Z6, Z3, Z3

// Z23 lr, Z24 epsilon.
#define ADAGRAD512 \
	CLIPG512; \
	VMULPS  Z0, Z0, Z4; \
	VADDPS  Z4, Z1, Z1; \
	VADDPS  Z24, Z1, Z5; \
	VSQRTPS Z5, Z5; \
	VMULPS  Z23, Z0, Z6; \
	VDIVPS  Z5, Z6, Z6; \
	VSUBPS  Z6, Z3, Z3

// Z23 f.
#define DECAY512 \
	VMULPS Z23, Z3, Z4; \
	VSUBPS Z4, Z3, Z3

// func adamAVX512(w, g, m, v []float32, a *AdamArgs)
TEXT ·adamAVX512(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ a+96(FP), AX
	ARGS512_4
	SWEEP512_4(ADAM512)
	RET

// func sgdAVX512(w, g []float32, a *SGDArgs)
TEXT ·sgdAVX512(SB), NOSPLIT, $0-56
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ a+48(FP), AX
	ARGS512_2
	SWEEP512_2(SGD512)
	RET

// func sgdMomentumAVX512(w, g, m []float32, a *SGDArgs)
TEXT ·sgdMomentumAVX512(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS512_2
	SWEEP512_3(SGDMOM512)
	RET

// func sgdNesterovAVX512(w, g, m []float32, a *SGDArgs)
TEXT ·sgdNesterovAVX512(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS512_2
	SWEEP512_3(SGDNESTEROV512)
	RET

// func rmspropAVX512(w, g, v []float32, a *RMSpropArgs)
TEXT ·rmspropAVX512(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ v_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS512_4
	SWEEP512_3(RMSPROP512)
	RET

// func adagradAVX512(w, g, acc []float32, a *AdagradArgs)
TEXT ·adagradAVX512(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ acc_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS512_2
	SWEEP512_3(ADAGRAD512)
	RET

// func decayWeightsAVX512(w []float32, f float32)
TEXT ·decayWeightsAVX512(SB), NOSPLIT, $0-28
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), CX
	VBROADCASTSS f+24(FP), Z23
	SWEEP512_1(DECAY512)
	RET

// func sumSquaresAVX512(x []float32) float64
//
// Z0-Z3 hold the 32 float64 partial sums (Z(k) lane l: elements 8k+l mod
// 32); each step converts 32 floats to float64 and adds their squares with
// a fused multiply-add, which rounds exactly as a separate multiply and add
// would, since the square of a float32 is exact in float64. The tail loads
// under the masks K1 (elements 0-7 of the last 32) to K4 (24-31), with
// zeros elsewhere, which add nothing.
TEXT ·sumSquaresAVX512(SB), NOSPLIT, $0-32
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	XORQ   BX, BX
	MOVQ   CX, DX
	ANDQ   $-32, DX
	JZ     sqtail

sqloop:
	VCVTPS2PD   (SI)(BX*4), Z4
	VCVTPS2PD   32(SI)(BX*4), Z5
	VCVTPS2PD   64(SI)(BX*4), Z6
	VCVTPS2PD   96(SI)(BX*4), Z7
	VFMADD231PD Z4, Z4, Z0
	VFMADD231PD Z5, Z5, Z1
	VFMADD231PD Z6, Z6, Z2
	VFMADD231PD Z7, Z7, Z3
	ADDQ        $32, BX
	CMPQ        BX, DX
	JLT         sqloop

sqtail:
	SUBQ        BX, CX
	JZ          sqreduce
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVD       AX, K1
	KSHIFTRD    $8, K1, K2
	KSHIFTRD    $16, K1, K3
	KSHIFTRD    $24, K1, K4
	VCVTPS2PD.Z (SI)(BX*4), K1, Z4
	VCVTPS2PD.Z 32(SI)(BX*4), K2, Z5
	VCVTPS2PD.Z 64(SI)(BX*4), K3, Z6
	VCVTPS2PD.Z 96(SI)(BX*4), K4, Z7
	VFMADD231PD Z4, Z4, Z0
	VFMADD231PD Z5, Z5, Z1
	VFMADD231PD Z6, Z6, Z2
	VFMADD231PD Z7, Z7, Z3

sqreduce: // in the order of reduceLanes
	VADDPD        Z1, Z0, Z0
	VADDPD        Z3, Z2, Z2
	VADDPD        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VADDSD        X1, X0, X0
	VMOVSD        X0, ret+24(FP)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2: vectors Y0-Y3, temporaries Y4-Y7, constants Y8-Y14 (Y8-Y10 the
// clipping scale, lower and upper bound), Y15 the tail's mask, loaded from
// optimTailMask at 8 minus the elements left.

DATA optimTailMask<>+0(SB)/4, $0xffffffff
DATA optimTailMask<>+4(SB)/4, $0xffffffff
DATA optimTailMask<>+8(SB)/4, $0xffffffff
DATA optimTailMask<>+12(SB)/4, $0xffffffff
DATA optimTailMask<>+16(SB)/4, $0xffffffff
DATA optimTailMask<>+20(SB)/4, $0xffffffff
DATA optimTailMask<>+24(SB)/4, $0xffffffff
DATA optimTailMask<>+28(SB)/4, $0xffffffff
DATA optimTailMask<>+32(SB)/4, $0
DATA optimTailMask<>+36(SB)/4, $0
DATA optimTailMask<>+40(SB)/4, $0
DATA optimTailMask<>+44(SB)/4, $0
DATA optimTailMask<>+48(SB)/4, $0
DATA optimTailMask<>+52(SB)/4, $0
DATA optimTailMask<>+56(SB)/4, $0
DATA optimTailMask<>+60(SB)/4, $0
GLOBL optimTailMask<>(SB), RODATA|NOPTR, $64

#define TAILMASK256 \
	MOVQ    $8, AX; \
	SUBQ    CX, AX; \
	LEAQ    optimTailMask<>(SB), R10; \
	VMOVUPS (R10)(AX*4), Y15

#define SWEEP256_4(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-8, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Y0; \
	VMOVUPS (R8)(BX*4), Y1; \
	VMOVUPS (R9)(BX*4), Y2; \
	VMOVUPS (DI)(BX*4), Y3; \
	body; \
	VMOVUPS Y1, (R8)(BX*4); \
	VMOVUPS Y2, (R9)(BX*4); \
	VMOVUPS Y3, (DI)(BX*4); \
	ADDQ $8, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ BX, CX; \
	JZ   done; \
	TAILMASK256; \
	VMASKMOVPS (SI)(BX*4), Y15, Y0; \
	VMASKMOVPS (R8)(BX*4), Y15, Y1; \
	VMASKMOVPS (R9)(BX*4), Y15, Y2; \
	VMASKMOVPS (DI)(BX*4), Y15, Y3; \
	body; \
	VMASKMOVPS Y1, Y15, (R8)(BX*4); \
	VMASKMOVPS Y2, Y15, (R9)(BX*4); \
	VMASKMOVPS Y3, Y15, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP256_3(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-8, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Y0; \
	VMOVUPS (R8)(BX*4), Y1; \
	VMOVUPS (DI)(BX*4), Y3; \
	body; \
	VMOVUPS Y1, (R8)(BX*4); \
	VMOVUPS Y3, (DI)(BX*4); \
	ADDQ $8, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ BX, CX; \
	JZ   done; \
	TAILMASK256; \
	VMASKMOVPS (SI)(BX*4), Y15, Y0; \
	VMASKMOVPS (R8)(BX*4), Y15, Y1; \
	VMASKMOVPS (DI)(BX*4), Y15, Y3; \
	body; \
	VMASKMOVPS Y1, Y15, (R8)(BX*4); \
	VMASKMOVPS Y3, Y15, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP256_2(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-8, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (SI)(BX*4), Y0; \
	VMOVUPS (DI)(BX*4), Y3; \
	body; \
	VMOVUPS Y3, (DI)(BX*4); \
	ADDQ $8, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ BX, CX; \
	JZ   done; \
	TAILMASK256; \
	VMASKMOVPS (SI)(BX*4), Y15, Y0; \
	VMASKMOVPS (DI)(BX*4), Y15, Y3; \
	body; \
	VMASKMOVPS Y3, Y15, (DI)(BX*4); \
done: \
	VZEROUPPER

#define SWEEP256_1(body) \
	XORQ BX, BX; \
	MOVQ CX, DX; \
	ANDQ $-8, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (DI)(BX*4), Y3; \
	body; \
	VMOVUPS Y3, (DI)(BX*4); \
	ADDQ $8, BX; \
	CMPQ BX, DX; \
	JLT  loop; \
tail: \
	SUBQ BX, CX; \
	JZ   done; \
	TAILMASK256; \
	VMASKMOVPS (DI)(BX*4), Y15, Y3; \
	body; \
	VMASKMOVPS Y3, Y15, (DI)(BX*4); \
done: \
	VZEROUPPER

#define CLIP256 \
	VBROADCASTSS 0(AX), Y8; \
	VBROADCASTSS 4(AX), Y9; \
	VBROADCASTSS 8(AX), Y10

#define ARGS256_2 \
	CLIP256; \
	VBROADCASTSS 12(AX), Y11; \
	VBROADCASTSS 16(AX), Y12

#define ARGS256_4 \
	ARGS256_2; \
	VBROADCASTSS 20(AX), Y13; \
	VBROADCASTSS 24(AX), Y14

#define CLIPG256 \
	VMULPS Y8, Y0, Y0; \
	VMAXPS Y0, Y9, Y0; \
	VMINPS Y0, Y10, Y0

// Y11 alpha, Y12 1-beta1, Y13 1-beta2, Y14 epsilon.
#define ADAM256 \
	CLIPG256; \
	VSUBPS  Y1, Y0, Y4; \
	VMULPS  Y12, Y4, Y4; \
	VADDPS  Y4, Y1, Y1; \
	VMULPS  Y0, Y0, Y5; \
	VSUBPS  Y2, Y5, Y5; \
	VMULPS  Y13, Y5, Y5; \
	VADDPS  Y5, Y2, Y2; \
	VSQRTPS Y2, Y6; \
	VADDPS  Y14, Y6, Y6; \
	VMULPS  Y11, Y1, Y7; \
	VDIVPS  Y6, Y7, Y7; \
	VSUBPS  Y7, Y3, Y3

// Y11 lr.
#define SGD256 \
	CLIPG256; \
	VMULPS Y11, Y0, Y0; \
	VSUBPS Y0, Y3, Y3

// Y11 lr, Y12 momentum.
#define SGDMOM256 \
	CLIPG256; \
	VMULPS Y11, Y0, Y0; \
	VMULPS Y12, Y1, Y1; \
	VSUBPS Y0, Y1, Y1; \
	VADDPS Y1, Y3, Y3

#define SGDNESTEROV256 \
	CLIPG256; \
	VMULPS Y11, Y0, Y0; \
	VMULPS Y12, Y1, Y1; \
	VSUBPS Y0, Y1, Y1; \
	VMULPS Y12, Y1, Y4; \
	VSUBPS Y0, Y4, Y4; \
	VADDPS Y4, Y3, Y3

// Y11 lr, Y12 rho, Y13 1-rho, Y14 epsilon.
#define RMSPROP256 \
	CLIPG256; \
	VMULPS  Y12, Y1, Y1; \
	VMULPS  Y0, Y0, Y4; \
	VMULPS  Y13, Y4, Y4; \
	VADDPS  Y4, Y1, Y1; \
	VADDPS  Y14, Y1, Y5; \
	VSQRTPS Y5, Y5; \
	VMULPS  Y11, Y0, Y6; \
	VDIVPS  Y5, Y6, Y6; \
	VSUBPS  Y6, Y3, Y3

// Y11 lr, Y12 epsilon.
#define ADAGRAD256 \
	CLIPG256; \
	VMULPS  Y0, Y0, Y4; \
	VADDPS  Y4, Y1, Y1; \
	VADDPS  Y12, Y1, Y5; \
	VSQRTPS Y5, Y5; \
	VMULPS  Y11, Y0, Y6; \
	VDIVPS  Y5, Y6, Y6; \
	VSUBPS  Y6, Y3, Y3

// Y11 f.
#define DECAY256 \
	VMULPS Y11, Y3, Y4; \
	VSUBPS Y4, Y3, Y3

// func adamAVX2(w, g, m, v []float32, a *AdamArgs)
TEXT ·adamAVX2(SB), NOSPLIT, $0-104
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ a+96(FP), AX
	ARGS256_4
	SWEEP256_4(ADAM256)
	RET

// func sgdAVX2(w, g []float32, a *SGDArgs)
TEXT ·sgdAVX2(SB), NOSPLIT, $0-56
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ a+48(FP), AX
	ARGS256_2
	SWEEP256_2(SGD256)
	RET

// func sgdMomentumAVX2(w, g, m []float32, a *SGDArgs)
TEXT ·sgdMomentumAVX2(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS256_2
	SWEEP256_3(SGDMOM256)
	RET

// func sgdNesterovAVX2(w, g, m []float32, a *SGDArgs)
TEXT ·sgdNesterovAVX2(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS256_2
	SWEEP256_3(SGDNESTEROV256)
	RET

// func rmspropAVX2(w, g, v []float32, a *RMSpropArgs)
TEXT ·rmspropAVX2(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ v_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS256_4
	SWEEP256_3(RMSPROP256)
	RET

// func adagradAVX2(w, g, acc []float32, a *AdagradArgs)
TEXT ·adagradAVX2(SB), NOSPLIT, $0-80
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ acc_base+48(FP), R8
	MOVQ a+72(FP), AX
	ARGS256_2
	SWEEP256_3(ADAGRAD256)
	RET

// func decayWeightsAVX2(w []float32, f float32)
TEXT ·decayWeightsAVX2(SB), NOSPLIT, $0-28
	MOVQ         w_base+0(FP), DI
	MOVQ         w_len+8(FP), CX
	VBROADCASTSS f+24(FP), Y11
	SWEEP256_1(DECAY256)
	RET

// SQBLOCK256 adds the squares of the 32 floats at p to Y0-Y7.
#define SQBLOCK256(p) \
	VCVTPS2PD   0(p), Y8; \
	VCVTPS2PD   16(p), Y9; \
	VCVTPS2PD   32(p), Y10; \
	VCVTPS2PD   48(p), Y11; \
	VCVTPS2PD   64(p), Y12; \
	VCVTPS2PD   80(p), Y13; \
	VCVTPS2PD   96(p), Y14; \
	VCVTPS2PD   112(p), Y15; \
	VFMADD231PD Y8, Y8, Y0; \
	VFMADD231PD Y9, Y9, Y1; \
	VFMADD231PD Y10, Y10, Y2; \
	VFMADD231PD Y11, Y11, Y3; \
	VFMADD231PD Y12, Y12, Y4; \
	VFMADD231PD Y13, Y13, Y5; \
	VFMADD231PD Y14, Y14, Y6; \
	VFMADD231PD Y15, Y15, Y7

// func sumSquaresAVX2(x []float32) float64
//
// Y0-Y7 hold the 32 float64 partial sums (Y(q) lane l: elements 4q+l mod
// 32), as in sumSquaresAVX512. The last partial block of 32 is copied into
// a zeroed block on the stack and summed like the others.
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $128-32
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   BX, BX
	MOVQ   CX, DX
	ANDQ   $-32, DX
	JZ     sqtail

sqloop:
	LEAQ (SI)(BX*4), R10
	SQBLOCK256(R10)
	ADDQ $32, BX
	CMPQ BX, DX
	JLT  sqloop

sqtail:
	SUBQ    BX, CX
	JZ      sqreduce
	LEAQ    (SI)(BX*4), SI
	LEAQ    block-128(SP), R10
	VXORPS  Y8, Y8, Y8
	VMOVUPS Y8, 0(R10)
	VMOVUPS Y8, 32(R10)
	VMOVUPS Y8, 64(R10)
	VMOVUPS Y8, 96(R10)
	XORQ    BX, BX

sqcopy:
	MOVL (SI)(BX*4), AX
	MOVL AX, (R10)(BX*4)
	INCQ BX
	CMPQ BX, CX
	JLT  sqcopy
	SQBLOCK256(R10)

sqreduce: // in the order of reduceLanes
	VADDPD       Y2, Y0, Y0
	VADDPD       Y6, Y4, Y4
	VADDPD       Y4, Y0, Y0
	VADDPD       Y3, Y1, Y1
	VADDPD       Y7, Y5, Y5
	VADDPD       Y5, Y1, Y1
	VADDPD       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       X0, ret+24(FP)
	VZEROUPPER
	RET
