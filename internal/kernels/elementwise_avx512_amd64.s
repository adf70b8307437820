//go:build !noasm

#include "textflag.h"
#include "go_asm.h"

// AVX-512 float32 elementwise kernels (AVX-512F instructions only). Each
// computes what its pure-Go twin in elementwise_f32.go computes; the Go
// declarations, with the doc comments, are in elementwise_amd64.go.
//
// The loops take 16 floats per ZMM register and finish with one masked
// iteration for the last len%16 elements (mask K1), so no element outside
// the slices is read or written. Registers: Z0-Z15 are work registers,
// Z16-Z31 hold constants (see LOAD_EXP_CONSTS and LOAD_LOG_CONSTS); DI is dst, SI and DX the
// sources, CX the number of elements left.
//
// Immediates (Intel SDM, CMPPS and ROUNDPS): VCMPPS predicate $3 is
// UNORD_Q (a NaN), $0x11 LT_OQ (<, false for NaN), $0x1a NGT_UQ (not >,
// true for NaN), $0x1d GE_OQ (>=, false for NaN), $0x1e GT_OQ (>, false
// for NaN); rounding mode $0 is to nearest even.

#define C(off) ·vecConsts+off(SB)

// K1 = the low CX bits set (CX < 16): the lanes of the tail.
#define TAIL_MASK \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

// The constants of EXP in Z16-Z27, and of tanh and sigmoid in Z28-Z31.
#define LOAD_EXP_CONSTS \
	VBROADCASTSS C(const_offLog2e), Z16; \
	VBROADCASTSS C(const_offLn2Hi), Z17; \
	VBROADCASTSS C(const_offLn2Lo), Z18; \
	VBROADCASTSS C(const_offExpC7), Z19; \
	VBROADCASTSS C(const_offExpC6), Z20; \
	VBROADCASTSS C(const_offExpC5), Z21; \
	VBROADCASTSS C(const_offExpC4), Z22; \
	VBROADCASTSS C(const_offExpC3), Z23; \
	VBROADCASTSS C(const_offExpC2), Z24; \
	VBROADCASTSS C(const_offOne), Z25; \
	VBROADCASTSS C(const_offExpMax), Z26; \
	VBROADCASTSS C(const_offExpMin), Z27; \
	VBROADCASTSS C(const_offTanhSmall), Z28; \
	VBROADCASTSS C(const_offTwo), Z29; \
	VBROADCASTSS C(const_offAbsMask), Z30; \
	VBROADCASTSS C(const_offSignMask), Z31

// EXP_REDUCE is expReduce: it sets N = n and T = t, with e^x ≈ 2^n·(1+t),
// clobbering X (to r) and S. X is the second source of VMAXPS and VMINPS,
// which return it when it is NaN, so NaN passes through the clamp.
#define EXP_REDUCE(X, N, T, S) \
	VMAXPS X, Z27, X; \
	VMINPS X, Z26, X; \
	VMULPS Z16, X, N; \
	VRNDSCALEPS $0, N, N; \
	VFNMADD231PS Z17, N, X; \
	VFNMADD231PS Z18, N, X; \
	VMOVAPS Z19, T; \
	VFMADD213PS Z20, X, T; \
	VFMADD213PS Z21, X, T; \
	VFMADD213PS Z22, X, T; \
	VFMADD213PS Z23, X, T; \
	VFMADD213PS Z24, X, T; \
	VMULPS X, X, S; \
	VFMADD213PS X, S, T

// EXP sets X = exp32(X), using T1-T3. VSCALEFPS computes (1+t)·2^n with
// one rounding, into the subnormals or to +Inf, as ldexp32 does.
#define EXP(X, T1, T2, T3) \
	EXP_REDUCE(X, T1, T2, T3); \
	VADDPS Z25, T2, T2; \
	VSCALEFPS T1, T2, X

// TANH sets X = tanh32(X), using A, E and T1-T3: the formula for |x| and
// the polynomial are both computed, then blended on |x| < tanhSmall, and
// the sign of x is put back.
#define TANH(X, A, E, T1, T2, T3) \
	VPANDD Z30, X, A; \
	VPXORD A, X, X; \
	VADDPS A, A, E; \
	EXP(E, T1, T2, T3); \
	VADDPS Z25, E, E; \
	VDIVPS E, Z29, E; \
	VSUBPS E, Z25, E; \
	VMULPS A, A, T1; \
	VBROADCASTSS C(const_offTanhP4), T2; \
	VFMADD213PS.BCST C(const_offTanhP3), T1, T2; \
	VFMADD213PS.BCST C(const_offTanhP2), T1, T2; \
	VFMADD213PS.BCST C(const_offTanhP1), T1, T2; \
	VFMADD213PS.BCST C(const_offTanhP0), T1, T2; \
	VMULPS T1, A, T1; \
	VFMADD213PS A, T1, T2; \
	VCMPPS $0x11, Z28, A, K2; \
	VMOVAPS T2, K2, E; \
	VPORD E, X, X

// SIGMOID sets X = sigmoid32(X), using E and T1-T3, step by step as
// sigmoid32 does; K2 holds the sign bits of x.
#define SIGMOID(X, E, T1, T2, T3) \
	VPORD Z31, X, E; \
	EXP_REDUCE(E, T1, T2, T3); \
	VADDPS Z25, T2, E; \
	VSUBPS E, Z25, T3; \
	VADDPS T2, T3, T3; \
	VSCALEFPS T1, E, E; \
	VSCALEFPS T1, T3, T3; \
	VADDPS Z25, E, T1; \
	VSUBPS T1, Z25, T2; \
	VADDPS E, T2, T2; \
	VADDPS T3, T2, T2; \
	VPTESTMD Z31, X, K2; \
	VMOVAPS Z25, X; \
	VMOVAPS E, K2, X; \
	VMOVAPS.Z T3, K2, T3; \
	VDIVPS T1, X, E; \
	VFNMADD231PS E, T1, X; \
	VADDPS T3, X, X; \
	VFNMADD231PS T2, E, X; \
	VMOVAPS E, T1; \
	VSUBPS E, Z25, K2, T1; \
	VFMADD213PS E, T1, X

// The constants of LOG in Z16-Z30.
#define LOAD_LOG_CONSTS \
	VBROADCASTSS C(const_offLogSqrt2), Z16; \
	VBROADCASTSS C(const_offHalf), Z17; \
	VBROADCASTSS C(const_offOne), Z18; \
	VBROADCASTSS C(const_offLogLn2Hi), Z19; \
	VBROADCASTSS C(const_offLogLn2Lo), Z20; \
	VPBROADCASTD C(const_offLogFixup), Z21; \
	VBROADCASTSS C(const_offLogP8), Z22; \
	VBROADCASTSS C(const_offLogP7), Z23; \
	VBROADCASTSS C(const_offLogP6), Z24; \
	VBROADCASTSS C(const_offLogP5), Z25; \
	VBROADCASTSS C(const_offLogP4), Z26; \
	VBROADCASTSS C(const_offLogP3), Z27; \
	VBROADCASTSS C(const_offLogP2), Z28; \
	VBROADCASTSS C(const_offLogP1), Z29; \
	VBROADCASTSS C(const_offLogP0), Z30

// LOG sets X = log32(X), using M, E, Z and P. VGETMANTPS (interval [1, 2),
// imm $0) and VGETEXPPS split x into m·2^e, normalising subnormals
// themselves; m ≥ √2 is halved (K2) so that m is in [√½, √2), the same m
// and e as logReduce's. M then holds f = m − 1, Z f² and P the sum, as in
// log32.
//
// VFIXUPIMMPS then writes the special values from the class of x, with one
// 4-bit answer per class in logFixup (Intel SDM, VFIXUPIMMPS; the classes
// from bit 0: QNaN, SNaN, ±0, +1, −Inf, +Inf, negative, positive):
// 0x03530421 answers 1 (x itself) for a QNaN, 2 (x quieted) for an SNaN,
// 4 (−Inf) for ±0, 3 (the default NaN) for −Inf and negative x, 5 (+Inf)
// for +Inf, and 0 (keep the computed value) for +1 and positive x.
#define LOG(X, M, E, Z, P) \
	VGETMANTPS   $0, X, M; \
	VGETEXPPS    X, E; \
	VCMPPS       $0x1d, Z16, M, K2; \
	VMULPS       Z17, M, K2, M; \
	VADDPS       Z18, E, K2, E; \
	VSUBPS       Z18, M, M; \
	VMULPS       M, M, Z; \
	VMOVAPS      Z22, P; \
	VFMADD213PS  Z23, M, P; \
	VFMADD213PS  Z24, M, P; \
	VFMADD213PS  Z25, M, P; \
	VFMADD213PS  Z26, M, P; \
	VFMADD213PS  Z27, M, P; \
	VFMADD213PS  Z28, M, P; \
	VFMADD213PS  Z29, M, P; \
	VFMADD213PS  Z30, M, P; \
	VMULPS       M, P, P; \
	VMULPS       Z, P, P; \
	VFMADD231PS  Z20, E, P; \
	VFNMADD231PS Z17, Z, P; \
	VADDPS       M, P, P; \
	VFMADD231PS  Z19, E, P; \
	VFIXUPIMMPS  $0, Z21, X, P; \
	VMOVAPS      P, X

// MAP1 runs OP(X) over dst[i] = op(src[i]), 64 elements per iteration.
#define MAP1(OP) \
loop64: \
	CMPQ CX, $64; \
	JB   loop16; \
	VMOVUPS (SI), Z0; \
	VMOVUPS 64(SI), Z1; \
	VMOVUPS 128(SI), Z2; \
	VMOVUPS 192(SI), Z3; \
	OP(Z0); \
	OP(Z1); \
	OP(Z2); \
	OP(Z3); \
	VMOVUPS Z0, (DI); \
	VMOVUPS Z1, 64(DI); \
	VMOVUPS Z2, 128(DI); \
	VMOVUPS Z3, 192(DI); \
	ADDQ $256, SI; \
	ADDQ $256, DI; \
	SUBQ $64, CX; \
	JMP  loop64; \
loop16: \
	CMPQ CX, $16; \
	JB   tail; \
	VMOVUPS (SI), Z0; \
	OP(Z0); \
	VMOVUPS Z0, (DI); \
	ADDQ $64, SI; \
	ADDQ $64, DI; \
	SUBQ $16, CX; \
	JMP  loop16; \
tail: \
	TESTQ CX, CX; \
	JZ    done; \
	TAIL_MASK; \
	VMOVUPS.Z (SI), K1, Z0; \
	OP(Z0); \
	VMOVUPS Z0, K1, (DI); \
done: \
	VZEROUPPER; \
	RET

// MAP2 runs OP(X, Y) over dst[i] = op(src[i], src2[i]) (SI and DX), with
// the result in X, 64 elements per iteration.
#define MAP2(OP) \
loop64: \
	CMPQ CX, $64; \
	JB   loop16; \
	VMOVUPS (SI), Z0; \
	VMOVUPS 64(SI), Z1; \
	VMOVUPS 128(SI), Z2; \
	VMOVUPS 192(SI), Z3; \
	VMOVUPS (DX), Z4; \
	VMOVUPS 64(DX), Z5; \
	VMOVUPS 128(DX), Z6; \
	VMOVUPS 192(DX), Z7; \
	OP(Z0, Z4); \
	OP(Z1, Z5); \
	OP(Z2, Z6); \
	OP(Z3, Z7); \
	VMOVUPS Z0, (DI); \
	VMOVUPS Z1, 64(DI); \
	VMOVUPS Z2, 128(DI); \
	VMOVUPS Z3, 192(DI); \
	ADDQ $256, SI; \
	ADDQ $256, DX; \
	ADDQ $256, DI; \
	SUBQ $64, CX; \
	JMP  loop64; \
loop16: \
	CMPQ CX, $16; \
	JB   tail; \
	VMOVUPS (SI), Z0; \
	VMOVUPS (DX), Z4; \
	OP(Z0, Z4); \
	VMOVUPS Z0, (DI); \
	ADDQ $64, SI; \
	ADDQ $64, DX; \
	ADDQ $64, DI; \
	SUBQ $16, CX; \
	JMP  loop16; \
tail: \
	TESTQ CX, CX; \
	JZ    done; \
	TAIL_MASK; \
	VMOVUPS.Z (SI), K1, Z0; \
	VMOVUPS.Z (DX), K1, Z4; \
	OP(Z0, Z4); \
	VMOVUPS Z0, K1, (DI); \
done: \
	VZEROUPPER; \
	RET

// MAPT runs a transcendental OP(X, A, E, T1, T2, T3) over dst[i] =
// op(src[i]), 32 elements per iteration (each needs six registers).
#define MAPT(OP) \
loop32: \
	CMPQ CX, $32; \
	JB   loop16; \
	VMOVUPS (SI), Z0; \
	VMOVUPS 64(SI), Z6; \
	OP(Z0, Z1, Z2, Z3, Z4, Z5); \
	OP(Z6, Z7, Z8, Z9, Z10, Z11); \
	VMOVUPS Z0, (DI); \
	VMOVUPS Z6, 64(DI); \
	ADDQ $128, SI; \
	ADDQ $128, DI; \
	SUBQ $32, CX; \
	JMP  loop32; \
loop16: \
	CMPQ CX, $16; \
	JB   tail; \
	VMOVUPS (SI), Z0; \
	OP(Z0, Z1, Z2, Z3, Z4, Z5); \
	VMOVUPS Z0, (DI); \
	ADDQ $64, SI; \
	ADDQ $64, DI; \
	SUBQ $16, CX; \
	JMP  loop16; \
tail: \
	TESTQ CX, CX; \
	JZ    done; \
	TAIL_MASK; \
	VMOVUPS.Z (SI), K1, Z0; \
	OP(Z0, Z1, Z2, Z3, Z4, Z5); \
	VMOVUPS Z0, K1, (DI); \
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

// Each OP adapts an operation to MAP1, MAP2 or MAPT.
#define OP_RELU(X) VMAXPS Z31, X, X
#define OP_ADDS(X) VADDPS Z30, X, X
#define OP_MULS(X) VMULPS Z30, X, X
#define OP_LEAKY(X) \
	VCMPPS $0x1a, Z31, X, K2; \
	VMULPS Z30, X, K2, X
#define OP_ADD(X, Y) VADDPS Y, X, X
#define OP_SUB(X, Y) VSUBPS Y, X, X
#define OP_MUL(X, Y) VMULPS Y, X, X
#define OP_DIV(X, Y) VDIVPS Y, X, X
#define OP_RELUGRAD(X, Y) \
	VCMPPS $0x1e, Z31, X, K2; \
	VMOVAPS.Z Y, K2, X
#define OP_AXPY(X, Y) VFMADD213PS Y, Z30, X
#define OP_EXP(X, A, E, T1, T2, T3) EXP(X, A, E, T1)
#define OP_TANH(X, A, E, T1, T2, T3) TANH(X, A, E, T1, T2, T3)
#define OP_SIGMOID(X, A, E, T1, T2, T3) SIGMOID(X, E, T1, T2, T3)
#define OP_LOG(X, A, E, T1, T2, T3) LOG(X, A, E, T1, T2)

// func reluAVX512(dst, a []float32)
TEXT ·reluAVX512(SB), NOSPLIT, $0-48
	UNARY_ARGS
	VPXORD Z31, Z31, Z31 // MAXPS(x, 0) returns its second source, 0, when x is NaN
	MAP1(OP_RELU)

// func addScalarAVX512(dst, a []float32, s float32)
TEXT ·addScalarAVX512(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS s+48(FP), Z30
	MAP1(OP_ADDS)

// func mulScalarAVX512(dst, a []float32, s float32)
TEXT ·mulScalarAVX512(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS s+48(FP), Z30
	MAP1(OP_MULS)

// func leakyReLUAVX512(dst, a []float32, alpha float32)
// K2 = !(x > 0), true for NaN too, is where x is multiplied by alpha.
TEXT ·leakyReLUAVX512(SB), NOSPLIT, $0-52
	UNARY_ARGS
	VBROADCASTSS alpha+48(FP), Z30
	VPXORD       Z31, Z31, Z31
	MAP1(OP_LEAKY)

// func addAVX512(dst, a, b []float32)
TEXT ·addAVX512(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_ADD)

// func subAVX512(dst, a, b []float32)
TEXT ·subAVX512(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_SUB)

// func mulAVX512(dst, a, b []float32)
TEXT ·mulAVX512(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_MUL)

// func divAVX512(dst, a, b []float32)
TEXT ·divAVX512(SB), NOSPLIT, $0-72
	BINARY_ARGS
	MAP2(OP_DIV)

// func reluGradAVX512(dx, dy, x []float32)
// X holds x and Y dy: the result is dy where x > 0 (ordered: not for NaN).
TEXT ·reluGradAVX512(SB), NOSPLIT, $0-72
	MOVQ dx_base+0(FP), DI
	MOVQ dx_len+8(FP), CX
	MOVQ x_base+48(FP), SI
	MOVQ dy_base+24(FP), DX
	VPXORD Z31, Z31, Z31
	MAP2(OP_RELUGRAD)

// func axpyAVX512(alpha float32, x, y []float32)
// X holds x and Y y: the result is alpha·x + y with one rounding.
TEXT ·axpyAVX512(SB), NOSPLIT, $0-56
	MOVQ         y_base+32(FP), DI
	MOVQ         y_len+40(FP), CX
	MOVQ         x_base+8(FP), SI
	MOVQ         DI, DX
	VBROADCASTSS alpha+0(FP), Z30
	MAP2(OP_AXPY)

// func expAVX512(dst, a []float32)
TEXT ·expAVX512(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_EXP)

// func tanhAVX512(dst, a []float32)
TEXT ·tanhAVX512(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_TANH)

// func sigmoidAVX512(dst, a []float32)
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_EXP_CONSTS
	MAPT(OP_SIGMOID)

// func logAVX512(dst, a []float32)
TEXT ·logAVX512(SB), NOSPLIT, $0-48
	UNARY_ARGS
	LOAD_LOG_CONSTS
	MAPT(OP_LOG)

// func expShiftSumAVX512(dst, a []float32, shift float32) float32
// The sum is kept in Z12 and Z13 and added up at the end; the tail adds
// only its K1 lanes.
TEXT ·expShiftSumAVX512(SB), NOSPLIT, $0-60
	UNARY_ARGS
	LOAD_EXP_CONSTS
	VBROADCASTSS shift+48(FP), Z28
	VPXORD       Z12, Z12, Z12
	VPXORD       Z13, Z13, Z13

loop32:
	CMPQ    CX, $32
	JB      loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z6
	VSUBPS  Z28, Z0, Z0
	VSUBPS  Z28, Z6, Z6
	EXP(Z0, Z1, Z2, Z3)
	EXP(Z6, Z7, Z8, Z9)
	VMOVUPS Z0, (DI)
	VMOVUPS Z6, 64(DI)
	VADDPS  Z0, Z12, Z12
	VADDPS  Z6, Z13, Z13
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	JMP     loop32

loop16:
	CMPQ    CX, $16
	JB      tail
	VMOVUPS (SI), Z0
	VSUBPS  Z28, Z0, Z0
	EXP(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, (DI)
	VADDPS  Z0, Z12, Z12
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

tail:
	TESTQ CX, CX
	JZ    sum
	TAIL_MASK
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS    Z28, Z0, Z0
	EXP(Z0, Z1, Z2, Z3)
	VMOVUPS   Z0, K1, (DI)
	VADDPS    Z0, Z12, K1, Z12

sum:
	VADDPS        Z13, Z12, Z12
	VEXTRACTF64X4 $1, Z12, Y13
	VADDPS        Y13, Y12, Y12
	VEXTRACTF128  $1, Y12, X13
	VADDPS        X13, X12, X12
	VMOVHLPS      X12, X12, X13
	VADDPS        X13, X12, X12
	VMOVSHDUP     X12, X13
	VADDSS        X13, X12, X12
	VMOVSS        X12, ret+56(FP)
	VZEROUPPER
	RET
