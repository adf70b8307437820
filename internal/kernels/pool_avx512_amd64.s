//go:build !noasm

#include "textflag.h"

// AVX-512 float32 max-pooling run kernels; the Go declarations, with the
// doc comments, are in pool_amd64.go, the arguments in poolRunFunc. A run
// is npix output cells; for each, the C channels are taken 16 at a time
// (the last group masked by K1, so nothing outside the slices is read or
// written) and the window's kh×kw cells visited in row-major order.
//
// Registers: DI y (dy), R8 arg, SI x (dx) at the current output cell's
// window, CX output cells left, R9 C·4, R10 kh, R11 kw, R12 rowStride·4,
// R13 colStep·4, BX the channel group's byte offset, DX the window row,
// AX the window cell, R14 and R15 the rows and columns left. Z20 holds the
// output cell's first window position + lane (arg of its channels), Z21 C,
// Z22 rowStride, Z23 colStep, Z24 the sign bit, Z25 16 (one group).
//
// VCMPPS predicate $6 is NLE_US (Intel SDM, CMPPS): !(a <= b), true for a
// NaN. VPCMPEQD compares integers.

DATA poolIota<>+0(SB)/4, $0
DATA poolIota<>+4(SB)/4, $1
DATA poolIota<>+8(SB)/4, $2
DATA poolIota<>+12(SB)/4, $3
DATA poolIota<>+16(SB)/4, $4
DATA poolIota<>+20(SB)/4, $5
DATA poolIota<>+24(SB)/4, $6
DATA poolIota<>+28(SB)/4, $7
DATA poolIota<>+32(SB)/4, $8
DATA poolIota<>+36(SB)/4, $9
DATA poolIota<>+40(SB)/4, $10
DATA poolIota<>+44(SB)/4, $11
DATA poolIota<>+48(SB)/4, $12
DATA poolIota<>+52(SB)/4, $13
DATA poolIota<>+56(SB)/4, $14
DATA poolIota<>+60(SB)/4, $15
GLOBL poolIota<>(SB), RODATA|NOPTR, $64

// POOL_SETUP loads the arguments and the constants above.
#define POOL_SETUP \
	MOVQ         y+0(FP), DI; \
	MOVQ         arg+8(FP), R8; \
	MOVQ         x+16(FP), SI; \
	MOVQ         c+24(FP), R9; \
	MOVQ         kh+32(FP), R10; \
	MOVQ         kw+40(FP), R11; \
	MOVQ         rowStride+48(FP), R12; \
	MOVQ         colStep+56(FP), R13; \
	MOVQ         npix+64(FP), CX; \
	VPBROADCASTD argBase+72(FP), Z20; \
	VPADDD       poolIota<>(SB), Z20, Z20; \
	VPBROADCASTD c+24(FP), Z21; \
	VPBROADCASTD rowStride+48(FP), Z22; \
	VPBROADCASTD colStep+56(FP), Z23; \
	MOVL         $0x80000000, AX; \
	VPBROADCASTD AX, Z24; \
	MOVL         $16, AX; \
	VPBROADCASTD AX, Z25; \
	SHLQ         $2, R9; \
	SHLQ         $2, R12; \
	SHLQ         $2, R13

// poolMasks holds (1 << r) − 1 for r = 0…16, the masks of the first r lanes.
DATA poolMasks<>+0(SB)/2, $0x0000
DATA poolMasks<>+2(SB)/2, $0x0001
DATA poolMasks<>+4(SB)/2, $0x0003
DATA poolMasks<>+6(SB)/2, $0x0007
DATA poolMasks<>+8(SB)/2, $0x000f
DATA poolMasks<>+10(SB)/2, $0x001f
DATA poolMasks<>+12(SB)/2, $0x003f
DATA poolMasks<>+14(SB)/2, $0x007f
DATA poolMasks<>+16(SB)/2, $0x00ff
DATA poolMasks<>+18(SB)/2, $0x01ff
DATA poolMasks<>+20(SB)/2, $0x03ff
DATA poolMasks<>+22(SB)/2, $0x07ff
DATA poolMasks<>+24(SB)/2, $0x0fff
DATA poolMasks<>+26(SB)/2, $0x1fff
DATA poolMasks<>+28(SB)/2, $0x3fff
DATA poolMasks<>+30(SB)/2, $0x7fff
DATA poolMasks<>+32(SB)/2, $0xffff
GLOBL poolMasks<>(SB), RODATA|NOPTR, $34

// GROUP_MASK sets K1 to the channels of the group at BX: min(16, C − BX/4)
// lanes.
#define GROUP_MASK \
	MOVQ    R9, AX; \
	SUBQ    BX, AX; \
	SHRQ    $2, AX; \
	MOVQ    $16, DX; \
	CMPQ    AX, DX; \
	CMOVQHI DX, AX; \
	LEAQ    poolMasks<>(SB), DX; \
	KMOVW   (DX)(AX*2), K1

// func maxPoolRunAVX512(y *float32, arg *int32, x *float32, c, kh, kw, rowStride, colStep, npix, argBase int)
//
// Z1 is the negated running maximum nm, Z2 its position, Z3 the position of
// the window row's first cell, Z4 of the cell, Z5 the negated cell −v.
// Per cell: K2 = !(v <= m) = !(nm <= −v); t = min(nm, −v) (VMINPS returns
// its second source on a NaN or equal zeros, as MINSS); nm = min(t, nm) | t.
TEXT ·maxPoolRunAVX512(SB), NOSPLIT, $0-80
	POOL_SETUP
	TESTQ R8, R8
	JZ    noargPix

argPix:
	XORQ      BX, BX
	VMOVDQA32 Z20, Z26

argGroup:
	GROUP_MASK
	LEAQ      (SI)(BX*1), DX
	VMOVUPS.Z (DX), K1, Z1
	VPXORD    Z24, Z1, Z1
	VMOVDQA32 Z26, Z2
	VMOVDQA32 Z26, Z3
	MOVQ      R10, R14

argRow:
	MOVQ      DX, AX
	VMOVDQA32 Z3, Z4
	MOVQ      R11, R15

argCell:
	VMOVUPS.Z (AX), K1, Z5
	VPXORD    Z24, Z5, Z5
	VCMPPS    $6, Z5, Z1, K1, K2
	VMOVDQA32 Z4, K2, Z2
	VMINPS    Z5, Z1, Z6
	VMINPS    Z1, Z6, Z7
	VPORD     Z6, Z7, Z1
	VPADDD    Z21, Z4, Z4
	ADDQ      R9, AX
	DECQ      R15
	JNZ       argCell
	VPADDD    Z22, Z3, Z3
	ADDQ      R12, DX
	DECQ      R14
	JNZ       argRow

	VPXORD    Z24, Z1, Z1
	VMOVUPS   Z1, K1, (DI)(BX*1)
	VMOVDQU32 Z2, K1, (R8)(BX*1)
	VPADDD    Z25, Z26, Z26
	ADDQ      $64, BX
	CMPQ      BX, R9
	JB        argGroup

	VPADDD Z23, Z20, Z20
	ADDQ   R13, SI
	ADDQ   R9, DI
	ADDQ   R9, R8
	DECQ   CX
	JNZ    argPix
	VZEROUPPER
	RET

noargPix:
	XORQ BX, BX

noargGroup:
	GROUP_MASK
	LEAQ      (SI)(BX*1), DX
	VMOVUPS.Z (DX), K1, Z1
	VPXORD    Z24, Z1, Z1
	MOVQ      R10, R14

noargRow:
	MOVQ DX, AX
	MOVQ R11, R15

noargCell:
	VMOVUPS.Z (AX), K1, Z5
	VPXORD    Z24, Z5, Z5
	VMINPS    Z5, Z1, Z6
	VMINPS    Z1, Z6, Z7
	VPORD     Z6, Z7, Z1
	ADDQ      R9, AX
	DECQ      R15
	JNZ       noargCell
	ADDQ      R12, DX
	DECQ      R14
	JNZ       noargRow

	VPXORD  Z24, Z1, Z1
	VMOVUPS Z1, K1, (DI)(BX*1)
	ADDQ    $64, BX
	CMPQ    BX, R9
	JB      noargGroup

	ADDQ R13, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  noargPix
	VZEROUPPER
	RET

// func maxPoolBackRunAVX512(dy *float32, arg *int32, dx *float32, c, kh, kw, rowStride, colStep, npix, argBase int)
//
// Z0 is dy, Z2 arg, Z3 and Z4 the positions of the row's first cell and of
// the cell; K2 the lanes whose arg names the cell, where dx += dy (dx the
// first operand, as in the twin's dx[a] += dy[i]). The masked load, add
// and store run for every cell, also when K2 is empty: a branch on K2
// would follow the data and mispredict.
TEXT ·maxPoolBackRunAVX512(SB), NOSPLIT, $0-80
	POOL_SETUP

backPix:
	XORQ      BX, BX
	VMOVDQA32 Z20, Z26

backGroup:
	GROUP_MASK
	VMOVUPS.Z   (DI)(BX*1), K1, Z0
	VMOVDQU32.Z (R8)(BX*1), K1, Z2
	LEAQ        (SI)(BX*1), DX
	VMOVDQA32   Z26, Z3
	MOVQ        R10, R14

backRow:
	MOVQ      DX, AX
	VMOVDQA32 Z3, Z4
	MOVQ      R11, R15

backCell:
	VPCMPEQD  Z4, Z2, K1, K2
	VMOVUPS.Z (AX), K2, Z5
	VADDPS    Z0, Z5, K2, Z5
	VMOVUPS   Z5, K2, (AX)
	VPADDD    Z21, Z4, Z4
	ADDQ   R9, AX
	DECQ   R15
	JNZ    backCell
	VPADDD Z22, Z3, Z3
	ADDQ   R12, DX
	DECQ   R14
	JNZ    backRow

	VPADDD Z25, Z26, Z26
	ADDQ   $64, BX
	CMPQ   BX, R9
	JB     backGroup

	VPADDD Z23, Z20, Z20
	ADDQ   R13, SI
	ADDQ   R9, DI
	ADDQ   R9, R8
	DECQ   CX
	JNZ    backPix
	VZEROUPPER
	RET
