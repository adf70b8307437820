//go:build !noasm

#include "textflag.h"
#include "zmm_amd64.h"

// sgemmKernel8x32StridedAVX512 is sgemmKernel8x32AVX512 (gemm_amd64.s) with
// A read in place: row i of step p is at a + 4·(i·rs + p·ks). As there, row
// i of the tile lives in Z(2i) (columns 0-15) and Z(2i+1) (columns 16-31)
// and Z16/Z17 hold the B row; each FMA broadcasts its A element from memory.
// One addressing mode reaches only base + index·{1,2,4,8}, so the eight rows
// come from three bases, A0 (AX, row 0), A3 (R9, row 3) and A6 (R10, row
// 6), and the row stride R (R8, rs·4 bytes) as index: rows 0-7 are A0,
// A0+R, A0+2R, A3, A0+4R, A3+2R, A6, A6+R. Each step moves the three bases
// on by ks·4 bytes (R11).

// SSTEP512 adds one step of A and B to the tile, b0 and b1 addressing
// B[p][0] and B[p][16], loaded under the column masks K1 and K2, and moves
// the A bases to the next step.
#define SSTEP512(b0, b1) \
	VMOVUPS.Z        b0, K1, Z16; \
	VMOVUPS.Z        b1, K2, Z17; \
	VFMADD231PS.BCST (AX), Z16, Z0; \
	VFMADD231PS.BCST (AX), Z17, Z1; \
	VFMADD231PS.BCST (AX)(R8*1), Z16, Z2; \
	VFMADD231PS.BCST (AX)(R8*1), Z17, Z3; \
	VFMADD231PS.BCST (AX)(R8*2), Z16, Z4; \
	VFMADD231PS.BCST (AX)(R8*2), Z17, Z5; \
	VFMADD231PS.BCST (R9), Z16, Z6; \
	VFMADD231PS.BCST (R9), Z17, Z7; \
	VFMADD231PS.BCST (AX)(R8*4), Z16, Z8; \
	VFMADD231PS.BCST (AX)(R8*4), Z17, Z9; \
	VFMADD231PS.BCST (R9)(R8*2), Z16, Z10; \
	VFMADD231PS.BCST (R9)(R8*2), Z17, Z11; \
	VFMADD231PS.BCST (R10), Z16, Z12; \
	VFMADD231PS.BCST (R10), Z17, Z13; \
	VFMADD231PS.BCST (R10)(R8*1), Z16, Z14; \
	VFMADD231PS.BCST (R10)(R8*1), Z17, Z15; \
	ADDQ             R11, AX; \
	ADDQ             R11, R9; \
	ADDQ             R11, R10

// Output of one row of the tile (z0, z1) to (DI) as ROW512_SET or
// ROW512_ADD (zmm_amd64.h; Z28 holds beta), then DI moves to the next row
// (SI: ldc·4).
#define SROW_SET(z0, z1) ROW512_SET(z0, z1); ADDQ SI, DI
#define SROW_ADD(z0, z1) ROW512_ADD(z0, z1); ADDQ SI, DI

#define SROWS(ROW) \
	ROW(Z0, Z1); \
	ROW(Z2, Z3); \
	ROW(Z4, Z5); \
	ROW(Z6, Z7); \
	ROW(Z8, Z9); \
	ROW(Z10, Z11); \
	ROW(Z12, Z13); \
	ROW(Z14, Z15); \
	VZEROUPPER; \
	RET

// func sgemmKernel8x32StridedAVX512(kc int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, beta float32, mask uint32)
TEXT ·sgemmKernel8x32StridedAVX512(SB), NOSPLIT, $0-72
	MOVQ  kc+0(FP), CX
	MOVQ  a+8(FP), AX
	MOVQ  rs+16(FP), R8
	SHLQ  $2, R8              // R = rs in bytes
	MOVQ  ks+24(FP), R11
	SHLQ  $2, R11             // ks in bytes
	LEAQ  (AX)(R8*2), R9
	ADDQ  R8, R9              // A3 = A0 + 3R
	LEAQ  (R9)(R8*2), R10
	ADDQ  R8, R10             // A6 = A3 + 3R
	MOVQ  b+32(FP), BX
	MOVQ  ldb+40(FP), R13
	SHLQ  $2, R13             // ldb in bytes
	LEAQ  (R13)(R13*2), R14   // 3·ldb
	MOVL  mask+68(FP), R12
	KMOVW R12, K1
	SHRL  $16, R12
	KMOVW R12, K2
	ZERO_Z0_Z15

	MOVQ CX, DX
	SHRQ $2, DX
	JZ   tail

loop4:
	SSTEP512((BX), 64(BX))
	SSTEP512((BX)(R13*1), 64(BX)(R13*1))
	SSTEP512((BX)(R13*2), 64(BX)(R13*2))
	SSTEP512((BX)(R14*1), 64(BX)(R14*1))
	LEAQ (BX)(R13*4), BX // 4 rows of B
	DECQ DX
	JNZ  loop4

tail:
	ANDQ $3, CX
	JZ   output

loop1:
	SSTEP512((BX), 64(BX))
	ADDQ R13, BX
	DECQ CX
	JNZ  loop1

output:
	MOVQ  c+48(FP), DI
	MOVQ  ldc+56(FP), SI
	SHLQ  $2, SI
	MOVL  beta+64(FP), R9
	VPBROADCASTD R9, Z28
	TESTL $0x7fffffff, R9 // beta == ±0: C is not read
	JZ    set
	SROWS(SROW_ADD)

set:
	SROWS(SROW_SET)
