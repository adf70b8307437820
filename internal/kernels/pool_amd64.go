//go:build !noasm

package kernels

// This file declares the float32 max-pooling kernels of
// pool_avx512_amd64.s and pool_avx2_amd64.s. Each run kernel computes, for
// its run of output cells (see poolRunFunc), the same bits as the Go twins
// maxPool2DGo and maxPool2DBackwardGo: the running maximum is kept negated
// and updated as max(m, v) = −min(−m, −v) with min(a, b) = t | min(t, a),
// t = min(a, b), which is how the Go compiler lowers the builtin max on
// amd64 (cmd/compile's AMD64.rules), so NaN payloads and signed zeros come
// out as the Go loop gives them; arg moves to a cell where !(v <= m), the
// twin's test. The backward kernels add dy into the window cell whose
// position equals arg, one output cell after another, which is the order of
// the twin's additions.

// poolAVX512 is the AVX-512 pair: 16 channels per register, masked tails.
var poolAVX512 = &poolKernels{name: "avx512", maxRun: maxPoolRunAVX512, maxBackRun: maxPoolBackRunAVX512}

// poolAVX2 is the AVX2 pair: 8 channels per register, masked tails.
var poolAVX2 = &poolKernels{name: "avx2", maxRun: maxPoolRunAVX2, maxBackRun: maxPoolBackRunAVX2}

// poolAsmKernels lists the pairs this CPU can run, fastest first.
func poolAsmKernels() []*poolKernels { return asmSets(poolAVX512, poolAVX2) }

// maxPoolRunAVX512 computes MaxPool2D for a run of output cells (see
// poolRunFunc); arg may be nil.
//
//go:noescape
func maxPoolRunAVX512(y *float32, arg *int32, x *float32, c, kh, kw, rowStride, colStep, npix, argBase int)

// maxPoolBackRunAVX512 computes MaxPool2DBackward for a run of output
// cells (see poolRunFunc): dx[i] += dy where arg names cell i.
//
//go:noescape
func maxPoolBackRunAVX512(dy *float32, arg *int32, dx *float32, c, kh, kw, rowStride, colStep, npix, argBase int)

// maxPoolRunAVX2 computes MaxPool2D for a run of output cells (see
// poolRunFunc); arg may be nil.
//
//go:noescape
func maxPoolRunAVX2(y *float32, arg *int32, x *float32, c, kh, kw, rowStride, colStep, npix, argBase int)

// maxPoolBackRunAVX2 computes MaxPool2DBackward for a run of output cells
// (see poolRunFunc): dx[i] += dy where arg names cell i.
//
//go:noescape
func maxPoolBackRunAVX2(dy *float32, arg *int32, dx *float32, c, kh, kw, rowStride, colStep, npix, argBase int)
