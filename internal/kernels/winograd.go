package kernels

import "runtime"

// Winograd runs 3×3, stride-1 convolutions as Winograd's minimal filtering
// algorithm F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional
// Neural Networks", CVPR 2016): each 2×2 block of output pixels (a tile)
// comes from a 4×4 block of input pixels d and the 3×3 kernel g as
//
//	y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A,
//
// 16 products per tile and channel pair where the direct sum takes 36. Over
// a batch the elementwise products are 16 matrix products, one per tile
// position ξ: Z_ξ (tiles × F) = V_ξ (tiles × C) · U_ξ (C × F), with
// V = Bᵀ d B the transformed input and U = G g Gᵀ the transformed kernel;
// they run on Gemm's packed micro-kernel. The backward pass uses the same
// structure transposed: M = A dZ Aᵀ, dV_ξ = M_ξ · U_ξᵀ scattered back as
// B dV Bᵀ, and dU_ξ = V_ξᵀ · M_ξ, from which dkernel = Gᵀ dU G.
//
// Why: mnist-cnn's second convolution (13×13×32 → 11×11×64) spends its
// time in GEMMs that already run at the core's FMA peak, so only fewer
// multiplications make it faster. Its 121 output pixels make 36 tiles per
// image (6×6, the last row and column half outside), so the products take
// 36·16 = 576 multiply-adds per channel pair per image against 121·9 =
// 1089: 1.89× fewer, in forward, backward to the input and to the kernel
// alike. The transforms are additions, vectorised across channels
// (winograd_xform.go).
//
// The work runs a block of whole images at a time, so that the block's
// transformed tiles (V, Z, M: about 0.6 MiB for two images of that layer)
// stay in the core's L2 cache between transform and product, and so that a
// block's input gradients are written by one goroutine only. Each part of
// the batch keeps its own partial dU; the parts are added in a fixed order,
// so that results do not depend on which goroutine ran which part.
//
// F(2×2, 3×3)'s transforms add and subtract up to 4 values per axis, yet
// it rounds no worse than im2col + GEMM here: against a float64 direct sum
// on mnist-cnn's second layer (batch 8, normal data), the largest errors
// relative to the largest value were 3e-7 forward, 3e-7 for dx and 3e-7
// for dkernel, against im2col + GEMM's 6e-7, 2e-7 and 7e-7. Tests bound it
// against the direct convolution.
//
// A Winograd keeps its buffers from run to run; it must not run twice at
// once.
type Winograd struct {
	u     []float32 // U_ξ = G g Gᵀ, 16 matrices C×F (row-major)
	up    []float32 // each U_ξ packed as GEMM's B for the forward product
	ut    []float32 // each U_ξᵀ packed as B for the input gradient
	utOK  bool      // ut matches u
	parts []*wgPart
	// Per part: the partial dU (16 × C × F) and, after it, the partial
	// bias gradient (F), added in part order by SumParts.
	grads [][]float32
	body  func(part int)
	zeros []float32 // 4·max(C, F) zeros: rows and pixels outside the image
	tmp   []float32 // half-transformed kernels (12·C·F), then the summed dU (16·C·F)

	// The operands of the run in progress, read by body.
	g            *ConvGeom
	kern         *gemmKernel[float32]
	x, y, bias   []float32 // forward: images, outputs, bias (nil: none)
	dz, dx       []float32 // backward: output gradients, input gradients (nil: none)
	relu         bool
	backward     bool
	f, n, nparts int
	dbias        []float32
}

// wgPart is the scratch of one part of the batch.
type wgPart struct {
	v, m, z []float32 // transformed input, output gradient, products: [ξ][tile][channel]
	ap, bp  []float32 // one packed A and B block
	edge    []float32 // a 4×4 tile of up to max(C, F) channels for tiles at the image's edge
	dummy   []float32 // where outputs outside the image go
	rows    [4]*float32
	pix     [4]*float32
}

// wgBlockImages is how many images a block holds: two of mnist-cnn's
// second layer make 72 tiles, whose V, Z and M take 0.6 MiB.
const wgBlockImages = 2

// WinogradSuits reports whether Winograd runs a convolution of geometry g
// with f filters: a 3×3 window, stride 1, no dilation, channels and filters
// no more than one block of GEMM's depth, and the assembly kernels (the
// pure-Go kernels make Winograd slower than im2col + GEMM, so it is not
// used with them).
func WinogradSuits(g *ConvGeom, f int) bool {
	return wgAsm && sgemmKernel.mr == 8 && sgemmKernel.nr == 32 && winogradGeom(g, f, sgemmKernel)
}

// winogradGeom reports whether g and f fit Winograd with kernel kern.
func winogradGeom(g *ConvGeom, f int, kern *gemmKernel[float32]) bool {
	return g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.DH == 1 && g.DW == 1 &&
		g.C%16 == 0 && f%16 == 0 && g.C <= kern.kc && f <= kern.kc && g.OH > 0 && g.OW > 0
}

// tiles returns the tiles per image along y and x.
func wgTiles(g *ConvGeom) (th, tw int) { return (g.OH + 1) / 2, (g.OW + 1) / 2 }

// Forward sets y (n·OH·OW·f values) to act(conv(x) + bias) for the n
// images x, with the Keras kernel w (3×3×C×f), bias nil for none, relu
// clamping below at zero, on threads goroutines.
func (wg *Winograd) Forward(g *ConvGeom, x []float32, n int, w []float32, f int, bias []float32, relu bool, y []float32, threads int) {
	wg.run(sgemmKernel, g, x, n, w, f, bias, relu, y, threads)
}

func (wg *Winograd) run(kern *gemmKernel[float32], g *ConvGeom, x []float32, n int, w []float32, f int, bias []float32, relu bool, y []float32, threads int) {
	wg.setup(kern, g, n, f, threads)
	wg.transformKernel(w[:9*g.C*f])
	wg.x, wg.y, wg.bias, wg.relu, wg.backward = x[:n*g.H*g.W*g.C], y[:n*g.OH*g.OW*f], bias, relu, false
	ParallelFor(wg.nparts, wg.nparts, wg.body)
	wg.x, wg.y, wg.bias = nil, nil, nil
}

// Backward computes, for the n images x of the last Forward (whose kernel w
// it still holds), the kernel gradient dw (3×3×C×f, overwritten), the bias
// gradient dbias (nil: none) and, when dx is not nil, the input gradient dx,
// from the output gradient dz. When y is not nil, the layer's ReLU output,
// dz is first multiplied in place by ReLU's derivative (y > 0).
func (wg *Winograd) Backward(g *ConvGeom, x []float32, n int, f int, dz, y, dw, dbias, dx []float32, threads int) {
	wg.backwardWith(sgemmKernel, g, x, n, f, dz, y, dw, dbias, dx, threads)
}

func (wg *Winograd) backwardWith(kern *gemmKernel[float32], g *ConvGeom, x []float32, n, f int, dz, y, dw, dbias, dx []float32, threads int) {
	c := g.C
	wg.setup(kern, g, n, f, threads)
	if dx != nil && !wg.utOK {
		nr := kern.nr
		for xi := range 16 {
			kern.packB(wg.ut[xi*roundUp(c, nr)*f:], true, wg.u[xi*c*f:(xi+1)*c*f], f, 0, 0, f, c, nr)
		}
		wg.utOK = true
	}
	per := g.OH * g.OW * f
	wg.x, wg.dz, wg.dx, wg.dbias, wg.backward = x[:n*g.H*g.W*c], dz[:n*per], nil, dbias, true
	if dx != nil {
		wg.dx = dx[:n*g.H*g.W*c]
	}
	wg.y = nil
	if y != nil {
		wg.y = y[:n*per]
	}
	ParallelFor(wg.nparts, wg.nparts, wg.body)
	// Every part has at least one block (setup), so every partial sum is set.
	grads := wg.grads[:wg.nparts]
	du := wg.tmp[12*c*f : 28*c*f]
	SumParts(du, grads, 0)
	kernelGradFromWinograd(du, dw[:9*c*f], wg.tmp[:12*c*f], c*f)
	if dbias != nil {
		SumParts(dbias[:f], grads, 16*c*f)
	}
	wg.x, wg.dz, wg.dx, wg.y, wg.dbias = nil, nil, nil, nil, nil
}

// setup sizes the buffers for n images of geometry g and f filters.
func (wg *Winograd) setup(kern *gemmKernel[float32], g *ConvGeom, n, f, threads int) {
	c := g.C
	wg.g, wg.kern, wg.f, wg.n = g, kern, f, n
	blocks := (n + wgBlockImages - 1) / wgBlockImages
	wg.nparts = max(1, min(threads, runtime.GOMAXPROCS(0), blocks))
	th, tw := wgTiles(g)
	nb := roundUp(min(n, wgBlockImages)*th*tw, kern.mr)
	wide := max(c, f)
	for len(wg.parts) < wg.nparts {
		wg.parts = append(wg.parts, &wgPart{})
	}
	for _, p := range wg.parts[:wg.nparts] {
		p.v = grow(p.v, 16*nb*c)
		p.z = grow(p.z, 16*nb*f)
		p.m = grow(p.m, 16*nb*f)
		p.ap = grow(p.ap, nb*roundUp(wide, kern.mr))
		p.bp = grow(p.bp, nb*roundUp(wide, kern.nr))
		p.edge = grow(p.edge, 16*wide)
		p.dummy = grow(p.dummy, wide)
	}
	if len(wg.zeros) < 4*wide {
		wg.zeros = make([]float32, 4*wide)
	}
	for len(wg.grads) < wg.nparts {
		wg.grads = append(wg.grads, nil)
	}
	for i := range wg.nparts {
		wg.grads[i] = grow(wg.grads[i], 16*c*f+f)
	}
	wg.tmp = grow(wg.tmp, 28*c*f) // half-transformed kernels, then the summed dU
	wg.u = grow(wg.u, 16*c*f)
	wg.up = grow(wg.up, 16*roundUp(f, kern.nr)*c)
	wg.ut = grow(wg.ut, 16*roundUp(c, kern.nr)*f)
	if wg.body == nil {
		wg.body = wg.part
	}
}

// transformKernel sets U_ξ = G g Gᵀ from the Keras kernel w (3×3×C×F) and
// packs each U_ξ as GEMM's B. The loops run over the C·F kernels at once,
// a whole row of them per statement, so that every access is sequential
// (a loop per kernel, reading 9 values cf apart, took 3–4× as long).
func (wg *Winograd) transformKernel(w []float32) {
	c, f, kern := wg.g.C, wg.f, wg.kern
	cf := c * f
	u := wg.u[:16*cf]
	gg := wg.tmp[:12*cf] // G g: 4 rows × 3 columns of kernels
	for kx := range 3 {  // G g, along y
		g0, g1, g2 := w[kx*cf:(kx+1)*cf], w[(3+kx)*cf:(4+kx)*cf], w[(6+kx)*cf:(7+kx)*cf]
		r0, r1, r2, r3 := gg[kx*cf:(kx+1)*cf], gg[(3+kx)*cf:(4+kx)*cf], gg[(6+kx)*cf:(7+kx)*cf], gg[(9+kx)*cf:(10+kx)*cf]
		for e := range r0 {
			a, b, d := g0[e], g1[e], g2[e]
			r0[e], r1[e], r2[e], r3[e] = a, (a+b+d)*0.5, (a-b+d)*0.5, d
		}
	}
	for i := range 4 { // (G g) Gᵀ, along x
		g0, g1, g2 := gg[(3*i)*cf:(3*i+1)*cf], gg[(3*i+1)*cf:(3*i+2)*cf], gg[(3*i+2)*cf:(3*i+3)*cf]
		u0, u1, u2, u3 := u[(4*i)*cf:(4*i+1)*cf], u[(4*i+1)*cf:(4*i+2)*cf], u[(4*i+2)*cf:(4*i+3)*cf], u[(4*i+3)*cf:(4*i+4)*cf]
		for e := range u0 {
			a, b, d := g0[e], g1[e], g2[e]
			u0[e], u1[e], u2[e], u3[e] = a, (a+b+d)*0.5, (a-b+d)*0.5, d
		}
	}
	nr := kern.nr
	for xi := range 16 {
		kern.packB(wg.up[xi*roundUp(f, nr)*c:], false, u[xi*cf:(xi+1)*cf], f, 0, 0, c, f, nr)
	}
	wg.utOK = false
}

// kernelGradFromWinograd sets dw (3×3×C×F) to Gᵀ dU G, dU holding 16
// matrices of cf values, with tmp (12·cf values) as scratch; sequential
// loops as in transformKernel.
func kernelGradFromWinograd(du, dw, tmp []float32, cf int) {
	t := tmp[:12*cf]   // Gᵀ dU: 3 rows × 4 columns of kernels
	for j := range 4 { // Gᵀ dU, along y
		u0, u1, u2, u3 := du[j*cf:(j+1)*cf], du[(4+j)*cf:(5+j)*cf], du[(8+j)*cf:(9+j)*cf], du[(12+j)*cf:(13+j)*cf]
		t0, t1, t2 := t[j*cf:(j+1)*cf], t[(4+j)*cf:(5+j)*cf], t[(8+j)*cf:(9+j)*cf]
		for e := range t0 {
			a, b, c, d := u0[e], u1[e], u2[e], u3[e]
			t0[e], t1[e], t2[e] = a+(b+c)*0.5, (b-c)*0.5, (b+c)*0.5+d
		}
	}
	for ky := range 3 { // (Gᵀ dU) G, along x
		r0, r1, r2, r3 := t[(4*ky)*cf:(4*ky+1)*cf], t[(4*ky+1)*cf:(4*ky+2)*cf], t[(4*ky+2)*cf:(4*ky+3)*cf], t[(4*ky+3)*cf:(4*ky+4)*cf]
		d0, d1, d2 := dw[(3*ky)*cf:(3*ky+1)*cf], dw[(3*ky+1)*cf:(3*ky+2)*cf], dw[(3*ky+2)*cf:(3*ky+3)*cf]
		for e := range d0 {
			a, b, c, d := r0[e], r1[e], r2[e], r3[e]
			d0[e], d1[e], d2[e] = a+(b+c)*0.5, (b-c)*0.5, (b+c)*0.5+d
		}
	}
}

// part runs the forward or backward pass of one part of the batch, block
// by block.
func (wg *Winograd) part(pi int) {
	blocks := (wg.n + wgBlockImages - 1) / wgBlockImages
	b0, b1 := pi*blocks/wg.nparts, (pi+1)*blocks/wg.nparts
	p := wg.parts[pi]
	for b := b0; b < b1; b++ {
		i0 := b * wgBlockImages
		i1 := min(wg.n, i0+wgBlockImages)
		if wg.backward {
			wg.backwardBlock(p, wg.grads[pi], i0, i1, b == b0)
		} else {
			wg.forwardBlock(p, i0, i1)
		}
	}
}

// forwardBlock computes the outputs of images i0 … i1−1.
func (wg *Winograd) forwardBlock(p *wgPart, i0, i1 int) {
	g, kern, c, f := wg.g, wg.kern, wg.g.C, wg.f
	th, tw := wgTiles(g)
	tiles := (i1 - i0) * th * tw
	nb := roundUp(tiles, kern.mr)
	wg.inputTiles(p, i0, tiles, nb)
	nr := kern.nr
	for xi := range 16 {
		wg.product(p, nb, f, c, p.v[xi*nb*c:], c, 1, wg.up[xi*roundUp(f, nr)*c:], nr, c, p.z[xi*nb*f:], f, 0)
	}
	var bias *float32
	if wg.bias != nil {
		bias = &wg.bias[0]
	}
	for t := range tiles {
		wg.outputPixels(p, wg.y, i0, t, &p.dummy[0])
		wgOutput(&p.z[t*f], nb*f, f, bias, wg.relu, &p.pix)
	}
}

// outputPixels points p.pix at the 2×2 output pixels of tile t of the
// block from image i0 on, in out (n·OH·OW·F values); pixels past the
// image's bottom or right edge point at outside instead.
func (wg *Winograd) outputPixels(p *wgPart, out []float32, i0, t int, outside *float32) {
	g, f := wg.g, wg.f
	th, tw := wgTiles(g)
	img, ty, tx := i0+t/(th*tw), t%(th*tw)/tw, t%tw
	base := out[img*g.OH*g.OW*f:]
	for r := range 2 {
		for q := range 2 {
			oy, ox := 2*ty+r, 2*tx+q
			if oy < g.OH && ox < g.OW {
				p.pix[2*r+q] = &base[(oy*g.OW+ox)*f]
			} else {
				p.pix[2*r+q] = outside
			}
		}
	}
}

// product computes c (m×n, row stride ldc) = beta·c + A·B, where A's
// element (i, p) is a[i·rs + p·ks] (rs = 1: A stored transposed) and B is
// as macroKernel takes it. With the AVX-512 kernel it reads A where it is
// (gemmStridedA, the bits of packing it first); otherwise A is packed.
func (wg *Winograd) product(p *wgPart, m, n, k int, a []float32, rs, ks int, b []float32, ldb, bStep int, c []float32, ldc int, beta float32) {
	kern := wg.kern
	if stridedAsm && kern.mr == 8 && kern.nr == 32 {
		gemmStridedA(m, n, k, a, rs, ks, b, ldb, bStep, c, ldc, beta)
		return
	}
	if rs == 1 { // A stored transposed: op(A)[i][p] = a[p·ks + i]
		kern.packA(p.ap, true, a, ks, 0, 0, m, k, kern.mr, 1)
	} else {
		kern.packA(p.ap, false, a, rs, 0, 0, m, k, kern.mr, 1)
	}
	macroKernel(kern, p.ap, m, n, k, b, ldb, bStep, c, ldc, beta, nil)
}

// inputTiles writes V = Bᵀ d B of the tiles of images i0 … into p.v
// ([ξ][tile][channel], nb tiles per ξ, zero past tiles).
func (wg *Winograd) inputTiles(p *wgPart, i0, tiles, nb int) {
	g, c := wg.g, wg.g.C
	th, tw := wgTiles(g)
	in, row := g.H*g.W*c, g.W*c
	zero := &wg.zeros[0]
	for t := range nb {
		if t >= tiles {
			p.rows = [4]*float32{zero, zero, zero, zero}
			wgInput(&p.rows, c, &p.v[t*c], nb*c)
			continue
		}
		img, ty, tx := i0+t/(th*tw), t%(th*tw)/tw, t%tw
		iy0, ix0 := 2*ty-g.PadT, 2*tx-g.PadL
		x := wg.x[img*in : (img+1)*in]
		inside := ix0 >= 0 && ix0+4 <= g.W
		for r := range 4 {
			iy := iy0 + r
			switch {
			case iy < 0 || iy >= g.H:
				p.rows[r] = zero
			case inside:
				p.rows[r] = &x[iy*row+ix0*c]
			default: // the row's pixels inside the image, zeros elsewhere
				e := p.edge[r*4*c : (r+1)*4*c]
				for q := range 4 {
					ix := ix0 + q
					if ix >= 0 && ix < g.W {
						copy(e[q*c:(q+1)*c], x[iy*row+ix*c:])
					} else {
						clear(e[q*c : (q+1)*c])
					}
				}
				p.rows[r] = &e[0]
			}
		}
		wgInput(&p.rows, c, &p.v[t*c], nb*c)
	}
}

// backwardBlock adds the kernel and bias gradients of images i0 … i1−1
// into the part's partial sums grads (dU, then the bias gradient), which
// it sets instead in the part's first block, and, when wanted, writes
// their input gradients.
func (wg *Winograd) backwardBlock(p *wgPart, grads []float32, i0, i1 int, first bool) {
	g, kern, c, f := wg.g, wg.kern, wg.g.C, wg.f
	th, tw := wgTiles(g)
	tiles := (i1 - i0) * th * tw
	nb := roundUp(tiles, kern.mr)
	opix := g.OH * g.OW * f
	// dZ = dy ⊙ relu'(y) and the bias gradient, image by image.
	for img := i0; img < i1; img++ {
		dz := wg.dz[img*opix : (img+1)*opix]
		if wg.y != nil {
			ReLUBackwardInPlace(dz, wg.y[img*opix:(img+1)*opix])
		}
		if wg.dbias != nil {
			db := grads[16*c*f : 16*c*f+f]
			if first && img == i0 {
				SumRows(db, dz, g.OH*g.OW, f)
			} else {
				SumRows(p.dummy[:f], dz, g.OH*g.OW, f)
				Binary(OpAdd, db, db, p.dummy[:f])
			}
		}
	}
	// M = A dZ Aᵀ per tile.
	zero := &wg.zeros[0]
	for t := range nb {
		if t >= tiles {
			p.pix = [4]*float32{zero, zero, zero, zero}
		} else {
			wg.outputPixels(p, wg.dz, i0, t, zero)
		}
		wgGradOut(&p.pix, f, &p.m[t*f], nb*f)
	}
	wg.inputTiles(p, i0, tiles, nb)
	// dU_ξ += V_ξᵀ M_ξ.
	nr := kern.nr
	beta := float32(1)
	if first {
		beta = 0
	}
	inPlace := c <= kern.inPlaceBRows // the kernel reads M_ξ's rows where they are
	for xi := range 16 {
		v, m := p.v[xi*nb*c:], p.m[xi*nb*f:]
		if inPlace {
			wg.product(p, c, f, nb, v, 1, c, m, f, 1, grads[xi*c*f:], f, beta)
			continue
		}
		kern.packB(p.bp, false, m, f, 0, 0, nb, f, nr)
		wg.product(p, c, f, nb, v, 1, c, p.bp, nr, nb, grads[xi*c*f:], f, beta)
	}
	if wg.dx == nil {
		return
	}
	// dV_ξ = M_ξ U_ξᵀ into p.v (V has served), then dx += B dV Bᵀ per tile.
	for xi := range 16 {
		wg.product(p, nb, c, f, p.m[xi*nb*f:], f, 1, wg.ut[xi*roundUp(c, nr)*f:], nr, f, p.v[xi*nb*c:], c, 0)
	}
	in, row := g.H*g.W*c, g.W*c
	clear(wg.dx[i0*in : i1*in])
	for t := range tiles {
		img, ty, tx := i0+t/(th*tw), t%(th*tw)/tw, t%tw
		iy0, ix0 := 2*ty-g.PadT, 2*tx-g.PadL
		dx := wg.dx[img*in : (img+1)*in]
		edge := ix0 < 0 || ix0+4 > g.W || iy0 < 0 || iy0+4 > g.H
		if !edge {
			for r := range 4 {
				p.rows[r] = &dx[(iy0+r)*row+ix0*c]
			}
			wgGradIn(&p.v[t*c], nb*c, c, &p.rows)
			continue
		}
		e := p.edge[:16*c]
		clear(e)
		for r := range 4 {
			p.rows[r] = &e[r*4*c]
		}
		wgGradIn(&p.v[t*c], nb*c, c, &p.rows)
		for r := range 4 {
			iy := iy0 + r
			if iy < 0 || iy >= g.H {
				continue
			}
			q0, q1 := max(0, -ix0), min(4, g.W-ix0)
			if q0 < q1 {
				d := dx[iy*row+(ix0+q0)*c : iy*row+(ix0+q1)*c]
				Binary(OpAdd, d, d, e[(r*4+q0)*c:(r*4+q1)*c])
			}
		}
	}
}

// WinogradFits reports whether Winograd can run a convolution of geometry
// g with f filters on the micro-kernel Gemm uses, even the pure-Go one
// (for tests; WinogradSuits says whether it should).
func WinogradFits(g *ConvGeom, f int) bool { return winogradGeom(g, f, sgemmKernel) }
