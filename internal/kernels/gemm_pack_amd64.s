//go:build !noasm

#include "textflag.h"

// TRANSPOSE8 transposes the 8×8 block held in rows Y0..Y7 into columns
// Y0..Y7 (column q: the q-th element of every row), with Y8..Y15 as
// scratch: unpack pairs of rows, shuffle pairs of pairs, then swap 128-bit
// halves, the usual 24-shuffle AVX transpose.
#define TRANSPOSE8 \
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

// func packT8AVX2(dst *float32, ldd int, src *float32, lds int, n int, alpha float32)
TEXT ·packT8AVX2(SB), NOSPLIT, $0-44
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R11
	SHLQ $2, R11         // ldd in bytes
	LEAQ (R11)(R11*2), R12 // 3·ldd
	LEAQ (DI)(R11*4), R13
	ADDQ R11, R13        // DI + 5·ldd
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), R8
	SHLQ $2, R8          // lds in bytes
	LEAQ (R8)(R8*2), R9  // 3·lds
	LEAQ (SI)(R8*4), R10
	ADDQ R8, R10         // SI + 5·lds
	MOVQ n+32(FP), CX
	SHRQ $3, CX
	JZ   done
	MOVQ R11, DX
	SHLQ $3, DX          // 8·ldd: DI's step per block
	MOVL alpha+40(FP), AX
	CMPL AX, $0x3f800000 // alpha == 1: no scaling
	JEQ  loop1

loopAlpha:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (SI)(R8*4), Y4
	VMOVUPS (R10), Y5
	VMOVUPS (R10)(R8*1), Y6
	VMOVUPS (R10)(R8*2), Y7
	TRANSPOSE8
	VBROADCASTSS alpha+40(FP), Y0 // the transpose needs all 16 registers
	VMULPS Y0, Y8, Y8
	VMULPS Y0, Y9, Y9
	VMULPS Y0, Y10, Y10
	VMULPS Y0, Y11, Y11
	VMULPS Y0, Y12, Y12
	VMULPS Y0, Y13, Y13
	VMULPS Y0, Y14, Y14
	VMULPS Y0, Y15, Y15
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R11*1)
	VMOVUPS Y10, (DI)(R11*2)
	VMOVUPS Y11, (DI)(R12*1)
	VMOVUPS Y12, (DI)(R11*4)
	VMOVUPS Y13, (R13)
	VMOVUPS Y14, (R13)(R11*1)
	VMOVUPS Y15, (R13)(R11*2)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ DX, DI
	ADDQ DX, R13
	DECQ CX
	JNZ  loopAlpha
	JMP  done

loop1:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (SI)(R9*1), Y3
	VMOVUPS (SI)(R8*4), Y4
	VMOVUPS (R10), Y5
	VMOVUPS (R10)(R8*1), Y6
	VMOVUPS (R10)(R8*2), Y7
	TRANSPOSE8
	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R11*1)
	VMOVUPS Y10, (DI)(R11*2)
	VMOVUPS Y11, (DI)(R12*1)
	VMOVUPS Y12, (DI)(R11*4)
	VMOVUPS Y13, (R13)
	VMOVUPS Y14, (R13)(R11*1)
	VMOVUPS Y15, (R13)(R11*2)
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ DX, DI
	ADDQ DX, R13
	DECQ CX
	JNZ  loop1

done:
	VZEROUPPER
	RET

// func packRowsAVX2(dst *float32, ldd int, src *float32, lds int, rows, width int, alpha float32)
TEXT ·packRowsAVX2(SB), NOSPLIT, $0-52
	MOVQ dst+0(FP), DI
	MOVQ ldd+8(FP), R11
	SHLQ $2, R11 // ldd in bytes
	MOVQ src+16(FP), SI
	MOVQ lds+24(FP), R8
	SHLQ $2, R8  // lds in bytes
	MOVQ rows+32(FP), CX
	MOVQ width+40(FP), R9
	SHRQ $3, R9  // groups of 8 per row
	TESTQ CX, CX
	JZ   rowsDone
	TESTQ R9, R9
	JZ   rowsDone
	VBROADCASTSS alpha+48(FP), Y15
	MOVL alpha+48(FP), AX
	CMPL AX, $0x3f800000 // alpha == 1: plain copies
	JEQ  copyRow

scaleRow:
	XORQ DX, DX
	MOVQ R9, R10

scaleGroup:
	VMULPS  (SI)(DX*1), Y15, Y0
	VMOVUPS Y0, (DI)(DX*1)
	ADDQ    $32, DX
	DECQ    R10
	JNZ     scaleGroup
	ADDQ    R8, SI
	ADDQ    R11, DI
	DECQ    CX
	JNZ     scaleRow
	JMP     rowsDone

copyRow:
	XORQ DX, DX
	MOVQ R9, R10

copyGroup:
	VMOVUPS (SI)(DX*1), Y0
	VMOVUPS Y0, (DI)(DX*1)
	ADDQ    $32, DX
	DECQ    R10
	JNZ     copyGroup
	ADDQ    R8, SI
	ADDQ    R11, DI
	DECQ    CX
	JNZ     copyRow

rowsDone:
	VZEROUPPER
	RET
