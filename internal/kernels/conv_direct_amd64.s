//go:build !noasm

#include "textflag.h"
#include "zmm_amd64.h"

// AVX-512 row kernels of the direct convolution (conv_direct.go); the Go
// declarations are in conv_direct_amd64.go. Filters run along the lanes,
// 16 per register; each tap's input value is broadcast by the
// multiply-add itself (embedded broadcast).

// func convFwdRowAVX512(y, x *float32, taps *int, k int, w, bias *float32, f, n, sx int, relu bool)
//
// Registers: DI y at the current pixels, SI x at the current pixels' window
// origin, R8 taps, R9 taps end, R10 w, R11 bias, R12 f·4, CX pixels left,
// DX sx·4, R14 3·sx·4, BX the filter block's byte offset, R13 w at the
// current tap, R15 the current tap, AX its input address. Z31 holds the
// lower clamp: 0 with relu, −∞ without; VMAXPS acc, Z31, acc returns acc
// when either is NaN or both are zeros (Intel SDM, MAXPS: the second
// source), which is the Go twin's "if acc < 0 { acc = 0 }".
TEXT ·convFwdRowAVX512(SB), NOSPLIT, $0-73
	MOVQ    y+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    taps+16(FP), R8
	MOVQ    k+24(FP), R9
	LEAQ    (R8)(R9*8), R9
	MOVQ    w+32(FP), R10
	MOVQ    bias+40(FP), R11
	MOVQ    f+48(FP), R12
	SHLQ    $2, R12
	MOVQ    n+56(FP), CX
	MOVQ    sx+64(FP), DX
	SHLQ    $2, DX
	LEAQ    (DX)(DX*2), R14
	VPXORD  Z31, Z31, Z31
	MOVBLZX relu+72(FP), AX
	TESTQ   AX, AX
	JNZ     clampSet
	MOVL    $0xff800000, AX
	VPBROADCASTD AX, Z31

clampSet:
	CMPQ CX, $4
	JLT  tail

loop4:
	XORQ BX, BX

block4:
	VPXORD Z0, Z0, Z0
	TESTQ  R11, R11
	JZ     init4
	VMOVUPS (R11)(BX*1), Z0

init4:
	VMOVAPS Z0, Z1
	VMOVAPS Z0, Z2
	VMOVAPS Z0, Z3
	LEAQ    (R10)(BX*1), R13
	MOVQ    R8, R15

tap4:
	MOVQ    (R15), AX
	LEAQ    (SI)(AX*4), AX
	VMOVUPS (R13), Z4
	VFMADD231PS.BCST (AX), Z4, Z0
	VFMADD231PS.BCST (AX)(DX*1), Z4, Z1
	VFMADD231PS.BCST (AX)(DX*2), Z4, Z2
	VFMADD231PS.BCST (AX)(R14*1), Z4, Z3
	ADDQ    R12, R13
	ADDQ    $8, R15
	CMPQ    R15, R9
	JNE     tap4

	VMAXPS  Z0, Z31, Z0
	VMAXPS  Z1, Z31, Z1
	VMAXPS  Z2, Z31, Z2
	VMAXPS  Z3, Z31, Z3
	LEAQ    (DI)(BX*1), AX
	VMOVUPS Z0, (AX)
	VMOVUPS Z1, (AX)(R12*1)
	LEAQ    (AX)(R12*2), AX
	VMOVUPS Z2, (AX)
	VMOVUPS Z3, (AX)(R12*1)
	ADDQ    $64, BX
	CMPQ    BX, R12
	JLT     block4

	LEAQ (SI)(DX*4), SI
	LEAQ (DI)(R12*4), DI
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  loop4

tail:
	TESTQ CX, CX
	JZ    done

loop1:
	XORQ BX, BX

block1:
	VPXORD Z0, Z0, Z0
	TESTQ  R11, R11
	JZ     init1
	VMOVUPS (R11)(BX*1), Z0

init1:
	LEAQ (R10)(BX*1), R13
	MOVQ R8, R15

tap1:
	MOVQ    (R15), AX
	VMOVUPS (R13), Z4
	VFMADD231PS.BCST (SI)(AX*4), Z4, Z0
	ADDQ    R12, R13
	ADDQ    $8, R15
	CMPQ    R15, R9
	JNE     tap1

	VMAXPS  Z0, Z31, Z0
	VMOVUPS Z0, (DI)(BX*1)
	ADDQ    $64, BX
	CMPQ    BX, R12
	JLT     block1

	ADDQ DX, SI
	ADDQ R12, DI
	DECQ CX
	JNZ  loop1

done:
	VZEROUPPER
	RET

// func convDWAVX512(dw, x *float32, taps *int, k int, dz *float32, f, oh, ow, sx, sy int)
//
// Filter blocks of 32 (the last of 16 when f is an odd number of 16s), each
// in passes over tap groups (up to 14 taps for 32 filters, 31 for 16): for
// each output row a pass zeroes one register of sums per tap and 16
// filters, runs through the row's pixels (the pixel's dz loaded once, each
// tap's x value broadcast once, one multiply-add per sum), and adds the
// sums into dw.
//
// Registers: DI dw, SI x, R10 dz, R12 f·4, DX sx·4, BX the filter block's
// byte offset, R15 the group's first tap in taps, R9 the group's tap count,
// R11 rows left, R14 x at the current row, R13 x and R8 dz at the current
// pixel, CX pixels left in the row, AX scratch (a tap's offset; dw at the
// group's first tap). 32 filters: Z0…Z27 the sums (tap t in Z2t and
// Z2t+1), Z28 and Z29 the pixel's dz, Z31 the broadcast x value. 16
// filters: Z0…Z30 the sums (tap t in Zt), Z31 the pixel's dz.

// DW_TAP2 accumulates tap n−1 (its offset at off(R15)) into lo and hi, and
// leaves the pixel after the group's last tap.
#define DW_TAP2(off, n, lo, hi) \
	MOVQ         off(R15), AX; \
	VBROADCASTSS (R13)(AX*4), Z31; \
	VFMADD231PS  Z28, Z31, lo; \
	VFMADD231PS  Z29, Z31, hi; \
	CMPQ         R9, $n; \
	JEQ          dwPix2Done

// DW_SAVE2 adds the sums of tap n−1 into dw at AX and steps AX to the next
// tap's row.
#define DW_SAVE2(n, lo, hi) \
	VADDPS  (AX), lo, lo; \
	VADDPS  64(AX), hi, hi; \
	VMOVUPS lo, (AX); \
	VMOVUPS hi, 64(AX); \
	ADDQ    R12, AX; \
	CMPQ    R9, $n; \
	JEQ     dwSaved2

#define DW_TAP1(off, n, acc) \
	MOVQ             off(R15), AX; \
	VFMADD231PS.BCST (R13)(AX*4), Z31, acc; \
	CMPQ             R9, $n; \
	JEQ              dwPix1Done

#define DW_SAVE1(n, acc) \
	VADDPS  (AX), acc, acc; \
	VMOVUPS acc, (AX); \
	ADDQ    R12, AX; \
	CMPQ    R9, $n; \
	JEQ     dwSaved1

TEXT ·convDWAVX512(SB), NOSPLIT, $0-80
	MOVQ dw+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ dz+32(FP), R10
	MOVQ f+40(FP), R12
	SHLQ $2, R12
	MOVQ sx+64(FP), DX
	SHLQ $2, DX
	XORQ BX, BX

dwBlock:
	MOVQ taps+16(FP), R15
	MOVQ R12, AX
	SUBQ BX, AX
	CMPQ AX, $128
	JLT  dwGroup1

dwGroup2:
	MOVQ taps+16(FP), AX
	MOVQ k+24(FP), R9
	LEAQ (AX)(R9*8), R9
	SUBQ R15, R9
	SHRQ $3, R9
	CMPQ R9, $14
	JLE  dwRows2
	MOVQ $14, R9

dwRows2:
	MOVQ oh+48(FP), R11
	MOVQ SI, R14
	LEAQ (R10)(BX*1), R8

dwRow2:
	ZERO_Z0_Z15
	ZERO_Z16_Z27
	MOVQ ow+56(FP), CX
	MOVQ R14, R13

dwPix2:
	VMOVUPS (R8), Z28
	VMOVUPS 64(R8), Z29
	DW_TAP2(0, 1, Z0, Z1)
	DW_TAP2(8, 2, Z2, Z3)
	DW_TAP2(16, 3, Z4, Z5)
	DW_TAP2(24, 4, Z6, Z7)
	DW_TAP2(32, 5, Z8, Z9)
	DW_TAP2(40, 6, Z10, Z11)
	DW_TAP2(48, 7, Z12, Z13)
	DW_TAP2(56, 8, Z14, Z15)
	DW_TAP2(64, 9, Z16, Z17)
	DW_TAP2(72, 10, Z18, Z19)
	DW_TAP2(80, 11, Z20, Z21)
	DW_TAP2(88, 12, Z22, Z23)
	DW_TAP2(96, 13, Z24, Z25)
	DW_TAP2(104, 14, Z26, Z27)

dwPix2Done:
	ADDQ R12, R8
	ADDQ DX, R13
	DECQ CX
	JNZ  dwPix2

	MOVQ  R15, AX
	SUBQ  taps+16(FP), AX
	SHRQ  $3, AX
	IMULQ R12, AX
	ADDQ  DI, AX
	ADDQ  BX, AX
	DW_SAVE2(1, Z0, Z1)
	DW_SAVE2(2, Z2, Z3)
	DW_SAVE2(3, Z4, Z5)
	DW_SAVE2(4, Z6, Z7)
	DW_SAVE2(5, Z8, Z9)
	DW_SAVE2(6, Z10, Z11)
	DW_SAVE2(7, Z12, Z13)
	DW_SAVE2(8, Z14, Z15)
	DW_SAVE2(9, Z16, Z17)
	DW_SAVE2(10, Z18, Z19)
	DW_SAVE2(11, Z20, Z21)
	DW_SAVE2(12, Z22, Z23)
	DW_SAVE2(13, Z24, Z25)
	DW_SAVE2(14, Z26, Z27)

dwSaved2:
	MOVQ sy+72(FP), AX
	LEAQ (R14)(AX*4), R14
	DECQ R11
	JNZ  dwRow2
	LEAQ (R15)(R9*8), R15
	MOVQ taps+16(FP), AX
	MOVQ k+24(FP), R11
	LEAQ (AX)(R11*8), AX
	CMPQ R15, AX
	JNE  dwGroup2
	ADDQ $128, BX
	CMPQ BX, R12
	JLT  dwBlock
	JMP  dwDone

dwGroup1:
	MOVQ taps+16(FP), AX
	MOVQ k+24(FP), R9
	LEAQ (AX)(R9*8), R9
	SUBQ R15, R9
	SHRQ $3, R9
	CMPQ R9, $31
	JLE  dwRows1
	MOVQ $31, R9

dwRows1:
	MOVQ oh+48(FP), R11
	MOVQ SI, R14
	LEAQ (R10)(BX*1), R8

dwRow1:
	ZERO_Z0_Z15
	ZERO_Z16_Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	MOVQ ow+56(FP), CX
	MOVQ R14, R13

dwPix1:
	VMOVUPS (R8), Z31
	DW_TAP1(0, 1, Z0)
	DW_TAP1(8, 2, Z1)
	DW_TAP1(16, 3, Z2)
	DW_TAP1(24, 4, Z3)
	DW_TAP1(32, 5, Z4)
	DW_TAP1(40, 6, Z5)
	DW_TAP1(48, 7, Z6)
	DW_TAP1(56, 8, Z7)
	DW_TAP1(64, 9, Z8)
	DW_TAP1(72, 10, Z9)
	DW_TAP1(80, 11, Z10)
	DW_TAP1(88, 12, Z11)
	DW_TAP1(96, 13, Z12)
	DW_TAP1(104, 14, Z13)
	DW_TAP1(112, 15, Z14)
	DW_TAP1(120, 16, Z15)
	DW_TAP1(128, 17, Z16)
	DW_TAP1(136, 18, Z17)
	DW_TAP1(144, 19, Z18)
	DW_TAP1(152, 20, Z19)
	DW_TAP1(160, 21, Z20)
	DW_TAP1(168, 22, Z21)
	DW_TAP1(176, 23, Z22)
	DW_TAP1(184, 24, Z23)
	DW_TAP1(192, 25, Z24)
	DW_TAP1(200, 26, Z25)
	DW_TAP1(208, 27, Z26)
	DW_TAP1(216, 28, Z27)
	DW_TAP1(224, 29, Z28)
	DW_TAP1(232, 30, Z29)
	DW_TAP1(240, 31, Z30)

dwPix1Done:
	ADDQ R12, R8
	ADDQ DX, R13
	DECQ CX
	JNZ  dwPix1

	MOVQ  R15, AX
	SUBQ  taps+16(FP), AX
	SHRQ  $3, AX
	IMULQ R12, AX
	ADDQ  DI, AX
	ADDQ  BX, AX
	DW_SAVE1(1, Z0)
	DW_SAVE1(2, Z1)
	DW_SAVE1(3, Z2)
	DW_SAVE1(4, Z3)
	DW_SAVE1(5, Z4)
	DW_SAVE1(6, Z5)
	DW_SAVE1(7, Z6)
	DW_SAVE1(8, Z7)
	DW_SAVE1(9, Z8)
	DW_SAVE1(10, Z9)
	DW_SAVE1(11, Z10)
	DW_SAVE1(12, Z11)
	DW_SAVE1(13, Z12)
	DW_SAVE1(14, Z13)
	DW_SAVE1(15, Z14)
	DW_SAVE1(16, Z15)
	DW_SAVE1(17, Z16)
	DW_SAVE1(18, Z17)
	DW_SAVE1(19, Z18)
	DW_SAVE1(20, Z19)
	DW_SAVE1(21, Z20)
	DW_SAVE1(22, Z21)
	DW_SAVE1(23, Z22)
	DW_SAVE1(24, Z23)
	DW_SAVE1(25, Z24)
	DW_SAVE1(26, Z25)
	DW_SAVE1(27, Z26)
	DW_SAVE1(28, Z27)
	DW_SAVE1(29, Z28)
	DW_SAVE1(30, Z29)
	DW_SAVE1(31, Z30)

dwSaved1:
	MOVQ sy+72(FP), AX
	LEAQ (R14)(AX*4), R14
	DECQ R11
	JNZ  dwRow1
	LEAQ (R15)(R9*8), R15
	MOVQ taps+16(FP), AX
	MOVQ k+24(FP), R11
	LEAQ (AX)(R11*8), AX
	CMPQ R15, AX
	JNE  dwGroup1

dwDone:
	VZEROUPPER
	RET

// func im2colRunAVX512(dst, src *float32, npix, kh, rowLen, srcRow, srcPix, dstPix int, mask uint16)
//
// Registers: DI dst and SI src at the current pixel, CX pixels left, R8
// kh, R9 rowLen, R10 srcRow·4, R11 srcPix·4, R12 dstPix·4, AX the source
// row, BX the destination, R13 rows left, R14 the source cursor, DX values
// left in the row; K1 the tail mask.
TEXT ·im2colRunAVX512(SB), NOSPLIT, $0-66
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ npix+16(FP), CX
	MOVQ kh+24(FP), R8
	MOVQ rowLen+32(FP), R9
	MOVQ srcRow+40(FP), R10
	SHLQ $2, R10
	MOVQ srcPix+48(FP), R11
	SHLQ $2, R11
	MOVQ dstPix+56(FP), R12
	SHLQ $2, R12
	KMOVW mask+64(FP), K1

i2cPix:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R8, R13

i2cRow:
	MOVQ AX, R14
	MOVQ R9, DX
	CMPQ DX, $16
	JB   i2cTail

i2cChunk:
	VMOVUPS (R14), Z0
	VMOVUPS Z0, (BX)
	ADDQ    $64, R14
	ADDQ    $64, BX
	SUBQ    $16, DX
	CMPQ    DX, $16
	JAE     i2cChunk

i2cTail:
	TESTQ DX, DX
	JZ    i2cRowDone
	VMOVUPS.Z (R14), K1, Z0
	VMOVUPS   Z0, K1, (BX)
	LEAQ      (BX)(DX*4), BX

i2cRowDone:
	ADDQ R10, AX
	DECQ R13
	JNZ  i2cRow

	ADDQ R11, SI
	ADDQ R12, DI
	DECQ CX
	JNZ  i2cPix
	VZEROUPPER
	RET

// func col2imRunAVX512(cols, dx *float32, npix, kh, rowLen, dxRow, dxPix, colsPix int, mask uint16)
//
// Registers as im2colRunAVX512 with the roles of the operands swapped: DI
// cols (read in order), SI dx (added into, dx + cols as the Go twin's
// d[i] += s[i]).
TEXT ·col2imRunAVX512(SB), NOSPLIT, $0-66
	MOVQ cols+0(FP), DI
	MOVQ dx+8(FP), SI
	MOVQ npix+16(FP), CX
	MOVQ kh+24(FP), R8
	MOVQ rowLen+32(FP), R9
	MOVQ dxRow+40(FP), R10
	SHLQ $2, R10
	MOVQ dxPix+48(FP), R11
	SHLQ $2, R11
	MOVQ colsPix+56(FP), R12
	SHLQ $2, R12
	KMOVW mask+64(FP), K1

c2iPix:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R8, R13

c2iRow:
	MOVQ AX, R14
	MOVQ R9, DX
	CMPQ DX, $16
	JB   c2iTail

c2iChunk:
	VMOVUPS (R14), Z0
	VADDPS  (BX), Z0, Z0
	VMOVUPS Z0, (R14)
	ADDQ    $64, R14
	ADDQ    $64, BX
	SUBQ    $16, DX
	CMPQ    DX, $16
	JAE     c2iChunk

c2iTail:
	TESTQ DX, DX
	JZ    c2iRowDone
	VMOVUPS.Z (R14), K1, Z0
	VMOVUPS.Z (BX), K1, Z1
	VADDPS    Z1, Z0, Z0
	VMOVUPS   Z0, K1, (R14)
	LEAQ      (BX)(DX*4), BX

c2iRowDone:
	ADDQ R10, AX
	DECQ R13
	JNZ  c2iRow

	ADDQ R11, SI
	ADDQ R12, DI
	DECQ CX
	JNZ  c2iPix
	VZEROUPPER
	RET

// PIX_TRANSPOSE8 is TRANSPOSE8 of gemm_pack_amd64.s: the 8×8 block in rows
// Y0..Y7 transposed into Y8..Y15 (Y8+j holds column j), the usual
// 24-shuffle AVX transpose.
#define PIX_TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8; \
	VUNPCKHPS  Y1, Y0, Y9; \
	VUNPCKLPS  Y3, Y2, Y10; \
	VUNPCKHPS  Y3, Y2, Y11; \
	VUNPCKLPS  Y5, Y4, Y12; \
	VUNPCKHPS  Y5, Y4, Y13; \
	VUNPCKLPS  Y7, Y6, Y14; \
	VUNPCKHPS  Y7, Y6, Y15; \
	VSHUFPS    $0x44, Y10, Y8, Y0; \
	VSHUFPS    $0xEE, Y10, Y8, Y1; \
	VSHUFPS    $0x44, Y11, Y9, Y2; \
	VSHUFPS    $0xEE, Y11, Y9, Y3; \
	VSHUFPS    $0x44, Y14, Y12, Y4; \
	VSHUFPS    $0xEE, Y14, Y12, Y5; \
	VSHUFPS    $0x44, Y15, Y13, Y6; \
	VSHUFPS    $0xEE, Y15, Y13, Y7; \
	VPERM2F128 $0x20, Y4, Y0, Y8; \
	VPERM2F128 $0x20, Y5, Y1, Y9; \
	VPERM2F128 $0x20, Y6, Y2, Y10; \
	VPERM2F128 $0x20, Y7, Y3, Y11; \
	VPERM2F128 $0x31, Y4, Y0, Y12; \
	VPERM2F128 $0x31, Y5, Y1, Y13; \
	VPERM2F128 $0x31, Y6, Y2, Y14; \
	VPERM2F128 $0x31, Y7, Y3, Y15

// func packPix8AVX2(dst *float32, srcs *[8]*float32, n int)
//
// Registers: R8…R15 the eight rows, AX the byte offset into them, DI dst,
// CX blocks of 8 values left.
TEXT ·packPix8AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ srcs+8(FP), SI
	MOVQ 0(SI), R8
	MOVQ 8(SI), R9
	MOVQ 16(SI), R10
	MOVQ 24(SI), R11
	MOVQ 32(SI), R12
	MOVQ 40(SI), R13
	MOVQ 48(SI), R14
	MOVQ 56(SI), R15
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   pixDone
	XORQ AX, AX

pixLoop:
	VMOVUPS (R8)(AX*1), Y0
	VMOVUPS (R9)(AX*1), Y1
	VMOVUPS (R10)(AX*1), Y2
	VMOVUPS (R11)(AX*1), Y3
	VMOVUPS (R12)(AX*1), Y4
	VMOVUPS (R13)(AX*1), Y5
	VMOVUPS (R14)(AX*1), Y6
	VMOVUPS (R15)(AX*1), Y7
	PIX_TRANSPOSE8
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, 32(DI)
	VMOVUPS Y10, 64(DI)
	VMOVUPS Y11, 96(DI)
	VMOVUPS Y12, 128(DI)
	VMOVUPS Y13, 160(DI)
	VMOVUPS Y14, 192(DI)
	VMOVUPS Y15, 224(DI)
	ADDQ    $32, AX
	ADDQ    $256, DI
	DECQ    CX
	JNZ     pixLoop

pixDone:
	VZEROUPPER
	RET
