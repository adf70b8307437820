//go:build !noasm

#include "textflag.h"
#include "go_asm.h"

// The LSTM cell kernels (rnn.go): one row of u units, 16 lanes at a time
// with AVX-512 or 8 with AVX2, the last partial vector with masked loads
// and stores, so nothing outside the slices is touched. Each operation is
// rounded separately (no FMA), in the order of the Go twins, so the
// results are theirs bit for bit.
//
// The gate activations a = [i f g o] are u floats apart: R8 points at i,
// and f, g, o are at R11 = 4u bytes, 2·R11 and R12 = 12u bytes from it
// (dz likewise from R9). Every pointer moves on by one vector per
// iteration; CX counts the units left.

#define C(off) ·vecConsts+off(SB)

// ---------------------------------------------------------------------------
// AVX-512. K1 holds the lanes to process: all 16 in the loop, the first CX
// in the tail, so one body serves both.

#define TAIL_MASK512 \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// c = f·cprev + i·g; DI = c, SI = cprev.
#define STATE512 \
	VMOVUPS.Z (R8)(R11*1), K1, Z0; \
	VMOVUPS.Z (SI), K1, Z2; \
	VMULPS    Z2, Z0, Z0; \
	VMOVUPS.Z (R8), K1, Z1; \
	VMOVUPS.Z (R8)(R11*2), K1, Z3; \
	VMULPS    Z3, Z1, Z1; \
	VADDPS    Z1, Z0, Z0; \
	VMOVUPS   Z0, K1, (DI)

// func lstmStateAVX512(c, cprev, a []float32)
TEXT ·lstmStateAVX512(SB), NOSPLIT, $0-72
	MOVQ   c_base+0(FP), DI
	MOVQ   c_len+8(FP), CX
	MOVQ   cprev_base+24(FP), SI
	MOVQ   a_base+48(FP), R8
	MOVQ   CX, R11
	SHLQ   $2, R11
	KXNORW K1, K1, K1

state512:
	CMPQ CX, $16
	JB   state512tail
	STATE512
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, R8
	SUBQ $16, CX
	JMP  state512

state512tail:
	TESTQ CX, CX
	JZ    state512done
	TAIL_MASK512
	STATE512

state512done:
	VZEROUPPER
	RET

// One vector of LSTMCellBackward: SI = dh, DI = tc, DX = dc, R10 = cprev;
// Z31 = 1, Z30 = 0.
#define BACK512 \
	VMOVUPS.Z (SI), K1, Z0; \
	VMOVUPS.Z (DI), K1, Z1; \
	VMOVUPS.Z (R8)(R12*1), K1, Z2; \
	VMOVUPS.Z (DX), K1, Z7; \
	VMULPS    Z1, Z1, Z8; \
	VSUBPS    Z8, Z31, Z8; \
	VMULPS    Z2, Z0, Z9; \
	VMULPS    Z8, Z9, Z9; \
	VADDPS    Z9, Z7, Z7; \
	VMULPS    Z1, Z0, Z10; \
	VMULPS    Z2, Z10, Z10; \
	VSUBPS    Z2, Z31, Z11; \
	VMULPS    Z11, Z10, Z10; \
	VMOVUPS   Z10, K1, (R9)(R12*1); \
	VMOVUPS.Z (R8), K1, Z3; \
	VMOVUPS.Z (R8)(R11*2), K1, Z5; \
	VMULPS    Z5, Z7, Z12; \
	VMULPS    Z3, Z12, Z12; \
	VSUBPS    Z3, Z31, Z13; \
	VMULPS    Z13, Z12, Z12; \
	VMOVUPS   Z12, K1, (R9); \
	VMULPS    Z3, Z7, Z12; \
	VMULPS    Z5, Z5, Z13; \
	VSUBPS    Z13, Z31, Z13; \
	VMULPS    Z13, Z12, Z12; \
	VMOVUPS   Z12, K1, (R9)(R11*2); \
	VMOVUPS.Z (R8)(R11*1), K1, Z4; \
	VMOVUPS.Z (R10), K1, Z6; \
	VMULPS    Z6, Z7, Z12; \
	VMULPS    Z4, Z12, Z12; \
	VSUBPS    Z4, Z31, Z13; \
	VMULPS    Z13, Z12, Z12; \
	VMOVUPS   Z12, K1, (R9)(R11*1); \
	VMULPS    Z4, Z7, Z7; \
	VMOVUPS   Z7, K1, (DX); \
	VMOVUPS   Z30, K1, (SI)

// func lstmBackwardAVX512(dz, dh, dc, a, cprev, tc []float32)
TEXT ·lstmBackwardAVX512(SB), NOSPLIT, $0-144
	MOVQ         dz_base+0(FP), R9
	MOVQ         dh_base+24(FP), SI
	MOVQ         dh_len+32(FP), CX
	MOVQ         dc_base+48(FP), DX
	MOVQ         a_base+72(FP), R8
	MOVQ         cprev_base+96(FP), R10
	MOVQ         tc_base+120(FP), DI
	MOVQ         CX, R11
	SHLQ         $2, R11
	LEAQ         (R11)(R11*2), R12
	VBROADCASTSS C(const_offOne), Z31
	VPXORD       Z30, Z30, Z30
	KXNORW       K1, K1, K1

back512:
	CMPQ CX, $16
	JB   back512tail
	BACK512
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	SUBQ $16, CX
	JMP  back512

back512tail:
	TESTQ CX, CX
	JZ    back512done
	TAIL_MASK512
	BACK512

back512done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// AVX2. The loop loads and stores whole vectors (LD, ST); the tail masks
// them with Y14, the first CX lanes (LDM, STM), read from tailMask.

#define TAIL_MASK256 \
	LEAQ    ·tailMask+32(SB), AX; \
	SHLQ    $2, CX; \
	SUBQ    CX, AX; \
	VMOVDQU (AX), Y14

#define LD(addr, reg) VMOVUPS addr, reg
#define ST(reg, addr) VMOVUPS reg, addr
#define LDM(addr, reg) VMASKMOVPS addr, Y14, reg
#define STM(reg, addr) VMASKMOVPS reg, Y14, addr

#define STATE256(L, S) \
	L((R8)(R11*1), Y0); \
	L((SI), Y2); \
	VMULPS Y2, Y0, Y0; \
	L((R8), Y1); \
	L((R8)(R11*2), Y3); \
	VMULPS Y3, Y1, Y1; \
	VADDPS Y1, Y0, Y0; \
	S(Y0, (DI))

// func lstmStateAVX2(c, cprev, a []float32)
TEXT ·lstmStateAVX2(SB), NOSPLIT, $0-72
	MOVQ c_base+0(FP), DI
	MOVQ c_len+8(FP), CX
	MOVQ cprev_base+24(FP), SI
	MOVQ a_base+48(FP), R8
	MOVQ CX, R11
	SHLQ $2, R11

state256:
	CMPQ CX, $8
	JB   state256tail
	STATE256(LD, ST)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	SUBQ $8, CX
	JMP  state256

state256tail:
	TESTQ CX, CX
	JZ    state256done
	TAIL_MASK256
	STATE256(LDM, STM)

state256done:
	VZEROUPPER
	RET

// BACK512 with 8 lanes; Y15 = 1, and Y0 is zeroed for dh once h is used.
#define BACK256(L, S) \
	L((SI), Y0); \
	L((DI), Y1); \
	L((R8)(R12*1), Y2); \
	L((DX), Y7); \
	VMULPS Y1, Y1, Y8; \
	VSUBPS Y8, Y15, Y8; \
	VMULPS Y2, Y0, Y9; \
	VMULPS Y8, Y9, Y9; \
	VADDPS Y9, Y7, Y7; \
	VMULPS Y1, Y0, Y10; \
	VMULPS Y2, Y10, Y10; \
	VSUBPS Y2, Y15, Y11; \
	VMULPS Y11, Y10, Y10; \
	S(Y10, (R9)(R12*1)); \
	L((R8), Y3); \
	L((R8)(R11*2), Y5); \
	VMULPS Y5, Y7, Y12; \
	VMULPS Y3, Y12, Y12; \
	VSUBPS Y3, Y15, Y13; \
	VMULPS Y13, Y12, Y12; \
	S(Y12, (R9)); \
	VMULPS Y3, Y7, Y12; \
	VMULPS Y5, Y5, Y13; \
	VSUBPS Y13, Y15, Y13; \
	VMULPS Y13, Y12, Y12; \
	S(Y12, (R9)(R11*2)); \
	L((R8)(R11*1), Y4); \
	L((R10), Y6); \
	VMULPS Y6, Y7, Y12; \
	VMULPS Y4, Y12, Y12; \
	VSUBPS Y4, Y15, Y13; \
	VMULPS Y13, Y12, Y12; \
	S(Y12, (R9)(R11*1)); \
	VMULPS Y4, Y7, Y7; \
	S(Y7, (DX)); \
	VXORPS Y0, Y0, Y0; \
	S(Y0, (SI))

// func lstmBackwardAVX2(dz, dh, dc, a, cprev, tc []float32)
TEXT ·lstmBackwardAVX2(SB), NOSPLIT, $0-144
	MOVQ         dz_base+0(FP), R9
	MOVQ         dh_base+24(FP), SI
	MOVQ         dh_len+32(FP), CX
	MOVQ         dc_base+48(FP), DX
	MOVQ         a_base+72(FP), R8
	MOVQ         cprev_base+96(FP), R10
	MOVQ         tc_base+120(FP), DI
	MOVQ         CX, R11
	SHLQ         $2, R11
	LEAQ         (R11)(R11*2), R12
	VBROADCASTSS C(const_offOne), Y15

back256:
	CMPQ CX, $8
	JB   back256tail
	BACK256(LD, ST)
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	SUBQ $8, CX
	JMP  back256

back256tail:
	TESTQ CX, CX
	JZ    back256done
	TAIL_MASK256
	BACK256(LDM, STM)

back256done:
	VZEROUPPER
	RET
