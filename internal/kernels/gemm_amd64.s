//go:build !noasm

#include "textflag.h"
#include "zmm_amd64.h"

// Float32 GEMM micro-kernels. Each computes one mr×nr tile of row-major C
// from a packed A panel (kc steps of mr floats) and a B panel (kc rows of nr
// floats: packed, or for the AVX-512 kernels rows of B itself, ldb apart),
// keeping the whole tile in vector registers: per step p it loads the nr
// floats of B row p, broadcasts each of the mr floats of A column p and adds
// their products into the tile with fused multiply-adds. tileRef in
// gemm_kernel.go states the contract in Go.

// ---------------------------------------------------------------------------
// AVX-512, 8×32: row i of the tile lives in Z(2i) (columns 0-15) and Z(2i+1)
// (columns 16-31), 16 accumulators; Z16/Z17 hold the B row. On Zen 4 a zmm
// FMA issues once per cycle with 4 cycles of latency, so 16 independent
// chains keep the unit busy with room to spare.

// KSTEP512 adds step p of the panels to the tile: ao is the offset, in
// floats, of A[p][0] from AX, and b0, b1 address B[p][0] and B[p][16]. The
// loads of B are masked to the tile's columns (K1, K2), so that B can be
// read in place, at any stride, without reading past its last column. Each
// FMA broadcasts its A element from memory ({1to16}): on Zen 4 that ran the
// 16×16 kernel in L1 at 107 GFLOP/s where VBROADCASTSS into a register and
// a register FMA ran it at 82, and the 8×32 kernel no slower (112–116
// against 110).
#define KSTEP512(ao, b0, b1) \
	VMOVUPS.Z        b0, K1, Z16; \
	VMOVUPS.Z        b1, K2, Z17; \
	VFMADD231PS.BCST (ao*4+0)(AX), Z16, Z0; \
	VFMADD231PS.BCST (ao*4+0)(AX), Z17, Z1; \
	VFMADD231PS.BCST (ao*4+4)(AX), Z16, Z2; \
	VFMADD231PS.BCST (ao*4+4)(AX), Z17, Z3; \
	VFMADD231PS.BCST (ao*4+8)(AX), Z16, Z4; \
	VFMADD231PS.BCST (ao*4+8)(AX), Z17, Z5; \
	VFMADD231PS.BCST (ao*4+12)(AX), Z16, Z6; \
	VFMADD231PS.BCST (ao*4+12)(AX), Z17, Z7; \
	VFMADD231PS.BCST (ao*4+16)(AX), Z16, Z8; \
	VFMADD231PS.BCST (ao*4+16)(AX), Z17, Z9; \
	VFMADD231PS.BCST (ao*4+20)(AX), Z16, Z10; \
	VFMADD231PS.BCST (ao*4+20)(AX), Z17, Z11; \
	VFMADD231PS.BCST (ao*4+24)(AX), Z16, Z12; \
	VFMADD231PS.BCST (ao*4+24)(AX), Z17, Z13; \
	VFMADD231PS.BCST (ao*4+28)(AX), Z16, Z14; \
	VFMADD231PS.BCST (ao*4+28)(AX), Z17, Z15

// Output of one row of the tile (z0, z1) to (DI): ROW512_SET and
// ROW512_ADD (zmm_amd64.h), and with the epilogue, where Z29/Z30 hold the
// bias and Z31 the lower bound.

#define ROW512_SET_EP(z0, z1) \
	VADDPS Z29, z0, z0; \
	VADDPS Z30, z1, z1; \
	VMAXPS z0, Z31, z0; \
	VMAXPS z1, Z31, z1; \
	ROW512_SET(z0, z1)

#define ROW512_ADD_EP(z0, z1) \
	VFMADD231PS (DI), Z28, K1, z0; \
	VFMADD231PS 64(DI), Z28, K2, z1; \
	ROW512_SET_EP(z0, z1)

// NEXTROW stops after the last row to write (R10 counts them down) and
// otherwise moves DI to the next row of C.
#define NEXTROW DECQ R10; JZ done; ADDQ SI, DI

#define ROWS512(ROW) \
	ROW(Z0, Z1); NEXTROW; \
	ROW(Z2, Z3); NEXTROW; \
	ROW(Z4, Z5); NEXTROW; \
	ROW(Z6, Z7); NEXTROW; \
	ROW(Z8, Z9); NEXTROW; \
	ROW(Z10, Z11); NEXTROW; \
	ROW(Z12, Z13); NEXTROW; \
	ROW(Z14, Z15); \
	JMP done

// func sgemmKernel8x32AVX512(kc int, a, b *float32, ldb int, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool, rows int, mask uint32)
TEXT ·sgemmKernel8x32AVX512(SB), NOSPLIT, $0-84
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ ldb+24(FP), R13
	SHLQ $2, R13            // ldb in bytes
	LEAQ (R13)(R13*2), R14  // 3·ldb
	MOVL  mask+80(FP), R8
	KMOVW R8, K1
	SHRL  $16, R8
	KMOVW R8, K2
	ZERO_Z0_Z15

	MOVQ CX, DX
	SHRQ $2, DX
	JZ   tail

loop4:
	KSTEP512(0, (BX), 64(BX))
	KSTEP512(8, (BX)(R13*1), 64(BX)(R13*1))
	KSTEP512(16, (BX)(R13*2), 64(BX)(R13*2))
	KSTEP512(24, (BX)(R14*1), 64(BX)(R14*1))
	ADDQ $128, AX        // 4 steps of 8 floats
	LEAQ (BX)(R13*4), BX // 4 rows of B
	DECQ DX
	JNZ  loop4

tail:
	ANDQ $3, CX
	JZ   output

loop1:
	KSTEP512(0, (BX), 64(BX))
	ADDQ $32, AX
	ADDQ R13, BX
	DECQ CX
	JNZ  loop1

output:
	MOVQ  c+32(FP), DI
	MOVQ  ldc+40(FP), SI
	SHLQ  $2, SI
	MOVQ  rows+72(FP), R10
	MOVL  beta+48(FP), R9
	VPBROADCASTD R9, Z28
	MOVBLZX epilogue+64(FP), R11
	TESTQ R11, R11
	JNZ   withEpilogue
	TESTL $0x7fffffff, R9 // beta == ±0: C is not read
	JZ    set
	ROWS512(ROW512_ADD)

set:
	ROWS512(ROW512_SET)

withEpilogue:
	MOVQ bias+56(FP), R12
	VMOVUPS.Z (R12), K1, Z29
	VMOVUPS.Z 64(R12), K2, Z30
	VBROADCASTSS bound+52(FP), Z31
	TESTL $0x7fffffff, R9
	JZ    setEpilogue
	ROWS512(ROW512_ADD_EP)

setEpilogue:
	ROWS512(ROW512_SET_EP)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX-512, 16×16, for products with at most 16 columns (the 10 classes of a
// classifier's last layer), where the 8×32 tile would compute 22 columns of
// zeros: row i of the tile lives in Z(i) and Z16 holds the B row. Same
// contract as sgemmKernel8x32AVX512, with mask bits 0-15 only. KSTEP512N is
// KSTEP512 for one vector of B.

#define KSTEP512N(ao, b0) \
	VMOVUPS.Z        b0, K1, Z16; \
	VFMADD231PS.BCST (ao*4+0)(AX), Z16, Z0; \
	VFMADD231PS.BCST (ao*4+4)(AX), Z16, Z1; \
	VFMADD231PS.BCST (ao*4+8)(AX), Z16, Z2; \
	VFMADD231PS.BCST (ao*4+12)(AX), Z16, Z3; \
	VFMADD231PS.BCST (ao*4+16)(AX), Z16, Z4; \
	VFMADD231PS.BCST (ao*4+20)(AX), Z16, Z5; \
	VFMADD231PS.BCST (ao*4+24)(AX), Z16, Z6; \
	VFMADD231PS.BCST (ao*4+28)(AX), Z16, Z7; \
	VFMADD231PS.BCST (ao*4+32)(AX), Z16, Z8; \
	VFMADD231PS.BCST (ao*4+36)(AX), Z16, Z9; \
	VFMADD231PS.BCST (ao*4+40)(AX), Z16, Z10; \
	VFMADD231PS.BCST (ao*4+44)(AX), Z16, Z11; \
	VFMADD231PS.BCST (ao*4+48)(AX), Z16, Z12; \
	VFMADD231PS.BCST (ao*4+52)(AX), Z16, Z13; \
	VFMADD231PS.BCST (ao*4+56)(AX), Z16, Z14; \
	VFMADD231PS.BCST (ao*4+60)(AX), Z16, Z15

#define ROW512N_SET(z) VMOVUPS z, K1, (DI)

#define ROW512N_ADD(z) \
	VFMADD231PS (DI), Z28, K1, z; \
	ROW512N_SET(z)

#define ROW512N_SET_EP(z) \
	VADDPS Z29, z, z; \
	VMAXPS z, Z31, z; \
	ROW512N_SET(z)

#define ROW512N_ADD_EP(z) \
	VFMADD231PS (DI), Z28, K1, z; \
	ROW512N_SET_EP(z)

#define ROWS512N(ROW) \
	ROW(Z0); NEXTROW; \
	ROW(Z1); NEXTROW; \
	ROW(Z2); NEXTROW; \
	ROW(Z3); NEXTROW; \
	ROW(Z4); NEXTROW; \
	ROW(Z5); NEXTROW; \
	ROW(Z6); NEXTROW; \
	ROW(Z7); NEXTROW; \
	ROW(Z8); NEXTROW; \
	ROW(Z9); NEXTROW; \
	ROW(Z10); NEXTROW; \
	ROW(Z11); NEXTROW; \
	ROW(Z12); NEXTROW; \
	ROW(Z13); NEXTROW; \
	ROW(Z14); NEXTROW; \
	ROW(Z15); \
	JMP done

// func sgemmKernel16x16AVX512(kc int, a, b *float32, ldb int, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool, rows int, mask uint32)
TEXT ·sgemmKernel16x16AVX512(SB), NOSPLIT, $0-84
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ ldb+24(FP), R13
	SHLQ $2, R13            // ldb in bytes
	LEAQ (R13)(R13*2), R14  // 3·ldb
	MOVL  mask+80(FP), R8
	KMOVW R8, K1
	ZERO_Z0_Z15

	MOVQ CX, DX
	SHRQ $2, DX
	JZ   tail

loop4:
	KSTEP512N(0, (BX))
	KSTEP512N(16, (BX)(R13*1))
	KSTEP512N(32, (BX)(R13*2))
	KSTEP512N(48, (BX)(R14*1))
	ADDQ $256, AX        // 4 steps of 16 floats
	LEAQ (BX)(R13*4), BX // 4 rows of B
	DECQ DX
	JNZ  loop4

tail:
	ANDQ $3, CX
	JZ   output

loop1:
	KSTEP512N(0, (BX))
	ADDQ $64, AX
	ADDQ R13, BX
	DECQ CX
	JNZ  loop1

output:
	MOVQ  c+32(FP), DI
	MOVQ  ldc+40(FP), SI
	SHLQ  $2, SI
	MOVQ  rows+72(FP), R10
	MOVL  beta+48(FP), R9
	VPBROADCASTD R9, Z28
	MOVBLZX epilogue+64(FP), R11
	TESTQ R11, R11
	JNZ   withEpilogue
	TESTL $0x7fffffff, R9 // beta == ±0: C is not read
	JZ    set
	ROWS512N(ROW512N_ADD)

set:
	ROWS512N(ROW512N_SET)

withEpilogue:
	MOVQ bias+56(FP), R12
	VMOVUPS.Z (R12), K1, Z29
	VBROADCASTSS bound+52(FP), Z31
	TESTL $0x7fffffff, R9
	JZ    setEpilogue
	ROWS512N(ROW512N_ADD_EP)

setEpilogue:
	ROWS512N(ROW512N_SET_EP)

done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2 + FMA, 6×16: row i of the tile lives in Y(2i) (columns 0-7) and
// Y(2i+1) (columns 8-15), 12 accumulators; Y12/Y13 hold the B row and
// Y14/Y15 the broadcasts, all 16 ymm registers. Only whole tiles: the Go
// wrapper sends partial ones through a temporary tile.

#define KSTEP256(ao, bo) \
	VMOVUPS      (bo*4)(BX), Y12; \
	VMOVUPS      (bo*4+32)(BX), Y13; \
	VBROADCASTSS (ao*4)(AX), Y14; \
	VBROADCASTSS (ao*4+4)(AX), Y15; \
	VFMADD231PS  Y12, Y14, Y0; \
	VFMADD231PS  Y13, Y14, Y1; \
	VFMADD231PS  Y12, Y15, Y2; \
	VFMADD231PS  Y13, Y15, Y3; \
	VBROADCASTSS (ao*4+8)(AX), Y14; \
	VBROADCASTSS (ao*4+12)(AX), Y15; \
	VFMADD231PS  Y12, Y14, Y4; \
	VFMADD231PS  Y13, Y14, Y5; \
	VFMADD231PS  Y12, Y15, Y6; \
	VFMADD231PS  Y13, Y15, Y7; \
	VBROADCASTSS (ao*4+16)(AX), Y14; \
	VBROADCASTSS (ao*4+20)(AX), Y15; \
	VFMADD231PS  Y12, Y14, Y8; \
	VFMADD231PS  Y13, Y14, Y9; \
	VFMADD231PS  Y12, Y15, Y10; \
	VFMADD231PS  Y13, Y15, Y11

// Output of one row (y0, y1) to (DI). Y15 holds beta, Y12/Y13 the bias and
// Y14 the lower bound.
#define ROW256_SET(y0, y1) \
	VMOVUPS y0, (DI); \
	VMOVUPS y1, 32(DI)

#define ROW256_ADD(y0, y1) \
	VFMADD231PS (DI), Y15, y0; \
	VFMADD231PS 32(DI), Y15, y1; \
	ROW256_SET(y0, y1)

#define ROW256_SET_EP(y0, y1) \
	VADDPS Y12, y0, y0; \
	VADDPS Y13, y1, y1; \
	VMAXPS y0, Y14, y0; \
	VMAXPS y1, Y14, y1; \
	ROW256_SET(y0, y1)

#define ROW256_ADD_EP(y0, y1) \
	VFMADD231PS (DI), Y15, y0; \
	VFMADD231PS 32(DI), Y15, y1; \
	ROW256_SET_EP(y0, y1)

#define ROWS256(ROW) \
	ROW(Y0, Y1); ADDQ SI, DI; \
	ROW(Y2, Y3); ADDQ SI, DI; \
	ROW(Y4, Y5); ADDQ SI, DI; \
	ROW(Y6, Y7); ADDQ SI, DI; \
	ROW(Y8, Y9); ADDQ SI, DI; \
	ROW(Y10, Y11); \
	VZEROUPPER; \
	RET

// func sgemmKernel6x16AVX2(kc int, a, b, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool)
TEXT ·sgemmKernel6x16AVX2(SB), NOSPLIT, $0-57
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	MOVQ CX, DX
	SHRQ $2, DX
	JZ   tail

loop4:
	KSTEP256(0, 0)
	KSTEP256(6, 16)
	KSTEP256(12, 32)
	KSTEP256(18, 48)
	ADDQ $96, AX  // 4 steps of 6 floats
	ADDQ $256, BX // 4 steps of 16 floats
	DECQ DX
	JNZ  loop4

tail:
	ANDQ $3, CX
	JZ   output

loop1:
	KSTEP256(0, 0)
	ADDQ $24, AX
	ADDQ $64, BX
	DECQ CX
	JNZ  loop1

output:
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), SI
	SHLQ $2, SI
	VBROADCASTSS beta+40(FP), Y15
	MOVL beta+40(FP), R9
	MOVBLZX epilogue+56(FP), R11
	TESTQ R11, R11
	JNZ  withEpilogue
	TESTL $0x7fffffff, R9 // beta == ±0: C is not read
	JZ   set
	ROWS256(ROW256_ADD)

set:
	ROWS256(ROW256_SET)

withEpilogue:
	MOVQ bias+48(FP), R12
	VMOVUPS (R12), Y12
	VMOVUPS 32(R12), Y13
	VBROADCASTSS bound+44(FP), Y14
	TESTL $0x7fffffff, R9
	JZ   setEpilogue
	ROWS256(ROW256_ADD_EP)

setEpilogue:
	ROWS256(ROW256_SET_EP)
