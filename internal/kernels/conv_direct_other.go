//go:build noasm || !amd64

package kernels

// convDirectAsm is false without assembly: the direct convolution runs
// the Go twins, and layers prefer im2col + GEMM.
const convDirectAsm = false

func convFwdRowAsm(y, x *float32, taps *int, k int, w *float32, bias []float32, f, n, sx int, relu bool) {
	panic("unreachable")
}

func convDWAsm(dw, x *float32, taps *int, k int, dz *float32, f, oh, ow, sx, sy int) {
	panic("unreachable")
}

// convRunAsm is false without assembly: Im2Col and Col2Im run the Go
// loops.
const convRunAsm = false

func im2colRunAVX512(dst, src *float32, npix, kh, rowLen, srcRow, srcPix, dstPix int, mask uint16) {
	panic("unreachable")
}

func col2imRunAVX512(cols, dx *float32, npix, kh, rowLen, dxRow, dxPix, colsPix int, mask uint16) {
	panic("unreachable")
}

// convPackAsm is false without assembly: ConvGemm does not run.
const convPackAsm = false

func packPix8AVX2(dst *float32, srcs *[8]*float32, n int) { panic("unreachable") }
