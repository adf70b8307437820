package kernels

// ConvGeom is the geometry of a 2-D convolution over one channels-last
// image (H×W×C, row-major): a KH×KW window moved by strides SH, SW, its
// taps spaced by dilations DH, DW, over the image padded with PadT zero
// rows above and PadL zero columns to the left (the padding below and to
// the right is implied by OH and OW). A 1-D convolution is the case H = 1.
//
// The patch matrix ("cols") of an image has one row per output pixel
// (OH·OW rows, row oy·OW+ox) and one column per window tap and channel
// (KH·KW·C columns, in (ky, kx, c) order), which is the row order of a
// Keras kernel (KH, KW, C, filters) read as a (KH·KW·C)×filters matrix: the
// convolution is then cols·kernel, one GEMM.
type ConvGeom struct {
	H, W, C    int // input image
	KH, KW     int // window
	SH, SW     int // strides
	DH, DW     int // dilations
	PadT, PadL int // zeros above and to the left
	OH, OW     int // output image
}

// ConvOutSize is the output length along one axis of a convolution with
// window k, stride s and dilation d over in values padded with before and
// after zeros: ⌊(in + before + after − (k−1)·d − 1)/s⌋ + 1. It is zero or
// negative when the dilated window is longer than the padded input.
func ConvOutSize(in, k, s, d, before, after int) int {
	span := in + before + after - (k-1)*d - 1
	if span < 0 {
		return 0
	}
	return span/s + 1
}

// PatchLen is the number of columns of the patch matrix, KH·KW·C.
func (g *ConvGeom) PatchLen() int { return g.KH * g.KW * g.C }

// Identity reports whether the patch matrix is the image itself (a 1×1
// window, stride 1, no padding), so that Im2Col can be skipped.
func (g *ConvGeom) Identity() bool {
	return g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PadT == 0 && g.PadL == 0 &&
		g.OH == g.H && g.OW == g.W
}

// Im2Col writes the patch matrix of the image x (H·W·C values) into cols
// (OH·OW·KH·KW·C values): element (oy·OW+ox, (ky·KW+kx)·C+c) is
//
//	x[oy·SH − PadT + ky·DH, ox·SW − PadL + kx·DW, c]
//
// or 0 where that pixel lies in the padding.
func Im2Col[T Float](g *ConvGeom, x, cols []T) {
	k := g.PatchLen()
	x, cols = x[:g.H*g.W*g.C], cols[:g.OH*g.OW*k]
	if x32, ok := any(x).([]float32); ok && convRunAsm {
		im2colRuns(g, x32, any(cols).([]float32))
		return
	}
	for oy := range g.OH {
		for ox := range g.OW {
			row := oy*g.OW + ox
			im2colPixel(g, x, cols[row*k:row*k+k], oy, ox)
		}
	}
}

// im2colPixel writes the patch-matrix row of output pixel (oy, ox).
func im2colPixel[T Float](g *ConvGeom, x, dst []T, oy, ox int) {
	kwc := g.KW * g.C
	iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
	// The window's row lies wholly inside the image: one copy per ky
	// when its taps are adjacent (DW = 1).
	inside := g.DW == 1 && ix0 >= 0 && ix0+g.KW <= g.W
	for ky := range g.KH {
		d := dst[ky*kwc : ky*kwc+kwc]
		iy := iy0 + ky*g.DH
		if iy < 0 || iy >= g.H {
			clear(d)
			continue
		}
		src := x[iy*g.W*g.C : (iy+1)*g.W*g.C]
		if inside {
			copyShort(d, src[ix0*g.C:])
			continue
		}
		for kx := range g.KW {
			ix := ix0 + kx*g.DW
			if ix < 0 || ix >= g.W {
				clear(d[kx*g.C : kx*g.C+g.C])
			} else {
				copy(d[kx*g.C:kx*g.C+g.C], src[ix*g.C:])
			}
		}
	}
}

// Col2Im is the adjoint of Im2Col: it overwrites dx (H·W·C values) with
// the sum, for every pixel, of the patch-matrix elements dcols that Im2Col
// would have copied from it (elements that fall in the padding are
// dropped). It turns the gradient of the patch matrix into the gradient of
// the image. Each element of dx receives its terms in the order of the
// patch-matrix rows, then of ky.
func Col2Im[T Float](g *ConvGeom, dcols, dx []T) {
	k := g.PatchLen()
	dx, dcols = dx[:g.H*g.W*g.C], dcols[:g.OH*g.OW*k]
	clear(dx)
	if dx32, ok := any(dx).([]float32); ok && convRunAsm {
		col2imRuns(g, any(dcols).([]float32), dx32)
		return
	}
	for oy := range g.OH {
		for ox := range g.OW {
			row := oy*g.OW + ox
			col2imPixel(g, dcols[row*k:row*k+k], dx, oy, ox)
		}
	}
}

// col2imPixel adds the patch-matrix row src of output pixel (oy, ox) into
// the image gradient dx.
func col2imPixel[T Float](g *ConvGeom, src, dx []T, oy, ox int) {
	kwc := g.KW * g.C
	iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
	inside := g.DW == 1 && ix0 >= 0 && ix0+g.KW <= g.W
	for ky := range g.KH {
		iy := iy0 + ky*g.DH
		if iy < 0 || iy >= g.H {
			continue
		}
		s := src[ky*kwc : ky*kwc+kwc]
		d := dx[iy*g.W*g.C : (iy+1)*g.W*g.C]
		if inside {
			addTo(d[ix0*g.C:ix0*g.C+kwc], s)
			continue
		}
		for kx := range g.KW {
			if ix := ix0 + kx*g.DW; ix >= 0 && ix < g.W {
				addTo(d[ix*g.C:ix*g.C+g.C], s[kx*g.C:kx*g.C+g.C])
			}
		}
	}
}

// insideRun returns the output pixels ox in [lo, hi) of output row oy
// whose whole window lies inside the image with adjacent taps along x
// (DW = 1), so that each window row is one run of KW·C values; ok is
// false when a window row of oy falls in the padding.
func (g *ConvGeom) insideRun(oy int) (lo, hi int, ok bool) {
	iy0 := oy*g.SH - g.PadT
	if g.DW != 1 || iy0 < 0 || iy0+(g.KH-1)*g.DH >= g.H || g.W < g.KW {
		return 0, 0, false
	}
	lo = (g.PadL + g.SW - 1) / g.SW
	hi = min((g.W-g.KW+g.PadL)/g.SW+1, g.OW)
	return lo, max(lo, hi), true
}

// im2colRuns is Im2Col on float32 with the assembly run kernel for the
// pixels whose windows lie inside the image, im2colPixel for the others.
func im2colRuns(g *ConvGeom, x, cols []float32) {
	k, kwc := g.PatchLen(), g.KW*g.C
	mask := uint16(1)<<(kwc&15) - 1
	g.pixelRuns(func(row, off, npix int) {
		im2colRunAVX512(&cols[row*k], &x[off], npix, g.KH, kwc, g.DH*g.W*g.C, g.SW*g.C, k, mask)
	}, func(row, oy, ox int) {
		im2colPixel(g, x, cols[row*k:row*k+k], oy, ox)
	})
}

// col2imRuns is Col2Im on float32 (dx cleared) with the assembly run
// kernel for the pixels whose windows lie inside the image, col2imPixel
// for the others, in the order of the patch-matrix rows.
func col2imRuns(g *ConvGeom, dcols, dx []float32) {
	k, kwc := g.PatchLen(), g.KW*g.C
	mask := uint16(1)<<(kwc&15) - 1
	g.pixelRuns(func(row, off, npix int) {
		col2imRunAVX512(&dcols[row*k], &dx[off], npix, g.KH, kwc, g.DH*g.W*g.C, g.SW*g.C, k, mask)
	}, func(row, oy, ox int) {
		col2imPixel(g, dcols[row*k:row*k+k], dx, oy, ox)
	})
}

// pixelRuns visits the output pixels in the order of the patch-matrix
// rows: for each output row's run of pixels whose windows lie inside the
// image (see insideRun) it calls run once, with the patch-matrix row of
// the first, the image offset of its window's top-left tap and the number
// of pixels; for every other pixel it calls pixel with its row and
// position. The callers pass func literals, which stay on the stack.
func (g *ConvGeom) pixelRuns(run func(row, off, npix int), pixel func(row, oy, ox int)) {
	for oy := range g.OH {
		lo, hi, ok := g.insideRun(oy)
		if !ok {
			lo, hi = g.OW, g.OW
		}
		for ox := range g.OW {
			if ox == lo && hi > lo {
				run(oy*g.OW+lo, ((oy*g.SH-g.PadT)*g.W+lo*g.SW-g.PadL)*g.C, hi-lo)
			}
			if ox >= lo && ox < hi {
				continue
			}
			pixel(oy*g.OW+ox, oy, ox)
		}
	}
}

// copyShort is copy(d, s) for the short rows of a window (three values
// for a 3×3 window over one channel), where a loop beats memmove's call.
func copyShort[T Float](d, s []T) {
	if len(d) >= 16 {
		copy(d, s)
		return
	}
	s = s[:len(d)]
	for i := range d {
		d[i] = s[i]
	}
}

// addTo adds s into d elementwise (len(s) ≥ len(d)), with the vector
// kernel of Binary for rows long enough to pay for the call.
func addTo[T Float](d, s []T) {
	s = s[:len(d)]
	if len(d) >= 16 {
		Binary(OpAdd, d, d, s)
		return
	}
	for i := range d {
		d[i] += s[i]
	}
}
