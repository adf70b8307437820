//go:build !noasm

#include "textflag.h"

// AVX-512 float32 reductions (AVX-512F instructions only). Each computes
// what its pure-Go twin in reduce.go computes; the Go declarations, with the
// doc comments, are in elementwise_amd64.go. Tails are masked, so no element
// outside the slices is read or written.
//
// Immediates (Intel SDM, CMPPS and ROUNDPS): VCMPPS predicate $3 is
// UNORD_Q (a NaN), $0x11 LT_OQ (<, false for NaN), $0x1a NGT_UQ (not >,
// true for NaN), $0x1e GT_OQ (>, false for NaN); rounding mode $0 is to
// nearest even.

// K1 = the low CX bits set (CX < 16).
#define TAIL_MASK \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

// func sumAVX512(a []float32) float64
// Each 8 floats are widened to 8 doubles (exact) and added into one of four
// float64 accumulators, Z8-Z11, which are added together at the end.
TEXT ·sumAVX512(SB), NOSPLIT, $0-32
	MOVQ   a_base+0(FP), SI
	MOVQ   a_len+8(FP), CX
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11

loop32:
	CMPQ      CX, $32
	JB        loop8
	VCVTPS2PD (SI), Z0
	VCVTPS2PD 32(SI), Z1
	VCVTPS2PD 64(SI), Z2
	VCVTPS2PD 96(SI), Z3
	VADDPD    Z0, Z8, Z8
	VADDPD    Z1, Z9, Z9
	VADDPD    Z2, Z10, Z10
	VADDPD    Z3, Z11, Z11
	ADDQ      $128, SI
	SUBQ      $32, CX
	JMP       loop32

loop8:
	CMPQ      CX, $8
	JB        tail
	VCVTPS2PD (SI), Z0
	VADDPD    Z0, Z8, Z8
	ADDQ      $32, SI
	SUBQ      $8, CX
	JMP       loop8

tail:
	TESTQ       CX, CX
	JZ          done
	TAIL_MASK
	VCVTPS2PD.Z (SI), K1, Z0
	VADDPD      Z0, Z9, Z9

done:
	VADDPD        Z9, Z8, Z8
	VADDPD        Z11, Z10, Z10
	VADDPD        Z10, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y9
	VADDPD        Y9, Y8, Y8
	VEXTRACTF128  $1, Y8, X9
	VADDPD        X9, X8, X8
	VUNPCKHPD     X8, X8, X9
	VADDSD        X9, X8, X8
	VMOVSD        X8, ret+24(FP)
	VZEROUPPER
	RET

// func maxAVX512(a []float32) float32
// Four running maxima, Z8-Z11, start at −Inf. VMAXPS does not keep NaNs, so
// K3 collects the lanes that held one (an unordered self-compare) and a NaN
// is returned if it is not empty.
TEXT ·maxAVX512(SB), NOSPLIT, $0-28
	MOVQ         a_base+0(FP), SI
	MOVQ         a_len+8(FP), CX
	MOVL         $0xff800000, AX // −Inf
	VPBROADCASTD AX, Z8
	VMOVAPS      Z8, Z9
	VMOVAPS      Z8, Z10
	VMOVAPS      Z8, Z11
	KXORW        K3, K3, K3

loop64:
	CMPQ    CX, $64
	JB      loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VMAXPS  Z0, Z8, Z8
	VMAXPS  Z1, Z9, Z9
	VMAXPS  Z2, Z10, Z10
	VMAXPS  Z3, Z11, Z11
	VCMPPS  $3, Z0, Z0, K2
	KORW    K2, K3, K3
	VCMPPS  $3, Z1, Z1, K2
	KORW    K2, K3, K3
	VCMPPS  $3, Z2, Z2, K2
	KORW    K2, K3, K3
	VCMPPS  $3, Z3, Z3, K2
	KORW    K2, K3, K3
	ADDQ    $256, SI
	SUBQ    $64, CX
	JMP     loop64

loop16:
	CMPQ    CX, $16
	JB      tail
	VMOVUPS (SI), Z0
	VMAXPS  Z0, Z8, Z8
	VCMPPS  $3, Z0, Z0, K2
	KORW    K2, K3, K3
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     loop16

tail:
	TESTQ     CX, CX
	JZ        done
	TAIL_MASK
	VMOVUPS.Z (SI), K1, Z0
	VMAXPS    Z0, Z9, K1, Z9
	VCMPPS    $3, Z0, Z0, K2
	KORW      K2, K3, K3

done:
	VMAXPS        Z9, Z8, Z8
	VMAXPS        Z11, Z10, Z10
	VMAXPS        Z10, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y9
	VMAXPS        Y9, Y8, Y8
	VEXTRACTF128  $1, Y8, X9
	VMAXPS        X9, X8, X8
	VMOVHLPS      X8, X8, X9
	VMAXPS        X9, X8, X8
	VMOVSHDUP     X8, X9
	VMAXSS        X9, X8, X8
	KORTESTW      K3, K3
	JZ            ret
	MOVL          $0x7fc00000, AX // the default quiet NaN
	VMOVD         AX, X8

ret:
	VMOVSS X8, ret+24(FP)
	VZEROUPPER
	RET

// func sumRowsAVX512(dst, a []float32, m, n int)
// For each block of columns, the column sums are kept in registers while
// the rows are added in order (so each sum is the Go loop's, bit for bit),
// then stored: 128 columns (Z0-Z7), then 16, then a masked block.
// SI is the block's top, AX walks down it, R8 is the row stride in bytes
// and R9 counts the rows.
TEXT ·sumRowsAVX512(SB), NOSPLIT, $0-64
	MOVQ dst_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ m+48(FP), DX
	MOVQ n+56(FP), CX
	MOVQ CX, R8
	SHLQ $2, R8

col128:
	CMPQ   CX, $128
	JB     col16
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	MOVQ   SI, AX
	MOVQ   DX, R9

row128:
	TESTQ  R9, R9
	JZ     store128
	VADDPS (AX), Z0, Z0
	VADDPS 64(AX), Z1, Z1
	VADDPS 128(AX), Z2, Z2
	VADDPS 192(AX), Z3, Z3
	VADDPS 256(AX), Z4, Z4
	VADDPS 320(AX), Z5, Z5
	VADDPS 384(AX), Z6, Z6
	VADDPS 448(AX), Z7, Z7
	ADDQ   R8, AX
	DECQ   R9
	JMP    row128

store128:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	VMOVUPS Z6, 384(DI)
	VMOVUPS Z7, 448(DI)
	ADDQ    $512, SI
	ADDQ    $512, DI
	SUBQ    $128, CX
	JMP     col128

col16:
	CMPQ   CX, $16
	JB     tail
	VPXORD Z0, Z0, Z0
	MOVQ   SI, AX
	MOVQ   DX, R9

row16:
	TESTQ  R9, R9
	JZ     store16
	VADDPS (AX), Z0, Z0
	ADDQ   R8, AX
	DECQ   R9
	JMP    row16

store16:
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     col16

tail:
	TESTQ  CX, CX
	JZ     done
	TAIL_MASK
	VPXORD Z0, Z0, Z0
	MOVQ   SI, AX
	MOVQ   DX, R9

rowtail:
	TESTQ     R9, R9
	JZ        storetail
	VMOVUPS.Z (AX), K1, Z1
	VADDPS    Z1, Z0, Z0
	ADDQ      R8, AX
	DECQ      R9
	JMP       rowtail

storetail:
	VMOVUPS Z0, K1, (DI)

done:
	VZEROUPPER
	RET
