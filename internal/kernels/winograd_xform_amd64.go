//go:build !noasm

package kernels

// wgAsm selects the AVX-512 Winograd transforms of winograd_xform_amd64.s
// for channel counts that are multiples of 16. They compute the same bits
// as the Go twins (the same additions, subtractions and sign flips in the
// same order, no fused operations); only the payload and sign of a NaN
// may differ, since Go may swap the operands of an addition and x86
// returns the first operand's NaN.
var wgAsm = hasAVX512

// wgInputAVX512 is wgInput for c a multiple of 16.
//
//go:noescape
func wgInputAVX512(rows *[4]*float32, c int, dst *float32, ld int)

// wgOutputAVX512 is wgOutput for c a multiple of 16.
//
//go:noescape
func wgOutputAVX512(src *float32, ld, c int, bias *float32, relu bool, dst *[4]*float32)

// wgGradOutAVX512 is wgGradOut for c a multiple of 16.
//
//go:noescape
func wgGradOutAVX512(src *[4]*float32, c int, dst *float32, ld int)

// wgGradInAVX512 is wgGradIn for c a multiple of 16.
//
//go:noescape
func wgGradInAVX512(src *float32, ld, c int, rows *[4]*float32)
