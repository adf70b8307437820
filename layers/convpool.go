package layers

import (
	"runtime"
	"slices"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// ConvPool is one Kernel for a Conv2D with a ReLU that runs directly (see
// conv.useDirect: a convnet's first layer over grey images) followed by a
// MaxPooling2D, computed image by image so that the convolution's output
// never leaves the core's cache. A model's kernel plan uses it in place of
// the two layers' own Kernels; it reads and updates the same weights and
// gives the same bits as those Kernels one after the other.
//
// Why: mnist-cnn's first convolution writes 26×26×32 values per image
// (11 MB at batch 128) that the pooling reads once, and in training the
// pooling's gradient, the ReLU's gradient and the kernel gradient each take
// a pass over as many values again (clear, scatter, mask, read). Here one
// image's convolution output (86 KB) lives in a per-goroutine buffer, and
// Backward needs neither it nor the ReLU output: the pooled gradient goes
// only to each window's maximum, where the ReLU output is the pooled
// output P itself, so dZ = scatter(dP ⊙ [P > 0]) — the same values as
// relu'(y) ⊙ scatter(dP), which the unfused Kernels compute.
type ConvPool struct {
	conv  *Conv2D
	pool  *Pooling
	y     tensor.Buffer // the pooled output
	dxBuf tensor.Buffer // dL/dx, when Backward is asked for it
	arg   []int32       // each window's maximum within its image, from the last training Forward
	// withArg reports whether arg belongs to the last Forward (a training
	// one); Backward after an inference Forward runs Forward again.
	withArg bool
	x, out  *tensor.Tensor // the last input and output
	ctx     Context

	// Per part of the batch (fixed ranges of images): one image's
	// convolution output or its gradient, the pooled gradient masked by
	// the ReLU, and the partial kernel and bias gradients
	// (conv.directGradParts).
	conv1, dp, grads [][]float32
	cols             [][]float32 // one image's patch gradient, for dx
	wt               []float32   // the kernel transposed (filters × patch), for dx
	parts, n         int
	dy, dx           []float32
	needDX           bool
	fwd, bwd         func(part int)
}

// FuseConvPool returns the fused Kernel of conv followed by pool when they
// fit it (a Conv2D with a ReLU that runs directly, then a 2-D max
// pooling), or nil.
func FuseConvPool(conv, pool Layer) *ConvPool {
	c, ok := conv.(*Conv2D)
	p, ok2 := pool.(*Pooling)
	if !ok || !ok2 || !c.Fast() || c.Activation != "relu" || !c.useDirect() || p.Mode != "max" || p.Rank != 2 {
		return nil
	}
	if !slices.Equal(c.outShape, p.fast.in) {
		return nil
	}
	return &ConvPool{conv: c, pool: p}
}

// Fast is true: FuseConvPool only fuses layers that run as Kernels.
func (k *ConvPool) Fast() bool { return true }

// Forward computes pool(relu(conv(x) + bias)) image by image.
func (k *ConvPool) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	n := x.Dim(0)
	pg := k.pool.fast.g
	y := k.y.Get(n, k.pool.fast.out)
	k.x, k.out, k.n = x, y, n
	k.withArg = ctx != nil && ctx.Training
	if k.withArg && len(k.arg) < n*pg.OutLen() {
		k.arg = make([]int32, n*pg.OutLen())
	}
	k.setup(n)
	kernels.ParallelFor(k.parts, k.parts, k.fwd)
	return y
}

// setup sizes the per-part buffers for n images and makes the part
// functions once.
func (k *ConvPool) setup(n int) {
	g := &k.conv.geom
	k.parts = max(1, min(runtime.GOMAXPROCS(0), n))
	k.conv1 = partBuffers(k.conv1, k.parts, g.OH*g.OW*k.conv.Filters)
	k.dp = partBuffers(k.dp, k.parts, k.pool.fast.g.OutLen())
	k.grads = k.conv.directGradParts(k.grads, k.parts)
	if k.fwd == nil {
		k.fwd, k.bwd = k.forwardPart, k.backwardPart
	}
}

// forwardPart computes the outputs of one part's images.
func (k *ConvPool) forwardPart(part int) {
	c, g := k.conv, &k.conv.geom
	f := c.Filters
	pg := k.pool.fast.g
	pg.N = 1
	in, pout := g.H*g.W*g.C, pg.OutLen()
	x, y := k.x.Float32s(), k.out.Float32s()
	w, bias := c.kernel.Value.Data.Float32s(), weightData(c.bias)
	z := k.conv1[part]
	for i := part * k.n / k.parts; i < (part+1)*k.n/k.parts; i++ {
		kernels.DirectConvForward(g, x[i*in:(i+1)*in], w, bias, z, f, true)
		var arg []int32
		if k.withArg {
			arg = k.arg[i*pout : (i+1)*pout]
		}
		kernels.MaxPool2D(pg, y[i*pout:(i+1)*pout], arg, z)
	}
}

// Backward fills the convolution's kernel and bias gradients from the
// pooled output's gradient dy and, when needDX, returns dL/dx.
func (k *ConvPool) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !k.withArg { // an inference Forward kept no positions
		k.ctx.Training = true
		k.Forward(&k.ctx, k.x)
	}
	c, g := k.conv, &k.conv.geom
	k.dy, k.needDX = dy.Float32s(), needDX
	var dx *tensor.Tensor
	if needDX {
		dx = k.dxBuf.Like(k.x)
		k.dx = dx.Float32s()
		f, p := c.Filters, g.PatchLen()
		if len(k.wt) != p*f {
			k.wt = make([]float32, p*f)
		}
		w := c.kernel.Value.Data.Float32s()
		for i := range p {
			for j := range f {
				k.wt[j*p+i] = w[i*f+j]
			}
		}
		k.cols = partBuffers(k.cols, k.parts, g.OH*g.OW*p)
	}
	kernels.ParallelFor(k.parts, k.parts, k.bwd)
	var bgrad []float32
	if c.bias != nil {
		bgrad = weightGrad(c.bias)
	}
	c.sumDirectGrads(k.grads, weightGrad(c.kernel), bgrad)
	k.dy, k.dx = nil, nil
	return dx
}

// backwardPart adds one part's images into its partial gradients, image
// by image as the unfused conv.backwardDirect does.
func (k *ConvPool) backwardPart(part int) {
	c, g := k.conv, &k.conv.geom
	f := c.Filters
	pg := k.pool.fast.g
	pg.N = 1
	in, per, pout := g.H*g.W*g.C, g.OH*g.OW, pg.OutLen()
	x, y := k.x.Float32s(), k.out.Float32s()
	buf := k.grads[part]
	clear(buf)
	dz, dp := k.conv1[part], k.dp[part]
	for i := part * k.n / k.parts; i < (part+1)*k.n/k.parts; i++ {
		// dP ⊙ [P > 0]: the ReLU's derivative at each window's maximum.
		kernels.ReLUBackward(dp, k.dy[i*pout:(i+1)*pout], y[i*pout:(i+1)*pout])
		kernels.MaxPool2DBackward(pg, dz, k.arg[i*pout:(i+1)*pout], dp)
		c.addDirectGrads(buf, x[i*in:(i+1)*in], dz)
		if k.needDX {
			p := g.PatchLen()
			cols := k.cols[part]
			kernels.GemmSerial(per, p, f, dz, f, k.wt, p, 0, cols, p, nil)
			kernels.Col2Im(g, cols, k.dx[i*in:(i+1)*in])
		}
	}
}
