//go:build !noasm

#include "textflag.h"

// AVX2 float32 reductions. Each computes what its pure-Go twin in reduce.go
// computes; the Go declarations, with the doc comments, are in
// elementwise_amd64.go. Tails are masked or scalar, so no element outside
// the slices is read or written.
//
// Immediates (Intel SDM, CMPPS and ROUNDPS): VCMPPS predicate $3 is
// UNORD_Q (a NaN), $0x11 LT_OQ (<, false for NaN), $0x1a NGT_UQ (not >,
// true for NaN), $0x1e GT_OQ (>, false for NaN); rounding mode $0 is to
// nearest even.

// Y12 = the mask of the first CX lanes (CX < 8), read from tailMask at
// 32 − 4·CX bytes. CX is scaled by 4.
#define TAIL_MASK \
	LEAQ    ·tailMask+32(SB), AX; \
	SHLQ    $2, CX; \
	SUBQ    CX, AX; \
	VMOVDQU (AX), Y12

// func sumAVX2(a []float32) float64
// Each 4 floats are widened to 4 doubles (exact) and added into one of four
// float64 accumulators, Y8-Y11; the last len%4 go one by one into X7.
TEXT ·sumAVX2(SB), NOSPLIT, $0-32
	MOVQ   a_base+0(FP), SI
	MOVQ   a_len+8(FP), CX
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	VXORPD X7, X7, X7

loop16:
	CMPQ      CX, $16
	JB        loop4
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD 32(SI), Y2
	VCVTPS2PD 48(SI), Y3
	VADDPD    Y0, Y8, Y8
	VADDPD    Y1, Y9, Y9
	VADDPD    Y2, Y10, Y10
	VADDPD    Y3, Y11, Y11
	ADDQ      $64, SI
	SUBQ      $16, CX
	JMP       loop16

loop4:
	CMPQ      CX, $4
	JB        tail
	VCVTPS2PD (SI), Y0
	VADDPD    Y0, Y8, Y8
	ADDQ      $16, SI
	SUBQ      $4, CX
	JMP       loop4

tail:
	TESTQ     CX, CX
	JZ        done
	VMOVSS    (SI), X0
	VCVTSS2SD X0, X0, X0
	VADDSD    X0, X7, X7
	ADDQ      $4, SI
	DECQ      CX
	JMP       tail

done:
	VADDPD       Y9, Y8, Y8
	VADDPD       Y11, Y10, Y10
	VADDPD       Y10, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD       X9, X8, X8
	VUNPCKHPD    X8, X8, X9
	VADDSD       X9, X8, X8
	VADDSD       X7, X8, X8
	VMOVSD       X8, ret+24(FP)
	VZEROUPPER
	RET

// func maxAVX2(a []float32) float32
// Four running maxima, Y8-Y11, start at −Inf. VMAXPS does not keep NaNs, so
// Y13 collects the lanes that held one (an unordered self-compare) and a
// NaN is returned if any is set. The masked tail fills its empty lanes with
// −Inf.
TEXT ·maxAVX2(SB), NOSPLIT, $0-28
	MOVQ         a_base+0(FP), SI
	MOVQ         a_len+8(FP), CX
	MOVL         $0xff800000, AX // −Inf
	VMOVD        AX, X8
	VBROADCASTSS X8, Y8
	VMOVAPS      Y8, Y9
	VMOVAPS      Y8, Y10
	VMOVAPS      Y8, Y11
	VMOVAPS      Y8, Y14
	VXORPS       Y13, Y13, Y13

loop32:
	CMPQ    CX, $32
	JB      loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VMAXPS  Y0, Y8, Y8
	VMAXPS  Y1, Y9, Y9
	VMAXPS  Y2, Y10, Y10
	VMAXPS  Y3, Y11, Y11
	VCMPPS  $3, Y0, Y0, Y4
	VCMPPS  $3, Y1, Y1, Y5
	VCMPPS  $3, Y2, Y2, Y6
	VCMPPS  $3, Y3, Y3, Y7
	VORPS   Y4, Y5, Y4
	VORPS   Y6, Y7, Y6
	VORPS   Y4, Y13, Y13
	VORPS   Y6, Y13, Y13
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     loop32

loop8:
	CMPQ    CX, $8
	JB      tail
	VMOVUPS (SI), Y0
	VMAXPS  Y0, Y8, Y8
	VCMPPS  $3, Y0, Y0, Y4
	VORPS   Y4, Y13, Y13
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     loop8

tail:
	TESTQ      CX, CX
	JZ         done
	TAIL_MASK
	VMASKMOVPS (SI), Y12, Y0
	VBLENDVPS  Y12, Y0, Y14, Y0
	VMAXPS     Y0, Y9, Y9
	VCMPPS     $3, Y0, Y0, Y4
	VORPS      Y4, Y13, Y13

done:
	VMAXPS       Y9, Y8, Y8
	VMAXPS       Y11, Y10, Y10
	VMAXPS       Y10, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VMAXPS       X9, X8, X8
	VMOVHLPS     X8, X8, X9
	VMAXPS       X9, X8, X8
	VMOVSHDUP    X8, X9
	VMAXSS       X9, X8, X8
	VMOVMSKPS    Y13, AX
	TESTL        AX, AX
	JZ           ret
	MOVL         $0x7fc00000, AX // the default quiet NaN
	VMOVD        AX, X8

ret:
	VMOVSS X8, ret+24(FP)
	VZEROUPPER
	RET

// func sumRowsAVX2(dst, a []float32, m, n int)
// For each block of columns, the column sums are kept in registers while
// the rows are added in order (so each sum is the Go loop's, bit for bit),
// then stored: 64 columns (Y0-Y7), then 8, then a masked block. SI is the
// block's top, AX walks down it, R8 is the row stride in bytes and R9
// counts the rows.
TEXT ·sumRowsAVX2(SB), NOSPLIT, $0-64
	MOVQ dst_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ m+48(FP), DX
	MOVQ n+56(FP), CX
	MOVQ CX, R8
	SHLQ $2, R8

col64:
	CMPQ   CX, $64
	JB     col8
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ   SI, AX
	MOVQ   DX, R9

row64:
	TESTQ  R9, R9
	JZ     store64
	VADDPS (AX), Y0, Y0
	VADDPS 32(AX), Y1, Y1
	VADDPS 64(AX), Y2, Y2
	VADDPS 96(AX), Y3, Y3
	VADDPS 128(AX), Y4, Y4
	VADDPS 160(AX), Y5, Y5
	VADDPS 192(AX), Y6, Y6
	VADDPS 224(AX), Y7, Y7
	ADDQ   R8, AX
	DECQ   R9
	JMP    row64

store64:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	JMP     col64

col8:
	CMPQ   CX, $8
	JB     tail
	VXORPS Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   DX, R9

row8:
	TESTQ  R9, R9
	JZ     store8
	VADDPS (AX), Y0, Y0
	ADDQ   R8, AX
	DECQ   R9
	JMP    row8

store8:
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     col8

tail:
	TESTQ  CX, CX
	JZ     done
	TAIL_MASK
	VXORPS Y0, Y0, Y0
	MOVQ   SI, AX
	MOVQ   DX, R9

rowtail:
	TESTQ      R9, R9
	JZ         storetail
	VMASKMOVPS (AX), Y12, Y1
	VADDPS     Y1, Y0, Y0
	ADDQ       R8, AX
	DECQ       R9
	JMP        rowtail

storetail:
	VMASKMOVPS Y0, Y12, (DI)

done:
	VZEROUPPER
	RET
