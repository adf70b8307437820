//go:build !noasm

#include "textflag.h"

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

// func convDWRowAVX512(dw, x *float32, taps *int, k int, dz *float32, f, n, sx int)
//
// Registers: DI dw at the current tap's row, SI x, R15 the current tap, R9
// taps end, R10 dz, R12 f·4, DX sx·4, R14 3·sx·4, AX x at the current tap
// for pixel 0, BX the filter block's byte offset, R8 dz and R13 x at the
// current pixels, CX pixels left, R11 scratch. Z0…Z3 are the four partial
// sums (pixel i into Z(i mod 4), the tail into Z0).
TEXT ·convDWRowAVX512(SB), NOSPLIT, $0-64
	MOVQ dw+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ taps+16(FP), R15
	MOVQ k+24(FP), R9
	LEAQ (R15)(R9*8), R9
	MOVQ dz+32(FP), R10
	MOVQ f+40(FP), R12
	SHLQ $2, R12
	MOVQ sx+56(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R14

dtap:
	MOVQ (R15), AX
	LEAQ (SI)(AX*4), AX
	XORQ BX, BX

dblock:
	MOVQ   n+48(FP), CX
	LEAQ   (R10)(BX*1), R8
	MOVQ   AX, R13
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	CMPQ   CX, $4
	JLT    dtail

dloop4:
	VMOVUPS (R8), Z4
	VFMADD231PS.BCST (R13), Z4, Z0
	VMOVUPS (R8)(R12*1), Z5
	VFMADD231PS.BCST (R13)(DX*1), Z5, Z1
	VMOVUPS (R8)(R12*2), Z6
	VFMADD231PS.BCST (R13)(DX*2), Z6, Z2
	LEAQ    (R8)(R12*2), R11
	VMOVUPS (R11)(R12*1), Z7
	VFMADD231PS.BCST (R13)(R14*1), Z7, Z3
	LEAQ    (R8)(R12*4), R8
	LEAQ    (R13)(DX*4), R13
	SUBQ    $4, CX
	CMPQ    CX, $4
	JGE     dloop4

dtail:
	TESTQ CX, CX
	JZ    dsum

dloop1:
	VMOVUPS (R8), Z4
	VFMADD231PS.BCST (R13), Z4, Z0
	ADDQ    R12, R8
	ADDQ    DX, R13
	DECQ    CX
	JNZ     dloop1

dsum:
	VADDPS  Z1, Z0, Z0
	VADDPS  Z3, Z2, Z2
	VADDPS  Z2, Z0, Z0
	VADDPS  (DI)(BX*1), Z0, Z0
	VMOVUPS Z0, (DI)(BX*1)
	ADDQ    $64, BX
	CMPQ    BX, R12
	JLT     dblock

	ADDQ R12, DI
	ADDQ $8, R15
	CMPQ R15, R9
	JNE  dtap

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
