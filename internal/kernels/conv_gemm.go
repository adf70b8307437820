package kernels

import (
	"runtime"
	"unsafe"
)

// ConvGemm computes a convolution's forward pass as im2col + GEMM without
// the patch matrix: each 8-row panel of GEMM's packed A is gathered
// straight from the images (8 output pixels' windows, transposed 8×8 at a
// time) and multiplied at once by the 8×32 micro-kernel, so the patches are
// neither written out by Im2Col nor read back and repacked by Gemm. It is
// for float32 on CPUs with the AVX-512 kernels, geometries ConvGemmSuits
// accepts. A ConvGemm keeps its buffers from run to run; it must not run
// twice at once.
type ConvGemm struct {
	bp    []float32   // the kernel, packed as GEMM's B
	parts [][]float32 // per part: a packed A block, 9 patch rows
	eps   []tileEpilogue[float32]
	body  func(part int)

	// The operands of the run in progress, read by body.
	g          *ConvGeom
	x, y, bias []float32
	relu       bool
	f, rows    int
	nparts     int
}

// ConvGemmSuits reports whether ConvGemm runs a convolution of geometry g
// with f filters: the assembly kernels, a patch no longer than one block
// of GEMM's depth, adjacent taps along x (DW = 1) with KW·C a multiple of
// 8 (whole 8×8 transposes), and more than 16 filters (narrower products go
// to another micro-kernel in Gemm).
func ConvGemmSuits(g *ConvGeom, f int) bool {
	kern := sgemmKernel
	return convPackAsm && kern.mr == 8 && kern.nr == 32 && g.PatchLen() <= kern.kc &&
		g.DW == 1 && (g.KW*g.C)%8 == 0 && f > 16
}

// Forward sets y (n·OH·OW·f values) to act(conv(x) + bias) for the n
// images x, with the Keras kernel w (K×f), bias nil for none, relu
// clamping below at zero, on threads goroutines. It gives the bits of
// Im2Col followed by GemmBiasAct: the same packed panels in the same
// micro-kernel.
func (cg *ConvGemm) Forward(g *ConvGeom, x []float32, n int, w []float32, f int, bias []float32, relu bool, y []float32, threads int) {
	kern := sgemmKernel
	k := g.PatchLen()
	rows := n * g.OH * g.OW
	x, y, w = x[:n*g.H*g.W*g.C], y[:rows*f], w[:k*f]
	cg.bp = grow(cg.bp, roundUp(f, kern.nr)*k)
	kern.packB(cg.bp, false, w, f, 0, 0, k, f, kern.nr)
	// Parts of whole panels, at most one per thread, each with its own
	// packed block of up to mc rows.
	threads = max(1, min(threads, runtime.GOMAXPROCS(0), (rows+kern.mc-1)/kern.mc))
	for len(cg.parts) < threads {
		cg.parts = append(cg.parts, nil)
		cg.eps = append(cg.eps, tileEpilogue[float32]{})
	}
	for i := range threads {
		cg.parts[i] = grow(cg.parts[i], kern.mc*k+9*k)
	}
	if cg.body == nil {
		cg.body = cg.part
	}
	cg.g, cg.x, cg.y, cg.bias, cg.relu, cg.f, cg.rows, cg.nparts = g, x, y, bias, relu, f, rows, threads
	ParallelFor(threads, threads, cg.body)
	cg.x, cg.y, cg.bias = nil, nil, nil
}

// part computes the output rows of one part: whole blocks of mc rows.
func (cg *ConvGemm) part(p int) {
	kern := sgemmKernel
	g, f, k := cg.g, cg.f, cg.g.PatchLen()
	blocks := (cg.rows + kern.mc - 1) / kern.mc
	b0, b1 := p*blocks/cg.nparts, (p+1)*blocks/cg.nparts
	buf := cg.parts[p]
	ap, scratch := buf[:kern.mc*k], buf[kern.mc*k:kern.mc*k+9*k]
	var ep *tileEpilogue[float32]
	if cg.bias != nil || cg.relu {
		ep = &cg.eps[p]
		ep.bias, ep.relu = cg.bias, cg.relu
	}
	for b := b0; b < b1; b++ {
		ic := b * kern.mc
		mb := min(kern.mc, cg.rows-ic)
		for r := 0; r < mb; r += 8 {
			packPatchPanel(g, cg.x, ap[r*k:r*k+8*k], ic+r, min(8, cg.rows-ic-r), scratch)
		}
		macroKernel(kern, ap, mb, f, k, cg.bp, kern.nr, k, cg.y[ic*f:], f, 0, ep)
	}
	if ep != nil {
		ep.bias = nil
	}
}

// packPatchPanel writes the packed A panel of patch-matrix rows r0 …
// r0+valid−1 (output pixels of the batch, in order): panel[q·8 + i] is
// element q of row r0+i, zero for i ≥ valid. Windows inside the image are
// read in place; the others are built with im2colPixel in scratch (9 rows
// of K values, the last kept zero).
func packPatchPanel(g *ConvGeom, x, panel []float32, r0, valid int, scratch []float32) {
	k, kwc, per, in := g.PatchLen(), g.KW*g.C, g.OH*g.OW, g.H*g.W*g.C
	zero := scratch[8*k : 9*k]
	var base [8][]float32 // each row's first window row, ky rows apart by step[i]
	var step [8]int
	for i := range 8 {
		if i >= valid {
			base[i], step[i] = zero, 0
			continue
		}
		r := r0 + i
		img, pix := r/per, r%per
		oy, ox := pix/g.OW, pix%g.OW
		iy0, ix0 := oy*g.SH-g.PadT, ox*g.SW-g.PadL
		if iy0 >= 0 && iy0+(g.KH-1)*g.DH < g.H && ix0 >= 0 && ix0+g.KW <= g.W {
			base[i] = x[img*in+(iy0*g.W+ix0)*g.C:]
			step[i] = g.DH * g.W * g.C
			continue
		}
		row := scratch[i*k : i*k+k]
		im2colPixel(g, x[img*in:(img+1)*in], row, oy, ox)
		base[i], step[i] = row, kwc
	}
	var srcs [8]*float32
	for ky := range g.KH {
		for i := range 8 {
			srcs[i] = &base[i][ky*step[i]]
		}
		packPix8(panel[ky*kwc*8:(ky+1)*kwc*8], &srcs, kwc)
	}
}

// packPix8 writes dst[q·8 + i] = srcs[i][q] for q < n, i < 8 (n a multiple
// of 8): eight rows, each n values from its own address, transposed.
func packPix8(dst []float32, srcs *[8]*float32, n int) {
	dst = dst[:8*n]
	if convPackAsm {
		packPix8AVX2(&dst[0], srcs, n)
		return
	}
	packPix8Go(dst, srcs, n)
}

// packPix8Go is the Go twin of packPix8AVX2.
func packPix8Go(dst []float32, srcs *[8]*float32, n int) {
	for i, p := range srcs {
		src := unsafe.Slice(p, n)
		for q, v := range src {
			dst[q*8+i] = v
		}
	}
}
