package autograd

import (
	"fmt"
	"runtime"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// ConvConfig is the geometry of Conv2D besides its operands' shapes.
type ConvConfig struct {
	Strides  [2]int // vertical, horizontal; 0 stands for 1
	Dilation [2]int // spacing of the window's taps; 0 stands for 1
	Padding  [4]int // zero rows above and below, zero columns left and right
}

// Conv2D returns the 2-D cross-correlation of the channels-last images x
// (batch, height, width, channels) with the kernel w (kh, kw, channels,
// filters), Keras's layout, plus the bias b (filters) when b is not nil:
//
//	y[n, i, j, f] = b[f] + Σ x[n, i·sh − top + u·dh, j·sw − left + v·dw, c] · w[u, v, c, f]
//
// over u, v, c, with zeros outside the image. It is computed as im2col: the
// patch matrix P of every output pixel (rows) by every window tap and
// channel (columns) times w read as a (kh·kw·channels)×filters matrix W, one
// GEMM. The gradients follow from y = P·W + b: dW = Pᵀ·dY, db = Σ rows of
// dY, and dx is dP = dY·Wᵀ scattered back onto the image (col2im, the
// adjoint of im2col). P is kept from the forward pass for dW.
//
// Shapes that do not fit panic with a *tensor.ShapeError.
func Conv2D(x, w, b *Value, cfg ConvConfig) *Value {
	g := convGeom(x, w, b, cfg)
	n, f, k := x.Data.Dim(0), w.Data.Dim(3), g.PatchLen()
	rows := n * g.OH * g.OW
	cols := tensor.New(x.Data.DType(), rows, k)
	im2colBatch(&g, x.Data, cols)
	wm := w.Data.Reshape(k, f)
	out := tensor.MatMul(cols, wm, false, false)
	inputs := []*Value{x, w}
	if b != nil {
		addBias(out, b.Data)
		inputs = append(inputs, b)
	}
	return record("conv2d", out.Reshape(n, g.OH, g.OW, f), func(gr *tensor.Tensor) {
		dy := gr.Reshape(rows, f)
		if w.RequiresGrad { // dW = Pᵀ·dY
			w.accumulate(tensor.MatMul(cols, dy, true, false))
		}
		if b != nil && b.RequiresGrad {
			b.accumulate(tensor.Sum(dy, false, 0))
		}
		if x.RequiresGrad { // dx = col2im(dY·Wᵀ)
			dx := tensor.ZerosLike(x.Data)
			col2imBatch(&g, tensor.MatMul(dy, wm, false, true), dx)
			x.accumulate(dx)
		}
	}, inputs...)
}

// convGeom checks Conv2D's operands and returns the geometry of one image.
func convGeom(x, w, b *Value, cfg ConvConfig) kernels.ConvGeom {
	fail := func(msg string) {
		shapes := [][]int{x.Shape(), w.Shape()}
		if b != nil {
			shapes = append(shapes, b.Shape())
		}
		panic(&tensor.ShapeError{Op: "Conv2D", Shapes: shapes, Msg: msg})
	}
	if x.Data.Rank() != 4 || w.Data.Rank() != 4 {
		fail("want images (batch, height, width, channels) and a kernel (kh, kw, channels, filters)")
	}
	if x.Data.Dim(3) != w.Data.Dim(2) {
		fail(fmt.Sprintf("the images have %d channels, the kernel expects %d", x.Data.Dim(3), w.Data.Dim(2)))
	}
	if b != nil && (b.Data.Rank() != 1 || b.Data.Dim(0) != w.Data.Dim(3)) {
		fail(fmt.Sprintf("the bias must hold one value per filter (%d)", w.Data.Dim(3)))
	}
	if x.Data.DType() != w.Data.DType() || (b != nil && b.Data.DType() != x.Data.DType()) {
		fail("operands have different dtypes")
	}
	one := func(v int) int { return max(v, 1) }
	p := cfg.Padding
	for _, v := range p {
		if v < 0 {
			fail(fmt.Sprintf("negative padding %v", p))
		}
	}
	g := kernels.ConvGeom{H: x.Data.Dim(1), W: x.Data.Dim(2), C: x.Data.Dim(3), KH: w.Data.Dim(0), KW: w.Data.Dim(1),
		SH: one(cfg.Strides[0]), SW: one(cfg.Strides[1]), DH: one(cfg.Dilation[0]), DW: one(cfg.Dilation[1]),
		PadT: p[0], PadL: p[2]}
	g.OH = kernels.ConvOutSize(g.H, g.KH, g.SH, g.DH, p[0], p[1])
	g.OW = kernels.ConvOutSize(g.W, g.KW, g.SW, g.DW, p[2], p[3])
	if g.OH <= 0 || g.OW <= 0 {
		fail(fmt.Sprintf("the window (%d, %d) dilated by (%d, %d) is larger than the padded image", g.KH, g.KW, g.DH, g.DW))
	}
	return g
}

// im2colBatch fills cols (batch·OH·OW, KH·KW·C) with the patch matrices of
// the images of x, one image per parallel part.
func im2colBatch(g *kernels.ConvGeom, x, cols *tensor.Tensor) {
	in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
	kernels.ParallelFor(x.Dim(0), runtime.GOMAXPROCS(0), func(i int) {
		if x.DType() == tensor.Float64 {
			kernels.Im2Col(g, x.Float64s()[i*in:], cols.Float64s()[i*out:])
		} else {
			kernels.Im2Col(g, x.Float32s()[i*in:], cols.Float32s()[i*out:])
		}
	})
}

// col2imBatch overwrites dx with the images whose patch matrices' gradient
// is dcols (Col2Im per image).
func col2imBatch(g *kernels.ConvGeom, dcols, dx *tensor.Tensor) {
	in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
	kernels.ParallelFor(dx.Dim(0), runtime.GOMAXPROCS(0), func(i int) {
		if dx.DType() == tensor.Float64 {
			kernels.Col2Im(g, dcols.Float64s()[i*out:], dx.Float64s()[i*in:])
		} else {
			kernels.Col2Im(g, dcols.Float32s()[i*out:], dx.Float32s()[i*in:])
		}
	})
}

// addBias adds the vector v to every row of the matrix out.
func addBias(out, v *tensor.Tensor) {
	m, n := out.Dim(0), out.Dim(1)
	if out.DType() == tensor.Float64 {
		kernels.AddRowVector(out.Float64s(), v.Float64s(), m, n)
	} else {
		kernels.AddRowVector(out.Float32s(), v.Float32s(), m, n)
	}
}
