package kernels

// The float32 max pooling of pool.go, cut into runs for the assembly
// kernels of pool_amd64.go. The Go code here handles the geometry (which
// cells of the image each window covers); a kernel handles the arithmetic of
// a run of output cells of one row whose windows have the same shape.

// poolRunFunc is the signature of a max-pooling run kernel. It treats npix
// consecutive output cells of one output row, whose windows all span kh
// rows and kw columns of the image; y and arg point at the first output
// cell's C values, x (or dx) at the first cell of its window. Successive
// window cells of a row are C values apart, window rows rowStride values
// apart, and the windows of successive output cells colStep values apart.
// argBase is the position within its sample of the first window's first
// cell, as arg counts them. c, kh, kw and npix are at least 1. The
// backward kernel reads dy through y and adds into dx, cleared by the
// caller, through x. (Writing the windows' cells instead of clearing dx
// first, where windows do not overlap, measured 1.6× slower on the
// 26×26×32 mnist-cnn shape: the clear is a fast sequential pass.)
type poolRunFunc func(y *float32, arg *int32, x *float32, c, kh, kw, rowStride, colStep, npix, argBase int)

// poolKernels is one instruction set's pair of max-pooling run kernels:
// maxRun computes MaxPool2D (arg may be nil), maxBackRun
// MaxPool2DBackward on a cleared dx.
type poolKernels struct {
	name       string
	maxRun     poolRunFunc
	maxBackRun poolRunFunc
}

// poolF32 is the fastest pair this CPU runs, nil for none (MaxPool2D then
// runs the Go loops).
var poolF32 = fastest(poolAsmKernels(), nil)

// poolRuns calls run once for each run of output cells of one row whose
// windows have the same shape: the cells whose windows are cut by the
// left or right edge of the image one at a time, the uncut ones between
// them in one call. Cells are visited in the order of the Go loops, which
// keeps the order of the additions of the backward pass.
func (g *Pool2D) poolRuns(run func(o, first, kh, kw, npix int)) {
	for oh := range g.OH {
		ow := 0
		for ow < g.OW {
			h0, h1, w0, w1 := g.window(oh, ow)
			npix := 1
			if w1-w0 == g.KW {
				// Uncut windows are consecutive: the last one ends at
				// (ow+npix−1)·SW − PadLeft + KW ≤ W.
				last := (g.W + g.PadLeft - g.KW) / g.SW
				npix = min(last, g.OW-1) - ow + 1
			}
			run((oh*g.OW+ow)*g.C, (h0*g.W+w0)*g.C, h1-h0, w1-w0, npix)
			ow += npix
		}
	}
}

// maxPool2DRuns computes MaxPool2D on float32 data with a run kernel; the
// caller has checked the lengths.
func maxPool2DRuns(g Pool2D, y []float32, arg []int32, x []float32, kernel poolRunFunc) {
	in, out, c := g.InLen(), g.OutLen(), g.C
	if c == 0 || out == 0 {
		return
	}
	for n := range g.N {
		xs, ys := x[n*in:(n+1)*in], y[n*out:(n+1)*out]
		var as []int32
		if arg != nil {
			as = arg[n*out : (n+1)*out]
		}
		g.poolRuns(func(o, first, kh, kw, npix int) {
			var ap *int32
			if as != nil {
				ap = &as[o]
			}
			kernel(&ys[o], ap, &xs[first], c, kh, kw, g.W*c, g.SW*c, npix, first)
		})
	}
}

// maxPool2DBackwardRuns computes MaxPool2DBackward on float32 data with a
// run kernel; the caller has checked the lengths.
func maxPool2DBackwardRuns(g Pool2D, dx []float32, arg []int32, dy []float32, kernel poolRunFunc) {
	in, out, c := g.InLen(), g.OutLen(), g.C
	clear(dx[:g.N*in])
	if c == 0 || out == 0 {
		return
	}
	for n := range g.N {
		dxs, dys, as := dx[n*in:(n+1)*in], dy[n*out:(n+1)*out], arg[n*out:(n+1)*out]
		g.poolRuns(func(o, first, kh, kw, npix int) {
			kernel(&dys[o], &as[o], &dxs[first], c, kh, kw, g.W*c, g.SW*c, npix, first)
		})
	}
}
