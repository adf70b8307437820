package layers

import (
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// convState holds the buffers of Conv1D's and Conv2D's Kernel.
//
// The convolution runs as im2col + GEMM, as its Call does: the patch
// matrix P (one row per output pixel of the batch, KH·KW·C columns) is
// built image by image in parallel, then y = act(P·W + b) is one GEMM
// with the bias and ReLU applied as it writes its output. Backward takes
// dW = Pᵀ·dZ, then reuses P's tensor.Buffer for dP = dZ·Wᵀ, which col2im
// scatters back onto the images.
//
// Why im2col: in a CPU profile of BenchmarkConv2DTrainStep (the mnist-cnn
// convolutions at batch 128, forward and backward) the three GEMMs take
// 85 % of the time, building patch matrices 9 % and col2im 4 %; the ReLU
// gradient and the bias sum take the rest. A direct or indirect
// convolution could save at most that 13 %, at the price of a micro-kernel
// of its own, so every product runs through the packed GEMM instead. The
// GEMMs themselves are the limit: to go faster, 3×3 stride-1 convolutions
// need fewer multiplications (Winograd F(2×2, 3×3) takes 2.25× fewer), and
// writing patches straight into GEMM's packed panels would save both the
// patch matrix and GEMM's packing of it.
type convState struct {
	cols, y, dx tensor.Buffer
	x           *tensor.Tensor // the last input
	p           []float32      // its patch matrix (x itself for an identity window)
	out         *tensor.Tensor // the last output, whose activation Backward differentiates
	// im2col and col2im process one image each; they are made once so
	// that ParallelFor allocates nothing, and read their operands from
	// xd (images), cd (patch matrices) and dd (image gradients).
	im2col, col2im func(image int)
	xd, cd, dd     []float32
	first          int // im2col's images are first, first+1, …
	// The kernel gradient of a thin convolution (few patch columns and
	// filters, many output pixels: the first layer of a convnet) is split
	// over the pixels, each part into its own partial sum, since Gemm only
	// splits over rows and columns of its output.
	dwParts [][]float32
	dwBody  func(part int)
	dz      []float32
	rows    int
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

// Forward is Call on buffers: y = act(im2col(x)·kernel + bias). The batch
// goes through in chunks of images whose patch matrices fill about
// convChunkBytes per thread, each multiplied while it is still in cache;
// the whole patch matrix is kept for Backward.
func (c *conv) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	s, g := &c.fast, &c.geom
	n, k, f := x.Dim(0), g.PatchLen(), c.Filters
	per := g.OH * g.OW // output pixels (patch-matrix rows) per image
	y := s.y.Get(n, c.outShape)
	yd := y.Float32s()
	s.x, s.out = x, y
	if g.Identity() {
		s.p = x.Float32s()
		c.product(s.p, yd, n*per)
		return y
	}
	s.setup(g)
	s.xd, s.p = x.Float32s(), s.cols.Get(n, []int{per * k}).Float32s()
	s.cd = s.p
	threads := runtime.GOMAXPROCS(0)
	step := max(1, threads*convChunkBytes/(4*per*k))
	for s.first = 0; s.first < n; s.first += step {
		m := min(step, n-s.first)
		kernels.ParallelFor(m, threads, s.im2col)
		c.product(s.p[s.first*per*k:(s.first+m)*per*k], yd[s.first*per*f:(s.first+m)*per*f], m*per)
	}
	return y
}

// convChunkBytes is how much patch matrix per thread Forward builds and
// multiplies at a time: small enough to stay in cache between im2col and
// GEMM, large enough to keep GEMM's threads busy. Measured in CPU time on
// one thread (the second mnist-cnn convolution at batch 1000, inference):
// 55 ms with chunks of 0.5–1 MiB, 58 ms with 2 MiB, 67 ms unchunked; training
// at batch 128 was not affected either way.
var convChunkBytes = 1 << 20

// product computes y = act(p·kernel + bias) for rows rows of the patch
// matrix p.
func (c *conv) product(p, y []float32, rows int) {
	k, f := c.geom.PatchLen(), c.Filters
	w := c.kernel.Value.Data.Float32s()
	var bias []float32
	if c.bias != nil {
		bias = c.bias.Value.Data.Float32s()
	}
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
	if c.Activation == "relu" {
		kernels.ReLUBackwardInPlace(dz, s.out.Float32s()) // vectorised
	} else {
		actBackward(c.Activation, dz, s.out.Float32s(), rows, f)
	}
	kv := c.kernel.Value
	if kv.Grad == nil {
		kv.Grad = tensor.ZerosLike(kv.Data)
	}
	if parts := min(runtime.GOMAXPROCS(0), rows/thinMinRows); parts > 1 && k*f <= thinKernelGrad {
		c.kernelGradSplit(parts, rows, k, f, dz, kv.Grad.Float32s())
	} else {
		kernels.Gemm(true, false, k, f, rows, 1, s.p, k, dz, f, 0, kv.Grad.Float32s(), f)
	}
	if c.bias != nil {
		bv := c.bias.Value
		if bv.Grad == nil {
			bv.Grad = tensor.ZerosLike(bv.Data)
		}
		kernels.SumRows(bv.Grad.Float32s(), dz, rows, f)
	}
	if !needDX {
		return nil
	}
	dx := s.dx.Like(s.x)
	if g.Identity() { // P is x: dx = dP
		kernels.Gemm(false, true, rows, k, f, 1, dz, f, kv.Data.Float32s(), f, 0, dx.Float32s(), k)
		return dx
	}
	// P has served dkernel: its tensor.Buffer takes dP.
	kernels.Gemm(false, true, rows, k, f, 1, dz, f, kv.Data.Float32s(), f, 0, s.p, k)
	s.cd, s.dd = s.p, dx.Float32s()
	kernels.ParallelFor(n, runtime.GOMAXPROCS(0), s.col2im)
	return dx
}

// kernelGradSplit computes dkernel = Pᵀ·dZ over parts slices of the
// pixels, each into its own tensor.Buffer, then adds the partial sums in a fixed
// order, so the result does not depend on which thread ran which part.
func (c *conv) kernelGradSplit(parts, rows, k, f int, dz, grad []float32) {
	s := &c.fast
	for len(s.dwParts) < parts {
		s.dwParts = append(s.dwParts, nil)
	}
	for i := range parts {
		if len(s.dwParts[i]) != k*f {
			s.dwParts[i] = make([]float32, k*f)
		}
	}
	if s.dwBody == nil {
		s.dwBody = func(part int) {
			n := len(s.dwParts)
			k, f := c.geom.PatchLen(), c.Filters
			lo, hi := part*s.rows/n, (part+1)*s.rows/n
			kernels.Gemm(true, false, k, f, hi-lo, 1, s.p[lo*k:], k, s.dz[lo*f:], f, 0, s.dwParts[part], f)
		}
	}
	s.dwParts = s.dwParts[:parts]
	s.dz, s.rows = dz, rows
	kernels.ParallelFor(parts, parts, s.dwBody)
	copy(grad, s.dwParts[0])
	for _, p := range s.dwParts[1:] {
		kernels.Binary(kernels.OpAdd, grad, grad, p)
	}
	s.dz = nil
}

// setup makes the per-image closures once; they read the geometry through
// g, which Build updates in place.
func (s *convState) setup(g *kernels.ConvGeom) {
	if s.im2col != nil {
		return
	}
	s.im2col = func(i int) {
		i += s.first
		in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
		kernels.Im2Col(g, s.xd[i*in:], s.cd[i*out:])
	}
	s.col2im = func(i int) {
		in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
		kernels.Col2Im(g, s.cd[i*out:], s.dd[i*in:])
	}
}
