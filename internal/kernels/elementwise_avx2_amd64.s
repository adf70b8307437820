//go:build !noasm

#include "textflag.h"
#include "go_asm.h"

// AVX2+FMA float32 elementwise kernels. Each computes what its pure-Go twin
// in elementwise_f32.go computes; the Go declarations, with the doc
// comments, are in elementwise_amd64.go.
//
// The loops take 8 floats per YMM register and finish with one masked
// iteration (VMASKMOVPS, mask Y12) for the last len%8 elements, so no
// element outside the slices is read or written. Constants are read from
// vecConsts, where each is stored 8 times so that it can be a memory
// operand; DI is dst, SI and DX the sources, CX the number of elements left.
//
// Immediates (Intel SDM, CMPPS and ROUNDPS): VCMPPS predicate $0 is EQ_OQ
// (==, false for NaN), $3 UNORD_Q (a NaN), $0x11 LT_OQ (<, false for NaN),
// $0x15 NLT_UQ (not <, true for NaN), $0x1a NGT_UQ (not >, true for NaN),
// $0x1e GT_OQ (>, false for NaN); rounding mode $0 is to nearest even.

#define C(off) ·vecConsts+off(SB)

// Y12 = the mask of the first CX lanes (CX < 8), read from tailMask at
// 32 − 4·CX bytes. CX is scaled by 4.
#define TAIL_MASK \
	LEAQ    ·tailMask+32(SB), AX; \
	SHLQ    $2, CX; \
	SUBQ    CX, AX; \
	VMOVDQU (AX), Y12

// EXP_REDUCE is expReduce: it sets N = n (as a float) and T = t, with
// e^x ≈ 2^n·(1+t), clobbering X (to r) and S; expMin is in Y14 and expMax
// in Y15. X is the second source of VMAXPS and VMINPS, which return it when
// it is NaN, so NaN passes through the clamp.
#define EXP_REDUCE(X, N, T, S) \
	VMAXPS       X, Y14, X; \
	VMINPS       X, Y15, X; \
	VMULPS       C(const_offLog2e), X, N; \
	VROUNDPS     $0, N, N; \
	VFNMADD231PS C(const_offLn2Hi), N, X; \
	VFNMADD231PS C(const_offLn2Lo), N, X; \
	VMOVUPS      C(const_offExpC7), T; \
	VFMADD213PS  C(const_offExpC6), X, T; \
	VFMADD213PS  C(const_offExpC5), X, T; \
	VFMADD213PS  C(const_offExpC4), X, T; \
	VFMADD213PS  C(const_offExpC3), X, T; \
	VFMADD213PS  C(const_offExpC2), X, T; \
	VMULPS       X, X, S; \
	VFMADD213PS  X, S, T

// POW2 turns N = n (a float) into the two factors of ldexp32: N = 2^(n−h)
// and H = 2^h, h = n>>1, as float bit patterns.
#define POW2(N, H) \
	VCVTPS2DQ N, N; \
	VPSRAD    $1, N, H; \
	VPSUBD    H, N, N; \
	VPADDD    C(const_offBias), H, H; \
	VPSLLD    $23, H, H; \
	VPADDD    C(const_offBias), N, N; \
	VPSLLD    $23, N, N

// EXP sets X = exp32(X), using T1-T3.
#define EXP(X, T1, T2, T3) \
	EXP_REDUCE(X, T1, T2, T3); \
	VADDPS C(const_offOne), T2, T2; \
	POW2(T1, T3); \
	VMULPS T3, T2, T2; \
	VMULPS T1, T2, X

#define LOAD_EXP_CONSTS \
	VMOVUPS C(const_offExpMin), Y14; \
	VMOVUPS C(const_offExpMax), Y15

// TANH sets X = tanh32(X), using A, E and T1-T3: the formula for |x| and
// the polynomial are both computed, then blended on |x| < tanhSmall, and
// the sign of x is put back.
#define TANH(X, A, E, T1, T2, T3) \
	VANDPS      C(const_offAbsMask), X, A; \
	VXORPS      A, X, X; \
	VADDPS      A, A, E; \
	EXP(E, T1, T2, T3); \
	VADDPS      C(const_offOne), E, E; \
	VMOVUPS     C(const_offTwo), T1; \
	VDIVPS      E, T1, E; \
	VMOVUPS     C(const_offOne), T1; \
	VSUBPS      E, T1, E; \
	VMULPS      A, A, T1; \
	VMOVUPS     C(const_offTanhP4), T2; \
	VFMADD213PS C(const_offTanhP3), T1, T2; \
	VFMADD213PS C(const_offTanhP2), T1, T2; \
	VFMADD213PS C(const_offTanhP1), T1, T2; \
	VFMADD213PS C(const_offTanhP0), T1, T2; \
	VMULPS      T1, A, T1; \
	VFMADD213PS A, T1, T2; \
	VCMPPS      $0x11, C(const_offTanhSmall), A, T3; \
	VBLENDVPS   T3, T2, E, E; \
	VORPS       E, X, X

// SIGMOID sets X = sigmoid32(X), using A, E and T1-T3, step by step as
// sigmoid32 does; A is all ones where the sign bit of x is set.
#define SIGMOID(X, A, E, T1, T2, T3) \
	VORPS        C(const_offSignMask), X, E; \
	EXP_REDUCE(E, T1, T2, T3); \
	VADDPS       C(const_offOne), T2, E; \
	VMOVUPS      C(const_offOne), T3; \
	VSUBPS       E, T3, T3; \
	VADDPS       T2, T3, T3; \
	POW2(T1, T2); \
	VMULPS       T2, E, E; \
	VMULPS       T1, E, E; \
	VMULPS       T2, T3, T3; \
	VMULPS       T1, T3, T3; \
	VADDPS       C(const_offOne), E, T1; \
	VMOVUPS      C(const_offOne), T2; \
	VSUBPS       T1, T2, T2; \
	VADDPS       E, T2, T2; \
	VADDPS       T3, T2, T2; \
	VPSRAD       $31, X, A; \
	VANDPS       A, T3, T3; \
	VMOVUPS      C(const_offOne), X; \
	VBLENDVPS    A, E, X, X; \
	VDIVPS       T1, X, E; \
	VFNMADD231PS E, T1, X; \
	VADDPS       T3, X, X; \
	VFNMADD231PS T2, E, X; \
	VMOVUPS      C(const_offOne), T1; \
	VSUBPS       E, T1, T1; \
	VBLENDVPS    A, T1, E, T1; \
	VFMADD213PS  E, T1, X

// LOG sets X = log32(X), using M, E, Z, P and T, step by step as log32
// and logReduce do: a subnormal x (T: x < 2^−126) is scaled by 2^23 and
// its exponent corrected by −23; adding logShift to the bits carries into
// the exponent field when the mantissa is at least √2's, and the mantissa
// field plus logSqrtHalf is m in [√½, √2). M then holds f = m − 1, Z f²
// and P the sum. Last, the special values are blended in: x itself for
// NaN and +Inf (T: not x < +Inf), −Inf for ±0 and NaN for x < 0.
#define LOG(X, M, E, Z, P, T) \
	VCMPPS       $0x11, C(const_offLogMinNormal), X, T; \
	VMULPS       C(const_offLogTwo23), X, M; \
	VBLENDVPS    T, M, X, M; \
	VANDPS       C(const_offLogMinus23), T, T; \
	VPADDD       C(const_offLogShift), M, M; \
	VPSRLD       $23, M, E; \
	VPSUBD       C(const_offBias), E, E; \
	VCVTDQ2PS    E, E; \
	VADDPS       T, E, E; \
	VPAND        C(const_offLogMantMask), M, M; \
	VPADDD       C(const_offLogSqrtHalf), M, M; \
	VSUBPS       C(const_offOne), M, M; \
	VMULPS       M, M, Z; \
	VMOVUPS      C(const_offLogP8), P; \
	VFMADD213PS  C(const_offLogP7), M, P; \
	VFMADD213PS  C(const_offLogP6), M, P; \
	VFMADD213PS  C(const_offLogP5), M, P; \
	VFMADD213PS  C(const_offLogP4), M, P; \
	VFMADD213PS  C(const_offLogP3), M, P; \
	VFMADD213PS  C(const_offLogP2), M, P; \
	VFMADD213PS  C(const_offLogP1), M, P; \
	VFMADD213PS  C(const_offLogP0), M, P; \
	VMULPS       M, P, P; \
	VMULPS       Z, P, P; \
	VFMADD231PS  C(const_offLogLn2Lo), E, P; \
	VFNMADD231PS C(const_offHalf), Z, P; \
	VADDPS       M, P, P; \
	VFMADD231PS  C(const_offLogLn2Hi), E, P; \
	VCMPPS       $0x15, C(const_offInf), X, T; \
	VBLENDVPS    T, X, P, P; \
	VXORPS       Z, Z, Z; \
	VCMPPS       $0, Z, X, T; \
	VBLENDVPS    T, C(const_offNegInf), P, P; \
	VCMPPS       $0x11, Z, X, T; \
	VBLENDVPS    T, C(const_offNaN), P, P; \
	VMOVAPS      P, X

// MAP1 runs OP(X, T1, T2) over dst[i] = op(src[i]), 32 elements per
// iteration.
#define MAP1(OP) \
loop32: \
	CMPQ    CX, $32; \
	JB      loop8; \
	VMOVUPS (SI), Y0; \
	VMOVUPS 32(SI), Y1; \
	VMOVUPS 64(SI), Y2; \
	VMOVUPS 96(SI), Y3; \
	OP(Y0, Y4, Y8); \
	OP(Y1, Y5, Y9); \
	OP(Y2, Y6, Y10); \
	OP(Y3, Y7, Y11); \
	VMOVUPS Y0, (DI); \
	VMOVUPS Y1, 32(DI); \
	VMOVUPS Y2, 64(DI); \
	VMOVUPS Y3, 96(DI); \
	ADDQ    $128, SI; \
	ADDQ    $128, DI; \
	SUBQ    $32, CX; \
	JMP     loop32; \
loop8: \
	CMPQ    CX, $8; \
	JB      tail; \
	VMOVUPS (SI), Y0; \
	OP(Y0, Y4, Y8); \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DI; \
	SUBQ    $8, CX; \
	JMP     loop8; \
tail: \
	TESTQ      CX, CX; \
	JZ         done; \
	TAIL_MASK; \
	VMASKMOVPS (SI), Y12, Y0; \
	OP(Y0, Y4, Y8); \
	VMASKMOVPS Y0, Y12, (DI); \
done: \
	VZEROUPPER; \
	RET

// MAP2 runs OP(X, Y, T) over dst[i] = op(src[i], src2[i]) (SI and DX),
// with the result in X, 32 elements per iteration.
#define MAP2(OP) \
loop32: \
	CMPQ    CX, $32; \
	JB      loop8; \
	VMOVUPS (SI), Y0; \
	VMOVUPS 32(SI), Y1; \
	VMOVUPS 64(SI), Y2; \
	VMOVUPS 96(SI), Y3; \
	VMOVUPS (DX), Y4; \
	VMOVUPS 32(DX), Y5; \
	VMOVUPS 64(DX), Y6; \
	VMOVUPS 96(DX), Y7; \
	OP(Y0, Y4, Y8); \
	OP(Y1, Y5, Y9); \
	OP(Y2, Y6, Y10); \
	OP(Y3, Y7, Y11); \
	VMOVUPS Y0, (DI); \
	VMOVUPS Y1, 32(DI); \
	VMOVUPS Y2, 64(DI); \
	VMOVUPS Y3, 96(DI); \
	ADDQ    $128, SI; \
	ADDQ    $128, DX; \
	ADDQ    $128, DI; \
	SUBQ    $32, CX; \
	JMP     loop32; \
loop8: \
	CMPQ    CX, $8; \
	JB      tail; \
	VMOVUPS (SI), Y0; \
	VMOVUPS (DX), Y4; \
	OP(Y0, Y4, Y8); \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DX; \
	ADDQ    $32, DI; \
	SUBQ    $8, CX; \
	JMP     loop8; \
tail: \
	TESTQ      CX, CX; \
	JZ         done; \
	TAIL_MASK; \
	VMASKMOVPS (SI), Y12, Y0; \
	VMASKMOVPS (DX), Y12, Y4; \
	OP(Y0, Y4, Y8); \
	VMASKMOVPS Y0, Y12, (DI); \
done: \
	VZEROUPPER; \
	RET

// MAPT runs a transcendental OP(X, A, E, T1, T2, T3) over dst[i] =
// op(src[i]), 16 elements per iteration (each needs six registers).
#define MAPT(OP) \
loop16: \
	CMPQ    CX, $16; \
	JB      loop8; \
	VMOVUPS (SI), Y0; \
	VMOVUPS 32(SI), Y6; \
	OP(Y0, Y1, Y2, Y3, Y4, Y5); \
	OP(Y6, Y7, Y8, Y9, Y10, Y11); \
	VMOVUPS Y0, (DI); \
	VMOVUPS Y6, 32(DI); \
	ADDQ    $64, SI; \
	ADDQ    $64, DI; \
	SUBQ    $16, CX; \
	JMP     loop16; \
loop8: \
	CMPQ    CX, $8; \
	JB      tail; \
	VMOVUPS (SI), Y0; \
	OP(Y0, Y1, Y2, Y3, Y4, Y5); \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DI; \
	SUBQ    $8, CX; \
	JMP     loop8; \
tail: \
	TESTQ      CX, CX; \
	JZ         done; \
	TAIL_MASK; \
	VMASKMOVPS (SI), Y12, Y0; \
	OP(Y0, Y1, Y2, Y3, Y4, Y5); \
	VMASKMOVPS Y0, Y12, (DI); \
done: \
	VZEROUPPER; \
	RET

#define UNARY_ARGS \
	MOVQ dst_base+0(FP), DI; \
	MOVQ dst_len+8(FP), CX; \
	MOVQ a_base+24(FP), SI

#define BINARY_ARGS \
	UNARY_ARGS; \
	MOVQ b_base+48(FP), DX

// Each OP adapts an operation to MAP1, MAP2 or MAPT. Y15 is 0 and Y14 the
// scalar argument where they are used.
#define OP_RELU(X, T1, T2) VMAXPS Y15, X, X
#define OP_ADDS(X, T1, T2) VADDPS Y14, X, X
#define OP_MULS(X, T1, T2) VMULPS Y14, X, X
#define OP_LEAKY(X, T1, T2) \
	VCMPPS    $0x1e, Y15, X, T1; \
	VMULPS    Y14, X, T2; \
	VBLENDVPS T1, X, T2, X
#define OP_ADD(X, Y, T) VADDPS Y, X, X
#define OP_SUB(X, Y, T) VSUBPS Y, X, X
#define OP_MUL(X, Y, T) VMULPS Y, X, X
#define OP_DIV(X, Y, T) VDIVPS Y, X, X
#define OP_RELUGRAD(X, Y, T) \
	VCMPPS $0x1e, Y15, X, T; \
	VANDPS Y, T, X
#define OP_AXPY(X, Y, T) VFMADD213PS Y, Y14, X
#define OP_EXP(X, A, E, T1, T2, T3) EXP(X, A, E, T1)
#define OP_TANH(X, A, E, T1, T2, T3) TANH(X, A, E, T1, T2, T3)
#define OP_SIGMOID(X, A, E, T1, T2, T3) SIGMOID(X, A, E, T1, T2, T3)
#define OP_LOG(X, A, E, T1, T2, T3) LOG(X, A, E, T1, T2, T3)

// func reluAVX2(dst, a []float32)
TEXT ·reluAVX2(SB), NOSPLIT, $0-48
	UNARY_ARGS
	VXORPS Y15, Y15, Y15 // MAXPS(x, 0) returns its second source, 0, when x is NaN
	MAP1(OP_RELU)

// func addScalarAVX2(dst, a []float32, s float32)
TEXT ·addScalarAVX2(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS s+48(FP), Y14
	MAP1(OP_ADDS)

// func mulScalarAVX2(dst, a []float32, s float32)
TEXT ·mulScalarAVX2(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS s+48(FP), Y14
	MAP1(OP_MULS)

// func leakyReLUAVX2(dst, a []float32, alpha float32)
// T1 = (x > 0) selects x; elsewhere, NaN included, alpha·x.
TEXT ·leakyReLUAVX2(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS alpha+48(FP), Y14
	VXORPS       Y15, Y15, Y15
	MAP1(OP_LEAKY)

// func addAVX2(dst, a, b []float32)
TEXT ·addAVX2(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_ADD)

// func subAVX2(dst, a, b []float32)
TEXT ·subAVX2(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_SUB)

// func mulAVX2(dst, a, b []float32)
TEXT ·mulAVX2(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_MUL)

// func divAVX2(dst, a, b []float32)
TEXT ·divAVX2(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_DIV)

// func reluGradAVX2(dx, dy, x []float32)
// X holds x and Y dy: the result is dy where x > 0 (ordered: not for NaN).
TEXT ·reluGradAVX2(SB), NOSPLIT, $0-72
	MOVQ   dx_base+0(FP), DI
	MOVQ   dx_len+8(FP), CX
	MOVQ   x_base+48(FP), SI
	MOVQ   dy_base+24(FP), DX
	VXORPS Y15, Y15, Y15
	MAP2(OP_RELUGRAD)

// func axpyAVX2(alpha float32, x, y []float32)
// X holds x and Y y: the result is alpha·x + y with one rounding.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), CX
	MOVQ         x_base+8(FP), SI
	MOVQ         DI, DX
	VBROADCASTSS alpha+0(FP), Y14
	MAP2(OP_AXPY)

// func expAVX2(dst, a []float32)
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_EXP)

// func tanhAVX2(dst, a []float32)
TEXT ·tanhAVX2(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_TANH)

// func sigmoidAVX2(dst, a []float32)
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_SIGMOID)

// func logAVX2(dst, a []float32)
TEXT ·logAVX2(SB), NOSPLIT, $0-48
	UNARY_ARGS
	MAPT(OP_LOG)

// func expShiftSumAVX2(dst, a []float32, shift float32) float32
// The sum is kept in Y4 and Y5 and added up at the end; the tail adds only
// its masked lanes.
TEXT ·expShiftSumAVX2(SB), NOSPLIT, $0-60
	UNARY_ARGS
	LOAD_EXP_CONSTS
	VBROADCASTSS shift+48(FP), Y13
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5

loop16:
	CMPQ    CX, $16
	JB      loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y6
	VSUBPS  Y13, Y0, Y0
	VSUBPS  Y13, Y6, Y6
	EXP(Y0, Y1, Y2, Y3)
	EXP(Y6, Y7, Y8, Y9)
	VMOVUPS Y0, (DI)
	VMOVUPS Y6, 32(DI)
	VADDPS  Y0, Y4, Y4
	VADDPS  Y6, Y5, Y5
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

loop8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	VSUBPS  Y13, Y0, Y0
	EXP(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)
	VADDPS  Y0, Y4, Y4
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     loop8

tail:
	TESTQ      CX, CX
	JZ         sum
	TAIL_MASK
	VMASKMOVPS (SI), Y12, Y0
	VSUBPS     Y13, Y0, Y0
	EXP(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, Y12, (DI)
	VANDPS     Y12, Y0, Y0
	VADDPS     Y0, Y5, Y5

sum:
	VADDPS       Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS       X5, X4, X4
	VMOVHLPS     X4, X4, X5
	VADDPS       X5, X4, X4
	VMOVSHDUP    X4, X5
	VADDSS       X5, X4, X4
	VMOVSS       X4, ret+56(FP)
	VZEROUPPER
	RET
