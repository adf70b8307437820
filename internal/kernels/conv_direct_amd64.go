//go:build !noasm

package kernels

// convDirectAsm selects the AVX-512 kernels of conv_direct_amd64.s.
// They compute the same bits as the Go twins convFwdRowGo and convDWGo
// (fused multiply-adds in the same order), up to fma32's rare double
// rounding.
var convDirectAsm = hasAVX512

func convFwdRowAsm(y, x *float32, taps *int, k int, w *float32, bias []float32, f, n, sx int, relu bool) {
	var b *float32
	if len(bias) > 0 {
		b = &bias[0]
	}
	convFwdRowAVX512(y, x, taps, k, w, b, f, n, sx, relu)
}

func convDWAsm(dw, x *float32, taps *int, k int, dz *float32, f, oh, ow, sx, sy int) {
	convDWAVX512(dw, x, taps, k, dz, f, oh, ow, sx, sy)
}

// convFwdRowAVX512 computes n output pixels of a direct convolution: for
// pixel i and filter j, y[i·f+j] = max(bias[j] + Σ_t x[i·sx+taps[t]]·w[t·f+j],
// relu ? 0 : −∞), bias nil meaning zeros, f a multiple of 16.
//
//go:noescape
func convFwdRowAVX512(y, x *float32, taps *int, k int, w, bias *float32, f, n, sx int, relu bool)

// convDWAVX512 adds one image's kernel gradient into dw as convDWGo: oh
// rows of ow pixels (oh, ow ≥ 1), pixels sx values apart in x and rows sy
// apart, f a multiple of 16. Each block of 32 filters keeps the sums of up
// to 14 taps in registers (two per tap) over a row's pixels; a last block
// of 16 filters those of up to 31 taps (one per tap); more taps take
// another pass over the image.
//
//go:noescape
func convDWAVX512(dw, x *float32, taps *int, k int, dz *float32, f, oh, ow, sx, sy int)

// convRunAsm selects the AVX-512 run kernels of Im2Col and Col2Im, which
// copy (or add) the same values in the same order as im2colPixel and
// col2imPixel, so give the same bits.
var convRunAsm = hasAVX512

// im2colRunAVX512 writes the patch-matrix rows of npix output pixels whose
// windows lie inside the image: for p < npix and ky < kh, rowLen values
// from src + p·srcPix + ky·srcRow to dst + p·dstPix + ky·rowLen (strides in
// values); mask has a bit for each of the rowLen mod 16 values of a row's
// last, partial register.
//
//go:noescape
func im2colRunAVX512(dst, src *float32, npix, kh, rowLen, srcRow, srcPix, dstPix int, mask uint16)

// col2imRunAVX512 is the adjoint of im2colRunAVX512: it adds each row of
// the patch matrix at cols into dx, pixel after pixel, ky after ky.
//
//go:noescape
func col2imRunAVX512(cols, dx *float32, npix, kh, rowLen, dxRow, dxPix, colsPix int, mask uint16)

// convPackAsm selects packPix8AVX2 and lets ConvGemm run: the AVX-512
// micro-kernels it feeds need AVX-512 (the packing itself is AVX2).
var convPackAsm = hasAVX512

// packPix8AVX2 is packPix8: eight rows, each n values (a multiple of 8)
// from its own address, written transposed 8×8 at a time, the bits of
// packPix8Go.
//
//go:noescape
func packPix8AVX2(dst *float32, srcs *[8]*float32, n int)
