//go:build !noasm

package kernels

// This file declares the float32 assembly kernels of elementwise_*_amd64.s
// and reduce_*_amd64.s and gathers them into kernel sets. Each kernel
// computes what the f32Go field of the same name computes: bit for bit,
// except sum and expShiftSum (a different order of additions), axpy (a fused
// multiply-add) and exp, tanh, sigmoid and log (within 1 ulp of their
// twins, from the rare double rounding of fma32). A kernel's length is that of its
// first slice; the callers have checked that the others are as long.

// f32AVX512 is the AVX-512 kernel set: 16 lanes, masked tails.
var f32AVX512 = &f32Kernels{
	name: "avx512", relu: reluAVX512, exp: expAVX512, tanh: tanhAVX512, sigmoid: sigmoidAVX512, log: logAVX512,
	addScalar: addScalarAVX512, mulScalar: mulScalarAVX512, leakyReLU: leakyReLUAVX512,
	add: addAVX512, sub: subAVX512, mul: mulAVX512, div: divAVX512,
	reluGrad: reluGradAVX512, axpy: axpyAVX512, sum: sumAVX512, max: maxAVX512,
	sumRows: sumRowsAVX512, expShiftSum: expShiftSumAVX512,
}

// f32AVX2 is the AVX2+FMA kernel set: 8 lanes, masked tails.
var f32AVX2 = &f32Kernels{
	name: "avx2", relu: reluAVX2, exp: expAVX2, tanh: tanhAVX2, sigmoid: sigmoidAVX2, log: logAVX2,
	addScalar: addScalarAVX2, mulScalar: mulScalarAVX2, leakyReLU: leakyReLUAVX2,
	add: addAVX2, sub: subAVX2, mul: mulAVX2, div: divAVX2,
	reluGrad: reluGradAVX2, axpy: axpyAVX2, sum: sumAVX2, max: maxAVX2,
	sumRows: sumRowsAVX2, expShiftSum: expShiftSumAVX2,
}

// f32AsmKernels lists the assembly kernel sets this CPU can run.
func f32AsmKernels() []*f32Kernels { return asmSets(f32AVX512, f32AVX2) }

// reluAVX512 sets dst[i] = a[i] if a[i] > 0, else 0 (NaN gives 0).
//
//go:noescape
func reluAVX512(dst, a []float32)

// expAVX512 sets dst[i] = exp32(a[i]).
//
//go:noescape
func expAVX512(dst, a []float32)

// tanhAVX512 sets dst[i] = tanh32(a[i]).
//
//go:noescape
func tanhAVX512(dst, a []float32)

// sigmoidAVX512 sets dst[i] = sigmoid32(a[i]).
//
//go:noescape
func sigmoidAVX512(dst, a []float32)

// logAVX512 sets dst[i] = log32(a[i]).
//
//go:noescape
func logAVX512(dst, a []float32)

// addScalarAVX512 sets dst[i] = a[i] + s.
//
//go:noescape
func addScalarAVX512(dst, a []float32, s float32)

// mulScalarAVX512 sets dst[i] = a[i] * s.
//
//go:noescape
func mulScalarAVX512(dst, a []float32, s float32)

// leakyReLUAVX512 computes dst[i] = a[i] if a[i] > 0 else alpha*a[i].
//
//go:noescape
func leakyReLUAVX512(dst, a []float32, alpha float32)

// addAVX512 sets dst[i] = a[i] + b[i].
//
//go:noescape
func addAVX512(dst, a, b []float32)

// subAVX512 sets dst[i] = a[i] - b[i].
//
//go:noescape
func subAVX512(dst, a, b []float32)

// mulAVX512 sets dst[i] = a[i] * b[i].
//
//go:noescape
func mulAVX512(dst, a, b []float32)

// divAVX512 sets dst[i] = a[i] / b[i].
//
//go:noescape
func divAVX512(dst, a, b []float32)

// reluGradAVX512 computes dx[i] = dy[i] where x[i] > 0, else 0.
//
//go:noescape
func reluGradAVX512(dx, dy, x []float32)

// axpyAVX512 computes y[i] += alpha*x[i], with one rounding.
//
//go:noescape
func axpyAVX512(alpha float32, x, y []float32)

// sumAVX512 returns the sum of a, accumulated in float64.
//
//go:noescape
func sumAVX512(a []float32) float64

// maxAVX512 returns the largest element of a, NaN if any element is NaN, and
// −Inf for an empty slice.
//
//go:noescape
func maxAVX512(a []float32) float32

// sumRowsAVX512 adds the rows of the m×n matrix a into dst (length n), each
// column in row order. dst is overwritten.
//
//go:noescape
func sumRowsAVX512(dst, a []float32, m, n int)

// expShiftSumAVX512 sets dst[i] = exp32(a[i] − shift) and returns their sum,
// accumulated in float32 in an unspecified order.
//
//go:noescape
func expShiftSumAVX512(dst, a []float32, shift float32) float32

// reluAVX2 sets dst[i] = a[i] if a[i] > 0, else 0 (NaN gives 0).
//
//go:noescape
func reluAVX2(dst, a []float32)

// expAVX2 sets dst[i] = exp32(a[i]).
//
//go:noescape
func expAVX2(dst, a []float32)

// tanhAVX2 sets dst[i] = tanh32(a[i]).
//
//go:noescape
func tanhAVX2(dst, a []float32)

// sigmoidAVX2 sets dst[i] = sigmoid32(a[i]).
//
//go:noescape
func sigmoidAVX2(dst, a []float32)

// logAVX2 sets dst[i] = log32(a[i]).
//
//go:noescape
func logAVX2(dst, a []float32)

// addScalarAVX2 sets dst[i] = a[i] + s.
//
//go:noescape
func addScalarAVX2(dst, a []float32, s float32)

// mulScalarAVX2 sets dst[i] = a[i] * s.
//
//go:noescape
func mulScalarAVX2(dst, a []float32, s float32)

// leakyReLUAVX2 computes dst[i] = a[i] if a[i] > 0 else alpha*a[i].
//
//go:noescape
func leakyReLUAVX2(dst, a []float32, alpha float32)

// addAVX2 sets dst[i] = a[i] + b[i].
//
//go:noescape
func addAVX2(dst, a, b []float32)

// subAVX2 sets dst[i] = a[i] - b[i].
//
//go:noescape
func subAVX2(dst, a, b []float32)

// mulAVX2 sets dst[i] = a[i] * b[i].
//
//go:noescape
func mulAVX2(dst, a, b []float32)

// divAVX2 sets dst[i] = a[i] / b[i].
//
//go:noescape
func divAVX2(dst, a, b []float32)

// reluGradAVX2 computes dx[i] = dy[i] where x[i] > 0, else 0.
//
//go:noescape
func reluGradAVX2(dx, dy, x []float32)

// axpyAVX2 computes y[i] += alpha*x[i], with one rounding.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// sumAVX2 returns the sum of a, accumulated in float64.
//
//go:noescape
func sumAVX2(a []float32) float64

// maxAVX2 returns the largest element of a, NaN if any element is NaN, and
// −Inf for an empty slice.
//
//go:noescape
func maxAVX2(a []float32) float32

// sumRowsAVX2 adds the rows of the m×n matrix a into dst (length n), each
// column in row order. dst is overwritten.
//
//go:noescape
func sumRowsAVX2(dst, a []float32, m, n int)

// expShiftSumAVX2 sets dst[i] = exp32(a[i] − shift) and returns their sum,
// accumulated in float32 in an unspecified order.
//
//go:noescape
func expShiftSumAVX2(dst, a []float32, shift float32) float32

// tailMask is read by the AVX2 kernels at byte offset 32 − 4·r to get a
// VMASKMOVPS mask whose first r lanes are set (r < 8).
var tailMask = [16]int32{-1, -1, -1, -1, -1, -1, -1, -1}
