// Macros shared by the AVX-512 kernels of this package (#include
// "zmm_amd64.h"): clearing banks of accumulators, and the output rows of
// the 8×32 GEMM tiles (gemm_amd64.s, gemm_strided_amd64.s).

// ZERO_Z0_Z15 and ZERO_Z16_Z27 clear accumulators before a sum.
#define ZERO_Z0_Z15 \
	VPXORD Z0, Z0, Z0; \
	VPXORD Z1, Z1, Z1; \
	VPXORD Z2, Z2, Z2; \
	VPXORD Z3, Z3, Z3; \
	VPXORD Z4, Z4, Z4; \
	VPXORD Z5, Z5, Z5; \
	VPXORD Z6, Z6, Z6; \
	VPXORD Z7, Z7, Z7; \
	VPXORD Z8, Z8, Z8; \
	VPXORD Z9, Z9, Z9; \
	VPXORD Z10, Z10, Z10; \
	VPXORD Z11, Z11, Z11; \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14; \
	VPXORD Z15, Z15, Z15

#define ZERO_Z16_Z27 \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19; \
	VPXORD Z20, Z20, Z20; \
	VPXORD Z21, Z21, Z21; \
	VPXORD Z22, Z22, Z22; \
	VPXORD Z23, Z23, Z23; \
	VPXORD Z24, Z24, Z24; \
	VPXORD Z25, Z25, Z25; \
	VPXORD Z26, Z26, Z26; \
	VPXORD Z27, Z27, Z27

// Output of one row of an 8×32 tile (z0, z1) to (DI), columns masked by
// K1 and K2; Z28 holds beta. ROW512_ADD writes beta·C + tile with one fused
// multiply-add per value.
#define ROW512_SET(z0, z1) \
	VMOVUPS z0, K1, (DI); \
	VMOVUPS z1, K2, 64(DI)

#define ROW512_ADD(z0, z1) \
	VFMADD231PS (DI), Z28, K1, z0; \
	VFMADD231PS 64(DI), Z28, K2, z1; \
	ROW512_SET(z0, z1)
