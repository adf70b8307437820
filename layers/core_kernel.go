package layers

import (
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Kernels of the layers without weights. Each mirrors its Call.

// flattenState holds Flatten's re-pointed views.
type flattenState struct {
	y, dx  tensor.Tensor
	xshape []int
}

// Fast is always true: Flatten only re-views its input.
func (l *Flatten) Fast() bool { return true }

// Forward returns x viewed as (batch, features), without copying.
func (l *Flatten) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	l.fast.xshape = append(l.fast.xshape[:0], x.Shape()...)
	l.fast.y.Alias(x, x.Dim(0), l.outShape[0])
	return &l.fast.y
}

// Backward returns dy viewed in the input's shape.
func (l *Flatten) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	l.fast.dx.Alias(dy, l.fast.xshape...)
	return &l.fast.dx
}

// actState holds the output tensor.Buffer of an activation layer.
type actState struct {
	y tensor.Buffer
	// last is the output of the last Forward, which Backward
	// differentiates from.
	last   *tensor.Tensor
	logits bool
}

func (s *actState) forward(name string, x *tensor.Tensor) *tensor.Tensor {
	y := s.y.Like(x)
	n := x.Dim(-1)
	actInto(name, y.Float32s(), x.Float32s(), x.Len()/n, n)
	s.last, s.logits = y, false
	return y
}

func (s *actState) backward(name string, dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	if !s.logits {
		n := dy.Dim(-1)
		actBackward(name, dy.Float32s(), s.last.Float32s(), dy.Len()/n, n)
	}
	return dy
}

// Fast is always true for ReLU.
func (l *ReLU) Fast() bool { return true }

// Forward computes max(x, 0) into the layer's tensor.Buffer.
func (l *ReLU) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	return l.fast.forward("relu", x)
}

// Backward zeroes dy where the output was not positive, in place.
func (l *ReLU) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	return l.fast.backward("relu", dy, needDX)
}

// Fast reports whether the activation's derivative comes from its output.
func (l *Activation) Fast() bool { return fastActivation(l.Fn) }

// Forward applies the activation into the layer's tensor.Buffer.
func (l *Activation) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	return l.fast.forward(l.Fn, x)
}

// ForwardLogits returns x unchanged for a softmax Activation, so the model
// can fuse softmax with cross-entropy.
func (l *Activation) ForwardLogits(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	l.fast.logits = true
	return x
}

// SoftmaxOutput reports whether this is a softmax.
func (l *Activation) SoftmaxOutput() bool { return l.Fn == "softmax" }

// Backward multiplies dy by the activation's derivative, in place.
func (l *Activation) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	return l.fast.backward(l.Fn, dy, needDX)
}

// Fast is always true for Softmax.
func (l *Softmax) Fast() bool { return true }

// Forward computes the softmax of each row into the layer's tensor.Buffer.
func (l *Softmax) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	return l.fast.forward("softmax", x)
}

// ForwardLogits returns x unchanged, so the model can fuse softmax with
// cross-entropy; Backward then passes dL/dlogits through.
func (l *Softmax) ForwardLogits(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	l.fast.logits = true
	return x
}

// SoftmaxOutput is true: the layer is a softmax.
func (l *Softmax) SoftmaxOutput() bool { return true }

// Backward applies the softmax Jacobian to dy, in place.
func (l *Softmax) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	return l.fast.backward("softmax", dy, needDX)
}

// leakyState holds LeakyReLU's buffers.
type leakyState struct {
	y    tensor.Buffer
	last *tensor.Tensor
}

// Fast is true for a positive slope, where the output's sign is the
// input's and the derivative comes from the output.
func (l *LeakyReLU) Fast() bool { return l.NegativeSlope > 0 }

// Forward computes x, or slope·x where x ≤ 0, into the layer's tensor.Buffer.
func (l *LeakyReLU) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	y := l.fast.y.Like(x)
	kernels.LeakyReLU(y.Float32s(), x.Float32s(), float32(l.NegativeSlope))
	l.fast.last = y
	return y
}

// Backward multiplies dy by 1 where the output is positive and by the
// slope elsewhere, in place.
func (l *LeakyReLU) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	g, y := dy.Float32s(), l.fast.last.Float32s()
	a := float32(l.NegativeSlope)
	for i, v := range y[:len(g)] {
		if v <= 0 {
			g[i] *= a
		}
	}
	return dy
}

// dropoutState holds Dropout's mask and output buffers.
type dropoutState struct {
	mask, y tensor.Buffer
	last    *tensor.Tensor // the mask of the last training Forward; nil outside training
}

// Fast is always true for Dropout.
func (l *Dropout) Fast() bool { return true }

// Forward zeroes a fraction rate of x and scales the rest by 1/(1−rate)
// in training, drawing the mask from ctx.RNG in the same order as Call;
// outside training it returns x.
func (l *Dropout) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	if !ctx.Training || l.Rate == 0 {
		l.fast.last = nil
		return x
	}
	mask := l.fast.mask.Like(x)
	md := mask.Float32s()
	dropoutMask(ctx.RNG, md, l.Rate)
	y := l.fast.y.Like(x)
	kernels.Binary(kernels.OpMul, y.Float32s(), x.Float32s(), md)
	l.fast.last = mask
	return y
}

// Backward multiplies dy by the mask, in place.
func (l *Dropout) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	if m := l.fast.last; m != nil { // nil: the last Forward let x through
		kernels.Binary(kernels.OpMul, dy.Float32s(), dy.Float32s(), m.Float32s())
	}
	return dy
}
