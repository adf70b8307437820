package kernels

// This file holds the pure-Go GEMM micro-kernel: the innermost loop of Gemm,
// which multiplies one packed mr×kc panel of A by one packed kc×nr panel of B
// into an mr×nr register tile. An assembly micro-kernel for a given CPU must
// compute exactly what kernel4x2 computes (up to rounding order); this
// function is its reference twin.

// The register tile of the pure-Go micro-kernel. 4×2 is the largest tile the
// Go compiler keeps in the 15 usable XMM registers without spilling: its
// scheduler places every loop-carried add after all the multiplies of the
// last k step, so the tile needs 2·mr·nr registers plus the loads. Measured on
// an AMD EPYC (Zen 4) with the k loop unrolled 8×, best of 200 runs in L1:
// 4×2 12.5, 3×2 12.5, 2×4 12.1, 3×3 11.0, 4×3 7.4, 4×4 6.1 GFLOP/s.
const (
	goMR = 4 // rows of C per micro-tile
	goNR = 2 // columns of C per micro-tile
)

// kernel4x2 computes the 4×2 tile acc = Σ_p a[p*4+i] · b[p*2+j] over
// p < kc, where a is a packed A panel (kc steps of 4 rows) and b a packed B
// panel (kc steps of 2 columns); acc is row-major (acc[i*2+j]). The k loop is
// unrolled 8 times; slicing a and b to exact lengths first lets the compiler
// drop every bounds check inside the loop.
func kernel4x2[T Float](kc int, a, b []T, acc *[goMR * goNR]T) {
	a = a[:kc*goMR]
	b = b[:kc*goNR]
	var c00, c01, c10, c11, c20, c21, c30, c31 T
	for len(a) >= 8*goMR && len(b) >= 8*goNR {
		pa := (*[8 * goMR]T)(a)
		pb := (*[8 * goNR]T)(b)
		b0, b1 := pb[0], pb[1]
		a0 := pa[0]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 := pa[1]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 := pa[2]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 := pa[3]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[2], pb[3]
		a0 = pa[4]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[5]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[6]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[7]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[4], pb[5]
		a0 = pa[8]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[9]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[10]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[11]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[6], pb[7]
		a0 = pa[12]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[13]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[14]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[15]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[8], pb[9]
		a0 = pa[16]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[17]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[18]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[19]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[10], pb[11]
		a0 = pa[20]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[21]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[22]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[23]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[12], pb[13]
		a0 = pa[24]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[25]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[26]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[27]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[14], pb[15]
		a0 = pa[28]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[29]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[30]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[31]
		c30 += a3 * b0
		c31 += a3 * b1
		a = a[8*goMR:]
		b = b[8*goNR:]
	}
	for len(a) >= goMR && len(b) >= goNR {
		pa := (*[goMR]T)(a)
		pb := (*[goNR]T)(b)
		b0, b1 := pb[0], pb[1]
		a0, a1, a2, a3 := pa[0], pa[1], pa[2], pa[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a = a[goMR:]
		b = b[goNR:]
	}
	*acc = [goMR * goNR]T{c00, c01, c10, c11, c20, c21, c30, c31}
}
