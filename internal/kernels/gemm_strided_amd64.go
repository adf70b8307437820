//go:build !noasm

package kernels

import "unsafe"

// stridedAsm selects sgemmKernel8x32StridedAVX512 for gemmStridedA. It
// gives the bits of tileStridedGo, and of the packed 8×32 kernel.
var stridedAsm = hasAVX512

// sgemmKernel8x32StridedAVX512 computes the 8×32 product tile t[i][j] =
// Σ_p a[i*rs+p*ks]·b[p*ldb+j] over p < kc of an A read in place (rs and
// ks in elements) and a B panel of kc rows ldb apart, starting from zero
// with one fused multiply-add per step in order p = 0, 1, …, and writes all
// 8 rows, in the columns whose bit is set in mask (bit j: column j), into c
// (row stride ldc) as c = beta*c + t (one fused multiply-add), reading c
// only when beta != 0. B is read under the mask, so it needs no packing.
//
//go:noescape
func sgemmKernel8x32StridedAVX512(kc int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, beta float32, mask uint32)

// tileStridedAsm computes one tile with the contract of tileStridedGo. The
// slice expressions stand in for the bounds checks the assembly cannot
// make: they panic before the kernel could touch memory outside a, b or
// the tile of c.
func tileStridedAsm(kc int, a []float32, rs, ks int, b []float32, ldb int, c []float32, ldc int, beta float32, cols int) {
	if cols <= 0 {
		return
	}
	if kc > 0 {
		_ = a[7*rs+(kc-1)*ks]
		_ = b[(kc-1)*ldb+cols-1]
	}
	_ = c[7*ldc+cols-1]
	// With kc == 0 the kernel reads neither a nor b, which may be empty.
	mask := uint32(uint64(1)<<cols - 1)
	sgemmKernel8x32StridedAVX512(kc, unsafe.SliceData(a), rs, ks, unsafe.SliceData(b), ldb, &c[0], ldc, beta, mask)
}
