package layers

import (
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// convState holds the buffers of Conv1D's and Conv2D's Kernel.
//
// A convolution runs as im2col + GEMM, as its Call does, over the patch
// matrix P (one row per output pixel, KH·KW·C columns). Where the CPU and
// geometry allow (packedForward), Forward never builds P: kernels.ConvGemm
// gathers GEMM's packed 8-row panels straight from the images and
// multiplies each at once, with the bias and ReLU applied as GEMM writes
// its output (mnist-cnn's second layer at batch 128, two threads: Forward
// 2.9–3.4 ms against 4.3–4.7 ms building P chunk by chunk). Otherwise P is
// built image by image in parallel, a chunk of images at a time into one
// cache-sized buffer, and each chunk's y = act(P·W + b) is one GEMM.
// Backward builds each chunk's patches in that buffer and takes the
// chunk's share of dW = Pᵀ·dZ, then dP = dZ·Wᵀ over the patches, which
// col2im scatters back onto the images. Keeping the whole batch's P
// instead (17.8 MB for that layer) sends it through memory four times —
// written, read for dW, overwritten by dP, read by col2im — which cost
// more than building the patches twice: the layer's training step took
// 11.0–11.9 ms chunked against 12.3–13.2 ms (BenchmarkConv2DTrainStep,
// alternating runs).
//
// Two cases differ. A thin convolution with few filters (kernelGradSplit)
// keeps the whole P in training, since it splits dW over pixels. And a
// convolution with few patch columns and 16·j filters, such as a convnet's
// first layer over grey images (K = 9), runs directly (useDirect), reading
// the image in place.
//
// A 3×3, stride-1 convolution over 16·i channels into 16·j filters (the
// second mnist-cnn layer) runs as Winograd F(2×2, 3×3) instead
// (useWinograd): im2col + GEMM ran its products at the core's peak, so only
// fewer multiplications could make it faster, and Winograd takes 1.89×
// fewer there. Its products are shallow (depth C = 32), which costs some of
// the micro-kernel's speed, but the layer's training step went from 9.5–9.8
// to 6.2–6.3 ms (BenchmarkConv2DTrainStep, alternating runs).
type convState struct {
	cols, y, dx tensor.Buffer
	x           *tensor.Tensor // the last input
	p           []float32      // its patch matrix (x itself for an identity window)
	out         *tensor.Tensor // the last output, whose activation Backward differentiates
	// im2col and col2im process one image each; they are made once so
	// that ParallelFor allocates nothing, and read their operands from
	// xd (images), cd (patch matrices) and dd (image gradients).
	im2col, col2im func(image int)
	prep           func(image int)
	bsum           []float32 // one chunk's bias gradient
	zper           int       // values of dZ per image
	xd, cd, dd     []float32
	first          int  // im2col's images are first, first+1, …
	base           int  // … into cd from image first − base on
	full           bool // p holds the whole batch's patch matrix
	// The kernel gradient of a thin convolution (few patch columns and
	// filters, many output pixels: the first layer of a convnet) is split
	// over the pixels, each part into its own partial sum, since Gemm only
	// splits over rows and columns of its output.
	dwParts [][]float32
	dwBody  func(part int)
	dz      []float32
	rows    int
	// A direct convolution (see useDirect) runs image by image: fwd
	// computes the outputs of image i, dwDirect the kernel gradient of one
	// part of the batch; both read the weights from w and bias.
	cg            kernels.ConvGemm // im2col + GEMM without the patch matrix
	wg            kernels.Winograd // 3×3 stride-1 convolutions (see useWinograd)
	winograd      bool             // the last Forward ran as Winograd
	direct        bool             // the last Forward ran directly: p is not built
	fwd, dwDirect func(i int)
	yd, w, bias   []float32
	relu          bool
	parts, batch  int
}

// thinKernelGrad bounds the kernel gradients split over pixels: k·f at
// most this many elements (conv1 of mnist-cnn is 9·32), with at least
// thinMinRows pixels per part. Measured on the 9×32×86528 product: 1.09 ms
// serial, 0.54 ms over 2 parts (a throwaway benchmark, 2 cores).
const (
	thinKernelGrad = 64 * 64
	thinMinRows    = 8192
)

// Fast reports whether the layer runs as a Kernel: float32 weights and an
// activation whose derivative comes from the output.
func (c *conv) Fast() bool {
	return fastActivation(c.Activation) && c.kernel.Value.Data.DType() == tensor.Float32
}

// Forward is Call on buffers: y = act(im2col(x)·kernel + bias), directly,
// through kernels.ConvGemm, or in chunks of images whose patch matrices
// fill about convChunkBytes per thread, each multiplied while it is still
// in cache (see convState).
func (c *conv) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	s, g := &c.fast, &c.geom
	n, k, f := x.Dim(0), g.PatchLen(), c.Filters
	per := g.OH * g.OW // output pixels (patch-matrix rows) per image
	y := s.y.Get(n, c.outShape)
	yd := y.Float32s()
	s.x, s.out, s.winograd = x, y, false
	if s.direct = c.useDirect(); s.direct {
		c.forwardDirect(x, yd)
		return y
	}
	if g.Identity() {
		s.p = x.Float32s()
		c.product(s.p, yd, n*per)
		return y
	}
	s.setup(g)
	threads := runtime.GOMAXPROCS(0)
	if s.winograd = c.useWinograd(); s.winograd {
		s.wg.Forward(g, x.Float32s(), n, c.kernel.Value.Data.Float32s(), f, weightData(c.bias), c.Activation == "relu", yd, threads)
		return y
	}
	if c.packedForward(n) {
		s.full = false // Backward rebuilds the patches chunk by chunk
		s.cg.Forward(g, x.Float32s(), n, c.kernel.Value.Data.Float32s(), f, weightData(c.bias), c.Activation == "relu", yd, threads)
		return y
	}
	step := max(1, threads*convChunkBytes/(4*per*k))
	// Every chunk reuses one buffer, which stays in cache, but for a thin
	// convolution in training, whose Backward needs the whole P.
	s.full = ctx != nil && ctx.Training && c.thinSplit(n)
	rows := n
	if !s.full {
		rows = min(n, step)
	}
	s.xd, s.cd = x.Float32s(), s.cols.Get(rows, []int{per * k}).Float32s()
	s.p = s.cd
	for s.first = 0; s.first < n; s.first += step {
		m := min(step, n-s.first)
		s.base = s.first // cd holds this chunk only
		if s.full {
			s.base = 0
		}
		kernels.ParallelFor(m, threads, s.im2col)
		i := s.first - s.base
		c.product(s.cd[i*per*k:(i+m)*per*k], yd[s.first*per*f:(s.first+m)*per*f], m*per)
	}
	return y
}

// convChunkBytes is how much patch matrix per thread Forward builds and
// multiplies at a time: small enough to stay in cache between im2col and
// GEMM, large enough to keep GEMM's threads busy. Measured in CPU time on
// one thread (the second mnist-cnn convolution at batch 1000, inference):
// 55 ms with chunks of 0.5–1 MiB, 58 ms with 2 MiB, 67 ms unchunked; a
// training step at batch 128 (BenchmarkConv2DTrainStep, two threads, whose
// Backward rebuilds the same chunks) showed no consistent difference
// between 0.5, 1 and 2 MiB.
var convChunkBytes = 1 << 20

// product computes y = act(p·kernel + bias) for rows rows of the patch
// matrix p.
func (c *conv) product(p, y []float32, rows int) {
	k, f := c.geom.PatchLen(), c.Filters
	w := c.kernel.Value.Data.Float32s()
	bias := weightData(c.bias)
	switch c.Activation {
	case "", "linear", "relu": // fused into the GEMM's output pass
		ep := kernels.EpilogueNone
		if c.Activation == "relu" {
			ep = kernels.EpilogueReLU
		}
		kernels.GemmBiasAct(false, false, rows, f, k, p, k, w, f, y, f, bias, ep)
	default:
		kernels.Gemm(false, false, rows, f, k, 1, p, k, w, f, 0, y, f)
		if bias != nil {
			kernels.AddRowVector(y, bias, rows, f)
		}
		actForward(c.Activation, y, rows, f)
	}
}

// Backward: dZ = dy ⊙ act'(y); dkernel = Pᵀ·dZ; dbias = Σ rows of dZ;
// dx = col2im(dZ·kernelᵀ).
func (c *conv) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s, g := &c.fast, &c.geom
	n, k, f := s.x.Dim(0), g.PatchLen(), c.Filters
	rows := n * g.OH * g.OW
	dz := dy.Float32s()[:rows*f]
	kv, kgrad := c.kernel.Value, weightGrad(c.kernel)
	var bgrad []float32
	if c.bias != nil {
		bgrad = weightGrad(c.bias)
	}
	if s.winograd {
		var y, dx []float32
		if c.Activation == "relu" {
			y = s.out.Float32s()
		}
		var dxt *tensor.Tensor
		if needDX {
			dxt = s.dx.Like(s.x)
			dx = dxt.Float32s()
		}
		s.wg.Backward(g, s.x.Float32s(), n, f, dz, y, kgrad, bgrad, dx, runtime.GOMAXPROCS(0))
		return dxt
	}
	if s.direct {
		c.backwardDirect(n, dz, kgrad, bgrad)
	} else {
		chunked := !g.Identity() && !s.full && !c.thinSplit(n)
		if chunked && c.Activation == "relu" { // image by image, beside im2col
			return c.backwardChunked(n, dz, kgrad, bgrad, needDX, true)
		}
		if c.Activation == "relu" {
			kernels.ReLUBackwardInPlace(dz, s.out.Float32s()) // vectorised
		} else {
			actBackward(c.Activation, dz, s.out.Float32s(), rows, f)
		}
		if chunked {
			return c.backwardChunked(n, dz, kgrad, bgrad, needDX, false)
		}
		if bgrad != nil {
			kernels.SumRows(bgrad, dz, rows, f)
		}
		if !g.Identity() && !s.full {
			c.patches(n) // an inference Forward kept no patch matrix
		}
		if parts := min(runtime.GOMAXPROCS(0), rows/thinMinRows); parts > 1 && k*f <= thinKernelGrad {
			c.kernelGradSplit(parts, rows, k, f, dz, kgrad)
		} else {
			kernels.Gemm(true, false, k, f, rows, 1, s.p, k, dz, f, 0, kgrad, f)
		}
	}
	if !needDX {
		return nil
	}
	dx := s.dx.Like(s.x)
	if s.direct && !g.Identity() { // the patch matrix that dP will overwrite was never built
		c.patches(n)
	}
	if g.Identity() { // P is x: dx = dP
		kernels.Gemm(false, true, rows, k, f, 1, dz, f, kv.Data.Float32s(), f, 0, dx.Float32s(), k)
		return dx
	}
	// P has served dkernel: its tensor.Buffer takes dP.
	kernels.Gemm(false, true, rows, k, f, 1, dz, f, kv.Data.Float32s(), f, 0, s.p, k)
	s.cd, s.dd, s.first, s.base = s.p, dx.Float32s(), 0, 0
	kernels.ParallelFor(n, runtime.GOMAXPROCS(0), s.col2im)
	return dx
}

// kernelGradSplit computes dkernel = Pᵀ·dZ over parts slices of the
// pixels, each into its own tensor.Buffer, then adds the partial sums in a fixed
// order, so the result does not depend on which thread ran which part.
func (c *conv) kernelGradSplit(parts, rows, k, f int, dz, grad []float32) {
	s := &c.fast
	s.dwParts = partBuffers(s.dwParts, parts, k*f)
	if s.dwBody == nil {
		s.dwBody = func(part int) {
			n := len(s.dwParts)
			k, f := c.geom.PatchLen(), c.Filters
			lo, hi := part*s.rows/n, (part+1)*s.rows/n
			kernels.Gemm(true, false, k, f, hi-lo, 1, s.p[lo*k:], k, s.dz[lo*f:], f, 0, s.dwParts[part], f)
		}
	}
	s.dz, s.rows = dz, rows
	kernels.ParallelFor(parts, parts, s.dwBody)
	kernels.SumParts(grad, s.dwParts, 0)
	s.dz = nil
}

// thinSplit reports whether Backward splits the kernel gradient of n
// images over pixels (see kernelGradSplit), which needs the whole patch
// matrix.
func (c *conv) thinSplit(n int) bool {
	g := &c.geom
	rows := n * g.OH * g.OW
	return min(runtime.GOMAXPROCS(0), rows/thinMinRows) > 1 && g.PatchLen()*c.Filters <= thinKernelGrad
}

// backwardChunked is the rest of Backward after a Forward that kept no
// patch matrix: it rebuilds the patches chunk by chunk, as Forward built
// them, each into the same cache-sized buffer, and adds each chunk's part
// of dbias and dkernel (Gemm with β = 1 after the first) before dP
// overwrites the patches and col2im scatters it onto the images. With
// relu set, dZ = dy ⊙ relu'(y) is taken image by image beside im2col, in
// parallel and just before the chunk's products read it (mnist-cnn's
// second layer, two threads, best of six alternating runs: Backward 6.8 ms
// against 7.3 ms with the ReLU gradient and bias sum over the whole batch
// first, on one thread).
func (c *conv) backwardChunked(n int, dz, grad, bgrad []float32, needDX, relu bool) *tensor.Tensor {
	s, g := &c.fast, &c.geom
	k, f, per := g.PatchLen(), c.Filters, g.OH*g.OW
	threads := runtime.GOMAXPROCS(0)
	step := max(1, threads*convChunkBytes/(4*per*k))
	s.xd, s.cd = s.x.Float32s(), s.cols.Get(min(n, step), []int{per * k}).Float32s()
	s.dz, s.yd, s.relu, s.zper = dz, s.out.Float32s(), relu, per*f
	w := c.kernel.Value.Data.Float32s()
	var dx *tensor.Tensor
	if needDX {
		dx = s.dx.Like(s.x)
		s.dd = dx.Float32s()
	}
	if len(s.bsum) != f {
		s.bsum = make([]float32, f)
	}
	for s.first = 0; s.first < n; s.first += step {
		m := min(step, n-s.first)
		s.base = s.first
		rows, dzc := m*per, dz[s.first*per*f:(s.first+m)*per*f]
		kernels.ParallelFor(m, threads, s.prep)
		beta := float32(1)
		if s.first == 0 {
			beta = 0
		}
		if bgrad != nil {
			if s.first == 0 {
				kernels.SumRows(bgrad, dzc, rows, f)
			} else {
				kernels.SumRows(s.bsum, dzc, rows, f)
				kernels.Binary(kernels.OpAdd, bgrad, bgrad, s.bsum)
			}
		}
		kernels.Gemm(true, false, k, f, rows, 1, s.cd, k, dzc, f, beta, grad, f)
		if needDX {
			kernels.Gemm(false, true, rows, k, f, 1, dzc, f, w, f, 0, s.cd, k)
			kernels.ParallelFor(m, threads, s.col2im)
		}
	}
	s.dd, s.dz, s.yd = nil, nil, nil
	return dx
}

// patches builds the patch matrix p of the last Forward's n images.
func (c *conv) patches(n int) {
	s, g := &c.fast, &c.geom
	s.setup(g)
	s.xd, s.p = s.x.Float32s(), s.cols.Get(n, []int{g.OH * g.OW * g.PatchLen()}).Float32s()
	s.cd, s.first, s.base, s.full = s.p, 0, 0, true
	kernels.ParallelFor(n, runtime.GOMAXPROCS(0), s.im2col)
}

// setup makes the per-image closures once; they read the geometry through
// g, which Build updates in place.
func (s *convState) setup(g *kernels.ConvGeom) {
	if s.im2col != nil {
		return
	}
	s.im2col = func(i int) {
		in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
		kernels.Im2Col(g, s.xd[(i+s.first)*in:], s.cd[(i+s.first-s.base)*out:])
	}
	s.col2im = func(i int) {
		in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
		kernels.Col2Im(g, s.cd[(i+s.first-s.base)*out:], s.dd[(i+s.first)*in:])
	}
	// prep is im2col for backwardChunked, with the ReLU gradient of the
	// image's dZ when relu is set.
	s.prep = func(i int) {
		s.im2col(i)
		if s.relu {
			j := i + s.first
			kernels.ReLUBackwardInPlace(s.dz[j*s.zper:(j+1)*s.zper], s.yd[j*s.zper:])
		}
	}
}

// packedForward reports whether Forward runs as kernels.ConvGemm, which
// gathers GEMM's packed panels straight from the images: a fast activation
// applied by GEMM itself, a geometry ConvGemmSuits, and a Backward that
// rebuilds its patches anyway (not a thin convolution in training).
func (c *conv) packedForward(n int) bool {
	switch c.Activation {
	case "", "linear", "relu":
		return kernels.ConvGemmSuits(&c.geom, c.Filters) && !c.thinSplit(n)
	}
	return false
}

// winogradConv reports whether a convolution of geometry g with f filters
// runs as Winograd F(2×2, 3×3); a variable so that tests can turn it off.
var winogradConv = kernels.WinogradSuits

// useWinograd reports whether the Kernel runs the convolution as
// kernels.Winograd: a 3×3, stride-1 window over 16·i channels into 16·j
// filters (mnist-cnn's second layer), whose products at the core's peak
// were the limit of im2col + GEMM, with an activation Winograd applies
// itself (see convState for the measurement).
func (c *conv) useWinograd() bool {
	switch c.Activation {
	case "", "linear", "relu":
		return winogradConv(&c.geom, c.Filters)
	}
	return false
}

// directConv reports whether a convolution of geometry g with f filters
// runs as a direct loop rather than im2col + GEMM; a variable so that
// tests can run the Go twins of the direct kernels.
var directConv = func(g *kernels.ConvGeom, f int) bool {
	return kernels.DirectConvFast() && kernels.DirectConvSuits(g, f)
}

// useDirect reports whether the Kernel runs the convolution directly
// (kernels.DirectConvForward): a thin one, such as a convnet's first layer
// over grey images (9 patch columns), whose im2col + GEMM spent most of
// its time building, packing and writing rather than multiplying. Measured
// on mnist-cnn's first layer at batch 128 (BenchmarkDirectConv, one
// thread): forward 0.85 ms against 2.9 ms, kernel gradient 0.79 ms
// against 1.2 ms.
func (c *conv) useDirect() bool {
	switch c.Activation {
	case "", "linear", "relu": // an identity window needs no im2col anyway
		return !c.geom.Identity() && directConv(&c.geom, c.Filters)
	}
	return false
}

// forwardDirect computes y = act(x ∗ kernel + bias) image by image.
func (c *conv) forwardDirect(x *tensor.Tensor, yd []float32) {
	s, g := &c.fast, &c.geom
	s.xd, s.yd, s.relu = x.Float32s(), yd, c.Activation == "relu"
	s.w, s.bias = c.kernel.Value.Data.Float32s(), weightData(c.bias)
	if s.fwd == nil {
		s.fwd = func(i int) {
			in, out := g.H*g.W*g.C, g.OH*g.OW*c.Filters
			kernels.DirectConvForward(g, s.xd[i*in:], s.w, s.bias, s.yd[i*out:], c.Filters, s.relu)
		}
	}
	kernels.ParallelFor(x.Dim(0), runtime.GOMAXPROCS(0), s.fwd)
	s.yd = nil
}

// backwardDirect is Backward's first half for a direct convolution, image
// by image while each image's gradient is in cache: dZ = dy ⊙ act'(y) in
// place, then the bias and kernel gradients, summed over parts of the
// batch (directGrads).
func (c *conv) backwardDirect(n int, dz, kgrad, bgrad []float32) {
	s, g := &c.fast, &c.geom
	parts := min(runtime.GOMAXPROCS(0), n)
	s.dwParts = c.directGradParts(s.dwParts, parts)
	if s.dwDirect == nil {
		s.dwDirect = func(part int) {
			f := c.Filters
			in, per := g.H*g.W*g.C, g.OH*g.OW
			buf := s.dwParts[part]
			clear(buf)
			for i := part * s.batch / s.parts; i < (part+1)*s.batch/s.parts; i++ {
				dz := s.dz[i*per*f : (i+1)*per*f]
				if s.relu {
					kernels.ReLUBackwardInPlace(dz, s.yd[i*per*f:])
				}
				c.addDirectGrads(buf, s.xd[i*in:(i+1)*in], dz)
			}
		}
	}
	s.xd, s.yd, s.dz = s.x.Float32s(), s.out.Float32s(), dz
	s.relu, s.parts, s.batch = c.Activation == "relu", parts, n
	kernels.ParallelFor(parts, parts, s.dwDirect)
	c.sumDirectGrads(s.dwParts, kgrad, bgrad)
	s.xd, s.yd, s.dz = nil, nil, nil
}

// The kernel and bias gradients of a direct convolution are summed over
// parts of the batch, each part into its own buffer (directGradParts),
// image by image (addDirectGrads), then added in a fixed order
// (sumDirectGrads), so that the result does not depend on which thread ran
// which part. A part's buffer holds the kernel gradient (K·f values), the
// bias gradient (f) and one image's row sum (f). backwardDirect and
// ConvPool share them, which keeps the fused kernel's bits those of the
// unfused one.

// directGradParts returns bufs sized for parts parts.
func (c *conv) directGradParts(bufs [][]float32, parts int) [][]float32 {
	f := c.Filters
	return partBuffers(bufs, parts, c.geom.PatchLen()*f+2*f)
}

// addDirectGrads adds the gradients of one image x, whose pre-activation
// output gradient is dz, into the part buffer buf.
func (c *conv) addDirectGrads(buf, x, dz []float32) {
	f, g := c.Filters, &c.geom
	kf := len(buf) - 2*f
	dw, db, sum := buf[:kf], buf[kf:kf+f], buf[kf+f:]
	kernels.SumRows(sum, dz, g.OH*g.OW, f)
	kernels.Binary(kernels.OpAdd, db, db, sum)
	kernels.DirectConvKernelGrad(g, x, dz, dw, f)
}

// sumDirectGrads sets kgrad and bgrad (nil: no bias) to the sums of the
// part buffers.
func (c *conv) sumDirectGrads(bufs [][]float32, kgrad, bgrad []float32) {
	kf := c.geom.PatchLen() * c.Filters
	kernels.SumParts(kgrad[:kf], bufs, 0)
	if bgrad != nil {
		kernels.SumParts(bgrad[:c.Filters], bufs, kf)
	}
}

// partBuffers returns bufs with parts buffers of size values each, reusing
// those it has.
func partBuffers(bufs [][]float32, parts, size int) [][]float32 {
	for len(bufs) < parts {
		bufs = append(bufs, nil)
	}
	bufs = bufs[:parts]
	for i := range bufs {
		if len(bufs[i]) != size {
			bufs[i] = make([]float32, size)
		}
	}
	return bufs
}
