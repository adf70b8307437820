//go:build !noasm

#include "textflag.h"

// AVX-512 per-tile transforms of Winograd F(2×2, 3×3) convolution
// (winograd_xform.go); the Go declarations are in winograd_xform_amd64.go.
// Channels run along the lanes, 16 per register: each pass of a loop
// transforms one 16-channel chunk of a tile with all 16 of its values in
// registers, loaded from and stored to the caller's pointers. The
// additions, subtractions and negations are those of the Go twins, in the
// same order with the same first operand (Go asm VSUBPS b, a, d is
// d = a − b), so that the results have the same bits; negation flips the
// sign bit (VPXORD with −0.0), as Go's unary minus does.

// func wgInputAVX512(rows *[4]*float32, c int, dst *float32, ld int)
//
// Registers: R8…R11 the four input rows, CX c·4 (the bytes between two
// pixels of a row), R12 3·c·4, DI dst, DX ld·4, R13 3·ld·4, BX the chunk's
// byte offset, AX the current row or tile row. Z0…Z15 hold d (d[r][q] in
// Z(4r+q)) and then V (V[i][j] in Z(4i+j)), Z16…Z31 t = Bᵀd (t[k][q] in
// Z(16+4k+q)).
TEXT ·wgInputAVX512(SB), NOSPLIT, $0-32
	MOVQ rows+0(FP), AX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	MOVQ c+8(FP), CX
	SHLQ $2, CX
	LEAQ (CX)(CX*2), R12
	MOVQ dst+16(FP), DI
	MOVQ ld+24(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R13
	XORQ BX, BX
	TESTQ CX, CX
	JZ    inDone

inLoop:
	LEAQ    (R8)(BX*1), AX
	VMOVUPS (AX), Z0
	VMOVUPS (AX)(CX*1), Z1
	VMOVUPS (AX)(CX*2), Z2
	VMOVUPS (AX)(R12*1), Z3
	LEAQ    (R9)(BX*1), AX
	VMOVUPS (AX), Z4
	VMOVUPS (AX)(CX*1), Z5
	VMOVUPS (AX)(CX*2), Z6
	VMOVUPS (AX)(R12*1), Z7
	LEAQ    (R10)(BX*1), AX
	VMOVUPS (AX), Z8
	VMOVUPS (AX)(CX*1), Z9
	VMOVUPS (AX)(CX*2), Z10
	VMOVUPS (AX)(R12*1), Z11
	LEAQ    (R11)(BX*1), AX
	VMOVUPS (AX), Z12
	VMOVUPS (AX)(CX*1), Z13
	VMOVUPS (AX)(CX*2), Z14
	VMOVUPS (AX)(R12*1), Z15

	VSUBPS  Z8, Z0, Z16
	VADDPS  Z8, Z4, Z20
	VSUBPS  Z4, Z8, Z24
	VSUBPS  Z12, Z4, Z28
	VSUBPS  Z9, Z1, Z17
	VADDPS  Z9, Z5, Z21
	VSUBPS  Z5, Z9, Z25
	VSUBPS  Z13, Z5, Z29
	VSUBPS  Z10, Z2, Z18
	VADDPS  Z10, Z6, Z22
	VSUBPS  Z6, Z10, Z26
	VSUBPS  Z14, Z6, Z30
	VSUBPS  Z11, Z3, Z19
	VADDPS  Z11, Z7, Z23
	VSUBPS  Z7, Z11, Z27
	VSUBPS  Z15, Z7, Z31

	LEAQ    (DI)(BX*1), AX
	VSUBPS  Z18, Z16, Z0
	VADDPS  Z18, Z17, Z1
	VSUBPS  Z17, Z18, Z2
	VSUBPS  Z19, Z17, Z3
	VMOVUPS Z0, (AX)
	VMOVUPS Z1, (AX)(DX*1)
	VMOVUPS Z2, (AX)(DX*2)
	VMOVUPS Z3, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VSUBPS  Z22, Z20, Z4
	VADDPS  Z22, Z21, Z5
	VSUBPS  Z21, Z22, Z6
	VSUBPS  Z23, Z21, Z7
	VMOVUPS Z4, (AX)
	VMOVUPS Z5, (AX)(DX*1)
	VMOVUPS Z6, (AX)(DX*2)
	VMOVUPS Z7, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VSUBPS  Z26, Z24, Z8
	VADDPS  Z26, Z25, Z9
	VSUBPS  Z25, Z26, Z10
	VSUBPS  Z27, Z25, Z11
	VMOVUPS Z8, (AX)
	VMOVUPS Z9, (AX)(DX*1)
	VMOVUPS Z10, (AX)(DX*2)
	VMOVUPS Z11, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VSUBPS  Z30, Z28, Z12
	VADDPS  Z30, Z29, Z13
	VSUBPS  Z29, Z30, Z14
	VSUBPS  Z31, Z29, Z15
	VMOVUPS Z12, (AX)
	VMOVUPS Z13, (AX)(DX*1)
	VMOVUPS Z14, (AX)(DX*2)
	VMOVUPS Z15, (AX)(R13*1)
	ADDQ $64, BX
	CMPQ BX, CX
	JLT  inLoop

inDone:
	VZEROUPPER
	RET

// func wgOutputAVX512(src *float32, ld, c int, bias *float32, relu bool, dst *[4]*float32)
//
// Registers: SI src, DX ld·4, R13 3·ld·4, CX c·4, R12 bias (0: none),
// R8…R11 the four output pixels, BX the chunk's byte offset, AX the
// current tile row. Z0…Z15 hold m (m[i][j] in Z(4i+j)), Z16…Z23 s = Aᵀm
// (s[r][j] in Z(16+4r+j)), Z24…Z27 y (y[r][q] in Z(24+2r+q)), Z28 the
// bias. Z30 holds the lower clamp: 0 with relu, −∞ without; VMAXPS y,
// Z30, y returns y when either is NaN or both are zeros (Intel SDM, MAXPS:
// the second source), which is the Go twin's "if y < 0 { y = 0 }", and
// never changes y against −∞.
TEXT ·wgOutputAVX512(SB), NOSPLIT, $0-48
	MOVQ src+0(FP), SI
	MOVQ ld+8(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R13
	MOVQ c+16(FP), CX
	SHLQ $2, CX
	MOVQ bias+24(FP), R12
	MOVQ dst+40(FP), AX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	VPXORD  Z30, Z30, Z30
	MOVBLZX relu+32(FP), AX
	TESTQ   AX, AX
	JNZ     outClampSet
	MOVL    $0xff800000, AX
	VPBROADCASTD AX, Z30

outClampSet:
	XORQ  BX, BX
	TESTQ CX, CX
	JZ    outDone

outLoop:
	LEAQ    (SI)(BX*1), AX
	VMOVUPS (AX), Z0
	VMOVUPS (AX)(DX*1), Z1
	VMOVUPS (AX)(DX*2), Z2
	VMOVUPS (AX)(R13*1), Z3
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z4
	VMOVUPS (AX)(DX*1), Z5
	VMOVUPS (AX)(DX*2), Z6
	VMOVUPS (AX)(R13*1), Z7
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z8
	VMOVUPS (AX)(DX*1), Z9
	VMOVUPS (AX)(DX*2), Z10
	VMOVUPS (AX)(R13*1), Z11
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z12
	VMOVUPS (AX)(DX*1), Z13
	VMOVUPS (AX)(DX*2), Z14
	VMOVUPS (AX)(R13*1), Z15

	VADDPS  Z4, Z0, Z16
	VADDPS  Z8, Z16, Z16
	VSUBPS  Z8, Z4, Z20
	VSUBPS  Z12, Z20, Z20
	VADDPS  Z5, Z1, Z17
	VADDPS  Z9, Z17, Z17
	VSUBPS  Z9, Z5, Z21
	VSUBPS  Z13, Z21, Z21
	VADDPS  Z6, Z2, Z18
	VADDPS  Z10, Z18, Z18
	VSUBPS  Z10, Z6, Z22
	VSUBPS  Z14, Z22, Z22
	VADDPS  Z7, Z3, Z19
	VADDPS  Z11, Z19, Z19
	VSUBPS  Z11, Z7, Z23
	VSUBPS  Z15, Z23, Z23

	VADDPS  Z17, Z16, Z24
	VADDPS  Z18, Z24, Z24
	VSUBPS  Z18, Z17, Z25
	VSUBPS  Z19, Z25, Z25
	VADDPS  Z21, Z20, Z26
	VADDPS  Z22, Z26, Z26
	VSUBPS  Z22, Z21, Z27
	VSUBPS  Z23, Z27, Z27

	TESTQ   R12, R12
	JZ      outNoBias
	VMOVUPS (R12)(BX*1), Z28
	VADDPS  Z28, Z24, Z24
	VADDPS  Z28, Z25, Z25
	VADDPS  Z28, Z26, Z26
	VADDPS  Z28, Z27, Z27

outNoBias:
	VMAXPS  Z24, Z30, Z24
	VMAXPS  Z25, Z30, Z25
	VMAXPS  Z26, Z30, Z26
	VMAXPS  Z27, Z30, Z27
	VMOVUPS Z24, (R8)(BX*1)
	VMOVUPS Z25, (R9)(BX*1)
	VMOVUPS Z26, (R10)(BX*1)
	VMOVUPS Z27, (R11)(BX*1)
	ADDQ    $64, BX
	CMPQ    BX, CX
	JLT     outLoop

outDone:
	VZEROUPPER
	RET

// func wgGradOutAVX512(src *[4]*float32, c int, dst *float32, ld int)
//
// Registers: R8…R11 the four output-gradient pixels, CX c·4, DI dst, DX
// ld·4, R13 3·ld·4, BX the chunk's byte offset, AX the current tile row.
// Z0…Z3 hold dz (dz[r][q] in Z(2r+q)), which is also t[0] = dz[0]; Z4…Z9
// the rows 1…3 of t = A·dz (t[k][q] in Z(2k+q+2)); Z10…Z12 a row of M; Z31
// −0.0, the sign bit.
TEXT ·wgGradOutAVX512(SB), NOSPLIT, $0-32
	MOVQ src+0(FP), AX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	MOVQ c+8(FP), CX
	SHLQ $2, CX
	MOVQ dst+16(FP), DI
	MOVQ ld+24(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R13
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z31
	XORQ  BX, BX
	TESTQ CX, CX
	JZ    goDone

goLoop:
	VMOVUPS (R8)(BX*1), Z0
	VMOVUPS (R9)(BX*1), Z1
	VMOVUPS (R10)(BX*1), Z2
	VMOVUPS (R11)(BX*1), Z3

	VADDPS  Z2, Z0, Z4
	VADDPS  Z3, Z1, Z5
	VSUBPS  Z2, Z0, Z6
	VSUBPS  Z3, Z1, Z7
	VPXORD  Z31, Z2, Z8
	VPXORD  Z31, Z3, Z9

	LEAQ    (DI)(BX*1), AX
	VMOVUPS Z0, (AX)
	VADDPS  Z1, Z0, Z10
	VMOVUPS Z10, (AX)(DX*1)
	VSUBPS  Z1, Z0, Z11
	VMOVUPS Z11, (AX)(DX*2)
	VPXORD  Z31, Z1, Z12
	VMOVUPS Z12, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VMOVUPS Z4, (AX)
	VADDPS  Z5, Z4, Z10
	VMOVUPS Z10, (AX)(DX*1)
	VSUBPS  Z5, Z4, Z11
	VMOVUPS Z11, (AX)(DX*2)
	VPXORD  Z31, Z5, Z12
	VMOVUPS Z12, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VMOVUPS Z6, (AX)
	VADDPS  Z7, Z6, Z10
	VMOVUPS Z10, (AX)(DX*1)
	VSUBPS  Z7, Z6, Z11
	VMOVUPS Z11, (AX)(DX*2)
	VPXORD  Z31, Z7, Z12
	VMOVUPS Z12, (AX)(R13*1)
	LEAQ    (AX)(DX*4), AX
	VMOVUPS Z8, (AX)
	VADDPS  Z9, Z8, Z10
	VMOVUPS Z10, (AX)(DX*1)
	VSUBPS  Z9, Z8, Z11
	VMOVUPS Z11, (AX)(DX*2)
	VPXORD  Z31, Z9, Z12
	VMOVUPS Z12, (AX)(R13*1)
	ADDQ    $64, BX
	CMPQ    BX, CX
	JLT     goLoop

goDone:
	VZEROUPPER
	RET

// func wgGradInAVX512(src *float32, ld, c int, rows *[4]*float32)
//
// Registers: SI src, DX ld·4, R13 3·ld·4, CX c·4, R12 3·c·4, R8…R11 the
// four rows added into, BX the chunk's byte offset, AX the current tile
// row or row. Z0…Z15 hold v (v[i][j] in Z(4i+j)), whose row 0 is also
// t[0] = v[0]; Z16…Z27 the rows 1…3 of t = B·v (t[k][j] in Z(12+4k+j));
// Z28 the row values added into, Z29 dd; Z31 −0.0, the sign bit.
TEXT ·wgGradInAVX512(SB), NOSPLIT, $0-32
	MOVQ src+0(FP), SI
	MOVQ ld+8(FP), DX
	SHLQ $2, DX
	LEAQ (DX)(DX*2), R13
	MOVQ c+16(FP), CX
	SHLQ $2, CX
	LEAQ (CX)(CX*2), R12
	MOVQ rows+24(FP), AX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z31
	XORQ  BX, BX
	TESTQ CX, CX
	JZ    giDone

giLoop:
	LEAQ    (SI)(BX*1), AX
	VMOVUPS (AX), Z0
	VMOVUPS (AX)(DX*1), Z1
	VMOVUPS (AX)(DX*2), Z2
	VMOVUPS (AX)(R13*1), Z3
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z4
	VMOVUPS (AX)(DX*1), Z5
	VMOVUPS (AX)(DX*2), Z6
	VMOVUPS (AX)(R13*1), Z7
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z8
	VMOVUPS (AX)(DX*1), Z9
	VMOVUPS (AX)(DX*2), Z10
	VMOVUPS (AX)(R13*1), Z11
	LEAQ    (AX)(DX*4), AX
	VMOVUPS (AX), Z12
	VMOVUPS (AX)(DX*1), Z13
	VMOVUPS (AX)(DX*2), Z14
	VMOVUPS (AX)(R13*1), Z15

	VSUBPS  Z8, Z4, Z16
	VADDPS  Z12, Z16, Z16
	VADDPS  Z8, Z4, Z20
	VSUBPS  Z0, Z20, Z20
	VPXORD  Z31, Z12, Z24
	VSUBPS  Z9, Z5, Z17
	VADDPS  Z13, Z17, Z17
	VADDPS  Z9, Z5, Z21
	VSUBPS  Z1, Z21, Z21
	VPXORD  Z31, Z13, Z25
	VSUBPS  Z10, Z6, Z18
	VADDPS  Z14, Z18, Z18
	VADDPS  Z10, Z6, Z22
	VSUBPS  Z2, Z22, Z22
	VPXORD  Z31, Z14, Z26
	VSUBPS  Z11, Z7, Z19
	VADDPS  Z15, Z19, Z19
	VADDPS  Z11, Z7, Z23
	VSUBPS  Z3, Z23, Z23
	VPXORD  Z31, Z15, Z27

	LEAQ    (R8)(BX*1), AX
	VMOVUPS (AX), Z28
	VADDPS  Z0, Z28, Z28
	VMOVUPS Z28, (AX)
	VSUBPS  Z2, Z1, Z29
	VADDPS  Z3, Z29, Z29
	VMOVUPS (AX)(CX*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*1)
	VADDPS  Z2, Z1, Z29
	VSUBPS  Z0, Z29, Z29
	VMOVUPS (AX)(CX*2), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*2)
	VPXORD  Z31, Z3, Z29
	VMOVUPS (AX)(R12*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(R12*1)

	LEAQ    (R9)(BX*1), AX
	VMOVUPS (AX), Z28
	VADDPS  Z16, Z28, Z28
	VMOVUPS Z28, (AX)
	VSUBPS  Z18, Z17, Z29
	VADDPS  Z19, Z29, Z29
	VMOVUPS (AX)(CX*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*1)
	VADDPS  Z18, Z17, Z29
	VSUBPS  Z16, Z29, Z29
	VMOVUPS (AX)(CX*2), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*2)
	VPXORD  Z31, Z19, Z29
	VMOVUPS (AX)(R12*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(R12*1)

	LEAQ    (R10)(BX*1), AX
	VMOVUPS (AX), Z28
	VADDPS  Z20, Z28, Z28
	VMOVUPS Z28, (AX)
	VSUBPS  Z22, Z21, Z29
	VADDPS  Z23, Z29, Z29
	VMOVUPS (AX)(CX*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*1)
	VADDPS  Z22, Z21, Z29
	VSUBPS  Z20, Z29, Z29
	VMOVUPS (AX)(CX*2), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*2)
	VPXORD  Z31, Z23, Z29
	VMOVUPS (AX)(R12*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(R12*1)

	LEAQ    (R11)(BX*1), AX
	VMOVUPS (AX), Z28
	VADDPS  Z24, Z28, Z28
	VMOVUPS Z28, (AX)
	VSUBPS  Z26, Z25, Z29
	VADDPS  Z27, Z29, Z29
	VMOVUPS (AX)(CX*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*1)
	VADDPS  Z26, Z25, Z29
	VSUBPS  Z24, Z29, Z29
	VMOVUPS (AX)(CX*2), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(CX*2)
	VPXORD  Z31, Z27, Z29
	VMOVUPS (AX)(R12*1), Z28
	VADDPS  Z29, Z28, Z28
	VMOVUPS Z28, (AX)(R12*1)

	ADDQ $64, BX
	CMPQ BX, CX
	JLT  giLoop

giDone:
	VZEROUPPER
	RET
