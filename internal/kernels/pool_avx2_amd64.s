//go:build !noasm

#include "textflag.h"

// AVX2 float32 max-pooling run kernels, the 8-lane versions of
// pool_avx512_amd64.s (same loops, same registers for the general-purpose
// ones); the Go declarations, with the doc comments, are in pool_amd64.go.
// The last group of channels is masked by Y14 (VMASKMOVPS, VPMASKMOVD), so
// nothing outside the slices is read or written; the stores of full groups
// are plain ones, as masked stores are slow on AMD.
//
// Vector registers: Y13 the output cell's first window position + lane,
// Y12 C, Y11 rowStride, Y10 colStep, Y9 8 (one group), Y8 the group's
// first window position, Y15 the sign bit.
//
// VCMPPS predicate $6 is NLE_US (Intel SDM, CMPPS): !(a <= b), true for a
// NaN.

// poolTail8 is read at byte offset 32 − 4·r to get the mask of the first r
// lanes (r ≤ 8).
DATA poolTail8<>+0(SB)/4, $0xffffffff
DATA poolTail8<>+4(SB)/4, $0xffffffff
DATA poolTail8<>+8(SB)/4, $0xffffffff
DATA poolTail8<>+12(SB)/4, $0xffffffff
DATA poolTail8<>+16(SB)/4, $0xffffffff
DATA poolTail8<>+20(SB)/4, $0xffffffff
DATA poolTail8<>+24(SB)/4, $0xffffffff
DATA poolTail8<>+28(SB)/4, $0xffffffff
DATA poolTail8<>+32(SB)/4, $0
DATA poolTail8<>+36(SB)/4, $0
DATA poolTail8<>+40(SB)/4, $0
DATA poolTail8<>+44(SB)/4, $0
DATA poolTail8<>+48(SB)/4, $0
DATA poolTail8<>+52(SB)/4, $0
DATA poolTail8<>+56(SB)/4, $0
DATA poolTail8<>+60(SB)/4, $0
GLOBL poolTail8<>(SB), RODATA|NOPTR, $64

DATA poolIota8<>+0(SB)/4, $0
DATA poolIota8<>+4(SB)/4, $1
DATA poolIota8<>+8(SB)/4, $2
DATA poolIota8<>+12(SB)/4, $3
DATA poolIota8<>+16(SB)/4, $4
DATA poolIota8<>+20(SB)/4, $5
DATA poolIota8<>+24(SB)/4, $6
DATA poolIota8<>+28(SB)/4, $7
GLOBL poolIota8<>(SB), RODATA|NOPTR, $32

// POOL_SETUP2 loads the arguments and the constants above.
#define POOL_SETUP2 \
	MOVQ         y+0(FP), DI; \
	MOVQ         arg+8(FP), R8; \
	MOVQ         x+16(FP), SI; \
	MOVQ         c+24(FP), R9; \
	MOVQ         kh+32(FP), R10; \
	MOVQ         kw+40(FP), R11; \
	MOVQ         rowStride+48(FP), R12; \
	MOVQ         colStep+56(FP), R13; \
	MOVQ         npix+64(FP), CX; \
	VPBROADCASTD argBase+72(FP), Y13; \
	VPADDD       poolIota8<>(SB), Y13, Y13; \
	VPBROADCASTD c+24(FP), Y12; \
	VPBROADCASTD rowStride+48(FP), Y11; \
	VPBROADCASTD colStep+56(FP), Y10; \
	MOVL         $0x80000000, AX; \
	MOVQ         AX, X15; \
	VPBROADCASTD X15, Y15; \
	MOVL         $8, AX; \
	MOVQ         AX, X9; \
	VPBROADCASTD X9, Y9; \
	SHLQ         $2, R9; \
	SHLQ         $2, R12; \
	SHLQ         $2, R13

// GROUP_MASK2 sets Y14 to the channels of the group at BX: min(8, C − BX/4)
// lanes, leaving min(32, C·4 − BX) in AX.
#define GROUP_MASK2 \
	MOVQ    R9, AX; \
	SUBQ    BX, AX; \
	MOVQ    $32, DX; \
	CMPQ    AX, DX; \
	CMOVQHI DX, AX; \
	LEAQ    poolTail8<>+32(SB), DX; \
	SUBQ    AX, DX; \
	VMOVDQU (DX), Y14

// func maxPoolRunAVX2(y *float32, arg *int32, x *float32, c, kh, kw, rowStride, colStep, npix, argBase int)
//
// Y1 is the negated running maximum nm, Y2 its position, Y3 the position of
// the window row's first cell, Y4 of the cell, Y5 the negated cell −v, Y0
// the lanes where !(v <= m) = !(nm <= −v); see maxPoolRunAVX512.
TEXT ·maxPoolRunAVX2(SB), NOSPLIT, $0-80
	POOL_SETUP2
	TESTQ R8, R8
	JZ    noargPix

argPix:
	XORQ    BX, BX
	VMOVDQA Y13, Y8

argGroup:
	GROUP_MASK2
	LEAQ       (SI)(BX*1), DX
	VMASKMOVPS (DX), Y14, Y1
	VXORPS     Y15, Y1, Y1
	VMOVDQA    Y8, Y2
	VMOVDQA    Y8, Y3
	MOVQ       R10, R14

argRow:
	MOVQ    DX, AX
	VMOVDQA Y3, Y4
	MOVQ    R11, R15

argCell:
	VMASKMOVPS (AX), Y14, Y5
	VXORPS     Y15, Y5, Y5
	VCMPPS     $6, Y5, Y1, Y0
	VBLENDVPS  Y0, Y4, Y2, Y2
	VMINPS     Y5, Y1, Y6
	VMINPS     Y1, Y6, Y7
	VORPS      Y6, Y7, Y1
	VPADDD     Y12, Y4, Y4
	ADDQ       R9, AX
	DECQ       R15
	JNZ        argCell
	VPADDD     Y11, Y3, Y3
	ADDQ       R12, DX
	DECQ       R14
	JNZ        argRow

	VXORPS     Y15, Y1, Y1
	MOVQ       R9, AX
	SUBQ       BX, AX
	CMPQ       AX, $32
	JB         argTailStore
	VMOVUPS    Y1, (DI)(BX*1)
	VMOVDQU    Y2, (R8)(BX*1)
	JMP        argStored

argTailStore:
	VMASKMOVPS Y1, Y14, (DI)(BX*1)
	VPMASKMOVD Y2, Y14, (R8)(BX*1)

argStored:
	VPADDD     Y9, Y8, Y8
	ADDQ       $32, BX
	CMPQ       BX, R9
	JB         argGroup

	VPADDD Y10, Y13, Y13
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
	GROUP_MASK2
	LEAQ       (SI)(BX*1), DX
	VMASKMOVPS (DX), Y14, Y1
	VXORPS     Y15, Y1, Y1
	MOVQ       R10, R14

noargRow:
	MOVQ DX, AX
	MOVQ R11, R15

noargCell:
	VMASKMOVPS (AX), Y14, Y5
	VXORPS     Y15, Y5, Y5
	VMINPS     Y5, Y1, Y6
	VMINPS     Y1, Y6, Y7
	VORPS      Y6, Y7, Y1
	ADDQ       R9, AX
	DECQ       R15
	JNZ        noargCell
	ADDQ       R12, DX
	DECQ       R14
	JNZ        noargRow

	VXORPS     Y15, Y1, Y1
	MOVQ       R9, AX
	SUBQ       BX, AX
	CMPQ       AX, $32
	JB         noargTailStore
	VMOVUPS    Y1, (DI)(BX*1)
	JMP        noargStored

noargTailStore:
	VMASKMOVPS Y1, Y14, (DI)(BX*1)

noargStored:
	ADDQ       $32, BX
	CMPQ       BX, R9
	JB         noargGroup

	ADDQ R13, SI
	ADDQ R9, DI
	DECQ CX
	JNZ  noargPix
	VZEROUPPER
	RET

// func maxPoolBackRunAVX2(dy *float32, arg *int32, dx *float32, c, kh, kw, rowStride, colStep, npix, argBase int)
//
// Y0 is dy, Y2 arg, Y3 and Y4 the positions of the row's first cell and of
// the cell; Y6 the lanes whose arg names the cell, where dx += dy (dx the
// first operand); see maxPoolBackRunAVX512. A full group of 8 channels
// blends the sums in and stores all 8 lanes (its unchanged lanes get their
// own bits back); only the last, partial group uses the masked store,
// which was 4× slower than the Go loop here (on AMD, VMASKMOVPS stores are
// microcoded).
TEXT ·maxPoolBackRunAVX2(SB), NOSPLIT, $0-80
	POOL_SETUP2

backPix:
	XORQ    BX, BX
	VMOVDQA Y13, Y8

backGroup:
	GROUP_MASK2
	VMASKMOVPS (DI)(BX*1), Y14, Y0
	VPMASKMOVD (R8)(BX*1), Y14, Y2
	LEAQ       (SI)(BX*1), DX
	VMOVDQA    Y8, Y3
	MOVQ       R10, R14
	CMPQ       AX, $32
	JB         tailRow

fullRow:
	MOVQ    DX, AX
	VMOVDQA Y3, Y4
	MOVQ    R11, R15

fullCell:
	VPCMPEQD  Y4, Y2, Y6
	VMOVUPS   (AX), Y5
	VADDPS    Y0, Y5, Y7
	VBLENDVPS Y6, Y7, Y5, Y5
	VMOVUPS   Y5, (AX)
	VPADDD    Y12, Y4, Y4
	ADDQ      R9, AX
	DECQ      R15
	JNZ       fullCell
	VPADDD    Y11, Y3, Y3
	ADDQ      R12, DX
	DECQ      R14
	JNZ       fullRow
	JMP       groupDone

tailRow:
	MOVQ    DX, AX
	VMOVDQA Y3, Y4
	MOVQ    R11, R15

tailCell:
	VPCMPEQD   Y4, Y2, Y6
	VPAND      Y14, Y6, Y6
	VMASKMOVPS (AX), Y6, Y5
	VADDPS     Y0, Y5, Y5
	VMASKMOVPS Y5, Y6, (AX)
	VPADDD     Y12, Y4, Y4
	ADDQ       R9, AX
	DECQ       R15
	JNZ        tailCell
	VPADDD     Y11, Y3, Y3
	ADDQ       R12, DX
	DECQ       R14
	JNZ        tailRow

groupDone:
	VPADDD Y9, Y8, Y8
	ADDQ   $32, BX
	CMPQ   BX, R9
	JB     backGroup

	VPADDD Y10, Y13, Y13
	ADDQ   R13, SI
	ADDQ   R9, DI
	ADDQ   R9, R8
	DECQ   CX
	JNZ    backPix
	VZEROUPPER
	RET
