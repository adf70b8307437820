package kernels

import "math"

// This file holds gemmStridedA, a product whose A operand is read where it
// lies, with a row stride and a k stride, instead of from packed panels.
// The Winograd convolution multiplies, per transform point, matrices that
// already sit in memory with a regular layout (the tiles × channels matrix
// V_ξ row-major, or its transpose), and packing them for macroKernel was
// about 4% of a training step. The A panel of one row block is 8×k floats
// read k times per column panel; with k of a few dozen it stays in L1 as
// well as a packed one would.

// gemmStridedA computes C = beta*C + A·B for the m×k matrix A with
// A(i, p) = a[i*rs + p*ks] and the k×n matrix B given as macroKernel takes
// it: column panel jr (32 columns) at b[jr*bStep], its k rows ldb apart
// (packed panels: bStep = k, ldb = 32; B in place: bStep = 1, ldb = the row
// stride). C is m×n with row stride ldc; beta == 0 overwrites C, NaNs
// included. m must be a multiple of 8 and the strides non-negative: a call
// that breaks this is a bug of the caller and panics, as does one whose
// slices are too short (a slice expression fails before any kernel reads).
//
// There is no blocking of k: the whole depth goes through one tile, so B
// panels of more than a few hundred rows would no longer stay in L2.
func gemmStridedA(m, n, k int, a []float32, rs, ks int, b []float32, ldb, bStep int, c []float32, ldc int, beta float32) {
	if m%8 != 0 || m < 0 || n < 0 || k < 0 || rs < 0 || ks < 0 || ldb < 0 || bStep < 0 || ldc < 0 {
		panic("kernels: gemmStridedA: m must be a multiple of 8 and sizes and strides non-negative")
	}
	tile := tileStridedGo
	if stridedAsm {
		tile = tileStridedAsm
	}
	for ir := 0; ir < m; ir += 8 {
		ai := a[ir*rs:]
		ci := c[ir*ldc:]
		for jr := 0; jr < n; jr += 32 {
			tile(k, ai, rs, ks, b[jr*bStep:], ldb, ci[jr:], ldc, beta, min(32, n-jr))
		}
	}
}

// tileStridedGo is the pure-Go twin of sgemmKernel8x32StridedAVX512: it
// computes the 8×cols tile t[i][j] = Σ_p a[i*rs+p*ks]·b[p*ldb+j] over
// p < kc, starting from zero with one fused multiply-add per step in order
// p = 0, 1, …, and writes c[i*ldc+j] = beta*c[i*ldc+j] + t[i][j] (one fused
// multiply-add, as the assembly) or t[i][j] when beta == 0, reading c only
// then. These are the operations of the assembly in the same order, so the
// bits are the same, and the same as those of the packed 8×32 kernel.
func tileStridedGo(kc int, a []float32, rs, ks int, b []float32, ldb int, c []float32, ldc int, beta float32, cols int) {
	for i := range 8 {
		for j := range cols {
			var t float32
			for p := range kc {
				t = fmaExact32(a[i*rs+p*ks], b[p*ldb+j], t)
			}
			if beta != 0 {
				t = fmaExact32(beta, c[i*ldc+j], t)
			}
			c[i*ldc+j] = t
		}
	}
}

// fmaExact32 is a·b + c rounded once to float32, as VFMADD231PS computes
// it. fma32 rounds the float64 fused multiply-add to float32, which is the
// same except when the float64 result lands exactly on a float32 tie while
// the exact sum does not (then rounding to even may go the wrong way by
// 1 ulp): rare, but with millions of products a bit-for-bit test meets it
// sooner or later. fmaExact32 catches that case, recognisable by the 28 low
// mantissa bits of the float64 result being zero (a tie or a float32 value;
// in the subnormal float32 range more bits are zero), and then moves the
// float64 result one ulp towards the exact sum (round to odd), which
// float32 then rounds correctly. The product of two float32s is exact in
// float64, so the rounding error of the sum is exact too (Knuth's TwoSum).
func fmaExact32(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact: 24 + 24 significant bits
	s := p + float64(c)
	bits := math.Float64bits(s)
	if bits&(1<<28-1) != 0 || math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	v := s - p
	e := (p - (s - v)) + (float64(c) - v) // the exact p + c − s
	switch {
	case e > 0:
		s = math.Nextafter(s, math.Inf(1))
	case e < 0:
		s = math.Nextafter(s, math.Inf(-1))
	}
	return float32(s)
}
