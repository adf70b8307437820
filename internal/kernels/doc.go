// Package kernels holds the numeric inner loops of deepgo: matrix multiply
// (Gemm), elementwise maps and reductions over flat slices. Everything above
// it (tensor math, autograd ops, layers) reaches the arithmetic through these
// functions, so this is the one place to make deepgo faster.
//
// Kernels work on plain slices with explicit sizes and strides, never on
// tensors, and are generic over Float (float32 and float64). Misuse (sizes
// that do not match the slices) is a programming error inside the numeric
// core and panics; callers that take user input check shapes first.
//
// # Matrix multiply
//
// Gemm follows the BLIS/GotoBLAS design: op(A) and op(B) are cut into cache
// blocks (kc deep, mc rows of A, nc columns of B), each block is packed into
// contiguous panels, and a micro-kernel multiplies one mr×kc panel of A by
// one kc×nr panel of B into an mr×nr tile of C held in registers. Packing
// absorbs the transpositions and strides, so the micro-kernel is the only
// code that has to be fast. Products above a measured size are split by rows
// or columns of C over runtime.GOMAXPROCS(0) goroutines from a persistent
// worker pool. GemmRef is the naive triple loop that Gemm is tested and
// benchmarked against.
//
// Every micro-kernel has a pure-Go twin that is always compiled: an
// assembly kernel for a CPU feature (AVX2, AVX-512) must compute the same tile
// as the pure-Go one, and the tests compare the two in one binary.
//
// # Convolutions
//
// Convolutions reach the micro-kernel three ways: Im2Col and Col2Im build
// patch matrices for Gemm; ConvGemm gathers Gemm's packed panels straight
// from the images; Winograd runs 3×3, stride-1 windows as F(2×2, 3×3),
// 16 products of transformed tiles in place of 36 (1.89× fewer
// multiply-adds on a 13×13 → 11×11 image), with tile transforms vectorised
// across channels. Thin convolutions (few patch columns, such as a first
// layer over grey images) run directly (DirectConvForward).
package kernels
