package layers

import (
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// denseState holds the buffers of Dense's Kernel.
type denseState struct {
	y, dx      tensor.Buffer
	x2, dz, xo tensor.Tensor // re-pointed views (no allocation)
	dxo        tensor.Tensor
	xshape     []int
	x          *tensor.Tensor
	rows       int
	logits     bool // the last forward skipped the softmax (fused with the loss)
}

// Fast reports whether Dense runs as a Kernel: float32 weights and an
// activation whose derivative comes from the output.
func (d *Dense) Fast() bool {
	return fastActivation(d.Activation) && d.kernel.Value.Data.DType() == tensor.Float32
}

// Forward is Call on buffers: y = act(x·kernel + bias), the bias added in
// the product's output pass.
func (d *Dense) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	return d.forward(x, false)
}

// ForwardLogits is Forward without a softmax activation: it returns the
// logits z so the model can fuse softmax with cross-entropy, and Backward
// then takes dL/dz.
func (d *Dense) ForwardLogits(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	return d.forward(x, true)
}

// SoftmaxOutput reports whether the layer ends in a softmax.
func (d *Dense) SoftmaxOutput() bool { return d.Activation == "softmax" }

func (d *Dense) forward(x *tensor.Tensor, logits bool) *tensor.Tensor {
	s := &d.fast
	in := x.Dim(-1)
	rows := x.Len() / in
	s.x2.Alias(x, rows, in)
	s.x, s.rows, s.logits = &s.x2, rows, logits
	s.xshape = append(s.xshape[:0], x.Shape()...)
	y := s.y.Get(rows, []int{d.Units})
	yd := y.Float32s()
	// Bias and ReLU are applied in the product's output pass, while each
	// tile of y is still in cache; other activations follow in one sweep.
	bias := weightData(d.bias)
	epi := kernels.EpilogueNone
	if !logits && d.Activation == "relu" {
		epi = kernels.EpilogueReLU
	}
	kernels.GemmBiasAct(false, false, rows, d.Units, in, s.x2.Float32s(), in, d.kernel.Value.Data.Float32s(), d.Units, yd, d.Units, bias, epi)
	if !logits && epi == kernels.EpilogueNone {
		actForward(d.Activation, yd, rows, d.Units)
	}
	if x.Rank() == 2 {
		return y
	}
	shape := x.Shape()
	s.xo.Alias(y, append(shape[:len(shape)-1:len(shape)-1], d.Units)...)
	return &s.xo
}

// Backward: dz = dy ⊙ act'(y); dkernel = xᵀ·dz; dbias = Σ rows of dz;
// dx = dz·kernelᵀ.
func (d *Dense) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	s := &d.fast
	in, rows := s.x.Dim(1), s.rows
	s.dz.Alias(dy, rows, d.Units)
	dz := s.dz.Float32s()
	if !s.logits {
		actBackward(d.Activation, dz, s.y.Get(rows, []int{d.Units}).Float32s(), rows, d.Units)
	}
	kv := d.kernel.Value
	kernels.Gemm(true, false, in, d.Units, rows, 1, s.x.Float32s(), in, dz, d.Units, 0, weightGrad(d.kernel), d.Units)
	if d.bias != nil {
		kernels.SumRows(weightGrad(d.bias), dz, rows, d.Units)
	}
	if !needDX {
		return nil
	}
	dx := s.dx.Get(rows, []int{in})
	kernels.Gemm(false, true, rows, in, d.Units, 1, dz, d.Units, kv.Data.Float32s(), d.Units, 0, dx.Float32s(), in)
	if len(s.xshape) == 2 {
		return dx
	}
	s.dxo.Alias(dx, s.xshape...)
	return &s.dxo
}
