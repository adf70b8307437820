package kernels

// Direct convolution of thin layers: the first layer of a convnet, where
// the patch matrix has few columns (KH·KW·C = 9 for a 3×3 window over grey
// images). There im2col + GEMM spends more time building and packing the
// patch matrix, and writing tiles after only K multiply-adds each, than
// multiplying; a direct loop reads the image in place instead, with the
// filters along the vector lanes (16 per AVX-512 register).

// DirectConvMaxK is the most patch columns KH·KW·C a direct convolution
// takes: each tap costs one broadcast per pixel, against GEMM's packed
// panels, which win as K grows.
const DirectConvMaxK = 32

// DirectConvSuits reports whether the convolution of geometry g with f
// filters can run directly: no padding (every tap of every window inside
// the image), K ≤ DirectConvMaxK and f a multiple of 16.
func DirectConvSuits(g *ConvGeom, f int) bool {
	return g.PadT == 0 && g.PadL == 0 && g.PatchLen() <= DirectConvMaxK && f > 0 && f%16 == 0 &&
		(g.OH-1)*g.SH+(g.KH-1)*g.DH < g.H && (g.OW-1)*g.SW+(g.KW-1)*g.DW < g.W
}

// DirectConvFast reports whether this CPU has the assembly kernels of the
// direct convolution; without them im2col + GEMM is faster than the Go
// loops.
func DirectConvFast() bool { return convDirectAsm }

// directTaps fills offs with the offset in the image of each tap (ky, kx,
// c), in the patch-matrix column order, from a window's top-left value.
func directTaps(g *ConvGeom, offs *[DirectConvMaxK]int) []int {
	k := 0
	for ky := range g.KH {
		for kx := range g.KW {
			for c := range g.C {
				offs[k] = (ky*g.DH*g.W+kx*g.DW)*g.C + c
				k++
			}
		}
	}
	return offs[:k]
}

// DirectConvForward computes one image's convolution y = act(x ∗ w + b)
// for a geometry that DirectConvSuits: x is H·W·C values, w the Keras
// kernel as a K×f matrix, bias f values (nil: none) and y OH·OW·f values;
// relu clamps below at zero (NaN stays NaN). Each output is
// bias + Σ_t x_t·w_t accumulated with fused multiply-adds in tap order.
func DirectConvForward(g *ConvGeom, x, w, bias, y []float32, f int, relu bool) {
	directConvForward(g, x, w, bias, y, f, relu, convDirectAsm)
}

// directConvForward is DirectConvForward with the kernels chosen by asm.
func directConvForward(g *ConvGeom, x, w, bias, y []float32, f int, relu, asm bool) {
	var offs [DirectConvMaxK]int
	taps := directTaps(g, &offs)
	k := len(taps)
	x, w, y = x[:g.H*g.W*g.C], w[:k*f], y[:g.OH*g.OW*f]
	if bias != nil {
		bias = bias[:f]
	}
	for oy := range g.OH {
		row := x[oy*g.SH*g.W*g.C:]
		yr := y[oy*g.OW*f : (oy+1)*g.OW*f]
		if asm {
			convFwdRowAsm(&yr[0], &row[0], &taps[0], k, &w[0], bias, f, g.OW, g.SW*g.C, relu)
			continue
		}
		convFwdRowGo(yr, row, taps, w, bias, f, g.OW, g.SW*g.C, relu)
	}
}

// convFwdRowGo is the Go twin of the row kernels: n output pixels sx
// values apart in x.
func convFwdRowGo(y, x []float32, taps []int, w, bias []float32, f, n, sx int, relu bool) {
	for i := range n {
		xi := x[i*sx:]
		yi := y[i*f : i*f+f]
		for j := range yi {
			var acc float32
			if len(bias) > 0 {
				acc = bias[j]
			}
			for t, o := range taps {
				acc = fma32(xi[o], w[t*f+j], acc)
			}
			if relu && acc < 0 {
				acc = 0
			}
			yi[j] = acc
		}
	}
}

// DirectConvKernelGrad adds one image's kernel gradient into dw (K×f):
// dw[t, j] += Σ_pixels x_t(pixel)·dz[pixel, j], for a geometry that
// DirectConvSuits, with dz (OH·OW·f values) the gradient of the
// pre-activation output. Each output row's sum runs over its pixels with
// fused multiply-adds from zero and is then added to dw: two levels keep
// the float32 sums short (OW terms in a row, OH rows per image) where one
// running sum over the batch's pixels would lose precision.
func DirectConvKernelGrad(g *ConvGeom, x, dz, dw []float32, f int) {
	directConvKernelGrad(g, x, dz, dw, f, convDirectAsm)
}

// directConvKernelGrad is DirectConvKernelGrad with the kernels chosen by asm.
func directConvKernelGrad(g *ConvGeom, x, dz, dw []float32, f int, asm bool) {
	var offs [DirectConvMaxK]int
	taps := directTaps(g, &offs)
	k := len(taps)
	x, dz, dw = x[:g.H*g.W*g.C], dz[:g.OH*g.OW*f], dw[:k*f]
	if g.OH == 0 || g.OW == 0 {
		return
	}
	sx, sy := g.SW*g.C, g.SH*g.W*g.C
	if asm {
		convDWAsm(&dw[0], &x[0], &taps[0], k, &dz[0], f, g.OH, g.OW, sx, sy)
		return
	}
	convDWGo(dw, x, taps, dz, f, g.OH, g.OW, sx, sy)
}

// convDWGo is the Go twin of the kernel-gradient kernels: oh rows of ow
// output pixels, pixels sx values apart in x and rows sy values apart,
// their dz rows contiguous. For each tap t, filter j and row it sums
// x[pixel+taps[t]]·dz[pixel, j] over the row's pixels in order, from zero,
// and adds the sum to dw[t·f+j].
func convDWGo(dw, x []float32, taps []int, dz []float32, f, oh, ow, sx, sy int) {
	for t, o := range taps {
		for j := range f {
			for oy := range oh {
				xr, dr := x[oy*sy+o:], dz[oy*ow*f+j:]
				var acc float32
				for ox := range ow {
					acc = fma32(xr[ox*sx], dr[ox*f], acc)
				}
				dw[t*f+j] += acc
			}
		}
	}
}
