//go:build !noasm

package kernels

// This file declares the LSTM cell kernels of rnn_amd64.s. Each computes
// what the rnnGo field of the same name computes, bit for bit; a kernel's
// length (the units u) is that of its first slice, and the callers have
// checked the others.

// rnnAVX512 is the AVX-512 set: 16 lanes, masked tails.
var rnnAVX512 = &rnnKernels{name: "avx512", lstmState: lstmStateAVX512, lstmBack: lstmBackwardAVX512}

// rnnAVX2 is the AVX2 set: 8 lanes, masked tails.
var rnnAVX2 = &rnnKernels{name: "avx2", lstmState: lstmStateAVX2, lstmBack: lstmBackwardAVX2}

// rnnAsmKernels lists the sets this CPU can run, fastest first.
func rnnAsmKernels() []*rnnKernels { return asmSets(rnnAVX512, rnnAVX2) }

// lstmStateAVX512 sets c[j] = f[j]·cprev[j] + i[j]·g[j], a = [i f g o].
//
//go:noescape
func lstmStateAVX512(c, cprev, a []float32)

// lstmBackwardAVX512 is LSTMCellBackward's loop (lstmBackwardGo).
//
//go:noescape
func lstmBackwardAVX512(dz, dh, dc, a, cprev, tc []float32)

// lstmStateAVX2 sets c[j] = f[j]·cprev[j] + i[j]·g[j], a = [i f g o].
//
//go:noescape
func lstmStateAVX2(c, cprev, a []float32)

// lstmBackwardAVX2 is LSTMCellBackward's loop (lstmBackwardGo).
//
//go:noescape
func lstmBackwardAVX2(dz, dh, dc, a, cprev, tc []float32)
